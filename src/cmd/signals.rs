//! SIGINT/SIGTERM as a stream of values, for commands that stop cleanly on a
//! signal and then exit with the shell's status for it (128 + the signal number).

use anyhow::Context;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

/// A stopping signal that arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Interrupt,
    Terminate,
}

impl Stop {
    pub fn name(self) -> &'static str {
        match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
        }
    }

    /// The signal's number (to pass it on to child processes).
    pub fn number(self) -> libc::c_int {
        match self {
            Stop::Interrupt => libc::SIGINT,
            Stop::Terminate => libc::SIGTERM,
        }
    }

    /// The exit status a shell reports for a process killed by this signal.
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
        }
    }
}

/// Every SIGINT/SIGTERM from the moment of `install` on (they no longer kill the
/// process): the first asks for a clean stop, a second one for a quick one.
pub struct Signals(mpsc::UnboundedReceiver<Stop>);

impl Signals {
    pub fn install() -> anyhow::Result<Signals> {
        let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let s = tokio::select! {
                    _ = int.recv() => Stop::Interrupt,
                    _ = term.recv() => Stop::Terminate,
                };
                if tx.send(s).is_err() {
                    return;
                }
            }
        });
        Ok(Signals(rx))
    }

    /// The next signal (never returns if none comes).
    pub async fn recv(&mut self) -> Stop {
        match self.0.recv().await {
            Some(s) => s,
            None => std::future::pending().await,
        }
    }
}
