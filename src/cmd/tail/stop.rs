//! What a tail run is asked for, why it stops, and the timings both its loops
//! (printing and `--exec`) share.

use crate::client::consumer::Reachability;
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
    /// --idle-timeout came while source nodes were unreachable (the line that
    /// names them): not drained, a failure.
    Unreachable(String),
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

/// --idle-timeout's `deadline` passed with nothing to do: [`Stop::Idle`], or
/// [`Stop::Unreachable`] while a source node is unreachable (its messages, if
/// any, were not taken); None, with `deadline` moved, when a node subscribed
/// (again) less than the timeout ago (it may still have messages) or a first
/// attempt is under way.
pub fn idle_over(
    idle: Option<Duration>,
    reach: &Reachability,
    deadline: &mut Instant,
) -> Option<Stop> {
    let limit = idle?;
    if reach.connecting() {
        // A first attempt under way is neither idle nor unreachable: look again soon.
        *deadline = Instant::now() + Duration::from_millis(100);
        return None;
    }
    if let Some(line) = crate::cmd::consumer_events::unreachable(reach.unreachable()) {
        return Some(Stop::Unreachable(line));
    }
    let since_up = reach.last_up().map(|t| t.elapsed());
    if let Some(left) = since_up
        .and_then(|d| limit.checked_sub(d))
        .filter(|l| !l.is_zero())
    {
        *deadline = Instant::now() + left;
        return None;
    }
    Some(Stop::Idle)
}
