//! Real servers for the tests: Debian's `docker-registry` on a free loopback port with its
//! storage in a temp dir, seeded by `skopeo`, and certificates made by `openssl`. Each is
//! stopped and removed when dropped.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether `tool` is installed. Under CI a missing tool fails the test; elsewhere it is skipped
/// with the reason printed.
pub fn need(tool: &str, package: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    if !found {
        let message = format!("`{tool}` is not installed (apt-get install {package})");
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
    }
    found
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// What a test registry checks.
#[derive(Default)]
pub struct Setup {
    /// Certificate and key files: serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// An htpasswd file: require Basic credentials.
    pub htpasswd: Option<PathBuf>,
    /// Require a client certificate signed by this CA (needs `tls`).
    pub client_ca: Option<PathBuf>,
    /// Token auth: realm, service, issuer, root certificate bundle.
    pub token: Option<(String, String, String, PathBuf)>,
}

/// A `docker-registry` on 127.0.0.1, its storage in a temp dir, killed when dropped.
pub struct Registry {
    child: Child,
    pub port: u16,
    pub host: String,
    dir: tempfile::TempDir,
}

impl Registry {
    pub fn start(setup: &Setup) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n\
             http:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("storage").display()
        );
        if let Some((cert, key)) = &setup.tls {
            let _ = write!(
                config,
                "  tls:\n    certificate: {}\n    key: {}\n",
                cert.display(),
                key.display()
            );
            if let Some(ca) = &setup.client_ca {
                let _ = write!(config, "    clientcas:\n      - {}\n", ca.display());
            }
        }
        if let Some(htpasswd) = &setup.htpasswd {
            let _ = write!(
                config,
                "auth:\n  htpasswd:\n    realm: test\n    path: {}\n",
                htpasswd.display()
            );
        }
        if let Some((realm, service, issuer, bundle)) = &setup.token {
            let _ = write!(
                config,
                "auth:\n  token:\n    realm: {realm}\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {}\n",
                bundle.display()
            );
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let registry = Registry {
            child,
            port,
            host: format!("127.0.0.1:{port}"),
            dir,
        };
        registry.wait_up(setup.tls.is_none());
        registry
    }

    /// Waits (with a generous deadline) until the registry accepts connections and, when plain
    /// HTTP, answers `/v2/`.
    fn wait_up(&self, plain: bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut stream) = TcpStream::connect(&self.host) {
                if !plain {
                    return;
                }
                let ask = format!(
                    "GET /v2/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                    self.host
                );
                let mut answer = String::new();
                if stream.write_all(ask.as_bytes()).is_ok()
                    && stream.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1.1 ")
                {
                    return;
                }
            }
            let log =
                std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default();
            assert!(
                Instant::now() < deadline,
                "docker-registry did not come up: {log}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `skopeo copy` from SOURCE (`oci-archive:PATH`, `docker-archive:PATH`) into this registry.
    pub fn seed(&self, source: &str, name: &str, extra: &[&str]) {
        let home = tempfile::tempdir().unwrap();
        let policy = home.path().join("policy.json");
        std::fs::write(
            &policy,
            r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
        )
        .unwrap();
        let output = Command::new("skopeo")
            .arg("--policy")
            .arg(&policy)
            .arg("copy")
            .args(extra)
            .arg(source)
            .arg(format!("docker://{}/{name}", self.host))
            // skopeo keeps caches under $HOME: keep them in the temp dir.
            .env("HOME", home.path())
            .env("XDG_RUNTIME_DIR", home.path())
            .env("XDG_DATA_HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "skopeo copy {source} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Registry {
    /// Changes a stored layer behind the registry's back, so that it serves bytes that no longer
    /// match their digest: the gzip header's time field, which decompression does not check.
    /// Returns the layer's digest hex.
    pub fn corrupt_a_layer(&self) -> String {
        let blobs = self
            .dir
            .path()
            .join("storage/docker/registry/v2/blobs/sha256");
        let mut layer: Option<(PathBuf, String)> = None;
        for prefix in std::fs::read_dir(&blobs).unwrap() {
            for blob in std::fs::read_dir(prefix.unwrap().path()).unwrap() {
                let blob = blob.unwrap();
                let data = blob.path().join("data");
                let bytes = std::fs::read(&data).unwrap();
                if bytes.starts_with(&[0x1f, 0x8b]) {
                    layer = Some((data, blob.file_name().to_string_lossy().into_owned()));
                }
            }
        }
        let (data, hex) = layer.expect("a gzip layer in the registry");
        let mut bytes = std::fs::read(&data).unwrap();
        bytes[4] ^= 0xff;
        std::fs::write(&data, bytes).unwrap();
        hex
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA and a server certificate for 127.0.0.1 made with `openssl`.
pub struct Certs {
    pub dir: tempfile::TempDir,
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    /// A folder holding only `ca.crt`, as skopeo's `--dest-cert-dir` wants.
    pub ca_dir: PathBuf,
}

pub fn openssl(args: &[&str], dir: &Path) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Certs {
    pub fn make() -> Certs {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        openssl(
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=layerscope test CA",
            ],
            d,
        );
        openssl(
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
            d,
        );
        std::fs::write(d.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
        openssl(
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
            ],
            d,
        );
        let ca_dir = d.join("skopeo-certs");
        std::fs::create_dir(&ca_dir).unwrap();
        std::fs::copy(d.join("ca.crt"), ca_dir.join("ca.crt")).unwrap();
        Certs {
            ca: d.join("ca.crt"),
            cert: d.join("server.crt"),
            key: d.join("server.key"),
            ca_dir,
            dir,
        }
    }

    /// A client certificate signed by this CA, as `client.cert` and `client.key` in `dir`;
    /// with `extension` a version 3 certificate, without one version 1.
    pub fn client_cert(&self, dir: &Path, extension: Option<&str>) {
        let d = self.dir.path();
        openssl(
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "client.key",
                "-out",
                "client.csr",
                "-subj",
                "/CN=layerscope test client",
            ],
            d,
        );
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.cert",
            "-days",
            "2",
        ];
        if let Some(extension) = extension {
            std::fs::write(d.join("client.cnf"), format!("{extension}\n")).unwrap();
            args.extend(["-extfile", "client.cnf"]);
        }
        openssl(&args, d);
        std::fs::copy(d.join("client.cert"), dir.join("client.cert")).unwrap();
        std::fs::copy(d.join("client.key"), dir.join("client.key")).unwrap();
    }

    /// A certs.d base directory trusting this CA for `host`.
    pub fn certs_d(&self, host: &str) -> PathBuf {
        let base = self.dir.path().join("certs.d");
        std::fs::create_dir_all(base.join(host)).unwrap();
        std::fs::copy(&self.ca, base.join(host).join("ca.crt")).unwrap();
        base
    }
}

/// Standard base64 with padding, as `config.json` keeps credentials.
pub fn base64(input: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A temporary `DOCKER_CONFIG` directory holding `config.json`.
pub fn docker_config(json: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), json).unwrap();
    dir
}
