//! `nsq-cli check`: health checks for CI gates and alerting.
//! Exit 0 healthy, 1 a threshold crossed, 2 something unreachable.

use crate::cli::CheckArgs;
use crate::http::cluster::{self, Node};
use crate::http::types::NsqdStats;
use crate::http::{display_addr, Client};
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

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// ping, nodes, broadcast_address, topic, depth, in_flight, timeouts
    pub check: &'static str,
    pub target: String,
    pub status: Severity,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

fn ok(check: &'static str, target: String, detail: String) -> Check {
    Check {
        check,
        target,
        status: Severity::Ok,
        detail,
        fix: None,
    }
}

fn bad(check: &'static str, target: String, status: Severity, detail: String) -> Check {
    Check {
        check,
        target,
        status,
        detail,
        fix: None,
    }
}

async fn ping_all(client: &Client, role: &str, addrs: &[String]) -> Vec<Check> {
    let c = client.clone();
    let results = cluster::each(addrs, move |a| {
        let c = c.clone();
        async move { c.ping(&a).await }
    })
    .await;
    results
        .into_iter()
        .map(|(a, r)| {
            let target = format!("{role} {}", display_addr(&a));
            match r {
                Ok(()) => ok("ping", target, "answers /ping".to_string()),
                Err(e) => bad("ping", target, Severity::Unreachable, e.to_string()),
            }
        })
        .collect()
}

/// Whether a node's announced TCP address resolves and accepts connections.
async fn broadcast_check(node: &Node, timeout: Duration) -> Check {
    let raw = format!("{}:{}", node.broadcast_address, node.tcp_port);
    let addr = node.tcp_address.clone();
    let mapped = addr != raw;
    let target = if mapped {
        format!("nsqd {addr} (announced as {raw})")
    } else {
        format!("nsqd {addr}")
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
        let mut c = bad(
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
        Ok(Err(e)) => return unreachable(format!("{addr} does not resolve: {e}")),
        Err(_) => return unreachable(format!("{addr} did not resolve within {within}")),
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
            format!("resolves ({sa}) and accepts TCP connections"),
        ),
        Ok(Err(e)) => unreachable(format!("{addr} does not accept TCP connections: {e}")),
        Err(_) => unreachable(format!("{addr}: no TCP connection within {within}")),
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
    let c = client.clone();
    let (t, ch) = (topic.to_string(), args.channel.clone());
    let results = cluster::each(nsqds, move |a| {
        let c = c.clone();
        let (t, ch) = (t.clone(), ch.clone());
        async move {
            let mut q = vec![
                ("format", "json"),
                ("include_clients", "false"),
                ("include_mem", "false"),
                ("topic", t.as_str()),
            ];
            if let Some(ch) = &ch {
                q.push(("channel", ch.as_str()));
            }
            c.get_json::<NsqdStats>(&a, "/stats", &q).await
        }
    })
    .await;
    let mut checks = Vec::new();
    let mut topic_sums: Option<Sums> = None;
    let mut channels: std::collections::BTreeMap<String, Sums> = Default::default();
    for (a, r) in results {
        match r {
            Err(e) => checks.push(bad(
                "stats",
                format!("nsqd {}", display_addr(&a)),
                Severity::Unreachable,
                e.to_string(),
            )),
            Ok(s) => {
                for ts in s.topics.iter().filter(|ts| ts.topic_name == topic) {
                    topic_sums.get_or_insert_with(Sums::default).depth += ts.depth;
                    for cs in &ts.channels {
                        if args.channel.as_ref().is_some_and(|c| c != &cs.channel_name) {
                            continue;
                        }
                        let sums = channels.entry(cs.channel_name.clone()).or_default();
                        sums.depth += cs.depth;
                        sums.in_flight += cs.in_flight_count;
                        sums.timeouts += cs.timeout_count;
                    }
                }
            }
        }
    }
    let Some(topic_sums) = topic_sums else {
        checks.push(bad(
            "topic",
            format!("topic {topic}"),
            Severity::Threshold,
            format!("topic {topic:?} not found on any nsqd"),
        ));
        return checks;
    };
    if let Some(c) = &args.channel {
        if !channels.contains_key(c) {
            checks.push(bad(
                "topic",
                format!("channel {topic}/{c}"),
                Severity::Threshold,
                format!("channel {c:?} of topic {topic:?} not found on any nsqd"),
            ));
            return checks;
        }
    } else {
        checks.push(ok(
            "topic",
            format!("topic {topic}"),
            format!("exists ({} channel(s))", channels.len()),
        ));
    }
    let mut limit = |check: &'static str, target: String, value: i128, max: Option<i128>| {
        if let Some(max) = max {
            let crossed = value > max;
            checks.push(Check {
                check,
                target,
                status: if crossed {
                    Severity::Threshold
                } else {
                    Severity::Ok
                },
                detail: format!(
                    "{} {value} {} {max}",
                    check.replace('_', "-"),
                    if crossed { ">" } else { "<=" }
                ),
                fix: None,
            });
        }
    };
    let max_depth = args.max_depth.map(i128::from);
    let max_in_flight = args.max_in_flight.map(i128::from);
    let max_timeouts = args.max_timeouts.map(i128::from);
    if args.channel.is_none() {
        limit(
            "depth",
            format!("topic {topic}"),
            topic_sums.depth.into(),
            max_depth,
        );
    }
    for (name, s) in &channels {
        let target = format!("channel {topic}/{name}");
        limit("depth", target.clone(), s.depth.into(), max_depth);
        limit(
            "in_flight",
            target.clone(),
            s.in_flight.into(),
            max_in_flight,
        );
        limit("timeouts", target, s.timeouts.into(), max_timeouts);
    }
    checks
}

pub async fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let client = cluster::client_from(&args.cluster.http)?;
    let (lookupds, given) = cluster::resolve(&args.cluster)?;
    let timeout = client.timeout();

    let mut checks = ping_all(&client, "lookupd", &lookupds).await;
    let g = cluster::gather_nodes(&client, &lookupds).await;
    for (a, e) in &g.failures {
        // A lookupd that failed /ping is already reported.
        if checks
            .iter()
            .any(|c| c.target == format!("lookupd {}", display_addr(a)) && c.status == Severity::Ok)
        {
            checks.push(bad(
                "nodes",
                format!("lookupd {}", display_addr(a)),
                Severity::Unreachable,
                e.to_string(),
            ));
        }
    }
    let nodes = cluster::nodes_of(&g);
    let nsqds = cluster::nsqd_http_addrs(&nodes, &given);
    checks.extend(ping_all(&client, "nsqd", &nsqds).await);
    let broadcast: Vec<Check> = {
        let mut v = Vec::new();
        let handles: Vec<_> = nodes
            .iter()
            .cloned()
            .map(|n| tokio::spawn(async move { broadcast_check(&n, timeout).await }))
            .collect();
        for h in handles {
            v.push(h.await?);
        }
        v
    };
    checks.extend(broadcast);
    if let Some(topic) = &args.topic {
        let reachable: Vec<String> = nsqds
            .iter()
            .filter(|a| {
                checks.iter().any(|c| {
                    c.check == "ping"
                        && c.target == format!("nsqd {}", display_addr(a))
                        && c.status == Severity::Ok
                })
            })
            .cloned()
            .collect();
        checks.extend(threshold_checks(&client, &reachable, &args, topic).await);
    }

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
    if args.json {
        out = format!(
            "{}\n",
            serde_json::json!({ "status": status, "exit_code": code, "checks": checks })
        );
    } else {
        for c in &checks {
            let tag = match c.status {
                Severity::Ok => format!("{:<5}", "OK").green(),
                Severity::Threshold => format!("{:<5}", "WARN").yellow().bold(),
                Severity::Unreachable => format!("{:<5}", "FAIL").red().bold(),
            };
            out.push_str(&format!(
                "{tag} {:<17} {}: {}\n",
                c.check, c.target, c.detail
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
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::from(code))
}
