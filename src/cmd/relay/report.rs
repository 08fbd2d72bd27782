//! relay's progress line, its summary (a line on stderr, or JSON on stdout with
//! --json) and its exit status.

use super::args::RelayArgs;
use crate::client::relay::Counts;
use crate::cmd::signals::Stop;
use crate::output;
use std::process::ExitCode;
use std::time::Duration;

/// Why the relay stopped.
#[derive(Debug, Clone)]
pub enum Why {
    Count,
    Idle,
    /// --idle-timeout came while source nodes were unreachable (the line that
    /// names them): the source may hold messages, so this is a failure.
    Unreachable(String),
    Signal(Stop),
    /// A lane failed (its error is in its result).
    Failed,
}

pub struct Outcome<'a> {
    pub channel: &'a str,
    /// Per source topic: its name, the destination's, counts and result.
    pub lanes: Vec<(String, String, Counts, Result<(), String>)>,
    pub why: Why,
    pub elapsed: Duration,
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    ok: bool,
    channel: &'a str,
    relayed: u64,
    filtered: u64,
    requeued: u64,
    seconds: f64,
    messages_per_second: f64,
    topics: Vec<TopicSummary<'a>>,
    error: Option<String>,
}

#[derive(serde::Serialize)]
struct TopicSummary<'a> {
    topic: &'a str,
    to_topic: &'a str,
    #[serde(flatten)]
    counts: Counts,
    error: Option<&'a str>,
}

/// Prints the summary, and returns the exit status: 0 when stopped by -n or
/// --idle-timeout with no lane failed, 130/143 on a signal, else an error (1),
/// also when --idle-timeout came with a source node unreachable.
pub fn finish(args: &RelayArgs, o: Outcome) -> anyhow::Result<ExitCode> {
    let total = o
        .lanes
        .iter()
        .fold(Counts::default(), |a, (_, _, c, _)| Counts {
            relayed: a.relayed + c.relayed,
            filtered: a.filtered + c.filtered,
            requeued: a.requeued + c.requeued,
        });
    let mut errors: Vec<String> = o
        .lanes
        .iter()
        .filter_map(|(t, _, _, r)| r.as_ref().err().map(|e| format!("{t}: {e}")))
        .collect();
    if let Why::Unreachable(line) = &o.why {
        errors.insert(0, format!("{line}; stopping ({} relayed)", total.relayed));
    }
    let error = (!errors.is_empty()).then(|| errors.join("; "));
    let ok = error.is_none() && matches!(o.why, Why::Count | Why::Idle);
    let seconds = o.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        total.relayed as f64 / seconds
    } else {
        0.0
    };
    if args.json {
        let s = Summary {
            ok,
            channel: o.channel,
            relayed: total.relayed,
            filtered: total.filtered,
            requeued: total.requeued,
            seconds,
            messages_per_second: rate,
            topics: o.lanes.iter().map(topic_summary).collect(),
            error: error.clone(),
        };
        println!("{}", serde_json::to_string(&s)?);
    } else {
        say(&o, total, rate);
    }
    match (o.why.clone(), error) {
        (Why::Signal(s), Some(e)) => {
            output::error(&e);
            Ok(ExitCode::from(s.exit_code()))
        }
        (Why::Signal(s), None) => Ok(ExitCode::from(s.exit_code())),
        (_, Some(e)) => Err(anyhow::anyhow!(e)),
        (_, None) => Ok(ExitCode::SUCCESS),
    }
}

fn topic_summary<'a>(lane: &'a (String, String, Counts, Result<(), String>)) -> TopicSummary<'a> {
    TopicSummary {
        topic: &lane.0,
        to_topic: &lane.1,
        counts: lane.2,
        error: lane.3.as_ref().err().map(String::as_str),
    }
}

/// The human summary on stderr (silenced by -q).
fn say(o: &Outcome, total: Counts, rate: f64) {
    let how = match o.why {
        Why::Signal(s) => format!("stopped by {}: ", s.name()),
        _ => String::new(),
    };
    let routes: Vec<String> = o
        .lanes
        .iter()
        .map(|(t, to, _, _)| format!("{t} -> {to}"))
        .collect();
    output::info(&format!(
        "{how}relayed {} message(s) ({} filtered, {} requeued) through channel {}, {} in {} ({rate:.0} msg/s)",
        total.relayed,
        total.filtered,
        total.requeued,
        o.channel,
        routes.join(", "),
        humantime::format_duration(Duration::from_millis(o.elapsed.as_millis() as u64)),
    ));
    if o.lanes.len() > 1 {
        for (t, to, c, _) in &o.lanes {
            output::info(&format!(
                "  {t} -> {to}: {} relayed, {} filtered, {} requeued",
                c.relayed, c.filtered, c.requeued
            ));
        }
    }
}

/// The progress line on a terminal (relayed, rate, filtered, requeued); hidden
/// otherwise and with -q.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn new() -> Progress {
        Progress(output::spinner(Some(
            "{spinner} relayed {human_pos} ({per_sec}), {msg} {elapsed}",
        )))
    }

    pub fn show(&self, lanes: impl Iterator<Item = Counts>) {
        if self.0.is_hidden() {
            return;
        }
        let (mut r, mut f, mut q) = (0, 0, 0);
        for c in lanes {
            (r, f, q) = (r + c.relayed, f + c.filtered, q + c.requeued);
        }
        self.0.set_position(r);
        self.0.set_message(format!("filtered {f}, requeued {q}"));
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
