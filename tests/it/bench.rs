//! `nsq-cli bench`: report shapes and accounting (no timing assertions: speed is
//! measured by running the benchmark, not by tests).

use crate::common;
use crate::common::process::OutputWithin;

use common::process::{signal, wait_output, DEADLINE};
use common::{wait_until, DevBroker};
use serde_json::Value;
use std::process::{Child, Stdio};

fn run_json(b: &DevBroker, args: &[&str]) -> Value {
    let out = b
        .cmd()
        .arg("bench")
        .args(args)
        .arg("--json")
        .output_within()
        .unwrap();
    assert!(
        out.status.success(),
        "bench {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON object: {text}");
    serde_json::from_str(&text).unwrap()
}

fn assert_report(r: &Value, mode: &str, messages: u64, size: u64) {
    assert_eq!(r["mode"], mode);
    assert_eq!(r["messages"], messages, "{r}");
    assert_eq!(r["bytes"], messages * size);
    assert_eq!(r["size"], size);
    for key in ["messages_per_second", "bytes_per_second", "seconds"] {
        assert!(r[key].as_f64().unwrap() > 0.0, "{key} in {r}");
    }
    let lat = &r["latency_ms"];
    let (p50, p90, p99, max) = (
        lat["p50"].as_f64().unwrap(),
        lat["p90"].as_f64().unwrap(),
        lat["p99"].as_f64().unwrap(),
        lat["max"].as_f64().unwrap(),
    );
    assert!(p50 <= p90 && p90 <= p99 && p99 <= max, "{lat}");
}

fn topic_stats(b: &DevBroker, topic: &str) -> Value {
    let out = b
        .cmd()
        .args(["stats", "--json", "--sample", "0", "--topic", topic])
        .output_within()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn bench_pub_then_sub_account_for_every_message() {
    let b = DevBroker::start();
    let p = run_json(
        &b,
        &[
            "pub",
            "--count",
            "5003",
            "--size",
            "10",
            "--topic",
            "bt",
            "--connections",
            "3",
            "--batch-size",
            "100",
        ],
    );
    assert_report(&p, "pub", 5003, 10);
    // the broker agrees: every acknowledged message is in the topic
    let stats = topic_stats(&b, "bt");
    assert_eq!(stats["topics"][0]["message_count"], 5003, "{stats}");

    let s = run_json(
        &b,
        &["sub", "--count", "5003", "--topic", "bt", "--size", "10"],
    );
    assert_report(&s, "sub", 5003, 10);
}

#[test]
fn bench_without_mode_uses_a_throwaway_topic_and_deletes_it() {
    let b = DevBroker::start();
    let r = run_json(&b, &["--count", "2000", "--size", "50"]);
    assert_eq!(r["mode"], "pubsub");
    assert_report(&r["pub"], "pub", 2000, 50);
    assert_report(&r["sub"], "sub", 2000, 50);
    let topic = r["pub"]["topic"].as_str().unwrap().to_string();
    assert!(topic.starts_with("bench_"), "{topic}");
    assert_eq!(r["sub"]["topic"], topic.as_str());
    let out = b
        .cmd()
        .args(["lookup", "--topics"])
        .output_within()
        .unwrap();
    let topics = String::from_utf8(out.stdout).unwrap();
    assert!(
        !topics.lines().any(|t| t == topic),
        "{topic} left behind: {topics}"
    );
    let stats = topic_stats(&b, &topic);
    assert!(
        stats["topics"].as_array().is_none_or(|t| t.is_empty()),
        "{stats}"
    );
}

#[test]
fn csv_rows_are_appended_under_one_header() {
    let b = DevBroker::start();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("results.csv");
    for _ in 0..2 {
        let out = b
            .cmd()
            .args([
                "bench", "pub", "--count", "300", "--topic", "csvt", "-q", "--csv",
            ])
            .arg(&csv)
            .output_within()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[0],
        "mode,topic,messages,size,connections,seconds,messages_per_second,bytes_per_second,\
         p50_ms,p90_ms,p99_ms,max_ms,interrupted"
    );
    for row in &lines[1..] {
        let cols: Vec<&str> = row.split(',').collect();
        assert_eq!(cols.len(), lines[0].split(',').count());
        assert_eq!(
            (cols[0], cols[1], cols[2], cols[3]),
            ("pub", "csvt", "300", "100")
        );
    }
}

#[test]
fn bad_values_are_refused_before_anything_runs() {
    let b = DevBroker::start();
    for (args, expect, code) in [
        (vec!["pub", "--size", "0"], "'0' for '--size", 2),
        (vec!["pub", "--topic", "bad/name"], "bad/name", 2),
        (
            vec!["sub", "--connections", "0"],
            "'0' for '--connections",
            2,
        ),
        (vec!["pub", "--batch-size", "0"], "'0' for '--batch-size", 2),
    ] {
        let out = b.cmd().arg("bench").args(&args).output_within().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    let out = b
        .cmd()
        .args(["lookup", "--topics"])
        .output_within()
        .unwrap();
    assert!(out.stdout.is_empty(), "nothing was created");
}

#[test]
fn malformed_addresses_are_refused_before_anything_runs() {
    let b = DevBroker::start();
    for (flag, addr, expect) in [
        (
            "--nsqd-tcp-address",
            "localhost:notaport",
            "is not a number from 1 to 65535",
        ),
        (
            "--nsqd-tcp-address",
            "http://127.0.0.1:4150",
            "without a scheme",
        ),
        (
            "--nsqd-http-address",
            "localhost:x",
            "is not a number from 1 to 65535",
        ),
        (
            "--lookupd-http-address",
            "ftp://h:1",
            "is not http or https",
        ),
    ] {
        let out = b
            .cmd()
            .args(["bench", "pub", flag, addr])
            .output_within()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {addr}: {err}");
        assert!(err.contains(addr) && err.contains(expect), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
}

/// A `bench --json` that runs until it is signalled.
fn start_bench(b: &DevBroker, args: &[&str]) -> Child {
    b.cmd()
        .arg("bench")
        .args(args)
        .args(["--duration", "10m", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The topic's stats and its `bench` channel's (null when there is none yet).
fn counts(b: &DevBroker, topic: &str) -> (Value, Value) {
    let s = topic_stats(b, topic);
    let t = s["topics"][0].clone();
    let c = t["channels"][0].clone();
    (t, c)
}

/// Signals a bench and returns its report, checking the exit status and the
/// note on stderr.
fn interrupt(child: Child, sig: &str, code: i32) -> Value {
    signal(child.id(), sig);
    let out = wait_output(child);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(&format!("interrupted by SIG{sig}")), "{err}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn interrupted_bench_pub_reports_exactly_what_nsqd_acknowledged() {
    let b = DevBroker::start();
    let child = start_bench(&b, &["pub", "--topic", "bi", "--connections", "2"]);
    assert!(wait_until(DEADLINE, || {
        counts(&b, "bi").0["message_count"].as_u64().unwrap_or(0) > 0
    }));
    let r = interrupt(child, "INT", 130);
    assert_eq!(r["interrupted"], "SIGINT");
    assert_eq!(counts(&b, "bi").0["message_count"], r["messages"], "{r}");
}

#[test]
fn interrupted_bench_sub_gives_back_what_it_did_not_count() {
    let b = DevBroker::start();
    let total = 50_000u64;
    run_json(
        &b,
        &["pub", "--count", "50000", "--topic", "bs", "--size", "10"],
    );
    let child = start_bench(
        &b,
        &[
            "sub",
            "--topic",
            "bs",
            "--connections",
            "2",
            "--max-in-flight",
            "2",
        ],
    );
    assert!(wait_until(DEADLINE, || {
        counts(&b, "bs").1["depth"]
            .as_u64()
            .is_some_and(|d| d < total)
    }));
    let r = interrupt(child, "TERM", 143);
    assert_eq!(r["interrupted"], "SIGTERM");
    let taken = r["messages"].as_u64().unwrap();
    // Every message is either counted (and FINed) or back in the channel: the
    // requeues of the last ones reach nsqd as the consumer closes.
    let settled = wait_until(DEADLINE, || {
        let c = counts(&b, "bs").1;
        c["in_flight_count"] == 0 && c["depth"] == total - taken
    });
    assert!(settled, "{r} {}", counts(&b, "bs").1);
}

#[test]
fn interrupted_bench_of_both_reports_both_sides() {
    let b = DevBroker::start();
    let child = start_bench(&b, &["--topic", "bb", "--connections", "1"]);
    assert!(wait_until(DEADLINE, || {
        counts(&b, "bb").1["message_count"].as_u64().unwrap_or(0) > 0
    }));
    let r = interrupt(child, "INT", 130);
    assert_eq!(r["mode"], "pubsub");
    let (published, got) = (&r["pub"]["messages"], &r["sub"]["messages"]);
    assert_eq!(r["pub"]["interrupted"], "SIGINT");
    assert_eq!(r["sub"]["interrupted"], "SIGINT");
    assert_eq!(counts(&b, "bb").0["message_count"], *published, "{r}");
    let settled = wait_until(DEADLINE, || {
        let c = counts(&b, "bb").1;
        c["in_flight_count"] == 0
            && c["depth"].as_u64().unwrap() + got.as_u64().unwrap() == published.as_u64().unwrap()
    });
    assert!(settled, "{r} {}", counts(&b, "bb").1);
}
