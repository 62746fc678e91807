//! A real registry (Debian's `docker-registry`) on 127.0.0.1 in plain HTTP, seeded with
//! skopeo from testdata: single images with gzip and zstd layers, and a multi-platform index.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;

use layerscope_registry::{Client, ImageRef, Manifest, OCI_INDEX, OCI_MANIFEST, RegistryError};
use serde_json::Value;
use support::{Registry, Setup, quiet_options, sha256};

fn layers_and_config(manifest: &Manifest) -> (Vec<String>, String) {
    let json: Value = serde_json::from_slice(&manifest.bytes).unwrap();
    let layers = json["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_owned())
        .collect();
    (
        layers,
        json["config"]["digest"].as_str().unwrap().to_owned(),
    )
}

/// Reads every layer as a stream, several at once, and checks each against its digest.
fn check_layers(client: &Client, image: &ImageRef, layers: &[String]) {
    std::thread::scope(|scope| {
        for digest in layers {
            scope.spawn(move || {
                let mut bytes = Vec::new();
                client
                    .blob(image, digest)
                    .unwrap()
                    .read_to_end(&mut bytes)
                    .unwrap();
                assert_eq!(&sha256(&bytes), digest);
            });
        }
    });
}

#[test]
fn manifests_indexes_and_blobs_from_a_real_registry() {
    if !support::need_registry_tools() {
        return;
    }
    let registry = Registry::start(&Setup::default());
    for (archive, name) in [
        ("oci-archive-gzip.tar", "tiny:gzip"),
        ("oci-archive-zstd.tar", "tiny:zstd"),
    ] {
        support::seed(&registry, archive, name, &["--dest-tls-verify=false"]);
    }
    support::seed(
        &registry,
        "multi-platform.oci.tar",
        "tiny:multi",
        &["--all", "--dest-tls-verify=false"],
    );
    let h = &registry.host;
    let client = Client::new(quiet_options()).unwrap();

    for tag in ["gzip", "zstd"] {
        let image = ImageRef::parse(&format!("{h}/tiny:{tag}")).unwrap();
        assert_eq!(image.to_string(), format!("{h}/tiny:{tag}"));
        let by_tag = client.manifest(&image, image.reference()).unwrap();
        assert_eq!(by_tag.media_type, OCI_MANIFEST);
        assert!(!by_tag.is_index());
        assert_eq!(by_tag.digest, sha256(&by_tag.bytes));
        let head = client.manifest_head(&image, tag).unwrap();
        assert_eq!(head.digest.as_deref(), Some(by_tag.digest.as_str()));
        assert_eq!(head.size, Some(by_tag.bytes.len() as u64));
        let by_digest = client.manifest(&image, &by_tag.digest).unwrap();
        assert_eq!(by_digest, by_tag);

        let (layers, config) = layers_and_config(&by_tag);
        let config_bytes = client.blob_bytes(&image, &config, 1 << 20).unwrap();
        let config_json: Value = serde_json::from_slice(&config_bytes).unwrap();
        assert_eq!(
            config_json["rootfs"]["diff_ids"].as_array().unwrap().len(),
            layers.len()
        );
        let before = client.bytes_read();
        check_layers(&client, &image, &layers);
        assert!(client.bytes_read() > before);

        let line = client
            .blob_bytes(&image, &config, 10)
            .unwrap_err()
            .to_string();
        assert_eq!(
            line,
            format!("{h}/tiny:{tag}: {h} served blob {config} larger than 10 bytes; refused")
        );
    }

    let image = ImageRef::parse(&format!("{h}/tiny:multi")).unwrap();
    let index = client.manifest(&image, "multi").unwrap();
    assert_eq!(index.media_type, OCI_INDEX);
    assert!(index.is_index());
    let json: Value = serde_json::from_slice(&index.bytes).unwrap();
    let mut platforms = Vec::new();
    for entry in json["manifests"].as_array().unwrap() {
        let digest = entry["digest"].as_str().unwrap();
        let manifest = client.manifest(&image, digest).unwrap();
        assert_eq!(manifest.digest, digest);
        assert_eq!(manifest.media_type, OCI_MANIFEST);
        let (layers, _) = layers_and_config(&manifest);
        check_layers(&client, &image, &layers);
        platforms.push(
            entry["platform"]["architecture"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(platforms, ["amd64", "arm64"]);

    // What the registry does not have.
    let missing = ImageRef::parse(&format!("{h}/tiny:nope")).unwrap();
    assert_eq!(
        client.manifest(&missing, "nope").unwrap_err().to_string(),
        format!(
            "{h}/tiny:nope: registry {h} has no manifest `nope` (HTTP 404, MANIFEST_UNKNOWN: manifest unknown)"
        )
    );
    assert!(matches!(
        client.manifest_head(&missing, "nope"),
        Err(RegistryError::NotFound { .. })
    ));
    let zero = format!("sha256:{}", "0".repeat(64));
    assert_eq!(
        client.blob(&image, &zero).err().unwrap().to_string(),
        format!(
            "{h}/tiny:multi: registry {h} has no blob {zero} (HTTP 404, BLOB_UNKNOWN: blob unknown to registry)"
        )
    );
    let other = ImageRef::parse(&format!("{h}/no/such:1")).unwrap();
    assert_eq!(
        client.manifest(&other, "1").unwrap_err().to_string(),
        format!(
            "{h}/no/such:1: registry {h} has no manifest `1` (HTTP 404, MANIFEST_UNKNOWN: manifest unknown)"
        )
    );
}
