//! `nsq-cli lookup`: what nsqlookupd knows, merged over every lookupd given.

use crate::cli::LookupArgs;
use crate::http::cluster::{self, Node};
use crate::http::types::{ChannelsResponse, TopicsResponse};
use crate::http::Client;
use colored::Colorize;
use serde_json::json;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub async fn run(args: LookupArgs) -> anyhow::Result<ExitCode> {
    let client = cluster::client_from(&args.http)?;
    let lookupds = cluster::dedup_addrs(args.lookupd_http_address.iter().cloned());
    cluster::validate_addrs(&lookupds)?;
    let tty = std::io::stdout().is_terminal();
    let out = if args.topics {
        topics(&client, &lookupds, args.json).await?
    } else if args.channels {
        let topic = args.topic.as_deref().unwrap_or_default();
        channels(&client, &lookupds, topic, args.json).await?
    } else if args.nodes {
        nodes(&client, &lookupds, args.json, tty).await?
    } else if let Some(topic) = &args.topic {
        match topic_nodes(&client, &lookupds, topic, args.json, tty).await? {
            Some(s) => s,
            None => return Ok(ExitCode::from(1)),
        }
    } else {
        anyhow::bail!(
            "nothing to look up: give -topic TOPIC, or one of --topics, --channels -topic TOPIC, --nodes"
        );
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
    let c = client.clone();
    let g = gather(lookupds, move |a| {
        let c = c.clone();
        async move { c.get_json::<TopicsResponse>(&a, "/topics", &[]).await }
    })
    .await;
    g.require_one("/topics")?;
    let all: BTreeSet<String> = g.answers.into_iter().flat_map(|(_, r)| r.topics).collect();
    Ok(if json {
        to_json(json!({ "topics": all }))
    } else {
        lines(all)
    })
}

async fn channels(
    client: &Client,
    lookupds: &[String],
    topic: &str,
    json: bool,
) -> anyhow::Result<String> {
    let c = client.clone();
    let t = topic.to_string();
    let g = gather(lookupds, move |a| {
        let c = c.clone();
        let t = t.clone();
        async move {
            c.get_json::<ChannelsResponse>(&a, "/channels", &[("topic", &t)])
                .await
        }
    })
    .await;
    g.require_one("/channels")?;
    let all: BTreeSet<String> = g
        .answers
        .into_iter()
        .flat_map(|(_, r)| r.channels)
        .collect();
    Ok(if json {
        to_json(json!({ "topic": topic, "channels": all }))
    } else {
        lines(all)
    })
}

async fn gather<T, F, Fut>(lookupds: &[String], f: F) -> cluster::Gathered<T>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::http::HttpError>> + Send + 'static,
    T: Send + 'static,
{
    cluster::Gathered::from_results(cluster::each(lookupds, f).await)
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
    g.require_one("/nodes")?;
    let nodes = cluster::nodes_of(&g);
    Ok(if json {
        to_json(json!({ "nodes": nodes }))
    } else if tty {
        node_table(&nodes, true)
    } else {
        lines(nodes.into_iter().map(|n| n.tcp_address))
    })
}

/// `None` when no lookupd knows the topic (reported on stderr, exit 1).
async fn topic_nodes(
    client: &Client,
    lookupds: &[String],
    topic: &str,
    json: bool,
    tty: bool,
) -> anyhow::Result<Option<String>> {
    let g = cluster::gather_lookup(client, lookupds, topic).await;
    g.require_one("/lookup")?;
    if g.answers.iter().all(|(_, r)| r.is_none()) {
        crate::output::error(&format!(
            "topic {topic:?} not found in nsqlookupd ({})",
            g.answers
                .iter()
                .map(|(a, _)| crate::http::display_addr(a))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if json {
            // Scripts reading JSON still get a document.
            print!(
                "{}",
                to_json(json!({ "topic": topic, "found": false, "channels": [], "producers": [] }))
            );
        }
        return Ok(None);
    }
    let channels: BTreeSet<String> = g
        .answers
        .iter()
        .filter_map(|(_, r)| r.as_ref())
        .flat_map(|r| r.channels.iter().cloned())
        .collect();
    let nodes = cluster::producers_of(&g);
    if nodes.is_empty() && !json {
        crate::output::info(&format!(
            "topic {topic:?} is registered in nsqlookupd but no nsqd holds it now"
        ));
    }
    Ok(Some(if json {
        let producers: Vec<serde_json::Value> = nodes
            .iter()
            .map(|n| {
                json!({
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
            "channels": channels,
            "producers": producers,
        }))
    } else if tty {
        node_table(&nodes, false)
    } else {
        lines(nodes.into_iter().map(|n| n.tcp_address))
    }))
}
