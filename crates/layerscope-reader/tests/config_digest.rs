//! A `docker save` config is named by its digest; content that no longer matches the name (an
//! edited history, say) is refused unless verification is off.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::BufRead;
use std::path::{Path, PathBuf};

use layerscope_reader::{Loaded, Options, ReadError, load};
use layerscope_testkit::{DockerSave, sha256, write_temp};

fn open(bytes: &[u8], verify: bool) -> Result<Loaded<()>, ReadError> {
    let (_dir, path) = write_temp("image.tar", bytes);
    open_path(&path, verify)
}

fn open_path(path: &Path, verify: bool) -> Result<Loaded<()>, ReadError> {
    let options = Options {
        verify,
        ..Options::default()
    };
    load(path, &options, &|_: &mut dyn BufRead| Ok(()))
}

fn layer() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(5);
    h.set_mode(0o644);
    b.append_data(&mut h, "etc/motd", &b"hello"[..]).unwrap();
    b.into_inner().unwrap()
}

/// The archive with the config's history edited after it was named.
fn edited() -> (Vec<u8>, String, String) {
    let save = DockerSave::new(vec![layer()]);
    let config = save.config();
    let name = format!("{}.json", sha256(&config));
    let edited = String::from_utf8(config)
        .unwrap()
        .replace("step 0", "nothing to see");
    let found = sha256(edited.as_bytes());
    (save.build_with(&name, edited.as_bytes()), name, found)
}

#[test]
fn an_edited_config_fails_its_name() {
    let (archive, name, found) = edited();
    let err = open(&archive, true).unwrap_err().to_string();
    let expected = name.trim_end_matches(".json");
    assert_eq!(
        err,
        format!(
            "config `{name}`: digest mismatch: expected sha256:{expected}, found sha256:{found}"
        )
    );
    assert!(!err.contains('\n'));
}

#[test]
fn without_verification_the_edited_config_is_read() {
    let (archive, _, _) = edited();
    let loaded = open(&archive, false).unwrap();
    assert_eq!(
        loaded.image.layers[0].created_by.as_deref(),
        Some("/bin/sh -c nothing to see")
    );
}

#[test]
fn a_config_that_matches_its_name_opens() {
    let archive = DockerSave::new(vec![layer()]).build();
    assert_eq!(
        open(&archive, true).unwrap().image.layers[0]
            .created_by
            .as_deref(),
        Some("/bin/sh -c step 0")
    );
}

#[test]
fn a_config_not_named_by_a_digest_is_not_checked() {
    let save = DockerSave::new(vec![layer()]);
    for name in ["config.json", "ABCDEF.json", "deadbeef.json"] {
        let archive = save.build_with(name, &save.config());
        assert!(open(&archive, true).is_ok(), "{name}");
    }
}

#[test]
fn a_docker_25_config_is_checked_by_its_blob_name() {
    let save = DockerSave::new(vec![layer()]);
    let config = save.config();
    let name = format!("blobs/sha256/{}", sha256(&config));
    let mut edited = config.clone();
    edited.extend(b"\n");
    let err = open(&save.build_with(&name, &edited), true).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::MetadataDigestMismatch { what: "config", .. }
        ),
        "{err}"
    );
    assert!(open(&save.build_with(&name, &config), true).is_ok());
}

/// Every image in `testdata/` still opens with its config checked.
#[test]
fn every_testdata_image_opens() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut images = vec![root.join("tiny/oci-dir")];
    for dir in [root.clone(), root.join("tiny")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("tar") || e.eq_ignore_ascii_case("gz"))
            {
                images.push(path);
            }
        }
    }
    assert!(images.len() >= 12, "{images:?}");
    for path in images {
        if let Err(e) = open_path(&path, true) {
            panic!("{}: {e}", path.display());
        }
    }
}
