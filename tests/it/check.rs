//! `nsq-cli check` against `nsq-cli dev`: exit 0 healthy, 1 threshold, 2 unreachable.

use crate::cluster_util;
use crate::common;

use cluster_util::*;
use common::DevBroker;

#[test]
fn check_healthy_cluster_exits_0() {
    let b = DevBroker::start();
    publish(&b, "t", &["x"]);
    let o = run(&b, &["check"]);
    let out = ok(&o);
    assert!(out.contains(&format!("lookupd {}", b.lookupd)), "{out}");
    assert!(out.contains(&format!("nsqd {}", b.http)), "{out}");
    assert!(out.contains("broadcast_address"), "{out}");
    assert_eq!(out.lines().last(), Some("healthy"));
}

#[test]
fn check_json_shape() {
    let b = DevBroker::start();
    let o = run(&b, &["check", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["status"], "healthy");
    assert_eq!(v["exit_code"], 0);
    let checks = v["checks"].as_array().unwrap();
    for c in checks {
        for k in ["check", "role", "node", "status", "detail"] {
            assert!(c[k].is_string(), "{k} in {c}");
        }
        assert!(c.get("target").is_none(), "{c}");
    }
    let ping = |role: &str, node: &str| {
        checks
            .iter()
            .any(|c| c["check"] == "ping" && c["role"] == role && c["node"] == node)
    };
    assert!(ping("lookupd", &b.lookupd) && ping("nsqd", &b.http), "{v}");
    let kinds: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"ping") && kinds.contains(&"broadcast_address"),
        "{kinds:?}"
    );
}

#[test]
fn check_thresholds_exit_1_when_crossed() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "orders", "billing"]));
    publish(&b, "orders", &["1", "2", "3"]);
    let o = run(&b, &["check", "--topic", "orders", "--max-depth", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("channel orders/billing: depth 3 > 2"),
        "{}",
        stdout(&o)
    );

    let o = run(
        &b,
        &[
            "check",
            "--topic",
            "orders",
            "--channel",
            "billing",
            "--max-depth",
            "3",
            "--max-in-flight",
            "0",
            "--max-timeouts",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    let v = json(&run(
        &b,
        &["check", "--topic", "orders", "--max-depth", "0", "--json"],
    ));
    assert_eq!(v["status"], "threshold");
    assert_eq!(v["exit_code"], 1);

    let o = run(&b, &["check", "--topic", "missing", "--max-depth", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not found"), "{}", stdout(&o));
}

#[test]
fn check_unreachable_exits_2_and_wins_over_thresholds() {
    let b = DevBroker::start();
    publish(&b, "t", &["1", "2"]);
    let o = run(
        &b,
        &[
            "check",
            "--nsqd-http-address",
            "127.0.0.1:1",
            "--topic",
            "t",
            "--max-depth",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("FAIL") && stdout(&o).contains("127.0.0.1:1"),
        "{}",
        stdout(&o)
    );

    let mut dead = DevBroker::start();
    let lookupd = dead.lookupd.clone();
    dead.kill();
    let o = run_bare(&["check", "--lookupd-http-address", &lookupd]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_tcp_port_given_as_http_is_explained() {
    let b = DevBroker::start();
    let o = run_bare(&["check", "--nsqd-http-address", &b.tcp]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("NSQ TCP port, not an HTTP one"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_unresolvable_broadcast_address_suggests_map_address() {
    let b = DevBroker::start_with(&["--broadcast-address", "nsqd-does-not-resolve.invalid"]);
    let o = run_bare(&["check", "--lookupd-http-address", &b.lookupd]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("does not resolve"), "{out}");
    assert!(
        out.contains("--broadcast-address")
            && out.contains("--map-address nsqd-does-not-resolve.invalid="),
        "{out}"
    );

    let o = run_bare(&[
        "check",
        "--lookupd-http-address",
        &b.lookupd,
        "--map-address",
        "nsqd-does-not-resolve.invalid=127.0.0.1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn check_names_a_missing_channel_of_an_existing_topic() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "pk", "c"]));
    let o = run(&b, &["check", "--topic", "pk", "--channel", "nope"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "channel pk/nope: channel \"nope\" not found on any nsqd (topic \"pk\" exists)"
        ),
        "{out}"
    );
    assert!(!out.contains("topic \"pk\" not found"), "{out}");
    let v = json(&run(
        &b,
        &["check", "--topic", "pk", "--channel", "nope", "--json"],
    ));
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "topic")
        .unwrap()
        .clone();
    assert_eq!(
        (
            c["topic"].as_str(),
            c["channel"].as_str(),
            c["status"].as_str()
        ),
        (Some("pk"), Some("nope"), Some("threshold"))
    );
    assert!(c["role"].is_null() && c["node"].is_null(), "{c}");
    // The channel there: healthy.
    ok(&run(&b, &["check", "--topic", "pk", "--channel", "c"]));
}

#[test]
fn a_web_server_page_is_summed_up_in_one_short_line() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body>{}</body></html>",
        "<p>nothing here</p>\n".repeat(50)
    );
    let web = common::fake_http(move |_| (404, page.clone()));
    let o = run_bare(&["check", "--lookupd-http-address", &web]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("404 Not Found"), "{out}");
    assert!(!out.contains('<') && !out.contains("nothing here"), "{out}");
    assert!(out.lines().all(|l| l.len() <= 200), "{out}");
    for args in [&["lookup", "--topics"][..], &["stats", "--sample", "0"][..]] {
        let mut a = args.to_vec();
        a.extend(["--lookupd-http-address", &web]);
        let o = run_bare(&a);
        assert_eq!(o.status.code(), Some(1), "{a:?}");
        let e = stderr(&o);
        assert!(e.contains("is not an nsqlookupd"), "{a:?}: {e}");
        assert!(!e.contains('<') && e.lines().count() == 1, "{a:?}: {e}");
    }
    // A page served with 200 where JSON is expected: the same short line.
    let page =
        "<html><head><title>Welcome to nginx!</title></head><body>".to_string() + &"x".repeat(300);
    let web = common::fake_http(move |_| (200, page.clone()));
    let o = run_bare(&["stats", "--sample", "0", "--nsqd-http-address", &web]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("Welcome to nginx!") && !e.contains("xxxx") && !e.contains('<'),
        "{e}"
    );
}
