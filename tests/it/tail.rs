//! `nsq-cli tail` against `nsq-cli dev`: output forms, exact counts, clean stops
//! (signal, closed stdout) with every message either printed or left in the
//! channel, the worker pattern (--exec) and the pub/sub pattern.

use crate::common;

use common::process::DEADLINE;
use common::process::{line_stream, signal as kill, signal_group, wait_output};
use common::raw::{drain_channel, publish};
use common::{bin, channel_stats, http_get, wait_until, DevBroker};
use nsq_cli::protocol::Message;
use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command as Proc, Output, Stdio};
use std::sync::mpsc;

fn bodies(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn body_set(msgs: &[Message]) -> BTreeSet<String> {
    msgs.iter()
        .map(|m| String::from_utf8(m.body.to_vec()).unwrap())
        .collect()
}

/// `nsq-cli tail` pointed straight at the broker's TCP port.
fn tail(b: &DevBroker) -> Proc {
    let mut c = Proc::new(bin());
    c.env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .args(["tail", "--nsqd-tcp-address", &b.tcp]);
    c
}

fn run_with_deadline(mut c: Proc) -> Output {
    let child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_output(child)
}

/// Lines of a child's stderr, delivered as they come.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    line_stream(child.stderr.take().unwrap())
}

/// Spawns with stdin closed and stdout piped; returns the child and its stderr lines.
fn spawn_watched(c: &mut Proc) -> (Child, mpsc::Receiver<String>) {
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let errs = stderr_lines(&mut child);
    (child, errs)
}

/// Waits for a stderr line containing `needle` (the readiness signal).
fn wait_line(rx: &mpsc::Receiver<String>, needle: &str) -> String {
    common::process::wait_line(rx, needle).0
}

fn stdout_str(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn tutorial_form_prints_bodies_and_exits_after_n() {
    let b = DevBroker::start();
    publish(&b.tcp, "test", &bodies("hello ", 3));
    // Exactly the tutorial's command, with the broker's addresses in the environment.
    let mut c = b.cmd();
    c.args(["tail", "-topic", "test", "-channel", "foo", "-n", "3"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o), "hello 0\nhello 1\nhello 2\n");
}

#[test]
fn n_prints_exactly_n_and_leaves_the_rest_queued_untouched() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    publish(&b.tcp, "t", &bodies("m", 10));
    let mut c = tail(&b);
    c.args(["-q", "--topic", "t", "--channel", "c", "-n", "4"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o), "m0\nm1\nm2\nm3\n");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let left = drain_channel(&b.tcp, "t", "c");
    assert_eq!(
        body_set(&left),
        bodies("m", 10)[4..].iter().cloned().collect()
    );
    // Nothing beyond the 4 was taken and handed back (which would count an attempt).
    assert!(left.iter().all(|m| m.attempts == 1), "{left:?}");
}

#[test]
fn n_larger_than_max_in_flight_requeues_extras_at_once() {
    // 3 connections' worth of RDY is not the point; a small in-flight window with a
    // count that is not a multiple of it is: the extras must be back at once.
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    publish(&b.tcp, "t", &bodies("m", 50));
    let mut c = tail(&b);
    c.args(["-q", "--topic", "t", "--channel", "c", "-n", "25"]);
    c.args(["--max-in-flight", "10"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    let printed: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(printed.len(), 25);
    let left = drain_channel(&b.tcp, "t", "c");
    assert_eq!(left.len(), 25);
    let mut all: HashSet<String> = printed.iter().map(|s| s.to_string()).collect();
    for m in &left {
        assert!(
            all.insert(String::from_utf8(m.body.to_vec()).unwrap()),
            "duplicate"
        );
    }
    assert_eq!(all.len(), 50);
}

#[test]
fn output_forms_format_json_delimiter_print_topic() {
    let b = DevBroker::start();
    publish(&b.tcp, "fmt", &[&b"caf\xc3\xa9"[..], &b"\xff\x00bin"[..]]);
    let mut c = tail(&b);
    c.args([
        "-q",
        "--topic",
        "fmt",
        "--channel",
        "c",
        "-n",
        "2",
        "--requeue",
    ]);
    c.args(["--format", "{topic}/{channel} {attempts} {node}: {body}"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    let out = o.stdout.clone();
    let expected_first = format!("fmt/c 1 {}: café\n", b.tcp);
    assert!(out.starts_with(expected_first.as_bytes()), "{out:?}");

    let mut c = tail(&b);
    c.args([
        "-q",
        "--topic",
        "fmt",
        "--channel",
        "c",
        "-n",
        "2",
        "--requeue",
        "--json",
    ]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    let lines: Vec<serde_json::Value> = stdout_str(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["body"], "café");
    assert_eq!(lines[0]["attempts"], 2, "peeked once before");
    assert_eq!(lines[0]["topic"], "fmt");
    assert_eq!(lines[0]["channel"], "c");
    assert_eq!(lines[0]["node"], b.tcp.as_str());
    assert_eq!(lines[0]["id"].as_str().unwrap().len(), 16);
    assert!(lines[0]["timestamp"].as_i64().unwrap() > 1_600_000_000_000_000_000);
    assert!(lines[1].get("body").is_none());
    assert_eq!(lines[1]["body_base64"], "/wBiaW4=");

    let mut c = tail(&b);
    c.args([
        "-q",
        "--topic",
        "fmt",
        "--channel",
        "c",
        "-n",
        "2",
        "--print-topic",
    ]);
    c.args(["--delimiter", "\\0"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(o.stdout, b"fmt | caf\xc3\xa9\0fmt | \xff\x00bin\0");
    // Without --requeue they were FINed.
    assert!(drain_channel(&b.tcp, "fmt", "c").is_empty());
}

#[test]
fn bad_values_are_refused_before_connecting() {
    let b = DevBroker::start();
    let mut c = tail(&b);
    c.args(["--topic", "bad/name"]);
    let o = run_with_deadline(c);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("invalid topic name \"bad/name\""), "{err}");

    let mut c = tail(&b);
    c.args(["--topic", "t", "--format", "{nope}"]);
    let o = run_with_deadline(c);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("{nope}"));
}

#[test]
fn requeue_peeks_and_the_channel_keeps_its_messages() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    publish(&b.tcp, "peek", &bodies("p", 5));
    let mut c = tail(&b);
    c.args([
        "-q",
        "--topic",
        "peek",
        "--channel",
        "c",
        "-n",
        "5",
        "--requeue",
    ]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o).lines().count(), 5);
    // Each printed once (held until exit, not redelivered), all still there.
    let left = drain_channel(&b.tcp, "peek", "c");
    assert_eq!(body_set(&left), bodies("p", 5).into_iter().collect());
}

#[test]
fn idle_timeout_exits_zero_when_nothing_arrives() {
    let b = DevBroker::start();
    let mut c = tail(&b);
    c.args(["-q", "--topic", "quiet", "--idle-timeout", "300ms"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert!(o.stdout.is_empty());
}

#[test]
fn sigint_mid_stream_prints_or_leaves_every_message_exactly_once() {
    // A huge msg-timeout: anything tail held and did not requeue would be missing.
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    let total = 2000;
    let pad = "x".repeat(1000);
    let msgs: Vec<String> = (0..total).map(|i| format!("{i} {pad}")).collect();
    publish(&b.tcp, "sig", &msgs);
    let (mut child, errs) = spawn_watched(tail(&b).args(["--topic", "sig", "--channel", "c"]));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    // Readiness: 50 lines read; 2 MB cannot fit in a pipe, so tail is mid-stream.
    for _ in 0..50 {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
        printed.push(l);
    }
    kill(child.id(), "INT");
    for l in out.lines() {
        printed.push(l.unwrap() + "\n");
    }
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    wait_line(&errs, "stopped:");
    let printed: Vec<String> = printed.iter().map(|l| l.trim_end().to_string()).collect();
    assert!(printed.len() < total, "stopped mid-stream");
    let left = drain_channel(&b.tcp, "sig", "c");
    let mut seen = HashSet::new();
    for p in &printed {
        assert!(seen.insert(p.clone()), "printed twice: {}", &p[..10]);
    }
    for m in &left {
        let s = String::from_utf8(m.body.to_vec()).unwrap();
        assert!(seen.insert(s), "printed and also left in the channel");
    }
    assert_eq!(seen.len(), total, "printed + left == published");
}

#[test]
fn sigterm_stops_cleanly_too() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    publish(&b.tcp, "term", &bodies("t", 3));
    let (mut child, errs) = spawn_watched(tail(&b).args(["--topic", "term", "--channel", "c"]));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..3 {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
    }
    kill(child.id(), "TERM");
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    assert!(wait_line(&errs, "stopped:").contains("3 printed, 0 requeued"));
    assert!(drain_channel(&b.tcp, "term", "c").is_empty());
}

#[test]
fn closed_stdout_is_a_quiet_clean_exit_with_the_same_accounting() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    let total = 2000;
    let pad = "y".repeat(1000);
    let msgs: Vec<String> = (0..total).map(|i| format!("{i} {pad}")).collect();
    publish(&b.tcp, "pipe", &msgs);
    let mut child = tail(&b)
        .args(["-q", "--topic", "pipe", "--channel", "c"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut read = Vec::new();
    for _ in 0..10 {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
        read.push(l.trim_end().to_string());
    }
    drop(out); // like `| head -10`
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let left = body_set(&drain_channel(&b.tcp, "pipe", "c"));
    // What could not be written went back; what we read is not among it.
    assert!(
        !left.is_empty() && left.len() <= total - 10,
        "{}",
        left.len()
    );
    assert!(read.iter().all(|r| !left.contains(r)));
}

#[test]
fn closed_stdout_is_noticed_without_another_message() {
    let b = DevBroker::start();
    publish(&b.tcp, "head", &bodies("h", 1));
    let mut child = tail(&b)
        .args(["-q", "--topic", "head", "--channel", "c"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut l = String::new();
    out.read_line(&mut l).unwrap();
    assert_eq!(l, "h0\n");
    drop(out);
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
}

/// Runs tail on `topic/c` into the stdin of a reader (`sh -c script`), publishes
/// `msgs` once tail subscribed, and waits for both to exit (tail with 0).
/// Returns what the reader wrote.
fn tail_into(b: &DevBroker, topic: &str, extra: &[&str], script: &str, msgs: &[String]) -> String {
    let mut reader = Proc::new("sh")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pipe = reader.stdin.take().unwrap();
    let mut child = tail(b)
        .args(["--topic", topic, "--channel", "c"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(pipe)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let errs = stderr_lines(&mut child);
    wait_line(&errs, &format!("subscribed to {topic}/c"));
    publish(&b.tcp, topic, msgs);
    let r = wait_output(reader);
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    String::from_utf8_lossy(&r.stdout).into_owned()
}

/// Reads exactly K bytes from stdin (several reads if need be), writes them, exits.
const READ_K: &str = "import os,sys\nk=int(sys.argv[1]);got=b''\nwhile len(got)<k:\n  b=os.read(0,k-len(got))\n  if not b: break\n  got+=b\nsys.stdout.buffer.write(got)";

/// Waits until the counters of `topic/c` satisfy `ok`.
fn wait_channel(b: &DevBroker, topic: &str, ok: impl Fn(&common::ChannelStats) -> bool) {
    let now = || channel_stats(&b.http, topic, "c");
    assert!(wait_until(DEADLINE, || ok(&now())), "{:?}", now());
}

/// Into a pipe, a message is FINed only once the reader took all its bytes: a
/// reader that takes 10 bytes of 3-byte lines and exits took 3 whole messages;
/// exactly those 3 are gone from the channel, the fourth (partly read) and the
/// rest are back (on main, everything written into the pipe buffer was FINed).
#[test]
fn a_pipe_reader_that_takes_k_bytes_consumes_exactly_the_whole_messages_it_took() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    let script = format!("python3 -c \"{READ_K}\" 10");
    let read = tail_into(&b, "bytes", &[], &script, &bodies("m", 10));
    assert_eq!(read, "m0\nm1\nm2\nm");
    // 3 FINed, 7 back (m3 among them), nothing left in flight.
    wait_channel(&b, "bytes", |s| {
        (s.depth, s.in_flight, s.messages) == (7, 0, 10)
    });
    let left = body_set(&drain_channel(&b.tcp, "bytes", "c"));
    assert_eq!(left, bodies("m", 10)[3..].iter().cloned().collect());
}

/// `tail | head -5`: head reads ahead whatever the pipe holds, so an idle pipe is
/// given 1, 2, 4, ... messages, the next only once the reader took all of the
/// last. head needs 5 lines: it has taken 1+2+4 = 7 by then, 15 if its reads
/// came in smaller pieces, never more; everything else is back in the channel.
/// (On main the first write alone put 25 or more messages into the pipe, all
/// FINed: 50 to 225 were lost.)
#[test]
fn tail_into_head_5_consumes_only_what_head_took() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    let read = tail_into(&b, "nums", &[], "head -5", &bodies("n", 300));
    assert_eq!(read, "n0\nn1\nn2\nn3\nn4\n");
    wait_channel(&b, "nums", |s| {
        s.in_flight == 0 && s.messages == 300 && s.depth >= 300 - 15
    });
}

/// Messages written into a pipe stay in flight until its reader takes them; a
/// reader slower than nsqd's msg-timeout must not let them time out (they are
/// TOUCHed), and with -n tail waits for the reader before it exits.
#[test]
fn messages_waiting_in_a_pipe_for_a_slow_reader_are_touched() {
    // TOUCHed every msg-timeout/2 = 1s: a stall of most of a second is survived.
    let b = DevBroker::start_with(&["--msg-timeout", "2s"]);
    let script = format!("python3 -c \"{READ_K}\" 3 && sleep 5 && python3 -c \"{READ_K}\" 6");
    let read = tail_into(&b, "slow", &["-n", "3"], &script, &bodies("s", 5));
    assert_eq!(read, "s0\ns1\ns2\n");
    // None timed out or was requeued: 3 FINed, 2 never taken from nsqd.
    wait_channel(&b, "slow", |s| {
        (s.depth, s.in_flight, s.messages, s.requeued) == (2, 0, 5, 0)
    });
}

#[test]
fn pub_sub_two_channels_each_get_every_message_and_default_is_ephemeral() {
    let b = DevBroker::start();
    let mut children = Vec::new();
    for ch in [Some("a"), Some("b"), None] {
        let mut c = tail(&b);
        c.args(["--topic", "news", "-n", "20"]);
        if let Some(ch) = ch {
            c.args(["--channel", ch]);
        }
        let (child, errs) = spawn_watched(&mut c);
        let line = wait_line(&errs, "subscribed to news/");
        if ch.is_none() {
            // tail123456#ephemeral: never steals from a real channel.
            let name = line.split('/').nth(1).unwrap().split(' ').next().unwrap();
            assert!(
                name.starts_with("tail") && name.ends_with("#ephemeral"),
                "{name}"
            );
            assert_eq!(name.len(), "tail123456#ephemeral".len(), "{name}");
        }
        children.push(child);
    }
    publish(&b.tcp, "news", &bodies("n", 20));
    let expected: BTreeSet<String> = bodies("n", 20).into_iter().collect();
    for child in children {
        let o = wait_output(child);
        assert!(o.status.success(), "{o:?}");
        let got: BTreeSet<String> = stdout_str(&o).lines().map(String::from).collect();
        assert_eq!(got, expected);
    }
}

#[test]
fn exec_failure_requeues_and_raises_attempts_until_success() {
    let b = DevBroker::start();
    publish(&b.tcp, "jobs", &["payload"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let mut c = tail(&b);
    c.args(["-q", "--topic", "jobs", "--channel", "w", "-n", "1"]);
    c.args(["--requeue-delay", "0s", "--exec"]);
    c.arg(
        "printf '%s %s %s %s %s\\n' \"$(cat)\" \"$NSQ_ATTEMPTS\" \"$NSQ_TOPIC\" \"$NSQ_CHANNEL\" \
         \"${#NSQ_MSG_ID}\" >> \"$LOG\"; [ \"$NSQ_ATTEMPTS\" -ge 3 ] && [ \"$NSQ_TIMESTAMP\" -gt 0 ]",
    );
    c.env("LOG", &log);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "payload 1 jobs w 16\npayload 2 jobs w 16\npayload 3 jobs w 16\n"
    );
    assert!(
        drain_channel(&b.tcp, "jobs", "w").is_empty(),
        "FINed on success"
    );
}

#[test]
fn exec_gives_up_after_max_attempts_into_the_dead_letter_file() {
    let b = DevBroker::start();
    publish(&b.tcp, "jobs", &["doomed"]);
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    let mut c = tail(&b);
    // 5s of quiet: a stalled machine must not end the run before the redeliveries.
    c.args(["--topic", "jobs", "--channel", "w", "--idle-timeout", "5s"]);
    c.args([
        "--requeue-delay",
        "0s",
        "--max-attempts",
        "2",
        "--exec",
        "exit 3",
    ]);
    c.arg("--dead-letter").arg(&dead);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("giving up"), "{err}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&dead)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["body"], "doomed");
    assert_eq!(lines[0]["attempts"], 2);
    assert_eq!(lines[0]["node"], b.tcp.as_str(), "the --json fields");
    assert!(drain_channel(&b.tcp, "jobs", "w").is_empty());
}

/// Ctrl-C on a worker (SIGINT to tail's whole process group, as a terminal sends
/// it) and SIGTERM to tail alone stop the running command, which is not a failed
/// attempt: with --max-attempts 1 and a 10m msg-timeout, the job is back in the
/// channel at once (depth 1, nothing in flight), nothing is given up or
/// dead-lettered, and the next worker still runs it.
#[test]
fn stopping_a_worker_gives_its_running_job_back_uncounted() {
    let b = DevBroker::start_with(&["--msg-timeout", "10m"]);
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    for (topic, sig, to_group) in [("job_int", "INT", true), ("job_term", "TERM", false)] {
        publish(&b.tcp, topic, &["the job"]);
        let mut c = tail(&b);
        c.args(["--topic", topic, "--channel", "w", "--max-attempts", "1"]);
        c.arg("--dead-letter").arg(&dead);
        c.args(["--exec", "echo running >&2; sleep 100"]);
        let (child, errs) = spawn_watched(c.process_group(0));
        wait_line(&errs, "running");
        if to_group {
            signal_group(child.id(), sig);
        } else {
            kill(child.id(), sig);
        }
        let o = wait_output(child);
        assert!(o.status.success(), "{sig}: {o:?}");
        let (stopped, before) = common::process::wait_line(&errs, "stopped:");
        assert!(
            stopped.contains("0 handled successfully, 1 requeued"),
            "{sig}: {stopped}"
        );
        assert!(
            !before
                .iter()
                .any(|l| l.contains("giving up") || l.contains("failed")),
            "{sig}: {before:?}"
        );
        let back = || {
            let st = channel_stats(&b.http, topic, "w");
            (st.depth, st.in_flight) == (1, 0)
        };
        assert!(
            wait_until(DEADLINE, back),
            "{sig}: {:?}",
            channel_stats(&b.http, topic, "w")
        );
        assert_eq!(std::fs::read_to_string(&dead).unwrap_or_default(), "");
        // The stop used up no attempt: the next worker runs the job.
        let mut c = tail(&b);
        c.args(["-q", "--topic", topic, "--channel", "w", "-n", "1"]);
        c.args(["--max-attempts", "1", "--exec", "cat"]);
        let o = run_with_deadline(c);
        assert!(o.status.success(), "{sig}: {o:?}");
        assert_eq!(stdout_str(&o), "the job", "{sig}");
    }
}

#[test]
fn three_workers_share_300_messages_exactly_once() {
    let b = DevBroker::start();
    let dir = tempfile::tempdir().unwrap();
    let mut children = Vec::new();
    for i in 0..3 {
        let mut c = tail(&b);
        c.args([
            "--topic",
            "work",
            "--channel",
            "workers",
            "--idle-timeout",
            "5s",
        ]);
        c.args(["--concurrency", "2", "--exec"]);
        // One file per worker and per message: no interleaved appends to reason about.
        c.arg(format!("cat > \"$DIR/{i}-$NSQ_MSG_ID\""));
        c.env("DIR", dir.path());
        let (child, errs) = spawn_watched(&mut c);
        wait_line(&errs, "subscribed to work/workers");
        children.push(child);
    }
    publish(&b.tcp, "work", &bodies("w", 300));
    for child in children {
        let o = wait_output(child);
        assert!(o.status.success(), "{o:?}");
    }
    let mut per_worker = [0usize; 3];
    let mut handled = Vec::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        per_worker[name[..1].parse::<usize>().unwrap()] += 1;
        handled.push(std::fs::read_to_string(e.path()).unwrap());
    }
    assert_eq!(handled.len(), 300, "each message handled exactly once");
    let unique: BTreeSet<String> = handled.into_iter().collect();
    assert_eq!(unique, bodies("w", 300).into_iter().collect());
    assert!(per_worker.iter().all(|&n| n > 0), "shared: {per_worker:?}");
}

#[test]
fn reconnects_with_backoff_and_says_so() {
    // A free port for a broker that is not there yet.
    let addr = common::free_addr();
    let (mut child, errs) = spawn_watched(
        Proc::new(bin())
            .env("NO_COLOR", "1")
            .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
            .args(["tail", "--topic", "r", "--channel", "c", "-n", "2"])
            .args(["--nsqd-tcp-address", &addr]),
    );
    let line = wait_line(&errs, "reconnecting in");
    assert!(line.contains(&addr), "{line}");
    let mut dev = DevBroker::start_at(&addr, &[]);
    wait_line(&errs, "subscribed to r/c");
    publish(&addr, "r", &["one"]);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut l = String::new();
    out.read_line(&mut l).unwrap();
    assert_eq!(l, "one\n");
    // The node goes away: a line on stderr, then it comes back and we carry on.
    dev.kill();
    let line = wait_line(&errs, "reconnecting in");
    assert!(line.contains(&addr), "{line}");
    let _dev = DevBroker::start_at(&addr, &[]);
    wait_line(&errs, "reconnected");
    publish(&addr, "r", &["two"]);
    let mut l = String::new();
    out.read_line(&mut l).unwrap();
    assert_eq!(l, "two\n");
    drop(out);
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
}

/// A stand-in nsqlookupd: answers /lookup from a list the test controls (None:
/// 404 TOPIC_NOT_FOUND, as nsqlookupd says for a topic it never saw).
struct FakeLookupd {
    addr: String,
    producers: std::sync::Arc<std::sync::Mutex<Option<Vec<String>>>>,
}

impl FakeLookupd {
    fn start() -> FakeLookupd {
        let producers = std::sync::Arc::new(std::sync::Mutex::new(None::<Vec<String>>));
        let p = producers.clone();
        let addr = common::fake_http(move |target| {
            if !target.starts_with("/lookup?topic=") {
                return (404, r#"{"message":"NOT_FOUND"}"#.to_string());
            }
            let Some(list) = p.lock().unwrap().clone() else {
                return (404, r#"{"message":"TOPIC_NOT_FOUND"}"#.to_string());
            };
            let producers: Vec<String> = list
                .iter()
                .map(|tcp| {
                    let (host, port) = tcp.rsplit_once(':').unwrap();
                    format!(
                        r#"{{"remote_address":"{tcp}","hostname":"h","broadcast_address":"{host}","tcp_port":{port},"http_port":1,"version":"1.3.0"}}"#
                    )
                })
                .collect();
            let body = format!(r#"{{"channels":[],"producers":[{}]}}"#, producers.join(","));
            (200, body)
        });
        FakeLookupd { addr, producers }
    }

    fn set(&self, list: Option<Vec<String>>) {
        *self.producers.lock().unwrap() = list;
    }
}

#[test]
fn lookupd_discovery_waits_for_the_topic_then_follows_nodes_coming_and_going() {
    let b1 = DevBroker::start();
    let b2 = DevBroker::start();
    let lookupd = FakeLookupd::start();
    let (child, errs) = spawn_watched(
        Proc::new(bin())
            .env("NO_COLOR", "1")
            .env_remove("NSQD_TCP_ADDRESS")
            .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
            .args(["tail", "-topic", "disc", "-channel", "c", "-n", "3"])
            .args(["-addr", &lookupd.addr, "--lookupd-poll-interval", "1s"]),
    );
    wait_line(&errs, "waiting for it");
    lookupd.set(Some(vec![b1.tcp.clone()]));
    wait_line(&errs, &format!("subscribed to disc/c on {}", b1.tcp));
    // A second node appears: one connection per nsqd.
    lookupd.set(Some(vec![b1.tcp.clone(), b2.tcp.clone()]));
    wait_line(&errs, &format!("subscribed to disc/c on {}", b2.tcp));
    publish(&b1.tcp, "disc", &["from b1"]);
    publish(&b2.tcp, "disc", &["from b2"]);
    // The first one leaves lookupd: said on stderr; its connection is not retried.
    lookupd.set(Some(vec![b2.tcp.clone()]));
    let l = wait_line(&errs, "no longer has topic disc");
    assert!(l.contains(&b1.tcp), "{l}");
    publish(&b2.tcp, "disc", &["again b2"]);
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    let got: BTreeSet<String> = stdout_str(&o).lines().map(String::from).collect();
    let want: BTreeSet<String> = ["from b1", "from b2", "again b2"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(got, want);
    // "waiting" was said once, not once per poll.
    let rest: Vec<String> = errs.try_iter().collect();
    assert!(
        !rest.iter().any(|l| l.contains("waiting for it")),
        "{rest:?}"
    );
}

#[test]
fn exec_touches_messages_while_a_long_command_runs() {
    // A 2s msg-timeout and a command that takes 5s: without TOUCH (every 1s) nsqd
    // would time the message out, our FIN would fail and the message would still
    // be queued.
    let b = DevBroker::start_with(&["--msg-timeout", "2s"]);
    publish(&b.tcp, "slow", &["long job"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let mut c = tail(&b);
    c.args([
        "-q",
        "--topic",
        "slow",
        "--channel",
        "w",
        "-n",
        "1",
        "--exec",
    ]);
    c.arg("cat >> \"$LOG\"; echo >> \"$LOG\"; sleep 5");
    c.env("LOG", &log);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "long job\n");
    assert!(
        drain_channel(&b.tcp, "slow", "w").is_empty(),
        "FIN succeeded"
    );
}

/// `tail` finding nodes only through the dev broker's nsqlookupd API.
fn tail_via_lookupd(b: &DevBroker) -> Proc {
    let mut c = Proc::new(bin());
    c.env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .env("NSQLOOKUPD_HTTP_ADDRESS", &b.lookupd)
        .args(["tail", "--lookupd-poll-interval", "1s"]);
    c
}

#[test]
fn through_lookupd_a_missing_topic_is_waited_for_and_its_first_message_arrives() {
    let b = DevBroker::start();
    let (child, errs) =
        spawn_watched(tail_via_lookupd(&b).args(["-topic", "later", "-channel", "c", "-n", "1"]));
    wait_line(&errs, "waiting for it");
    // Publishing creates the topic; the message waits in it until a channel exists.
    publish(&b.tcp, "later", &["first"]);
    wait_line(&errs, "subscribed to later/c");
    let o = wait_output(child);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o), "first\n");
}

#[test]
fn create_makes_topic_and_channel_before_waiting() {
    let b = DevBroker::start();
    // Without --create, a missing topic is only waited for: nothing is created.
    let mut c = tail_via_lookupd(&b);
    c.args([
        "-q",
        "-topic",
        "made",
        "-channel",
        "keep",
        "--idle-timeout",
        "300ms",
    ]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(http_get(&b.lookupd, "/lookup?topic=made").0, 404);

    let mut c = tail_via_lookupd(&b);
    c.args(["-q", "-topic", "made", "-channel", "keep", "--create"]);
    c.args(["--idle-timeout", "300ms"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    let (status, body) = http_get(&b.lookupd, "/channels?topic=made");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"keep\""), "{body}");
    // The channel outlived tail, so what is published now waits for the next run.
    publish(&b.tcp, "made", &["kept"]);
    let mut c = tail_via_lookupd(&b);
    c.args(["-q", "-topic", "made", "-channel", "keep", "-n", "1"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o), "kept\n");
}

#[test]
fn map_address_rewrites_what_lookupd_announces() {
    // Like docker-compose: lookupd announces a host name only the compose network knows.
    let b = DevBroker::start();
    let port = b.tcp.rsplit_once(':').unwrap().1;
    let lookupd = FakeLookupd::start();
    lookupd.set(Some(vec![format!("nsqd-in-compose:{port}")]));
    publish(&b.tcp, "mapped", &["through the map"]);
    let mut c = Proc::new(bin());
    c.env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .args(["tail", "-q", "-topic", "mapped", "-channel", "c", "-n", "1"])
        .args(["--lookupd-http-address", &lookupd.addr])
        .args(["--map-address", "nsqd-in-compose=127.0.0.1"]);
    let o = run_with_deadline(c);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout_str(&o), "through the map\n");
}

/// SIGKILL gives tail no chance to clean up: what it held comes back after
/// nsqd's msg-timeout, and every message was either printed (and read) or is
/// still in the channel: nothing is lost, at worst printed twice.
#[test]
fn sigkill_loses_nothing_what_tail_held_comes_back_after_the_msg_timeout() {
    let b = DevBroker::start_with(&["--msg-timeout", "1s"]);
    let all = bodies("k", 200);
    let (mut child, errs) = spawn_watched(tail(&b).args(["--topic", "kill", "--channel", "c"]));
    let out = line_stream(child.stdout.take().unwrap());
    wait_line(&errs, "subscribed to kill/c");
    publish(&b.tcp, "kill", &all);
    let mut printed = BTreeSet::new();
    while printed.len() < 20 {
        printed.insert(out.recv_timeout(DEADLINE).expect("tail printed"));
    }
    kill(child.id(), "KILL");
    let _ = child.wait();
    // What was still in the pipe when tail died was read too.
    while let Ok(line) = out.recv_timeout(DEADLINE) {
        printed.insert(line);
    }
    wait_channel(&b, "kill", |s| s.in_flight == 0);
    let left = body_set(&drain_channel(&b.tcp, "kill", "c"));
    let missing: Vec<&String> = all
        .iter()
        .filter(|m| !printed.contains(*m) && !left.contains(*m))
        .collect();
    assert!(missing.is_empty(), "lost: {missing:?}");
}

/// `nsq-cli tail` pointed at `addr`, where no nsqd listens.
fn tail_at(addr: &str) -> Proc {
    let mut c = Proc::new(bin());
    c.env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .args(["tail", "--nsqd-tcp-address", addr, "--topic", "t"]);
    c
}

/// --idle-timeout with the nsqd unreachable the whole time is not "nothing
/// arrived": exit 1 with one line naming it, when printing and with --exec.
#[test]
fn idle_timeout_with_the_nsqd_unreachable_exits_1_naming_it() {
    let gone = common::free_addr();
    let cases: [(&[&str], &str); 2] = [
        (&[], "stopping (0 printed)"),
        (&["--exec", "true"], "stopping (0 handled successfully)"),
    ];
    for (extra, counted) in cases {
        let mut c = tail_at(&gone);
        c.args(["--idle-timeout", "1s"]).args(extra);
        let o = run_with_deadline(c);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {err}");
        common::assert_unreachable_line(&err, &gone, counted);
        assert!(o.stdout.is_empty());
    }
}

/// Through an nsqlookupd that never answers, nothing is known of the topic's
/// nodes: --idle-timeout is not "drained" either, exit 1 naming the lookupd.
#[test]
fn idle_timeout_with_the_lookupd_unreachable_exits_1_naming_it() {
    let gone = common::free_addr();
    let mut c = Proc::new(bin());
    common::without_contexts(&mut c)
        .env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .args([
            "tail",
            "-addr",
            &gone,
            "--topic",
            "t",
            "--idle-timeout",
            "1s",
        ]);
    let o = run_with_deadline(c);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    common::assert_unreachable_line(&err, &gone, "stopping (0 printed)");
    assert!(
        err.contains(&format!("source nsqlookupd {gone} unreachable for")),
        "{err}"
    );
}

/// The nsqd goes away mid-tail and stays away: what was printed is printed,
/// and --idle-timeout exits 1 naming it.
#[test]
fn nsqd_gone_mid_tail_exits_1_at_idle_timeout() {
    let mut b = DevBroker::start();
    publish(&b.tcp, "gone", &bodies("g", 10));
    let mut c = tail(&b);
    // The quiet time starts at the last line printed: 10s leaves the kill ample
    // time on a busy machine.
    c.args(["--topic", "gone", "--channel", "c", "--idle-timeout", "10s"]);
    let (mut child, errs) = spawn_watched(&mut c);
    let out = line_stream(child.stdout.take().unwrap());
    for _ in 0..10 {
        out.recv_timeout(DEADLINE).expect("printed before the kill");
    }
    b.kill();
    let o = wait_output(child);
    let err: Vec<String> = errs.iter().collect();
    assert_eq!(o.status.code(), Some(1), "{err:?}");
    common::assert_unreachable_line(&err.join("\n"), &b.tcp, "stopping (10 printed)");
}
