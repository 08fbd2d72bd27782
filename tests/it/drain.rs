//! `nsq-cli node drain` and `node undrain` against `nsq-cli dev`: tombstones in
//! lookupd, waiting until the node holds nothing, timing out naming what is left.

use crate::cluster_util;
use crate::common;

use cluster_util::*;
use common::process::{line_stream, wait_line, wait_output, watchdog};
use common::DevBroker;
use std::process::Stdio;

/// `GET /lookup?topic=` on the broker's lookupd: the producers' count.
fn producers(b: &DevBroker, topic: &str) -> usize {
    let (status, body) = common::http_get(&b.lookupd, &format!("/lookup?topic={topic}"));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["producers"].as_array().unwrap().len()
}

fn tombstones(b: &DevBroker) -> serde_json::Value {
    json(&run(b, &["lookup", "--nodes", "--json"]))["nodes"][0]["topics"].clone()
}

#[test]
fn drain_tombstones_every_topic_and_waits_until_consumed() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    ok(&run(&b, &["channel", "create", "u", "c"]));
    let bodies: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    common::raw::publish(&b.tcp, "t", &bodies);
    publish(&b, "u", &["x"]);
    assert_eq!(producers(&b, "t"), 1);

    let mut child = b
        .cmd()
        .args(["node", "drain", &b.tcp, "--wait"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _dog = watchdog(child.id());
    let out = line_stream(child.stdout.take().unwrap());
    let node = format!("127.0.0.1:{}", http_port(&b));
    let (first, _) = wait_line(&out, "tombstoned topic \"t\"");
    assert_eq!(
        first,
        format!(
            "ok      lookupd  {}  tombstoned topic \"t\" on {node}",
            b.lookupd
        )
    );
    wait_line(&out, "tombstoned topic \"u\"");
    // lookupd hides the node from consumers looking the topics up.
    assert_eq!((producers(&b, "t"), producers(&b, "u")), (0, 0));
    assert_eq!(
        tombstones(&b),
        serde_json::json!([{"topic": "t", "tombstoned": true}, {"topic": "u", "tombstoned": true}])
    );
    // Still waiting: 51 messages are there (a drain that did not wait would
    // usually have exited by now).
    assert!(child.try_wait().unwrap().is_none());
    // The connected consumers take everything: then it is safe.
    assert_eq!(common::raw::drain_channel(&b.tcp, "t", "c").len(), 50);
    assert_eq!(common::raw::drain_channel(&b.tcp, "u", "c").len(), 1);
    let (last, _) = wait_line(&out, "safe to stop");
    assert_eq!(
        last,
        format!(
            "safe to stop {node} (tcp {}): no message queued, in flight or deferred",
            b.tcp
        )
    );
    let o = wait_output(child);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // No progress line on a pipe.
    assert_eq!(stderr(&o), "");
}

#[test]
fn drain_times_out_naming_what_is_left() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2", "3"]);
    // A topic without channels keeps its messages in the topic itself.
    publish(&b, "bare", &["1", "2"]);
    let o = run(&b, &["node", "drain", &b.tcp, "--wait", "--timeout", "1s"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let left: Vec<&str> = out.lines().filter(|l| l.starts_with("left")).collect();
    assert_eq!(
        left,
        [
            "left    bare  depth 2  in_flight 0  deferred 0  clients 0",
            "left    t/c  depth 3  in_flight 0  deferred 0  clients 0",
        ],
        "{out}"
    );
    assert!(!out.contains("safe"), "{out}");
    let node = format!("127.0.0.1:{}", http_port(&b));
    assert_eq!(
        stderr(&o).trim_end(),
        format!("error: node {node} still holds 5 message(s) after 1s (--timeout): bare 2, t/c 3")
    );

    let v = json(&run(
        &b,
        &[
            "node",
            "drain",
            &b.tcp,
            "--wait",
            "--timeout",
            "1s",
            "--json",
        ],
    ));
    assert_eq!(v["action"], "node drain");
    assert_eq!(v["node"], node);
    assert_eq!(v["tcp_address"], b.tcp);
    assert_eq!((&v["ok"], &v["safe"]), (&false.into(), &false.into()));
    assert_eq!(v["results"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["results"][0]["topic"], "bare");
    assert_eq!(v["results"][0]["status"], "ok");
    assert_eq!(
        v["left"][1],
        serde_json::json!({"topic": "t", "channel": "c", "depth": 3, "in_flight_count": 0,
            "deferred_count": 0, "client_count": 0, "paused": false})
    );
    assert_eq!(v["left"][0]["channel"], serde_json::Value::Null);
    assert!(v["waited_seconds"].as_f64().unwrap() >= 1.0, "{v}");
}

#[test]
fn drain_without_wait_only_tombstones_and_json_says_so() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    let v = json(&run(&b, &["node", "drain", &b.tcp, "--json"]));
    assert_eq!(v["ok"], true);
    assert_eq!(v["safe"], serde_json::Value::Null);
    assert_eq!(v["left"], serde_json::json!([]));
    assert_eq!(producers(&b, "t"), 0);

    // --timeout means nothing without --wait; an unknown node is named.
    let o = run(&b, &["node", "drain", &b.tcp, "--timeout", "1s"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&b, &["node", "drain", "10.9.9.9:4150"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("\"10.9.9.9:4150\""), "{}", stderr(&o));
    let o = run_bare(&["node", "drain", &b.tcp, "--nsqd-http-address", &b.http]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--lookupd-http-address"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn drain_fails_without_waiting_when_a_lookupd_does_not_list_its_nodes() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    let broken = common::fake_http(|_| (500, "{}".to_string()));
    let lookupds = format!("{},{broken}", b.lookupd);
    let o = run_bare(&[
        "node",
        "drain",
        &b.tcp,
        "--wait",
        "--timeout",
        "2s",
        "--lookupd-http-address",
        &lookupds,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with(&format!("failed  lookupd  {broken}  did not answer /nodes"))),
        "{out}"
    );
    // Refused before waiting: no "still holds" after the timeout.
    let err = stderr(&o);
    assert!(!err.contains("still holds"), "{err}");
    assert_eq!(
        err.lines().last(),
        Some(
            format!("error: node drain: the tombstones failed on lookupd {broken}; not waiting")
                .as_str()
        ),
        "{err}"
    );
    // undrain cannot say the node is discovered again either.
    let o = run_bare(&[
        "node",
        "undrain",
        &b.tcp,
        "--json",
        "--lookupd-http-address",
        &lookupds,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["ok"], false);
    assert_eq!(v["results"][1]["node"], broken.as_str());
    assert!(
        v["results"][1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("did not answer /nodes")),
        "{v}"
    );
}

#[test]
fn undrain_says_what_lookupd_still_has_tombstoned() {
    let b = DevBroker::start();
    publish(&b, "t", &["1"]);
    // Never drained: nothing to wait for.
    let out = ok(&run(&b, &["node", "undrain", &b.tcp]));
    let node = format!("127.0.0.1:{}", http_port(&b));
    assert_eq!(
        out,
        format!(
            "lookupd  {}  no topic tombstoned\nconsumers discover {node} again: no topic of it is tombstoned\n",
            b.lookupd
        )
    );
    ok(&run(&b, &["node", "drain", &b.tcp]));
    let o = run(
        &b,
        &["node", "undrain", &b.tcp, "--wait", "--timeout", "1s"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        format!("lookupd  {}  tombstoned: t\n", b.lookupd)
    );
    assert!(
        stderr(&o).contains("cannot lift a tombstone")
            && stderr(&o).contains("--tombstone-lifetime"),
        "{}",
        stderr(&o)
    );
    let v = json(&run(&b, &["node", "undrain", &b.tcp, "--json"]));
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["results"],
        serde_json::json!([{"role": "lookupd", "node": b.lookupd, "tombstoned": ["t"]}])
    );
}

#[test]
fn a_consumer_connected_before_the_drain_keeps_consuming_until_safe() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    // nsq-cli tail finds the node through lookupd only, and polls it every second.
    let mut tail = bare_cmd()
        .args(["tail", "-topic", "t", "-channel", "c", "-n", "30"])
        .args(["--lookupd-http-address", &b.lookupd])
        .args(["--lookupd-poll-interval", "1s"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _tail_dog = watchdog(tail.id());
    // Read as it comes: tail FINs a message once the reader took its line.
    let lines = line_stream(tail.stdout.take().unwrap());
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "c").clients == 1
    }));
    ok(&run(&b, &["node", "drain", &b.tcp]));
    assert_eq!(producers(&b, "t"), 0);
    // Publishers writing to the node directly are not stopped by a drain.
    let bodies: Vec<String> = (0..30).map(|i| format!("m{i}")).collect();
    common::raw::publish(&b.tcp, "t", &bodies);
    let o = run(&b, &["node", "drain", &b.tcp, "--wait", "--timeout", "50s"]);
    assert!(
        ok(&o).ends_with("no message queued, in flight or deferred\n"),
        "{}",
        stdout(&o)
    );
    let t = wait_output(tail);
    assert_eq!(t.status.code(), Some(0), "{}", stderr(&t));
    let got: Vec<String> = lines.iter().collect();
    assert_eq!(got, bodies);
}

#[test]
fn drain_of_one_node_of_two_leaves_the_other_alone() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    for x in [&a, &b] {
        ok(&run(x, &["channel", "create", "t", "c"]));
    }
    publish(&a, "t", &["1", "2"]);
    publish(&b, "t", &["1", "2", "3"]);
    let o = run_bare(&[
        "node",
        "drain",
        &a.tcp,
        "--wait",
        "--timeout",
        "1s",
        "--lookupd-http-address",
        &a.lookupd,
        "--lookupd-http-address",
        &b.lookupd,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let node_a = format!("127.0.0.1:{}", http_port(&a));
    // Only a's messages count.
    assert_eq!(
        stderr(&o).trim_end(),
        format!("error: node {node_a} still holds 2 message(s) after 1s (--timeout): t/c 2")
    );
    let out = stdout(&o);
    // The tombstone goes to the lookupd that lists the node, not to b's, which
    // would answer 200 to a tombstone of a producer it does not have.
    let tombstoned: Vec<&str> = out.lines().filter(|l| l.contains("lookupd")).collect();
    assert_eq!(
        tombstoned,
        [format!(
            "ok      lookupd  {}  tombstoned topic \"t\" on {node_a}",
            a.lookupd
        )],
        "{out}"
    );
    assert_eq!((producers(&a, "t"), producers(&b, "t")), (0, 1));
}

#[test]
fn drain_of_one_node_of_a_three_node_dev_cluster() {
    let b = DevBroker::cluster(3, &[]);
    ok(&run(&b, &["topic", "create", "t"]));
    ok(&run(&b, &["channel", "create", "t", "c"]));
    let (drained, others) = (&b.nodes[1], [&b.nodes[0], &b.nodes[2]]);
    common::raw::publish(&drained.tcp, "t", &["1".to_string(), "2".to_string()]);
    for n in others {
        common::raw::publish(&n.tcp, "t", &["x".to_string()]);
    }
    assert_eq!(producers(&b, "t"), 3);
    let drain = || {
        wait_output(
            b.cmd()
                .args(["node", "drain", &drained.tcp, "--wait", "--timeout", "1s"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        )
    };
    // Only the drained node's two messages count, and only it is tombstoned.
    let o = drain();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        format!(
            "error: node {} still holds 2 message(s) after 1s (--timeout): t/c 2",
            drained.http
        )
    );
    assert_eq!(producers(&b, "t"), 2);
    assert_eq!(common::raw::drain_channel(&drained.tcp, "t", "c").len(), 2);
    let o = drain();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("safe to stop"), "{}", stdout(&o));
    // The others keep their messages and stay registered.
    assert_eq!(producers(&b, "t"), 2);
    for n in others {
        assert_eq!(common::raw::drain_channel(&n.tcp, "t", "c").len(), 1);
    }
}
