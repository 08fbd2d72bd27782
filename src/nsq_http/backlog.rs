//! What nsqd nodes hold, from their `/stats`: the messages of each topic and
//! channel that are queued, in flight or deferred (what `node drain` waits for),
//! and the per-channel facts `check`'s alerts judge.

use super::cluster;
use super::types::{ChannelStats, NsqdStats};
use super::{Client, HttpError};
use serde::Serialize;

/// The `/stats` of one nsqd, without clients; only `topic` if given (nsqd
/// leaves the others out).
pub async fn fetch(
    client: &Client,
    addr: &str,
    topic: Option<&str>,
) -> Result<NsqdStats, HttpError> {
    cluster::node_stats(client, addr, &query(topic)).await
}

/// [`fetch`] from every node at once, in the nodes' order.
pub async fn fetch_all(
    client: &Client,
    addrs: &[String],
    topic: Option<&str>,
) -> Vec<(String, Result<NsqdStats, HttpError>)> {
    cluster::fetch_stats(client, addrs, &query(topic)).await
}

fn query(topic: Option<&str>) -> cluster::StatsQuery {
    cluster::StatsQuery {
        topic: topic.map(str::to_string),
        ..Default::default()
    }
}

/// Messages a topic or channel of one node still holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Held {
    pub topic: String,
    /// None for the topic's own queue: messages no channel has taken yet (a
    /// topic without channels keeps them there).
    pub channel: Option<String>,
    pub depth: i64,
    pub in_flight_count: i64,
    pub deferred_count: i64,
    pub client_count: i64,
    pub paused: bool,
}

/// Depth + in flight + deferred: the messages a queue still holds, what must
/// reach 0 before a node can stop. The one place this sum is made.
pub fn held_sum(depth: i64, in_flight: i64, deferred: i64) -> i64 {
    depth + in_flight + deferred
}

/// [`held_sum`] of a channel in `/stats`.
pub fn channel_held(c: &ChannelStats) -> i64 {
    held_sum(c.depth, c.in_flight_count, c.deferred_count)
}

impl Held {
    /// [`held_sum`] of this queue.
    pub fn total(&self) -> i64 {
        held_sum(self.depth, self.in_flight_count, self.deferred_count)
    }
}

/// Every topic queue and channel of `stats` that still holds a message.
pub fn held(stats: &NsqdStats) -> Vec<Held> {
    let mut out = Vec::new();
    for t in &stats.topics {
        let own = Held {
            topic: t.topic_name.clone(),
            channel: None,
            depth: t.depth,
            in_flight_count: 0,
            deferred_count: 0,
            client_count: 0,
            paused: t.paused,
        };
        out.push(own);
        out.extend(t.channels.iter().map(|c| Held {
            topic: t.topic_name.clone(),
            channel: Some(c.channel_name.clone()),
            depth: c.depth,
            in_flight_count: c.in_flight_count,
            deferred_count: c.deferred_count,
            client_count: c.client_count,
            paused: c.paused || t.paused,
        }));
    }
    out.retain(|h| h.total() > 0);
    out
}

/// The sum of [`Held::total`] over `held`.
pub fn total(held: &[Held]) -> i64 {
    held.iter().map(Held::total).sum()
}

/// One channel of one node, as a check sees it.
#[derive(Debug, Clone)]
pub struct ChannelOnNode<'a> {
    pub topic: &'a str,
    pub channel: &'a ChannelStats,
}

/// Every channel of `stats`, optionally only of `topic` and `channel`.
pub fn channels<'a>(
    stats: &'a NsqdStats,
    topic: Option<&str>,
    channel: Option<&str>,
) -> Vec<ChannelOnNode<'a>> {
    stats
        .topics
        .iter()
        .filter(|t| topic.is_none_or(|w| w == t.topic_name))
        .flat_map(|t| {
            t.channels
                .iter()
                .filter(move |c| channel.is_none_or(|w| w == c.channel_name))
                .map(move |c| ChannelOnNode {
                    topic: &t.topic_name,
                    channel: c,
                })
        })
        .collect()
}

/// Messages that left a channel between two snapshots of it (finished, or
/// dropped by `/channel/empty`): what was held before plus what arrived, minus
/// what is held now. `None` when the counters went back (the channel or nsqd
/// was re-created in between), so nothing can be said.
pub fn left_between(before: &ChannelStats, after: &ChannelStats) -> Option<i64> {
    let arrived = after.message_count.checked_sub(before.message_count)?;
    let arrived = i64::try_from(arrived).ok()?;
    Some(channel_held(before) + arrived - channel_held(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(json: &str) -> NsqdStats {
        serde_json::from_str(json).unwrap()
    }

    const TWO: &str = r#"{"topics":[
        {"topic_name":"a","depth":4,"paused":false,"channels":[]},
        {"topic_name":"b","depth":0,"paused":true,"channels":[
            {"channel_name":"c","depth":1,"in_flight_count":2,"deferred_count":3,"message_count":9,"client_count":1},
            {"channel_name":"d","depth":0,"in_flight_count":0,"deferred_count":0,"message_count":9}]}]}"#;

    #[test]
    fn held_lists_only_what_holds_messages() {
        let h = held(&stats(TWO));
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!((h[0].topic.as_str(), h[0].channel.as_deref()), ("a", None));
        assert_eq!(h[0].total(), 4);
        assert_eq!(h[1].channel.as_deref(), Some("c"));
        assert_eq!(
            (h[1].depth, h[1].in_flight_count, h[1].deferred_count),
            (1, 2, 3)
        );
        assert!(h[1].paused, "a paused topic pauses its channels");
        assert_eq!(total(&h), 10);
        assert!(held(&stats(r#"{"topics":null}"#)).is_empty());
    }

    #[test]
    fn channels_filter_by_topic_and_channel() {
        let s = stats(TWO);
        assert_eq!(channels(&s, None, None).len(), 2);
        assert_eq!(channels(&s, Some("a"), None).len(), 0);
        let one = channels(&s, Some("b"), Some("d"));
        assert_eq!(
            (one[0].topic, one[0].channel.channel_name.as_str()),
            ("b", "d")
        );
    }

    #[test]
    fn left_between_counts_finished_messages() {
        let s = stats(TWO);
        let c = &s.topics[1].channels[0];
        let mut later = c.clone();
        assert_eq!(left_between(c, &later), Some(0));
        // 5 more arrived, 2 were finished: held 6 -> 9
        later.message_count += 5;
        later.depth += 3;
        assert_eq!(left_between(c, &later), Some(2));
        later.message_count = 1;
        assert_eq!(left_between(c, &later), None);
    }
}
