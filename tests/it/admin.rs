//! `nsq-cli topic|channel|node` against `nsq-cli dev`.

use crate::cluster_util;
use crate::common;
use crate::common::process::OutputWithin;

use cluster_util::*;
use common::DevBroker;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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
            .output_within()
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

/// A stand-in server that counts the requests it gets (and answers 500).
fn counting_server() -> (String, Arc<AtomicUsize>) {
    let n = Arc::new(AtomicUsize::new(0));
    let seen = n.clone();
    let addr = common::fake_http(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        (500, "{}".to_string())
    });
    (addr, n)
}

#[test]
fn invalid_names_are_refused_before_anything_is_sent() {
    let (server, requests) = counting_server();
    let rule = "1 to 64 characters of a-z A-Z 0-9 . _ - with an optional #ephemeral suffix";
    let topic = format!("invalid topic name \"bad name\": a topic name is {rule}");
    let channel = format!("invalid channel name \"bad ch\": a channel name is {rule}");
    for (args, want) in [
        (&["topic", "create", "bad name"][..], &topic),
        (&["topic", "pause", "bad name"][..], &topic),
        (&["channel", "create", "t", "bad ch"][..], &channel),
        (&["channel", "create", "bad name", "c"][..], &topic),
        (
            &["node", "tombstone", "bad name", "127.0.0.1:4151"][..],
            &topic,
        ),
        (&["stats", "--topic", "bad name"][..], &topic),
        (
            &["stats", "--topic", "t", "--channel", "bad ch"][..],
            &channel,
        ),
        (&["check", "--topic", "bad name"][..], &topic),
        (
            &["check", "--topic", "t", "--channel", "bad ch"][..],
            &channel,
        ),
        (&["lookup", "--topic", "bad name"][..], &topic),
        (&["lookup", "--channels", "--topic", "bad name"][..], &topic),
    ] {
        let mut a = args.to_vec();
        a.extend(["--lookupd-http-address", &server, "--yes"]);
        if a[0] == "stats" || a[0] == "check" || a[0] == "lookup" || a[0] == "node" {
            a.pop(); // no --yes there
        }
        let o = run_bare(&a);
        assert_eq!(o.status.code(), Some(2), "{a:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).trim_end(), format!("error: {want}"), "{a:?}");
        assert_eq!(stdout(&o), "", "{a:?}");
    }
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing may be sent");
}

#[test]
fn malformed_http_addresses_are_refused_before_anything_is_sent() {
    let (server, requests) = counting_server();
    for bad in ["localhost:notaport", "ftp://x", "http://h:0"] {
        for flag in ["--lookupd-http-address", "--nsqd-http-address"] {
            // The good address comes first: it must not be asked either.
            for args in [
                &["topic", "create", "t"][..],
                &["channel", "pause", "t", "c"][..],
                &["node", "tombstone", "t", "127.0.0.1:4151"][..],
                &["stats", "--sample", "0"][..],
                &["check"][..],
                &["lookup", "--topics"][..],
            ] {
                if args[0] == "lookup" && flag == "--nsqd-http-address" {
                    continue; // lookup only talks to lookupds
                }
                let mut a = args.to_vec();
                a.extend([flag, &server, flag, bad]);
                let o = run_bare(&a);
                assert_eq!(o.status.code(), Some(2), "{a:?}: {}", stderr(&o));
                let e = stderr(&o);
                assert!(
                    e.starts_with(&format!("error: invalid {flag} \"{bad}\": "))
                        && e.lines().count() == 1,
                    "{a:?}: {e}"
                );
            }
        }
    }
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing may be sent");
}

#[test]
fn an_address_that_is_not_an_nsqlookupd_is_named_in_every_command() {
    // nsqd's HTTP port given as a lookupd answers 404 to /lookup and /nodes.
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    let want = |path: &str| format!("{} is not an nsqlookupd: GET {path} answered 404", b.http);
    for (args, path, code) in [
        (&["topic", "create", "t2"][..], "/nodes", 1),
        (&["topic", "pause", "t"][..], "/lookup", 1),
        (&["channel", "pause", "t", "c"][..], "/lookup", 1),
        (&["node", "tombstone", "t", "127.0.0.1:1"][..], "/nodes", 1),
        (&["stats", "--sample", "0"][..], "/nodes", 1),
        (
            &["stats", "--sample", "0", "--topic", "t"][..],
            "/lookup",
            1,
        ),
    ] {
        let mut a = args.to_vec();
        a.extend(["--lookupd-http-address", &b.http]);
        let o = run_bare(&a);
        assert_eq!(o.status.code(), Some(code), "{a:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&want(path)), "{a:?}: {}", stderr(&o));
    }
    // check: the FAIL row says it, exit 2 (something is not what it should be).
    let o = run_bare(&["check", "--lookupd-http-address", &b.http]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stdout(&o).contains(&want("/nodes")), "{}", stdout(&o));
    // Next to a real lookupd it is still an error, before anything is sent: the
    // nsqd's HTTP port would take a lookupd's /topic/create as its own.
    let o = run_bare(&[
        "topic",
        "create",
        "t3",
        "--lookupd-http-address",
        &b.lookupd,
        "--lookupd-http-address",
        &b.http,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains(&want("/nodes")), "{}", stderr(&o));
    // Nothing was created or paused on the way.
    let s = stats(&b);
    assert!(find(&s["topics"], "topic", "t2").is_none(), "{s}");
    assert!(find(&s["topics"], "topic", "t3").is_none(), "{s}");
    assert_eq!(find(&s["topics"], "topic", "t").unwrap()["paused"], false);
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
    assert_eq!(v["results"][0]["node"], b.lookupd);
    assert!(v["results"][0].get("address").is_none(), "{v}");
}

#[test]
fn node_tombstone_takes_the_address_piped_lookup_nodes_prints() {
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    publish(&b, "u", &["x"]);
    // Piped, `lookup --nodes` prints the TCP address: tombstone takes it.
    let tcp = ok(&run(&b, &["lookup", "--nodes"]));
    let tcp = tcp.trim();
    assert_eq!(tcp, b.tcp);
    let v = json(&run(&b, &["node", "tombstone", "t", tcp, "--json"]));
    let http = format!("127.0.0.1:{}", http_port(&b));
    assert_eq!(v["node"], http);
    assert_eq!(v["ok"], true);
    // ... and the `node` of `lookup --nodes --json`, the HTTP address.
    let nodes = json(&run(&b, &["lookup", "--nodes", "--json"]));
    let node = nodes["nodes"][0]["node"].as_str().unwrap().to_string();
    ok(&run(&b, &["node", "tombstone", "u", &node]));
    let nodes = json(&run(&b, &["lookup", "--nodes", "--json"]));
    assert_eq!(
        nodes["nodes"][0]["topics"],
        serde_json::json!([{"topic": "t", "tombstoned": true}, {"topic": "u", "tombstoned": true}])
    );
    // An address no lookupd knows: say so and list the known nodes.
    let o = run(&b, &["node", "tombstone", "t", "10.9.9.9:4151"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("no nsqlookupd")
            && e.contains("\"10.9.9.9:4151\"")
            && e.contains(&http)
            && e.contains(&b.tcp),
        "{e}"
    );
}

#[test]
fn node_tombstone_matches_addresses_after_map_address() {
    let b = DevBroker::start_with(&["--broadcast-address", "nsqd"]);
    publish(&b, "t", &["x"]);
    let map = "nsqd=127.0.0.1";
    let tcp = ok(&run(&b, &["lookup", "--nodes", "--map-address", map]));
    assert_eq!(tcp.trim(), b.tcp);
    let v = json(&run(
        &b,
        &[
            "node",
            "tombstone",
            "t",
            tcp.trim(),
            "--map-address",
            map,
            "--json",
        ],
    ));
    assert_eq!(v["node"], format!("127.0.0.1:{}", http_port(&b)));
    assert_eq!(v["ok"], true);
}
