//! Image archives: a legacy `docker save` with knobs to break it, and an OCI archive.

use serde_json::{Value, json};

use crate::sha256;

/// One entry of an image's history.
#[derive(Debug, Clone)]
pub struct Step {
    pub created_by: String,
    /// The step made no layer (`ENV`, `ARG`).
    pub empty_layer: bool,
}

impl Step {
    pub fn layer(created_by: &str) -> Step {
        Step {
            created_by: created_by.to_owned(),
            empty_layer: false,
        }
    }

    pub fn empty(created_by: &str) -> Step {
        Step {
            created_by: created_by.to_owned(),
            empty_layer: true,
        }
    }
}

/// A legacy `docker save` archive (`<id>/layer.tar`, `<config>.json`, `manifest.json`).
pub struct DockerSave {
    pub layers: Vec<Vec<u8>>,
    pub history: Vec<Step>,
    pub tags: Vec<String>,
    /// The config's `config` object (`Env`, `User`, `Healthcheck`, …).
    pub runtime: Value,
    /// Replaces the `diff_ids` the config would list.
    pub diff_ids: Option<Vec<String>>,
    pub manifest: Option<Vec<u8>>,
    pub extra: Vec<(String, Vec<u8>)>,
}

impl DockerSave {
    /// Layers made by `step {i}`, tagged `test:latest`, with a PATH and nothing else set.
    pub fn new(layers: Vec<Vec<u8>>) -> Self {
        let history = (0..layers.len())
            .map(|i| Step::layer(&format!("/bin/sh -c step {i}")))
            .collect();
        DockerSave {
            layers,
            history,
            tags: vec!["test:latest".to_owned()],
            runtime: json!({ "Env": ["PATH=/usr/bin"] }),
            diff_ids: None,
            manifest: None,
            extra: Vec::new(),
        }
    }

    /// Each layer with the command that made it.
    pub fn with_commands(layers: &[(&str, Vec<u8>)]) -> Self {
        let mut save = DockerSave::new(layers.iter().map(|(_, l)| l.clone()).collect());
        save.history = layers.iter().map(|(c, _)| Step::layer(c)).collect();
        save
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
            .map(|s| {
                if s.empty_layer {
                    json!({ "created_by": s.created_by, "empty_layer": true })
                } else {
                    json!({ "created_by": s.created_by })
                }
            })
            .collect();
        serde_json::to_vec(&json!({
            "architecture": "amd64",
            "os": "linux",
            "config": self.runtime,
            "rootfs": { "type": "layers", "diff_ids": diff_ids },
            "history": history,
        }))
        .unwrap()
    }

    pub fn build(&self) -> Vec<u8> {
        let config = self.config();
        self.build_with(&format!("{}.json", sha256(&config)), &config)
    }

    /// The archive with `config` stored under `config_name` (normally its digest).
    pub fn build_with(&self, config_name: &str, config: &[u8]) -> Vec<u8> {
        let names: Vec<String> = (0..self.layers.len())
            .map(|i| format!("layer{i}/layer.tar"))
            .collect();
        let manifest = self.manifest.clone().unwrap_or_else(|| {
            serde_json::to_vec(&json!([{
                "Config": config_name, "RepoTags": self.tags, "Layers": names,
            }]))
            .unwrap()
        });
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for (name, data) in names.iter().zip(&self.layers) {
            files.push((name.clone(), data.clone()));
        }
        files.push((config_name.to_owned(), config.to_vec()));
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
    let config = serde_json::to_vec(&json!({
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
        .map(|l| json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{}", sha256(l)), "size": l.len()}))
        .collect();
    for l in layers {
        files.push((format!("blobs/sha256/{}", sha256(l)), l.clone()));
    }
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": config_media_type, "digest": format!("sha256:{}", sha256(&config)), "size": config.len()},
        "layers": layer_descs,
    }))
    .unwrap();
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", sha256(&manifest)), "size": manifest.len()}],
    }))
    .unwrap();
    files.push((format!("blobs/sha256/{}", sha256(&config)), config));
    files.push((format!("blobs/sha256/{}", sha256(&manifest)), manifest));
    files.push(("index.json".into(), index));
    outer(&files)
}

/// The `probe` image of dive 0.13.1's reference runs, whose CI text the printer's tests hold
/// layerscope to byte for byte:
///
/// - layer 0: `/bin/sh` 1000 B, `/etc/config.txt` 500 B, `/data/big.bin` 10000 B, empty `/tmp`;
/// - layer 1: `/etc/config.txt` 600 B, a whiteout of `/data/big.bin`, `/app/file.txt` 2000 B,
///   empty `/tmp`;
/// - layer 2: `/app/file.txt` 2000 B.
pub fn probe() -> DockerSave {
    use crate::layer::{Entry, layer};
    let bytes = |n: usize| vec![b'x'; n];
    let (sh, config0, big, config1, file) = (
        bytes(1000),
        bytes(500),
        bytes(10_000),
        bytes(600),
        bytes(2000),
    );
    DockerSave::with_commands(&[
        (
            "ADD rootfs.tar /",
            layer(&[
                Entry::Dir("bin/", 0o755),
                Entry::File("bin/sh", &sh, 0o755),
                Entry::Dir("etc/", 0o755),
                Entry::File("etc/config.txt", &config0, 0o644),
                Entry::Dir("data/", 0o755),
                Entry::File("data/big.bin", &big, 0o644),
                Entry::Dir("tmp/", 0o1777),
            ]),
        ),
        (
            "/bin/sh -c rm /data/big.bin && edit /etc/config.txt",
            layer(&[
                Entry::Dir("etc/", 0o755),
                Entry::File("etc/config.txt", &config1, 0o644),
                Entry::Dir("data/", 0o755),
                Entry::File("data/.wh.big.bin", b"", 0o644),
                Entry::Dir("app/", 0o755),
                Entry::File("app/file.txt", &file, 0o644),
                Entry::Dir("tmp/", 0o1777),
            ]),
        ),
        (
            "COPY file.txt /app/",
            layer(&[
                Entry::Dir("app/", 0o755),
                Entry::File("app/file.txt", &file, 0o644),
            ]),
        ),
    ])
}

/// An OCI image layout directory at `dir` with these (uncompressed) layers, written one at a
/// time so large generated images need not sit in memory whole.
pub fn oci_dir(dir: &std::path::Path, layers: impl IntoIterator<Item = (String, Vec<u8>)>) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let write = |bytes: &[u8]| {
        let digest = sha256(bytes);
        std::fs::write(blobs.join(&digest), bytes).unwrap();
        (format!("sha256:{digest}"), bytes.len())
    };
    let (mut descriptors, mut diff_ids, mut history) = (Vec::new(), Vec::new(), Vec::new());
    for (command, layer) in layers {
        let (digest, size) = write(&layer);
        descriptors.push(json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": size,
        }));
        diff_ids.push(digest);
        history.push(json!({ "created_by": command }));
    }
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "config": { "Env": ["PATH=/usr/bin"] },
        "rootfs": { "type": "layers", "diff_ids": diff_ids },
        "history": history,
    }))
    .unwrap();
    let (config_digest, config_size) = write(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
        "layers": descriptors,
    }))
    .unwrap();
    let (manifest_digest, manifest_size) = write(&manifest);
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": manifest_size}],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}
