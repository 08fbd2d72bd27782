//! `nsq-cli exporter` against `nsq-cli dev` (and stand-in nsqd/lookupd servers
//! where a test needs odd names, quantiles or a changing cluster); every
//! exposition is read with Python's prometheus_client parser.

use crate::cluster_util;
use crate::common;

use cluster_util::{ok, run};
use common::exposition::{family, parse, value};
use common::process::{line_stream, signal, wait_line, wait_output, watchdog, Watchdog};
use common::raw::Raw;
use common::{fake_http, free_addr, http_get, wait_until, DevBroker};
use nsq_cli::protocol::Command as NsqCommand;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A running exporter: its /metrics address (from its readiness line on stdout).
struct Exporter {
    child: Option<Child>,
    addr: String,
    _dog: Watchdog,
}

impl Exporter {
    fn start(mut cmd: Command, extra: &[&str]) -> Exporter {
        // The parser's venv first: its setup may take minutes on a new machine.
        crate::common::exposition::parser_ready();
        let mut child = cmd
            .args(["exporter", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let dog = watchdog(child.id());
        let lines = line_stream(child.stdout.take().unwrap());
        let (url, _) = wait_line(&lines, "/metrics");
        let addr = url
            .strip_prefix("http://")
            .and_then(|u| u.strip_suffix("/metrics"))
            .unwrap_or_else(|| panic!("readiness line {url:?}"))
            .to_string();
        Exporter {
            child: Some(child),
            addr,
            _dog: dog,
        }
    }

    /// GET /metrics: it must answer 200; the parsed families.
    fn scrape(&self) -> Vec<serde_json::Value> {
        let (status, body) = http_get(&self.addr, "/metrics");
        assert_eq!(status, 200, "{body}");
        parse(&body)
    }

    /// Sends `sig` and waits for the exit.
    fn stop(mut self, sig: &str) -> std::process::Output {
        let child = self.child.take().unwrap();
        signal(child.id(), sig);
        wait_output(child)
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn chan<'a>(b: &'a DevBroker, topic: &'a str, channel: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("topic", topic),
        ("channel", channel),
        ("node", b.http.as_str()),
    ]
}

#[test]
fn exporter_serves_depth_and_counters_a_parser_reads() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    cluster_util::publish(&b, "t", &["1", "2", "3", "4", "5"]);
    let e = Exporter::start(b.cmd(), &[]);
    let f = e.scrape();
    // Every family has HELP and TYPE.
    for fam in &f {
        assert!(!fam["help"].as_str().unwrap().is_empty(), "{fam}");
        assert_ne!(fam["type"], "unknown", "{fam}");
    }
    assert_eq!(family(&f, "nsq_channel_messages")["type"], "counter");
    assert_eq!(family(&f, "nsq_channel_depth")["type"], "gauge");
    let node = [("node", b.http.as_str())];
    assert_eq!(value(&f, "nsq_up", &node), Some(1.0));
    assert_eq!(
        value(&f, "nsq_lookupd_up", &[("lookupd", b.lookupd.as_str())]),
        Some(1.0)
    );
    assert_eq!(value(&f, "nsq_scrape_errors_total", &node), Some(0.0));
    let t = [("topic", "t"), ("node", b.http.as_str())];
    assert_eq!(value(&f, "nsq_topic_messages_total", &t), Some(5.0));
    assert_eq!(
        value(&f, "nsq_channel_depth", &chan(&b, "t", "c")),
        Some(5.0)
    );
    assert_eq!(
        value(&f, "nsq_channel_clients", &chan(&b, "t", "c")),
        Some(0.0)
    );

    // A consumer takes 3: finishes 2, requeues 1; 2 were never sent.
    let mut sub = Raw::subscribe(&b.tcp, "t", "c", 3);
    let ids: Vec<_> = (0..3).map(|_| sub.message().id).collect();
    sub.send(NsqCommand::Rdy(0));
    sub.send(NsqCommand::Fin(ids[0]));
    sub.send(NsqCommand::Fin(ids[1]));
    sub.send(NsqCommand::Req {
        id: ids[2],
        timeout_ms: 0,
    });
    let c = chan(&b, "t", "c");
    let mut last = Vec::new();
    let settled = wait_until(Duration::from_secs(30), || {
        last = e.scrape();
        value(&last, "nsq_channel_requeued_total", &c) == Some(1.0)
            && value(&last, "nsq_channel_in_flight", &c) == Some(0.0)
    });
    assert!(settled, "{last:?}");
    assert_eq!(value(&last, "nsq_channel_depth", &c), Some(3.0));
    assert_eq!(value(&last, "nsq_channel_messages_total", &c), Some(5.0));
    assert_eq!(value(&last, "nsq_channel_timed_out_total", &c), Some(0.0));
    assert_eq!(value(&last, "nsq_channel_clients", &c), Some(1.0));
    assert_eq!(value(&last, "nsq_channel_paused", &c), Some(0.0));
    drop(sub);

    let o = e.stop("INT");
    assert_eq!(o.status.code(), Some(130), "{o:?}");
}

/// A stand-in nsqd whose /stats has names no real nsqd allows (to see the
/// escaping) and the e2e percentiles nsqd computes when configured to.
fn odd_nsqd() -> String {
    let stats = serde_json::json!({
        "version": "1.3.0", "health": "OK", "producers": null,
        "topics": [{
            "topic_name": "we\"ird\\name", "depth": 1, "backend_depth": 0,
            "message_count": 2, "paused": true,
            "e2e_processing_latency": {"count": 2, "percentiles": [
                {"quantile": 0.5, "value": 2000000.0}, {"quantile": 0.99, "value": 1500000000.0}]},
            "channels": [{
                "channel_name": "new\nline", "depth": 7, "in_flight_count": 1,
                "deferred_count": 2, "message_count": 9, "requeue_count": 3,
                "timeout_count": 4, "client_count": 0, "clients": null, "paused": false,
                "e2e_processing_latency": {"count": 0, "percentiles": null}
            }]
        }]
    })
    .to_string();
    fake_http(move |target| {
        if target.starts_with("/stats") {
            (200, stats.clone())
        } else {
            (404, r#"{"message":"NOT_FOUND"}"#.to_string())
        }
    })
}

#[test]
fn exporter_escapes_label_values_and_reports_quantiles_as_stats_does() {
    let nsqd = odd_nsqd();
    let e = Exporter::start(cluster_util::bare_cmd(), &["--nsqd-http-address", &nsqd]);
    let f = e.scrape();
    let topic = "we\"ird\\name";
    let t = [("topic", topic), ("node", nsqd.as_str())];
    assert_eq!(value(&f, "nsq_topic_paused", &t), Some(1.0));
    let c = [
        ("topic", topic),
        ("channel", "new\nline"),
        ("node", nsqd.as_str()),
    ];
    assert_eq!(value(&f, "nsq_channel_depth", &c), Some(7.0));
    assert_eq!(value(&f, "nsq_channel_deferred", &c), Some(2.0));
    assert_eq!(value(&f, "nsq_channel_timed_out_total", &c), Some(4.0));
    let q = |q| [("topic", topic), ("node", nsqd.as_str()), ("quantile", q)];
    let latency = "nsq_topic_e2e_processing_latency_seconds";
    assert_eq!(value(&f, latency, &q("0.5")), Some(0.002));
    assert_eq!(value(&f, latency, &q("0.99")), Some(1.5));

    // `stats --format prometheus` writes the same exposition (but its duration).
    let o = cluster_util::bare_cmd()
        .args([
            "stats",
            "--format",
            "prometheus",
            "--nsqd-http-address",
            &nsqd,
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let without_duration = |fams: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
        fams.into_iter()
            .filter(|f| f["name"] != "nsq_scrape_duration_seconds")
            .collect()
    };
    let once = parse(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(without_duration(once), without_duration(f));
}

#[test]
fn exporter_down_node_is_up_0_counted_and_the_scrape_still_answers() {
    let b = DevBroker::start();
    let dead = free_addr();
    let nsqds = format!("{},{dead}", b.http);
    let e = Exporter::start(cluster_util::bare_cmd(), &["--nsqd-http-address", &nsqds]);
    cluster_util::publish(&b, "t", &["x"]);
    for scrape in 1..=2 {
        let f = e.scrape();
        assert_eq!(value(&f, "nsq_up", &[("node", &dead)]), Some(0.0));
        assert_eq!(value(&f, "nsq_up", &[("node", &b.http)]), Some(1.0));
        let errors = value(&f, "nsq_scrape_errors_total", &[("node", &dead)]);
        assert_eq!(errors, Some(f64::from(scrape)), "a counter across scrapes");
        let t = [("topic", "t"), ("node", b.http.as_str())];
        assert_eq!(value(&f, "nsq_topic_depth", &t), Some(1.0));
    }
    let o = e.stop("TERM");
    assert_eq!(o.status.code(), Some(143));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches(&format!("nsqd {dead}")).count(),
        1,
        "a node that stays down is said once: {err}"
    );
}

/// A stand-in lookupd knowing `b`'s nsqd only while `known` is set.
fn switching_lookupd(b: &DevBroker, known: Arc<AtomicBool>) -> String {
    let tcp = cluster_util::tcp_port(b);
    let http = cluster_util::http_port(b);
    fake_http(move |target| {
        let producers = if known.load(Ordering::SeqCst) {
            format!(
                r#"[{{"remote_address":"127.0.0.1:1","hostname":"h","broadcast_address":"127.0.0.1","tcp_port":{tcp},"http_port":{http},"version":"1.3.0","tombstones":[],"topics":[]}}]"#
            )
        } else {
            "[]".to_string()
        };
        match target {
            "/nodes" => (200, format!(r#"{{"producers":{producers}}}"#)),
            _ => (404, r#"{"message":"NOT_FOUND"}"#.to_string()),
        }
    })
}

#[test]
fn exporter_asks_the_lookupds_again_at_each_scrape() {
    let mut b = DevBroker::start();
    let known = Arc::new(AtomicBool::new(false));
    let lookupd = switching_lookupd(&b, known.clone());
    let dead_lookupd = free_addr();
    let lookupds = format!("{lookupd},{dead_lookupd}");
    let e = Exporter::start(
        cluster_util::bare_cmd(),
        &["--lookupd-http-address", &lookupds],
    );
    let f = e.scrape();
    assert_eq!(
        value(&f, "nsq_lookupd_up", &[("lookupd", &lookupd)]),
        Some(1.0)
    );
    assert_eq!(
        value(&f, "nsq_lookupd_up", &[("lookupd", &dead_lookupd)]),
        Some(0.0)
    );
    assert_eq!(family(&f, "nsq_up")["samples"], serde_json::json!([]));
    known.store(true, Ordering::SeqCst);
    let f = e.scrape();
    assert_eq!(
        value(&f, "nsq_up", &[("node", &b.http)]),
        Some(1.0),
        "{f:?}"
    );
    assert_eq!(
        value(&f, "nsq_lookupd_nodes", &[("lookupd", &lookupd)]),
        Some(1.0)
    );
    // lookupd forgets the node (as it does a crashed nsqd at once): the node is
    // still asked, and answers.
    known.store(false, Ordering::SeqCst);
    let f = e.scrape();
    assert_eq!(
        value(&f, "nsq_lookupd_nodes", &[("lookupd", &lookupd)]),
        Some(0.0)
    );
    assert_eq!(
        value(&f, "nsq_up", &[("node", &b.http)]),
        Some(1.0),
        "{f:?}"
    );
    // The node is gone too: nsq_up 0, not a vanished series.
    b.kill();
    let f = e.scrape();
    assert_eq!(
        value(&f, "nsq_up", &[("node", &b.http)]),
        Some(0.0),
        "{f:?}"
    );
}

#[test]
fn exporter_refuses_a_bad_listen_and_names_a_busy_one() {
    let o = cluster_util::run_bare(&["exporter", "--listen", "localhost:9117"]);
    assert_eq!(o.status.code(), Some(2));
    let err = cluster_util::stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--listen") && err.contains("localhost:9117"),
        "{err}"
    );

    let b = DevBroker::start();
    let o = cluster_util::run(&b, &["exporter", "--listen", &b.http]);
    assert_eq!(o.status.code(), Some(1));
    let err = cluster_util::stderr(&o);
    assert!(
        err.contains(&format!("cannot listen on --listen {}", b.http)),
        "{err}"
    );
}

#[test]
fn exporter_answers_404_elsewhere_and_405_to_post() {
    let b = DevBroker::start();
    let e = Exporter::start(b.cmd(), &[]);
    let (status, _) = http_get(&e.addr, "/nope");
    assert_eq!(status, 404);
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&e.addr).unwrap();
    s.set_read_timeout(Some(common::process::DEADLINE)).unwrap();
    write!(
        s,
        "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 405"), "{resp}");
}
