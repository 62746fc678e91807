//! Image archives generated in code, for edge cases no real tool writes.
#![allow(dead_code)]

use sha2::{Digest, Sha256};

pub fn sha256(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().fold(String::new(), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A layer tar from (path, content) pairs; a path ending in `/` is a directory.
pub fn layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        if path.ends_with('/') {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(0o755);
            h.set_size(0);
            b.append_data(&mut h, path, std::io::empty()).unwrap();
        } else {
            h.set_entry_type(tar::EntryType::Regular);
            h.set_mode(0o644);
            h.set_size(data.len() as u64);
            // Set the name by hand so hostile names (control characters, `..`) go in unchanged.
            let name = h.as_old_mut().name.as_mut();
            name[..path.len()].copy_from_slice(path.as_bytes());
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
    }
    b.into_inner().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A legacy `docker save` archive, with knobs to break it.
pub struct DockerSave {
    pub layers: Vec<Vec<u8>>,
    pub history: Vec<String>,
    /// Replaces the `diff_ids` the config would list.
    pub diff_ids: Option<Vec<String>>,
    pub manifest: Option<Vec<u8>>,
    pub extra: Vec<(String, Vec<u8>)>,
}

impl DockerSave {
    pub fn new(layers: Vec<Vec<u8>>) -> Self {
        let history = (0..layers.len())
            .map(|i| format!("/bin/sh -c step {i}"))
            .collect();
        DockerSave {
            layers,
            history,
            diff_ids: None,
            manifest: None,
            extra: Vec::new(),
        }
    }

    pub fn config(&self) -> Vec<u8> {
        let diff_ids = self.diff_ids.clone().unwrap_or_else(|| {
            self.layers
                .iter()
                .map(|l| format!("sha256:{}", sha256(l)))
                .collect()
        });
        let history: Vec<_> = self
            .history
            .iter()
            .map(|c| serde_json::json!({ "created_by": c }))
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "architecture": "amd64",
            "os": "linux",
            "config": { "Env": ["PATH=/usr/bin"] },
            "rootfs": { "type": "layers", "diff_ids": diff_ids },
            "history": history,
        }))
        .unwrap()
    }

    pub fn build(&self) -> Vec<u8> {
        let config = self.config();
        let config_name = format!("{}.json", sha256(&config));
        let names: Vec<String> = (0..self.layers.len())
            .map(|i| format!("layer{i}/layer.tar"))
            .collect();
        let manifest = self.manifest.clone().unwrap_or_else(|| {
            serde_json::to_vec(&serde_json::json!([{
                "Config": config_name, "RepoTags": ["test:latest"], "Layers": names,
            }]))
            .unwrap()
        });
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for (name, data) in names.iter().zip(&self.layers) {
            files.push((name.clone(), data.clone()));
        }
        files.push((config_name, config));
        files.push(("manifest.json".into(), manifest));
        files.extend(self.extra.iter().cloned());
        outer(&files)
    }
}

/// A plain tar of whole files (the outer archive).
pub fn outer(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// An OCI layout tar with one image whose config has `config_media_type`.
pub fn oci_archive(layers: &[Vec<u8>], config_media_type: &str) -> Vec<u8> {
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": { "type": "layers", "diff_ids": layers.iter().map(|l| format!("sha256:{}", sha256(l))).collect::<Vec<_>>() },
    }))
    .unwrap();
    let mut files = vec![(
        "oci-layout".to_owned(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let layer_descs: Vec<_> = layers
        .iter()
        .map(|l| serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{}", sha256(l)), "size": l.len()}))
        .collect();
    for l in layers {
        files.push((format!("blobs/sha256/{}", sha256(l)), l.clone()));
    }
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": config_media_type, "digest": format!("sha256:{}", sha256(&config)), "size": config.len()},
        "layers": layer_descs,
    }))
    .unwrap();
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", sha256(&manifest)), "size": manifest.len()}],
    }))
    .unwrap();
    files.push((format!("blobs/sha256/{}", sha256(&config)), config));
    files.push((format!("blobs/sha256/{}", sha256(&manifest)), manifest));
    files.push(("index.json".into(), index));
    outer(&files)
}
