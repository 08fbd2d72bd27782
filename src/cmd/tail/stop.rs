//! What a tail run is asked for, why it stops, and the timings both its loops
//! (printing and `--exec`) share.

use crate::client::consumer::Reachability;
use crate::cmd::stall::Stalls;
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

/// When --idle-timeout is next looked at, and whether the last look came late
/// (the process was stopped or starved).
#[derive(Debug, Clone, Copy)]
pub struct IdleDeadline {
    pub at: Instant,
    stalls: Stalls,
}

/// How soon to look again when a look cannot decide yet.
const LOOK_AGAIN: Duration = Duration::from_millis(100);

pub fn idle_deadline(idle: Option<Duration>) -> IdleDeadline {
    // Far enough to never fire when there is no idle timeout.
    IdleDeadline {
        at: Instant::now() + idle.unwrap_or(Duration::from_secs(86400 * 365)),
        stalls: Stalls::default(),
    }
}

/// --idle-timeout's `deadline` passed with nothing to do: [`Stop::Idle`], or
/// [`Stop::Unreachable`] while a source node is unreachable (its messages, if
/// any, were not taken); None, with `deadline` moved, when a node subscribed
/// (again) less than the timeout ago (it may still have messages), a first
/// attempt is under way, or this look came late after a stall ([`Stalls`]: tail
/// reads what waited in its socket before the next look).
pub fn idle_over(
    idle: Option<Duration>,
    reach: &Reachability,
    deadline: &mut IdleDeadline,
) -> Option<Stop> {
    let limit = idle?;
    let now = Instant::now();
    let woke = deadline
        .stalls
        .hold_back(now.saturating_duration_since(deadline.at));
    if woke || reach.connecting() {
        // Just woken, or a first attempt under way (neither idle nor
        // unreachable): look again soon.
        deadline.at = now + LOOK_AGAIN;
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
        deadline.at = now + left;
        return None;
    }
    Some(Stop::Idle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_late_look_waits_for_one_more_then_the_time_runs_out() {
        let reach = Reachability::default();
        let idle = Some(Duration::from_secs(1));
        let mut d = idle_deadline(idle);
        // On time: idle.
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(matches!(idle_over(idle, &reach, &mut d), Some(Stop::Idle)));
        // Late (stopped for 5s): one more look first.
        let mut d = idle_deadline(idle);
        tokio::time::advance(Duration::from_secs(6)).await;
        assert!(idle_over(idle, &reach, &mut d).is_none());
        assert_eq!(d.at, Instant::now() + LOOK_AGAIN);
        tokio::time::advance(LOOK_AGAIN).await;
        assert!(matches!(idle_over(idle, &reach, &mut d), Some(Stop::Idle)));
        // Every look late: the second one decides.
        let mut d = idle_deadline(idle);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(idle_over(idle, &reach, &mut d).is_none());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(matches!(idle_over(idle, &reach, &mut d), Some(Stop::Idle)));
    }
}
