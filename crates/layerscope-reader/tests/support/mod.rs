//! Images made in the tests: any tar wrapped as the layers of a `docker save` archive.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod listing;

use sha2::{Digest, Sha256};

pub fn sha256(data: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(data).iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A legacy `docker save` archive: `manifest.json`, a config named by its digest whose
/// `diff_ids` are the layers' digests, and each layer as `layerN/layer.tar`.
pub struct DockerSave {
    pub layers: Vec<Vec<u8>>,
    pub history: Vec<String>,
}

impl DockerSave {
    pub fn new(layers: Vec<Vec<u8>>) -> Self {
        let history = (0..layers.len())
            .map(|i| format!("/bin/sh -c step {i}"))
            .collect();
        DockerSave { layers, history }
    }

    pub fn config(&self) -> Vec<u8> {
        let diff_ids: Vec<String> = self
            .layers
            .iter()
            .map(|l| format!("sha256:{}", sha256(l)))
            .collect();
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

    /// The archive with `config` stored under `config_name` (normally its digest).
    pub fn build_with(&self, config_name: &str, config: &[u8]) -> Vec<u8> {
        let names: Vec<String> = (0..self.layers.len())
            .map(|i| format!("layer{i}/layer.tar"))
            .collect();
        let manifest = serde_json::to_vec(&serde_json::json!([{
            "Config": config_name, "RepoTags": ["test:latest"], "Layers": names,
        }]))
        .unwrap();
        let mut files: Vec<(String, Vec<u8>)> = names
            .iter()
            .cloned()
            .zip(self.layers.iter().cloned())
            .collect();
        files.push((config_name.to_owned(), config.to_vec()));
        files.push(("manifest.json".into(), manifest));
        outer(&files)
    }

    pub fn build(&self) -> Vec<u8> {
        let config = self.config();
        self.build_with(&format!("{}.json", sha256(&config)), &config)
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

/// Writes `bytes` to a temporary file and returns it (kept alive by the returned handle).
pub fn on_disk(bytes: &[u8]) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f.flush().unwrap();
    f
}
