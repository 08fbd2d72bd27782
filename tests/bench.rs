//! `nsq-cli bench`: report shapes and accounting (no timing assertions: speed is
//! measured by running the benchmark, not by tests).

mod common;

use common::DevBroker;
use serde_json::Value;

fn run_json(b: &DevBroker, args: &[&str]) -> Value {
    let out = b
        .cmd()
        .arg("bench")
        .args(args)
        .arg("--json")
        .output()
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
    for key in ["msgs_per_sec", "bytes_per_sec", "seconds"] {
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
        .output()
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
    let out = b.cmd().args(["lookup", "--topics"]).output().unwrap();
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
            .output()
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
    assert!(lines[0].starts_with("mode,topic,messages,size,connections,seconds,msgs_per_sec"));
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
        (vec!["pub", "--topic", "bad/name"], "bad/name", 1),
        (
            vec!["sub", "--connections", "0"],
            "'0' for '--connections",
            2,
        ),
        (vec!["pub", "--batch-size", "0"], "'0' for '--batch-size", 2),
    ] {
        let out = b.cmd().arg("bench").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    let out = b.cmd().args(["lookup", "--topics"]).output().unwrap();
    assert!(out.stdout.is_empty(), "nothing was created");
}
