//! Where output goes: stdout is data, stderr is for people. Colours only on a
//! terminal (or `--color always`), never with `NO_COLOR` or `--color never`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);
static VERBOSE: AtomicU8 = AtomicU8::new(0);
static STDERR_COLOR: AtomicBool = AtomicBool::new(false);
static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);

/// Sets the output up for the run: `color` forced on or off (`--color always`,
/// `never`), or `None` for colours on a terminal unless `NO_COLOR` is set;
/// `quiet` (-q) and `verbose` (-v count).
pub fn init(color: Option<bool>, quiet: bool, verbose: u8) {
    QUIET.store(quiet, Ordering::Relaxed);
    VERBOSE.store(verbose, Ordering::Relaxed);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (out, err) = match color {
        Some(on) => (on, on),
        None => (
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

/// A spinner line on stderr, ticking, with `template` (indicatif's syntax;
/// None: the plain spinner and its message): only on a terminal and without
/// -q, else hidden (its methods then do nothing).
pub fn spinner(template: Option<&str>) -> indicatif::ProgressBar {
    if quiet() || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    if let Some(t) = template {
        pb.set_style(
            indicatif::ProgressStyle::with_template(t)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
    }
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}
