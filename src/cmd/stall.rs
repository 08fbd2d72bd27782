//! The `--idle-timeout` rule tail and relay share for a process that was not
//! running for a while (SIGSTOP, a starved machine): time it did not watch is
//! not quiet time, and what arrived meanwhile may still be unread in its socket.

use std::time::Duration;

/// A look at the idle clock this much later than due means the process itself
/// was stalled.
pub const STALL: Duration = Duration::from_millis(200);

/// Remembers whether the last look was stalled.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stalls {
    stalled: bool,
}

impl Stalls {
    /// Whether a look that came `late` must wait for one more before deciding:
    /// the first of a run of stalled looks does (the process reads its sockets
    /// meanwhile); on a machine where every look stalls, the time still runs out.
    pub fn hold_back(&mut self, late: Duration) -> bool {
        let stalled = late > STALL;
        let first = stalled && !self.stalled;
        self.stalled = stalled;
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_of_a_run_of_stalled_looks_is_held_back() {
        let mut s = Stalls::default();
        let ms = Duration::from_millis;
        let held: Vec<bool> = [50, 300, 300, 50, 250, 50]
            .into_iter()
            .map(|l| s.hold_back(ms(l)))
            .collect();
        assert_eq!(held, [false, true, false, false, true, false]);
    }
}
