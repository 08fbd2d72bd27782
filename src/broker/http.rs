//! nsqd's HTTP API: /ping, /info, /pub, /mpub, /stats, topic and channel admin,
//! /config. Status codes, error texts and their check order follow nsqd v1.3.0.

use super::http_api::{route, Reply, Request, Router};
use super::stats::{self, StatsFilter};
use super::topic::Topic;
use super::Nsqd;
use crate::protocol::names::{is_valid_channel_name, is_valid_topic_name};
use crate::protocol::NSQD_VERSION;
use hyper::Method;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

type Result<T> = std::result::Result<T, Reply>;

fn err(status: u16, message: &str) -> Reply {
    Reply::error(status, message)
}

pub fn router(nsqd: &Nsqd) -> Router<Nsqd> {
    let routes = vec![
        route(Method::GET, "/ping", ping),
        route(Method::GET, "/info", info),
        route(Method::POST, "/pub", |n, r| reply(do_pub(n, r))),
        route(Method::POST, "/mpub", |n, r| reply(do_mpub(n, r))),
        route(Method::GET, "/stats", do_stats),
        route(Method::POST, "/topic/create", |n, r| {
            reply(topic_from_query(n, r).map(|_| Reply::empty()))
        }),
        route(Method::POST, "/topic/delete", |n, r| {
            reply(topic_delete(n, r))
        }),
        route(Method::POST, "/topic/empty", |n, r| {
            reply(topic_empty(n, r))
        }),
        route(Method::POST, "/topic/pause", |n, r| {
            reply(topic_pause(n, r, true))
        }),
        route(Method::POST, "/topic/unpause", |n, r| {
            reply(topic_pause(n, r, false))
        }),
        route(Method::POST, "/channel/create", |n, r| {
            reply(channel_create(n, r))
        }),
        route(Method::POST, "/channel/delete", |n, r| {
            reply(channel_delete(n, r))
        }),
        route(Method::POST, "/channel/empty", |n, r| {
            reply(with_channel(n, r, |c| c.empty()))
        }),
        route(Method::POST, "/channel/pause", |n, r| {
            reply(with_channel(n, r, |c| c.set_paused(true)))
        }),
        route(Method::POST, "/channel/unpause", |n, r| {
            reply(with_channel(n, r, |c| c.set_paused(false)))
        }),
        route(Method::GET, "/config/:opt", |n, r| reply(config(n, r))),
        route(Method::PUT, "/config/:opt", |n, r| reply(config(n, r))),
    ];
    // Enough for the largest body any endpoint accepts, plus one byte to tell
    // "exactly at the limit" from "over it".
    let limit = nsqd.opts.max_body_size.max(nsqd.opts.max_msg_size) as usize + 1;
    Router::new(routes, limit)
}

pub async fn serve(nsqd: Arc<Nsqd>, listener: TcpListener) {
    let router = router(&nsqd);
    super::http_api::serve(nsqd, router, listener).await;
}

fn reply(r: Result<Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

/// nsqd's doPing: `OK`, or 500 with `NOK - <error>` after a write failed.
fn ping(n: &Nsqd, _: &Request) -> Reply {
    let mut reply = Reply::plain_text(&n.health());
    if !n.is_healthy() {
        reply.status = hyper::StatusCode::INTERNAL_SERVER_ERROR;
    }
    reply
}

fn port(addr: &std::sync::OnceLock<std::net::SocketAddr>) -> i64 {
    addr.get().map(|a| i64::from(a.port())).unwrap_or(-1)
}

fn nanos(d: Duration) -> u64 {
    d.as_nanos() as u64
}

fn info(n: &Nsqd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Info<'a> {
        version: &'a str,
        broadcast_address: &'a str,
        hostname: &'a str,
        http_port: i64,
        tcp_port: i64,
        start_time: i64,
        max_heartbeat_interval: u64,
        max_output_buffer_size: i64,
        max_output_buffer_timeout: u64,
        max_deflate_level: i64,
    }
    Reply::json(&Info {
        version: NSQD_VERSION,
        broadcast_address: &n.opts.broadcast_address,
        hostname: &n.hostname,
        http_port: port(&n.http_addr),
        tcp_port: port(&n.tcp_addr),
        start_time: n.start_time,
        max_heartbeat_interval: nanos(n.opts.max_heartbeat_interval),
        max_output_buffer_size: n.opts.max_output_buffer_size,
        max_output_buffer_timeout: nanos(n.opts.max_output_buffer_timeout),
        max_deflate_level: n.opts.max_deflate_level,
    })
}

fn check_query(r: &Request) -> Result<()> {
    if r.query.malformed {
        return Err(err(400, "INVALID_REQUEST"));
    }
    Ok(())
}

/// nsqd's getTopicFromQuery: a valid topic name, created if new.
fn topic_from_query(n: &Nsqd, r: &Request) -> Result<Arc<Topic>> {
    check_query(r)?;
    let name = r.query.get("topic").ok_or(err(400, "MISSING_ARG_TOPIC"))?;
    if !is_valid_topic_name(name.as_bytes()) {
        return Err(err(400, "INVALID_TOPIC"));
    }
    Ok(n.get_topic(name))
}

/// A topic named in the query that must exist (no name check, as nsqd).
fn existing_topic(n: &Nsqd, r: &Request) -> Result<Arc<Topic>> {
    check_query(r)?;
    let name = r.query.get("topic").ok_or(err(400, "MISSING_ARG_TOPIC"))?;
    n.topic(name).ok_or(err(404, "TOPIC_NOT_FOUND"))
}

fn do_pub(n: &Nsqd, r: &Request) -> Result<Reply> {
    // The body is checked before the topic, as nsqd does.
    let max = n.opts.max_msg_size as u64;
    if r.content_length.is_some_and(|l| l > max) || r.body.len() as u64 > max {
        return Err(err(413, "MSG_TOO_BIG"));
    }
    if r.body.is_empty() {
        return Err(err(400, "MSG_EMPTY"));
    }
    let topic = topic_from_query(n, r)?;
    let defer = match r.query.get("defer") {
        None => Duration::ZERO,
        Some(s) => {
            let ms: i64 = s.parse().map_err(|_| err(400, "INVALID_DEFER"))?;
            let d = Duration::from_millis(ms.max(0) as u64);
            if ms < 0 || d > n.opts.max_req_timeout {
                return Err(err(400, "INVALID_DEFER"));
            }
            d
        }
    };
    let msg = n.new_message(r.body.clone());
    if n.put(&topic, vec![msg], defer).is_err() {
        return Err(err(503, "EXITING"));
    }
    Ok(Reply::text("OK"))
}

fn do_mpub(n: &Nsqd, r: &Request) -> Result<Reply> {
    let max_body = n.opts.max_body_size as u64;
    if r.content_length.is_some_and(|l| l > max_body) {
        return Err(err(413, "BODY_TOO_BIG"));
    }
    // nsqd creates the topic before reading the body: even a refused MPUB creates it.
    let topic = topic_from_query(n, r)?;
    // Text mode is the default; any binary value other than false/0 means binary.
    let binary = r
        .query
        .get("binary")
        .is_some_and(|v| !matches!(v, "false" | "0"));
    let bodies = if binary {
        if r.body.len() as u64 > max_body {
            return Err(err(413, "BODY_TOO_BIG"));
        }
        parse_binary_mpub(&r.body, n.opts.max_msg_size as u64, max_body)?
    } else {
        split_text_mpub(&r.body, n.opts.max_msg_size as u64, max_body)?
    };
    let msgs = bodies.into_iter().map(|b| n.new_message(b)).collect();
    if n.put(&topic, msgs, Duration::ZERO).is_err() {
        return Err(err(503, "EXITING"));
    }
    Ok(Reply::text("OK"))
}

/// One message per line; blank lines are skipped, a last line without `\n` counts.
/// Lines are checked in order, so a long line can fail before an oversized body.
fn split_text_mpub(body: &bytes::Bytes, max_msg: u64, max_body: u64) -> Result<Vec<bytes::Bytes>> {
    let read_max = max_body + 1;
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut start = 0;
    while start < body.len() {
        let end = body[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map(|i| start + i + 1)
            .unwrap_or(body.len());
        total += (end - start) as u64;
        if total == read_max {
            return Err(err(413, "BODY_TOO_BIG"));
        }
        let line = body.slice(start..end);
        let line = line
            .strip_suffix(b"\n")
            .map_or(line.clone(), |l| line.slice(..l.len()));
        start = end;
        if line.is_empty() {
            continue;
        }
        if line.len() as u64 > max_msg {
            return Err(err(413, "MSG_TOO_BIG"));
        }
        out.push(line);
    }
    Ok(out)
}

/// `[count][size][bytes]...` as MPUB's body on the TCP protocol.
fn parse_binary_mpub(
    body: &bytes::Bytes,
    max_msg: u64,
    max_body: u64,
) -> Result<Vec<bytes::Bytes>> {
    let read_u32 = |at: usize| -> Option<i32> {
        let b = body.get(at..at + 4)?;
        Some(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let bad_body = || err(413, "BAD_BODY");
    let bad_message = || err(413, "BAD_MESSAGE");
    let count = read_u32(0).ok_or_else(bad_body)?;
    let max_messages = (max_body as i64 - 4) / 5;
    if count <= 0 || i64::from(count) > max_messages {
        return Err(bad_body());
    }
    let mut at = 4;
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let size = read_u32(at).ok_or_else(bad_message)?;
        if size <= 0 || size as u64 > max_msg {
            return Err(bad_message());
        }
        at += 4;
        let end = at + size as usize;
        if end > body.len() {
            return Err(bad_message());
        }
        out.push(body.slice(at..end));
        at = end;
    }
    Ok(out)
}

fn topic_delete(n: &Nsqd, r: &Request) -> Result<Reply> {
    check_query(r)?;
    let name = r.query.get("topic").ok_or(err(400, "MISSING_ARG_TOPIC"))?;
    if !n.delete_topic(name) {
        return Err(err(404, "TOPIC_NOT_FOUND"));
    }
    Ok(Reply::empty())
}

fn topic_empty(n: &Nsqd, r: &Request) -> Result<Reply> {
    check_query(r)?;
    let name = r.query.get("topic").ok_or(err(400, "MISSING_ARG_TOPIC"))?;
    if !is_valid_topic_name(name.as_bytes()) {
        return Err(err(400, "INVALID_TOPIC"));
    }
    let topic = n.topic(name).ok_or(err(404, "TOPIC_NOT_FOUND"))?;
    topic.empty();
    Ok(Reply::empty())
}

fn topic_pause(n: &Nsqd, r: &Request, paused: bool) -> Result<Reply> {
    existing_topic(n, r)?.set_paused(paused);
    Ok(Reply::empty())
}

/// nsqd's getExistingTopicFromQuery: all argument checks, then the topic lookup.
fn topic_and_channel(n: &Nsqd, r: &Request) -> Result<(Arc<Topic>, String)> {
    check_query(r)?;
    let topic = r.query.get("topic").ok_or(err(400, "MISSING_ARG_TOPIC"))?;
    if !is_valid_topic_name(topic.as_bytes()) {
        return Err(err(400, "INVALID_ARG_TOPIC"));
    }
    let channel = r
        .query
        .get("channel")
        .ok_or(err(400, "MISSING_ARG_CHANNEL"))?;
    if !is_valid_channel_name(channel.as_bytes()) {
        return Err(err(400, "INVALID_ARG_CHANNEL"));
    }
    let t = n.topic(topic).ok_or(err(404, "TOPIC_NOT_FOUND"))?;
    Ok((t, channel.to_string()))
}

fn channel_create(n: &Nsqd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(n, r)?;
    n.get_channel(&topic, &channel);
    Ok(Reply::empty())
}

fn channel_delete(n: &Nsqd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(n, r)?;
    if !n.delete_channel(&topic, &channel) {
        return Err(err(404, "CHANNEL_NOT_FOUND"));
    }
    Ok(Reply::empty())
}

fn with_channel(n: &Nsqd, r: &Request, f: impl FnOnce(&super::channel::Channel)) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(n, r)?;
    let ch = topic
        .channel(&channel)
        .ok_or(err(404, "CHANNEL_NOT_FOUND"))?;
    f(&ch);
    Ok(Reply::empty())
}

/// nsqd's boolean query values; anything else (or nothing) means true.
fn bool_param(r: &Request, key: &str) -> bool {
    !matches!(r.query.get(key), Some("false" | "0"))
}

fn do_stats(n: &Nsqd, r: &Request) -> Reply {
    if r.query.malformed {
        return err(400, "INVALID_REQUEST");
    }
    let filter = StatsFilter {
        topic: r.query.get("topic").unwrap_or_default().to_string(),
        channel: r.query.get("channel").unwrap_or_default().to_string(),
        include_clients: bool_param(r, "include_clients"),
        include_mem: bool_param(r, "include_mem"),
    };
    let s = stats::collect(n, &filter);
    if r.query.get("format") == Some("json") {
        Reply::json(&s)
    } else {
        Reply::text(stats::render_text(&s))
    }
}

/// GET (or PUT, for the two options nsqd lets change at runtime) /config/<opt>.
fn config(n: &Nsqd, r: &Request) -> Result<Reply> {
    let opt = r.param.as_str();
    if r.method == Method::PUT {
        if r.body.is_empty() || r.body.len() as i64 > n.opts.max_msg_size {
            return Err(err(413, "INVALID_VALUE"));
        }
        // We keep no lookupd TCP links or log levels to change: accept what nsqd
        // would accept, and report the (unchanged) value like a GET.
        match opt {
            "nsqlookupd_tcp_addresses" => {
                serde_json::from_slice::<Vec<String>>(&r.body)
                    .map_err(|_| err(400, "INVALID_VALUE"))?;
            }
            "log_level" => {
                let level = String::from_utf8_lossy(&r.body).to_lowercase();
                if !matches!(
                    level.as_str(),
                    "debug" | "info" | "warn" | "error" | "fatal"
                ) {
                    return Err(err(400, "INVALID_VALUE"));
                }
            }
            _ => return Err(err(400, "INVALID_OPTION")),
        }
    }
    let o = &n.opts;
    let value = match opt {
        "tcp_address" => serde_json::json!(o.tcp_address),
        "http_address" => serde_json::json!(o.http_address),
        "broadcast_address" => serde_json::json!(o.broadcast_address),
        "nsqlookupd_tcp_addresses" => serde_json::json!([]),
        "log_level" => serde_json::json!(2),
        "max_msg_size" => serde_json::json!(o.max_msg_size),
        "max_body_size" => serde_json::json!(o.max_body_size),
        "max_rdy_count" => serde_json::json!(o.max_rdy_count),
        "max_req_timeout" => serde_json::json!(nanos(o.max_req_timeout)),
        "msg_timeout" => serde_json::json!(nanos(o.msg_timeout)),
        "max_msg_timeout" => serde_json::json!(nanos(o.max_msg_timeout)),
        "max_heartbeat_interval" => serde_json::json!(nanos(o.max_heartbeat_interval)),
        "output_buffer_timeout" => serde_json::json!(nanos(o.output_buffer_timeout)),
        "min_output_buffer_timeout" => serde_json::json!(nanos(o.min_output_buffer_timeout)),
        "max_output_buffer_timeout" => serde_json::json!(nanos(o.max_output_buffer_timeout)),
        "max_output_buffer_size" => serde_json::json!(o.max_output_buffer_size),
        "max_deflate_level" => serde_json::json!(o.max_deflate_level),
        _ => return Err(err(400, "INVALID_OPTION")),
    };
    Ok(Reply::json(&value))
}
