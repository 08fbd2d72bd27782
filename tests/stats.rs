//! `nsq-cli stats` against `nsq-cli dev`.

mod cluster_util;
mod common;

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
