//! `nsq-cli stats`: per topic and channel counters summed over every nsqd.

pub mod args;
pub mod clients;

use crate::nsq_http::cluster::{self, Node, StatsQuery};
use crate::nsq_http::prometheus::Scraper;
use crate::nsq_http::types::NsqdStats;
use crate::nsq_http::{display_addr, Client};
use args::{Format, StatsArgs};
use colored::Colorize;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Counters of one topic or channel (on one node, or summed).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Counters {
    pub depth: i64,
    pub in_flight_count: i64,
    pub deferred_count: i64,
    pub requeue_count: u64,
    pub timeout_count: u64,
    pub message_count: u64,
    /// Messages per second over the sampling interval; null when not measured.
    pub message_rate: Option<f64>,
    pub client_count: i64,
    pub paused: bool,
}

impl Counters {
    fn add(&mut self, o: &Counters) {
        self.depth += o.depth;
        self.in_flight_count += o.in_flight_count;
        self.deferred_count += o.deferred_count;
        self.requeue_count += o.requeue_count;
        self.timeout_count += o.timeout_count;
        self.message_count += o.message_count;
        self.client_count += o.client_count;
        self.paused |= o.paused;
        self.message_rate = match (self.message_rate, o.message_rate) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeCounters {
    pub node: String,
    #[serde(flatten)]
    pub counters: Counters,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelRow {
    pub channel: String,
    #[serde(flatten)]
    pub totals: Counters,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<NodeCounters>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicRow {
    pub topic: String,
    #[serde(flatten)]
    pub totals: Counters,
    pub channels: Vec<ChannelRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<NodeCounters>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeStatus {
    pub node: String,
    pub ok: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub nodes: Vec<NodeStatus>,
    pub topics: Vec<TopicRow>,
}

/// (topic, channel or "" for the topic itself) -> node -> counters.
type Snapshot = BTreeMap<(String, String), BTreeMap<String, Counters>>;

/// Flattens nsqd answers into counters per topic/channel and node.
pub fn snapshot(per_node: &[(String, NsqdStats)]) -> Snapshot {
    let mut snap = Snapshot::new();
    for (node, stats) in per_node {
        for t in &stats.topics {
            let mut topic = Counters {
                depth: t.depth,
                message_count: t.message_count,
                paused: t.paused,
                ..Counters::default()
            };
            for c in &t.channels {
                let ch = Counters {
                    depth: c.depth,
                    in_flight_count: c.in_flight_count,
                    deferred_count: c.deferred_count,
                    requeue_count: c.requeue_count,
                    timeout_count: c.timeout_count,
                    message_count: c.message_count,
                    message_rate: None,
                    client_count: c.client_count,
                    paused: c.paused,
                };
                topic.in_flight_count += ch.in_flight_count;
                topic.deferred_count += ch.deferred_count;
                topic.requeue_count += ch.requeue_count;
                topic.timeout_count += ch.timeout_count;
                topic.client_count += ch.client_count;
                snap.entry((t.topic_name.clone(), c.channel_name.clone()))
                    .or_default()
                    .insert(node.clone(), ch);
            }
            snap.entry((t.topic_name.clone(), String::new()))
                .or_default()
                .insert(node.clone(), topic);
        }
    }
    snap
}

/// Sets message_rate from the message_count growth since `prev`, `secs` earlier.
pub fn apply_rates(cur: &mut Snapshot, prev: &Snapshot, secs: f64) {
    if secs <= 0.0 {
        return;
    }
    for (key, nodes) in cur.iter_mut() {
        for (node, c) in nodes.iter_mut() {
            let before = prev.get(key).and_then(|n| n.get(node));
            c.message_rate = before.map(|b| {
                // A counter that went down means the topic was re-created: count from 0.
                let grown = c
                    .message_count
                    .checked_sub(b.message_count)
                    .unwrap_or(c.message_count);
                grown as f64 / secs
            });
        }
    }
}

/// Builds the rows: topics sorted, each with its channels, totals summed over nodes.
pub fn rows(snap: &Snapshot, per_node: bool) -> Vec<TopicRow> {
    let mut topics: Vec<TopicRow> = Vec::new();
    for ((topic, channel), nodes) in snap {
        let mut totals = Counters::default();
        let mut first = true;
        for c in nodes.values() {
            if first {
                totals = c.clone();
                first = false;
            } else {
                totals.add(c);
            }
        }
        let node_rows = per_node.then(|| {
            nodes
                .iter()
                .map(|(n, c)| NodeCounters {
                    node: n.clone(),
                    counters: c.clone(),
                })
                .collect()
        });
        if topics.last().is_none_or(|t| &t.topic != topic) {
            topics.push(TopicRow {
                topic: topic.clone(),
                totals: Counters::default(),
                channels: Vec::new(),
                nodes: None,
            });
        }
        let row = topics.last_mut().expect("pushed above");
        if channel.is_empty() {
            row.totals = totals;
            row.nodes = node_rows;
        } else {
            row.channels.push(ChannelRow {
                channel: channel.clone(),
                totals,
                nodes: node_rows,
            });
        }
    }
    topics
}

fn fmt_rate(r: Option<f64>) -> String {
    match r {
        None => "-".to_string(),
        Some(r) if r >= 100.0 || r == 0.0 => format!("{r:.0}"),
        Some(r) => format!("{r:.1}"),
    }
}

const HEADERS: [&str; 12] = [
    "TOPIC", "CHANNEL", "NODE", "DEPTH", "IN-FLT", "DEFER", "REQ", "TIMEOUT", "MSGS", "RATE/S",
    "CLIENTS", "PAUSED",
];

fn cells(topic: &str, channel: &str, node: &str, c: &Counters) -> Vec<String> {
    vec![
        topic.to_string(),
        if channel.is_empty() && node.is_empty() {
            "-".to_string()
        } else {
            channel.to_string()
        },
        node.to_string(),
        c.depth.to_string(),
        c.in_flight_count.to_string(),
        c.deferred_count.to_string(),
        c.requeue_count.to_string(),
        c.timeout_count.to_string(),
        c.message_count.to_string(),
        fmt_rate(c.message_rate),
        c.client_count.to_string(),
        if c.paused { "yes" } else { "no" }.to_string(),
    ]
}

/// An aligned table; colours (when enabled by `output`) flag backlog and timeouts.
pub fn render_table(topics: &[TopicRow], per_node: bool) -> String {
    let mut table: Vec<(Vec<String>, bool)> = Vec::new(); // (cells, is_node_row)
    for t in topics {
        table.push((cells(&t.topic, "", "", &t.totals), false));
        for n in t.nodes.iter().flatten() {
            table.push((cells("", "", &n.node, &n.counters), true));
        }
        for c in &t.channels {
            table.push((cells("", &c.channel, "", &c.totals), false));
            for n in c.nodes.iter().flatten() {
                table.push((cells("", "", &n.node, &n.counters), true));
            }
        }
    }
    // PAUSED is the last column, shown when something is paused, so that the
    // usual table keeps within 80 columns and every column keeps its place.
    let any_paused = table.iter().any(|(r, _)| r[11] == "yes");
    let cols: Vec<usize> = (0..HEADERS.len())
        .filter(|&i| per_node || HEADERS[i] != "NODE")
        .filter(|&i| any_paused || HEADERS[i] != "PAUSED")
        .collect();
    let width = |i: usize| {
        table
            .iter()
            .map(|(r, _)| r[i].len())
            .chain([HEADERS[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..HEADERS.len()).map(width).collect();
    let mut out = String::new();
    let header: Vec<String> = cols
        .iter()
        .map(|&i| pad(HEADERS[i], widths[i], i >= 3))
        .collect();
    out.push_str(&format!("{}\n", header.join("  ").trim_end().bold()));
    for (row, node_row) in &table {
        let mut line: Vec<String> = Vec::new();
        for &i in &cols {
            let cell = pad(&row[i], widths[i], i >= 3);
            let nonzero = row[i] != "0" && row[i] != "-";
            let coloured = match HEADERS[i] {
                "TOPIC" => cell.bold().to_string(),
                "DEPTH" if nonzero => cell.yellow().to_string(),
                "TIMEOUT" if nonzero => cell.red().to_string(),
                "PAUSED" if row[i] == "yes" => cell.magenta().to_string(),
                _ if *node_row => cell.dimmed().to_string(),
                _ => cell,
            };
            line.push(coloured);
        }
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn pad(s: &str, w: usize, right: bool) -> String {
    if right {
        format!("{s:>w$}")
    } else {
        format!("{s:<w$}")
    }
}

struct Target {
    client: Client,
    lookupds: Vec<String>,
    given: Vec<String>,
    query: StatsQuery,
}

/// One round: the stats of every node that answered, their counters, and
/// which nodes failed.
struct Sampled {
    stats: Vec<(String, NsqdStats)>,
    snap: Snapshot,
    statuses: Vec<NodeStatus>,
    at: Instant,
}

impl Target {
    /// The nsqd HTTP addresses to ask: the lookupds' nodes (only those holding
    /// --topic when given) plus --nsqd-http-address.
    async fn nsqds(&self) -> anyhow::Result<Vec<String>> {
        if self.lookupds.is_empty() {
            return Ok(self.given.clone());
        }
        let nodes: Vec<Node> = match &self.query.topic {
            Some(t) => {
                let g = cluster::gather_lookup(&self.client, &self.lookupds, t).await;
                super::require_one(&g, "/lookup")?;
                cluster::producers_of(&g)
            }
            None => {
                let g = cluster::gather_nodes(&self.client, &self.lookupds).await;
                super::require_one(&g, "/nodes")?;
                cluster::nodes_of(&g)
            }
        };
        Ok(cluster::nsqd_http_addrs(&nodes, &self.given))
    }

    /// What was asked for by --topic/--channel but no nsqd that answered has.
    fn missing(&self, snap: &Snapshot) -> Option<String> {
        let topic = self.query.topic.as_ref()?;
        if !snap.contains_key(&(topic.clone(), String::new())) {
            return Some(format!("topic {topic:?} not found on any nsqd"));
        }
        let channel = self.query.channel.as_ref()?;
        (!snap.contains_key(&(topic.clone(), channel.clone())))
            .then(|| format!("channel {channel:?} not found on any nsqd (topic {topic:?} exists)"))
    }

    /// One round: the stats of every node, and which nodes failed.
    async fn sample(&self) -> anyhow::Result<Sampled> {
        let nsqds = self.nsqds().await?;
        let results = cluster::fetch_stats(&self.client, &nsqds, &self.query).await;
        let at = Instant::now();
        let mut ok = Vec::new();
        let mut statuses = Vec::new();
        for (addr, r) in results {
            let node = display_addr(&addr);
            statuses.push(NodeStatus {
                node: node.clone(),
                ok: r.is_ok(),
                error: r.as_ref().err().map(|e| e.to_string()),
            });
            if let Ok(s) = r {
                ok.push((node, s));
            }
        }
        Ok(Sampled {
            snap: snapshot(&ok),
            stats: ok,
            statuses,
            at,
        })
    }
}

pub async fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let (lookupds, given) = super::refuse_bad_cluster_args(
        &args.cluster,
        args.topic.as_deref(),
        args.channel.as_deref(),
    )?;
    let format = args.format();
    if format == Format::Prometheus && (args.watch.is_some() || args.clients) {
        return super::refuse(
            "--format prometheus writes the exporter's metrics once: not with --watch or --clients",
        );
    }
    let target = Target {
        client: args.cluster.http.client()?,
        lookupds,
        given,
        query: StatsQuery {
            topic: args.topic.clone(),
            channel: args.channel.clone(),
            include_clients: args.clients,
        },
    };
    if format == Format::Prometheus {
        return prometheus_once(target).await;
    }
    if let Some(interval) = args.watch {
        return watch(&args, &target, interval.max(Duration::from_millis(100))).await;
    }
    if args.clients {
        let s = target.sample().await?;
        let missing = target.missing(&s.snap);
        return finish(&args, &s, rows(&s.snap, args.per_node), missing);
    }

    let mut s = target.sample().await?;
    if !args.sample.is_zero() {
        tokio::time::sleep(args.sample).await;
        let mut later = target.sample().await?;
        let secs = later.at.duration_since(s.at).as_secs_f64();
        apply_rates(&mut later.snap, &s.snap, secs);
        // Report the later round, with its nodes' statuses.
        s = later;
    } else {
        // Rate not measured: leave message_rate null.
        for nodes in s.snap.values_mut() {
            for c in nodes.values_mut() {
                c.message_rate = None;
            }
        }
    }
    let missing = target.missing(&s.snap);
    finish(&args, &s, rows(&s.snap, args.per_node), missing)
}

/// `--format prometheus`: the exporter's exposition of one scrape; exit 1 when
/// a lookupd or nsqd failed (the exposition says which, with nsq_up 0).
async fn prometheus_once(target: Target) -> anyhow::Result<ExitCode> {
    let mut scraper = Scraper::new(target.client, target.lookupds, target.given, target.query);
    let scraped = scraper.scrape().await;
    for f in &scraped.failures {
        crate::output::error(f);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(scraped.text.as_bytes())?;
    out.flush()?;
    Ok(if scraped.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The client rows of a round (`--clients`).
fn client_rows(args: &StatsArgs, s: &Sampled) -> Vec<clients::ClientRow> {
    let now = crate::clock::now_ns() / 1_000_000_000;
    clients::rows(
        &s.stats,
        args.topic.as_deref(),
        args.channel.as_deref(),
        now,
    )
}

/// The document `--json` prints: the nodes' statuses and either the topics or,
/// with --clients, the clients.
fn json_doc(args: &StatsArgs, s: &Sampled, topics: Vec<TopicRow>) -> serde_json::Result<String> {
    if args.clients {
        #[derive(Serialize)]
        struct ClientsReport<'a> {
            nodes: &'a [NodeStatus],
            clients: Vec<clients::ClientRow>,
        }
        return serde_json::to_string(&ClientsReport {
            nodes: &s.statuses,
            clients: client_rows(args, s),
        });
    }
    serde_json::to_string(&Report {
        nodes: s.statuses.clone(),
        topics,
    })
}

/// The table of a round: topics and channels, or with --clients the clients.
fn table(args: &StatsArgs, s: &Sampled, topics: &[TopicRow]) -> String {
    if args.clients {
        clients::render_table(&client_rows(args, s))
    } else {
        render_table(topics, args.per_node)
    }
}

/// `--watch`: a sample every `interval`, printed until the reader goes away.
async fn watch(args: &StatsArgs, target: &Target, interval: Duration) -> anyhow::Result<ExitCode> {
    let tty = std::io::stdout().is_terminal();
    let mut prev: Option<(Snapshot, Instant)> = None;
    loop {
        let started = Instant::now();
        match target.sample().await {
            Ok(mut s) => {
                if let Some((p, pat)) = &prev {
                    apply_rates(&mut s.snap, p, s.at.duration_since(*pat).as_secs_f64());
                }
                let text = watch_frame(args, &s, interval, tty)?;
                let mut out = std::io::stdout().lock();
                if out
                    .write_all(text.as_bytes())
                    .and_then(|_| out.flush())
                    .is_err()
                {
                    // The reader went away (e.g. `| head`): stop quietly.
                    return Ok(ExitCode::SUCCESS);
                }
                prev = Some((s.snap, s.at));
            }
            Err(e) => crate::output::warn(&format!("{e:#}")),
        }
        tokio::time::sleep(interval.saturating_sub(started.elapsed())).await;
    }
}

/// One `--watch` round as printed: a JSON line, or the table (redrawn in place
/// on a terminal) with the unreachable nodes under it.
fn watch_frame(
    args: &StatsArgs,
    s: &Sampled,
    interval: Duration,
    tty: bool,
) -> anyhow::Result<String> {
    let topics = rows(&s.snap, args.per_node);
    let mut text = String::new();
    if args.format() == Format::Json {
        text.push_str(&json_doc(args, s, topics)?);
        text.push('\n');
        return Ok(text);
    }
    if tty {
        // Home and clear, then redraw: a flicker-free "watch".
        text.push_str("\x1b[H\x1b[2J");
        text.push_str(&format!(
            "{}\n\n",
            format!(
                "Every {}: nsq-cli stats ({} nsqd)",
                humantime::format_duration(interval),
                s.statuses.len()
            )
            .dimmed()
        ));
    }
    text.push_str(&table(args, s, &topics));
    for n in s.statuses.iter().filter(|n| !n.ok) {
        text.push_str(&format!(
            "{} {}\n",
            "unreachable:".red(),
            n.error.as_deref().unwrap_or("")
        ));
    }
    if !tty {
        text.push('\n');
    }
    Ok(text)
}

/// Prints the report; exit 1 if a node failed or --topic/--channel is missing
/// (then, with --json, the document is still printed, the table is not).
fn finish(
    args: &StatsArgs,
    s: &Sampled,
    topics: Vec<TopicRow>,
    missing: Option<String>,
) -> anyhow::Result<ExitCode> {
    let failed = s.statuses.iter().filter(|n| !n.ok).count();
    for n in s.statuses.iter().filter(|n| !n.ok) {
        crate::output::error(&format!(
            "nsqd {}: {}",
            n.node,
            n.error.as_deref().unwrap_or("")
        ));
    }
    if let Some(m) = &missing {
        crate::output::error(m);
    }
    let text = if args.format() == Format::Json {
        format!("{}\n", json_doc(args, s, topics)?)
    } else if missing.is_some() {
        String::new()
    } else {
        table(args, s, &topics)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if failed == 0 && missing.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(json: &str) -> NsqdStats {
        serde_json::from_str(json).unwrap()
    }

    fn node(topic_mc: u64, c_depth: i64, c_mc: u64) -> NsqdStats {
        stats(&format!(
            r#"{{"version":"1.3.0","health":"OK","topics":[{{"topic_name":"t","depth":1,"message_count":{topic_mc},"paused":false,
            "channels":[{{"channel_name":"c","depth":{c_depth},"in_flight_count":2,"deferred_count":1,"message_count":{c_mc},
            "requeue_count":3,"timeout_count":4,"client_count":1,"paused":false}}]}}]}}"#
        ))
    }

    #[test]
    fn sums_over_nodes_and_measures_rates() {
        let first = snapshot(&[
            ("a:1".into(), node(10, 5, 10)),
            ("b:1".into(), node(20, 7, 20)),
        ]);
        let mut second = snapshot(&[
            ("a:1".into(), node(14, 5, 14)),
            ("b:1".into(), node(22, 7, 22)),
        ]);
        apply_rates(&mut second, &first, 2.0);
        let t = rows(&second, true);
        assert_eq!(t.len(), 1);
        let topic = &t[0];
        assert_eq!(topic.topic, "t");
        assert_eq!(topic.totals.depth, 2);
        assert_eq!(topic.totals.message_count, 36);
        assert_eq!(topic.totals.message_rate, Some(3.0)); // (4 + 2) / 2s
        assert_eq!(topic.totals.in_flight_count, 4);
        assert_eq!(topic.totals.client_count, 2);
        let c = &topic.channels[0];
        assert_eq!(
            (
                c.totals.depth,
                c.totals.in_flight_count,
                c.totals.deferred_count,
                c.totals.requeue_count,
                c.totals.timeout_count
            ),
            (12, 4, 2, 6, 8)
        );
        assert_eq!(c.nodes.as_ref().unwrap().len(), 2);
        let table = render_table(&t, true);
        assert!(table.starts_with("TOPIC"), "{table}");
        assert!(table.contains("a:1"), "{table}");
        let json = serde_json::to_value(&t[0]).unwrap();
        assert_eq!(json["channels"][0]["channel"], "c");
        assert_eq!(json["channels"][0]["depth"], 12);
        assert_eq!(json["message_rate"], 3.0);
    }
}
