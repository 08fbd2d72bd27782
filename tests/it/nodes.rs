//! `nsq-cli dev --nodes N`: several nsqd nodes in one process behind one lookupd,
//! and the multi-node behaviour of the other commands tried on it (round robin and
//! `--all-nodes` publish, to nodes given or found with `lookup --nodes`; tail across
//! nodes through lookupd; admin fan-out; `check`; `lookup --nodes`; `stats`;
//! tombstones per producer).

use crate::cluster_util::{json, ok, run, run_bare, stderr, stdout};
use crate::common::process::wait_output;
use crate::common::raw::{drain_channel, publish};
use crate::common::wait_until;
use crate::common::{bin, http_get, DevBroker, Node};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

fn port(addr: &str) -> u64 {
    addr.rsplit_once(':').unwrap().1.parse().unwrap()
}

fn get_json(addr: &str, path: &str) -> Value {
    let (status, body) = http_get(addr, path);
    assert_eq!(status, 200, "GET {addr}{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// The topic's entry in a node's /stats, if the node has it.
fn node_topic(n: &Node, topic: &str) -> Option<Value> {
    let v = get_json(&n.http, &format!("/stats?format=json&topic={topic}"));
    let topics = v["topics"].as_array().cloned().unwrap_or_default();
    topics.into_iter().find(|t| t["topic_name"] == topic)
}

fn message_count(n: &Node, topic: &str) -> u64 {
    node_topic(n, topic).map_or(0, |t| t["message_count"].as_u64().unwrap())
}

/// The TCP ports lookupd's /lookup lists as producers of `topic`, in its order.
fn producer_ports(b: &DevBroker, topic: &str) -> Vec<u64> {
    let v = get_json(&b.lookupd, &format!("/lookup?topic={topic}"));
    let ps = v["producers"].as_array().unwrap();
    ps.iter().map(|p| p["tcp_port"].as_u64().unwrap()).collect()
}

fn bodies(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

#[test]
fn three_nodes_each_their_own_nsqd_all_in_lookupd() {
    let b = DevBroker::cluster(3, &[]);
    let (tcp, http): (BTreeSet<_>, BTreeSet<_>) = b
        .nodes
        .iter()
        .map(|n| (n.tcp.clone(), n.http.clone()))
        .unzip();
    assert_eq!((tcp.len(), http.len()), (3, 3), "distinct: {:?}", b.nodes);
    assert_eq!((&b.nodes[0].tcp, &b.nodes[0].http), (&b.tcp, &b.http));
    for n in &b.nodes {
        let info = get_json(&n.http, "/info");
        assert_eq!(info["tcp_port"].as_u64(), Some(port(&n.tcp)), "{info}");
        assert_eq!(info["http_port"].as_u64(), Some(port(&n.http)), "{info}");
    }

    // a topic published on node 1 only is node 1's alone
    publish(&b.nodes[1].tcp, "only1", &["x"]);
    assert!(node_topic(&b.nodes[0], "only1").is_none());
    assert!(node_topic(&b.nodes[2], "only1").is_none());
    assert_eq!(node_topic(&b.nodes[1], "only1").unwrap()["depth"], 1);
    assert_eq!(producer_ports(&b, "only1"), [port(&b.nodes[1].tcp)]);

    // /nodes: every node, in node order, each with the topics it produces
    let v = get_json(&b.lookupd, "/nodes");
    let ps = v["producers"].as_array().unwrap();
    assert_eq!(ps.len(), 3, "{v}");
    for (p, n) in ps.iter().zip(&b.nodes) {
        assert_eq!(p["tcp_port"].as_u64(), Some(port(&n.tcp)), "{p}");
        assert_eq!(p["http_port"].as_u64(), Some(port(&n.http)), "{p}");
        assert_eq!(p["broadcast_address"], "127.0.0.1");
        assert_eq!(p["version"], "1.3.0");
    }
    assert_eq!(ps[1]["topics"], serde_json::json!(["only1"]));
    assert_eq!(ps[1]["tombstones"], serde_json::json!([false]));
    assert_eq!(ps[0]["topics"], serde_json::json!([]));
    assert_eq!(ps[2]["topics"], serde_json::json!([]));
}

#[test]
fn a_tombstone_hides_one_producer_and_a_delete_leaves_the_others() {
    let b = DevBroker::cluster(3, &[]);
    publish(&b.nodes[0].tcp, "t", &["a"]);
    publish(&b.nodes[2].tcp, "t", &["b"]);
    let (p0, p2) = (port(&b.nodes[0].tcp), port(&b.nodes[2].tcp));
    assert_eq!(producer_ports(&b, "t"), [p0, p2]);

    ok(&run(&b, &["node", "tombstone", "t", &b.nodes[2].http]));
    assert_eq!(producer_ports(&b, "t"), [p0], "node 2 tombstoned");
    let v = get_json(&b.lookupd, "/nodes");
    let ps = v["producers"].as_array().unwrap();
    assert_eq!(ps[0]["tombstones"], serde_json::json!([false]), "{v}");
    assert_eq!(ps[2]["tombstones"], serde_json::json!([true]), "{v}");
    assert_eq!(node_topic(&b.nodes[2], "t").unwrap()["depth"], 1, "kept");

    // node 0 deletes its topic: it stops producing it, the name stays listed
    ok(&run_bare(&[
        "topic",
        "delete",
        "t",
        "--yes",
        "--nsqd-http-address",
        &b.nodes[0].http,
    ]));
    assert!(node_topic(&b.nodes[0], "t").is_none());
    assert_eq!(producer_ports(&b, "t"), Vec::<u64>::new());
    let topics = get_json(&b.lookupd, "/topics");
    assert_eq!(
        topics["topics"],
        serde_json::json!(["t"]),
        "registration lingers"
    );
}

#[test]
fn dev_prints_and_exports_every_node() {
    let out = wait_output(
        Command::new(bin())
            .args(["dev", "-q", "--nodes", "3"])
            .args([
                "--tcp-address",
                "127.0.0.1:0",
                "--http-address",
                "127.0.0.1:0",
            ])
            .args(["--lookupd-http-address", "127.0.0.1:0", "--"])
            .args([
                "sh",
                "-c",
                "echo \"$NSQD_TCP_ADDRESS $NSQD_TCP_ADDRESSES $NSQD_HTTP_ADDRESSES\"",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    let words: Vec<&str> = s.split_whitespace().collect();
    assert_eq!(words.len(), 3, "{s}");
    let tcp: Vec<&str> = words[1].split(',').collect();
    let http: Vec<&str> = words[2].split(',').collect();
    assert_eq!((tcp.len(), http.len()), (3, 3), "{s}");
    assert_eq!(tcp[0], words[0], "node 0 is NSQD_TCP_ADDRESS");
    let all: BTreeSet<&str> = tcp.iter().chain(&http).copied().collect();
    assert_eq!(all.len(), 6, "every port its own: {s}");
}

/// Out of range, or a node landing on another's (or lookupd's) port: exit 2 before
/// listening, one line naming the value and the rule.
#[test]
fn bad_node_counts_and_colliding_ports_are_refused() {
    let cases: [(&[&str], &str); 3] = [
        (&["--nodes", "0"], "invalid value '0' for '--nodes <N>'"),
        (&["--nodes", "17"], "invalid value '17' for '--nodes <N>'"),
        (
            // default ports: node 5's HTTP port is 4151 + 10 = lookupd's 4161
            &["--nodes", "6"],
            "node 5's --http-address would be 127.0.0.1:4161, already taken by --lookupd-http-address",
        ),
    ];
    for (args, want) in cases {
        let mut dev = Command::new(bin());
        dev.arg("dev").args(args);
        crate::dev::assert_refused_before_listening(dev, want);
    }
}

#[test]
fn publish_spreads_over_three_nodes_or_sends_to_all() {
    let b = DevBroker::cluster(3, &[]);
    let input: String = (1..=300).map(|i| format!("{i}\n")).collect();
    let publish = |extra: &[&str]| {
        let mut c = b.cmd();
        c.args(["publish", "-topic", "rr", "--batch-size", "10"])
            .args(extra);
        crate::common::process::run_with_stdin(&mut c, input.as_bytes())
    };
    let mut each: Vec<&str> = Vec::new();
    for n in &b.nodes {
        each.extend(["--nsqd-tcp-address", n.tcp.as_str()]);
    }
    ok(&publish(&each));
    let mut got: Vec<u32> = Vec::new();
    for n in &b.nodes {
        let msgs = drain_channel(&n.tcp, "rr", "c");
        assert!(!msgs.is_empty(), "round robin reaches node {}", n.tcp);
        got.extend(msgs.iter().map(|m| {
            std::str::from_utf8(&m.body)
                .unwrap()
                .parse::<u32>()
                .unwrap()
        }));
    }
    got.sort();
    assert_eq!(got, (1..=300).collect::<Vec<_>>(), "each message once");

    // the nodes as lookupd knows them, one comma-separated flag, as a script would
    let listed = ok(&run(&b, &["lookup", "--nodes"]));
    let discovered = listed.lines().collect::<Vec<_>>().join(",");
    ok(&publish(&[
        "--nsqd-tcp-address",
        &discovered,
        "--all-nodes",
    ]));
    for n in &b.nodes {
        assert_eq!(drain_channel(&n.tcp, "rr", "c").len(), 300, "{}", n.tcp);
    }
}

#[test]
fn tail_through_lookupd_takes_messages_from_every_node() {
    let b = DevBroker::cluster(3, &[]);
    let mut want = BTreeSet::new();
    for (i, n) in b.nodes.iter().enumerate() {
        let msgs = bodies(&format!("node{i}"), 4);
        publish(&n.tcp, "across", &msgs);
        want.extend(msgs);
    }
    let o = run_bare(&[
        "tail",
        "-q",
        "-topic",
        "across",
        "-channel",
        "c",
        "-n",
        "12",
        "--lookupd-http-address",
        &b.lookupd,
    ]);
    let out = ok(&o);
    let got: Vec<String> = out.lines().map(str::to_string).collect();
    assert_eq!(got.len(), 12, "{out}\n{}", stderr(&o));
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
    for n in &b.nodes {
        let stats = || crate::common::channel_stats(&n.http, "across", "c");
        let finished = wait_until(std::time::Duration::from_secs(10), || {
            let c = stats();
            (c.depth, c.in_flight, c.messages) == (0, 0, 4)
        });
        assert!(finished, "{}: all 4 FINed: {:?}", n.http, stats());
    }
}

#[test]
fn admin_through_lookupd_reaches_every_node() {
    let b = DevBroker::cluster(3, &[]);
    let l = ["--lookupd-http-address", b.lookupd.as_str()];
    let v = json(&run_bare(
        &[&["topic", "create", "made", "--json"][..], &l].concat(),
    ));
    let nsqds = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["role"] == "nsqd")
        .count();
    assert_eq!(nsqds, 3, "{v}");
    ok(&run_bare(
        &[&["channel", "create", "made", "c"][..], &l].concat(),
    ));
    for n in &b.nodes {
        let t = node_topic(n, "made").unwrap_or_else(|| panic!("no topic on {}", n.http));
        assert_eq!(t["channels"][0]["channel_name"], "c", "{t}");
    }
    publish(&b.nodes[1].tcp, "made", &["m"]);
    ok(&run_bare(&[&["topic", "pause", "made"][..], &l].concat()));
    for n in &b.nodes {
        assert_eq!(node_topic(n, "made").unwrap()["paused"], true, "{}", n.http);
    }

    ok(&run_bare(
        &[&["topic", "delete", "made", "--yes"][..], &l].concat(),
    ));
    for n in &b.nodes {
        assert!(node_topic(n, "made").is_none(), "deleted on {}", n.http);
    }
    let topics = get_json(&b.lookupd, "/topics");
    assert_eq!(
        topics["topics"],
        serde_json::json!([]),
        "and gone from lookupd"
    );
}

#[test]
fn check_lookup_and_stats_see_three_nodes() {
    let b = DevBroker::cluster(3, &[]);
    for (i, n) in b.nodes.iter().enumerate() {
        publish(&n.tcp, "seen", &bodies("m", i + 1));
    }
    let v = json(&run(
        &b,
        &["check", "--json", "--topic", "seen", "--max-depth", "6"],
    ));
    assert_eq!(v["exit_code"], 0, "{v}");
    let checks = v["checks"].as_array().unwrap();
    let of = |check: &str| -> BTreeSet<String> {
        let nodes = checks
            .iter()
            .filter(|c| c["check"] == check && c["role"] == "nsqd");
        nodes
            .map(|c| c["node"].as_str().unwrap().to_string())
            .collect()
    };
    let https: BTreeSet<String> = b.nodes.iter().map(|n| n.http.clone()).collect();
    assert_eq!(of("ping"), https, "{v}");
    assert_eq!(of("broadcast_address"), https, "{v}");
    let o = run(&b, &["check", "--topic", "seen", "--max-depth", "5"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "depth 6 summed over nodes: {}",
        stdout(&o)
    );

    let tcps: BTreeSet<String> = b.nodes.iter().map(|n| n.tcp.clone()).collect();
    let listed = |args: &[&str]| -> BTreeSet<String> {
        ok(&run(&b, args)).lines().map(str::to_string).collect()
    };
    assert_eq!(listed(&["lookup", "--nodes"]), tcps);
    assert_eq!(listed(&["lookup", "-topic", "seen"]), tcps);

    let v = json(&run(
        &b,
        &["stats", "--json", "--sample", "0", "--per-node"],
    ));
    let t = &v["topics"][0];
    assert_eq!(
        (t["topic"].as_str(), t["message_count"].as_u64()),
        (Some("seen"), Some(6))
    );
    assert_eq!(t["nodes"].as_array().unwrap().len(), 3, "{t}");
    for (i, n) in b.nodes.iter().enumerate() {
        assert_eq!(message_count(n, "seen"), i as u64 + 1);
    }
}
