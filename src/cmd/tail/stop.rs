//! What a tail run is asked for, why it stops, and the timings both its loops
//! (printing and `--exec`) share.

use std::time::Duration;
use tokio::time::Instant;

/// How long to wait, once stopping, for nsqd to confirm CLS and for our last FIN/REQ
/// to be written. Bounded so that a vanished node cannot hang the exit.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub enum Stop {
    Count,
    Idle,
    Signal,
    StdoutClosed,
    StdoutError(std::io::Error),
    /// A failure reconnecting cannot fix (refused AUTH, bad certificate, ...).
    Fatal(String),
}

pub struct Settings {
    pub topic: String,
    pub channel: String,
    pub count: Option<u64>,
    pub idle: Option<Duration>,
    pub max_in_flight: u64,
}

/// The SIGINT/SIGTERM tail receives: the first stops cleanly, a second one skips
/// waiting for the last FIN/REQ/CLS round trips.
pub use crate::cmd::signals::Signals;

pub fn idle_deadline(idle: Option<Duration>) -> Instant {
    // Far enough to never fire when there is no idle timeout.
    Instant::now() + idle.unwrap_or(Duration::from_secs(86400 * 365))
}
