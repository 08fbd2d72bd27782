//! The nsqlookupd side of the embedded broker: which topics and channels are
//! registered, and whether this node is a producer for them.
//!
//! Like nsqlookupd, a registration outlives the nsqd topic it came from: deleting a
//! topic on nsqd removes this node as its producer but keeps the names listed,
//! except for `#ephemeral` ones, which go when their last producer does.

use crate::protocol::names::is_ephemeral;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// nsqlookupd's --tombstone-lifetime default: how long a tombstoned producer stays
/// hidden from /lookup.
pub const TOMBSTONE_LIFETIME: Duration = Duration::from_secs(45);

/// This node's registration as a producer of a topic or channel (what nsqlookupd
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

/// Key: (topic, channel); the topic's own registration has channel "".
#[derive(Debug, Default)]
pub struct Registry {
    regs: BTreeMap<(String, String), Option<Registration>>,
}

impl Registry {
    fn key(topic: &str, channel: &str) -> (String, String) {
        (topic.to_string(), channel.to_string())
    }

    fn add_producer(&mut self, topic: &str, channel: &str) {
        let e = self.regs.entry(Self::key(topic, channel)).or_insert(None);
        if e.is_none() {
            *e = Some(Registration::default());
        }
    }

    /// nsqd created a topic.
    pub fn register_topic(&mut self, topic: &str) {
        self.add_producer(topic, "");
    }

    /// nsqd created a channel (which registers its topic too).
    pub fn register_channel(&mut self, topic: &str, channel: &str) {
        self.add_producer(topic, channel);
        self.add_producer(topic, "");
    }

    /// nsqd deleted a topic: this node is no longer a producer of it or its channels.
    /// As in nsqlookupd, only `#ephemeral` names lose their registration: an
    /// ephemeral topic's durable channels stay listed.
    pub fn unregister_topic(&mut self, topic: &str) {
        for ((t, _), p) in self.regs.iter_mut() {
            if t == topic {
                *p = None;
            }
        }
        self.regs
            .retain(|(t, c), _| t != topic || !is_ephemeral(if c.is_empty() { t } else { c }));
    }

    /// nsqd deleted a channel.
    pub fn unregister_channel(&mut self, topic: &str, channel: &str) {
        if let Some(p) = self.regs.get_mut(&Self::key(topic, channel)) {
            *p = None;
        }
        if is_ephemeral(channel) {
            self.regs.remove(&Self::key(topic, channel));
        }
    }

    /// lookupd's POST /topic/create: a registration with no producer.
    pub fn create_topic(&mut self, topic: &str) {
        self.regs.entry(Self::key(topic, "")).or_insert(None);
    }

    /// lookupd's POST /channel/create.
    pub fn create_channel(&mut self, topic: &str, channel: &str) {
        self.regs.entry(Self::key(topic, channel)).or_insert(None);
        self.regs.entry(Self::key(topic, "")).or_insert(None);
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

    /// lookupd's POST /topic/tombstone for this node.
    pub fn tombstone(&mut self, topic: &str) -> bool {
        match self.regs.get_mut(&Self::key(topic, "")) {
            Some(Some(p)) => {
                p.tombstoned_at = Some(Instant::now());
                true
            }
            _ => false,
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

    /// This node's registration for a topic (None: not a producer of it).
    pub fn producer(&self, topic: &str) -> Option<Registration> {
        self.regs.get(&Self::key(topic, "")).copied().flatten()
    }

    /// Whether this node is a producer of the channel.
    pub fn channel_has_producer(&self, topic: &str, channel: &str) -> bool {
        matches!(self.regs.get(&Self::key(topic, channel)), Some(Some(_)))
    }

    /// Topics this node produces, with their tombstone flags (for /nodes).
    pub fn produced_topics(&self) -> Vec<(String, bool)> {
        self.regs
            .iter()
            .filter(|((_, c), p)| c.is_empty() && p.is_some())
            .map(|((t, _), p)| (t.clone(), p.is_some_and(|p| p.is_tombstoned())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_linger_after_nsqd_deletes_except_ephemeral() {
        let mut r = Registry::default();
        r.register_channel("t", "ch");
        assert_eq!(r.producer("t"), Some(Registration::default()));
        r.unregister_topic("t");
        assert_eq!(r.topics(), vec!["t"]);
        assert_eq!(r.channels("t"), vec!["ch"]);
        assert_eq!(r.producer("t"), None);

        r.register_channel("y#ephemeral", "c#ephemeral");
        r.unregister_channel("y#ephemeral", "c#ephemeral");
        assert!(r.channels("y#ephemeral").is_empty());
        r.unregister_topic("y#ephemeral");
        assert!(!r.has_topic("y#ephemeral"));

        // a durable channel of an ephemeral topic outlives the topic's registration
        r.register_channel("z#ephemeral", "c");
        r.unregister_topic("z#ephemeral");
        assert!(!r.has_topic("z#ephemeral"));
        assert_eq!(r.channels("z#ephemeral"), vec!["c"]);

        r.register_topic("t");
        assert!(r.tombstone("t"));
        assert!(r.producer("t").unwrap().is_tombstoned());
        assert_eq!(r.produced_topics(), vec![("t".to_string(), true)]);

        assert!(r.delete_topic("t"));
        assert!(r.topics().is_empty());
    }
}
