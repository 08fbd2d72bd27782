//! `nsq-cli publish` against `nsq-cli dev`: what arrives, exactly, and what is refused.
//!
//! Arrivals are read by a raw TCP consumer built on `nsq_cli::protocol`. It
//! subscribes before publishing (so the channel exists), and after the command has
//! finished it publishes a sentinel on its own connection: once the sentinel has
//! arrived, everything published before it has too, so counts are exact without
//! waiting on a clock.

use crate::common;
use crate::common::process::OutputWithin;

use common::process::{self, line_stream, signal, wait_line};
use common::raw::{self, Raw};
use common::DevBroker;
use nsq_cli::protocol::Command;
use std::io::{BufRead, Write};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

const SENTINEL: &[u8] = b"__sentinel__";

/// A consumer on channel `test`, subscribed before publishing so the channel exists.
struct Consumer(Raw);

impl Consumer {
    fn subscribe(addr: &str, topic: &str) -> Consumer {
        Consumer(Raw::subscribe(addr, topic, "test", 2500))
    }

    /// The next message body (FINed).
    fn next_body(&mut self) -> Vec<u8> {
        let m = self.0.message();
        self.0.send(Command::Fin(m.id));
        m.body.to_vec()
    }

    /// Publishes the sentinel, then returns every body that arrived before it.
    fn drain(&mut self, addr: &str, topic: &str) -> Vec<Vec<u8>> {
        raw::publish(addr, topic, &[SENTINEL]);
        let mut got = vec![];
        loop {
            let b = self.next_body();
            if b == SENTINEL {
                return got;
            }
            got.push(b);
        }
    }
}

fn run(broker: &DevBroker, args: &[&str], stdin: &[u8]) -> Output {
    common::process::run_with_stdin(broker.cmd().arg("publish").args(args), stdin)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}, stderr: {}",
        o.status,
        stderr(o)
    );
}

fn bodies(v: &[&str]) -> Vec<Vec<u8>> {
    v.iter().map(|s| s.as_bytes().to_vec()).collect()
}

#[test]
fn tutorial_form_publishes_one_message() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "test");
    // The tutorial's exact words, with the address from NSQD_TCP_ADDRESS.
    let o = run(&b, &["-topic", "test", "-message", "hello world"], b"");
    assert_ok(&o);
    assert!(stderr(&o).contains("published 1 message"), "{}", stderr(&o));
    // And with -addr, as in the tutorial's flag name.
    let o = b
        .cmd()
        .env_remove("NSQD_TCP_ADDRESS")
        .args([
            "publish", "-topic", "test", "-addr", &b.tcp, "-message", "again", "-q",
        ])
        .output_within()
        .unwrap();
    assert_ok(&o);
    assert!(o.stderr.is_empty(), "-q printed: {}", stderr(&o));
    assert_eq!(c.drain(&b.tcp, "test"), bodies(&["hello world", "again"]));
}

#[test]
fn a_hundred_thousand_lines_arrive_in_order() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "lines");
    let input: String = (1..=100_000).map(|i| format!("line {i}\n")).collect();
    let o = run(&b, &["--topic", "lines", "--json"], input.as_bytes());
    assert_ok(&o);
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["ok"], true);
    assert_eq!(summary["messages"], 100_000);
    assert_eq!(summary["skipped_empty"], 0);
    let got = c.drain(&b.tcp, "lines");
    assert_eq!(got.len(), 100_000);
    for (i, body) in got.iter().enumerate() {
        assert_eq!(body, format!("line {}", i + 1).as_bytes());
    }
}

#[test]
fn delimiters_and_empty_records() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "delim");
    let o = run(
        &b,
        &["-topic", "delim", "--delimiter", "\\0"],
        b"a b\0\0c\nd\0e",
    );
    assert_ok(&o);
    assert!(
        stderr(&o).contains("skipped 1 empty record"),
        "{}",
        stderr(&o)
    );
    let o = run(&b, &["-topic", "delim", "-delimiter=--"], b"x--y----z--");
    assert_ok(&o);
    let o = run(
        &b,
        &["-topic", "delim", "--delimiter", "\\x1e"],
        b"r1\x1er2",
    );
    assert_ok(&o);
    let o = run(&b, &["-topic", "delim"], b"l1\n\n\nl2\n");
    assert_ok(&o);
    assert!(
        stderr(&o).contains("skipped 2 empty lines"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        c.drain(&b.tcp, "delim"),
        bodies(&["a b", "c\nd", "e", "x", "y", "z", "r1", "r2", "l1", "l2"])
    );
}

#[test]
fn whole_input_is_one_binary_message() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "blob");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let o = run(&b, &["-topic", "blob", "--whole"], &data);
    assert_ok(&o);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blob.bin");
    std::fs::write(&path, &data).unwrap();
    let o = run(
        &b,
        &[
            "-topic",
            "blob",
            "--whole",
            "--file",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_ok(&o);
    assert_eq!(c.drain(&b.tcp, "blob"), vec![data.clone(), data]);
}

#[test]
fn count_expands_templates() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "tmpl");
    let o = run(
        &b,
        &[
            "-topic",
            "tmpl",
            "--count",
            "5",
            "-message",
            "n={{Count}} t={{Unix}} r={{Random 4 4}} id={{ID}}",
        ],
        b"",
    );
    assert_ok(&o);
    let got = c.drain(&b.tcp, "tmpl");
    assert_eq!(got.len(), 5);
    let mut ids = std::collections::HashSet::new();
    for (i, body) in got.iter().enumerate() {
        let s = String::from_utf8(body.clone()).unwrap();
        let f: Vec<&str> = s.split(' ').collect();
        assert_eq!(f[0], format!("n={}", i + 1));
        assert!(f[1].strip_prefix("t=").unwrap().parse::<u64>().unwrap() > 1_600_000_000);
        assert_eq!(f[2].len(), 2 + 4);
        assert!(ids.insert(f[3].to_string()), "duplicate id in {s}");
    }
}

#[test]
fn defer_delays_delivery() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "later");
    let start = Instant::now();
    let o = run(
        &b,
        &[
            "-topic", "later", "-message", "wake up", "--defer", "1500ms",
        ],
        b"",
    );
    assert_ok(&o);
    assert_eq!(c.next_body(), b"wake up");
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "arrived after {:?}",
        start.elapsed()
    );
}

// Round robin and --all-nodes over several nodes: nodes::publish_spreads_over_three_nodes_or_sends_to_all.

/// Each bad input is refused with exit 2, naming the value and the rule, and
/// nothing is published.
#[test]
fn bad_inputs_are_refused_before_anything_is_sent() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "guard");
    let dir = tempfile::tempdir().unwrap();
    let big_line = dir.path().join("big-line.txt");
    let mut content = b"ok 1\nok 2\n".to_vec();
    content.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    content.extend_from_slice(b"\nok 3\n");
    std::fs::write(&big_line, &content).unwrap();
    let big_line = big_line.to_str().unwrap().to_string();
    let huge = "y".repeat(101);
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let empty = empty.to_str().unwrap().to_string();
    let empty_err = format!("--file {empty} is empty, and NSQ refuses empty messages");
    let big_err = format!(
        "--file {big_line} is {} bytes, over nsqd's max message size of 1048576 bytes",
        content.len()
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["-topic", "bad/topic", "-message", "x"],
            "invalid topic name \"bad/topic\": a topic name is 1 to 64 characters",
        ),
        (
            vec![
                "-topic",
                "guard",
                "-message",
                &huge,
                "--max-msg-size",
                "100",
            ],
            "the --message is 101 bytes, over nsqd's max message size of 100 bytes",
        ),
        (
            vec!["-topic", "guard", "--file", &big_line],
            "line 3 is over nsqd's max message size of 1048576 bytes",
        ),
        (
            vec!["-topic", "guard", "--file", "/nonexistent/input.txt"],
            "cannot read --file /nonexistent/input.txt: no such file or directory",
        ),
        (
            vec!["-topic", "guard", "--delimiter", "\\q"],
            "invalid --delimiter \"\\\\q\": unknown escape \\q",
        ),
        (
            vec!["-topic", "guard", "--count", "2", "-message", "{{Nope}}"],
            "unknown template {{Nope}}",
        ),
        (
            vec!["-topic", "guard", "-message", ""],
            "NSQ refuses empty messages",
        ),
        (vec!["-topic", "guard", "--batch-size", "0"], "batch-size"),
        (
            vec!["-topic", "guard", "--defer", "soon"],
            "invalid duration \"soon\"",
        ),
        (
            vec!["-topic", "guard", "--count", "1", "-message", "{{Random 1 99999999999}}"],
            "invalid --message template {{Random 1 99999999999}}: it can expand to \
             99999999999 bytes, over nsqd's max message size of 1048576 bytes",
        ),
        (
            vec![
                "-topic",
                "guard",
                "--count",
                "1",
                "-message",
                "ab{{Random 50 60}}",
                "--max-msg-size",
                "61",
            ],
            "invalid --message template \"ab{{Random 50 60}}\": it can expand to 62 bytes",
        ),
        (
            vec!["-topic", "guard", "--count", "2", "-message", "{{Random 5 2}}"],
            "min <= max",
        ),
        (
            vec!["-topic", "guard", "--whole", "--max-msg-size", "5"],
            "the input is over nsqd's max message size of 5 bytes",
        ),
        (
            vec!["-topic", "guard", "--whole", "--file", &empty],
            &empty_err,
        ),
        (
            vec!["-topic", "guard", "--whole", "--file", &big_line],
            &big_err,
        ),
        (
            vec!["-topic", "guard", "-m", "x", "-addr", "localhost:notaport"],
            "invalid --nsqd-tcp-address \"localhost:notaport\": the port \"notaport\" is not a number",
        ),
        (
            vec!["-topic", "guard", "-m", "x", "-addr", "http://127.0.0.1:4150"],
            "a TCP address is host:port without a scheme",
        ),
        (
            vec!["-topic", "guard", "-m", "x", "--http", "--nsqd-http-address", "h:x"],
            "invalid --nsqd-http-address \"h:x\": the port \"x\" is not a number from 1 to 65535",
        ),
    ];
    for (args, want) in cases {
        let o = run(&b, &args, b"stdin line\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        // One error line (clap adds a "For more information" hint to its own).
        let errors = stderr(&o)
            .lines()
            .filter(|l| l.starts_with("error"))
            .count();
        assert_eq!(errors, 1, "one error line: {}", stderr(&o));
    }
    // --whole with empty stdin: the same words as an empty --file.
    let o = run(&b, &["-topic", "guard", "--whole"], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        "error: the input is empty, and NSQ refuses empty messages"
    );
    assert_eq!(c.drain(&b.tcp, "guard"), Vec::<Vec<u8>>::new());
}

#[test]
fn refused_connection_names_the_address() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    drop(l);
    let o = std::process::Command::new(common::bin())
        .args(["publish", "-topic", "t", "-addr", &addr, "-message", "x"])
        .env("NO_COLOR", "1")
        .output_within()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        format!("error: cannot connect to nsqd at {addr}: connection refused")
    );
}

/// A `publish -v` reading m1..m500 from stdin, returned once it has reported all
/// 500 acknowledged (its readiness signal); stdin stays open for more lines.
struct Feeding {
    child: std::process::Child,
    input: std::process::ChildStdin,
    err_lines: std::io::Lines<std::io::BufReader<std::process::ChildStderr>>,
    /// stderr so far.
    err: String,
    /// Kills the publisher if the test still waits for it after the deadline.
    watchdog: process::Watchdog,
}

fn publish_first_500(b: &DevBroker, topic: &str, extra: &[&str]) -> Feeding {
    let mut child = b
        .cmd()
        .args(["publish", "-topic", topic, "-v"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watchdog = process::watchdog(child.id());
    let mut input = child.stdin.take().unwrap();
    let first: String = (1..=500).map(|i| format!("m{i}\n")).collect();
    input.write_all(first.as_bytes()).unwrap();
    input.flush().unwrap();
    let mut err_lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut err = String::new();
    for line in err_lines.by_ref() {
        let line = line.unwrap();
        err.push_str(&line);
        err.push('\n');
        if line == "500 messages acknowledged" {
            break;
        }
    }
    assert!(err.ends_with("500 messages acknowledged\n"), "{err}");
    Feeding {
        child,
        input,
        err_lines,
        err,
        watchdog,
    }
}

/// The broker dies after the first 500 lines were acknowledged (the publisher says
/// so with -v): the exit status is non-zero and the error gives the exact
/// acknowledged count and where to resume.
#[test]
fn broker_killed_mid_publish_reports_an_honest_count() {
    let mut b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "fault");
    let Feeding {
        mut child,
        mut input,
        err_lines,
        mut err,
        watchdog: _watchdog,
    } = publish_first_500(&b, "fault", &[]);
    for i in 1..=500 {
        assert_eq!(c.next_body(), format!("m{i}").as_bytes());
    }
    b.kill();
    let rest: String = (501..=1000).map(|i| format!("m{i}\n")).collect();
    let _ = input.write_all(rest.as_bytes());
    drop(input);
    for line in err_lines {
        err.push_str(&line.unwrap());
        err.push('\n');
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("nsqd at {}", b.tcp)), "{err}");
    assert!(
        err.contains("; 500 of ") && err.contains("messages sent were acknowledged"),
        "{err}"
    );
    assert!(
        err.contains("unacknowledged messages start at line 501"),
        "{err}"
    );
}

/// With --retry, a publisher whose broker died reconnects once the broker is back
/// and sends exactly what was not acknowledged.
#[test]
fn retry_reconnects_and_resends_the_unacknowledged() {
    let mut b = DevBroker::start();
    let addr = b.tcp.clone();
    let Feeding {
        mut child,
        mut input,
        err_lines,
        mut err,
        watchdog: _watchdog,
    } = publish_first_500(&b, "again", &["--retry", "20"]);
    b.kill();
    let restarted = DevBroker::start_at(&addr, &[]);
    let mut c = Consumer::subscribe(&addr, "again");
    let rest: String = (501..=1000).map(|i| format!("m{i}\n")).collect();
    input.write_all(rest.as_bytes()).unwrap();
    drop(input);
    for line in err_lines {
        err.push_str(&line.unwrap());
        err.push('\n');
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{err}");
    assert!(err.contains("reconnecting (retry 1 of 20)"), "{err}");
    let got = c.drain(&addr, "again");
    let want: Vec<Vec<u8>> = (501..=1000).map(|i| format!("m{i}").into_bytes()).collect();
    assert_eq!(got, want);
    drop(restarted);
}

#[test]
fn http_transport_publishes_through_pub_and_mpub() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "viahttp");
    // one message: /pub
    let o = run(
        &b,
        &["-topic", "viahttp", "--http", "-message", "single"],
        b"",
    );
    assert_ok(&o);
    // many, including binary-unsafe-for-text bodies: /mpub?binary=true
    let o = run(
        &b,
        &["-topic", "viahttp", "--http", "--json", "--batch-size", "3"],
        b"a\nb\n\nc\nd\x00e\n",
    );
    assert_ok(&o);
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["transport"], "http");
    assert_eq!(summary["messages"], 4);
    assert_eq!(summary["skipped_empty"], 1);
    assert_eq!(
        c.drain(&b.tcp, "viahttp"),
        bodies(&["single", "a", "b", "c", "d\0e"])
    );
}

#[test]
fn http_transport_defers_and_names_a_dead_address() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "httplater");
    let sent = Instant::now();
    let o = run(
        &b,
        &[
            "-topic",
            "httplater",
            "--http",
            "-message",
            "later",
            "--defer",
            "1s",
        ],
        b"",
    );
    assert_ok(&o);
    assert_eq!(c.next_body(), b"later");
    assert!(sent.elapsed() >= Duration::from_millis(900));

    let dead = common::free_addr();
    let o = run(
        &b,
        &[
            "-topic",
            "t",
            "--http",
            "--nsqd-http-address",
            &dead,
            "-message",
            "x",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&dead), "{}", stderr(&o));
}

#[test]
fn rate_limits_messages_per_second() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "paced");
    let started = Instant::now();
    let o = run(
        &b,
        &[
            "-topic",
            "paced",
            "--count",
            "30",
            "--rate",
            "20",
            "-message",
            "{{Count}}",
        ],
        b"",
    );
    assert_ok(&o);
    // 30 messages at 20/s cannot take less than about 1.5 s (a lower bound only:
    // a busy machine may be slower, never faster).
    assert!(
        started.elapsed() >= Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
    let want: Vec<Vec<u8>> = (1..=30).map(|i| i.to_string().into_bytes()).collect();
    assert_eq!(c.drain(&b.tcp, "paced"), want);
}

#[test]
fn retry_is_not_spent_on_a_refusal_that_would_repeat() {
    // The broker's limit is smaller than publish assumes, so nsqd itself refuses
    // the message; sending it again cannot help.
    let b = DevBroker::start_with(&["--max-msg-size", "10", "--max-body-size", "100"]);
    let o = run(
        &b,
        &["-topic", "small", "--retry", "5"],
        b"this line is longer than ten bytes\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E_BAD_MESSAGE"), "{err}");
    assert!(
        !err.contains("reconnecting"),
        "retried a permanent refusal: {err}"
    );
    assert!(err.contains("0 of 1"), "honest count: {err}");
}

/// The JSON summary of a run, checked to be one document.
fn summary(o: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON document: {text:?} {}",
        stderr(o)
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn json_nodes_carry_what_each_acknowledged_and_repeats_are_dropped() {
    let b1 = DevBroker::start();
    let b2 = DevBroker::start();
    let mut c1 = Consumer::subscribe(&b1.tcp, "pernode");
    let mut c2 = Consumer::subscribe(&b2.tcp, "pernode");
    let input: String = (1..=10).map(|i| format!("{i}\n")).collect();
    let spread = [
        "-topic", "pernode", "--json", "-addr", &b1.tcp, "-addr", &b2.tcp,
    ];
    let o = run(&b1, &spread, input.as_bytes());
    assert_ok(&o);
    let (g1, g2) = (c1.drain(&b1.tcp, "pernode"), c2.drain(&b2.tcp, "pernode"));
    let s = summary(&o);
    assert_eq!(
        s["nodes"],
        serde_json::json!([
            {"node": b1.tcp, "acknowledged": g1.len()},
            {"node": b2.tcp, "acknowledged": g2.len()},
        ])
    );
    // The same node twice (once with spaces around it, the same once checked) is
    // one node: 10 messages stored on it, not 20.
    let again = format!(" {} ", b1.tcp);
    let all = [
        "-topic",
        "pernode",
        "--json",
        "--all-nodes",
        "-addr",
        &b1.tcp,
        "-addr",
        &again,
        "-addr",
        &b2.tcp,
    ];
    let o = run(&b1, &all, input.as_bytes());
    assert_ok(&o);
    assert!(
        stderr(&o).contains(&format!(
            "--nsqd-tcp-address {} was given more than once; publishing to it once",
            b1.tcp
        )),
        "{}",
        stderr(&o)
    );
    let s = summary(&o);
    assert_eq!(s["messages"], 10);
    assert_eq!(
        s["nodes"],
        serde_json::json!([
            {"node": b1.tcp, "acknowledged": 10},
            {"node": b2.tcp, "acknowledged": 10},
        ])
    );
    assert_eq!(c1.drain(&b1.tcp, "pernode").len(), 10);
    assert_eq!(c2.drain(&b2.tcp, "pernode").len(), 10);
}

#[test]
fn json_summary_is_printed_when_connecting_fails() {
    let b = DevBroker::start();
    let dead = common::free_addr();
    // Accepts connections (the kernel does) and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let quiet = silent.local_addr().unwrap().to_string();
    let cases = [
        (
            vec![dead.clone()],
            format!("cannot connect to nsqd at {dead}: connection refused"),
        ),
        (
            vec![quiet.clone()],
            format!("cannot connect to nsqd at {quiet}: timed out after 1s"),
        ),
        (
            vec![b.tcp.clone(), dead.clone()],
            format!("cannot connect to nsqd at {dead}"),
        ),
    ];
    for (addrs, want) in cases {
        let mut args = vec![
            "-topic",
            "t",
            "-m",
            "x",
            "--json",
            "--connect-timeout",
            "1s",
        ];
        for a in &addrs {
            args.extend(["-addr", a.as_str()]);
        }
        let o = run(&b, &args, b"");
        assert_eq!(o.status.code(), Some(1), "{addrs:?}: {}", stderr(&o));
        let s = summary(&o);
        assert_eq!(s["ok"], false);
        let error = s["error"].as_str().unwrap();
        assert!(error.contains(&want), "{error}");
        assert_eq!((&s["messages"], &s["sent"]), (&0.into(), &0.into()), "{s}");
        assert_eq!(s["resume"]["number"], 1);
        let nodes: Vec<&str> = s["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["node"].as_str().unwrap())
            .collect();
        assert_eq!(nodes, addrs);
    }
    drop(silent);
}

#[test]
fn http_timeout_holds_against_a_server_that_never_answers() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    for flag in ["--http-timeout", "--timeout"] {
        let started = Instant::now();
        let child = std::process::Command::new(common::bin())
            .args(["publish", "-topic", "t", "-m", "x", "--json", "--http"])
            .args(["--nsqd-http-address", &addr, flag, "1s"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = process::wait_output(child);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{flag}: {err}");
        assert!(
            err.contains(&format!(
                "request to nsqd at {addr} (HTTP) timed out after 1s"
            )),
            "{flag}: {err}"
        );
        // Generous: the default used to be 30 s whatever the flag said.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{flag}: {:?}",
            started.elapsed()
        );
        assert_eq!(summary(&o)["ok"], false);
        let deprecated = err.matches("--timeout is deprecated").count();
        assert_eq!(deprecated, usize::from(flag == "--timeout"), "{err}");
    }
    drop(silent);
}

/// SIGINT while stdin is still open: the summary on stdout says how many were
/// acknowledged and where to resume, and the broker holds exactly those.
#[test]
fn sigint_mid_stream_prints_the_summary_and_where_to_resume() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "sig");
    let Feeding {
        child,
        input,
        err_lines,
        ..
    } = publish_first_500(&b, "sig", &["--json"]);
    signal(child.id(), "INT");
    let o = process::wait_output(child);
    drop(input);
    let err: Vec<String> = err_lines.map(|l| l.unwrap()).collect();
    assert_eq!(o.status.code(), Some(130), "{err:?}");
    let s = summary(&o);
    assert_eq!(s["ok"], false);
    assert!(
        s["error"]
            .as_str()
            .unwrap()
            .starts_with("interrupted by SIGINT; 500 of 500 messages sent were acknowledged"),
        "{s}"
    );
    assert_eq!(s["messages"], 500);
    let offset: usize = (1..=500).map(|i| format!("m{i}\n").len()).sum();
    assert_eq!(
        s["resume"],
        serde_json::json!({"unit": "line", "number": 501, "byte_offset": offset})
    );
    let want: Vec<Vec<u8>> = (1..=500).map(|i| format!("m{i}").into_bytes()).collect();
    assert_eq!(c.drain(&b.tcp, "sig"), want);
}

/// SIGTERM while --rate paces the messages: exit 143, and the acknowledged
/// count, the resume point and the broker agree.
#[test]
fn sigterm_while_pacing_reports_the_acknowledged_count() {
    let b = DevBroker::start();
    let mut c = Consumer::subscribe(&b.tcp, "slow");
    let mut child = b
        .cmd()
        .args([
            "publish", "-topic", "slow", "--count", "1000", "--rate", "2",
        ])
        .args(["-message", "{{Count}}", "--json", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = line_stream(child.stderr.take().unwrap());
    wait_line(&err, "2 messages acknowledged");
    signal(child.id(), "TERM");
    let o = process::wait_output(child);
    assert_eq!(o.status.code(), Some(143));
    let s = summary(&o);
    assert_eq!(s["ok"], false);
    assert!(
        s["error"]
            .as_str()
            .unwrap()
            .starts_with("interrupted by SIGTERM"),
        "{s}"
    );
    let n = s["messages"].as_u64().unwrap();
    assert!((2..1000).contains(&n), "{s}");
    assert_eq!(s["resume"]["unit"], "message");
    assert_eq!(s["resume"]["number"], n + 1, "{s}");
    let want: Vec<Vec<u8>> = (1..=n).map(|i| i.to_string().into_bytes()).collect();
    assert_eq!(c.drain(&b.tcp, "slow"), want);
}
