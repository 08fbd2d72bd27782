//! The embedded broker's HTTP side (nsqd and nsqlookupd APIs), checked against what
//! nsqd v1.3.0 sends (see tests/fixtures/nsqd-v1.3.0): statuses, header names
//! and order, exact bodies, and the state /stats and /lookup report afterwards.

use crate::common;

use common::raw::Raw;
use common::{wait_until, DevBroker};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const NSQ: (&str, &str) = ("X-Nsq-Content-Type", "nsq; version=1.0");
const JSON_CT: (&str, &str) = ("Content-Type", "application/json; charset=utf-8");
const TEXT_CT: (&str, &str) = ("Content-Type", "text/plain; charset=utf-8");

/// One raw HTTP/1.1 exchange, so header names, order and bodies are seen as sent.
struct Resp {
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn status(&self) -> u16 {
        self.status_line[9..12].parse().unwrap()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Headers in order, with Date's (varying) value blanked.
    fn header_list(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| {
                let v = if k == "Date" {
                    String::new()
                } else {
                    v.clone()
                };
                (k.clone(), v)
            })
            .collect()
    }
}

fn expected_headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn http(addr: &str, method: &str, target: &str, body: Option<&[u8]>) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    s.write_all(&bytes).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_string();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(": ").unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "Transfer-Encoding" && v == "chunked")
    {
        body = dechunk(&body);
    }
    Resp {
        status_line,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

fn get(addr: &str, target: &str) -> Resp {
    http(addr, "GET", target, None)
}

fn post(addr: &str, target: &str, body: &[u8]) -> Resp {
    http(addr, "POST", target, Some(body))
}

/// Asserts a `{"message":...}` error exactly as nsqd sends it.
#[track_caller]
fn assert_error(r: &Resp, status: u16, message: &str) {
    assert_eq!(
        (r.status(), r.text()),
        (status, format!("{{\"message\":\"{message}\"}}")),
        "{}",
        r.status_line
    );
    let len = r.body.len().to_string();
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            JSON_CT,
            NSQ,
            ("Date", ""),
            ("Content-Length", &len),
            ("Connection", "close"),
        ])
    );
}

/// Asserts the admin endpoints' answer: 200, empty body, no Content-Type.
#[track_caller]
fn assert_empty_ok(r: &Resp) {
    assert_eq!((r.status(), r.text()), (200, String::new()));
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            NSQ,
            ("Date", ""),
            ("Content-Length", "0"),
            ("Connection", "close")
        ])
    );
}

#[track_caller]
fn assert_ok_text(r: &Resp) {
    assert_eq!((r.status(), r.text()), (200, "OK".to_string()));
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            NSQ,
            ("Date", ""),
            ("Content-Length", "2"),
            TEXT_CT,
            ("Connection", "close"),
        ])
    );
}

fn stats(b: &DevBroker, query: &str) -> Value {
    let r = get(
        &b.http,
        &format!("/stats?format=json&include_mem=false{query}"),
    );
    assert_eq!(r.status(), 200);
    r.json()
}

fn topic_stats(b: &DevBroker, topic: &str) -> Value {
    stats(b, &format!("&topic={topic}"))["topics"][0].clone()
}

/// A raw NSQ connection that identifies itself, for what /stats shows of clients.
fn tcp_client(b: &DevBroker, client_id: &str) -> Raw {
    let mut t = Raw::connect(&b.tcp);
    let identify = serde_json::json!({
        "client_id": client_id,
        "hostname": "test-host",
        "user_agent": "broker-http-test/1.0",
        "feature_negotiation": true,
    })
    .to_string();
    t.identify(&identify);
    t
}

// ---- nsqd ------------------------------------------------------------------

#[test]
fn ping_is_plain_ok_without_the_nsq_header() {
    let b = DevBroker::start();
    let r = get(&b.http, "/ping");
    assert_eq!(r.status_line, "HTTP/1.1 200 OK");
    assert_eq!(r.text(), "OK");
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            ("Date", ""),
            ("Content-Length", "2"),
            TEXT_CT,
            ("Connection", "close")
        ])
    );
}

#[test]
fn info_reports_ports_and_durations_in_nanoseconds() {
    let b = DevBroker::start();
    let r = get(&b.http, "/info");
    let v = r.json();
    let tcp_port = b.tcp.rsplit_once(':').unwrap().1;
    let http_port = b.http.rsplit_once(':').unwrap().1;
    let expected = format!(
        "{{\"version\":\"1.3.0\",\"broadcast_address\":\"127.0.0.1\",\"hostname\":{},\
         \"http_port\":{http_port},\"tcp_port\":{tcp_port},\"start_time\":{},\
         \"max_heartbeat_interval\":60000000000,\"max_output_buffer_size\":65536,\
         \"max_output_buffer_timeout\":30000000000,\"max_deflate_level\":6}}",
        v["hostname"], v["start_time"]
    );
    assert_eq!(r.text(), expected);
    assert_eq!(r.header("Content-Type"), Some(JSON_CT.1));
}

#[test]
fn pub_answers_ok_and_counts_in_stats() {
    let b = DevBroker::start();
    assert_ok_text(&post(&b.http, "/pub?topic=t", b"hello"));
    // the body is one message, newlines included
    assert_ok_text(&post(&b.http, "/pub?topic=t", b"line1\nline2\n"));
    // with a repeated parameter the first value is used
    assert_ok_text(&post(&b.http, "/pub?topic=t&topic=u", b"hello"));
    let t = topic_stats(&b, "t");
    assert_eq!(t["message_count"], 3);
    assert_eq!(t["message_bytes"], 5 + 12 + 5);
    assert_eq!(t["depth"], 3);
    assert_eq!(stats(&b, "&topic=u")["topics"], Value::Null);
}

#[test]
fn pub_errors_match_nsqd_and_the_body_is_checked_first() {
    let b = DevBroker::start();
    let long = "t".repeat(65);
    let cases: [(&str, &[u8], u16, &str); 9] = [
        ("/pub?topic=t", b"", 400, "MSG_EMPTY"),
        ("/pub?topic=bad/name", b"hello", 400, "INVALID_TOPIC"),
        (
            &format!("/pub?topic={long}"),
            b"hello",
            400,
            "INVALID_TOPIC",
        ),
        ("/pub", b"hello", 400, "MISSING_ARG_TOPIC"),
        ("/pub", b"", 400, "MSG_EMPTY"),
        ("/pub?topic=t&defer=3600001", b"x", 400, "INVALID_DEFER"),
        ("/pub?topic=t&defer=-1", b"x", 400, "INVALID_DEFER"),
        ("/pub?topic=t&defer=soon", b"x", 400, "INVALID_DEFER"),
        ("/pub?topic=t&defer=", b"x", 400, "INVALID_DEFER"),
    ];
    for (target, body, status, message) in cases {
        assert_error(&post(&b.http, target, body), status, message);
    }
    assert_ok_text(&post(
        &b.http,
        &format!("/pub?topic={}", "t".repeat(64)),
        b"x",
    ));
    // no Content-Length at all counts as an empty body
    assert_error(
        &http(&b.http, "POST", "/pub?topic=t", None),
        400,
        "MSG_EMPTY",
    );
}

#[test]
fn pub_with_defer_holds_the_message_in_the_channel() {
    let b = DevBroker::start();
    assert_empty_ok(&post(&b.http, "/topic/create?topic=t", b""));
    assert_empty_ok(&post(&b.http, "/channel/create?topic=t&channel=c", b""));
    assert_ok_text(&post(&b.http, "/pub?topic=t&defer=60000", b"later"));
    assert_ok_text(&post(&b.http, "/pub?topic=t&defer=3600000", b"max"));
    let c = &topic_stats(&b, "t")["channels"][0];
    assert_eq!(
        (c["deferred_count"].clone(), c["depth"].clone()),
        (2.into(), 0.into())
    );
}

#[test]
fn size_limits_answer_413_with_gos_reason_phrase() {
    let b = DevBroker::start_with(&["--max-msg-size", "1024", "--max-body-size", "2048"]);
    let x = |n| vec![b'x'; n];
    assert_ok_text(&post(&b.http, "/pub?topic=t", &x(1024)));
    let r = post(&b.http, "/pub?topic=t", &x(1025));
    assert_eq!(r.status_line, "HTTP/1.1 413 Request Entity Too Large");
    assert_error(&r, 413, "MSG_TOO_BIG");
    // size before topic name
    assert_error(
        &post(&b.http, "/pub?topic=bad/name", &x(1025)),
        413,
        "MSG_TOO_BIG",
    );

    let mut line_1024 = x(1024);
    line_1024.extend_from_slice(b"\nshort\n");
    assert_ok_text(&post(&b.http, "/mpub?topic=t", &line_1024));
    assert_error(
        &post(&b.http, "/mpub?topic=t", &x(1025)),
        413,
        "MSG_TOO_BIG",
    );
    let big_body: Vec<u8> = (0..3)
        .flat_map(|_| {
            let mut l = x(1000);
            l.push(b'\n');
            l
        })
        .collect();
    assert_error(
        &post(&b.http, "/mpub?topic=t", &big_body),
        413,
        "BODY_TOO_BIG",
    );

    let mut inner_1025 = vec![0, 0, 0, 1, 0, 0, 4, 1];
    inner_1025.extend(x(1025));
    assert_error(
        &post(&b.http, "/mpub?topic=t&binary=true", &inner_1025),
        413,
        "BAD_MESSAGE",
    );
    assert_eq!(get(&b.http, "/config/max_msg_size").text(), "1024");
}

fn binary(bodies: &[&[u8]]) -> Vec<u8> {
    let mut out = (bodies.len() as u32).to_be_bytes().to_vec();
    for b in bodies {
        out.extend((b.len() as u32).to_be_bytes());
        out.extend_from_slice(b);
    }
    out
}

#[test]
fn mpub_text_splits_lines_and_skips_blank_ones() {
    let b = DevBroker::start();
    assert_ok_text(&post(&b.http, "/mpub?topic=t", b"one\ntwo\nthree\n"));
    assert_ok_text(&post(&b.http, "/mpub?topic=blank", b"one\n\n\ntwo"));
    assert_ok_text(&post(&b.http, "/mpub?topic=empty", b""));
    assert_ok_text(&post(&b.http, "/mpub?topic=f&binary=false", b"a\nb"));
    assert_eq!(topic_stats(&b, "t")["message_count"], 3);
    assert_eq!(topic_stats(&b, "blank")["message_count"], 2);
    // an empty body publishes nothing but creates the topic
    assert_eq!(topic_stats(&b, "empty")["message_count"], 0);
    assert_eq!(topic_stats(&b, "f")["message_count"], 2);
    assert_error(
        &post(&b.http, "/mpub?topic=bad/name", b"a"),
        400,
        "INVALID_TOPIC",
    );
    assert_error(&post(&b.http, "/mpub", b"a"), 400, "MISSING_ARG_TOPIC");
}

#[test]
fn mpub_binary_publishes_all_or_nothing() {
    let b = DevBroker::start();
    let ok = binary(&[b"bin-one", b"bin\ntwo"]);
    assert_ok_text(&post(&b.http, "/mpub?topic=t&binary=true", &ok));
    // an unrecognised value counts as true
    assert_ok_text(&post(&b.http, "/mpub?topic=t&binary=yes", &binary(&[b"x"])));
    let t = topic_stats(&b, "t");
    assert_eq!(
        (t["message_count"].clone(), t["message_bytes"].clone()),
        (3.into(), 15.into())
    );

    let inner_zero = [&binary(&[b"one"])[4..], &[0, 0, 0, 0]].concat();
    let inner_zero = [&[0, 0, 0, 2][..], &inner_zero].concat();
    let cases: [(&[u8], &str); 4] = [
        (&[0, 0, 0, 0], "BAD_BODY"),
        (&inner_zero, "BAD_MESSAGE"),
        (b"\x00\x00\x00\x01\x00\x00\x00dshort", "BAD_MESSAGE"),
        (b"", "BAD_BODY"),
    ];
    for (body, message) in cases {
        assert_error(
            &post(&b.http, "/mpub?topic=u&binary=true", body),
            413,
            message,
        );
    }
    // refused, yet the topic exists (nsqd creates it before reading the body)
    assert_eq!(topic_stats(&b, "u")["message_count"], 0);
}

#[test]
fn topic_admin_endpoints_and_their_errors() {
    let b = DevBroker::start();
    let h = &b.http;
    assert_empty_ok(&post(h, "/topic/create?topic=a", b""));
    assert_empty_ok(&post(h, "/topic/create?topic=a", b""));
    assert_error(
        &post(h, "/topic/create?topic=bad/name", b""),
        400,
        "INVALID_TOPIC",
    );
    assert_error(&post(h, "/topic/create", b""), 400, "MISSING_ARG_TOPIC");

    assert_empty_ok(&post(h, "/topic/pause?topic=a", b""));
    assert_empty_ok(&post(h, "/topic/pause?topic=a", b""));
    assert_eq!(topic_stats(&b, "a")["paused"], true);
    assert_empty_ok(&post(h, "/topic/unpause?topic=a", b""));
    assert_eq!(topic_stats(&b, "a")["paused"], false);
    assert_error(
        &post(h, "/topic/pause?topic=missing", b""),
        404,
        "TOPIC_NOT_FOUND",
    );
    assert_error(
        &post(h, "/topic/unpause?topic=missing", b""),
        404,
        "TOPIC_NOT_FOUND",
    );
    assert_error(&post(h, "/topic/pause", b""), 400, "MISSING_ARG_TOPIC");

    assert_ok_text(&post(h, "/pub?topic=a", b"x"));
    assert_empty_ok(&post(h, "/topic/empty?topic=a", b""));
    assert_eq!(topic_stats(&b, "a")["depth"], 0);
    assert_error(
        &post(h, "/topic/empty?topic=missing", b""),
        404,
        "TOPIC_NOT_FOUND",
    );
    assert_error(
        &post(h, "/topic/empty?topic=bad/name", b""),
        400,
        "INVALID_TOPIC",
    );

    assert_empty_ok(&post(h, "/topic/delete?topic=a", b""));
    assert_error(
        &post(h, "/topic/delete?topic=a", b""),
        404,
        "TOPIC_NOT_FOUND",
    );
    // no name check on delete: a bad name is simply not found
    assert_error(
        &post(h, "/topic/delete?topic=bad/name", b""),
        404,
        "TOPIC_NOT_FOUND",
    );
    assert_error(&post(h, "/topic/delete", b""), 400, "MISSING_ARG_TOPIC");
    assert_eq!(stats(&b, "&topic=a")["topics"], Value::Null);
}

#[test]
fn channel_admin_endpoints_and_their_errors() {
    let b = DevBroker::start();
    let h = &b.http;
    assert_empty_ok(&post(h, "/topic/create?topic=a", b""));
    assert_empty_ok(&post(h, "/channel/create?topic=a&channel=ch", b""));
    assert_empty_ok(&post(h, "/channel/create?topic=a&channel=ch", b""));
    let create_errors = [
        ("topic=missing&channel=ch", 404, "TOPIC_NOT_FOUND"),
        ("topic=a&channel=bad/name", 400, "INVALID_ARG_CHANNEL"),
        ("topic=bad/name&channel=ch", 400, "INVALID_ARG_TOPIC"),
        // argument checks come before the topic lookup
        ("topic=missing&channel=bad/name", 400, "INVALID_ARG_CHANNEL"),
        ("topic=a", 400, "MISSING_ARG_CHANNEL"),
        ("channel=ch", 400, "MISSING_ARG_TOPIC"),
    ];
    for (q, status, message) in create_errors {
        assert_error(
            &post(h, &format!("/channel/create?{q}"), b""),
            status,
            message,
        );
    }

    assert_empty_ok(&post(h, "/channel/pause?topic=a&channel=ch", b""));
    assert_eq!(topic_stats(&b, "a")["channels"][0]["paused"], true);
    assert_empty_ok(&post(h, "/channel/unpause?topic=a&channel=ch", b""));
    assert_eq!(topic_stats(&b, "a")["channels"][0]["paused"], false);
    assert_ok_text(&post(h, "/pub?topic=a", b"x"));
    assert_eq!(topic_stats(&b, "a")["channels"][0]["depth"], 1);
    assert_empty_ok(&post(h, "/channel/empty?topic=a&channel=ch", b""));
    assert_eq!(topic_stats(&b, "a")["channels"][0]["depth"], 0);
    for op in ["pause", "unpause", "empty", "delete"] {
        let missing_topic = post(h, &format!("/channel/{op}?topic=missing&channel=ch"), b"");
        assert_error(&missing_topic, 404, "TOPIC_NOT_FOUND");
        let missing_channel = post(h, &format!("/channel/{op}?topic=a&channel=missing"), b"");
        assert_error(&missing_channel, 404, "CHANNEL_NOT_FOUND");
    }
    assert_empty_ok(&post(h, "/channel/delete?topic=a&channel=ch", b""));
    assert_error(
        &post(h, "/channel/delete?topic=a&channel=ch", b""),
        404,
        "CHANNEL_NOT_FOUND",
    );
    assert_eq!(topic_stats(&b, "a")["channels"], serde_json::json!([]));
}

#[test]
fn unknown_paths_wrong_methods_and_trailing_slashes_answer_like_httprouter() {
    let b = DevBroker::start();
    let r = get(&b.http, "/pub?topic=t");
    assert_eq!(r.status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(
        r.headers[0],
        ("Allow".to_string(), "OPTIONS, POST".to_string())
    );
    assert_eq!(r.text(), "{\"message\":\"METHOD_NOT_ALLOWED\"}");
    assert_eq!(
        http(&b.http, "PUT", "/pub?topic=t", Some(b"x")).status(),
        405
    );
    let r = post(&b.http, "/stats", b"");
    assert_eq!((r.status(), r.header("Allow")), (405, Some("GET, OPTIONS")));

    assert_error(&get(&b.http, "/nope"), 404, "NOT_FOUND");
    assert_error(&get(&b.http, "/"), 404, "NOT_FOUND");

    let r = get(&b.http, "/ping/");
    assert_eq!(r.status_line, "HTTP/1.1 301 Moved Permanently");
    assert_eq!(r.text(), "<a href=\"/ping\">Moved Permanently</a>.\n\n");
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Location", "/ping"),
            ("Date", ""),
            ("Content-Length", "40"),
            ("Connection", "close"),
        ])
    );
    let r = post(&b.http, "/pub/?topic=t", b"hello");
    assert_eq!(r.status_line, "HTTP/1.1 307 Temporary Redirect");
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            ("Location", "/pub?topic=t"),
            ("Date", ""),
            ("Content-Length", "0"),
            ("Connection", "close"),
        ])
    );
}

#[test]
fn stats_json_null_and_empty_list_quirks() {
    let b = DevBroker::start();
    // an unknown topic gives null topics, and no producers give null producers
    let r = get(&b.http, "/stats?format=json&topic=missing");
    let v = r.json();
    assert_eq!(v["topics"], Value::Null);
    assert_eq!(v["producers"], Value::Null);
    assert!(v["memory"]["heap_in_use_bytes"].is_u64());
    assert!(r.text().ends_with(",\"producers\":null}"));

    assert_ok_text(&post(&b.http, "/pub?topic=t", b"hello"));
    let r = get(&b.http, "/stats?format=json&include_mem=false&topic=t");
    let expected = format!(
        "{{\"version\":\"1.3.0\",\"health\":\"OK\",\"start_time\":{},\"topics\":[{{\
         \"topic_name\":\"t\",\"channels\":[],\"depth\":1,\"backend_depth\":0,\
         \"message_count\":1,\"message_bytes\":5,\"paused\":false,\
         \"e2e_processing_latency\":{{\"count\":0,\"percentiles\":null}}}}],\"producers\":null}}",
        r.json()["start_time"]
    );
    assert_eq!(r.text(), expected);

    // an unknown channel leaves the topic out: [] rather than null
    assert_empty_ok(&post(&b.http, "/channel/create?topic=t&channel=c", b""));
    assert_eq!(
        stats(&b, "&topic=t&channel=missing")["topics"],
        serde_json::json!([])
    );
    let c = &stats(&b, "&channel=c")["topics"][0]["channels"][0];
    assert_eq!(c["clients"], serde_json::json!([]));
    assert_eq!(
        c["e2e_processing_latency"],
        serde_json::json!({"count":0,"percentiles":null})
    );
    let c = &stats(&b, "&include_clients=false")["topics"][0]["channels"][0];
    assert_eq!(c["clients"], Value::Null);
}

#[test]
fn stats_show_tcp_consumers_and_producers() {
    let b = DevBroker::start();
    let mut producer = tcp_client(&b, "the-producer");
    producer.send(nsq_cli::protocol::Command::Pub {
        topic: "t",
        body: b"one",
    });
    producer.expect_ok();
    let mut consumer = tcp_client(&b, "the-consumer");
    consumer.send(nsq_cli::protocol::Command::Sub {
        topic: "t",
        channel: "c",
    });
    consumer.expect_ok();
    consumer.send(nsq_cli::protocol::Command::Rdy(1));
    consumer.message();
    producer.send(nsq_cli::protocol::Command::Pub {
        topic: "t",
        body: b"two",
    });
    producer.expect_ok();

    let v = stats(&b, "");
    let t = &v["topics"][0];
    assert_eq!(t["message_count"], 2);
    let c = &t["channels"][0];
    assert_eq!(
        (
            c["in_flight_count"].clone(),
            c["depth"].clone(),
            c["client_count"].clone()
        ),
        (1.into(), 1.into(), 1.into())
    );
    let client = &c["clients"][0];
    assert_eq!(client["client_id"], "the-consumer");
    assert_eq!(client["hostname"], "test-host");
    assert_eq!(client["user_agent"], "broker-http-test/1.0");
    assert_eq!(client["version"], "V2");
    assert_eq!(
        [
            &client["state"],
            &client["ready_count"],
            &client["in_flight_count"],
            &client["message_count"]
        ],
        [
            &Value::from(3),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1)
        ]
    );
    assert!(client.get("pub_counts").is_none(), "omitted when empty");
    let keys: Vec<&str> = client
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert!(keys.contains(&"tls_negotiated_protocol_is_mutual"));

    let p = &v["producers"][0];
    assert_eq!(p["client_id"], "the-producer");
    assert_eq!(p["state"], 0);
    assert_eq!(
        p["pub_counts"],
        serde_json::json!([{"topic": "t", "count": 2}])
    );
    assert_eq!(v["producers"].as_array().unwrap().len(), 1);

    let text = get(&b.http, "/stats").text();
    assert!(text.starts_with("nsqd v1.3.0 (built w/"), "{text}");
    let port = producer.local_addr().port();
    let producer_line = format!(
        "\nProducers:\n   [V2 test-host:{port} broker-http-test/1.0] msgs: 2        topics: t=2 connected: "
    );
    assert!(text.contains(&producer_line), "{text}");
    assert!(
        text.contains(
            "\n   [t              ] depth: 0     be-depth: 0     msgs: 2        e2e%: \n      \
         [c                        ] depth: 1     be-depth: 0     inflt: 1    def: 0    \
         re-q: 0     timeout: 0     msgs: 2        e2e%: \n"
        ),
        "{text}"
    );
}

#[test]
fn stats_text_without_topics_or_producers() {
    let b = DevBroker::start();
    let r = get(&b.http, "/stats?format=text&include_mem=false");
    assert_eq!(r.header("Content-Type"), Some(TEXT_CT.1));
    let text = r.text();
    assert!(
        text.ends_with("\nHealth: OK\n\nTopics: None\n\nProducers: None\n"),
        "{text}"
    );
    assert!(text.contains("\nuptime "));
}

#[test]
fn large_responses_are_chunked_like_go() {
    let b = DevBroker::start();
    for i in 0..20 {
        assert_empty_ok(&post(
            &b.http,
            &format!("/topic/create?topic=topic-{i}"),
            b"",
        ));
    }
    let r = get(&b.http, "/stats?format=json&include_mem=false");
    assert!(r.body.len() > 2048);
    assert_eq!(
        r.header_list(),
        expected_headers(&[
            JSON_CT,
            NSQ,
            ("Date", ""),
            ("Connection", "close"),
            ("Transfer-Encoding", "chunked"),
        ])
    );
    assert_eq!(r.json()["topics"].as_array().unwrap().len(), 20);
}

#[test]
fn config_reports_options_as_json() {
    let b = DevBroker::start();
    let r = get(&b.http, "/config/max_msg_size");
    assert_eq!(r.text(), "1048576");
    assert_eq!(r.header("Content-Type"), Some(JSON_CT.1));
    assert_eq!(get(&b.http, "/config/msg_timeout").text(), "60000000000");
    assert_error(&get(&b.http, "/config/nope"), 400, "INVALID_OPTION");
}

// ---- nsqlookupd --------------------------------------------------------------

fn producer_json(b: &DevBroker) -> String {
    let tcp_port = b.tcp.rsplit_once(':').unwrap().1;
    let http_port = b.http.rsplit_once(':').unwrap().1;
    let host = get(&b.http, "/info").json()["hostname"].clone();
    format!(
        "{{\"remote_address\":\"127.0.0.1:{tcp_port}\",\"hostname\":{host},\
         \"broadcast_address\":\"127.0.0.1\",\"tcp_port\":{tcp_port},\
         \"http_port\":{http_port},\"version\":\"1.3.0\""
    )
}

#[test]
fn lookupd_ping_and_info() {
    let b = DevBroker::start();
    let r = get(&b.lookupd, "/ping");
    assert_eq!(r.text(), "OK");
    assert_eq!(r.header("X-Nsq-Content-Type"), None);
    let r = get(&b.lookupd, "/info");
    assert_eq!(r.text(), "{\"version\":\"1.3.0\"}");
    assert_eq!(r.header_list()[..2], expected_headers(&[JSON_CT, NSQ]));
}

#[test]
fn lookupd_describes_this_node_as_the_producer() {
    let b = DevBroker::start();
    assert_empty_ok(&post(&b.http, "/topic/create?topic=t", b""));
    assert_empty_ok(&post(&b.http, "/channel/create?topic=t&channel=c2", b""));
    assert_empty_ok(&post(&b.http, "/channel/create?topic=t&channel=c1", b""));
    let producer = producer_json(&b);
    assert_eq!(
        get(&b.lookupd, "/lookup?topic=t").text(),
        format!("{{\"channels\":[\"c1\",\"c2\"],\"producers\":[{producer}}}]}}")
    );
    assert_eq!(get(&b.lookupd, "/topics").text(), "{\"topics\":[\"t\"]}");
    assert_eq!(
        get(&b.lookupd, "/channels?topic=t").text(),
        "{\"channels\":[\"c1\",\"c2\"]}"
    );
    assert_eq!(
        get(&b.lookupd, "/channels?topic=missing").text(),
        "{\"channels\":[]}"
    );
    assert_eq!(
        get(&b.lookupd, "/nodes").text(),
        format!("{{\"producers\":[{producer},\"tombstones\":[false],\"topics\":[\"t\"]}}]}}")
    );
    assert_error(
        &get(&b.lookupd, "/lookup?topic=missing"),
        404,
        "TOPIC_NOT_FOUND",
    );
    assert_error(&get(&b.lookupd, "/lookup"), 400, "MISSING_ARG_TOPIC");
    assert_error(&get(&b.lookupd, "/channels"), 400, "MISSING_ARG_TOPIC");
}

#[test]
fn lookupd_tombstone_hides_the_producer_from_lookup() {
    let b = DevBroker::start();
    assert_empty_ok(&post(&b.http, "/topic/create?topic=t", b""));
    assert_error(
        &post(&b.lookupd, "/topic/tombstone?topic=t", b""),
        400,
        "MISSING_ARG_NODE",
    );
    assert_error(
        &post(&b.lookupd, "/topic/tombstone?node=x", b""),
        400,
        "MISSING_ARG_TOPIC",
    );
    // another node's name changes nothing
    assert_empty_ok(&post(
        &b.lookupd,
        "/topic/tombstone?topic=t&node=10.0.0.1:4151",
        b"",
    ));
    assert_eq!(
        get(&b.lookupd, "/lookup?topic=t").json()["producers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let http_port = b.http.rsplit_once(':').unwrap().1;
    let node = format!("127.0.0.1:{http_port}");
    assert_empty_ok(&post(
        &b.lookupd,
        &format!("/topic/tombstone?topic=t&node={node}"),
        b"",
    ));
    assert_eq!(
        get(&b.lookupd, "/lookup?topic=t").text(),
        "{\"channels\":[],\"producers\":[]}"
    );
    let nodes = get(&b.lookupd, "/nodes").json();
    assert_eq!(
        nodes["producers"][0]["tombstones"],
        serde_json::json!([true])
    );
    assert_eq!(nodes["producers"][0]["topics"], serde_json::json!(["t"]));
    let missing = format!("/topic/tombstone?topic=missing&node={node}");
    assert_empty_ok(&post(&b.lookupd, &missing, b""));
}

#[test]
fn lookupd_create_and_delete_registrations() {
    let b = DevBroker::start();
    let l = &b.lookupd;
    assert_empty_ok(&post(l, "/topic/create?topic=only", b""));
    assert_error(
        &post(l, "/topic/create?topic=bad/name", b""),
        400,
        "INVALID_ARG_TOPIC",
    );
    assert_error(&post(l, "/topic/create", b""), 400, "MISSING_ARG_TOPIC");
    assert_eq!(
        get(l, "/lookup?topic=only").text(),
        "{\"channels\":[],\"producers\":[]}"
    );

    assert_empty_ok(&post(l, "/channel/create?topic=only&channel=ch", b""));
    // creating a channel registers its topic too
    assert_empty_ok(&post(l, "/channel/create?topic=only2&channel=ch", b""));
    assert_eq!(
        get(l, "/topics").text(),
        "{\"topics\":[\"only\",\"only2\"]}"
    );
    assert_eq!(
        get(l, "/channels?topic=only").text(),
        "{\"channels\":[\"ch\"]}"
    );
    let bad = "/channel/create?topic=only&channel=bad/name";
    assert_error(&post(l, bad, b""), 400, "INVALID_ARG_CHANNEL");
    assert_error(
        &post(l, "/channel/create?topic=only", b""),
        400,
        "MISSING_ARG_CHANNEL",
    );

    assert_empty_ok(&post(l, "/channel/delete?topic=only&channel=ch", b""));
    let again = "/channel/delete?topic=only&channel=ch";
    assert_error(&post(l, again, b""), 404, "CHANNEL_NOT_FOUND");
    let missing = "/channel/delete?topic=missing&channel=ch";
    assert_error(&post(l, missing, b""), 404, "CHANNEL_NOT_FOUND");

    assert_empty_ok(&post(l, "/topic/delete?topic=only", b""));
    // deleting an unknown topic is not an error
    assert_empty_ok(&post(l, "/topic/delete?topic=only", b""));
    assert_empty_ok(&post(l, "/topic/delete?topic=only2", b""));
    assert_error(&post(l, "/topic/delete", b""), 400, "MISSING_ARG_TOPIC");
    assert_eq!(get(l, "/topics").text(), "{\"topics\":[]}");

    let r = get(l, "/topic/create?topic=t");
    assert_eq!(
        (r.status(), r.header("Allow")),
        (405, Some("OPTIONS, POST"))
    );
    let r = post(l, "/lookup?topic=t", b"");
    assert_eq!((r.status(), r.header("Allow")), (405, Some("GET, OPTIONS")));
    assert_error(&get(l, "/nope"), 404, "NOT_FOUND");
}

#[test]
fn registrations_linger_after_nsqd_deletes_and_channels_come_back() {
    let b = DevBroker::start();
    assert_empty_ok(&post(&b.http, "/topic/create?topic=linger", b""));
    assert_empty_ok(&post(
        &b.http,
        "/channel/create?topic=linger&channel=ch",
        b"",
    ));
    assert_empty_ok(&post(&b.http, "/topic/delete?topic=linger", b""));
    assert_eq!(
        get(&b.lookupd, "/topics").text(),
        "{\"topics\":[\"linger\"]}"
    );
    assert_eq!(
        get(&b.lookupd, "/lookup?topic=linger").text(),
        "{\"channels\":[\"ch\"],\"producers\":[]}"
    );
    assert_eq!(
        get(&b.lookupd, "/nodes").json()["producers"][0]["topics"],
        serde_json::json!([])
    );

    // nsqd re-creates the channels lookupd still lists
    assert_empty_ok(&post(&b.http, "/topic/create?topic=linger", b""));
    let t = topic_stats(&b, "linger");
    assert_eq!(t["channels"][0]["channel_name"], "ch");

    assert_empty_ok(&post(&b.http, "/topic/delete?topic=linger", b""));
    assert_empty_ok(&post(&b.lookupd, "/topic/delete?topic=linger", b""));
    assert_eq!(get(&b.lookupd, "/topics").text(), "{\"topics\":[]}");
    assert_error(
        &get(&b.lookupd, "/lookup?topic=linger"),
        404,
        "TOPIC_NOT_FOUND",
    );
}

#[test]
fn ephemeral_registrations_vanish_with_their_last_consumer() {
    let b = DevBroker::start();
    let mut consumer = tcp_client(&b, "eph");
    consumer.send(nsq_cli::protocol::Command::Sub {
        topic: "y#ephemeral",
        channel: "c#ephemeral",
    });
    consumer.expect_ok();
    assert_eq!(
        get(&b.lookupd, "/topics").text(),
        "{\"topics\":[\"y#ephemeral\"]}"
    );
    assert_eq!(
        get(&b.lookupd, "/lookup?topic=y%23ephemeral").text(),
        format!(
            "{{\"channels\":[\"c#ephemeral\"],\"producers\":[{}}}]}}",
            producer_json(&b)
        )
    );
    drop(consumer);
    assert!(wait_until(Duration::from_secs(10), || {
        get(&b.lookupd, "/topics").text() == "{\"topics\":[]}"
    }));
    assert_error(
        &get(&b.lookupd, "/lookup?topic=y%23ephemeral"),
        404,
        "TOPIC_NOT_FOUND",
    );
}
