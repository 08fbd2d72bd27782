//! JSON bodies of the nsqd and nsqlookupd HTTP APIs (v1.3.0), as far as we read them.
//! Unknown fields are ignored and `null` lists read as empty, since nsqd sends
//! `null` for some empty lists; the key a response is about must be there, so that
//! an answer from something that is not nsqd/nsqlookupd is an error, not "nothing".

use serde::{Deserialize, Deserializer, Serialize};

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An nsqd as nsqlookupd describes it (`/lookup` producers, `/nodes`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Producer {
    #[serde(default)]
    pub remote_address: String,
    #[serde(default)]
    pub hostname: String,
    pub broadcast_address: String,
    pub tcp_port: u16,
    pub http_port: u16,
    #[serde(default)]
    pub version: String,
    /// Only in `/nodes`: one flag per entry of `topics`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tombstones: Vec<bool>,
    /// Only in `/nodes`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub topics: Vec<String>,
}

/// `GET /lookup?topic=T`.
#[derive(Debug, Clone, Deserialize)]
pub struct LookupResponse {
    #[serde(deserialize_with = "null_as_empty")]
    pub channels: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub producers: Vec<Producer>,
}

/// `GET /nodes`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NodesResponse {
    #[serde(deserialize_with = "null_as_empty")]
    pub producers: Vec<Producer>,
}

/// `GET /topics`.
#[derive(Debug, Clone, Deserialize)]
pub struct TopicsResponse {
    #[serde(deserialize_with = "null_as_empty")]
    pub topics: Vec<String>,
}

/// nsqd `GET /stats?format=json`.
#[derive(Debug, Clone, Deserialize)]
pub struct NsqdStats {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub health: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub topics: Vec<TopicStats>,
    /// The publishing clients (only with `include_clients`; nsqd sends `null` for none).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub producers: Vec<ClientStats>,
}

/// nsqd's end-to-end processing latency of a topic or channel: percentiles only
/// when nsqd runs with `--e2e-processing-latency-percentile`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct E2eLatency {
    #[serde(default)]
    pub count: u64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub percentiles: Vec<Percentile>,
}

/// One percentile: `quantile` (0.99) and its `value` in nanoseconds.
#[derive(Debug, Clone, Deserialize)]
pub struct Percentile {
    pub quantile: f64,
    pub value: f64,
}

/// One client connection as nsqd reports it (a channel's subscriber or a producer).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClientStats {
    pub client_id: String,
    pub hostname: String,
    pub remote_address: String,
    pub user_agent: String,
    pub ready_count: i64,
    pub in_flight_count: i64,
    pub message_count: u64,
    pub finish_count: u64,
    pub requeue_count: u64,
    /// Unix seconds.
    pub connect_ts: i64,
    pub tls: bool,
    pub snappy: bool,
    pub deflate: bool,
    pub authed: bool,
    #[serde(deserialize_with = "null_as_empty")]
    pub pub_counts: Vec<PubCount>,
}

/// Messages a producer published to one topic.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PubCount {
    pub topic: String,
    pub count: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TopicStats {
    pub topic_name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub channels: Vec<ChannelStats>,
    #[serde(default)]
    pub depth: i64,
    #[serde(default)]
    pub backend_depth: i64,
    #[serde(default)]
    pub message_count: u64,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub e2e_processing_latency: E2eLatency,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChannelStats {
    pub channel_name: String,
    #[serde(default)]
    pub depth: i64,
    #[serde(default)]
    pub backend_depth: i64,
    #[serde(default)]
    pub in_flight_count: i64,
    #[serde(default)]
    pub deferred_count: i64,
    #[serde(default)]
    pub message_count: u64,
    #[serde(default)]
    pub requeue_count: u64,
    #[serde(default)]
    pub timeout_count: u64,
    #[serde(default)]
    pub client_count: i64,
    /// Only with `include_clients`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub clients: Vec<ClientStats>,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub e2e_processing_latency: E2eLatency,
}

#[cfg(test)]
mod tests {
    use super::*;

    // Bodies as captured from nsqd / nsqlookupd v1.3.0 (trimmed of fields we ignore).
    const LOOKUP: &str = r#"{"channels":["c1","c2"],"producers":[{"remote_address":"127.0.0.1:48640","hostname":"vm","broadcast_address":"127.0.0.1","tcp_port":4150,"http_port":4151,"version":"1.3.0"}]}"#;
    const NODES_AFTER_TOMBSTONE: &str = r#"{"producers":[{"remote_address":"127.0.0.1:48640","hostname":"vm","broadcast_address":"127.0.0.1","tcp_port":4150,"http_port":4151,"version":"1.3.0","tombstones":[true],"topics":["t"]}]}"#;
    const STATS: &str = r#"{"version":"1.3.0","health":"OK","start_time":1795621136,"topics":[{"topic_name":"t","channels":[
        {"channel_name":"c1","depth":0,"backend_depth":0,"in_flight_count":0,"deferred_count":1,"message_count":7,"requeue_count":0,"timeout_count":0,"client_count":1,"clients":null,"paused":false,"e2e_processing_latency":{"count":0,"percentiles":null}},
        {"channel_name":"c2","depth":3,"backend_depth":0,"in_flight_count":2,"deferred_count":2,"message_count":7,"requeue_count":1,"timeout_count":0,"client_count":1,"clients":[],"paused":false,"e2e_processing_latency":{"count":0,"percentiles":null}}],
        "depth":0,"backend_depth":0,"message_count":7,"message_bytes":70,"paused":false,"e2e_processing_latency":{"count":0,"percentiles":null}}],
        "memory":{"heap_objects":5822},"producers":null}"#;

    #[test]
    fn parses_captured_lookup_and_nodes() {
        let l: LookupResponse = serde_json::from_str(LOOKUP).unwrap();
        assert_eq!(l.channels, ["c1", "c2"]);
        assert_eq!(l.producers.len(), 1);
        let p = &l.producers[0];
        assert_eq!(
            (p.broadcast_address.as_str(), p.tcp_port, p.http_port),
            ("127.0.0.1", 4150, 4151)
        );
        assert_eq!(p.version, "1.3.0");
        assert!(p.topics.is_empty());

        let n: NodesResponse = serde_json::from_str(NODES_AFTER_TOMBSTONE).unwrap();
        assert_eq!(n.producers[0].topics, ["t"]);
        assert_eq!(n.producers[0].tombstones, [true]);

        let empty: LookupResponse =
            serde_json::from_str(r#"{"channels":[],"producers":[]}"#).unwrap();
        assert!(empty.producers.is_empty());
    }

    #[test]
    fn parses_captured_stats_including_nulls() {
        let s: NsqdStats = serde_json::from_str(STATS).unwrap();
        assert_eq!(s.health, "OK");
        let t = &s.topics[0];
        assert_eq!(t.topic_name, "t");
        assert_eq!(t.message_count, 7);
        let c2 = t.channels.iter().find(|c| c.channel_name == "c2").unwrap();
        assert_eq!(
            (
                c2.depth,
                c2.in_flight_count,
                c2.deferred_count,
                c2.requeue_count,
                c2.client_count
            ),
            (3, 2, 2, 1, 1)
        );
        // unknown topic filter: "topics": null
        let none: NsqdStats =
            serde_json::from_str(r#"{"version":"1.3.0","health":"OK","topics":null}"#).unwrap();
        assert!(none.topics.is_empty());
    }
}

#[cfg(test)]
mod required_keys {
    use super::*;

    #[test]
    fn an_answer_without_the_key_is_an_error_not_an_empty_list() {
        assert!(serde_json::from_str::<TopicsResponse>(r#"{"foo":1}"#).is_err());
        assert!(serde_json::from_str::<NodesResponse>(r#"{"topics":[]}"#).is_err());
        assert!(serde_json::from_str::<NsqdStats>(r#"{"version":"1"}"#).is_err());
        // null is nsqd's way of saying "none"
        let t: TopicsResponse = serde_json::from_str(r#"{"topics":null}"#).unwrap();
        assert!(t.topics.is_empty());
    }
}
