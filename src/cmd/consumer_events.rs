//! The consumer's events as consuming commands (tail, relay) show them on stderr.

use crate::client::consumer::ConsumerEvent;
use crate::output;

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
