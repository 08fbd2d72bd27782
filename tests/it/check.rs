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

/// The one line of a check (`WARN  orphans ...`) whose second column is `target`.
fn line_of<'a>(out: &'a str, check: &str, target: &str) -> Option<&'a str> {
    out.lines()
        .find(|l| l.split_whitespace().nth(1) == Some(check) && l.contains(target))
}

#[test]
fn min_nodes_counts_the_nsqd_every_lookupd_knows() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    let both = [
        "--lookupd-http-address",
        a.lookupd.as_str(),
        "--lookupd-http-address",
        b.lookupd.as_str(),
    ];
    let run_min = |n: &str| {
        let mut args = vec!["check", "--min-nodes", n];
        args.extend(both);
        run_bare(&args)
    };
    let o = run_min("2");
    let out = ok(&o);
    let line = line_of(&out, "min_nodes", "cluster").unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("OK")
            && line.contains("cluster: 2 nsqd registered (")
            && line.contains(&a.http)
            && line.contains(&b.http)
            && line.ends_with(") >= 2"),
        "{line}"
    );
    let o = run_min("3");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let line = line_of(&out, "min_nodes", "cluster").unwrap();
    assert!(
        line.starts_with("WARN") && line.contains("2 nsqd registered"),
        "{line}"
    );
    assert!(line.ends_with("< 3"), "{line}");

    // Counting needs a lookupd: refused before anything is asked.
    let o = run_bare(&["check", "--min-nodes", "1", "--nsqd-http-address", &a.http]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("--min-nodes"), "{}", stderr(&o));
    let o = run_bare(&["check", "--min-nodes", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 1"), "{}", stderr(&o));
}

#[test]
fn orphans_are_channels_with_messages_and_no_client() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "lonely"]));
    ok(&run(&b, &["channel", "create", "t", "busy"]));
    publish(&b, "t", &["1", "2", "3"]);
    // busy has a client (taking nothing); lonely has none.
    let _busy = common::raw::Raw::subscribe(&b.tcp, "t", "busy", 0);
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "busy").clients == 1
    }));
    let o = run(&b, &["check", "--orphans"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let target = format!("nsqd {} channel t/lonely", b.http);
    let line = line_of(&out, "orphans", &target).unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        line,
        format!(
            "WARN  orphans           {target}: 3 message(s) (depth 3, in flight 0, \
             deferred 0) and no client now"
        )
    );
    assert!(!out.contains("t/busy"), "{out}");

    // Only --topic/--channel are judged.
    let o = run(
        &b,
        &["check", "--orphans", "--topic", "t", "--channel", "busy"],
    );
    let out = ok(&o);
    assert!(
        line_of(&out, "orphans", &format!("nsqd {}", b.http))
            .is_some_and(|l| l.starts_with("OK") && l.ends_with("no orphaned channel (1 checked)")),
        "{out}"
    );

    let v = json(&run(&b, &["check", "--orphans", "--json"]));
    assert_eq!(v["exit_code"], 1);
    let orphan: Vec<_> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["check"] == "orphans")
        .collect();
    assert_eq!(orphan.len(), 1, "{v}");
    let c = orphan[0];
    assert_eq!(
        (
            &c["role"],
            &c["node"],
            &c["topic"],
            &c["channel"],
            &c["status"]
        ),
        (
            &"nsqd".into(),
            &b.http.as_str().into(),
            &"t".into(),
            &"lonely".into(),
            &"threshold".into()
        )
    );
}

#[test]
fn orphans_with_grace_must_have_finished_nothing_for_that_long() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1", "2", "3"]);
    let o = run(&b, &["check", "--orphans", "--grace", "1s"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("channel t/c: 3 message(s) (depth 3, in flight 0, deferred 0) and no client for at least 1s"),
        "{}",
        stdout(&o)
    );

    // A consumer comes, finishes one message and goes within the grace: the
    // channel again has messages and no client, but it was not forgotten.
    let mut child = b
        .cmd()
        .args(["check", "--orphans", "--grace", "10s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let _dog = common::process::watchdog(child.id());
    let err = common::process::line_stream(child.stderr.take().unwrap());
    common::process::wait_line(&err, "watching 1 channel(s)");
    let mut raw = common::raw::Raw::subscribe(&b.tcp, "t", "c", 1);
    let m = raw.message();
    // RDY 0 first, so nsqd sends no other message after the FIN.
    raw.send(nsq_cli::protocol::Command::Rdy(0));
    raw.send(nsq_cli::protocol::Command::Fin(m.id));
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "c").depth == 2
            && common::channel_stats(&b.http, "t", "c").in_flight == 0
    }));
    drop(raw);
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "c").clients == 0
    }));
    // The second look is still to come: it sees the channel after the client left.
    assert!(
        child.try_wait().unwrap().is_none(),
        "check ended before the client left"
    );
    let o = common::process::wait_output(child);
    let out = ok(&o);
    assert!(out.contains("no orphaned channel (1 checked)"), "{out}");
}

#[test]
fn max_requeues_and_max_deferred_name_node_topic_and_channel() {
    let b = DevBroker::start();
    ok(&run(&b, &["channel", "create", "t", "c"]));
    publish(&b, "t", &["1"]);
    let mut raw = common::raw::Raw::subscribe(&b.tcp, "t", "c", 1);
    let m = raw.message();
    // Requeued with a delay: counted as a requeue and held as deferred.
    raw.send(nsq_cli::protocol::Command::Req {
        id: m.id,
        timeout_ms: 600_000,
    });
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "c").requeued == 1
    }));
    let target = format!("nsqd {} channel t/c", b.http);
    let o = run(&b, &["check", "--max-requeues", "0", "--max-deferred", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert_eq!(
        line_of(&out, "requeues", &target),
        Some(format!("WARN  requeues          {target}: requeues 1 > 0").as_str()),
        "{out}"
    );
    assert_eq!(
        line_of(&out, "deferred", &target),
        Some(format!("WARN  deferred          {target}: deferred 1 > 0").as_str()),
        "{out}"
    );
    let o = run(&b, &["check", "--max-requeues", "1", "--max-deferred", "1"]);
    let out = ok(&o);
    let node = format!("nsqd {}", b.http);
    for (check, detail) in [
        ("requeues", "no channel over 1 requeues (1 checked)"),
        ("deferred", "no channel over 1 deferred (1 checked)"),
    ] {
        assert_eq!(
            line_of(&out, check, &node),
            Some(format!("OK    {check:<17} {node}: {detail}").as_str()),
            "{out}"
        );
    }
    // With --grace the increase between the two looks is judged: none here.
    let o = run(
        &b,
        &["check", "--orphans", "--grace", "1s", "--max-requeues", "0"],
    );
    let out = ok(&o);
    assert_eq!(
        line_of(&out, "requeues", &node),
        Some(
            format!("OK    requeues          {node}: no channel over 0 requeues (1 checked)")
                .as_str()
        ),
        "{out}"
    );
    let o = run(&b, &["check", "--max-deferred", "-1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn orphans_of_two_nodes_name_the_node() {
    let a = DevBroker::start();
    let b = DevBroker::start();
    for x in [&a, &b] {
        ok(&run(x, &["channel", "create", "t", "c"]));
        publish(x, "t", &["1"]);
    }
    let _client = common::raw::Raw::subscribe(&b.tcp, "t", "c", 0);
    assert!(common::wait_until(common::process::DEADLINE, || {
        common::channel_stats(&b.http, "t", "c").clients == 1
    }));
    let o = run_bare(&[
        "check",
        "--orphans",
        "--lookupd-http-address",
        &a.lookupd,
        "--lookupd-http-address",
        &b.lookupd,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().filter(|l| l.contains(" orphans ")).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows.contains(&format!("WARN  orphans           nsqd {} channel t/c: 1 message(s) (depth 1, in flight 0, deferred 0) and no client now", a.http).as_str()),
        "{out}"
    );
    assert!(
        rows.contains(
            &format!(
                "OK    orphans           nsqd {}: no orphaned channel (1 checked)",
                b.http
            )
            .as_str()
        ),
        "{out}"
    );
}
