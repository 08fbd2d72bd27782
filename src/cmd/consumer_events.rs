//! The consumer's events as consuming commands (tail, relay) show them on stderr.

use crate::client::consumer::ConsumerEvent;
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
/// source nodes were unreachable (that is not "drained"): None if none was.
/// A node seen several times (one per topic) is named once, with its longest time.
pub fn unreachable(down: impl IntoIterator<Item = (String, Duration)>) -> Option<String> {
    let mut nodes: BTreeMap<String, Duration> = BTreeMap::new();
    for (node, d) in down {
        let e = nodes.entry(node).or_default();
        *e = (*e).max(d);
    }
    let secs = |d: &Duration| humantime::format_duration(Duration::from_secs(d.as_secs()));
    let mut named = nodes.iter();
    let (first, d) = named.next()?;
    let mut line = format!("source nsqd {first} unreachable for {}", secs(d));
    for (node, d) in named {
        line.push_str(&format!(", {node} for {}", secs(d)));
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
        let line = unreachable([
            ("b:4150".to_string(), s(2500)),
            ("a:4150".to_string(), s(5900)),
            ("b:4150".to_string(), s(12_100)),
        ]);
        assert_eq!(
            line.as_deref(),
            Some("source nsqd a:4150 unreachable for 5s, b:4150 for 12s")
        );
    }
}
