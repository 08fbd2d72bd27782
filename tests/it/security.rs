//! TLS, compression and AUTH end to end: our client against `nsq-cli dev` started
//! with TLS/auth flags, certificates made at test time (rcgen), and a tiny auth
//! server answering `/auth` like the ones nsqd calls.

use crate::common;
use crate::common::process::OutputWithin;

use common::pki::Pki;
use common::{wait_until, DevBroker};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn start(flags: &[String]) -> DevBroker {
    let f: Vec<&str> = flags.iter().map(String::as_str).collect();
    DevBroker::start_with(&f)
}

fn run(b: &DevBroker, args: &[&str]) -> Output {
    b.cmd()
        .env_remove("NSQ_AUTH_SECRET")
        .args(args)
        .stdin(Stdio::null())
        .output_within()
        .unwrap()
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

/// A plain HTTP GET against the broker's HTTP API, body only.
fn http_get(addr: &str, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n").unwrap().1.to_string()
}

/// Messages in a topic so far (published, whether or not consumed).
fn message_count(b: &DevBroker, topic: &str) -> u64 {
    let body = http_get(&b.http, &format!("/stats?format=json&topic={topic}"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["topics"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["topic_name"] == topic))
        .map(|t| t["message_count"].as_u64().unwrap())
        .unwrap_or(0)
}

fn publish(b: &DevBroker, topic: &str, extra: &[&str]) -> Output {
    let mut args = vec!["publish", "--topic", topic, "--message", "hello"];
    args.extend_from_slice(extra);
    run(b, &args)
}

#[test]
fn publish_and_bench_over_tls_verified_with_the_test_ca() {
    let pki = Pki::new();
    let mut flags = pki.server_flags();
    flags.push("--tls-required".into());
    let b = start(&flags);
    let ca = pki.path("ca.pem");

    assert_ok(&publish(&b, "secure", &["--tls-ca", &ca]));
    assert_eq!(message_count(&b, "secure"), 1);
    // --tls with TLS asked for explicitly, and snappy over TLS.
    assert_ok(&publish(
        &b,
        "secure",
        &["--tls", "--tls-ca", &ca, "--snappy"],
    ));
    assert_ok(&publish(&b, "secure", &["--tls-ca", &ca, "--deflate"]));
    assert_eq!(message_count(&b, "secure"), 3);

    // Publishing and consuming through the bench (pub + sub, FIN every message).
    let o = run(
        &b,
        &[
            "bench",
            "--count",
            "2000",
            "--connections",
            "2",
            "--json",
            "--tls-ca",
            &ca,
        ],
    );
    assert_ok(&o);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["sub"]["messages"], 2000, "{r}");

    // Without TLS the broker refuses, as nsqd with --tls-required does.
    let o = publish(&b, "secure", &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot MPUB in current state (TLS required)")
            || stderr(&o).contains("cannot PUB in current state (TLS required)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn wrong_ca_fails_with_the_address_and_a_hint() {
    let pki = Pki::new();
    let other = Pki::new();
    let b = start(&pki.server_flags());
    let o = publish(&b, "t", &["--tls-ca", &other.path("ca.pem")]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains(&format!("TLS with nsqd at {}", b.tcp)), "{e}");
    assert!(e.contains("certificate") && e.contains("--tls-ca"), "{e}");
    assert_eq!(message_count(&b, "t"), 0);

    // The certificate is for 127.0.0.1/localhost, not for another name.
    let o = publish(
        &b,
        "t",
        &[
            "--tls-ca",
            &pki.path("ca.pem"),
            "--tls-server-name",
            "nsqd.example",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("certificate"), "{}", stderr(&o));
}

#[test]
fn tls_asked_but_not_offered_is_refused_not_downgraded() {
    let b = DevBroker::start();
    let o = publish(&b, "t", &["--tls"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("does not offer TLS"), "{}", stderr(&o));
    assert_eq!(message_count(&b, "t"), 0);
}

#[test]
fn insecure_skip_verify_connects_and_warns() {
    let pki = Pki::new();
    let b = start(&pki.server_flags());
    let o = publish(&b, "t", &["--tls-insecure-skip-verify"]);
    assert_ok(&o);
    let e = stderr(&o);
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    assert!(e.contains("--tls-insecure-skip-verify"), "{e}");
    assert_eq!(message_count(&b, "t"), 1);
}

#[test]
fn client_certificate_required_and_verified() {
    let pki = Pki::new();
    let mut flags = pki.server_flags();
    flags.extend([
        "--tls-client-auth-policy".to_string(),
        "require-verify".to_string(),
        "--tls-root-ca-file".to_string(),
        pki.path("ca.pem"),
    ]);
    let b = start(&flags);
    let ca = pki.path("ca.pem");
    let o = publish(&b, "t", &["--tls-ca", &ca]);
    assert!(!o.status.success(), "no client certificate must fail");
    assert!(stderr(&o).contains(&b.tcp), "{}", stderr(&o));

    // A certificate from another CA is not good enough either.
    let other = Pki::new();
    let o = publish(
        &b,
        "t",
        &[
            "--tls-ca",
            &ca,
            "--tls-cert",
            &other.path("client.pem"),
            "--tls-key",
            &other.path("client-key.pem"),
        ],
    );
    assert!(!o.status.success());
    assert_eq!(message_count(&b, "t"), 0);

    let o = publish(
        &b,
        "t",
        &[
            "--tls-ca",
            &ca,
            "--tls-cert",
            &pki.path("client.pem"),
            "--tls-key",
            &pki.path("client-key.pem"),
        ],
    );
    assert_ok(&o);
    assert_eq!(message_count(&b, "t"), 1);
}

#[test]
fn auth_server_is_told_the_client_certificate_common_name() {
    let pki = Pki::new();
    let (addr, requests) = auth_server(|_| (200, grant(60)));
    let mut flags = pki.server_flags();
    flags.extend([
        "--tls-client-auth-policy".to_string(),
        "require".to_string(),
        "--auth-http-address".to_string(),
        addr,
    ]);
    let b = start(&flags);
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "x")
        .args(["publish", "--topic", "allowed", "-m", "hi"])
        .args(["--tls-ca", &pki.path("ca.pem")])
        .args(["--tls-cert", &pki.path("client.pem")])
        .args(["--tls-key", &pki.path("client-key.pem")])
        .output_within()
        .unwrap();
    assert_ok(&o);
    let r = requests.lock().unwrap();
    assert!(r[0].contains("common_name=test-client"), "{r:?}");
    assert!(r[0].contains("tls=true"), "{r:?}");
}

#[test]
fn snappy_and_deflate_round_trips() {
    let b = DevBroker::start();
    let lines: String = (0..5000).map(|i| format!("message number {i}\n")).collect();
    for (topic, flag) in [
        ("snappy", "--snappy"),
        ("deflate", "--deflate"),
        ("deflate9", "--deflate=9"),
    ] {
        let mut child = b
            .cmd()
            .args(["publish", "--topic", topic, flag])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(lines.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert_ok(&o);
        assert_eq!(message_count(&b, topic), 5000, "{flag}");
        // Consume them back through the bench, compressed the same way.
        let o = run(
            &b,
            &[
                "bench", "sub", "--topic", topic, "--count", "5000", "--json", flag,
            ],
        );
        assert_ok(&o);
    }
    let o = run(
        &b,
        &[
            "publish",
            "--topic",
            "t",
            "--snappy",
            "--deflate",
            "-m",
            "x",
        ],
    );
    assert!(!o.status.success());
    let o = run(&b, &["publish", "--topic", "t", "--deflate=10", "-m", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("10"), "{}", stderr(&o));
}

/// What the auth server was asked: the query string of each request.
type Requests = Arc<Mutex<Vec<String>>>;

/// A tiny auth server: `answer(secret)` gives the status and JSON body.
fn auth_server(answer: impl Fn(&str) -> (u16, String) + Send + 'static) -> (String, Requests) {
    let requests: Requests = Arc::default();
    let seen = requests.clone();
    let addr = common::fake_http(move |target| {
        seen.lock().unwrap().push(target.to_string());
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let secret = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("secret="))
            .unwrap_or_default();
        if target.starts_with("/auth?") {
            answer(secret)
        } else {
            (404, "{}".into())
        }
    });
    (addr, requests)
}

fn grant(ttl: u64) -> String {
    format!(
        r#"{{"ttl":{ttl},"identity":"alice","identity_url":"https://id.example/alice","authorizations":[{{"topic":"^allowed","channels":[".*"],"permissions":["publish","subscribe"]}}]}}"#
    )
}

fn auth_broker(answer: impl Fn(&str) -> (u16, String) + Send + 'static) -> (DevBroker, Requests) {
    let (addr, requests) = auth_server(answer);
    (start(&["--auth-http-address".into(), addr]), requests)
}

#[test]
fn auth_with_env_secret_shows_identity_under_verbose() {
    let (b, requests) = auth_broker(|s| {
        if s == "s3cret" {
            (200, grant(3600))
        } else {
            (403, r#"{"message":"denied"}"#.into())
        }
    });
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "s3cret")
        .args(["-v", "publish", "--topic", "allowed", "-m", "hi"])
        .output_within()
        .unwrap();
    assert_ok(&o);
    let e = stderr(&o);
    assert!(e.contains("authenticated as \"alice\""), "{e}");
    assert!(e.contains("https://id.example/alice"), "{e}");
    assert!(
        !e.contains("s3cret"),
        "the secret must never be printed: {e}"
    );
    assert_eq!(message_count(&b, "allowed"), 1);
    let r = requests.lock().unwrap();
    assert_eq!(r.len(), 1);
    assert!(
        r[0].contains("secret=s3cret") && r[0].contains("tls=false"),
        "{r:?}"
    );
    assert!(r[0].contains("remote_ip=127.0.0.1"), "{r:?}");
}

#[test]
fn auth_secret_file_wins_and_failures_are_plain() {
    let (b, _) = auth_broker(|s| match s {
        "from-file" => (200, grant(3600)),
        "nothing" => (
            200,
            r#"{"ttl":60,"identity":"bob","authorizations":[]}"#.into(),
        ),
        _ => (403, r#"{"message":"denied"}"#.into()),
    });
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("secret");
    std::fs::write(&file, "from-file\n").unwrap();
    let file_arg = file.display().to_string();

    // The file's secret (trailing newline dropped) is used over the environment's.
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "wrong")
        .args([
            "publish",
            "--topic",
            "allowed",
            "-m",
            "hi",
            "--auth-secret-file",
            &file_arg,
        ])
        .output_within()
        .unwrap();
    assert_ok(&o);

    // No secret at all.
    let o = publish(&b, "allowed", &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&format!(
            "nsqd at {} requires authentication: set NSQ_AUTH_SECRET or --auth-secret-file",
            b.tcp
        )),
        "{}",
        stderr(&o)
    );

    // A secret the auth server refuses.
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "wrong")
        .args(["publish", "--topic", "allowed", "-m", "hi"])
        .output_within()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("E_AUTH_FAILED"), "{}", stderr(&o));

    // A secret that grants nothing.
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "nothing")
        .args(["publish", "--topic", "allowed", "-m", "hi"])
        .output_within()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("E_UNAUTHORIZED AUTH no authorizations found"),
        "{}",
        stderr(&o)
    );

    // A topic the authorizations do not cover.
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "from-file")
        .args(["publish", "--topic", "forbidden", "-m", "hi"])
        .output_within()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("E_UNAUTHORIZED AUTH failed for PUB on \"forbidden\" \"\"")
            || stderr(&o).contains("E_UNAUTHORIZED AUTH failed for MPUB on \"forbidden\" \"\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(message_count(&b, "forbidden"), 0);

    // An empty secret file is a mistake, caught before connecting.
    std::fs::write(&file, "\n").unwrap();
    let o = publish(&b, "allowed", &["--auth-secret-file", &file_arg]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is empty"), "{}", stderr(&o));
}

#[test]
fn expired_authorizations_are_fetched_again() {
    let (b, requests) = auth_broker(|_| (200, grant(1)));
    let mut child = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "any")
        .args(["publish", "--topic", "allowed"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"one\n").unwrap();
    stdin.flush().unwrap();
    assert!(wait_until(Duration::from_secs(20), || message_count(
        &b, "allowed"
    ) == 1));
    // Usually 1; 2 on a machine slow enough that the TTL ran out before the MPUB.
    let before = requests.lock().unwrap().len();
    // The 1s TTL has to run out: this wait is the point of the test.
    std::thread::sleep(Duration::from_millis(1200));
    stdin.write_all(b"two\n").unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_ok(&o);
    assert_eq!(message_count(&b, "allowed"), 2);
    assert_eq!(
        requests.lock().unwrap().len(),
        before + 1,
        "re-queried after the TTL"
    );
}

#[test]
fn auth_over_tls_tells_the_auth_server_and_stats_show_both() {
    let pki = Pki::new();
    let (addr, requests) = auth_server(|_| (200, grant(60)));
    let mut flags = pki.server_flags();
    flags.extend(["--auth-http-address".to_string(), addr]);
    let b = start(&flags);
    let mut child = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "x")
        .args([
            "publish",
            "--topic",
            "allowed",
            "--tls-ca",
            &pki.path("ca.pem"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"one\n").unwrap();
    stdin.flush().unwrap();
    assert!(wait_until(Duration::from_secs(20), || message_count(
        &b, "allowed"
    ) == 1));
    // While the publisher is connected, /stats describes its connection as nsqd does.
    let stats: serde_json::Value =
        serde_json::from_str(&http_get(&b.http, "/stats?format=json")).unwrap();
    let p = &stats["producers"][0];
    assert_eq!(p["tls"], true, "{p}");
    assert_eq!(p["tls_version"], "TLS1.3", "{p}");
    assert_eq!(p["authed"], true, "{p}");
    assert_eq!(p["auth_identity"], "alice", "{p}");
    assert_eq!(p["auth_identity_url"], "https://id.example/alice", "{p}");
    drop(stdin);
    assert_ok(&child.wait_with_output().unwrap());
    assert!(requests.lock().unwrap()[0].contains("tls=true"));
}

/// Runs tail until it exits by itself (after -n), with a generous deadline.
fn tail_output(b: &DevBroker, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = b.cmd();
    c.env_remove("NSQ_AUTH_SECRET")
        .args(["tail", "--nsqd-tcp-address", &b.tcp])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    crate::common::process::wait_output(c.spawn().unwrap())
}

/// The first stderr line of a (retrying) tail that contains `needle`; then kills it.
fn tail_stderr_line(b: &DevBroker, args: &[&str], env: &[(&str, &str)], needle: &str) -> String {
    let mut c = b.cmd();
    c.env_remove("NSQ_AUTH_SECRET")
        .args(["tail", "--nsqd-tcp-address", &b.tcp])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let found = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if l.contains(needle) => break Some(l),
            Ok(_) => continue,
            Err(_) => break None,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    found.unwrap_or_else(|| panic!("tail never said {needle:?}"))
}

#[test]
fn tail_over_tls_with_compression() {
    let pki = Pki::new();
    let mut flags = pki.server_flags();
    flags.push("--tls-required".into());
    let b = start(&flags);
    let ca = pki.path("ca.pem");
    let mut child = b
        .cmd()
        .args(["publish", "--topic", "tls_tail", "--tls-ca", &ca])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a\nb\nc\nd\n")
        .unwrap();
    assert_ok(&child.wait_with_output().unwrap());
    for (flag, n) in [("--snappy", "2"), ("--deflate=3", "2")] {
        let o = tail_output(
            &b,
            &[
                "--topic",
                "tls_tail",
                "--channel",
                "c",
                "-n",
                n,
                "--tls-ca",
                &ca,
                flag,
            ],
            &[],
        );
        assert_ok(&o);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).lines().count(),
            2,
            "{flag}"
        );
    }

    // A CA that did not sign the server's certificate: the error names the address.
    let other = Pki::new();
    let line = tail_stderr_line(
        &b,
        &["--topic", "tls_tail", "--tls-ca", &other.path("ca.pem")],
        &[],
        "TLS with nsqd at",
    );
    assert!(
        line.contains(&b.tcp) && line.contains("certificate"),
        "{line}"
    );
}

#[test]
fn tail_with_auth_subscribes_only_where_allowed() {
    let (b, _) = auth_broker(|_| (200, grant(60)));
    let secret = [("NSQ_AUTH_SECRET", "x")];
    let o = b
        .cmd()
        .env("NSQ_AUTH_SECRET", "x")
        .args(["publish", "--topic", "allowed_t", "-m", "one"])
        .output_within()
        .unwrap();
    assert_ok(&o);
    let o = tail_output(
        &b,
        &["--topic", "allowed_t", "--channel", "c", "-n", "1"],
        &secret,
    );
    assert_ok(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "one\n");

    let line = tail_stderr_line(&b, &["--topic", "other"], &secret, "E_UNAUTHORIZED");
    assert!(line.contains("AUTH failed for SUB on \"other\""), "{line}");
    let line = tail_stderr_line(
        &b,
        &["--topic", "allowed_t"],
        &[],
        "requires authentication",
    );
    assert!(line.contains("NSQ_AUTH_SECRET"), "{line}");
}

/// Sends raw V2 bytes and returns the first frame's (type, data).
fn raw_exchange(addr: &str, bytes: &[u8]) -> (u32, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(b"  V2").unwrap();
    s.write_all(bytes).unwrap();
    let mut head = [0u8; 8];
    s.read_exact(&mut head).unwrap();
    let size = u32::from_be_bytes(head[..4].try_into().unwrap()) as usize;
    let ft = u32::from_be_bytes(head[4..].try_into().unwrap());
    let mut data = vec![0u8; size - 4];
    s.read_exact(&mut data).unwrap();
    (ft, String::from_utf8_lossy(&data).into_owned())
}

fn sized(cmd: &str, body: &[u8]) -> Vec<u8> {
    let mut v = cmd.as_bytes().to_vec();
    v.extend_from_slice(&(body.len() as u32).to_be_bytes());
    v.extend_from_slice(body);
    v
}

#[test]
fn broker_auth_errors_match_nsqd() {
    // Without an auth server, AUTH is disabled.
    let plain = DevBroker::start();
    assert_eq!(
        raw_exchange(&plain.tcp, &sized("AUTH\n", b"x")),
        (1, "E_AUTH_DISABLED AUTH disabled".into())
    );
    // With one, commands before AUTH are refused.
    let (b, _) = auth_broker(|_| (200, grant(60)));
    assert_eq!(
        raw_exchange(&b.tcp, &sized("PUB allowed\n", b"x")),
        (1, "E_AUTH_FIRST AUTH required before PUB".into())
    );
    assert_eq!(
        raw_exchange(&b.tcp, b"SUB allowed c\n"),
        (1, "E_AUTH_FIRST AUTH required before SUB".into())
    );
    let (ft, json) = raw_exchange(&b.tcp, &sized("AUTH\n", b"x"));
    assert_eq!(ft, 0);
    assert_eq!(
        json,
        r#"{"identity":"alice","identity_url":"https://id.example/alice","permission_count":1}"#
    );
    // IDENTIFY says auth is required.
    let (_, json) = raw_exchange(
        &b.tcp,
        &sized("IDENTIFY\n", br#"{"feature_negotiation":true}"#),
    );
    assert!(json.contains(r#""auth_required":true"#), "{json}");
}
