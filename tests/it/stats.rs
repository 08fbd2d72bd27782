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
