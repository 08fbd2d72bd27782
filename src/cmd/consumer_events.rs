//! The consumer's events as consuming commands (tail, relay) show them on stderr.

use crate::client::consumer::{ConsumerEvent, NodeKind};
use crate::output;
use std::collections::BTreeMap;
use std::time::Duration;

/// Shows the consumer's events on stderr, worded for people.
pub fn printer(topic: &str, channel: &str) -> impl Fn(ConsumerEvent) + Send + Sync + 'static {
    let (topic, channel) = (topic.to_string(), channel.to_string());
    move |event| match event {
        ConsumerEvent::Subscribed { node } => {
            output::info(&format!("subscribed to {topic}/{channel} on {node}"))
        }
        ConsumerEvent::Reconnected { node } => {
            output::info(&format!("reconnected to nsqd at {node}"))
        }
        ConsumerEvent::NodeLost {
            error, retry_in, ..
        } => output::warn(&format!(
            "{error}; reconnecting in {}",
            humantime::format_duration(retry_in)
        )),
        ConsumerEvent::NodeLeft { node, error } => output::info(&format!(
            "{error}; not reconnecting to {node} (it left nsqlookupd)"
        )),
        ConsumerEvent::ServerError { node, error } => {
            output::debug(&format!("nsqd {node}: {error}"))
        }
        ConsumerEvent::LookupdUnreachable { error, .. } => {
            output::warn(&format!("{error} (retrying; Ctrl-C to stop)"))
        }
        ConsumerEvent::LookupdReachable { lookupd } => {
            output::info(&format!("nsqlookupd {lookupd}: reachable again"))
        }
        ConsumerEvent::NodeUnlisted { node } => output::info(&format!(
            "nsqd {node} no longer has topic {topic} at nsqlookupd"
        )),
        ConsumerEvent::NoNodesYet => output::info(&format!(
            "topic {topic} has no nsqd at nsqlookupd yet; waiting for it"
        )),
    }
}

/// The line a consuming command stops with when its --idle-timeout came while
/// source nodes (nsqd, or the nsqlookupds that find them) were unreachable: that
/// is not "drained". None if none was. A node seen several times (one per topic)
/// is named once, with its longest time.
pub fn unreachable(down: impl IntoIterator<Item = (NodeKind, String, Duration)>) -> Option<String> {
    let mut nodes: BTreeMap<(NodeKind, String), Duration> = BTreeMap::new();
    for (kind, node, d) in down {
        let e = nodes.entry((kind, node)).or_default();
        *e = (*e).max(d);
    }
    let secs = |d: &Duration| humantime::format_duration(Duration::from_secs(d.as_secs()));
    let name = |kind: &NodeKind| match kind {
        NodeKind::Nsqd => "nsqd",
        NodeKind::Lookupd => "nsqlookupd",
    };
    let mut named = nodes.iter();
    let ((kind, first), d) = named.next()?;
    let mut line = format!("source {} {first} unreachable for {}", name(kind), secs(d));
    let mut last = *kind;
    for ((kind, node), d) in named {
        match *kind == last {
            true => line.push_str(&format!(", {node} for {}", secs(d))),
            false => line.push_str(&format!(", {} {node} for {}", name(kind), secs(d))),
        }
        last = *kind;
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_names_each_node_once_with_its_longest_time() {
        assert_eq!(unreachable([]), None);
        let s = |n: u64| Duration::from_millis(n);
        let nsqd = |a: &str, d| (NodeKind::Nsqd, a.to_string(), s(d));
        let line = unreachable([
            nsqd("b:4150", 2500),
            nsqd("a:4150", 5900),
            nsqd("b:4150", 12_100),
        ]);
        assert_eq!(
            line.as_deref(),
            Some("source nsqd a:4150 unreachable for 5s, b:4150 for 12s")
        );
        let line = unreachable([
            (NodeKind::Lookupd, "l:4161".to_string(), s(3000)),
            nsqd("a:4150", 1000),
        ]);
        assert_eq!(
            line.as_deref(),
            Some("source nsqd a:4150 unreachable for 1s, nsqlookupd l:4161 for 3s")
        );
    }
}
