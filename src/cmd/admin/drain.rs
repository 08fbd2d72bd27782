//! `nsq-cli node drain` and `node undrain`: take an nsqd out of service through
//! the lookupds' tombstones, and wait until it holds no message.

use super::args::DrainArgs;
use super::{execute, locate, lookupds_for, steps_for, StepResult};
use crate::nsq_http::backlog::{self, Held};
use crate::nsq_http::cluster::{self, Node, NodeTopic, Role};
use crate::nsq_http::{display_addr, Client};
use crate::output;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How often `--wait` asks again.
const POLL: Duration = Duration::from_millis(500);
/// How often drain re-sends its tombstones while waiting: well within
/// nsqlookupd's default --tombstone-lifetime (45s), after which a tombstone lapses.
const RETOMBSTONE: Duration = Duration::from_secs(10);

#[derive(Debug, Serialize)]
struct DrainReport {
    action: &'static str,
    /// The nsqd, by its HTTP address (as `node tombstone` names it).
    node: String,
    tcp_address: String,
    ok: bool,
    /// One per lookupd and topic.
    results: Vec<StepResult>,
    /// With --wait: whether the node held nothing at the end (null without).
    safe: Option<bool>,
    /// With --wait: seconds waited.
    waited_seconds: Option<f64>,
    /// What the node still held at the end (with --wait).
    left: Vec<Held>,
    /// The node's last /stats error, if its last answer was one.
    error: Option<String>,
}

/// Per lookupd that answered, the topics it lists for `node` (with their
/// tombstone flags); and the lookupds that did not answer, with the error.
async fn registrations(
    client: &Client,
    lookupds: &[String],
    node: &Node,
) -> (Vec<(String, Vec<NodeTopic>)>, Vec<(String, String)>) {
    let g = cluster::gather_nodes(client, lookupds).await;
    let failures = g
        .failures
        .iter()
        .map(|(a, e)| (a.clone(), format!("did not answer /nodes: {e}")))
        .collect();
    let answers = g
        .answers
        .iter()
        .map(|(a, resp)| {
            let topics = cluster::merge_producers(resp.producers.iter().cloned())
                .into_iter()
                .find(|n| n.is_named(&node.lookupd_node_name()))
                .map(|n| n.topics)
                .unwrap_or_default();
            (a.clone(), topics)
        })
        .collect();
    (answers, failures)
}

/// Tombstones, on each lookupd, the topics it lists for `node`: nsqlookupd
/// answers 200 to a tombstone of a producer it does not have, so only those
/// are sent (and reported). A lookupd that does not list its nodes is a failed
/// step: its consumers would still be sent to the node.
async fn tombstone_all(client: &Client, lookupds: &[String], node: &Node) -> Vec<StepResult> {
    let name = node.lookupd_node_name();
    let (answers, failures) = registrations(client, lookupds, node).await;
    let mut out: Vec<StepResult> = failures
        .into_iter()
        .map(|(a, e)| StepResult {
            role: Role::Lookupd,
            node: display_addr(&a),
            status: "failed",
            error: Some(e),
            topic: None,
        })
        .collect();
    for (lookupd, topics) in answers {
        let steps = steps_for(Role::Lookupd, &[lookupd], &["/topic/tombstone"], false);
        for t in topics {
            let q = vec![
                ("topic".to_string(), t.topic.clone()),
                ("node".to_string(), name.clone()),
            ];
            for mut r in execute(client, &steps, &q).await {
                r.topic = Some(t.topic.clone());
                out.push(r);
            }
        }
    }
    out
}

/// Sends the tombstones again (with any topic registered since); a failure is
/// a warning, as the first round succeeded.
async fn retombstone(client: &Client, lookupds: &[String], node: &Node, bar: &Progress) {
    for r in tombstone_all(client, lookupds, node).await {
        if let Some(e) = r.error {
            bar.suspend(|| output::warn(&format!("re-sending the tombstones: {e}")));
        }
    }
}

pub async fn drain(args: DrainArgs) -> anyhow::Result<ExitCode> {
    let lookupds = lookupds_for(&args.cluster, None)?;
    let client = args.cluster.http.client()?;
    let (_, node) = locate(&client, &lookupds, &args.node).await?;
    let results = tombstone_all(&client, &lookupds, &node).await;
    let tombstoned = results.iter().all(|r| r.status != "failed");
    let mut report = DrainReport {
        action: "node drain",
        node: node.node.clone(),
        tcp_address: node.tcp_address.clone(),
        ok: tombstoned,
        results,
        safe: None,
        waited_seconds: None,
        left: Vec::new(),
        error: None,
    };
    if !args.json {
        write_out(&tombstone_text(&report))?;
    }
    if tombstoned && args.wait.wait {
        let start = Instant::now();
        let w = wait_empty(&client, &lookupds, &node, args.wait.timeout).await;
        report.waited_seconds = Some(start.elapsed().as_secs_f64());
        report.ok = w.error.is_none() && w.left.is_empty();
        report.safe = Some(report.ok);
        (report.left, report.error) = (w.left, w.error);
    }
    print_drain(&report, args.json, args.wait.timeout)
}

/// What the last look at the node found.
struct Waited {
    left: Vec<Held>,
    error: Option<String>,
}

/// Polls the node's /stats until it holds nothing or `timeout` passes.
async fn wait_empty(
    client: &Client,
    lookupds: &[String],
    node: &Node,
    timeout: Duration,
) -> Waited {
    let start = Instant::now();
    let bar = Progress::new();
    let mut tombstoned_at = Instant::now();
    let mut w = Waited {
        left: Vec::new(),
        error: None,
    };
    loop {
        match backlog::fetch(client, &node.http_address, None).await {
            Ok(s) => (w.left, w.error) = (backlog::held(&s), None),
            Err(e) => w.error = Some(e.to_string()),
        }
        if w.error.is_none() && w.left.is_empty() {
            break;
        }
        bar.show(&progress_line(node, &w, start.elapsed()));
        let Some(rest) = timeout.checked_sub(start.elapsed()) else {
            break;
        };
        if tombstoned_at.elapsed() >= RETOMBSTONE {
            retombstone(client, lookupds, node, &bar).await;
            tombstoned_at = Instant::now();
        }
        tokio::time::sleep(POLL.min(rest)).await;
    }
    bar.clear();
    w
}

fn progress_line(node: &Node, w: &Waited, elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    if let Some(e) = &w.error {
        return format!("draining {} ({secs}s): /stats failed: {e}", node.node);
    }
    let sum = |f: fn(&Held) -> i64| w.left.iter().map(f).sum::<i64>();
    format!(
        "draining {} ({secs}s): {} message(s) left in {} topic/channel(s): depth {}, in flight {}, deferred {}",
        node.node,
        backlog::total(&w.left),
        w.left.len(),
        sum(|h| h.depth),
        sum(|h| h.in_flight_count),
        sum(|h| h.deferred_count)
    )
}

/// `t/c` or `t` (the topic's own queue).
fn place(h: &Held) -> String {
    match &h.channel {
        Some(c) => format!("{}/{c}", h.topic),
        None => h.topic.clone(),
    }
}

/// The tombstone lines, printed (in text mode) before waiting.
fn tombstone_text(r: &DrainReport) -> String {
    let mut out = String::new();
    for s in &r.results {
        let topic = s.topic.as_deref().unwrap_or_default();
        let detail = match (&s.error, &s.topic) {
            (None, _) => format!("tombstoned topic {topic:?} on {}", r.node),
            (Some(e), Some(_)) => format!("topic {topic:?}: {e}"),
            (Some(e), None) => e.clone(),
        };
        out.push_str(&format!("{:<6}  lookupd  {}  {detail}\n", s.status, s.node));
    }
    if r.results.is_empty() {
        out.push_str(&format!(
            "no topic of {} is registered with nsqlookupd: nothing to tombstone\n",
            r.node
        ));
    }
    out
}

/// What was left, or that it is safe to stop.
fn outcome_text(r: &DrainReport) -> String {
    let mut out = String::new();
    for h in &r.left {
        let paused = if h.paused { "  paused" } else { "" };
        out.push_str(&format!(
            "left    {}  depth {}  in_flight {}  deferred {}  clients {}{paused}\n",
            place(h),
            h.depth,
            h.in_flight_count,
            h.deferred_count,
            h.client_count
        ));
    }
    if r.safe == Some(true) {
        out.push_str(&format!(
            "safe to stop {} (tcp {}): no message queued, in flight or deferred\n",
            r.node, r.tcp_address
        ));
    }
    out
}

fn write_out(out: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn print_drain(r: &DrainReport, json: bool, timeout: Duration) -> anyhow::Result<ExitCode> {
    if json {
        write_out(&format!("{}\n", serde_json::to_string(r)?))?;
    } else {
        write_out(&outcome_text(r))?;
    }
    let failed: Vec<String> = r
        .results
        .iter()
        .filter(|s| s.status == "failed")
        .map(|s| format!("lookupd {}", s.node))
        .collect();
    if !failed.is_empty() {
        output::error(&format!(
            "node drain: the tombstones failed on {}; not waiting",
            failed.join(", ")
        ));
        return Ok(ExitCode::from(1));
    }
    match r.safe {
        None => {
            output::info(&format!(
                "consumers no longer discover {}; publishers sending to it directly must be \
                 moved by you. `nsq-cli node drain {} --wait` waits until it is empty",
                r.node, r.node
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(true) => Ok(ExitCode::SUCCESS),
        Some(false) => {
            output::error(&not_empty(r, timeout));
            Ok(ExitCode::from(1))
        }
    }
}

/// The one error line of a drain that timed out.
fn not_empty(r: &DrainReport, timeout: Duration) -> String {
    let within = humantime::format_duration(timeout);
    if let Some(e) = &r.error {
        return format!(
            "node {} not known to be empty after {within} (--timeout): its /stats failed: {e}",
            r.node
        );
    }
    let places: Vec<String> = r
        .left
        .iter()
        .map(|h| format!("{} {}", place(h), h.total()))
        .collect();
    format!(
        "node {} still holds {} message(s) after {within} (--timeout): {}",
        r.node,
        backlog::total(&r.left),
        places.join(", ")
    )
}

/// A one-line progress display on stderr, only on a terminal and without -q.
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new() -> Progress {
        Progress(output::spinner(None))
    }

    fn show(&self, line: &str) {
        self.0.set_message(line.to_string());
    }

    fn suspend(&self, f: impl FnOnce()) {
        self.0.suspend(f)
    }

    fn clear(&self) {
        self.0.finish_and_clear();
    }
}

#[derive(Debug, Serialize)]
struct LookupdTombstones {
    role: Role,
    /// The lookupd.
    node: String,
    /// NODE's topics this lookupd has tombstoned.
    tombstoned: Vec<String>,
    /// The lookupd did not answer /nodes: its tombstones are unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl LookupdTombstones {
    fn clear(&self) -> bool {
        self.tombstoned.is_empty() && self.error.is_none()
    }
}

#[derive(Debug, Serialize)]
struct UndrainReport {
    action: &'static str,
    node: String,
    tcp_address: String,
    /// No lookupd has a topic of the node tombstoned.
    ok: bool,
    results: Vec<LookupdTombstones>,
}

/// Each lookupd's tombstones of `node`'s topics.
async fn tombstones_of(
    client: &Client,
    lookupds: &[String],
    node: &Node,
) -> Vec<LookupdTombstones> {
    let (answers, failures) = registrations(client, lookupds, node).await;
    let failed = failures.into_iter().map(|(a, e)| LookupdTombstones {
        role: Role::Lookupd,
        node: display_addr(&a),
        tombstoned: Vec::new(),
        error: Some(e),
    });
    answers
        .into_iter()
        .map(|(a, topics)| LookupdTombstones {
            role: Role::Lookupd,
            node: display_addr(&a),
            tombstoned: topics
                .into_iter()
                .filter(|t| t.tombstoned)
                .map(|t| t.topic)
                .collect(),
            error: None,
        })
        .chain(failed)
        .collect()
}

pub async fn undrain(args: DrainArgs) -> anyhow::Result<ExitCode> {
    let lookupds = lookupds_for(&args.cluster, None)?;
    let client = args.cluster.http.client()?;
    let (_, node) = locate(&client, &lookupds, &args.node).await?;
    let start = Instant::now();
    let bar = Progress::new();
    let results = loop {
        let results = tombstones_of(&client, &lookupds, &node).await;
        let left: usize = results.iter().map(|r| r.tombstoned.len()).sum();
        let rest = args.wait.timeout.checked_sub(start.elapsed());
        if results.iter().all(LookupdTombstones::clear) || !args.wait.wait || rest.is_none() {
            break results;
        }
        bar.show(&format!(
            "undraining {} ({}s): {left} tombstone(s) left in nsqlookupd",
            node.node,
            start.elapsed().as_secs()
        ));
        tokio::time::sleep(POLL.min(rest.unwrap_or_default())).await;
    };
    bar.clear();
    let report = UndrainReport {
        action: "node undrain",
        ok: results.iter().all(LookupdTombstones::clear),
        node: node.node.clone(),
        tcp_address: node.tcp_address.clone(),
        results,
    };
    print_undrain(&report, args.json)
}

fn print_undrain(r: &UndrainReport, json: bool) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    if json {
        out = format!("{}\n", serde_json::to_string(r)?);
    } else {
        for l in &r.results {
            let what = if let Some(e) = &l.error {
                e.clone()
            } else if l.tombstoned.is_empty() {
                "no topic tombstoned".to_string()
            } else {
                format!("tombstoned: {}", l.tombstoned.join(", "))
            };
            out.push_str(&format!("lookupd  {}  {what}\n", l.node));
        }
        if r.ok {
            out.push_str(&format!(
                "consumers discover {} again: no topic of it is tombstoned\n",
                r.node
            ));
        }
    }
    write_out(&out)?;
    if r.ok {
        return Ok(ExitCode::SUCCESS);
    }
    if r.results.iter().all(|l| l.tombstoned.is_empty()) {
        output::error(&format!(
            "the tombstones of {} are unknown: a lookupd did not answer",
            r.node
        ));
        return Ok(ExitCode::from(1));
    }
    output::error(&format!(
        "topics of {} are still tombstoned; nsqlookupd cannot lift a tombstone: it lapses after \
         nsqlookupd's --tombstone-lifetime (45s by default), or when the nsqd reconnects to it \
         (restart the nsqd); --wait waits for that",
        r.node
    ));
    Ok(ExitCode::from(1))
}
