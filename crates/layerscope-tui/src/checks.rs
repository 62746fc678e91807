//! Digest checks that run beside the explorer: it opens on trees read without them, shows that
//! they are running, and stops with their error if one fails.

use std::sync::mpsc::{Receiver, TryRecvError};

use crate::app::App;

/// What the checks answer once: `Ok` when every digest matched, or the error line to stop with.
pub type CheckAnswer = Result<(), String>;

/// The checks themselves, run once on a thread of their own.
pub type Checker = Box<dyn FnOnce() -> CheckAnswer + Send>;

/// Where the digest checks stand, as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digests {
    /// Checked before the explorer opened, or not asked for: nothing to show.
    Settled,
    /// Still running beside the explorer.
    Checking,
    /// Finished beside the explorer, every digest matched.
    Checked,
}

/// The answer still to come, and what came.
pub(crate) struct Checks {
    answer: Receiver<CheckAnswer>,
    done: bool,
}

impl Digests {
    /// The status bar's words, if any.
    pub(crate) fn label(self) -> Option<&'static str> {
        match self {
            Digests::Settled => None,
            Digests::Checking => Some("checking digests…"),
            Digests::Checked => Some("digests checked"),
        }
    }
}

impl App<'_> {
    /// Starts CHECK on a thread of its own, its answer awaited by [`App::poll_checks`].
    pub(crate) fn start_checks(&mut self, check: Checker) {
        let (answer, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // The session may have ended; nobody is left to tell.
            let _ = answer.send(check());
        });
        self.checking_digests(answers);
    }

    /// The explorer shows trees whose digests are still being checked; ANSWER brings the result.
    pub fn checking_digests(&mut self, answer: Receiver<CheckAnswer>) {
        self.checks = Some(Checks {
            answer,
            done: false,
        });
    }

    /// Where the digest checks stand.
    pub fn digests(&self) -> Digests {
        match &self.checks {
            None => Digests::Settled,
            Some(c) if c.done => Digests::Checked,
            Some(_) => Digests::Checking,
        }
    }

    /// Takes the checks' answer if it has come, without waiting. A failed check, or checks that
    /// ended without an answer, give the line the session stops with.
    ///
    /// # Errors
    /// The failed check's error line.
    pub fn poll_checks(&mut self) -> Result<(), String> {
        let Some(checks) = self.checks.as_mut().filter(|c| !c.done) else {
            return Ok(());
        };
        match checks.answer.try_recv() {
            Ok(Ok(())) => {
                checks.done = true;
                Ok(())
            }
            Ok(Err(line)) => Err(line),
            Err(TryRecvError::Empty) => Ok(()),
            Err(TryRecvError::Disconnected) => {
                Err("the digest checks ended without an answer".to_owned())
            }
        }
    }
}
