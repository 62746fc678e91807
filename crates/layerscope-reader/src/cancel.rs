//! Reads that can be called off from another thread: a viewer closed while its file is still
//! being decompressed should not leave the read running to the end of the layer.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

/// Passes reads through until `cancel` is set, then fails each read.
pub(crate) struct Cancellable<'c, R> {
    inner: R,
    cancel: &'c AtomicBool,
}

impl<'c, R> Cancellable<'c, R> {
    pub(crate) fn new(inner: R, cancel: &'c AtomicBool) -> Self {
        Cancellable { inner, cancel }
    }
}

impl<R: Read> Read for Cancellable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(io::Error::other("the read was cancelled"));
        }
        self.inner.read(buf)
    }
}
