//! Podman without its API service: the podman command itself, `image exists`, `image inspect`,
//! and `image save` streaming the archive through its standard output.

use std::collections::HashMap;
use std::io::{self, Read};
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

use crate::error::EngineError;
use crate::image::ImageInfo;

/// Most bytes of podman's stderr kept: the end of it, where its error is.
const STDERR_KEPT: usize = 64 * 1024;
/// Most bytes of `podman image inspect` output accepted.
const INSPECT_LIMIT: usize = 1 << 20;

/// One podman binary, run with the given environment and nothing else.
pub(crate) struct Podman<'a> {
    pub(crate) binary: &'a Path,
    pub(crate) vars: &'a HashMap<String, String>,
    /// The engine as errors name it.
    pub(crate) engine: &'a str,
}

impl Podman<'_> {
    fn command(&self, args: &[&str], reference: &str) -> Command {
        let mut command = Command::new(self.binary);
        // `--` so that a reference that starts with `-` is not read as an option.
        command
            .args(args)
            .arg("--")
            .arg(reference)
            .env_clear()
            .envs(self.vars)
            .stdin(Stdio::null());
        command
    }

    fn spawn_error(&self, e: &io::Error) -> EngineError {
        EngineError::Spawn {
            engine: self.engine.to_owned(),
            program: crate::text::one_line(&self.binary.to_string_lossy()),
            reason: crate::text::quoted(&e.to_string()),
        }
    }

    fn failed(&self, what: &str, status: ExitStatus, stderr: &[u8]) -> EngineError {
        EngineError::Podman {
            engine: self.engine.to_owned(),
            what: what.to_owned(),
            status: status_text(status),
            stderr: crate::text::last_line(stderr),
        }
    }

    /// `podman image exists`: exit 0 is yes, 1 is no, anything else a failure.
    pub(crate) fn exists(&self, reference: &str, what: &str) -> Result<(), EngineError> {
        let output = self
            .command(&["image", "exists"], reference)
            .stdout(Stdio::null())
            .output()
            .map_err(|e| self.spawn_error(&e))?;
        match output.status.code() {
            Some(0) => Ok(()),
            Some(1) => Err(EngineError::NoSuchImage {
                engine: self.engine.to_owned(),
                reference: crate::text::cut(reference),
                tool: "podman",
            }),
            _ => Err(self.failed(what, output.status, &output.stderr)),
        }
    }

    /// `podman image inspect --format json`, after `exists` so that a missing image is told
    /// apart from a podman that fails.
    pub(crate) fn inspect(&self, reference: &str, what: &str) -> Result<ImageInfo, EngineError> {
        self.exists(reference, what)?;
        let output = self
            .command(&["image", "inspect", "--format", "json"], reference)
            .output()
            .map_err(|e| self.spawn_error(&e))?;
        if !output.status.success() {
            return Err(self.failed(what, output.status, &output.stderr));
        }
        let malformed = |reason: String| EngineError::BadResponse {
            engine: self.engine.to_owned(),
            what: what.to_owned(),
            reason: crate::text::quoted(&reason),
        };
        if output.stdout.len() > INSPECT_LIMIT {
            return Err(malformed(format!(
                "its output is larger than {} MiB",
                INSPECT_LIMIT >> 20
            )));
        }
        ImageInfo::from_json_array(&output.stdout).map_err(malformed)
    }

    /// `podman image save --format docker-archive`, its standard output as the stream. Podman
    /// writes the archive there when it is not a terminal.
    pub(crate) fn save(&self, reference: &str, what: &str) -> Result<Save, EngineError> {
        self.exists(reference, what)?;
        let mut child = self
            .command(&["image", "save", "--format", "docker-archive"], reference)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(&e))?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(self.spawn_error(&io::Error::other("its pipes were not set up")));
        };
        // Drained on its own thread, so that a podman with much to say never blocks on a
        // full stderr pipe while the caller reads stdout.
        let stderr = std::thread::Builder::new()
            .name("podman-stderr".into())
            .spawn(move || tail(stderr))
            .map_err(|e| {
                let _ = child.kill();
                let _ = child.wait();
                self.spawn_error(&e)
            })?;
        Ok(Save {
            child,
            stdout,
            stderr: Some(stderr),
            engine: self.engine.to_owned(),
            what: what.to_owned(),
            read: 0,
            state: State::Running,
        })
    }
}

/// The last [`STDERR_KEPT`] bytes a pipe carries until it closes.
fn tail(mut pipe: impl Read) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * STDERR_KEPT {
                    kept.drain(..kept.len() - STDERR_KEPT);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if kept.len() > STDERR_KEPT {
        kept.drain(..kept.len() - STDERR_KEPT);
    }
    kept
}

/// `exit status 125`, `killed by signal 9`.
fn status_text(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => status.to_string(),
    }
}

#[derive(Debug)]
enum State {
    Running,
    /// Reaped, exit 0: the stream is whole.
    Finished,
    /// Reaped or not, the error to give again.
    Failed(EngineError),
}

/// `podman image save` as it runs: its stdout as a `Read`, its exit status checked when stdout
/// ends. Dropped early, it kills and reaps podman.
pub(crate) struct Save {
    child: Child,
    stdout: ChildStdout,
    stderr: Option<JoinHandle<Vec<u8>>>,
    engine: String,
    what: String,
    read: u64,
    state: State,
}

impl Save {
    /// Called at the end of stdout: waits for podman and reads what it said.
    fn finish(&mut self) -> Result<(), EngineError> {
        let status = self.child.wait().map_err(|e| EngineError::Body {
            engine: self.engine.clone(),
            what: self.what.clone(),
            read: self.read,
            reason: format!(
                "waiting for podman: {}",
                crate::text::quoted(&e.to_string())
            ),
        })?;
        // podman has exited, so its stderr is closed and the thread ends.
        let stderr = self
            .stderr
            .take()
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default();
        if status.success() {
            Ok(())
        } else {
            Err(EngineError::Podman {
                engine: self.engine.clone(),
                what: format!("{} after {} bytes", self.what, self.read),
                status: status_text(status),
                stderr: crate::text::last_line(&stderr),
            })
        }
    }
}

impl Read for Save {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &self.state {
            State::Finished => return Ok(0),
            State::Failed(error) => return Err(error.clone().into_io()),
            State::Running => {}
        }
        match self.stdout.read(buf) {
            Ok(0) if !buf.is_empty() => match self.finish() {
                Ok(()) => {
                    self.state = State::Finished;
                    Ok(0)
                }
                Err(error) => {
                    self.state = State::Failed(error.clone());
                    Err(error.into_io())
                }
            },
            Ok(n) => {
                self.read += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let error = EngineError::body(&self.engine, &self.what, self.read, &e);
                self.state = State::Failed(error.clone());
                Err(error.into_io())
            }
        }
    }
}

impl Drop for Save {
    fn drop(&mut self) {
        // Finished means reaped. Otherwise podman may still be writing: kill it and reap it
        // (killing one that has already exited does no harm), so that no zombie is left. The
        // stderr thread is not joined; it ends when the pipe closes.
        if !matches!(self.state, State::Finished) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
