//! A real Podman with storage of its own in a temp dir: `podman load` of testdata, and
//! `podman system service` on a socket there, stopped when dropped.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The demo image's name once loaded.
pub const DEMO: &str = "docker.io/library/layerscope-demo:latest";

/// Storage, configuration and runtime directories for one test, and the environment that
/// points podman at them (and at nothing of this machine's).
pub struct Storage {
    pub dir: tempfile::TempDir,
    /// Every variable podman runs with: nothing else of this machine's environment.
    pub vars: HashMap<String, String>,
    pub home: PathBuf,
}

impl Default for Storage {
    fn default() -> Self {
        Storage::new()
    }
}

impl Storage {
    pub fn new() -> Storage {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for sub in [
            "root",
            "run",
            "tmp",
            "xdg-runtime",
            "xdg-config",
            "xdg-data",
            "home",
        ] {
            std::fs::create_dir(d.join(sub)).unwrap();
        }
        // vfs needs nothing of the kernel; the demo image is small.
        let storage_conf = d.join("storage.conf");
        std::fs::write(
            &storage_conf,
            format!(
                "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
                d.join("root").display(),
                d.join("run").display()
            ),
        )
        .unwrap();
        // Events to a file (no journald here), libpod's temporary state in the temp dir.
        let containers_conf = d.join("containers.conf");
        std::fs::write(
            &containers_conf,
            format!(
                "[engine]\nevents_logger = \"file\"\ntmp_dir = \"{}\"\n",
                d.join("tmp").display()
            ),
        )
        .unwrap();
        let path = |sub: &str| d.join(sub).to_string_lossy().into_owned();
        let vars = HashMap::from([
            (
                "PATH".to_owned(),
                std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
            ),
            (
                "CONTAINERS_STORAGE_CONF".to_owned(),
                storage_conf.to_string_lossy().into_owned(),
            ),
            (
                "CONTAINERS_CONF".to_owned(),
                containers_conf.to_string_lossy().into_owned(),
            ),
            // The service saves an image here before it sends it.
            ("TMPDIR".to_owned(), path("tmp")),
            // No podman socket in it: discovery must pass over it.
            ("XDG_RUNTIME_DIR".to_owned(), path("xdg-runtime")),
            ("XDG_CONFIG_HOME".to_owned(), path("xdg-config")),
            ("XDG_DATA_HOME".to_owned(), path("xdg-data")),
            ("HOME".to_owned(), path("home")),
        ]);
        Storage {
            vars,
            home: d.join("home"),
            dir,
        }
    }

    /// podman with this storage's environment and no other.
    pub fn podman(&self, args: &[&str]) -> Output {
        Command::new("podman")
            .args(args)
            .env_clear()
            .envs(&self.vars)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// `podman load -i` an archive.
    pub fn load(&self, path: &Path) {
        let output = self.podman(&["load", "-i", &path.to_string_lossy()]);
        assert!(
            output.status.success(),
            "podman load {} failed: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `podman image inspect --format TEMPLATE`, trimmed.
    pub fn format(&self, image: &str, template: &str) -> String {
        let output = self.podman(&["image", "inspect", "--format", template, image]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Starts `podman system service` on `podman.sock` in this storage's directory.
    pub fn serve(&self) -> Service {
        let socket = self.dir.path().join("podman.sock");
        let log = std::fs::File::create(self.dir.path().join("service.log")).unwrap();
        let child = Command::new("podman")
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()))
            .env_clear()
            .envs(&self.vars)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let service = Service {
            child,
            socket,
            log: self.dir.path().join("service.log"),
        };
        service.wait_up();
        service
    }
}

/// A running `podman system service`; dropped (a test that passed or one that failed), it is
/// killed and reaped.
pub struct Service {
    child: Child,
    pub socket: PathBuf,
    log: PathBuf,
}

impl Service {
    /// `unix:///…/podman.sock`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// Waits, with a generous deadline, until the service answers `/_ping`.
    fn wait_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if ping(&self.socket) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "podman system service did not come up: {}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn ping(socket: &Path) -> bool {
    let Ok(mut stream) = UnixStream::connect(socket) else {
        return false;
    };
    let mut answer = String::new();
    stream
        .write_all(b"GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
        .is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
