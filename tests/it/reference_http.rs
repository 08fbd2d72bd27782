//! Golden replay of the nsqd / nsqlookupd v1.3.0 HTTP captures
//! (`http-nsqd-exchanges.json`, `http-nsqd-limits-exchanges.json`,
//! `http-lookupd-exchanges.json` in `tests/fixtures/nsqd-v1.3.0`) against the
//! HTTP APIs of `nsq-cli dev`.
//!
//! Each file is replayed in file order (state builds up) against a fresh
//! broker: the limits file with `--max-msg-size 1024 --max-body-size 2048` as
//! in the capture's second run. Each request is sent as the capture client
//! sent it (raw HTTP/1.1, same method, path, query and body, `Connection:
//! close`). Compared for each exchange:
//!
//! * the status line, exactly;
//! * the headers, by name (spelling included) and value; not `Date`; and not
//!   `Content-Length` / `Transfer-Encoding` when the body is not compared byte
//!   for byte (see below), since both follow from the body's length (Go
//!   chunks bodies over its 2048-byte buffer). Header order is not compared:
//!   Go's order is an artefact of its writer and carries no meaning in HTTP;
//! * the body, byte for byte, except for the values the capture README lists
//!   as varying between runs. Those are replaced by placeholders, in both the
//!   expected and the actual body, after checking their type/shape:
//!   - nsqd JSON: top-level `start_time` and each client's `connect_ts`
//!     (checked to be a plausible Unix time in seconds), every value of
//!     `memory` (Go runtime figures; the keys and their order are compared),
//!     `hostname` of `/info` (the machine's name), `remote_address`
//!     (checked to be `127.0.0.1:<port>`: client ports vary). `http_port` /
//!     `tcp_port` are not normalised but expected to be our broker's ports.
//!     `clients` / `producers` arrays are sorted by content, because nsqd
//!     fills them from Go maps (topics and channels are sorted by nsqd, so
//!     their order is compared);
//!   - nsqd text `/stats`: the toolchain in the first line's `(built w/...)`
//!     (it differs between builds of the same nsqd release; ours is not Go),
//!     the `start_time` and `uptime` values, the numbers
//!     of the Memory section, client ports in `[V2 host:port ...]` and the
//!     `connected: <duration>` values;
//!   - nsqlookupd JSON: producers' `remote_address` (as above) and `hostname`
//!     (the machine's name); `http_port` / `tcp_port` expected to be ours;
//!     `channels` and `topics` string arrays are sorted, and a node's `topics`
//!     sorted together with its `tombstones` (one entry per topic), because
//!     nsqlookupd returns them in Go map order (the capture itself shows both
//!     orders); `producers` arrays are sorted by content.
//!
//!   JSON bodies are compared as text after this normalisation, with key order
//!   and the exact spelling of numbers and strings kept, and are also required
//!   to be compact (no whitespace), as nsqd writes them.
//!
//! State the HTTP side cannot create is reproduced as the capture did it:
//! before `stats-json` the README's /stats scenario (all topics deleted from
//! nsqd and nsqlookupd; topic t with channels c1, c2; a raw consumer on c2
//! that requeues one message; a consumer on c1 that speaks exactly like
//! `nsq_tail` v1.3.0 / go-nsq 1.1.0 on a host named `vm`; a producer that
//! stays connected) is rebuilt with raw TCP clients; and before the lookupd
//! file, nsqd gets topic t with channels c1 and c2 (the state nsqlookupd saw
//! in the capture). In the lookupd file, the node `127.0.0.1:4151` of the
//! tombstone requests is our nsqd (broadcast address 127.0.0.1, our HTTP
//! port). Nothing is skipped.
//!
//! Every exchange is reported; each test fails at the end listing every
//! failing exchange with expected vs got.

use crate::common;
use crate::reference_support;

use common::{wait_until, DevBroker};
use reference_support::http::{self, Response};
use reference_support::json::{self, J};
use reference_support::nsq::{command_with_body, mpub_body, Conn, Message, FRAME_MESSAGE};
use reference_support::{latin1, now_ns, query_escape, read_ref, show, show_diff};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

struct Exchange {
    case: String,
    method: String,
    target: String,
    body: Option<Vec<u8>>,
    status_line: String,
    headers: Vec<(String, String)>,
    resp_body: Vec<u8>,
}

fn load(file: &str) -> Vec<Exchange> {
    let doc: serde_json::Value =
        serde_json::from_str(&read_ref(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    doc.as_array()
        .unwrap_or_else(|| panic!("{file}: expected a list"))
        .iter()
        .map(|x| {
            let req = &x["request"];
            let resp = &x["response"];
            Exchange {
                case: x["case"].as_str().unwrap().to_string(),
                method: req["method"].as_str().unwrap().to_string(),
                target: req["target"].as_str().unwrap().to_string(),
                body: req["body"].as_str().map(latin1),
                status_line: resp["status_line"].as_str().unwrap().to_string(),
                headers: resp["headers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        (
                            h[0].as_str().unwrap().to_string(),
                            h[1].as_str().unwrap().to_string(),
                        )
                    })
                    .collect(),
                resp_body: latin1(resp["body"].as_str().unwrap_or_default()),
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Api {
    Nsqd,
    Lookupd,
}

/// What the normalisation needs to know about the broker under test.
struct Ctx {
    api: Api,
    tcp_port: u64,
    http_port: u64,
    /// Unix seconds bounds for start_time / connect_ts.
    earliest: u64,
}

fn port_of(addr: &str) -> u64 {
    addr.rsplit(':').next().unwrap().parse().unwrap()
}

// ------------------------------------------------------------ normalisation

/// Replaces the varying values of a JSON body (see the file comment). On the
/// actual body (`check` set) each replaced value is first checked for type
/// and shape; problems are pushed to `problems`.
fn normalise(v: &mut J, ctx: &Ctx, expected: bool, problems: &mut Vec<String>) {
    walk(v, ctx, expected, problems, 0);
}

fn walk(v: &mut J, ctx: &Ctx, expected: bool, problems: &mut Vec<String>, depth: usize) {
    let now = now_ns() / 1_000_000_000;
    match v {
        J::Obj(fields) => {
            // A node's topics and tombstones are parallel arrays: sort together.
            if ctx.api == Api::Lookupd {
                sort_topics_with_tombstones(fields);
            }
            for (key, _, value) in fields.iter_mut() {
                let plausible_time = |value: &J, problems: &mut Vec<String>| {
                    if !expected {
                        match value.as_u64() {
                            Some(t) if t + 5 >= ctx.earliest && t <= now + 5 => {}
                            _ => problems.push(format!(
                                "{key} {} is not a plausible Unix time in seconds (broker started ~{}, now {now})",
                                json::emit(value),
                                ctx.earliest
                            )),
                        }
                    }
                };
                match key.as_str() {
                    "start_time" if ctx.api == Api::Nsqd && depth == 0 => {
                        plausible_time(value, problems);
                        *value = J::Placeholder("start_time".into());
                    }
                    "connect_ts" if ctx.api == Api::Nsqd => {
                        plausible_time(value, problems);
                        *value = J::Placeholder("connect_ts".into());
                    }
                    "memory" if ctx.api == Api::Nsqd && depth == 0 => {
                        if let J::Obj(mem) = value {
                            for (k, _, m) in mem.iter_mut() {
                                if !expected && !matches!(m, J::Num(_)) {
                                    problems.push(format!(
                                        "memory.{k} is a {}, not a number",
                                        m.kind()
                                    ));
                                }
                                *m = J::Placeholder("n".into());
                            }
                        }
                    }
                    "hostname"
                        if (ctx.api == Api::Nsqd && depth == 0) || ctx.api == Api::Lookupd =>
                    {
                        if !expected && !matches!(value.as_str(), Some(s) if !s.is_empty()) {
                            problems.push(format!(
                                "hostname {} is not a non-empty string",
                                json::emit(value)
                            ));
                        }
                        *value = J::Placeholder("hostname".into());
                    }
                    "remote_address" => {
                        let ok = value.as_str().is_some_and(|s| {
                            s.strip_prefix("127.0.0.1:").is_some_and(|p| {
                                !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
                            })
                        });
                        if ok {
                            *value = J::Placeholder("127.0.0.1:port".into());
                        } else if !expected {
                            problems.push(format!(
                                "remote_address {} is not 127.0.0.1:<port>",
                                json::emit(value)
                            ));
                        }
                    }
                    // The capture's nsqd listened on 4150/4151; ours on free ports.
                    "tcp_port" if expected && value.as_u64() == Some(4150) => {
                        *value = J::number(ctx.tcp_port);
                    }
                    "http_port" if expected && value.as_u64() == Some(4151) => {
                        *value = J::number(ctx.http_port);
                    }
                    _ => walk(value, ctx, expected, problems, depth + 1),
                }
                // Arrays filled from Go maps.
                let map_ordered = match ctx.api {
                    Api::Nsqd => key == "clients" || key == "producers",
                    Api::Lookupd => key == "producers" || key == "channels" || key == "topics",
                };
                if map_ordered {
                    if let J::Arr(items) = value {
                        items.sort_by_key(json::emit);
                    }
                }
            }
        }
        J::Arr(items) => {
            for item in items.iter_mut() {
                walk(item, ctx, expected, problems, depth + 1);
            }
        }
        _ => {}
    }
}

fn sort_topics_with_tombstones(fields: &mut [(String, String, J)]) {
    let ti = fields.iter().position(|(k, _, _)| k == "topics");
    let si = fields.iter().position(|(k, _, _)| k == "tombstones");
    let (Some(ti), Some(si)) = (ti, si) else {
        return;
    };
    let (J::Arr(topics), J::Arr(stones)) = (&fields[ti].2, &fields[si].2) else {
        return;
    };
    if topics.len() != stones.len() {
        return;
    }
    let mut pairs: Vec<(J, J)> = topics.iter().cloned().zip(stones.iter().cloned()).collect();
    pairs.sort_by_key(|(t, _)| json::emit(t));
    fields[ti].2 = J::Arr(pairs.iter().map(|p| p.0.clone()).collect());
    fields[si].2 = J::Arr(pairs.into_iter().map(|p| p.1).collect());
}

/// The text form of /stats with its varying values replaced.
fn normalise_stats_text(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_memory = false;
    for line in text.split('\n') {
        let mut l = line.to_string();
        if let (Some(rest), true) = (line.strip_prefix("nsqd v"), line.ends_with(')')) {
            let version = rest.split(' ').next().unwrap_or_default();
            assert!(
                line.starts_with(&format!("nsqd v{version} (built w/")),
                "first line of text /stats: {line:?}"
            );
            l = format!("nsqd v{version} (built w/<toolchain>)");
        } else if line.starts_with("start_time ") {
            l = "start_time <time>".into();
        } else if line.starts_with("uptime ") {
            l = "uptime <duration>".into();
        } else if line == "Memory:" {
            in_memory = true;
        } else if line.is_empty() {
            in_memory = false;
        } else if in_memory {
            if let Some((name, _)) = line.rsplit_once('\t') {
                l = format!("{name}\t<n>");
            }
        }
        if let Some(start) = l.find("[V2 ") {
            let rest = &l[start + 4..];
            if let Some(sp) = rest.find(' ') {
                if let Some(colon) = rest[..sp].rfind(':') {
                    l = format!(
                        "{}{}:<port>{}",
                        &l[..start + 4],
                        &rest[..colon],
                        &rest[sp..]
                    );
                }
            }
        }
        if let Some(i) = l.find("connected: ") {
            let after = &l[i + 11..];
            let end = after.find(' ').unwrap_or(after.len());
            l = format!("{}connected: <duration>{}", &l[..i], &after[end..]);
        }
        out.push(l);
    }
    out.join("\n")
}

// --------------------------------------------------------------- comparison

/// Compares one response with the capture; returns the differences.
fn compare(ex: &Exchange, got: &Response, ctx: &Ctx) -> Vec<String> {
    let mut diffs = Vec::new();
    if got.status_line != ex.status_line {
        diffs.push(format!(
            "status: expected {:?}, got {:?}",
            ex.status_line, got.status_line
        ));
    }

    // Body.
    let exact;
    let want = &ex.resp_body;
    if want.first().is_some_and(|b| *b == b'{' || *b == b'[') {
        let mut e = json::parse(want).unwrap_or_else(|err| panic!("[{}] capture: {err}", ex.case));
        normalise(&mut e, ctx, true, &mut Vec::new());
        let e_text = json::emit(&e);
        exact = e_text.as_bytes() == want.as_slice();
        match json::parse(&got.body) {
            Err(err) => diffs.push(format!(
                "body: expected JSON {}, got non-JSON ({err}) {}",
                show(want, 300),
                show(&got.body, 300)
            )),
            Ok(mut g) => {
                if json::emit(&g).as_bytes() != got.body.as_slice() {
                    diffs.push(format!(
                        "body: not compact JSON as nsqd writes it: {}",
                        show(&got.body, 300)
                    ));
                }
                let mut problems = Vec::new();
                normalise(&mut g, ctx, false, &mut problems);
                for p in problems {
                    diffs.push(format!("body: {p}"));
                }
                let g_text = json::emit(&g);
                if g_text != e_text {
                    diffs.push(format!(
                        "body (normalised): {}",
                        show_diff(e_text.as_bytes(), g_text.as_bytes())
                    ));
                }
            }
        }
    } else if want.starts_with(b"nsqd v") {
        let e = normalise_stats_text(&String::from_utf8_lossy(want));
        let g = normalise_stats_text(&String::from_utf8_lossy(&got.body));
        exact = false;
        if e != g {
            diffs.push(format!(
                "body (text /stats, normalised): {}",
                show_diff(e.as_bytes(), g.as_bytes())
            ));
        }
    } else {
        exact = true;
        if got.body != *want {
            diffs.push(format!(
                "body: expected {}, got {}",
                show(want, 300),
                show(&got.body, 300)
            ));
        }
    }

    // Headers.
    let ignored = |name: &str| {
        name.eq_ignore_ascii_case("date")
            || (!exact
                && (name.eq_ignore_ascii_case("content-length")
                    || name.eq_ignore_ascii_case("transfer-encoding")))
    };
    for (name, value) in ex.headers.iter().filter(|(n, _)| !ignored(n)) {
        match got
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            None => diffs.push(format!("header {name}: {value} missing")),
            Some((n, v)) => {
                if n != name {
                    diffs.push(format!("header name spelled {n:?}, expected {name:?}"));
                }
                if v != value {
                    diffs.push(format!("header {name}: expected {value:?}, got {v:?}"));
                }
            }
        }
    }
    for (n, v) in got.headers.iter().filter(|(n, _)| !ignored(n)) {
        if !ex.headers.iter().any(|(e, _)| e.eq_ignore_ascii_case(n)) {
            diffs.push(format!("unexpected header {n}: {v}"));
        }
    }
    diffs
}

// ------------------------------------------------------------- state set-up

fn identify_json(client_id: &str, hostname: &str, user_agent: &str, msg_timeout: u64) -> Vec<u8> {
    serde_json::json!({
        "client_id": client_id,
        "hostname": hostname,
        "user_agent": user_agent,
        "heartbeat_interval": 30000,
        "msg_timeout": msg_timeout,
        "feature_negotiation": true,
    })
    .to_string()
    .into_bytes()
}

/// The IDENTIFY body go-nsq 1.1.0 sends with its defaults (Go marshals map
/// keys in sorted order), as nsq_tail v1.3.0 on a host named `vm` would.
fn go_nsq_identify() -> Vec<u8> {
    concat!(
        r#"{"client_id":"vm","deflate":false,"deflate_level":6,"feature_negotiation":true,"#,
        r#""heartbeat_interval":30000,"hostname":"vm","long_id":"vm","msg_timeout":0,"#,
        r#""output_buffer_size":16384,"output_buffer_timeout":250,"sample_rate":0,"#,
        r#""short_id":"vm","snappy":false,"tls_v1":false,"#,
        r#""user_agent":"nsq_tail/1.3.0 go-nsq/1.1.0"}"#
    )
    .as_bytes()
    .to_vec()
}

fn expect_ok(c: &mut Conn, cmd: &[u8], what: &str) -> Result<(), String> {
    let f = c.call(cmd, WAIT).map_err(|e| format!("{what}: {e}"))?;
    if f.data != b"OK" {
        return Err(format!("{what}: expected OK, got {}", f.describe()));
    }
    Ok(())
}

fn expect_identify(c: &mut Conn, body: &[u8], what: &str) -> Result<(), String> {
    c.send(b"  V2").map_err(|e| format!("{what}: {e}"))?;
    let f = c
        .call(&command_with_body("IDENTIFY", body), WAIT)
        .map_err(|e| format!("{what} IDENTIFY: {e}"))?;
    if f.ftype != 0 {
        return Err(format!("{what} IDENTIFY: got {}", f.describe()));
    }
    Ok(())
}

fn read_message(c: &mut Conn, what: &str) -> Result<Message, String> {
    let f = c
        .read_frame(WAIT)
        .map_err(|e| format!("{what}: waiting for a message, got {}", e.describe()))?;
    if f.ftype != FRAME_MESSAGE {
        return Err(format!("{what}: expected a message, got {}", f.describe()));
    }
    Message::parse(&f.data).ok_or_else(|| format!("{what}: short message frame"))
}

fn topics_of(
    addr: &str,
    target: &str,
    pick: impl Fn(&serde_json::Value) -> Vec<String>,
) -> Vec<String> {
    http::get_ok(addr, target)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|v| pick(&v))
        .unwrap_or_default()
}

/// The README's /stats scenario (see `[stats-scenario]` in http-nsqd.txt).
/// Returns the TCP connections, which must stay open while /stats is read.
fn stats_scenario(b: &DevBroker) -> Result<Vec<Conn>, String> {
    // All topics deleted first, in nsqd and in nsqlookupd.
    let nsqd_topics = topics_of(
        &b.http,
        "/stats?format=json&include_mem=false&include_clients=false",
        |v| {
            v["topics"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t["topic_name"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        },
    );
    for t in nsqd_topics {
        http::post_ok(
            &b.http,
            &format!("/topic/delete?topic={}", query_escape(&t)),
        )?;
    }
    let lookupd_topics = topics_of(&b.lookupd, "/topics", |v| {
        v["topics"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    });
    for t in lookupd_topics {
        http::post_ok(
            &b.lookupd,
            &format!("/topic/delete?topic={}", query_escape(&t)),
        )?;
    }
    http::post_ok(&b.http, "/topic/create?topic=t")?;
    http::post_ok(&b.http, "/channel/create?topic=t&channel=c1")?;
    http::post_ok(&b.http, "/channel/create?topic=t&channel=c2")?;

    // Raw consumer on t/c2: msg_timeout 300000, RDY 2.
    let mut c2 = Conn::connect(&b.tcp)?;
    expect_identify(
        &mut c2,
        &identify_json(
            "ref-consumer-c2",
            "capture-host",
            "nsq-reference-capture/1.0",
            300000,
        ),
        "c2 consumer",
    )?;
    expect_ok(&mut c2, b"SUB t c2\n", "c2 consumer SUB")?;
    c2.send(b"RDY 2\n")?;

    // nsq_tail --topic=t --channel=c1 (go-nsq, max-in-flight 200).
    let mut tail = Conn::connect(&b.tcp)?;
    expect_identify(&mut tail, &go_nsq_identify(), "nsq_tail")?;
    expect_ok(&mut tail, b"SUB t c1\n", "nsq_tail SUB")?;
    tail.send(b"RDY 200\n")?;

    // Producer that stays connected: 4 x PUB, MPUB of 2, DPUB 60000.
    let mut producer = Conn::connect(&b.tcp)?;
    expect_identify(
        &mut producer,
        &identify_json(
            "ref-producer",
            "capture-host",
            "nsq-reference-capture/1.0",
            60000,
        ),
        "producer",
    )?;
    for i in 1..=4 {
        let body = format!("message {i}");
        expect_ok(
            &mut producer,
            &command_with_body("PUB t", body.as_bytes()),
            "PUB",
        )?;
    }
    expect_ok(
        &mut producer,
        &command_with_body("MPUB t", &mpub_body(&[b"message 5", b"message 6"])),
        "MPUB",
    )?;
    expect_ok(
        &mut producer,
        &command_with_body("DPUB t 60000", b"deferred message"),
        "DPUB",
    )?;

    // c2 receives two messages, REQs the first for 60 s, receives a third.
    let first = read_message(&mut c2, "c2 consumer")?;
    read_message(&mut c2, "c2 consumer")?;
    let mut req = b"REQ ".to_vec();
    req.extend_from_slice(&first.id);
    req.extend_from_slice(b" 60000\n");
    c2.send(&req)?;
    read_message(&mut c2, "c2 consumer (after REQ)")?;

    // nsq_tail finishes all six.
    for _ in 0..6 {
        let m = read_message(&mut tail, "nsq_tail")?;
        let mut fin = b"FIN ".to_vec();
        fin.extend_from_slice(&m.id);
        fin.push(b'\n');
        tail.send(&fin)?;
    }

    // FIN and REQ have no reply: /stats is the only signal that they landed.
    let settled = wait_until(WAIT, || {
        let Ok(body) = http::get_ok(&b.http, "/stats?format=json&topic=t&include_mem=false") else {
            return false;
        };
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
            return false;
        };
        let ch = |name: &str| {
            v["topics"][0]["channels"]
                .as_array()
                .and_then(|a| a.iter().find(|c| c["channel_name"] == name).cloned())
                .unwrap_or_default()
        };
        let (c1, c2) = (ch("c1"), ch("c2"));
        c1["clients"][0]["finish_count"] == 6
            && c1["in_flight_count"] == 0
            && c2["in_flight_count"] == 2
            && c2["requeue_count"] == 1
    });
    if !settled {
        println!("  (stats scenario: /stats did not show the expected counts within 10 s; comparing anyway)");
    }
    Ok(vec![c2, tail, producer])
}

/// nsqlookupd's state during the capture: nsqd registered, with topic t and
/// channels c1 and c2.
fn lookupd_scenario(b: &DevBroker) -> Result<(), String> {
    http::post_ok(&b.http, "/topic/create?topic=t")?;
    http::post_ok(&b.http, "/channel/create?topic=t&channel=c1")?;
    http::post_ok(&b.http, "/channel/create?topic=t&channel=c2")?;
    // Registration is asynchronous in nsqd; /lookup is the signal.
    let registered = wait_until(WAIT, || {
        http::get_ok(&b.lookupd, "/lookup?topic=t")
            .ok()
            .and_then(|body| serde_json::from_slice::<serde_json::Value>(&body).ok())
            .is_some_and(|v| {
                let has = |c: &str| {
                    v["channels"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|x| x == c))
                };
                has("c1") && has("c2") && v["producers"].as_array().is_some_and(|p| !p.is_empty())
            })
    });
    if registered {
        Ok(())
    } else {
        Err(
            "nsqlookupd /lookup?topic=t did not list channels c1, c2 and a producer within 10 s"
                .into(),
        )
    }
}

// ------------------------------------------------------------------- replay

fn replay(file: &str, api: Api, flags: &[&str]) {
    let started = Instant::now();
    let exchanges = load(file);
    let broker = DevBroker::start_with(flags);
    let ctx = Ctx {
        api,
        tcp_port: port_of(&broker.tcp),
        http_port: port_of(&broker.http),
        earliest: now_ns() / 1_000_000_000,
    };
    let addr = match api {
        Api::Nsqd => broker.http.clone(),
        Api::Lookupd => broker.lookupd.clone(),
    };
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut _held: Vec<Conn> = Vec::new();
    if api == Api::Lookupd {
        if let Err(e) = lookupd_scenario(&broker) {
            println!("SETUP FAILED (nsqlookupd state): {e}");
            failures.push(format!("[set-up] {e}"));
        }
    }
    println!("{file}: {} exchanges", exchanges.len());
    for ex in &exchanges {
        if api == Api::Nsqd && ex.case == "stats-json" {
            match stats_scenario(&broker) {
                Ok(conns) => _held = conns,
                Err(e) => {
                    println!("SETUP FAILED (/stats scenario): {e}");
                    failures.push(format!("[stats-scenario set-up] {e}"));
                }
            }
        }
        let target = match api {
            // The tombstoned node is our nsqd: broadcast address + HTTP port.
            Api::Lookupd => ex
                .target
                .replace("127.0.0.1:4151", &format!("127.0.0.1:{}", ctx.http_port)),
            Api::Nsqd => ex.target.clone(),
        };
        let label = format!("[{}] {} {}", ex.case, ex.method, target);
        let diffs = match http::request(&addr, &ex.method, &target, ex.body.as_deref()) {
            Ok(resp) => compare(ex, &resp, &ctx),
            Err(e) => vec![format!("request failed: {e}")],
        };
        if diffs.is_empty() {
            passed += 1;
            println!("PASS {label}");
        } else {
            println!("FAIL {label}");
            for d in &diffs {
                println!("       {d}");
            }
            failures.push(format!("{label}: {}", diffs.join(" | ")));
        }
    }
    println!(
        "{file}: {passed} of {} exchanges passed in {:.1} s",
        exchanges.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{file}: {} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn reference_http_nsqd() {
    replay("http-nsqd-exchanges.json", Api::Nsqd, &[]);
}

#[test]
fn reference_http_nsqd_limits() {
    replay(
        "http-nsqd-limits-exchanges.json",
        Api::Nsqd,
        &["--max-msg-size", "1024", "--max-body-size", "2048"],
    );
}

#[test]
fn reference_http_lookupd() {
    replay("http-lookupd-exchanges.json", Api::Lookupd, &[]);
}

/// The normalisation leaves every exact capture body alone, makes the two
/// captured text /stats bodies equal, and sorts map-ordered lookupd arrays.
/// (Needs no broker.)
#[test]
fn reference_http_harness_self_check() {
    let ctx = Ctx {
        api: Api::Lookupd,
        tcp_port: 4150,
        http_port: 4151,
        earliest: 0,
    };
    let mut a = json::parse(br#"{"channels":["c2","c1"],"producers":[]}"#).unwrap();
    let mut b = json::parse(br#"{"channels":["c1","c2"],"producers":[]}"#).unwrap();
    normalise(&mut a, &ctx, true, &mut Vec::new());
    normalise(&mut b, &ctx, true, &mut Vec::new());
    assert_eq!(json::emit(&a), json::emit(&b));
    let mut n = json::parse(
        br#"{"producers":[{"remote_address":"127.0.0.1:1","hostname":"x","tombstones":[true,false],"topics":["b","a"]}]}"#,
    )
    .unwrap();
    normalise(&mut n, &ctx, true, &mut Vec::new());
    assert_eq!(
        json::emit(&n),
        r#"{"producers":[{"remote_address":<127.0.0.1:port>,"hostname":<hostname>,"tombstones":[false,true],"topics":["a","b"]}]}"#
    );

    let s1 = read_ref("http-nsqd-stats.txt");
    let s2 = read_ref("http-nsqd-stats-format-text.txt");
    assert_ne!(s1, s2);
    assert_eq!(normalise_stats_text(&s1), normalise_stats_text(&s2));
    assert!(
        normalise_stats_text(&s1).contains("[V2 vm:<port> nsq_tail/1.3.0 go-nsq/1.1.0] state: 3")
    );

    // Bodies without varying values are untouched (so compared byte for byte).
    let nsqd = Ctx {
        api: Api::Nsqd,
        ..ctx
    };
    for file in ["http-nsqd-exchanges.json", "http-lookupd-exchanges.json"] {
        for ex in load(file) {
            if ex.resp_body.first() == Some(&b'{') {
                let mut v = json::parse(&ex.resp_body).unwrap();
                assert_eq!(
                    json::emit(&v).as_bytes(),
                    ex.resp_body.as_slice(),
                    "[{}]",
                    ex.case
                );
                normalise(&mut v, &nsqd, true, &mut Vec::new());
            }
        }
    }
}
