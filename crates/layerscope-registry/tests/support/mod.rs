//! Real servers for the tests: Debian's `docker-registry` seeded by `skopeo`, certificates made
//! by `openssl`, and a scripted HTTP server for the faults no real registry makes on demand.
#![allow(dead_code)]

pub mod fake;

use std::fmt::Write as _;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use layerscope_registry::Options;

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

/// The registry tools every real-server test needs.
pub fn need_registry_tools() -> bool {
    need("docker-registry", "docker-registry") && need("skopeo", "skopeo")
}

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/tiny")
        .join(name)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Options that look at nothing on this machine and retry without real waits.
pub fn quiet_options() -> Options {
    Options {
        retries: 3,
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        progress: Some(Arc::new(AtomicU64::new(0))),
        ..Options::default()
    }
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

    /// `skopeo copy` an archive from testdata into this registry.
    pub fn seed(&self, archive: &str, name: &str, extra: &[&str]) {
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
            .arg(format!("oci-archive:{}", testdata(archive).display()))
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
            "skopeo copy {archive} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
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

/// A temporary `DOCKER_CONFIG` directory holding `config.json`.
pub fn docker_config(json: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), json).unwrap();
    dir
}

pub fn base64(s: &str) -> String {
    base64_bytes(s.as_bytes())
}

pub fn base64_bytes(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::from("sha256:");
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Runs one test of this binary in a child process with `env` set (the tests cannot change
/// their own environment), and asserts it passed.
pub fn run_child(test: &str, env: &[(&str, &std::ffi::OsStr)]) {
    let exe = std::env::current_exe().unwrap();
    let mut command = Command::new(exe);
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("LAYERSCOPE_TEST_CHILD", "1")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child test {test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether this process is a child started by [`run_child`].
pub fn in_child() -> bool {
    std::env::var_os("LAYERSCOPE_TEST_CHILD").is_some()
}
