//! Faults (issue 8 item 5): brokers that die or restart, servers that go silent,
//! lookupds that are down or not lookupds at all, failures that retrying cannot
//! fix, and many publishers and tails on one topic with every message accounted
//! for. Each against `nsq-cli dev` or a small fake server in this file.
//!
//! Covered elsewhere (not repeated here): a broker killed mid-publish
//! (tests/publish.rs `broker_killed_mid_publish_reports_an_honest_count`), `--retry`
//! resending what was not acknowledged (`retry_reconnects_and_resends_the_unacknowledged`),
//! a slow `--exec` kept alive by TOUCH (tests/tail.rs
//! `exec_touches_messages_while_a_long_command_runs`), `lookup` with one lookupd
//! down (tests/lookup.rs `lookup_merges_two_lookupds_and_reports_a_dead_one`).

use crate::common;

use common::process::{line_stream, signal, stderr, wait_line, wait_output, DEADLINE};
use common::raw::publish;
use common::{bin, channel_stats, fake_http, free_addr, wait_until, DevBroker};
use nsq_cli::protocol::MAGIC_V2;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

fn lines(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// `nsq-cli` with no address from the environment and no colours.
fn nsq_cli() -> Command {
    let mut c = Command::new(bin());
    c.env("NO_COLOR", "1")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQD_HTTP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .env_remove("NSQ_AUTH_SECRET")
        .stdin(Stdio::null());
    c
}

fn spawn_piped(mut c: Command) -> Child {
    c.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// (depth, in flight, message count) of one channel.
fn counts(http: &str, topic: &str, channel: &str) -> (u64, u64, u64) {
    let s = channel_stats(http, topic, channel);
    (s.depth, s.in_flight, s.messages)
}

/// The broker is in memory, so a restart loses whatever it held. What must hold:
/// tail prints everything it received before the restart (batch A, printed before
/// the kill), says it is reconnecting, reconnects to the new broker on the same
/// address, prints everything published after (batch B), FINs it, and exits 0
/// after -n; it never prints a message twice or one it was not sent.
#[test]
fn broker_restarted_mid_tail_reconnects_and_prints_every_message() {
    let addr = free_addr();
    let mut dev = DevBroker::start_at(&addr, &[]);
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "restart", "--channel", "c", "-n", "100"])
        .args(["--nsqd-tcp-address", &addr]);
    let mut child = spawn_piped(tail);
    let errs = line_stream(child.stderr.take().unwrap());
    let outs = line_stream(child.stdout.take().unwrap());
    wait_line(&errs, "subscribed to restart/c");

    let a = lines("a", 50);
    publish(&addr, "restart", &a);
    let mut printed = Vec::new();
    for _ in 0..a.len() {
        printed.push(
            outs.recv_timeout(DEADLINE)
                .expect("tail printed batch A before the restart"),
        );
    }

    dev.kill();
    let (line, _) = wait_line(&errs, "reconnecting in");
    assert!(line.contains(&addr), "{line}");
    let dev = DevBroker::start_at(&addr, &[]);
    let (line, _) = wait_line(&errs, "reconnected to nsqd at");
    assert!(line.contains(&addr), "{line}");

    let b = lines("b", 50);
    publish(&addr, "restart", &b);
    let o = wait_output(child);
    assert!(o.status.success(), "{}", stderr(&o));
    printed.extend(outs.iter());
    assert_eq!(printed.len(), 100, "{printed:?}");
    let got: BTreeSet<&String> = printed.iter().collect();
    let want: BTreeSet<&String> = a.iter().chain(&b).collect();
    assert_eq!(
        got, want,
        "each of A and B printed exactly once, nothing else"
    );
    // Everything B delivered was FINed on the new broker before tail exited.
    assert!(
        wait_until(DEADLINE, || counts(&dev.http, "restart", "c") == (0, 0, 50)),
        "{:?}",
        channel_stats(&dev.http, "restart", "c")
    );
}

/// How a fake nsqd answers once IDENTIFY is done.
#[derive(Clone, Copy, PartialEq)]
enum FakeMode {
    /// Answer SUB with OK, then send nothing at all (no heartbeats).
    Silent,
    /// Answer SUB with E_BAD_TOPIC and hang up, as nsqd does.
    BadTopic,
}

/// A fake nsqd: answers the magic and IDENTIFY like nsqd 1.3.0, then follows
/// `mode`. Reports each IDENTIFY body and when it went silent.
struct FakeNsqd {
    addr: String,
    connections: Arc<AtomicUsize>,
    events: mpsc::Receiver<(String, Instant)>,
}

fn read_exact_n(s: &mut TcpStream, n: usize) -> Option<Vec<u8>> {
    let mut v = vec![0u8; n];
    s.read_exact(&mut v).ok()?;
    Some(v)
}

fn read_line(s: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        s.read_exact(&mut byte).ok()?;
        if byte[0] == b'\n' {
            return Some(String::from_utf8_lossy(&line).into_owned());
        }
        line.push(byte[0]);
    }
}

fn write_frame(s: &mut TcpStream, frame_type: u32, data: &[u8]) {
    let mut f = Vec::new();
    f.extend_from_slice(&(4 + data.len() as u32).to_be_bytes());
    f.extend_from_slice(&frame_type.to_be_bytes());
    f.extend_from_slice(data);
    let _ = s.write_all(&f);
}

impl FakeNsqd {
    fn start(mode: FakeMode) -> FakeNsqd {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let Some(magic) = read_exact_n(&mut s, 4) else {
                        return;
                    };
                    assert_eq!(magic, MAGIC_V2);
                    let Some(cmd) = read_line(&mut s) else { return };
                    assert_eq!(cmd, "IDENTIFY");
                    let Some(len) = read_exact_n(&mut s, 4) else {
                        return;
                    };
                    let len = u32::from_be_bytes(len.try_into().unwrap()) as usize;
                    let Some(body) = read_exact_n(&mut s, len) else {
                        return;
                    };
                    write_frame(
                        &mut s,
                        0,
                        br#"{"max_rdy_count":2500,"version":"1.3.0","max_msg_timeout":900000,"msg_timeout":60000,"tls_v1":false,"deflate":false,"deflate_level":6,"max_deflate_level":6,"snappy":false,"sample_rate":0,"auth_required":false,"output_buffer_size":16384,"output_buffer_timeout":250}"#,
                    );
                    // Before the client can have read the answer, so before its
                    // silence timer can have started.
                    let answered_at = Instant::now();
                    let identify = String::from_utf8_lossy(&body).into_owned();
                    // The first command after IDENTIFY: SUB (tail) or PUB (publish).
                    let Some(cmd) = read_line(&mut s) else { return };
                    match mode {
                        FakeMode::BadTopic => {
                            write_frame(
                                &mut s,
                                1,
                                b"E_BAD_TOPIC SUB topic name \"bad\" is not valid",
                            );
                            let _ = tx.send((identify, answered_at));
                        }
                        FakeMode::Silent => {
                            if cmd.starts_with("SUB ") {
                                write_frame(&mut s, 0, b"OK");
                            }
                            let _ = tx.send((identify, answered_at));
                            // Read (and ignore) whatever comes; never answer.
                            let mut sink = [0u8; 4096];
                            while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
                        }
                    }
                });
            }
        });
        FakeNsqd {
            addr,
            connections,
            events,
        }
    }

    /// The next connection's IDENTIFY body and when it was answered (from then on
    /// the server sends at most an OK to SUB, then nothing).
    fn next_event(&self) -> (String, Instant) {
        self.events
            .recv_timeout(DEADLINE)
            .expect("a client connected and identified")
    }
}

/// The client asks for 1s heartbeats (--heartbeat-interval 1s) and the server
/// then says nothing: tail notices after two intervals (it allows a tenth more
/// for scheduling), says so naming the address, and reconnects.
#[test]
fn silent_nsqd_is_detected_by_tail_within_two_heartbeat_intervals() {
    let fake = FakeNsqd::start(FakeMode::Silent);
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "hb", "--channel", "c"])
        .args([
            "--nsqd-tcp-address",
            &fake.addr,
            "--heartbeat-interval",
            "1s",
        ]);
    let mut child = spawn_piped(tail);
    let errs = line_stream(child.stderr.take().unwrap());
    let (identify, answered_at) = fake.next_event();
    let v: serde_json::Value = serde_json::from_str(&identify).unwrap();
    assert_eq!(v["heartbeat_interval"], 1000, "{identify}");
    let (line, _) = wait_line(&errs, "sent nothing for");
    let noticed_after = answered_at.elapsed();
    assert!(
        line.contains(&fake.addr) && line.contains("two heartbeat intervals"),
        "{line}"
    );
    assert!(line.contains("reconnecting in"), "{line}");
    // Not before two intervals; and long before nsqd's default (30s) would allow.
    assert!(noticed_after >= Duration::from_secs(2), "{noticed_after:?}");
    assert!(noticed_after < Duration::from_secs(15), "{noticed_after:?}");
    // It does reconnect (and meets the same silence).
    let (identify, _) = fake.next_event();
    assert!(
        identify.contains("\"heartbeat_interval\":1000"),
        "{identify}"
    );
    signal(child.id(), "TERM");
    let o = wait_output(child);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// publish waiting for an acknowledgement from a server gone silent: an error
/// naming the address after two heartbeat intervals, exit 1, nothing claimed.
#[test]
fn silent_nsqd_fails_publish_naming_the_address() {
    let fake = FakeNsqd::start(FakeMode::Silent);
    let mut publish = nsq_cli();
    publish
        .args([
            "publish",
            "--topic",
            "hb",
            "-m",
            "x",
            "--heartbeat-interval",
            "1s",
        ])
        .args(["--nsqd-tcp-address", &fake.addr]);
    let child = spawn_piped(publish);
    let (identify, answered_at) = fake.next_event();
    assert!(
        identify.contains("\"heartbeat_interval\":1000"),
        "{identify}"
    );
    let o = wait_output(child);
    let noticed_after = answered_at.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("nsqd at {} sent nothing for", fake.addr)),
        "{err}"
    );
    assert!(noticed_after >= Duration::from_secs(2), "{noticed_after:?}");
    assert!(noticed_after < Duration::from_secs(15), "{noticed_after:?}");
}

/// Failures that reconnecting cannot fix end tail with the error and exit 1,
/// after one attempt: a SUB refused for the topic name, E_UNAUTHORIZED, a
/// server requiring AUTH when no secret was given, a certificate that does not
/// verify. (Connection refused and
/// silence are retried: see tests/tail.rs `reconnects_with_backoff_and_says_so`
/// and the heartbeat test above.)
#[test]
fn unfixable_errors_end_tail_instead_of_retrying_forever() {
    let fake = FakeNsqd::start(FakeMode::BadTopic);
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "t", "--channel", "c"])
        .args(["--nsqd-tcp-address", &fake.addr]);
    let o = wait_output(spawn_piped(tail));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("nsqd at {} refused SUB: E_BAD_TOPIC", fake.addr)),
        "{err}"
    );
    assert!(!err.contains("reconnecting"), "{err}");
    assert_eq!(fake.connections.load(Ordering::SeqCst), 1);

    // An auth server granting only topics starting with "allowed".
    let auth = fake_http(|path| {
        if path.starts_with("/auth?") {
            (
                200,
                r#"{"ttl":60,"identity":"alice","authorizations":[{"topic":"^allowed","channels":[".*"],"permissions":["subscribe","publish"]}]}"#.into(),
            )
        } else {
            (404, "{}".into())
        }
    });
    let b = DevBroker::start_with(&["--auth-http-address", &auth]);
    for (secret, topic, want) in [
        (Some("x"), "other", "E_UNAUTHORIZED"),
        (None, "allowed_t", "requires authentication"),
    ] {
        let mut tail = nsq_cli();
        tail.args(["tail", "--topic", topic, "--channel", "c"])
            .args(["--nsqd-tcp-address", &b.tcp]);
        if let Some(s) = secret {
            tail.env("NSQ_AUTH_SECRET", s);
        }
        let o = wait_output(spawn_piped(tail));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(want) && err.contains(&format!("nsqd at {}", b.tcp)),
            "{err}"
        );
        assert!(!err.contains("reconnecting"), "{err}");
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    }

    // A server certificate that no trusted CA signed.
    let dir = tempfile::tempdir().unwrap();
    let self_signed = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, self_signed.cert.pem()).unwrap();
    std::fs::write(&key, self_signed.key_pair.serialize_pem()).unwrap();
    let b = DevBroker::start_with(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "t", "--channel", "c", "--tls"])
        .args(["--nsqd-tcp-address", &b.tcp]);
    let o = wait_output(spawn_piped(tail));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("TLS with nsqd at {} failed", b.tcp)) && err.contains("certificate"),
        "{err}"
    );
    assert!(!err.contains("reconnecting"), "{err}");
}

/// Addresses that cannot work are refused before anything starts (exit 2, the
/// value named); an nsqd HTTP port given as its TCP port, and an HTTP server given
/// as nsqlookupd that answers 404, are told apart and end tail at once (exit 1)
/// instead of being retried forever; publish does not spend --retry on them.
#[test]
fn wrong_addresses_are_refused_or_named_not_retried() {
    let b = DevBroker::start();
    for (flag, addr, want) in [
        (
            "--nsqd-tcp-address",
            "localhost:notaport",
            "\"localhost:notaport\"",
        ),
        (
            "--nsqd-tcp-address",
            "http://127.0.0.1:4150",
            "without a scheme",
        ),
        (
            "--lookupd-http-address",
            "ftp://127.0.0.1:4161",
            "\"ftp://127.0.0.1:4161\"",
        ),
        ("--lookupd-http-address", "lookupd", "\"lookupd\": no port"),
    ] {
        let mut tail = nsq_cli();
        tail.args(["tail", "--topic", "t", flag, addr]);
        let o = wait_output(spawn_piped(tail));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{addr}: {err}");
        assert!(err.contains(want), "{addr}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }

    let http_said = format!(
        "{} answered with HTTP, not the NSQ TCP protocol: is this nsqd's HTTP port?",
        b.http
    );
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "t", "--nsqd-tcp-address", &b.http]);
    let o = wait_output(spawn_piped(tail));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&http_said), "{err}");
    assert!(
        !err.contains("reconnecting") && !err.contains("frame size"),
        "{err}"
    );

    let mut publish = nsq_cli();
    publish
        .args(["publish", "--topic", "t", "-message", "x", "--retry", "3"])
        .args(["--nsqd-tcp-address", &b.http]);
    let o = wait_output(spawn_piped(publish));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&http_said), "{err}");
    assert!(!err.to_lowercase().contains("retrying"), "{err}");

    // nsqd's HTTP port and a web server that knows no /lookup, as nsqlookupd.
    let web = fake_http(|_| (404, "<html>404 page not found</html>".into()));
    for lookupd in [b.http.clone(), web] {
        let mut tail = nsq_cli();
        tail.args(["tail", "--topic", "t", "--lookupd-http-address", &lookupd]);
        let o = wait_output(spawn_piped(tail));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{lookupd}: {err}");
        // Worded as every other command words it.
        assert!(
            err.contains(&format!(
                "{lookupd} is not an nsqlookupd: GET /lookup answered 404"
            )),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // Also when there is something else to consume from: a mistyped lookupd among
    // the addresses is a mistake to fix, not a warning to scroll past.
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "t", "--nsqd-tcp-address", &b.tcp])
        .args(["--lookupd-http-address", &b.http]);
    let o = wait_output(spawn_piped(tail));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is not an nsqlookupd"), "{err}");
}

/// A lookupd that answers 200 with something that is not nsqlookupd's JSON: tail
/// and lookup stop with one clear error naming the URL, instead of panicking or
/// polling it forever.
#[test]
fn lookupd_answering_garbage_is_a_clear_error() {
    for garbage in ["<html>It works!</html>", r#"{"producers":"none"}"#] {
        let fake = fake_http(move |_| (200, garbage.to_string()));
        // Plain tail asks /lookup; --create first asks /nodes.
        for (extra, path) in [(None, "/lookup?topic=t"), (Some("--create"), "/nodes")] {
            let mut tail = nsq_cli();
            tail.args(["tail", "--topic", "t", "--channel", "c", "-n", "1"])
                .args(["--lookupd-http-address", &fake])
                .args(extra);
            let o = wait_output(spawn_piped(tail));
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{garbage} {extra:?}: {err}");
            assert!(
                err.contains(&format!("http://{fake}{path}: ")),
                "{garbage} {extra:?}: {err}"
            );
            assert!(
                err.contains(&format!("is {fake} an nsqlookupd HTTP address?")),
                "{garbage} {extra:?}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }

        for (args, path) in [
            (["lookup", "--topic", "t"], "/lookup"),
            (["lookup", "--nodes", ""], "/nodes"),
        ] {
            let mut lookup = nsq_cli();
            lookup
                .args(args.iter().filter(|a| !a.is_empty()))
                .args(["--lookupd-http-address", &fake]);
            let o = wait_output(spawn_piped(lookup));
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?} {garbage}: {err}");
            assert!(
                err.contains(&format!("http://{fake}{path}")),
                "{args:?} {garbage}: {err}"
            );
            assert!(!err.contains("panicked"), "{args:?} {garbage}: {err}");
        }
    }
}

/// Two lookupds, one down: tail warns about the dead one (naming it) and
/// consumes through the other.
#[test]
fn tail_uses_the_lookupd_that_answers_while_another_is_down() {
    let b = DevBroker::start();
    publish(&b.tcp, "ld", &["x"]);
    let dead = free_addr();
    let mut tail = nsq_cli();
    tail.args(["tail", "--topic", "ld", "--channel", "c", "-n", "1"])
        .args(["--lookupd-http-address", &dead])
        .args(["--lookupd-http-address", &b.lookupd])
        .args(["--lookupd-poll-interval", "1s"]);
    let o = wait_output(spawn_piped(tail));
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "x\n");
    assert!(
        err.contains(&format!("nsqlookupd {dead} unreachable")),
        "{err}"
    );
}

/// Ten `publish` processes and three `tail`s sharing one channel, all at once:
/// the union of what the tails print is exactly what was published, each message
/// once. (Duplicates happen only when a message is redelivered: its msg-timeout
/// passed before the FIN, or the connection broke between printing and FIN;
/// neither happens here, so none is allowed.)
#[test]
fn ten_publishers_and_three_tails_account_for_every_message() {
    const PUBLISHERS: usize = 10;
    const EACH: usize = 500;
    let b = DevBroker::start();
    let dir = tempfile::tempdir().unwrap();
    let mut tails = Vec::new();
    for i in 0..3 {
        let out = std::fs::File::create(dir.path().join(format!("tail{i}"))).unwrap();
        let mut c = nsq_cli();
        c.args(["tail", "--topic", "many", "--channel", "shared"])
            .args(["--nsqd-tcp-address", &b.tcp])
            .stdout(out)
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let errs = line_stream(child.stderr.take().unwrap());
        wait_line(&errs, "subscribed to many/shared");
        tails.push((child, errs));
    }
    let mut publishers = Vec::new();
    let mut want = BTreeSet::new();
    for p in 0..PUBLISHERS {
        let input: String = (0..EACH).map(|j| format!("p{p}-{j}\n")).collect();
        want.extend((0..EACH).map(|j| format!("p{p}-{j}")));
        let mut c = nsq_cli();
        c.args(["publish", "--topic", "many", "--nsqd-tcp-address", &b.tcp])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        publishers.push(child);
    }
    for child in publishers {
        let o = wait_output(child);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let printed = || -> Vec<String> {
        (0..3)
            .flat_map(|i| {
                std::fs::read_to_string(dir.path().join(format!("tail{i}")))
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let total = PUBLISHERS * EACH;
    assert!(
        wait_until(DEADLINE, || printed().len() >= total),
        "{} of {total} printed",
        printed().len()
    );
    for (child, _) in &tails {
        signal(child.id(), "TERM");
    }
    for (child, errs) in tails {
        let o = wait_output(child);
        assert!(o.status.success(), "{o:?}");
        // Everything printed was FINed, nothing was held: "0 requeued".
        let (line, _) = wait_line(&errs, "stopped:");
        assert!(line.ends_with(" 0 requeued"), "{line}");
    }
    let got = printed();
    assert_eq!(got.len(), total, "no message printed twice");
    let got: BTreeSet<String> = got.into_iter().collect();
    assert_eq!(got, want);
    assert!(
        wait_until(DEADLINE, || counts(&b.http, "many", "shared")
            == (0, 0, total as u64)),
        "{:?}",
        channel_stats(&b.http, "many", "shared")
    );
}
