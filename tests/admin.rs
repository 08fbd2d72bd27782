//! `nsq-cli topic|channel|node` against `nsq-cli dev`.

mod cluster_util;
mod common;

use cluster_util::*;
use common::DevBroker;

fn stats(b: &DevBroker) -> serde_json::Value {
    json(&run(b, &["stats", "--json", "--sample", "0"]))
}

fn find<'a>(list: &'a serde_json::Value, key: &str, name: &str) -> Option<&'a serde_json::Value> {
    list.as_array()?.iter().find(|t| t[key] == name)
}

#[test]
fn topic_create_goes_to_lookupd_and_nsqd() {
    let b = DevBroker::start();
    let o = run(&b, &["topic", "create", "fresh"]);
    let out = ok(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("ok") && l.contains("lookupd") && l.contains(&b.lookupd)),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("ok") && l.contains("nsqd") && l.contains(&b.http)),
        "{out}"
    );
    assert!(find(&stats(&b)["topics"], "topic", "fresh").is_some());
    assert_eq!(ok(&run(&b, &["lookup", "--topics"])), "fresh\n");
}

#[test]
fn channel_create_exists_before_the_first_publish() {
    let b = DevBroker::start();
    let v = json(&run(
        &b,
        &["channel", "create", "orders", "archive", "--json"],
    ));
    assert_eq!(v["action"], "channel create");
    assert_eq!(v["topic"], "orders");
    assert_eq!(v["channel"], "archive");
    assert_eq!(v["ok"], true);
    let results = v["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["role"] == "lookupd" && r["status"] == "ok"));
    assert!(results
        .iter()
        .any(|r| r["role"] == "nsqd" && r["status"] == "ok" && r["error"].is_null()));
    publish(&b, "orders", &["a", "b"]);
    let s = stats(&b);
    let t = find(&s["topics"], "topic", "orders").unwrap();
    assert_eq!(
        find(&t["channels"], "channel", "archive").unwrap()["depth"],
        2
    );
}

#[test]
fn destructive_actions_need_yes_without_a_terminal() {
    let b = DevBroker::start();
    publish(&b, "keep", &["x"]);
    for args in [
        &["topic", "delete", "keep"][..],
        &["topic", "empty", "keep"][..],
        &["channel", "delete", "keep", "c"][..],
        &["channel", "empty", "keep", "c"][..],
    ] {
        let o = b
            .cmd()
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
        assert_eq!(stdout(&o), "");
    }
    assert_eq!(
        find(&stats(&b)["topics"], "topic", "keep").unwrap()["depth"],
        1
    );
}

#[test]
fn topic_delete_removes_it_from_lookupd_then_nsqd() {
    let b = DevBroker::start();
    publish(&b, "gone", &["x"]);
    let out = ok(&run(&b, &["topic", "delete", "gone", "--yes"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("lookupd"), "lookupd first: {out}");
    assert!(lines.last().unwrap().contains("nsqd"), "{out}");
    assert!(find(&stats(&b)["topics"], "topic", "gone").is_none());
    assert_eq!(ok(&run(&b, &["lookup", "--topics"])), "");
}

#[test]
fn topic_empty_pause_unpause() {
    let b = DevBroker::start();
    publish(&b, "t", &["1", "2"]);
    ok(&run(&b, &["topic", "pause", "t"]));
    assert_eq!(
        find(&stats(&b)["topics"], "topic", "t").unwrap()["paused"],
        true
    );
    ok(&run(&b, &["topic", "unpause", "t"]));
    assert_eq!(
        find(&stats(&b)["topics"], "topic", "t").unwrap()["paused"],
        false
    );
    ok(&run(&b, &["topic", "empty", "t", "-y"]));
    assert_eq!(
        find(&stats(&b)["topics"], "topic", "t").unwrap()["depth"],
        0
    );
}

#[test]
fn channel_empty_pause_unpause_delete() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2"]);
    let chan = |b: &DevBroker| {
        let s = stats(b);
        find(&s["topics"], "topic", "t").and_then(|t| find(&t["channels"], "channel", "c").cloned())
    };
    ok(&run(&b, &["channel", "pause", "t", "c"]));
    assert_eq!(chan(&b).unwrap()["paused"], true);
    ok(&run(&b, &["channel", "unpause", "t", "c"]));
    assert_eq!(chan(&b).unwrap()["paused"], false);
    ok(&run(&b, &["channel", "empty", "t", "c", "--yes"]));
    assert_eq!(chan(&b).unwrap()["depth"], 0);
    ok(&run(&b, &["channel", "delete", "t", "c", "--yes"]));
    assert!(chan(&b).is_none());
    assert_eq!(ok(&run(&b, &["lookup", "--channels", "-topic", "t"])), "");
}

#[test]
fn admin_fans_out_to_two_nodes_and_names_a_failed_one() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    let v = json(&run_bare(&[
        "topic",
        "create",
        "both",
        "--json",
        "--lookupd-http-address",
        &a.lookupd,
        "--lookupd-http-address",
        &b.lookupd,
    ]));
    let nsqds: Vec<_> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["role"] == "nsqd")
        .collect();
    assert_eq!(nsqds.len(), 2, "{v}");
    for broker in [&a, &b] {
        assert!(find(&stats(broker)["topics"], "topic", "both").is_some());
    }

    let o = run_bare(&[
        "topic",
        "pause",
        "both",
        "--nsqd-http-address",
        &a.http,
        "--nsqd-http-address",
        "127.0.0.1:1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("failed") && l.contains("127.0.0.1:1")),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("nsqd 127.0.0.1:1"), "{}", stderr(&o));
    assert_eq!(
        find(&stats(&a)["topics"], "topic", "both").unwrap()["paused"],
        true
    );
}

#[test]
fn pause_of_an_unknown_topic_is_an_error() {
    let b = DevBroker::start();
    let o = run_bare(&[
        "topic",
        "pause",
        "nope",
        "--lookupd-http-address",
        &b.lookupd,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("\"nope\" not found"), "{}", stderr(&o));
}

#[test]
fn invalid_names_are_refused_before_anything_is_sent() {
    let o = run_bare(&["topic", "create", "bad/name"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("invalid topic name \"bad/name\""),
        "{}",
        stderr(&o)
    );
    let o = run_bare(&["channel", "create", "t", "bad channel"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("invalid channel name"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn node_tombstone_marks_the_topic_in_lookupd() {
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    let node = format!("127.0.0.1:{}", http_port(&b));
    let v = json(&run(&b, &["node", "tombstone", "t", &node, "--json"]));
    assert_eq!(v["action"], "node tombstone");
    assert_eq!(v["node"], node);
    assert_eq!(v["results"][0]["status"], "ok");
    let nodes = json(&run(&b, &["lookup", "--nodes", "--json"]));
    assert_eq!(
        nodes["nodes"][0]["topics"],
        serde_json::json!([{"topic": "t", "tombstoned": true}])
    );
    // The TCP address is a common mistake: say which address to use.
    let o = run(&b, &["node", "tombstone", "t", &b.tcp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&node), "{}", stderr(&o));
}
