//! The nsqlookupd side of the embedded broker: which topics and channels are
//! registered, and which of its nodes (nsqd instances) are producers of them.
//!
//! Like nsqlookupd, a registration outlives the nsqd topic it came from: deleting a
//! topic on a node removes that node as its producer but keeps the names listed,
//! except for `#ephemeral` ones, which go when their last producer does.

use crate::protocol::names::is_ephemeral;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// nsqlookupd's --tombstone-lifetime default: how long a tombstoned producer stays
/// hidden from /lookup.
pub const TOMBSTONE_LIFETIME: Duration = Duration::from_secs(45);

/// Which node of `nsq-cli dev --nodes N` (0-based, in start order): the embedded
/// lookupd's identity for a producer, as nsqlookupd's peer id.
pub type NodeId = usize;

/// A node's registration as a producer of a topic or channel (what nsqlookupd
/// keeps per producer: only whether and when it was tombstoned).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registration {
    pub tombstoned_at: Option<Instant>,
}

impl Registration {
    pub fn is_tombstoned(&self) -> bool {
        self.tombstoned_at
            .is_some_and(|at| at.elapsed() < TOMBSTONE_LIFETIME)
    }
}

/// The producers of one registration, by node; empty: listed with no producer.
type Producers = BTreeMap<NodeId, Registration>;

/// Key: (topic, channel); the topic's own registration has channel "".
#[derive(Debug, Default)]
pub struct Registry {
    regs: BTreeMap<(String, String), Producers>,
}

impl Registry {
    fn key(topic: &str, channel: &str) -> (String, String) {
        (topic.to_string(), channel.to_string())
    }

    fn add_producer(&mut self, node: NodeId, topic: &str, channel: &str) {
        self.regs
            .entry(Self::key(topic, channel))
            .or_default()
            .entry(node)
            .or_default();
    }

    /// Removes `node` as a producer of the registration; an `#ephemeral` one goes
    /// with its last producer (nsqlookupd's UNREGISTER).
    fn remove_producer(&mut self, node: NodeId, topic: &str, channel: &str) {
        let key = Self::key(topic, channel);
        let Some(producers) = self.regs.get_mut(&key) else {
            return;
        };
        producers.remove(&node);
        let name = if channel.is_empty() { topic } else { channel };
        if producers.is_empty() && is_ephemeral(name) {
            self.regs.remove(&key);
        }
    }

    /// A node created a topic.
    pub fn register_topic(&mut self, node: NodeId, topic: &str) {
        self.add_producer(node, topic, "");
    }

    /// A node created a channel (which registers its topic too).
    pub fn register_channel(&mut self, node: NodeId, topic: &str, channel: &str) {
        self.add_producer(node, topic, channel);
        self.add_producer(node, topic, "");
    }

    /// A node deleted a topic: it is no longer a producer of it or its channels.
    /// As in nsqlookupd, only `#ephemeral` names lose their registration, and only
    /// with their last producer: an ephemeral topic's durable channels stay listed.
    pub fn unregister_topic(&mut self, node: NodeId, topic: &str) {
        for channel in self.channels(topic) {
            self.remove_producer(node, topic, &channel);
        }
        self.remove_producer(node, topic, "");
    }

    /// A node deleted a channel.
    pub fn unregister_channel(&mut self, node: NodeId, topic: &str, channel: &str) {
        self.remove_producer(node, topic, channel);
    }

    /// lookupd's POST /topic/create: a registration with no producer.
    pub fn create_topic(&mut self, topic: &str) {
        self.regs.entry(Self::key(topic, "")).or_default();
    }

    /// lookupd's POST /channel/create.
    pub fn create_channel(&mut self, topic: &str, channel: &str) {
        self.regs.entry(Self::key(topic, channel)).or_default();
        self.regs.entry(Self::key(topic, "")).or_default();
    }

    /// lookupd's POST /topic/delete: the topic and all its channels.
    pub fn delete_topic(&mut self, topic: &str) -> bool {
        let before = self.regs.len();
        self.regs.retain(|(t, _), _| t != topic);
        before != self.regs.len()
    }

    /// lookupd's POST /channel/delete.
    pub fn delete_channel(&mut self, topic: &str, channel: &str) -> bool {
        self.regs.remove(&Self::key(topic, channel)).is_some()
    }

    /// lookupd's POST /topic/tombstone for one producer of the topic.
    pub fn tombstone(&mut self, node: NodeId, topic: &str) -> bool {
        match self
            .regs
            .get_mut(&Self::key(topic, ""))
            .and_then(|p| p.get_mut(&node))
        {
            Some(p) => {
                p.tombstoned_at = Some(Instant::now());
                true
            }
            None => false,
        }
    }

    /// Whether lookupd lists this channel (with or without a producer).
    pub fn has_channel(&self, topic: &str, channel: &str) -> bool {
        self.regs.contains_key(&Self::key(topic, channel))
    }

    pub fn has_topic(&self, topic: &str) -> bool {
        self.regs.contains_key(&Self::key(topic, ""))
    }

    pub fn topics(&self) -> Vec<String> {
        self.regs
            .keys()
            .filter(|(_, c)| c.is_empty())
            .map(|(t, _)| t.clone())
            .collect()
    }

    pub fn channels(&self, topic: &str) -> Vec<String> {
        self.regs
            .keys()
            .filter(|(t, c)| t == topic && !c.is_empty())
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// The producers of a topic (channel "") or channel, in node order.
    pub fn producers(&self, topic: &str, channel: &str) -> Vec<(NodeId, Registration)> {
        self.regs
            .get(&Self::key(topic, channel))
            .map(|p| p.iter().map(|(n, r)| (*n, *r)).collect())
            .unwrap_or_default()
    }

    /// Topics `node` produces, with their tombstone flags (for /nodes).
    pub fn produced_topics(&self, node: NodeId) -> Vec<(String, bool)> {
        self.regs
            .iter()
            .filter(|((_, c), _)| c.is_empty())
            .filter_map(|((t, _), p)| Some((t.clone(), p.get(&node)?.is_tombstoned())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn producer_nodes(r: &Registry, topic: &str, channel: &str) -> Vec<NodeId> {
        r.producers(topic, channel)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn registrations_linger_after_nsqd_deletes_except_ephemeral() {
        let mut r = Registry::default();
        r.register_channel(0, "t", "ch");
        assert_eq!(r.producers("t", ""), vec![(0, Registration::default())]);
        r.unregister_topic(0, "t");
        assert_eq!(r.topics(), vec!["t"]);
        assert_eq!(r.channels("t"), vec!["ch"]);
        assert!(r.producers("t", "").is_empty());
        assert!(r.producers("t", "ch").is_empty());

        r.register_channel(0, "y#ephemeral", "c#ephemeral");
        r.unregister_channel(0, "y#ephemeral", "c#ephemeral");
        assert!(r.channels("y#ephemeral").is_empty());
        r.unregister_topic(0, "y#ephemeral");
        assert!(!r.has_topic("y#ephemeral"));

        // a durable channel of an ephemeral topic outlives the topic's registration
        r.register_channel(0, "z#ephemeral", "c");
        r.unregister_topic(0, "z#ephemeral");
        assert!(!r.has_topic("z#ephemeral"));
        assert_eq!(r.channels("z#ephemeral"), vec!["c"]);

        r.register_topic(0, "t");
        assert!(r.tombstone(0, "t"));
        assert!(r.producers("t", "")[0].1.is_tombstoned());
        assert_eq!(r.produced_topics(0), vec![("t".to_string(), true)]);

        assert!(r.delete_topic("t"));
        assert!(r.topics().is_empty());
    }

    #[test]
    fn each_node_is_a_producer_of_its_own() {
        let mut r = Registry::default();
        r.register_channel(0, "t", "c");
        r.register_topic(2, "t");
        r.register_channel(1, "u", "c");
        assert_eq!(producer_nodes(&r, "t", ""), [0, 2]);
        assert_eq!(producer_nodes(&r, "t", "c"), [0]);

        // a tombstone is one producer's, as nsqlookupd's
        assert!(r.tombstone(2, "t"));
        assert!(!r.tombstone(1, "t"), "node 1 does not produce t");
        assert_eq!(r.produced_topics(0), [("t".to_string(), false)]);
        assert_eq!(r.produced_topics(2), [("t".to_string(), true)]);
        assert_eq!(
            r.produced_topics(1),
            [("u".to_string(), false)],
            "node 1 produces u only"
        );

        // one node deleting its topic leaves the others' registrations alone
        r.unregister_topic(0, "t");
        assert_eq!(producer_nodes(&r, "t", ""), [2]);
        assert!(r.producers("t", "c").is_empty());

        // an ephemeral name goes with its LAST producer only
        r.register_topic(0, "e#ephemeral");
        r.register_topic(1, "e#ephemeral");
        r.unregister_topic(0, "e#ephemeral");
        assert!(r.has_topic("e#ephemeral"));
        r.unregister_topic(1, "e#ephemeral");
        assert!(!r.has_topic("e#ephemeral"));
        r.register_channel(0, "t", "x#ephemeral");
        r.register_channel(1, "t", "x#ephemeral");
        r.unregister_channel(1, "t", "x#ephemeral");
        assert_eq!(producer_nodes(&r, "t", "x#ephemeral"), [0]);
        r.unregister_channel(0, "t", "x#ephemeral");
        assert!(!r.has_channel("t", "x#ephemeral"));
    }
}
