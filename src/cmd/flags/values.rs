//! The value parsers of the flags (durations, counts, rates) and the bounds they
//! check: a value outside is refused at parse time (exit 2) with the rule.

use std::time::Duration;

/// Shortest value of a duration that must be above zero.
pub const ABOVE_ZERO: Duration = Duration::from_nanos(1);
/// One second: the shortest heartbeat nsqd accepts, and other lower bounds.
pub const SECOND: Duration = Duration::from_secs(1);
/// nsqd's default --max-req-timeout: the longest REQ or DPUB delay it accepts.
const MAX_REQ_TIMEOUT: Duration = Duration::from_secs(3600);
const NSQD_REQ_LIMIT: &str =
    "nsqd's default --max-req-timeout: it refuses a longer delay with E_INVALID";

/// The value parser of every bounded duration flag: [`parse_duration`], then
/// `min..=max`; a value outside is refused at parse time (exit 2) with the rule,
/// and `why` when the bound is someone else's (nsqd's).
pub fn duration_within(
    min: Duration,
    max: Duration,
    why: &'static str,
) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    move |s| {
        let d = parse_duration(s)?;
        let rule = if d < min && min == ABOVE_ZERO {
            "it must be above 0".to_string()
        } else if d < min {
            format!("it must be at least {}", humantime::format_duration(min))
        } else if d > max {
            format!("it must be at most {}", humantime::format_duration(max))
        } else {
            return Ok(d);
        };
        Err(if why.is_empty() {
            rule
        } else {
            format!("{rule} ({why})")
        })
    }
}

/// The value parser of a duration that must be above zero (timeouts, --duration).
pub fn above_zero() -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    duration_within(ABOVE_ZERO, Duration::MAX, "")
}

/// The value parser of a delay nsqd applies to a message (DPUB's --defer, REQ's
/// --requeue-delay): 0 up to nsqd's default --max-req-timeout.
pub fn nsqd_delay() -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    duration_within(Duration::ZERO, MAX_REQ_TIMEOUT, NSQD_REQ_LIMIT)
}

/// A number of messages per second: finite and above 0 (`0.5` is one every 2s).
pub fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        Ok(_) => Err("it must be a number of messages per second above 0".into()),
        Err(e) => Err(format!(
            "{e}: it must be a number of messages per second above 0"
        )),
    }
}

/// The value parser of every integer flag with a lower bound (counts, sizes,
/// thresholds): a whole number, at least `min`.
pub fn at_least<T>(min: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |s| match s.parse::<T>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(format!("it must be a whole number, at least {min}")),
    }
}

/// Parses durations the way NSQ users write them: `60s`, `1h`, `250ms`, `1m30s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| {
        format!("invalid duration {s:?}: {e} (use a number with a unit, e.g. 500ms, 60s, 1h)")
    })
}
