//! The cluster's `/stats` as a Prometheus text exposition (format 0.0.4): one
//! code path for `nsq-cli exporter`'s `/metrics` and `stats --format prometheus`.
//!
//! Every family is written with its `# HELP` and `# TYPE` lines, even when it has
//! no sample, so that a dashboard sees the same names whatever the cluster holds.
//! Gauges are what nsqd reports now; nsqd's message counts become counters
//! (`_total`; they restart at 0 with nsqd or a re-created topic, which
//! Prometheus' `rate()` treats as a counter reset).

use super::cluster::{self, StatsQuery};
use super::types::{E2eLatency, NsqdStats};
use super::{display_addr, Client};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// One nsqd of a scrape: its name and its `/stats` (None: it did not answer).
pub struct NodeScrape<'a> {
    pub node: &'a str,
    pub stats: Option<&'a NsqdStats>,
}

/// Everything one exposition is made of.
pub struct Scrape<'a> {
    pub nodes: Vec<NodeScrape<'a>>,
    /// Each lookupd asked for the nodes, and how many it listed (None: it
    /// did not answer).
    pub lookupds: Vec<(&'a str, Option<usize>)>,
    /// Failed `/stats` requests per node since the exporter started (or in this
    /// run, for `stats --format prometheus`).
    pub errors_total: &'a BTreeMap<String, u64>,
    /// How long finding the nodes and asking them took.
    pub duration: Duration,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Gauge,
    Counter,
}

/// (name, type, help) of every family, in the order they are written.
const FAMILIES: &[(&str, Kind, &str)] = &[
    ("nsq_up", Kind::Gauge, "1 if the nsqd's /stats answered in this scrape, else 0."),
    ("nsq_lookupd_up", Kind::Gauge, "1 if the nsqlookupd answered /nodes in this scrape, else 0."),
    ("nsq_lookupd_nodes", Kind::Gauge, "nsqd nodes registered with the nsqlookupd (no sample when it did not answer)."),
    ("nsq_scrape_errors_total", Kind::Counter, "Failed /stats requests to the nsqd since the exporter started."),
    ("nsq_scrape_duration_seconds", Kind::Gauge, "Seconds taken to find the nsqd nodes and read their /stats."),
    ("nsq_topic_depth", Kind::Gauge, "Messages queued in the topic (memory and disk), not yet copied to its channels."),
    ("nsq_topic_backend_depth", Kind::Gauge, "Messages of the topic queued on disk."),
    ("nsq_topic_messages_total", Kind::Counter, "Messages published to the topic."),
    ("nsq_topic_paused", Kind::Gauge, "1 if the topic is paused."),
    ("nsq_topic_e2e_processing_latency_seconds", Kind::Gauge, "End-to-end processing latency of the topic's messages at a quantile (when nsqd computes percentiles)."),
    ("nsq_channel_depth", Kind::Gauge, "Messages queued in the channel (memory and disk), waiting for a consumer."),
    ("nsq_channel_backend_depth", Kind::Gauge, "Messages of the channel queued on disk."),
    ("nsq_channel_in_flight", Kind::Gauge, "Messages sent to a consumer and not yet finished or requeued."),
    ("nsq_channel_deferred", Kind::Gauge, "Messages requeued with a delay or published deferred, waiting for their time."),
    ("nsq_channel_messages_total", Kind::Counter, "Messages the channel received."),
    ("nsq_channel_requeued_total", Kind::Counter, "Messages requeued by a consumer."),
    ("nsq_channel_timed_out_total", Kind::Counter, "Messages whose in-flight timeout expired."),
    ("nsq_channel_clients", Kind::Gauge, "Consumers connected to the channel."),
    ("nsq_channel_paused", Kind::Gauge, "1 if the channel is paused."),
    ("nsq_channel_e2e_processing_latency_seconds", Kind::Gauge, "End-to-end processing latency of the channel's messages at a quantile (when nsqd computes percentiles)."),
];

/// Samples gathered per family, written in [`FAMILIES`] order.
struct Exposition {
    samples: Vec<String>,
}

impl Exposition {
    fn new() -> Exposition {
        Exposition {
            samples: vec![String::new(); FAMILIES.len()],
        }
    }

    fn add(&mut self, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
        let i = FAMILIES
            .iter()
            .position(|f| f.0 == name)
            .unwrap_or_else(|| panic!("no metric family {name}"));
        let out = &mut self.samples[i];
        out.push_str(name);
        if !labels.is_empty() {
            out.push('{');
            for (n, (k, v)) in labels.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{k}=\"{}\"", escape_label_value(v));
            }
            out.push('}');
        }
        let _ = writeln!(out, " {value}");
    }

    fn finish(self) -> String {
        let mut text = String::new();
        for ((name, kind, help), samples) in FAMILIES.iter().zip(self.samples) {
            let kind = match kind {
                Kind::Gauge => "gauge",
                Kind::Counter => "counter",
            };
            let _ = writeln!(text, "# HELP {name} {help}");
            let _ = writeln!(text, "# TYPE {name} {kind}");
            text.push_str(&samples);
        }
        text
    }
}

/// A label value as the exposition format wants it: `\`, `"` and newlines escaped.
pub fn escape_label_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn flag(b: bool) -> u8 {
    u8::from(b)
}

/// nsqd's percentiles are in nanoseconds; Prometheus wants seconds.
fn latencies(x: &mut Exposition, name: &str, labels: &[(&str, &str)], e2e: &E2eLatency) {
    for p in &e2e.percentiles {
        let q = p.quantile.to_string();
        let mut l = labels.to_vec();
        l.push(("quantile", &q));
        x.add(name, &l, p.value / 1e9);
    }
}

fn node_metrics(x: &mut Exposition, node: &str, stats: &NsqdStats) {
    for t in &stats.topics {
        let l = [("topic", t.topic_name.as_str()), ("node", node)];
        x.add("nsq_topic_depth", &l, t.depth);
        x.add("nsq_topic_backend_depth", &l, t.backend_depth);
        x.add("nsq_topic_messages_total", &l, t.message_count);
        x.add("nsq_topic_paused", &l, flag(t.paused));
        latencies(
            x,
            "nsq_topic_e2e_processing_latency_seconds",
            &l,
            &t.e2e_processing_latency,
        );
        for c in &t.channels {
            let l = [
                ("topic", t.topic_name.as_str()),
                ("channel", c.channel_name.as_str()),
                ("node", node),
            ];
            x.add("nsq_channel_depth", &l, c.depth);
            x.add("nsq_channel_backend_depth", &l, c.backend_depth);
            x.add("nsq_channel_in_flight", &l, c.in_flight_count);
            x.add("nsq_channel_deferred", &l, c.deferred_count);
            x.add("nsq_channel_messages_total", &l, c.message_count);
            x.add("nsq_channel_requeued_total", &l, c.requeue_count);
            x.add("nsq_channel_timed_out_total", &l, c.timeout_count);
            x.add("nsq_channel_clients", &l, c.client_count);
            x.add("nsq_channel_paused", &l, flag(c.paused));
            let name = "nsq_channel_e2e_processing_latency_seconds";
            latencies(x, name, &l, &c.e2e_processing_latency);
        }
    }
}

/// The exposition of one scrape.
pub fn render(s: &Scrape) -> String {
    let mut x = Exposition::new();
    for n in &s.nodes {
        x.add("nsq_up", &[("node", n.node)], flag(n.stats.is_some()));
    }
    for (l, listed) in &s.lookupds {
        x.add("nsq_lookupd_up", &[("lookupd", l)], flag(listed.is_some()));
    }
    for (l, listed) in &s.lookupds {
        if let Some(n) = listed {
            x.add("nsq_lookupd_nodes", &[("lookupd", l)], n);
        }
    }
    for n in &s.nodes {
        let errors = s.errors_total.get(n.node).copied().unwrap_or(0);
        x.add("nsq_scrape_errors_total", &[("node", n.node)], errors);
    }
    x.add("nsq_scrape_duration_seconds", &[], s.duration.as_secs_f64());
    for n in &s.nodes {
        if let Some(stats) = n.stats {
            node_metrics(&mut x, n.node, stats);
        }
    }
    x.finish()
}

/// Reads the cluster and writes its exposition, scrape after scrape: the nodes
/// are found again through the lookupds each time (plus the given nsqds), and
/// failed requests are counted per node across scrapes.
///
/// A node once found is asked at every later scrape too, until the scraper is
/// dropped: lookupd forgets a crashed nsqd at once, and the node must then
/// show as `nsq_up 0`, not vanish from the exposition.
pub struct Scraper {
    pub client: Client,
    pub lookupds: Vec<String>,
    pub nsqds: Vec<String>,
    pub query: StatsQuery,
    errors_total: BTreeMap<String, u64>,
    /// HTTP addresses of every node the lookupds ever listed.
    seen: Vec<String>,
}

/// One scrape: the exposition, and one line per lookupd or nsqd that failed.
pub struct Scraped {
    pub text: String,
    pub failures: Vec<String>,
}

impl Scraper {
    pub fn new(
        client: Client,
        lookupds: Vec<String>,
        nsqds: Vec<String>,
        query: StatsQuery,
    ) -> Scraper {
        Scraper {
            client,
            lookupds,
            nsqds,
            query,
            errors_total: BTreeMap::new(),
            seen: Vec::new(),
        }
    }

    pub async fn scrape(&mut self) -> Scraped {
        let started = Instant::now();
        let mut failures = Vec::new();
        let mut lookupds = Vec::new();
        let mut nodes = Vec::new();
        if !self.lookupds.is_empty() {
            let g = cluster::gather_nodes(&self.client, &self.lookupds).await;
            for (a, r) in &g.answers {
                lookupds.push((display_addr(a), Some(r.producers.len())));
            }
            for (a, e) in &g.failures {
                lookupds.push((display_addr(a), None));
                failures.push(format!("nsqlookupd {}: {e}", display_addr(a)));
            }
            nodes = cluster::nodes_of(&g);
        }
        let listed = cluster::nsqd_http_addrs(&nodes, &[]);
        self.seen = cluster::dedup_addrs(self.seen.drain(..).chain(listed));
        let given = cluster::dedup_addrs(self.nsqds.iter().chain(&self.seen).cloned());
        let addrs = cluster::nsqd_http_addrs(&nodes, &given);
        let results = cluster::fetch_stats(&self.client, &addrs, &self.query).await;
        let named: Vec<(String, Result<NsqdStats, String>)> = results
            .into_iter()
            .map(|(a, r)| (display_addr(&a), r.map_err(|e| e.to_string())))
            .collect();
        for (node, r) in &named {
            if let Err(e) = r {
                *self.errors_total.entry(node.clone()).or_default() += 1;
                failures.push(format!("nsqd {node}: {e}"));
            }
        }
        let text = render(&Scrape {
            nodes: named
                .iter()
                .map(|(node, r)| NodeScrape {
                    node,
                    stats: r.as_ref().ok(),
                })
                .collect(),
            lookupds: lookupds.iter().map(|(a, n)| (a.as_str(), *n)).collect(),
            errors_total: &self.errors_total,
            duration: started.elapsed(),
        });
        Scraped { text, failures }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape_label_value(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape_label_value("x\ny"), "x\\ny");
        assert_eq!(escape_label_value("t#ephemeral"), "t#ephemeral");
    }

    #[test]
    fn writes_help_type_and_samples() {
        let stats: NsqdStats = serde_json::from_str(
            r#"{"topics":[{"topic_name":"t","depth":3,"message_count":9,"paused":true,
            "e2e_processing_latency":{"count":2,"percentiles":[{"quantile":0.99,"value":1500000}]},
            "channels":[{"channel_name":"c\"1","depth":2,"in_flight_count":1,"requeue_count":4}]}]}"#,
        )
        .unwrap();
        let errors = BTreeMap::from([("b:4151".to_string(), 2)]);
        let text = render(&Scrape {
            nodes: vec![
                NodeScrape {
                    node: "a:4151",
                    stats: Some(&stats),
                },
                NodeScrape {
                    node: "b:4151",
                    stats: None,
                },
            ],
            lookupds: vec![("l:4161", Some(1)), ("m:4161", None)],
            errors_total: &errors,
            duration: Duration::from_millis(12),
        });
        for line in [
            "# TYPE nsq_channel_requeued_total counter",
            "nsq_up{node=\"a:4151\"} 1",
            "nsq_up{node=\"b:4151\"} 0",
            "nsq_scrape_errors_total{node=\"b:4151\"} 2",
            "nsq_topic_paused{topic=\"t\",node=\"a:4151\"} 1",
            "nsq_topic_e2e_processing_latency_seconds{topic=\"t\",node=\"a:4151\",quantile=\"0.99\"} 0.0015",
            "nsq_channel_depth{topic=\"t\",channel=\"c\\\"1\",node=\"a:4151\"} 2",
            "nsq_scrape_duration_seconds 0.012",
            "nsq_lookupd_up{lookupd=\"m:4161\"} 0",
            "nsq_lookupd_nodes{lookupd=\"l:4161\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        // HELP and TYPE precede each family's samples.
        let help = text.find("# HELP nsq_channel_depth ").unwrap();
        assert!(help < text.find("nsq_channel_depth{").unwrap());
        assert!(!text.contains("nsq_lookupd_nodes{lookupd=\"m:4161\"}"));
    }
}
