//! `stats --clients`: one row per client connection nsqd reports, the consumers
//! of each channel and the producers of each topic.

use crate::nsq_http::types::{ClientStats, NsqdStats};
use colored::Colorize;
use serde::Serialize;

/// One client of one node, as `--clients` shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClientRow {
    pub node: String,
    /// "consumer" (subscribed to `channel`) or "producer" (published to `topic`).
    pub role: &'static str,
    pub topic: String,
    /// None for a producer.
    pub channel: Option<String>,
    pub remote_address: String,
    pub hostname: String,
    pub client_id: String,
    pub user_agent: String,
    pub ready_count: i64,
    pub in_flight_count: i64,
    /// A consumer's messages received; a producer's messages published to `topic`.
    pub message_count: u64,
    pub finish_count: u64,
    pub requeue_count: u64,
    pub tls: bool,
    pub snappy: bool,
    pub deflate: bool,
    pub authed: bool,
    /// Unix seconds of the connection.
    pub connect_ts: i64,
    /// Seconds connected, at the time of the answer.
    pub connected_seconds: i64,
}

fn row(node: &str, topic: &str, channel: Option<&str>, c: &ClientStats, now: i64) -> ClientRow {
    ClientRow {
        node: node.to_string(),
        role: if channel.is_some() {
            "consumer"
        } else {
            "producer"
        },
        topic: topic.to_string(),
        channel: channel.map(str::to_string),
        remote_address: c.remote_address.clone(),
        hostname: c.hostname.clone(),
        client_id: c.client_id.clone(),
        user_agent: c.user_agent.clone(),
        ready_count: c.ready_count,
        in_flight_count: c.in_flight_count,
        message_count: c.message_count,
        finish_count: c.finish_count,
        requeue_count: c.requeue_count,
        tls: c.tls,
        snappy: c.snappy,
        deflate: c.deflate,
        authed: c.authed,
        connect_ts: c.connect_ts,
        connected_seconds: (now - c.connect_ts).max(0),
    }
}

/// The client rows of every node, sorted by topic, channel (producers first),
/// node and address. `topic`/`channel` filter as in the other stats views: a
/// `channel` leaves the producers out, since they publish to the topic.
pub fn rows(
    per_node: &[(String, NsqdStats)],
    topic: Option<&str>,
    channel: Option<&str>,
    now: i64,
) -> Vec<ClientRow> {
    let mut out = Vec::new();
    for (node, stats) in per_node {
        for t in stats
            .topics
            .iter()
            .filter(|t| topic.is_none_or(|n| n == t.topic_name))
        {
            for c in t
                .channels
                .iter()
                .filter(|c| channel.is_none_or(|n| n == c.channel_name))
            {
                for client in &c.clients {
                    out.push(row(node, &t.topic_name, Some(&c.channel_name), client, now));
                }
            }
        }
        if channel.is_some() {
            continue;
        }
        for p in &stats.producers {
            for pc in &p.pub_counts {
                if topic.is_none_or(|t| t == pc.topic) {
                    let mut r = row(node, &pc.topic, None, p, now);
                    r.message_count = pc.count;
                    out.push(r);
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.topic, &a.channel, &a.node, &a.remote_address).cmp(&(
            &b.topic,
            &b.channel,
            &b.node,
            &b.remote_address,
        ))
    });
    out
}

const HEADERS: [&str; 14] = [
    "TOPIC",
    "CHANNEL",
    "NODE",
    "REMOTE",
    "HOSTNAME",
    "CLIENT-ID",
    "USER-AGENT",
    "RDY",
    "IN-FLT",
    "MSGS",
    "FIN",
    "REQ",
    "FLAGS",
    "CONNECTED",
];

/// Columns from RDY on are numbers (right-aligned).
const FIRST_NUMBER: usize = 7;

fn flags(r: &ClientRow) -> String {
    let on: Vec<&str> = [
        (r.tls, "tls"),
        (r.snappy, "snappy"),
        (r.deflate, "deflate"),
        (r.authed, "auth"),
    ]
    .iter()
    .filter(|f| f.0)
    .map(|f| f.1)
    .collect();
    if on.is_empty() {
        "-".to_string()
    } else {
        on.join(",")
    }
}

fn cells(r: &ClientRow) -> Vec<String> {
    let connected = std::time::Duration::from_secs(r.connected_seconds as u64);
    vec![
        r.topic.clone(),
        r.channel.clone().unwrap_or_else(|| "-".to_string()),
        r.node.clone(),
        r.remote_address.clone(),
        r.hostname.clone(),
        r.client_id.clone(),
        r.user_agent.clone(),
        r.ready_count.to_string(),
        r.in_flight_count.to_string(),
        r.message_count.to_string(),
        r.finish_count.to_string(),
        r.requeue_count.to_string(),
        flags(r),
        humantime::format_duration(connected)
            .to_string()
            .replace(' ', ""),
    ]
}

/// An aligned table of the rows ("no clients" under the header when there are none).
pub fn render_table(rows: &[ClientRow]) -> String {
    let table: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let widths: Vec<usize> = (0..HEADERS.len())
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .chain([HEADERS[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| super::pad(c, widths[i], i >= FIRST_NUMBER))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = format!(
        "{}\n",
        line(HEADERS.iter().map(|h| h.to_string()).collect()).bold()
    );
    for r in table {
        out.push_str(&line(r));
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(no clients connected)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fixture captured from nsqd v1.3.0 (GET /stats?format=json).
    const FIXTURE: &str = include_str!("../../../tests/fixtures/nsqd-v1.3.0/http-nsqd-stats.json");

    #[test]
    fn rows_of_the_captured_stats() {
        let stats: NsqdStats = serde_json::from_str(FIXTURE).unwrap();
        let per_node = vec![("n:4151".to_string(), stats)];
        let now = 1795621193 + 75;
        let all = rows(&per_node, None, None, now);
        assert_eq!(all.len(), 3, "{all:?}");
        let producer = &all[0];
        assert_eq!(
            (
                producer.role,
                producer.channel.as_deref(),
                producer.message_count
            ),
            ("producer", None, 7)
        );
        let c2 = all
            .iter()
            .find(|r| r.channel.as_deref() == Some("c2"))
            .unwrap();
        assert_eq!(c2.client_id, "ref-consumer-c2");
        assert_eq!(c2.remote_address, "127.0.0.1:48938");
        assert_eq!(c2.user_agent, "nsq-reference-capture/1.0");
        assert_eq!((c2.ready_count, c2.in_flight_count), (2, 2));
        assert_eq!(
            (c2.message_count, c2.finish_count, c2.requeue_count),
            (3, 0, 1)
        );
        assert_eq!(c2.connected_seconds, 75);
        let only_c1 = rows(&per_node, Some("t"), Some("c1"), now);
        assert_eq!(only_c1.len(), 1);
        assert_eq!(only_c1[0].client_id, "vm");
        let table = render_table(&all);
        assert!(table.contains("1m15s"), "{table}");
        assert!(
            table.lines().nth(1).unwrap().starts_with("t      -"),
            "{table}"
        );
        let json = serde_json::to_value(&all[1]).unwrap();
        assert_eq!(json["channel"], "c1");
        assert_eq!(json["ready_count"], 200);
    }
}
