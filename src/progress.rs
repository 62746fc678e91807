//! A one-line progress display on stderr while layers are read, on a terminal only.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use layerscope_reader::Progress;

/// Draws until dropped; then clears its line.
pub struct Display {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Display {
    /// Starts drawing when stderr is a terminal; otherwise does nothing.
    pub fn start(progress: &Arc<Progress>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Display {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel();
        let progress = Arc::clone(progress);
        let thread = std::thread::spawn(move || {
            // Quick loads finish before the first frame and never draw.
            let mut wait = Duration::from_millis(250);
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                draw(&progress);
                wait = Duration::from_millis(100);
            }
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        });
        Display {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

fn draw(p: &Progress) {
    let done = p.layers_done.load(Ordering::Relaxed);
    let total = p.layers_total.load(Ordering::Relaxed);
    let read = layerscope_format::bytes(p.bytes_read.load(Ordering::Relaxed));
    let of = p.bytes_total.load(Ordering::Relaxed);
    let layers = if total > 0 {
        format!("{done}/{total}")
    } else {
        done.to_string()
    };
    let bytes = if of > 0 {
        format!("{read} of {}", layerscope_format::bytes(of))
    } else {
        read
    };
    let _ = write!(
        std::io::stderr(),
        "\r\x1b[KReading layers {layers} · {bytes}"
    );
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
