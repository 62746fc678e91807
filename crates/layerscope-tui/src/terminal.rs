//! The real terminal: raw mode, the alternate screen and mouse capture on the way in, all of
//! it undone on the way out, whether the explorer returns, fails or panics.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, KeyboardEnhancementFlags, PopKeyboardEnhancementFlags,
    PushKeyboardEnhancementFlags,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
    supports_keyboard_enhancement,
};

use crate::app::App;
use crate::checks::{Checker, Digests};
use crate::draw::draw;

/// How often the screen looks for a file being read for the viewer.
const READ_POLL: std::time::Duration = std::time::Duration::from_millis(40);
/// How often the screen looks for the answer of the digest checks running beside it.
const CHECK_POLL: std::time::Duration = std::time::Duration::from_millis(200);

/// True while the terminal is in the explorer's state, so the panic hook restores it once.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether keyboard enhancement was pushed, so it is popped on every way out.
static ENHANCED: AtomicBool = AtomicBool::new(false);

/// Why the explorer stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
    /// A digest checked beside the explorer did not match: the line the check failed with.
    #[error("{0}")]
    Check(String),
}

/// Puts the terminal back as it was. Safe to call more than once.
fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if ENHANCED.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, PopKeyboardEnhancementFlags);
    }
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Owns the terminal while the explorer runs; dropping it restores the terminal.
struct Session {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Session {
    fn start() -> Result<Self, TuiError> {
        install_panic_hook();
        enter()?;
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Session { terminal }),
            Err(e) => {
                restore();
                Err(e.into())
            }
        }
    }

    /// `ctrl+z`, as in dive: give the terminal back, stop until the shell's `fg`, then take it
    /// again and redraw. The stop is sent by the `kill` command, which keeps this crate free of
    /// unsafe signal calls; without one, the explorer says so and carries on.
    fn suspend(&mut self) -> Result<Option<String>, TuiError> {
        restore();
        let stopped = std::process::Command::new("kill")
            .args(["-TSTP", &std::process::id().to_string()])
            .status();
        enter()?;
        self.terminal.clear()?;
        Ok(match stopped {
            Ok(status) if status.success() => None,
            _ => Some("cannot suspend: no `kill` command".to_owned()),
        })
    }
}

/// Raw mode, the alternate screen and the mouse: the explorer's terminal.
fn enter() -> Result<(), TuiError> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, EnableMouseCapture) {
        restore();
        return Err(e.into());
    }
    // Terminals that speak the kitty protocol then tell ctrl+m from Enter and ctrl+h from
    // Backspace, which dive's bindings need; others keep sending the legacy codes.
    if supports_keyboard_enhancement().unwrap_or(false)
        && execute!(
            out,
            PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
        )
        .is_ok()
    {
        ENHANCED.store(true, Ordering::SeqCst);
    }
    Ok(())
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first, so the panic message lands on the normal screen, readable.
        restore();
        previous(info);
    }));
}

/// Runs the event loop until the user quits.
///
/// With CHECKS, they start once the first screen is drawn, so they do not slow it down.
pub fn run_app(app: &mut App<'_>, mut checks: Option<Checker>) -> Result<(), TuiError> {
    let mut session = Session::start()?;
    let size = session.terminal.size()?;
    app.resize(size.width, size.height);
    loop {
        app.poll_content();
        app.poll_checks().map_err(TuiError::Check)?;
        session.terminal.draw(|frame| draw(frame, app))?;
        if let Some(check) = checks.take() {
            app.start_checks(check);
            continue;
        }
        // While a file is read for the viewer or the digests are checked, wake up now and then
        // to show what came.
        let wake = if app.is_reading() {
            Some(READ_POLL)
        } else if app.digests() == Digests::Checking {
            Some(CHECK_POLL)
        } else {
            None
        };
        if let Some(wait) = wake
            && !event::poll(wait)?
        {
            continue;
        }
        let event = event::read()?;
        if is_suspend(&event) {
            if let Some(message) = session.suspend()? {
                app.message = Some(message);
            }
            continue;
        }
        app.handle(&event);
        if app.should_quit() {
            return Ok(());
        }
    }
}

/// `ctrl+z` is dive's hard-wired suspend key, not a configurable binding.
fn is_suspend(event: &Event) -> bool {
    matches!(
        event,
        Event::Key(KeyEvent {
            code: KeyCode::Char('z'),
            modifiers,
            kind: KeyEventKind::Press,
            ..
        }) if modifiers.contains(KeyModifiers::CONTROL)
    )
}
