//! The alerts `check` judges per node and channel (--orphans, --max-requeues,
//! --max-deferred) and over the cluster (--min-nodes).

use super::args::CheckArgs;
use super::{check, ok, Check, Severity, Target};
use crate::nsq_http::backlog::{self, ChannelOnNode};
use crate::nsq_http::cluster::{Node, Role};
use crate::nsq_http::types::{ChannelStats, NsqdStats};
use crate::nsq_http::{display_addr, Client, HttpError};
use std::time::Duration;

type NodeStats = Vec<(String, Result<NsqdStats, HttpError>)>;

/// --min-nodes: how many nsqd the lookupds that answered know.
pub fn min_nodes(nodes: &[Node], min: usize) -> Check {
    let n = nodes.len();
    let names: Vec<&str> = nodes.iter().map(|n| n.node.as_str()).collect();
    let listed = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    };
    let (status, op) = if n < min {
        (Severity::Threshold, "<")
    } else {
        (Severity::Ok, ">=")
    };
    check(
        "min_nodes",
        Target::Cluster,
        status,
        format!("{n} nsqd registered{listed} {op} {min}"),
    )
}

/// Whether any per-channel alert was asked for.
pub fn wanted(args: &CheckArgs) -> bool {
    args.orphans || args.max_requeues.is_some() || args.max_deferred.is_some()
}

/// --orphans (over --grace), --max-requeues and --max-deferred on every
/// channel of every node (or those of --topic/--channel).
pub async fn channel_alerts(client: &Client, nsqds: &[String], args: &CheckArgs) -> Vec<Check> {
    let topic = args.topic.as_deref();
    let first = backlog::fetch_all(client, nsqds, topic).await;
    let grace = args.grace.unwrap_or(Duration::ZERO);
    let later = if args.orphans && !grace.is_zero() {
        let n = orphan_candidates(&first, args).len();
        crate::output::info(&format!(
            "watching {n} channel(s) with messages and no client for {} (--grace)",
            humantime::format_duration(grace)
        ));
        tokio::time::sleep(grace).await;
        Some(backlog::fetch_all(client, nsqds, topic).await)
    } else {
        None
    };
    let now = later.as_ref().unwrap_or(&first);
    let mut checks = Vec::new();
    for (addr, r) in now {
        let node = display_addr(addr);
        let stats = match r {
            Ok(s) => s,
            Err(e) => {
                let target = Target::Node(Role::Nsqd, node);
                checks.push(check("stats", target, Severity::Unreachable, e.to_string()));
                continue;
            }
        };
        let chans = backlog::channels(stats, topic, args.channel.as_deref());
        if args.orphans {
            match later.as_ref().map(|_| stats_of(&first, addr)) {
                None => checks.extend(orphans(&node, &chans, None, grace)),
                Some(Ok(before)) => checks.extend(orphans(&node, &chans, Some(before), grace)),
                // Without the first look, --grace cannot be judged on this node.
                Some(Err(e)) => {
                    let target = Target::Node(Role::Nsqd, node.clone());
                    let detail = format!("at the start of --grace: {e}");
                    checks.push(check("stats", target, Severity::Unreachable, detail));
                }
            }
        }
        if let Some(max) = args.max_requeues {
            let before = later.as_ref().map(|_| stats_of(&first, addr).ok());
            checks.extend(requeues(&node, &chans, max, before, grace));
        }
        if let Some(max) = args.max_deferred {
            let over = |c: &ChannelOnNode| {
                let n = c.channel.deferred_count;
                (n > max).then(|| format!("deferred {n} > {max}"))
            };
            checks.extend(over_limit(&node, &chans, "deferred", max, over));
        }
    }
    checks
}

/// The first snapshot's stats of `addr`, or its error then.
fn stats_of<'a>(snap: &'a NodeStats, addr: &str) -> Result<&'a NsqdStats, String> {
    match snap.iter().find(|(a, _)| a == addr) {
        Some((_, Ok(s))) => Ok(s),
        Some((_, Err(e))) => Err(e.to_string()),
        None => Err("not asked".to_string()),
    }
}

/// Channels (over all nodes) that hold messages and have no client.
fn orphan_candidates<'a>(snap: &'a NodeStats, args: &CheckArgs) -> Vec<ChannelOnNode<'a>> {
    snap.iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|s| backlog::channels(s, args.topic.as_deref(), args.channel.as_deref()))
        .filter(|c| is_orphan_now(c.channel))
        .collect()
}

fn is_orphan_now(c: &ChannelStats) -> bool {
    c.client_count == 0 && backlog::channel_held(c) > 0
}

/// A channel is orphaned when it holds messages and has no client; with a grace
/// it must also have been so in the snapshot `grace` earlier, with no message
/// finished (or emptied) in between.
fn orphans(
    node: &str,
    chans: &[ChannelOnNode],
    before: Option<&NsqdStats>,
    grace: Duration,
) -> Vec<Check> {
    let mut out = Vec::new();
    for c in chans.iter().filter(|c| is_orphan_now(c.channel)) {
        let s = c.channel;
        let was = before.map(|b| {
            backlog::channels(b, Some(c.topic), Some(&s.channel_name))
                .first()
                .filter(|p| is_orphan_now(p.channel))
                .and_then(|p| backlog::left_between(p.channel, s))
        });
        let since = match was {
            None => "now".to_string(),
            Some(Some(0)) => format!("for at least {}", humantime::format_duration(grace)),
            Some(_) => continue,
        };
        let paused = if s.paused { ", paused" } else { "" };
        let detail = format!(
            "{} message(s) (depth {}, in flight {}, deferred {}{paused}) and no client {since}",
            backlog::channel_held(s),
            s.depth,
            s.in_flight_count,
            s.deferred_count
        );
        let target = Target::NodeChannel(
            node.to_string(),
            c.topic.to_string(),
            s.channel_name.clone(),
        );
        out.push(check("orphans", target, Severity::Threshold, detail));
    }
    if out.is_empty() {
        let detail = format!("no orphaned channel ({} checked)", chans.len());
        out.push(ok(
            "orphans",
            Target::Node(Role::Nsqd, node.to_string()),
            detail,
        ));
    }
    out
}

/// --max-requeues: nsqd's requeue count is a lifetime counter (since the
/// channel was created on that nsqd). With --grace (`before` is Some) the
/// increase between the two looks is judged; a channel the first look did not
/// have, or whose count went down (re-created), is judged by its whole count.
/// `before` is Some(None) when the first look at the node failed: that is
/// already a failed check, and no channel is judged.
fn requeues(
    node: &str,
    chans: &[ChannelOnNode],
    max: u64,
    before: Option<Option<&NsqdStats>>,
    grace: Duration,
) -> Vec<Check> {
    let Some(before) = before else {
        let over = |c: &ChannelOnNode| {
            let n = c.channel.requeue_count;
            (n > max).then(|| format!("requeues {n} > {max}"))
        };
        return over_limit(node, chans, "requeues", max, over);
    };
    let Some(before) = before else {
        return Vec::new();
    };
    let within = humantime::format_duration(grace);
    let over = |c: &ChannelOnNode| {
        let now = c.channel.requeue_count;
        let then = backlog::channels(before, Some(c.topic), Some(&c.channel.channel_name))
            .first()
            .map(|p| p.channel.requeue_count)
            .filter(|&then| then <= now)
            .unwrap_or(0);
        let n = now - then;
        (n > max).then(|| format!("requeues {n} in {within} (--grace) > {max}"))
    };
    over_limit(node, chans, "requeues", max, over)
}

/// One failed check per channel for which `over` says what is above the
/// limit, or one ok check for the node.
fn over_limit<T: std::fmt::Display>(
    node: &str,
    chans: &[ChannelOnNode],
    name: &'static str,
    limit: T,
    over: impl Fn(&ChannelOnNode) -> Option<String>,
) -> Vec<Check> {
    let mut out: Vec<Check> = chans
        .iter()
        .filter_map(|c| {
            let detail = over(c)?;
            let target = Target::NodeChannel(
                node.to_string(),
                c.topic.to_string(),
                c.channel.channel_name.clone(),
            );
            Some(check(name, target, Severity::Threshold, detail))
        })
        .collect();
    if out.is_empty() {
        let detail = format!("no channel over {limit} {name} ({} checked)", chans.len());
        out.push(ok(name, Target::Node(Role::Nsqd, node.to_string()), detail));
    }
    out
}
