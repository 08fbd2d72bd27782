//! Where output goes: stdout is data, stderr is for people. Colours only on a
//! terminal (or `--color always`), never with `NO_COLOR` or `--color never`.

use crate::cli::{ColorChoice, GlobalArgs};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);
static VERBOSE: AtomicU8 = AtomicU8::new(0);
static STDERR_COLOR: AtomicBool = AtomicBool::new(false);
static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);

pub fn init(g: &GlobalArgs) {
    QUIET.store(g.quiet, Ordering::Relaxed);
    VERBOSE.store(g.verbose, Ordering::Relaxed);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (out, err) = match g.color {
        ColorChoice::Always => (true, true),
        ColorChoice::Never => (false, false),
        ColorChoice::Auto => (
            !no_color && std::io::stdout().is_terminal(),
            !no_color && std::io::stderr().is_terminal(),
        ),
    };
    STDOUT_COLOR.store(out, Ordering::Relaxed);
    STDERR_COLOR.store(err, Ordering::Relaxed);
    colored::control::set_override(out);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

pub fn verbosity() -> u8 {
    VERBOSE.load(Ordering::Relaxed)
}

pub fn stdout_color() -> bool {
    STDOUT_COLOR.load(Ordering::Relaxed)
}

pub fn stderr_color() -> bool {
    STDERR_COLOR.load(Ordering::Relaxed)
}

/// An error line on stderr (always printed, even with -q).
pub fn error(msg: &str) {
    if stderr_color() {
        eprintln!("\x1b[1;31merror:\x1b[0m {msg}");
    } else {
        eprintln!("error: {msg}");
    }
}

/// A warning on stderr (always printed).
pub fn warn(msg: &str) {
    if stderr_color() {
        eprintln!("\x1b[1;33mwarning:\x1b[0m {msg}");
    } else {
        eprintln!("warning: {msg}");
    }
}

/// Chatter for people on stderr; silenced by -q.
pub fn info(msg: &str) {
    if !quiet() {
        eprintln!("{msg}");
    }
}

/// Detail shown with -v.
pub fn debug(msg: &str) {
    if verbosity() > 0 && !quiet() {
        eprintln!("{msg}");
    }
}
