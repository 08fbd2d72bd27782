//! `nsq-cli lookup`: what nsqlookupd knows, merged over every lookupd given.

pub mod args;

use super::Refused;
use crate::nsq_http::cluster::{self, Node};
use crate::nsq_http::types::TopicsResponse;
use crate::nsq_http::Client;
use crate::protocol::names::check_topic_name;
use args::LookupArgs;
use colored::Colorize;
use serde_json::json;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Everything that can be refused, before anything is sent.
fn refuse_early(args: &LookupArgs) -> Result<(), Refused> {
    cluster::validate_addrs("--lookupd-http-address", &args.lookupd_http_address)?;
    if let Some(t) = &args.topic {
        check_topic_name(t)?;
    }
    if !args.topics && !args.nodes && args.topic.is_none() {
        return Err(Refused(
            "nothing to look up: give -topic TOPIC, or one of --topics, --channels -topic TOPIC, --nodes"
                .to_string(),
        ));
    }
    Ok(())
}

pub async fn run(args: LookupArgs) -> anyhow::Result<ExitCode> {
    refuse_early(&args)?;
    let client = args.http.client()?;
    let lookupds = cluster::dedup_addrs(args.lookupd_http_address.iter().cloned());
    let tty = std::io::stdout().is_terminal();
    let out = if args.topics {
        topics(&client, &lookupds, args.json).await?
    } else if args.nodes {
        nodes(&client, &lookupds, args.json, tty).await?
    } else {
        let topic = args.topic.as_deref().unwrap_or_default();
        match topic_lookup(&client, &lookupds, topic, args.json, args.channels).await? {
            Some(found) if args.channels => channels(topic, &found, args.json),
            Some(found) => topic_nodes(topic, &found, args.json, tty),
            None => return Ok(ExitCode::from(1)),
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn lines(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().map(|s| s + "\n").collect()
}

fn to_json(v: serde_json::Value) -> String {
    format!("{v}\n")
}

async fn topics(client: &Client, lookupds: &[String], json: bool) -> anyhow::Result<String> {
    let g = cluster::gather::<TopicsResponse>(client, lookupds, "/topics", &[]).await;
    super::require_one(&g, "/topics")?;
    let all: BTreeSet<String> = g
        .answers
        .into_iter()
        .flat_map(|(_, r)| r.map(|r| r.topics).unwrap_or_default())
        .collect();
    Ok(if json {
        to_json(json!({ "topics": all }))
    } else {
        lines(all)
    })
}

/// What the lookupds know of a topic: its channels and the nodes holding it.
struct Found {
    channels: BTreeSet<String>,
    nodes: Vec<Node>,
}

/// `None` when no lookupd knows the topic (reported on stderr, exit 1; with
/// --json the document still says `found: false`).
async fn topic_lookup(
    client: &Client,
    lookupds: &[String],
    topic: &str,
    json: bool,
    channels_only: bool,
) -> anyhow::Result<Option<Found>> {
    let g = cluster::gather_lookup(client, lookupds, topic).await;
    super::require_one(&g, "/lookup")?;
    if g.answers.iter().all(|(_, r)| r.is_none()) {
        crate::output::error(&format!(
            "topic {topic:?} not found in nsqlookupd ({})",
            g.answers
                .iter()
                .map(|(a, _)| crate::nsq_http::display_addr(a))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if json {
            // Scripts reading JSON still get a document.
            let doc = if channels_only {
                json!({ "topic": topic, "found": false, "channels": [] })
            } else {
                json!({ "topic": topic, "found": false, "channels": [], "producers": [] })
            };
            print!("{}", to_json(doc));
        }
        return Ok(None);
    }
    let channels = g
        .answers
        .iter()
        .filter_map(|(_, r)| r.as_ref())
        .flat_map(|r| r.channels.iter().cloned())
        .collect();
    Ok(Some(Found {
        channels,
        nodes: cluster::producers_of(&g),
    }))
}

fn channels(topic: &str, found: &Found, json: bool) -> String {
    if json {
        to_json(json!({ "topic": topic, "found": true, "channels": found.channels }))
    } else {
        lines(found.channels.iter().cloned())
    }
}

/// A terminal gets aligned columns with hostname and version; a pipe only addresses.
fn node_table(nodes: &[Node], with_topics: bool) -> String {
    let w = nodes.iter().map(|n| n.tcp_address.len()).max().unwrap_or(0);
    let h = nodes.iter().map(|n| n.hostname.len()).max().unwrap_or(0);
    let mut s = String::new();
    for n in nodes {
        s.push_str(&format!(
            "{:<w$}  {:<h$}  {}",
            n.tcp_address,
            n.hostname.dimmed(),
            format!("v{}", n.version).dimmed()
        ));
        if with_topics {
            let topics: Vec<String> = n
                .topics
                .iter()
                .map(|t| {
                    if t.tombstoned {
                        format!("{} {}", t.topic, "(tombstoned)".yellow())
                    } else {
                        t.topic.clone()
                    }
                })
                .collect();
            s.push_str(&format!(
                "  http {}  topics: {}",
                n.http_address,
                if topics.is_empty() {
                    "-".to_string()
                } else {
                    topics.join(", ")
                }
            ));
        }
        s.push('\n');
    }
    s
}

async fn nodes(
    client: &Client,
    lookupds: &[String],
    json: bool,
    tty: bool,
) -> anyhow::Result<String> {
    let g = cluster::gather_nodes(client, lookupds).await;
    super::require_one(&g, "/nodes")?;
    let nodes = cluster::nodes_of(&g);
    Ok(if json {
        to_json(json!({ "nodes": nodes }))
    } else if tty {
        node_table(&nodes, true)
    } else {
        lines(nodes.into_iter().map(|n| n.tcp_address))
    })
}

fn topic_nodes(topic: &str, found: &Found, json: bool, tty: bool) -> String {
    let nodes = &found.nodes;
    if nodes.is_empty() && !json {
        crate::output::info(&format!(
            "topic {topic:?} is registered in nsqlookupd but no nsqd holds it now"
        ));
    }
    if json {
        let producers: Vec<serde_json::Value> = nodes
            .iter()
            .map(|n| {
                json!({
                    "node": n.node,
                    "hostname": n.hostname,
                    "broadcast_address": n.broadcast_address,
                    "tcp_port": n.tcp_port,
                    "http_port": n.http_port,
                    "version": n.version,
                    "tcp_address": n.tcp_address,
                    "http_address": n.http_address,
                })
            })
            .collect();
        to_json(json!({
            "topic": topic,
            "found": true,
            "channels": found.channels,
            "producers": producers,
        }))
    } else if tty {
        node_table(nodes, false)
    } else {
        lines(nodes.iter().map(|n| n.tcp_address.clone()))
    }
}
