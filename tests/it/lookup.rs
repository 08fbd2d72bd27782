//! `nsq-cli lookup` against `nsq-cli dev` (its lookupd HTTP API describes the node).

use crate::cluster_util;
use crate::common;
use crate::common::process::OutputWithin;

use cluster_util::*;
use common::DevBroker;

#[test]
fn lookup_topic_prints_one_tcp_address_per_line() {
    let b = DevBroker::start();
    publish(&b, "test", &["hello world"]);
    let out = ok(&run(&b, &["lookup", "-topic", "test"]));
    // Not a terminal: the address and nothing else.
    assert_eq!(out, format!("127.0.0.1:{}\n", tcp_port(&b)));
}

#[test]
fn lookup_topic_json_shape() {
    let b = DevBroker::start();
    publish(&b, "test", &["x"]);
    let v = json(&run(&b, &["lookup", "--topic", "test", "--json"]));
    assert_eq!(v["topic"], "test");
    assert_eq!(v["found"], true);
    assert!(v["channels"].is_array());
    let p = &v["producers"][0];
    assert_eq!(p["broadcast_address"], "127.0.0.1");
    assert_eq!(p["tcp_port"], tcp_port(&b));
    assert_eq!(p["http_port"], http_port(&b));
    assert_eq!(p["tcp_address"], format!("127.0.0.1:{}", tcp_port(&b)));
    assert_eq!(p["http_address"], format!("127.0.0.1:{}", http_port(&b)));
    assert!(p["hostname"].is_string() && p["version"].is_string());
}

#[test]
fn lookup_unknown_topic_exits_1_and_says_so() {
    let b = DevBroker::start();
    let o = run(&b, &["lookup", "-topic", "missing"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("\"missing\" not found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lookup_topics_and_channels_are_one_item_per_line() {
    let b = DevBroker::start();
    publish(&b, "alpha", &["x"]);
    publish(&b, "beta", &["x"]);
    ok(&run(&b, &["channel", "create", "alpha", "c1"]));
    ok(&run(&b, &["channel", "create", "alpha", "c2"]));
    let topics = ok(&run(&b, &["lookup", "--topics"]));
    assert_eq!(topics, "alpha\nbeta\n");
    let channels = ok(&run(&b, &["lookup", "--channels", "-topic", "alpha"]));
    assert_eq!(channels, "c1\nc2\n");

    let v = json(&run(&b, &["lookup", "--topics", "--json"]));
    assert_eq!(v, serde_json::json!({"topics": ["alpha", "beta"]}));
    let v = json(&run(
        &b,
        &["lookup", "--channels", "--topic", "alpha", "--json"],
    ));
    assert_eq!(
        v,
        serde_json::json!({"topic": "alpha", "found": true, "channels": ["c1", "c2"]})
    );
}

#[test]
fn lookup_channels_of_an_unknown_topic_exits_1_like_lookup_topic() {
    let b = DevBroker::start();
    publish(&b, "known", &["x"]);
    let o = run(&b, &["lookup", "--channels", "--topic", "nonexist"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("topic \"nonexist\" not found"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &b,
        &["lookup", "--channels", "--topic", "nonexist", "--json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(&o),
        serde_json::json!({"topic": "nonexist", "found": false, "channels": []})
    );
    // A topic with no channels is found: exit 0, nothing listed.
    assert_eq!(
        ok(&run(&b, &["lookup", "--channels", "--topic", "known"])),
        ""
    );
}

#[test]
fn lookup_nodes_lists_topics_and_tombstones() {
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    let plain = ok(&run(&b, &["lookup", "--nodes"]));
    assert_eq!(plain, format!("127.0.0.1:{}\n", tcp_port(&b)));
    let v = json(&run(&b, &["lookup", "--nodes", "--json"]));
    let n = &v["nodes"][0];
    // `node` is what `node tombstone` and the other commands call the node.
    assert_eq!(n["node"], format!("127.0.0.1:{}", http_port(&b)));
    assert_eq!(n["tcp_address"], format!("127.0.0.1:{}", tcp_port(&b)));
    assert_eq!(n["http_address"], format!("127.0.0.1:{}", http_port(&b)));
    assert_eq!(
        n["topics"],
        serde_json::json!([{"topic": "t", "tombstoned": false}])
    );
}

#[test]
fn lookup_merges_two_lookupds_and_reports_a_dead_one() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    publish(&a, "shared", &["x"]);
    publish(&b, "shared", &["x"]);
    publish(&b, "only_b", &["x"]);
    let dead = "127.0.0.1:1";
    let o = run_bare(&[
        "lookup", "-topic", "shared", "-addr", &a.lookupd, "-addr", &b.lookupd, "-addr", dead,
    ]);
    let out = ok(&o);
    let mut want = vec![
        format!("127.0.0.1:{}", tcp_port(&a)),
        format!("127.0.0.1:{}", tcp_port(&b)),
    ];
    want.sort();
    assert_eq!(out.lines().collect::<Vec<_>>(), want);
    assert!(stderr(&o).contains("127.0.0.1:1"), "{}", stderr(&o));

    // The same lookupd twice is asked once; topics are merged and de-duplicated.
    let topics = ok(&run_bare(&[
        "lookup",
        "--topics",
        "--lookupd-http-address",
        &a.lookupd,
        "--lookupd-http-address",
        &b.lookupd,
        "--lookupd-http-address",
        &a.lookupd,
    ]));
    assert_eq!(topics, "only_b\nshared\n");

    // Comma-separated environment variable works too.
    let o = std::process::Command::new(common::bin())
        .env(
            "NSQLOOKUPD_HTTP_ADDRESS",
            format!("{},{}", a.lookupd, b.lookupd),
        )
        .args(["lookup", "--nodes"])
        .output_within()
        .unwrap();
    assert_eq!(ok(&o).lines().count(), 2);

    // Only dead lookupds: an error.
    let o = run_bare(&["lookup", "--topics", "-addr", dead]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no nsqlookupd answered"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lookup_tcp_port_instead_of_http_is_explained() {
    let b = DevBroker::start();
    let o = run_bare(&["lookup", "--topics", "-addr", &b.tcp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is an NSQ TCP port, not an HTTP one"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lookup_map_address_rewrites_announced_addresses() {
    let b = DevBroker::start_with(&["--broadcast-address", "nsqd"]);
    publish(&b, "test", &["x"]);
    let port = tcp_port(&b);
    assert_eq!(
        ok(&run(&b, &["lookup", "-topic", "test"])),
        format!("nsqd:{port}\n")
    );
    let out = ok(&run(
        &b,
        &[
            "lookup",
            "-topic",
            "test",
            "--map-address",
            "nsqd=127.0.0.1",
        ],
    ));
    assert_eq!(out, format!("127.0.0.1:{port}\n"));
    let out = ok(&run(
        &b,
        &[
            "lookup",
            "-topic",
            "test",
            "--map-address",
            &format!("nsqd:{port}=localhost:9"),
        ],
    ));
    assert_eq!(out, "localhost:9\n");
    let o = b
        .cmd()
        .env("NSQ_MAP_ADDRESS", "nsqd=10.1.2.3")
        .args(["lookup", "--nodes"])
        .output_within()
        .unwrap();
    assert_eq!(ok(&o), format!("10.1.2.3:{port}\n"));
    let o = run(&b, &["lookup", "--topics", "--map-address", "nsqd"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("FROM=TO"), "{}", stderr(&o));
}

#[test]
fn lookup_without_a_question_is_a_usage_error() {
    let o = run_bare(&["lookup"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-topic"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn lookup_bad_address_is_explained() {
    let o = run_bare(&["lookup", "--topics", "-addr", "nohostport"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"nohostport\""), "{}", stderr(&o));
}

#[test]
fn lookup_of_an_address_that_is_not_an_nsqlookupd_says_so() {
    // nsqd's HTTP port answers 404 to /lookup, /topics and /nodes.
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    for (args, path) in [
        (&["lookup", "--topic", "t"][..], "/lookup"),
        (&["lookup", "--channels", "--topic", "t"][..], "/lookup"),
        (&["lookup", "--topics"][..], "/topics"),
        (&["lookup", "--nodes"][..], "/nodes"),
    ] {
        let mut a = args.to_vec();
        a.extend(["-addr", &b.http]);
        let o = run_bare(&a);
        assert_eq!(o.status.code(), Some(1), "{a:?}");
        let want = format!("{} is not an nsqlookupd: GET {path} answered 404", b.http);
        assert!(stderr(&o).contains(&want), "{a:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("not found in"), "{}", stderr(&o));
    }
}
