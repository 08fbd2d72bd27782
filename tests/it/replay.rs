//! Replaying messages: `publish --input-format json` reads back what `tail --json`
//! and `tail --dead-letter` wrote, byte for byte (binary bodies included), and
//! `tail --exec --dead-letter-topic` moves messages given up on into a topic,
//! FINing them only once that topic has them.

use crate::common;

use common::process::{
    line_stream, run_with_stdin, signal, stderr, wait_line, wait_output, watchdog,
};
use common::raw::{drain_channel, publish};
use common::{channel_stats, fake_http, http_get, wait_until, DevBroker};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Bodies no line-based replay survives: NUL, invalid UTF-8, newlines, quotes
/// and backslashes, CR LF, non-ASCII text.
fn awkward_bodies() -> Vec<Vec<u8>> {
    vec![
        b"\0".to_vec(),
        b"\xff\xfe not utf-8 \x00\n".to_vec(),
        b"two\nlines".to_vec(),
        b"\"quoted\" \\ back\\slash".to_vec(),
        b"\r\n".to_vec(),
        "caf\u{e9} \u{1f600}".as_bytes().to_vec(),
        b"plain".to_vec(),
    ]
}

/// `nsq-cli ARGS` against `b` over TCP only (no lookupd from the environment).
fn cli(b: &DevBroker, args: &[&str]) -> Command {
    let mut c = b.cmd();
    c.env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .env_remove("NSQ_AUTH_SECRET")
        .args(args);
    c
}

fn run(b: &DevBroker, args: &[&str], stdin: &[u8]) -> Output {
    run_with_stdin(&mut cli(b, args), stdin)
}

fn assert_ok(o: &Output) {
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(o));
}

fn bodies_of(topic: &str, b: &DevBroker) -> Vec<Vec<u8>> {
    drain_channel(&b.tcp, topic, "check")
        .into_iter()
        .map(|m| m.body.to_vec())
        .collect()
}

/// The JSON summary publish printed.
fn summary(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {o:?}"))
}

/// Whether nsqd has the topic (nothing was ever published to it otherwise).
fn has_topic(b: &DevBroker, topic: &str) -> bool {
    let (_, body) = http_get(&b.http, "/stats?format=json");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["topic_name"] == topic)
}

#[test]
fn tail_json_then_publish_json_gives_identical_bodies() {
    let b = DevBroker::start();
    let sent = awkward_bodies();
    publish(&b.tcp, "src", &sent);
    let n = sent.len().to_string();
    let tail = [
        "tail",
        "--topic",
        "src",
        "--channel",
        "c",
        "--json",
        "-n",
        &n,
    ];
    let o = run(&b, &tail, b"");
    assert_ok(&o);
    let lines = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(lines.contains("\"body_base64\":"), "{lines}");
    // An empty body and blank lines cannot be published: skipped and counted.
    let mut archive = o.stdout.clone();
    archive.extend_from_slice(b"\n{\"body\":\"\",\"note\":\"hand-written\"}\n\n");

    let args = [
        "publish",
        "--topic",
        "dst",
        "--input-format",
        "json",
        "--json",
        "--batch-size",
        "3",
        "--rate",
        "1000",
    ];
    let o = run(&b, &args, &archive);
    assert_ok(&o);
    let s = summary(&o);
    assert_eq!(s["messages"], sent.len(), "{s}");
    assert_eq!(s["skipped_empty"], 3, "{s}");
    assert!(stderr(&o).contains("skipped 3 blank lines or empty bodies"));
    assert_eq!(bodies_of("dst", &b), sent, "identical bodies, in order");

    // The same from a --file, deferred (DPUB).
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("archive.jsonl");
    std::fs::write(&f, &archive).unwrap();
    let f = f.to_str().unwrap();
    let o = run(
        &b,
        &[
            "publish",
            "--topic",
            "dst2",
            "--input-format",
            "json",
            "--file",
            f,
            "--defer",
            "100ms",
        ],
        b"",
    );
    assert_ok(&o);
    // Deferred messages due at the same moment may come in any order.
    let mut got = bodies_of("dst2", &b);
    got.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn dead_letter_file_replays_into_its_topic() {
    let b = DevBroker::start();
    let sent = awkward_bodies();
    publish(&b.tcp, "jobs", &sent);
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    let dead = dead.to_str().unwrap();
    let worker = [
        "tail",
        "--topic",
        "jobs",
        "--channel",
        "w",
        "--idle-timeout",
        "5s",
        "--exec",
        "exit 3",
        "--max-attempts",
        "1",
        "--dead-letter",
        dead,
    ];
    let o = run(&b, &worker, b"");
    assert_ok(&o);
    assert_eq!(
        std::fs::read_to_string(dead).unwrap().lines().count(),
        sent.len()
    );
    assert!(drain_channel(&b.tcp, "jobs", "w").is_empty());
    // Sent back where they came from, then taken by the channel again.
    let o = run(
        &b,
        &[
            "publish",
            "--topic",
            "jobs",
            "--input-format",
            "json",
            "--file",
            dead,
        ],
        b"",
    );
    assert_ok(&o);
    let back: Vec<Vec<u8>> = drain_channel(&b.tcp, "jobs", "w")
        .into_iter()
        .map(|m| m.body.to_vec())
        .collect();
    assert_eq!(back, sent);
}

/// A bad line in a --file is found before anything is sent: exit 2, one line
/// naming the line and the rule, nothing published.
#[test]
fn bad_json_lines_in_a_file_are_refused_before_anything_is_sent() {
    let b = DevBroker::start();
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 5] = [
        (
            "{\"body\":\"a\"}\n{\"id\":\"1\"}\n",
            "line 2 has neither \"body\" nor \"body_base64\"",
        ),
        (
            "{\"body\":\"a\"}\n\n{\"body\":\"a\",\"body_base64\":\"YQ==\"}\n",
            "line 3 has both \"body\" and \"body_base64\"",
        ),
        (
            "{\"body_base64\":\"%%\"}\n",
            "line 1 has a \"body_base64\" that is not valid base64",
        ),
        (
            "hello\n",
            "line 1 is not a JSON object with \"body\" or \"body_base64\" (column 1",
        ),
        (
            "{\"body\":\"123456\"}\n",
            "the body on line 1 is 6 bytes, over nsqd's max message size of 5 bytes",
        ),
    ];
    for (i, (input, want)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("{i}.jsonl"));
        std::fs::write(&f, input).unwrap();
        let f = f.to_str().unwrap();
        let args = [
            "publish",
            "--topic",
            "bad",
            "--input-format",
            "json",
            "--file",
            f,
            "--max-msg-size",
            "5",
        ];
        let o = run(&b, &args, b"");
        assert_eq!(o.status.code(), Some(2), "{input:?}: {o:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{input:?}: {err}");
    }
    assert!(!has_topic(&b, "bad"));
    // Flags that make no sense with JSON lines.
    for extra in [
        &["--whole"][..],
        &["--delimiter", "\\0"],
        &["-m", "x"],
        &["--input-format", "xml"],
    ] {
        let mut args = vec!["publish", "--topic", "bad", "--input-format", "json"];
        args.extend_from_slice(extra);
        let o = run(&b, &args, b"{\"body\":\"a\"}\n");
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {o:?}");
    }
    assert!(!has_topic(&b, "bad"));
}

/// On stdin a bad line can come after messages were sent: they are published
/// and acknowledged, the run stops there (exit 1) and says where to resume.
#[test]
fn a_bad_line_on_stdin_after_messages_were_sent_stops_at_that_line() {
    let b = DevBroker::start();
    let good = "{\"body\":\"1\"}\n{\"body_base64\":\"Mg==\"}\n\n{\"id\":\"x\",\"body\":\"3\"}\n";
    let input = format!("{good}{{\"body\":4}}\n{{\"body\":\"never\"}}\n");
    let args = [
        "publish",
        "--topic",
        "part",
        "--input-format",
        "json",
        "--batch-size",
        "1",
        "--json",
    ];
    let o = run(&b, &args, input.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let s = summary(&o);
    assert_eq!(s["messages"], 3, "{s}");
    assert_eq!(s["skipped_empty"], 1, "{s}");
    let resume = serde_json::json!({"unit": "line", "number": 5, "byte_offset": good.len()});
    assert_eq!(s["resume"], resume, "{s}");
    let err = stderr(&o);
    assert!(
        err.contains("line 5 is not a JSON object")
            && err.contains(
                "3 of 3 messages sent were acknowledged; unacknowledged messages start at line 5"
            ),
        "{err}"
    );
    assert_eq!(
        bodies_of("part", &b),
        vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]
    );
}

#[test]
fn dead_letters_go_to_a_topic_and_can_be_inspected_and_sent_back() {
    let b = DevBroker::start();
    let sent = awkward_bodies();
    publish(&b.tcp, "jobs", &sent);
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    let dead = dead.to_str().unwrap();
    let worker = [
        "tail",
        "--topic",
        "jobs",
        "--channel",
        "w",
        "--idle-timeout",
        "5s",
        "--requeue-delay",
        "0s",
        "--exec",
        "exit 3",
        "--max-attempts",
        "2",
        "--dead-letter-topic",
        "jobs.dead",
        "--dead-letter",
        dead,
    ];
    let o = run(&b, &worker, b"");
    assert_ok(&o);
    let err = stderr(&o);
    let to = format!(
        "published to topic jobs.dead on {}; written to {dead}",
        b.tcp
    );
    assert_eq!(err.matches(&to).count(), sent.len(), "{err}");
    // The source channel is empty: every message FINed, none in flight.
    let st = channel_stats(&b.http, "jobs", "w");
    assert_eq!((st.depth, st.in_flight), (0, 0), "{st:?}");
    assert_eq!(
        std::fs::read_to_string(dead).unwrap().lines().count(),
        sent.len()
    );

    // Inspecting with --requeue leaves them in the dead-letter channel.
    let n = sent.len().to_string();
    let peek = [
        "tail",
        "--topic",
        "jobs.dead",
        "--channel",
        "look",
        "--json",
        "--requeue",
        "-n",
        &n,
    ];
    let o = run(&b, &peek, b"");
    assert_ok(&o);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        sent.len()
    );
    let st = channel_stats(&b.http, "jobs.dead", "look");
    assert!(
        wait_until(Duration::from_secs(10), || {
            channel_stats(&b.http, "jobs.dead", "look").depth == sent.len() as u64
        }),
        "{st:?}"
    );

    // Sent back to their topic: tail --json | publish --input-format json.
    let take = [
        "tail",
        "--topic",
        "jobs.dead",
        "--channel",
        "look",
        "--json",
        "-n",
        &n,
    ];
    let o = run(&b, &take, b"");
    assert_ok(&o);
    let back = ["publish", "--topic", "jobs", "--input-format", "json"];
    assert_ok(&run(&b, &back, &o.stdout));
    let mut got: Vec<Vec<u8>> = drain_channel(&b.tcp, "jobs", "w")
        .into_iter()
        .map(|m| m.body.to_vec())
        .collect();
    got.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(got, want);
}

/// Issue 13's recipe: dead letters sent back to their topic with `relay`, each
/// FINed on the dead-letter channel only once `jobs` has it.
#[test]
fn dead_letters_are_sent_back_with_relay() {
    let b = DevBroker::start();
    let sent = awkward_bodies();
    publish(&b.tcp, "jobs", &sent);
    let worker = [
        "tail",
        "--topic",
        "jobs",
        "--channel",
        "w",
        "--idle-timeout",
        "5s",
        "--exec",
        "exit 3",
        "--max-attempts",
        "1",
        "--dead-letter-topic",
        "jobs.dead",
    ];
    assert_ok(&run(&b, &worker, b""));
    assert_eq!(channel_stats(&b.http, "jobs", "w").depth, 0);
    let back = [
        "relay",
        "-topic",
        "jobs.dead",
        "-channel",
        "look",
        "--to-topic",
        "jobs",
        "--idle-timeout",
        "5s",
        "--json",
    ];
    let o = run(&b, &back, b"");
    assert_ok(&o);
    let s = summary(&o);
    assert_eq!(s["relayed"], sent.len(), "{s}");
    assert_eq!(s["requeued"], 0, "{s}");
    let st = channel_stats(&b.http, "jobs.dead", "look");
    assert_eq!((st.depth, st.in_flight), (0, 0), "{st:?}");
    let mut got: Vec<Vec<u8>> = drain_channel(&b.tcp, "jobs", "w")
        .into_iter()
        .map(|m| m.body.to_vec())
        .collect();
    got.sort();
    let mut want = sent;
    want.sort();
    assert_eq!(got, want, "each dead letter back in jobs, byte for byte");
}

/// A dead-letter publish that nsqd refuses (here: the auth server grants
/// nothing on the dead-letter topic) leaves the message on its source, requeued,
/// and stderr says so.
#[test]
fn a_failed_dead_letter_publish_requeues_the_message_on_its_source() {
    let auth = fake_http(|_| {
        (
            200,
            r#"{"ttl":3600,"identity":"w","authorizations":[{"topic":"^jobs$","channels":[".*"],"permissions":["publish","subscribe"]}]}"#.into(),
        )
    });
    let b = DevBroker::start_with(&["--auth-http-address", &auth]);
    let secret = [("NSQ_AUTH_SECRET", "s")];
    let o = run_with_stdin(
        cli(&b, &["publish", "--topic", "jobs", "-m", "doomed"]).envs(secret),
        b"",
    );
    assert_ok(&o);
    let worker = [
        "tail",
        "--topic",
        "jobs",
        "--channel",
        "w",
        "--requeue-delay",
        "200ms",
        "--exec",
        "exit 3",
        "--max-attempts",
        "1",
        "--dead-letter-topic",
        "jobs.dead",
    ];
    let mut child = cli(&b, &worker)
        .envs(secret)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _dog = watchdog(child.id());
    let errs = line_stream(child.stderr.take().unwrap());
    let (line, _) = wait_line(&errs, "cannot publish it to dead-letter topic jobs.dead");
    assert!(
        line.contains("E_UNAUTHORIZED") && line.contains("requeued instead"),
        "{line}"
    );
    signal(child.id(), "TERM");
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    // Back in its channel once the requeue delay passed; never in the topic.
    assert!(wait_until(Duration::from_secs(10), || {
        let st = channel_stats(&b.http, "jobs", "w");
        st.depth == 1 && st.in_flight == 0
    }));
    assert!(!has_topic(&b, "jobs.dead"));
    let peek = ["tail", "--topic", "jobs", "--channel", "w", "-n", "1"];
    let o = run_with_stdin(cli(&b, &peek).envs(secret), b"");
    assert_ok(&o);
    assert_eq!(o.stdout, b"doomed\n");
}

#[test]
fn dead_letter_topic_is_checked_before_starting() {
    let b = DevBroker::start();
    let base = [
        "tail",
        "--topic",
        "jobs",
        "--exec",
        "true",
        "--max-attempts",
        "1",
    ];
    let cases: [(&str, &str); 2] = [
        (
            "bad name!",
            "error: --dead-letter-topic: invalid topic name \"bad name!\"",
        ),
        (
            "jobs",
            "error: --dead-letter-topic jobs is the topic being consumed",
        ),
    ];
    for (topic, want) in cases {
        let mut args = base.to_vec();
        args.extend(["--dead-letter-topic", topic]);
        let o = run(&b, &args, b"");
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        assert!(stderr(&o).starts_with(want), "{}", stderr(&o));
    }
    // Without --max-attempts nothing is ever given up on: refused by the parser.
    let o = run(
        &b,
        &[
            "tail",
            "--topic",
            "jobs",
            "--exec",
            "true",
            "--dead-letter-topic",
            "d",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(!has_topic(&b, "jobs"));
}

/// JSON lines are longer than their bodies, and differ from each other: when the
/// broker dies mid-replay, the resume point is still the exact line (and byte
/// offset of its first byte) after the last acknowledged message, past the blank
/// lines and empty bodies skipped before it.
#[test]
fn broker_killed_mid_replay_names_the_exact_line_and_byte_offset() {
    use std::io::{BufRead, BufReader, Write};
    let record = |i: u32| match i % 3 {
        0 => format!(
            "{{\"id\":\"{i}\",\"body_base64\":\"/w{}\"}}\n",
            ["A=", "E=", "I="][i as usize % 3]
        ),
        _ => format!("{{\"body\":\"m{i} \\\"q\\\"\"}}\n"),
    };
    let mut first: String = (1..=300).map(record).collect();
    first.push_str("\n{\"body\":\"\"}\n");
    let rest: String = (301..=600).map(record).collect();

    let mut b = DevBroker::start();
    let args = [
        "publish",
        "--topic",
        "replayed",
        "--input-format",
        "json",
        "--json",
        "-v",
    ];
    let mut child = cli(&b, &args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _watchdog = watchdog(child.id());
    let mut input = child.stdin.take().unwrap();
    input.write_all(first.as_bytes()).unwrap();
    input.flush().unwrap();
    let mut err_lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut err = String::new();
    for line in err_lines.by_ref() {
        let line = line.unwrap();
        err.push_str(&line);
        err.push('\n');
        if line == "300 messages acknowledged" {
            break;
        }
    }
    assert!(err.ends_with("300 messages acknowledged\n"), "{err}");
    b.kill();
    let _ = input.write_all(rest.as_bytes());
    drop(input);
    for line in err_lines {
        err.push_str(&line.unwrap());
        err.push('\n');
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{err}");
    let s = summary(&o);
    assert_eq!(s["messages"], 300, "{s}");
    let resume = serde_json::json!({"unit": "line", "number": 303, "byte_offset": first.len()});
    assert_eq!(s["resume"], resume, "{s}");
    assert!(
        err.contains("unacknowledged messages start at line 303 (byte offset"),
        "{err}"
    );
}
