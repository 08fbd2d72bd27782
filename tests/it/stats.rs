//! `nsq-cli stats` against `nsq-cli dev`.

use crate::cluster_util;
use crate::common;

use cluster_util::*;
use common::DevBroker;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn topic<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == name)
        .unwrap_or_else(|| panic!("topic {name} not in {v}"))
}

#[test]
fn stats_json_counts_a_topic_and_its_channel() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2", "3"]);
    let v = json(&run(&b, &["stats", "--json", "--sample", "0"]));
    assert_eq!(v["nodes"][0]["ok"], true);
    let t = topic(&v, "t");
    assert_eq!(t["message_count"], 3);
    assert_eq!(t["message_rate"], serde_json::Value::Null);
    let c = &t["channels"][0];
    assert_eq!(c["channel"], "c");
    for (k, want) in [
        ("depth", 3),
        ("in_flight_count", 0),
        ("deferred_count", 0),
        ("requeue_count", 0),
        ("timeout_count", 0),
        ("message_count", 3),
        ("client_count", 0),
    ] {
        assert_eq!(c[k], want, "{k} in {c}");
    }
    assert_eq!(c["paused"], false);
}

#[test]
fn stats_measures_a_rate_over_the_sample() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    let v = json(&run(&b, &["stats", "--json", "--sample", "100ms"]));
    assert!(topic(&v, "t")["message_rate"].is_number(), "{v}");
}

#[test]
fn stats_topic_and_channel_filters() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "a"]));
    ok(&run(&b, &["channel", "create", "t", "b"]));
    publish(&b, "other", &["x"]);
    let v = json(&run(
        &b,
        &[
            "stats",
            "--json",
            "--sample",
            "0",
            "--topic",
            "t",
            "--channel",
            "a",
        ],
    ));
    assert_eq!(v["topics"].as_array().unwrap().len(), 1);
    let chans: Vec<_> = topic(&v, "t")["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["channel"].clone())
        .collect();
    assert_eq!(chans, ["a"]);
}

#[test]
fn stats_table_has_a_header_and_rows() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2"]);
    let out = ok(&run(&b, &["stats", "--sample", "0"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("TOPIC") && lines[0].contains("DEPTH") && lines[0].contains("RATE/S"),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().next() == Some("t")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().next() == Some("c")),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colours when not a terminal: {out:?}"
    );
}

#[test]
fn stats_sums_over_two_nodes_with_per_node_detail() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    publish(&a, "t", &["1", "2"]);
    publish(&b, "t", &["3"]);
    let v = json(&run_bare(&[
        "stats",
        "--json",
        "--sample",
        "0",
        "--per-node",
        "--lookupd-http-address",
        &a.lookupd,
        "--lookupd-http-address",
        &b.lookupd,
    ]));
    assert_eq!(v["nodes"].as_array().unwrap().len(), 2);
    let t = topic(&v, "t");
    assert_eq!(t["message_count"], 3);
    assert_eq!(t["depth"], 3);
    let nodes = t["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    let mut depths: Vec<i64> = nodes.iter().map(|n| n["depth"].as_i64().unwrap()).collect();
    depths.sort();
    assert_eq!(depths, [1, 2]);

    // nsqd given directly, one of them twice: still two nodes.
    let v = json(&run_bare(&[
        "stats",
        "--json",
        "--sample",
        "0",
        "--nsqd-http-address",
        &a.http,
        "--nsqd-http-address",
        &b.http,
        "--nsqd-http-address",
        &format!("http://{}", a.http),
    ]));
    assert_eq!(topic(&v, "t")["message_count"], 3);
}

#[test]
fn stats_unreachable_node_is_reported_and_exits_1() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    let o = run_bare(&[
        "stats",
        "--json",
        "--sample",
        "0",
        "--nsqd-http-address",
        &b.http,
        "--nsqd-http-address",
        "127.0.0.1:1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(topic(&v, "t")["message_count"], 1);
    let dead = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "127.0.0.1:1")
        .unwrap();
    assert_eq!(dead["ok"], false);
    assert!(dead["error"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1:1/stats"));
}

#[test]
fn stats_watch_json_emits_one_document_per_interval() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    let mut child = b
        .cmd()
        .args(["stats", "--watch", "200ms", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(topic(&first, "t")["message_rate"], serde_json::Value::Null);
    let second: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert!(topic(&second, "t")["message_rate"].is_number());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn stats_missing_topic_or_channel_exits_1_naming_it() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "pk", "c"]));
    // The channel is missing, the topic is not: name the channel.
    let o = run(
        &b,
        &[
            "stats",
            "--sample",
            "0",
            "--topic",
            "pk",
            "--channel",
            "nope",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "error: channel \"nope\" not found on any nsqd (topic \"pk\" exists)"
    );
    assert_eq!(stdout(&o), "", "no empty table");
    let o = run(&b, &["stats", "--sample", "0", "--topic", "nope"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "error: topic \"nope\" not found on any nsqd"
    );
    // --json still prints its document.
    let o = run(&b, &["stats", "--sample", "0", "--json", "--topic", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["topics"], serde_json::json!([]));
    // Both there: exit 0.
    ok(&run(
        &b,
        &["stats", "--sample", "0", "--topic", "pk", "--channel", "c"],
    ));
}

#[test]
fn stats_paused_has_its_own_column_and_keeps_the_others_in_place() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "jt", "c"]));
    ok(&run(&b, &["channel", "create", "jt", "d"]));
    ok(&run(&b, &["channel", "pause", "jt", "c"]));
    let out = ok(&run(&b, &["stats", "--sample", "0", "--per-node"]));
    assert!(!out.contains("(paused)"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header.last(), Some(&"PAUSED"), "{out}");
    // Every row: its cells end at the same columns as the header's.
    let ends = |l: &str| -> Vec<usize> {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] != b' ' && (i + 1 == b.len() || b[i + 1] == b' '))
            .map(|i| i + 1)
            .collect()
    };
    let header_ends = ends(lines[0]);
    let pause_col = *header_ends.last().unwrap();
    let mut saw = Vec::new();
    for l in &lines[1..] {
        assert_eq!(l.len(), pause_col, "{l:?} in\n{out}");
        let cells: Vec<&str> = l.split_whitespace().collect();
        saw.push((cells[0], *cells.last().unwrap()));
    }
    // topic, its node row, channel c (paused) and its node row, channel d and its node row
    assert_eq!(
        saw,
        [
            ("jt", "no"),
            (&b.http[..], "no"),
            ("c", "yes"),
            (&b.http[..], "yes"),
            ("d", "no"),
            (&b.http[..], "no")
        ],
        "{out}"
    );
    let v = json(&run(&b, &["stats", "--sample", "0", "--json"]));
    let t = topic(&v, "jt");
    assert_eq!(t["channels"][0]["paused"], true);
    assert_eq!(t["channels"][1]["paused"], false);
}

#[test]
fn stats_without_anything_paused_has_no_paused_column() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    let out = ok(&run(&b, &["stats", "--sample", "0"]));
    assert!(!out.contains("PAUSED"), "{out}");
    assert!(out.lines().all(|l| l.len() <= 80), "{out}");
}

/// A consumer of `topic/channel` that said who it is, and has taken `n` messages.
fn identified_consumer(b: &DevBroker, topic: &str, channel: &str, n: usize) -> common::raw::Raw {
    let mut c = common::raw::Raw::connect(&b.tcp);
    c.identify(r#"{"client_id":"worker-1","hostname":"host-a","user_agent":"ua-test/1.0"}"#);
    c.send(nsq_cli::protocol::Command::Sub { topic, channel });
    c.expect_ok();
    c.send(nsq_cli::protocol::Command::Rdy(n as u64));
    for _ in 0..n {
        let _ = c.message();
    }
    c
}

fn client<'a>(v: &'a serde_json::Value, role: &str) -> &'a serde_json::Value {
    v["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == role)
        .unwrap_or_else(|| panic!("no {role} in {v}"))
}

#[test]
fn stats_clients_lists_consumers_and_producers() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    ok(&run(&b, &["channel", "create", "t", "other"]));
    // A producer that stays connected: nsqd lists it while it is.
    let mut producer = common::raw::Raw::connect(&b.tcp);
    producer.identify(r#"{"client_id":"pub-1","hostname":"host-p","user_agent":"ua-pub/2"}"#);
    for body in ["1", "2", "3"] {
        producer.send(nsq_cli::protocol::Command::Pub {
            topic: "t",
            body: body.as_bytes(),
        });
        producer.expect_ok();
    }
    let mut consumer = identified_consumer(&b, "t", "c", 2);
    consumer.send(nsq_cli::protocol::Command::Rdy(0));
    let idle = common::raw::Raw::connect(&b.tcp); // not subscribed: not listed
                                                  // RDY 0 has no answer: wait until nsqd has taken it.
    let mut v = serde_json::Value::Null;
    let args = ["stats", "--clients", "--json", "--topic", "t"];
    assert!(common::wait_until(
        std::time::Duration::from_secs(30),
        || {
            v = json(&run(&b, &args));
            client(&v, "consumer")["ready_count"] == 0
        }
    ));
    let c = client(&v, "consumer");
    assert_eq!(v["clients"].as_array().unwrap().len(), 2, "{v}");
    for (k, want) in [
        ("node", serde_json::json!(b.http)),
        ("topic", "t".into()),
        ("channel", "c".into()),
        ("client_id", "worker-1".into()),
        ("hostname", "host-a".into()),
        ("user_agent", "ua-test/1.0".into()),
        ("in_flight_count", 2.into()),
        ("message_count", 2.into()),
        ("finish_count", 0.into()),
        ("requeue_count", 0.into()),
        ("tls", false.into()),
        ("snappy", false.into()),
        ("authed", false.into()),
    ] {
        assert_eq!(c[k], want, "{k} in {c}");
    }
    assert!(c["remote_address"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    assert!(c["connected_seconds"].as_i64().unwrap() >= 0);
    let p = client(&v, "producer");
    assert_eq!(p["channel"], serde_json::Value::Null);
    assert_eq!(
        (&p["client_id"], &p["message_count"]),
        (&"pub-1".into(), &3.into())
    );

    // --channel: only that channel's consumers, no producers.
    let v = json(&run(
        &b,
        &[
            "stats",
            "--clients",
            "--json",
            "--topic",
            "t",
            "--channel",
            "other",
        ],
    ));
    assert_eq!(v["clients"], serde_json::json!([]));
    // The table: one row per client under the header.
    let table = ok(&run(
        &b,
        &["stats", "--clients", "--topic", "t", "--channel", "c"],
    ));
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("TOPIC") && lines[0].ends_with("CONNECTED"),
        "{table}"
    );
    assert_eq!(lines.len(), 2, "{table}");
    for cell in ["worker-1", "host-a", "ua-test/1.0", &b.http] {
        assert!(lines[1].contains(cell), "{cell} in {table}");
    }
    drop((idle, producer, consumer));
}

#[test]
fn stats_clients_watch_prints_a_document_per_round() {
    let b = DevBroker::start();
    let _consumer = identified_consumer(&b, "t", "c", 0);
    let mut child = b
        .cmd()
        .args(["stats", "--clients", "--watch", "200ms", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let _dog = common::process::watchdog(child.id());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..2 {
        let doc: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        assert_eq!(client(&doc, "consumer")["client_id"], "worker-1", "{doc}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn stats_format_prometheus_writes_the_exposition_once() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2"]);
    let text = ok(&run(&b, &["stats", "--format", "prometheus"]));
    let f = common::exposition::parse(&text);
    let c = [("topic", "t"), ("channel", "c"), ("node", b.http.as_str())];
    assert_eq!(
        common::exposition::value(&f, "nsq_channel_depth", &c),
        Some(2.0)
    );
    // A node down: still the whole exposition, with nsq_up 0, and exit 1.
    let dead = common::free_addr();
    let o = run(
        &b,
        &[
            "stats",
            "--format",
            "prometheus",
            "--nsqd-http-address",
            &format!("{},{dead}", b.http),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let f = common::exposition::parse(&stdout(&o));
    assert_eq!(
        common::exposition::value(&f, "nsq_up", &[("node", &dead)]),
        Some(0.0)
    );
    assert_eq!(
        common::exposition::value(&f, "nsq_channel_depth", &c),
        Some(2.0)
    );
    assert!(
        stderr(&o).contains(&format!("nsqd {dead}")),
        "{}",
        stderr(&o)
    );
    // Not with --json (clap's conflict), --watch or --clients.
    let o = run(&b, &["stats", "--format", "prometheus", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    for extra in [["--watch", "1s"], ["--clients", "--per-node"]] {
        let mut args = vec!["stats", "--format", "prometheus"];
        args.extend(extra);
        let o = run(&b, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}
