//! `nsq-cli relay` between two `nsq-cli dev` brokers standing for two clusters:
//! exact counts end to end, a destination killed and restarted, the relay killed
//! with SIGKILL or stopped by a signal, filters, drain mode, several topics, -n,
//! and flags refused before anything runs.

use crate::common;

use common::process::{line_stream, signal, stderr, wait_line, wait_output, watchdog, DEADLINE};
use common::raw::{drain_channel, publish};
use common::{
    assert_unreachable_line, bin, channel_stats, topic_message_count, wait_until, without_contexts,
    DevBroker,
};
use std::collections::BTreeSet;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;

fn bodies(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// `nsq-cli relay` with no context and no address from the environment.
fn bare_relay() -> Command {
    let mut c = Command::new(bin());
    without_contexts(&mut c).env("NO_COLOR", "1");
    for v in [
        "NSQD_TCP_ADDRESS",
        "NSQD_HTTP_ADDRESS",
        "NSQLOOKUPD_HTTP_ADDRESS",
        "NSQD_TCP_ADDRESSES",
        "NSQD_HTTP_ADDRESSES",
    ] {
        c.env_remove(v);
    }
    c.arg("relay");
    c
}

/// `nsq-cli relay` from `src`'s nsqd to `dst`'s nsqd, through channel `c`.
fn relay(src: &DevBroker, dst: &DevBroker) -> Command {
    let mut c = bare_relay();
    c.args(["--channel", "c", "--nsqd-tcp-address", &src.tcp])
        .args(["--to-nsqd-tcp-address", &dst.tcp]);
    c
}

/// Runs a relay to its end (under the deadline).
fn run(c: &mut Command) -> Output {
    let child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_output(child)
}

/// Starts a relay; its stderr lines come on the receiver.
fn spawn(c: &mut Command) -> (Child, mpsc::Receiver<String>) {
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let errs = line_stream(child.stderr.take().unwrap());
    (child, errs)
}

fn summary(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {:?} / {}", o.stdout, stderr(o)))
}

fn body_set(b: &DevBroker, topic: &str) -> Vec<String> {
    drained(b, topic, "check")
}

/// Every body `topic/channel` holds (taken and FINed), sorted, repeats kept.
fn drained(b: &DevBroker, topic: &str, channel: &str) -> Vec<String> {
    let mut v: Vec<String> = drain_channel(&b.tcp, topic, channel)
        .iter()
        .map(|m| String::from_utf8(m.body.to_vec()).unwrap())
        .collect();
    v.sort();
    v
}

/// Nothing lost: every published body is in one of `places` (duplicates may
/// be, at-least-once), and nothing else is.
fn assert_all_there(published: &[String], places: &[&[String]]) {
    let want: BTreeSet<&String> = published.iter().collect();
    let got: BTreeSet<&String> = places.iter().flat_map(|p| p.iter()).collect();
    let lost: Vec<&&String> = want.difference(&got).take(5).collect();
    assert!(
        lost.is_empty(),
        "lost {} body(ies), e.g. {lost:?}",
        want.difference(&got).count()
    );
    assert_eq!(got, want, "bodies never published arrived");
}

/// Waits until the source channel holds nothing in flight (what a dead or
/// stopped relay held is back), and returns its depth.
fn settled_depth(src: &DevBroker, topic: &str) -> u64 {
    let now = || channel_stats(&src.http, topic, "c");
    assert!(wait_until(DEADLINE, || now().in_flight == 0), "{:?}", now());
    now().depth
}

/// Waits until the destination topic received at least `n` messages.
fn wait_received(dst: &DevBroker, topic: &str, n: u64) {
    assert!(
        wait_until(DEADLINE, || topic_message_count(&dst.http, topic) >= n),
        "destination got {}",
        topic_message_count(&dst.http, topic)
    );
}

#[test]
fn relays_every_message_exactly_once_and_drain_mode_exits_0() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    let all = bodies("m", 3000);
    publish(&src.tcp, "orders", &all);
    // The destination channel exists first, so it receives every message.
    drain_channel(&dst.tcp, "orders_v2", "check");
    let o = run(relay(&src, &dst).args([
        "-topic",
        "orders",
        "--to-topic",
        "orders_v2",
        "--idle-timeout",
        "3s",
        "--json",
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(s["relayed"], 3000, "{s}");
    assert_eq!(s["requeued"], 0, "{s}");
    assert_eq!(s["topics"][0]["to_topic"], "orders_v2", "{s}");
    let mut want = all.clone();
    want.sort();
    assert_eq!(body_set(&dst, "orders_v2"), want, "each body exactly once");
    let c = channel_stats(&src.http, "orders", "c");
    assert_eq!((c.depth, c.in_flight, c.requeued), (0, 0, 0), "{c:?}");
}

#[test]
fn several_topics_keep_their_names_through_the_placeholder() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    publish(&src.tcp, "a", &bodies("a", 30));
    publish(&src.tcp, "b", &bodies("b", 20));
    let o = run(relay(&src, &dst).args([
        "-topic",
        "a",
        "-topic",
        "b",
        "--to-topic",
        "copy_{topic}",
        "--idle-timeout",
        "3s",
        "--json",
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["relayed"], 50, "{s}");
    assert_eq!(topic_message_count(&dst.http, "copy_a"), 30);
    assert_eq!(topic_message_count(&dst.http, "copy_b"), 20);
    let per: BTreeSet<(String, u64)> = s["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["to_topic"].as_str().unwrap().to_string(),
                t["relayed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per,
        BTreeSet::from([("copy_a".into(), 30), ("copy_b".into(), 20)])
    );
}

#[test]
fn filters_fin_and_count_what_they_leave_out() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    let mut msgs = Vec::new();
    for i in 0..10 {
        msgs.push(format!(r#"{{"user":{{"id":42}},"type":"click","n":{i}}}"#));
        msgs.push(format!(
            r#"{{"user":{{"id":"42"}},"type":"click","n":{i}}}"#
        ));
        msgs.push(format!(r#"{{"user":{{"id":42}},"type":"view","n":{i}}}"#));
    }
    msgs.push("not json, a click".to_string());
    publish(&src.tcp, "ev", &msgs);
    let o = run(relay(&src, &dst).args([
        "-topic",
        "ev",
        "--to-topic",
        "clicks",
        "--json-field",
        "user.id=42",
        "--filter",
        "\"type\":\"click\"",
        "--idle-timeout",
        "3s",
        "--json",
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(
        (s["relayed"].as_u64(), s["filtered"].as_u64()),
        (Some(10), Some(21)),
        "{s}"
    );
    let got = body_set(&dst, "clicks");
    assert_eq!(got.len(), 10);
    assert!(
        got.iter()
            .all(|b| b.contains(r#""id":42}"#) && b.contains("click")),
        "{got:?}"
    );
    let c = channel_stats(&src.http, "ev", "c");
    assert_eq!(
        (c.depth, c.in_flight),
        (0, 0),
        "filtered ones are FINed: {c:?}"
    );
}

#[test]
fn count_relays_exactly_n_and_gives_the_rest_back() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    publish(&src.tcp, "n", &bodies("n", 50));
    let o = run(relay(&src, &dst).args(["-topic", "n", "-n", "7", "--to-topic", "n7", "--json"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["relayed"], 7, "{s}");
    assert_eq!(topic_message_count(&dst.http, "n7"), 7);
    assert_eq!(settled_depth(&src, "n"), 43);
    // Paused once the budget is spent: at most what nsqd had already sent (the
    // max-in-flight, 7 here) is given back, not the same messages round and round.
    assert!(s["requeued"].as_u64().unwrap() <= 7, "{s}");
    let c = channel_stats(&src.http, "n", "c");
    assert!(c.requeued <= 7, "{c:?}");
}

/// The destination dies mid-relay and comes back at its address: what it had
/// acknowledged before dying (counted with the relay frozen, so no ack is in
/// transit) plus what the new one received covers everything published, and the
/// source is drained.
#[test]
fn destination_killed_and_restarted_loses_nothing() {
    let src = DevBroker::start();
    let mut dst = DevBroker::start_at(&common::free_addr(), &[]);
    let n = 6000;
    let all = bodies("m", n);
    publish(&src.tcp, "mv", &all);
    drain_channel(&dst.tcp, "mv", "check");
    let (child, errs) =
        spawn(relay(&src, &dst).args(["-topic", "mv", "--rate", "1000", "--idle-timeout", "2s"]));
    let _dog = watchdog(child.id());
    // Frozen with about 5s of work left: surely mid-relay on a busy machine.
    wait_received(&dst, "mv", 500);
    signal(child.id(), "STOP");
    let mut last = u64::MAX;
    let stable = wait_until(DEADLINE, || {
        let now = topic_message_count(&dst.http, "mv");
        std::mem::replace(&mut last, now) == now
    });
    assert!(stable);
    let before = body_set(&dst, "mv");
    dst.kill();
    signal(child.id(), "CONT");
    wait_line(&errs, "reconnecting in");
    let dst = DevBroker::start_at(&dst.tcp, &[]);
    wait_line(&errs, "destination back");
    let o = wait_output(child);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(settled_depth(&src, "mv"), 0);
    let after = body_set(&dst, "mv");
    assert!(before.len() < n, "killed mid-relay: {}", before.len());
    assert_all_there(&all, &[&before, &after]);
}

/// SIGKILL gives the relay no chance: what it held returns after the source's
/// msg-timeout; the destination's count plus the source's depth covers all.
#[test]
fn relay_killed_with_sigkill_loses_nothing() {
    let src = DevBroker::start_with(&["--msg-timeout", "1s"]);
    let dst = DevBroker::start();
    let n = 5000;
    let all = bodies("k", n);
    publish(&src.tcp, "k", &all);
    drain_channel(&dst.tcp, "k", "check");
    let (mut child, _errs) = spawn(relay(&src, &dst).args(["-topic", "k", "--rate", "1000"]));
    let _dog = watchdog(child.id());
    wait_received(&dst, "k", 500);
    signal(child.id(), "KILL");
    let _ = child.wait();
    settled_depth(&src, "k");
    let left = drained(&src, "k", "c");
    let got = body_set(&dst, "k");
    assert!(got.len() < n, "killed mid-relay: {}", got.len());
    assert_all_there(&all, &[&left, &got]);
}

/// SIGTERM: taking stops, what is held is acknowledged and FINed (or
/// requeued), exit 143; with a healthy destination, no message is counted twice.
#[test]
fn sigterm_finishes_what_is_held_and_exits_143() {
    stopped_by_signal_finishes_what_is_held("TERM", 143);
}

/// Ctrl-C (SIGINT): the same, exit 130.
#[test]
fn sigint_finishes_what_is_held_and_exits_130() {
    stopped_by_signal_finishes_what_is_held("INT", 130);
}

fn stopped_by_signal_finishes_what_is_held(sig: &str, code: i32) {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    let n = 5000;
    let all = bodies("s", n);
    publish(&src.tcp, "s", &all);
    drain_channel(&dst.tcp, "s", "check");
    let (child, _errs) = spawn(relay(&src, &dst).args(["-topic", "s", "--rate", "2000", "--json"]));
    let _dog = watchdog(child.id());
    wait_received(&dst, "s", 500);
    signal(child.id(), sig);
    let o = wait_output(child);
    assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["ok"], false, "{s}");
    let got = topic_message_count(&dst.http, "s");
    assert_eq!(s["relayed"].as_u64(), Some(got), "{s}");
    settled_depth(&src, "s");
    // Each body exactly once: on the destination or back on the source.
    let mut both = drained(&src, "s", "c");
    both.extend(body_set(&dst, "s"));
    both.sort();
    let mut want = all;
    want.sort();
    assert_eq!(both, want);
}

#[test]
fn bad_flags_are_refused_naming_the_value_and_nothing_moves() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    publish(&src.tcp, "ok", &bodies("x", 3));
    let cases: &[(&[&str], &str)] = &[
        (&["-topic", "bad topic"], "invalid topic name \"bad topic\""),
        (
            &["-topic", "ok", "--to-topic", "x/{topic}"],
            "--to-topic \"x/{topic}\"",
        ),
        (
            &["-topic", "ok", "--filter", "(unclosed"],
            "invalid --filter \"(unclosed\"",
        ),
        (&["-topic", "ok", "--json-field", "user.id"], "PATH=VALUE"),
        (
            &["-topic", "ok", "--to-nsqd-tcp-address", "host:99999"],
            "host:99999",
        ),
        (
            &["-topic", "ok", "-topic", "ok"],
            "-topic ok was given more than once",
        ),
        (&["-topic", "ok", "--batch-size", "0"], "--batch-size"),
        (
            &["-topic", "ok", "--to-tls-ca", "/nonexistent/ca.pem"],
            "cannot read --to-tls-ca /nonexistent/ca.pem",
        ),
        (
            &["-topic", "ok", "--to-auth-secret-file", "/nonexistent/s"],
            "cannot read --to-auth-secret-file /nonexistent/s",
        ),
    ];
    for (args, want) in cases {
        let o = run(relay(&src, &dst).args(*args));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    }
}

/// A topic relayed into itself is refused whenever the resolved destination
/// shares an nsqd or a lookupd with the source, however it was spelt.
#[test]
fn a_topic_relayed_into_itself_is_refused() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    publish(&src.tcp, "ok", &bodies("x", 3));
    let both = format!("{},{}", dst.tcp, src.tcp);
    let n = ["--nsqd-tcp-address", src.tcp.as_str()];
    let cases: Vec<Vec<&str>> = vec![
        n.to_vec(),
        [&n[..], &["--to-nsqd-tcp-address", &src.tcp]].concat(),
        [&n[..], &["--to-nsqd-tcp-address", ""]].concat(),
        [&n[..], &["--to-nsqd-tcp-address", " , "]].concat(),
        [&n[..], &["--to-nsqd-tcp-address", &both]].concat(),
        vec![
            "-addr",
            &src.lookupd,
            "--to-lookupd-http-address",
            &src.lookupd,
        ],
    ];
    for args in &cases {
        let o = run(bare_relay()
            .args(["-topic", "ok", "--channel", "c"])
            .args(args));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("into itself"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    }
    let (_, body) = common::http_get(&src.http, "/stats?format=json&topic=ok");
    assert!(
        !body.contains("\"channel_name\":\"c\""),
        "no channel was created: {body}"
    );
    assert_eq!(topic_message_count(&dst.http, "ok"), 0);
}

/// Both sides found through their nsqlookupd, as between two real clusters.
#[test]
fn source_and_destination_found_through_lookupd() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    publish(&src.tcp, "l", &bodies("l", 40));
    let o = run(bare_relay().args([
        "-topic",
        "l",
        "--channel",
        "c",
        "-addr",
        &src.lookupd,
        "--to-lookupd-http-address",
        &dst.lookupd,
        "--idle-timeout",
        "3s",
        "--lookupd-poll-interval",
        "1s",
        "--json",
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["relayed"], 40);
    assert_eq!(topic_message_count(&dst.http, "l"), 40);
    assert!(
        stderr(&o).contains(&format!("relaying l to nsqd at {}", dst.tcp)),
        "{}",
        stderr(&o)
    );
}

/// The source nsqd goes away mid-relay (stopped; with --data-path it keeps its
/// queue and what was in flight) and comes back at its address: the relay says
/// it is reconnecting, subscribes again, drains it and ends with --idle-timeout
/// (exit 0). At-least-once: what the relay held when the source went had its
/// FIN nowhere to go, so it comes back and is relayed again: at most
/// --max-in-flight bodies arrive twice, none is lost.
#[test]
fn source_stopped_and_restarted_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut src = DevBroker::start_at(&common::free_addr(), &["--data-path", data]);
    let dst = DevBroker::start();
    let n = 6000;
    let all = bodies("r", n);
    publish(&src.tcp, "sr", &all);
    drain_channel(&dst.tcp, "sr", "check");
    let (child, errs) = spawn(relay(&src, &dst).args([
        "-topic",
        "sr",
        "--rate",
        "1000",
        "--max-in-flight",
        "100",
        "--idle-timeout",
        "10s",
        "--json",
    ]));
    let _dog = watchdog(child.id());
    wait_received(&dst, "sr", 1000);
    // Frozen while the source stops, so it is surely mid-relay (a busy machine
    // cannot let it finish first); 10s of quiet covers the reconnect backoff.
    signal(child.id(), "STOP");
    src.stop();
    signal(child.id(), "CONT");
    let (line, _) = wait_line(&errs, "reconnecting in");
    assert!(line.contains(&src.tcp), "{line}");
    let before = topic_message_count(&dst.http, "sr");
    // Frozen while the source starts again: its retry is due when it wakes, so
    // the restart's length never eats into the --idle-timeout.
    signal(child.id(), "STOP");
    let src = DevBroker::start_at(&src.tcp, &["--data-path", data]);
    signal(child.id(), "CONT");
    let (line, _) = wait_line(&errs, "reconnected to nsqd at");
    assert!(line.contains(&src.tcp), "{line}");
    let o = wait_output(child);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(settled_depth(&src, "sr"), 0);
    let got = body_set(&dst, "sr");
    assert!((before as usize) < n, "stopped mid-relay: {before}");
    assert_eq!(summary(&o)["relayed"].as_u64(), Some(got.len() as u64));
    assert_all_there(&all, &[&got]);
    let twice = got.len() - n;
    assert!(twice <= 100, "{twice} bodies relayed twice");
}

/// The source nsqd is killed (SIGKILL: its in-memory queue is lost with it) and
/// a new one starts at its address: the relay reconnects and relays what is
/// published there afterwards, each body once; what it got before is a subset
/// of what was published before (nothing invented), then --idle-timeout, exit 0.
#[test]
fn source_killed_and_restarted_relays_what_comes_after() {
    let mut src = DevBroker::start_at(&common::free_addr(), &[]);
    let dst = DevBroker::start();
    let a = bodies("a", 3000);
    publish(&src.tcp, "k2", &a);
    drain_channel(&dst.tcp, "k2", "check");
    let (child, errs) =
        spawn(relay(&src, &dst).args(["-topic", "k2", "--rate", "500", "--idle-timeout", "10s"]));
    let _dog = watchdog(child.id());
    wait_received(&dst, "k2", 300);
    signal(child.id(), "STOP");
    src.kill();
    signal(child.id(), "CONT");
    wait_line(&errs, "reconnecting in");
    signal(child.id(), "STOP");
    let src = DevBroker::start_at(&src.tcp, &[]);
    signal(child.id(), "CONT");
    wait_line(&errs, "reconnected to nsqd at");
    let b = bodies("b", 500);
    publish(&src.tcp, "k2", &b);
    let o = wait_output(child);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(settled_depth(&src, "k2"), 0);
    let got = body_set(&dst, "k2");
    let (from_b, from_a): (Vec<String>, Vec<String>) =
        got.into_iter().partition(|x| x.starts_with('b'));
    let mut want_b = b.clone();
    want_b.sort();
    assert_eq!(
        from_b, want_b,
        "each body published after the restart, once"
    );
    assert!(from_a.len() < a.len(), "killed mid-relay: {}", from_a.len());
    let a_set: BTreeSet<&String> = a.iter().collect();
    assert!(from_a.iter().all(|x| a_set.contains(x)));
}

/// --idle-timeout with the source never reachable is not "drained": exit 1 with
/// one line naming it (the JSON summary still written), not 0; given as an nsqd,
/// or as the nsqlookupd that would find its nodes.
#[test]
fn idle_timeout_with_the_source_unreachable_exits_1_naming_it() {
    let dst = DevBroker::start();
    for (flag, kind) in [("--nsqd-tcp-address", "nsqd"), ("-addr", "nsqlookupd")] {
        let gone = common::free_addr();
        let o = run(bare_relay().args([
            "-topic",
            "u",
            "--channel",
            "c",
            flag,
            &gone,
            "--to-nsqd-tcp-address",
            &dst.tcp,
            "--idle-timeout",
            "1s",
            "--json",
        ]));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert_unreachable_line(&err, &gone, "stopping (0 relayed)");
        assert!(
            err.contains(&format!("source {kind} {gone} unreachable for")),
            "{err}"
        );
        let s = summary(&o);
        assert_eq!(s["ok"], false, "{s}");
        assert!(
            s["error"].as_str().unwrap_or_default().contains(&gone),
            "{s}"
        );
    }
}

/// The source nsqd dies mid-relay and stays away: what was relayed is counted,
/// and --idle-timeout ends the relay with exit 1 naming the source, since what
/// it still held was not moved.
#[test]
fn source_gone_for_good_mid_relay_exits_1_at_idle_timeout() {
    let mut src = DevBroker::start();
    let dst = DevBroker::start();
    // 10 s of work at --rate 500: the source dies while the relay is busy.
    publish(&src.tcp, "g", &bodies("g", 5000));
    drain_channel(&dst.tcp, "g", "check");
    let (child, errs) = spawn(relay(&src, &dst).args([
        "-topic",
        "g",
        "--rate",
        "500",
        "--idle-timeout",
        "1s",
        "--json",
    ]));
    let _dog = watchdog(child.id());
    wait_received(&dst, "g", 200);
    src.kill();
    let o = wait_output(child);
    let err: Vec<String> = errs.iter().collect();
    assert_eq!(o.status.code(), Some(1), "{err:?}");
    let got = topic_message_count(&dst.http, "g");
    let counted = format!("stopping ({got} relayed)");
    assert_unreachable_line(&err.join("\n"), &src.tcp, &counted);
    assert!(got < 5000, "killed mid-relay: {got}");
    let s = summary(&o);
    assert_eq!(s["relayed"].as_u64(), Some(got), "{s}");
    assert_unreachable_line(s["error"].as_str().unwrap_or_default(), &src.tcp, &counted);
}

/// Found through nsqlookupd with no nsqd holding the topic at all: genuinely
/// idle, exit 0.
#[test]
fn idle_timeout_with_no_producer_at_lookupd_exits_0() {
    let (src, dst) = (DevBroker::start(), DevBroker::start());
    let o = run(bare_relay().args([
        "-topic",
        "nobody",
        "--channel",
        "c",
        "-addr",
        &src.lookupd,
        "--to-nsqd-tcp-address",
        &dst.tcp,
        "--idle-timeout",
        "1s",
        "--json",
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["ok"], true);
}

/// A message the destination refuses for good (bigger than its --max-msg-size:
/// E_BAD_MESSAGE) is not lost and does not spin: relay stops with exit 1 and a
/// line naming the message, its size and the destination's error; that
/// message (and every other not relayed) is back on the source.
#[test]
fn a_message_the_destination_refuses_stops_the_relay_naming_it() {
    let src = DevBroker::start();
    let dst = DevBroker::start_with(&["--max-msg-size", "1024"]);
    let mut all = bodies("b", 20);
    let big = format!("big{}", "x".repeat(2000));
    all.push(big.clone());
    publish(&src.tcp, "big", &all);
    drain_channel(&dst.tcp, "big", "check");
    let o = run(relay(&src, &dst).args(["-topic", "big", "--idle-timeout", "5s", "--json"]));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("message ")
            && last.contains(&format!("{} bytes", big.len()))
            && last.contains("E_BAD_MESSAGE"),
        "{err}"
    );
    let s = summary(&o);
    assert_eq!(s["ok"], false, "{s}");
    settled_depth(&src, "big");
    let left = drained(&src, "big", "c");
    assert!(
        left.contains(&big),
        "the refused message is back on the source"
    );
    let got = body_set(&dst, "big");
    assert_eq!(s["relayed"].as_u64(), Some(got.len() as u64), "{s}");
    assert_all_there(&all, &[&left, &got]);
    // Not spun: the big message was tried once (or a few times), not thousands.
    let c = channel_stats(&src.http, "big", "c");
    assert!(c.requeued <= 25, "{c:?}");
}
