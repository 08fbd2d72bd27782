//! `nsq-cli check`: health checks for CI gates and alerting.
//! Exit 0 healthy, 1 a threshold crossed, 2 something unreachable.

mod alerts;
pub mod args;

use crate::nsq_http::backlog;
use crate::nsq_http::cluster::{self, Node, Role};
use crate::nsq_http::map::join_host_port;
use crate::nsq_http::types::NsqdStats;
use crate::nsq_http::{display_addr, Client};
use args::CheckArgs;
use colored::Colorize;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    /// A threshold crossed (exit 1).
    Threshold,
    /// Something does not answer (exit 2).
    Unreachable,
}

/// One check's result. A check of one server names it by `role` and `node`; a
/// check of a topic or channel by `topic` and `channel`; a check of a channel
/// on one node by all four; a check of the whole cluster by none.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// ping, nodes, broadcast_address, stats, topic, depth, in_flight, timeouts,
    /// min_nodes, orphans, requeues, deferred
    pub check: &'static str,
    pub role: Option<Role>,
    pub node: Option<String>,
    pub topic: Option<String>,
    pub channel: Option<String>,
    pub status: Severity,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// What a check is about.
#[derive(Clone)]
enum Target {
    /// The whole cluster (--min-nodes).
    Cluster,
    Node(Role, String),
    /// A channel on one nsqd: node, topic, channel.
    NodeChannel(String, String, String),
    Topic(String),
    Channel(String, String),
}

fn check(check: &'static str, target: Target, status: Severity, detail: String) -> Check {
    let (role, node, topic, channel) = match target {
        Target::Cluster => (None, None, None, None),
        Target::Node(r, n) => (Some(r), Some(n), None, None),
        Target::NodeChannel(n, t, c) => (Some(Role::Nsqd), Some(n), Some(t), Some(c)),
        Target::Topic(t) => (None, None, Some(t), None),
        Target::Channel(t, c) => (None, None, Some(t), Some(c)),
    };
    Check {
        check,
        role,
        node,
        topic,
        channel,
        status,
        detail,
        fix: None,
    }
}

fn ok(name: &'static str, target: Target, detail: String) -> Check {
    check(name, target, Severity::Ok, detail)
}

impl Check {
    /// `nsqd 127.0.0.1:4151`, `topic t`, `channel t/c`, `nsqd 127.0.0.1:4151
    /// channel t/c`, `cluster`: the table's second column.
    fn target(&self) -> String {
        match (&self.role, &self.node, &self.topic, &self.channel) {
            (Some(r), Some(n), Some(t), Some(c)) => format!("{} {n} channel {t}/{c}", r.name()),
            (Some(r), Some(n), _, _) => format!("{} {n}", r.name()),
            (_, _, Some(t), Some(c)) => format!("channel {t}/{c}"),
            (_, _, Some(t), None) => format!("topic {t}"),
            _ => "cluster".to_string(),
        }
    }

    /// Whether this is an ok `check` of the server `role` at `addr`.
    fn passed(&self, check: &str, role: Role, addr: &str) -> bool {
        self.check == check
            && self.role == Some(role)
            && self.node.as_deref() == Some(display_addr(addr).as_str())
            && self.status == Severity::Ok
    }
}

async fn ping_all(client: &Client, role: Role, addrs: &[String]) -> Vec<Check> {
    let c = client.clone();
    let results = cluster::each(addrs, move |a| {
        let c = c.clone();
        async move { c.ping(&a).await }
    })
    .await;
    results
        .into_iter()
        .map(|(a, r)| {
            let target = Target::Node(role, display_addr(&a));
            match r {
                Ok(()) => ok("ping", target, "answers /ping".to_string()),
                Err(e) => check("ping", target, Severity::Unreachable, e.to_string()),
            }
        })
        .collect()
}

/// Whether a node's announced TCP address resolves and accepts connections.
async fn broadcast_check(node: &Node, timeout: Duration) -> Check {
    let raw = join_host_port(&node.broadcast_address, node.tcp_port);
    let addr = node.tcp_address.clone();
    let mapped = addr != raw;
    let target = Target::Node(Role::Nsqd, node.node.clone());
    // The TCP address checked, as the details name it.
    let tcp = if mapped {
        format!("{addr} (announced as {raw})")
    } else {
        addr.clone()
    };
    let host = &node.broadcast_address;
    let fix = if mapped {
        format!("check the --map-address rule that maps {raw} to {addr}")
    } else {
        format!(
            "nsqlookupd announces nsqd's --broadcast-address (its hostname by default): \
             start nsqd with --broadcast-address=<a name or IP clients can reach>, or map it \
             here with --map-address {host}=<reachable host> (or NSQ_MAP_ADDRESS)"
        )
    };
    // Every failure here is the same kind: unreachable, with the same fix.
    let unreachable = |detail: String| {
        let mut c = check(
            "broadcast_address",
            target.clone(),
            Severity::Unreachable,
            detail,
        );
        c.fix = Some(fix.clone());
        c
    };
    let within = humantime::format_duration(timeout);
    let resolved = tokio::time::timeout(timeout, tokio::net::lookup_host(addr.clone())).await;
    let addrs: Vec<std::net::SocketAddr> = match resolved {
        Ok(Ok(it)) => it.collect(),
        Ok(Err(e)) => return unreachable(format!("{tcp} does not resolve: {e}")),
        Err(_) => return unreachable(format!("{tcp} did not resolve within {within}")),
    };
    let connect = async {
        let mut last = None;
        for a in &addrs {
            match tokio::net::TcpStream::connect(a).await {
                Ok(_) => return Ok(*a),
                Err(e) => last = Some(e),
            }
        }
        Err(last.map_or_else(|| "no addresses".to_string(), |e| e.to_string()))
    };
    match tokio::time::timeout(timeout, connect).await {
        Ok(Ok(sa)) => ok(
            "broadcast_address",
            target.clone(),
            format!("{tcp} resolves ({sa}) and accepts TCP connections"),
        ),
        Ok(Err(e)) => unreachable(format!("{tcp} does not accept TCP connections: {e}")),
        Err(_) => unreachable(format!("{tcp}: no TCP connection within {within}")),
    }
}

/// Sums of one topic (channel "") or channel over every node.
#[derive(Default, Clone)]
struct Sums {
    depth: i64,
    in_flight: i64,
    timeouts: u64,
}

async fn threshold_checks(
    client: &Client,
    nsqds: &[String],
    args: &CheckArgs,
    topic: &str,
) -> Vec<Check> {
    // Only the topic goes to nsqd: given a channel it lacks, nsqd leaves the
    // topic out, and a missing channel would read as a missing topic.
    let results = backlog::fetch_all(client, nsqds, Some(topic)).await;
    let mut checks = Vec::new();
    let (topic_sums, channels) = sum_stats(results, topic, args.channel.as_deref(), &mut checks);
    if let Some(missing) = presence_check(topic, args.channel.as_deref(), &topic_sums, &channels) {
        checks.push(missing);
        return checks;
    }
    if args.channel.is_none() {
        checks.push(ok(
            "topic",
            Target::Topic(topic.to_string()),
            format!("exists ({} channel(s))", channels.len()),
        ));
    }
    let max_depth = args.max_depth.map(i128::from);
    if let (None, Some(sums)) = (&args.channel, &topic_sums) {
        let target = Target::Topic(topic.to_string());
        checks.extend(limit("depth", target, sums.depth.into(), max_depth));
    }
    for (name, s) in &channels {
        let target = Target::Channel(topic.to_string(), name.clone());
        checks.extend(limit("depth", target.clone(), s.depth.into(), max_depth));
        let max_in_flight = args.max_in_flight.map(i128::from);
        checks.extend(limit(
            "in_flight",
            target.clone(),
            s.in_flight.into(),
            max_in_flight,
        ));
        let max_timeouts = args.max_timeouts.map(i128::from);
        checks.extend(limit("timeouts", target, s.timeouts.into(), max_timeouts));
    }
    checks
}

/// The topic's sums (None: no nsqd has it) and each channel's (only `channel`
/// if given) over every node; an unreachable node adds a check.
fn sum_stats(
    results: Vec<(String, Result<NsqdStats, crate::nsq_http::HttpError>)>,
    topic: &str,
    channel: Option<&str>,
    checks: &mut Vec<Check>,
) -> (Option<Sums>, std::collections::BTreeMap<String, Sums>) {
    let mut topic_sums: Option<Sums> = None;
    let mut channels: std::collections::BTreeMap<String, Sums> = Default::default();
    for (a, r) in results {
        let s = match r {
            Ok(s) => s,
            Err(e) => {
                checks.push(check(
                    "stats",
                    Target::Node(Role::Nsqd, display_addr(&a)),
                    Severity::Unreachable,
                    e.to_string(),
                ));
                continue;
            }
        };
        for ts in s.topics.iter().filter(|ts| ts.topic_name == topic) {
            topic_sums.get_or_insert_with(Sums::default).depth += ts.depth;
            for cs in &ts.channels {
                if channel.is_some_and(|c| c != cs.channel_name) {
                    continue;
                }
                let sums = channels.entry(cs.channel_name.clone()).or_default();
                sums.depth += cs.depth;
                sums.in_flight += cs.in_flight_count;
                sums.timeouts += cs.timeout_count;
            }
        }
    }
    (topic_sums, channels)
}

/// A failed check when the topic, or the channel asked for, is on no nsqd.
fn presence_check(
    topic: &str,
    channel: Option<&str>,
    topic_sums: &Option<Sums>,
    channels: &std::collections::BTreeMap<String, Sums>,
) -> Option<Check> {
    if topic_sums.is_none() {
        return Some(check(
            "topic",
            Target::Topic(topic.to_string()),
            Severity::Threshold,
            format!("topic {topic:?} not found on any nsqd"),
        ));
    }
    let c = channel.filter(|c| !channels.contains_key(*c))?;
    Some(check(
        "topic",
        Target::Channel(topic.to_string(), c.to_string()),
        Severity::Threshold,
        format!("channel {c:?} not found on any nsqd (topic {topic:?} exists)"),
    ))
}

/// A check of `value` against `max`, if a maximum was given.
fn limit(name: &'static str, target: Target, value: i128, max: Option<i128>) -> Option<Check> {
    let max = max?;
    let crossed = value > max;
    Some(check(
        name,
        target,
        if crossed {
            Severity::Threshold
        } else {
            Severity::Ok
        },
        format!(
            "{} {value} {} {max}",
            name.replace('_', "-"),
            if crossed { ">" } else { "<=" }
        ),
    ))
}

pub async fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let (lookupds, given) = super::refuse_bad_cluster_args(
        &args.cluster,
        args.topic.as_deref(),
        args.channel.as_deref(),
    )?;
    let client = args.cluster.http.client()?;
    let timeout = client.timeout();

    if args.min_nodes.is_some() && lookupds.is_empty() {
        return super::refuse(
            "--min-nodes counts the nsqd registered with nsqlookupd: give --lookupd-http-address",
        );
    }
    let (mut checks, nodes, answered) = lookupd_checks(&client, &lookupds).await;
    let nsqds = cluster::nsqd_http_addrs(&nodes, &given);
    checks.extend(ping_all(&client, Role::Nsqd, &nsqds).await);
    checks.extend(broadcast_checks(&nodes, timeout).await?);
    // Without an answer from any lookupd the count is unknown (and that
    // lookupd's failure is already a check).
    if let (Some(min), true) = (args.min_nodes, answered) {
        checks.push(alerts::min_nodes(&nodes, min));
    }
    let reachable: Vec<String> = nsqds
        .iter()
        .filter(|a| checks.iter().any(|c| c.passed("ping", Role::Nsqd, a)))
        .cloned()
        .collect();
    if let Some(topic) = &args.topic {
        checks.extend(threshold_checks(&client, &reachable, &args, topic).await);
    }
    if alerts::wanted(&args) {
        checks.extend(alerts::channel_alerts(&client, &reachable, &args).await);
    }

    let (out, code) = render(&checks, args.json);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::from(code))
}

/// Pings every lookupd and asks each for its nodes; a lookupd that answers /ping
/// but not /nodes fails a check of its own. Also whether any lookupd answered.
async fn lookupd_checks(client: &Client, lookupds: &[String]) -> (Vec<Check>, Vec<Node>, bool) {
    let mut checks = ping_all(client, Role::Lookupd, lookupds).await;
    let g = cluster::gather_nodes(client, lookupds).await;
    for (a, e) in &g.failures {
        // A lookupd that failed /ping is already reported.
        if checks.iter().any(|c| c.passed("ping", Role::Lookupd, a)) {
            checks.push(check(
                "nodes",
                Target::Node(Role::Lookupd, display_addr(a)),
                Severity::Unreachable,
                e.to_string(),
            ));
        }
    }
    (checks, cluster::nodes_of(&g), !g.answers.is_empty())
}

/// [`broadcast_check`] of every node, concurrently, in the nodes' order.
async fn broadcast_checks(nodes: &[Node], timeout: Duration) -> anyhow::Result<Vec<Check>> {
    let handles: Vec<_> = nodes
        .iter()
        .cloned()
        .map(|n| tokio::spawn(async move { broadcast_check(&n, timeout).await }))
        .collect();
    let mut v = Vec::new();
    for h in handles {
        v.push(h.await?);
    }
    Ok(v)
}

/// The report as printed (JSON or one line per check, then the status) and the
/// exit status: the worst check's.
fn render(checks: &[Check], json: bool) -> (String, u8) {
    let worst = checks
        .iter()
        .map(|c| c.status)
        .max()
        .unwrap_or(Severity::Ok);
    let (status, code) = match worst {
        Severity::Ok => ("healthy", 0u8),
        Severity::Threshold => ("threshold", 1),
        Severity::Unreachable => ("unreachable", 2),
    };
    let mut out = String::new();
    if json {
        out = format!(
            "{}\n",
            serde_json::json!({ "status": status, "exit_code": code, "checks": checks })
        );
    } else {
        for c in checks {
            let tag = match c.status {
                Severity::Ok => format!("{:<5}", "OK").green(),
                Severity::Threshold => format!("{:<5}", "WARN").yellow().bold(),
                Severity::Unreachable => format!("{:<5}", "FAIL").red().bold(),
            };
            out.push_str(&format!(
                "{tag} {:<17} {}: {}\n",
                c.check,
                c.target(),
                c.detail
            ));
            if let Some(fix) = &c.fix {
                out.push_str(&format!("      fix: {fix}\n"));
            }
        }
        if checks.is_empty() {
            out.push_str("nothing to check\n");
        }
        out.push_str(&format!("{status}\n"));
    }
    (out, code)
}
