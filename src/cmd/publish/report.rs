//! publish's report: the one-line summary or the JSON one, the error with what
//! was acknowledged and where to resume, and the exit status.

use super::args::{InputFormat, PublishArgs};
use super::input::RecordName;
use crate::client::pool::{Mark, Pool};
use crate::cmd::signals::Stop;
use crate::output;
use std::process::ExitCode;
use std::time::Duration;

/// Why a run ended before every message was acknowledged.
pub(super) enum Stopped {
    Failed(Failed),
    Signal(Stop),
}

pub(super) struct Failed {
    pub error: String,
    /// nsqd would refuse the input itself (exit 2 when nothing was sent).
    pub refused: bool,
}

impl From<String> for Failed {
    fn from(error: String) -> Failed {
        Failed {
            error,
            refused: false,
        }
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    ok: bool,
    topic: &'a str,
    nodes: Vec<NodeSummary>,
    transport: &'static str,
    messages: u64,
    bytes: u64,
    seconds: f64,
    messages_per_second: f64,
    skipped_empty: u64,
    sent: u64,
    error: Option<String>,
    /// Where the first unacknowledged message is in the input.
    resume: Option<Resume>,
}

/// One node of the JSON summary: what it acknowledged.
#[derive(serde::Serialize)]
struct NodeSummary {
    node: String,
    acknowledged: u64,
}

#[derive(serde::Serialize, Clone, Copy)]
struct Resume {
    unit: &'static str,
    number: u64,
    byte_offset: u64,
}

impl Resume {
    /// The first message not acknowledged, or where the input stopped.
    fn of(run: &Outcome) -> Resume {
        let name = run.name;
        let mark = run.pool.first_unacknowledged().unwrap_or(run.position);
        Resume {
            unit: name.singular(),
            number: mark.record,
            byte_offset: mark.offset,
        }
    }
}

/// What a run did, for the report.
pub(super) struct Outcome<'a> {
    pub pool: &'a Pool,
    /// Empty records skipped.
    pub skipped: u64,
    /// Where the input stands after what was given to the pool.
    pub position: Mark,
    pub name: RecordName,
    pub elapsed: Duration,
}

/// Prints the summary (stderr; stdout with --json) and picks the exit status.
pub(super) fn finish(
    args: &PublishArgs,
    run: Outcome,
    stopped: Option<Stopped>,
) -> anyhow::Result<ExitCode> {
    let (acked, acked_bytes) = run.pool.acknowledged();
    let elapsed = run.elapsed.as_secs_f64();
    let rate = if elapsed > 0.0 {
        acked as f64 / elapsed
    } else {
        0.0
    };
    if run.skipped > 0 {
        let plural = if run.skipped == 1 { "" } else { "s" };
        let what = if args.input_format == InputFormat::Json {
            format!(
                "blank line{plural} or empty bod{}",
                if run.skipped == 1 { "y" } else { "ies" }
            )
        } else {
            format!("empty {}{plural}", run.name.singular())
        };
        output::warn(&format!(
            "skipped {} {what}: NSQ refuses empty messages",
            run.skipped
        ));
    }
    let resume = Resume::of(&run);
    let (error, code) = error_and_code(&run, resume, stopped);
    if args.json {
        let s = Summary {
            ok: error.is_none(),
            topic: &args.topic,
            nodes: run
                .pool
                .node_acks()
                .map(|(a, acknowledged)| NodeSummary {
                    node: crate::nsq_http::display_addr(a),
                    acknowledged,
                })
                .collect(),
            transport: if args.http { "http" } else { "tcp" },
            messages: acked,
            bytes: acked_bytes,
            seconds: (elapsed * 1000.0).round() / 1000.0,
            messages_per_second: rate.round(),
            skipped_empty: run.skipped,
            sent: run.pool.sent(),
            error: error.clone(),
            resume: error.is_some().then_some(resume),
        };
        println!("{}", serde_json::to_string(&s)?);
    } else if error.is_none() {
        output::info(&format!(
            "published {} message{} ({}) to {} in {:.2}s ({:.0} msg/s)",
            acked,
            if acked == 1 { "" } else { "s" },
            human_bytes(acked_bytes),
            args.topic,
            elapsed,
            rate
        ));
    }
    if let Some(e) = error {
        output::error(&e);
    }
    Ok(ExitCode::from(code))
}

/// The error to report (with what was acknowledged and where to resume) and the
/// exit status.
fn error_and_code(run: &Outcome, resume: Resume, stopped: Option<Stopped>) -> (Option<String>, u8) {
    let sent = run.pool.sent();
    let signalled = matches!(stopped, Some(Stopped::Signal(_)));
    let (cause, code) = match stopped {
        None => (None, 0),
        Some(Stopped::Signal(s)) => (Some(format!("interrupted by {}", s.name())), s.exit_code()),
        Some(Stopped::Failed(f)) => {
            let code = if f.refused && sent == 0 { 2 } else { 1 };
            (Some(f.error), code)
        }
    };
    let error = cause.map(|cause| {
        // A failure before anything was sent: the cause says it all.
        if sent == 0 && !signalled {
            return cause;
        }
        let mut msg = format!(
            "{cause}; {} of {} messages sent were acknowledged; unacknowledged messages start at {} {}",
            run.pool.acknowledged().0, sent, resume.unit, resume.number
        );
        if run.name != RecordName::Message {
            msg.push_str(&format!(" (byte offset {})", resume.byte_offset));
        }
        msg
    });
    (error, code)
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let mut v = b as f64;
    let mut unit = "B";
    for u in UNITS {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}
