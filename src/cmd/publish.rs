//! `nsq-cli publish`: stream messages from a flag, stdin or a file into a topic,
//! batched into MPUBs with a bounded number in flight, exit 0 only when nsqd
//! acknowledged every message.

use crate::cli::PublishArgs;
use crate::client::conn::ConnectOptions;
use crate::client::producer::{Limits, Producer, ProducerOptions, Publish};
use crate::cmd::signals::{Signals, Stop};
use crate::output;
use crate::protocol::names::check_topic_name;
use bytes::{Bytes, BytesMut};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long a partial batch waits for more input before it is sent anyway, so that
/// messages typed or trickling in are published promptly.
const LINGER: Duration = Duration::from_millis(5);
/// Bytes read from the input at a time.
const READ_CHUNK: usize = 256 * 1024;

use super::refuse;

pub use super::escape::parse_delimiter;

/// A `--count` message template.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(Vec<u8>),
    Count,
    Time,
    Unix,
    UnixNano,
    Id,
    Random(usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    /// The --message it was parsed from.
    source: String,
}

const TEMPLATE_NAMES: &str = "{{Count}} {{Time}} {{Unix}} {{UnixNano}} {{ID}} {{Random min max}}";

impl Template {
    pub fn parse(s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                return Err(format!(
                    "unclosed template in --message at {:?}: expected }}}}",
                    &rest[start..]
                ));
            };
            if start > 0 {
                parts.push(Part::Text(rest.as_bytes()[..start].to_vec()));
            }
            let inner = &rest[start + 2..start + len];
            let words: Vec<&str> = inner.split_whitespace().collect();
            let part = match words.as_slice() {
                ["Count"] => Part::Count,
                ["Time"] => Part::Time,
                ["Unix"] => Part::Unix,
                ["UnixNano"] => Part::UnixNano,
                ["ID"] => Part::Id,
                ["Random", a, b] => {
                    let (min, max) = match (a.parse::<usize>(), b.parse::<usize>()) {
                        (Ok(min), Ok(max)) if min <= max && max > 0 => (min, max),
                        _ => {
                            return Err(format!(
                                "invalid template {{{{{inner}}}}}: Random needs two whole numbers, min <= max, max >= 1"
                            ))
                        }
                    };
                    Part::Random(min, max)
                }
                _ => {
                    return Err(format!(
                        "unknown template {{{{{inner}}}}} in --message (known: {TEMPLATE_NAMES})"
                    ))
                }
            };
            parts.push(part);
            rest = &rest[start + len + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.as_bytes().to_vec()));
        }
        Ok(Template {
            parts,
            source: s.to_string(),
        })
    }

    /// Refuses a template that can expand to more than `max_msg_size` bytes (with
    /// `count` messages), naming the part that does, before anything is sent.
    pub fn check_size(&self, count: u64, max_msg_size: usize) -> Result<(), String> {
        let over = |what: String, len: u128| {
            format!(
                "invalid --message template {what}: it can expand to {len} bytes, over nsqd's \
                 max message size of {max_msg_size} bytes (see --max-msg-size)"
            )
        };
        let mut total: u128 = 0;
        for p in &self.parts {
            let len = match p {
                Part::Text(t) => t.len() as u128,
                Part::Count => count.to_string().len() as u128,
                // RFC 3339 with milliseconds; a u64 of seconds or nanoseconds; 16 + up to 16 hex digits.
                Part::Time => 24,
                Part::Unix | Part::UnixNano => 20,
                Part::Id => 32,
                Part::Random(min, max) => {
                    if *max as u128 > max_msg_size as u128 {
                        return Err(over(format!("{{{{Random {min} {max}}}}}"), *max as u128));
                    }
                    *max as u128
                }
            };
            total += len;
        }
        if total > max_msg_size as u128 {
            return Err(over(format!("{:?}", self.source), total));
        }
        Ok(())
    }

    fn render(&self, count: u64, id_prefix: u64, out: &mut Vec<u8>) {
        use rand::Rng;
        use std::io::Write;
        let now = std::time::SystemTime::now();
        let since = now
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.extend_from_slice(t),
                Part::Count => {
                    let _ = write!(out, "{count}");
                }
                Part::Time => {
                    let _ = write!(out, "{}", humantime::format_rfc3339_millis(now));
                }
                Part::Unix => {
                    let _ = write!(out, "{}", since.as_secs());
                }
                Part::UnixNano => {
                    let _ = write!(out, "{}", since.as_nanos());
                }
                Part::Id => {
                    let _ = write!(out, "{id_prefix:016x}{count:08x}");
                }
                Part::Random(min, max) => {
                    let mut rng = rand::rng();
                    let n = rng.random_range(*min..=*max);
                    out.extend((0..n).map(|_| rng.sample(rand::distr::Alphanumeric)));
                }
            }
        }
    }
}

/// One message from the input, with where it came from (for resuming).
#[derive(Debug, Clone)]
pub struct InputMsg {
    pub body: Bytes,
    /// 1-based line (record) number in the input, counting skipped empty ones.
    pub record: u64,
    /// Byte offset of the message's first byte in the input.
    pub offset: u64,
}

#[derive(Debug)]
enum InputItem {
    Msgs {
        msgs: Vec<InputMsg>,
        skipped: u64,
    },
    Error(String),
    /// A message nsqd would refuse (exit 2 when nothing was sent yet).
    Refused(String),
}

/// What a record is called in messages to the user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordName {
    Line,
    Record,
    Message,
}

impl RecordName {
    fn singular(self) -> &'static str {
        match self {
            RecordName::Line => "line",
            RecordName::Record => "record",
            RecordName::Message => "message",
        }
    }
}

/// Splits a byte stream on `delim`, handing complete messages to `emit` in groups.
/// Empty messages are skipped and counted; a message longer than `max_msg_size`
/// stops the split with an error naming its record (without reading all of it).
pub fn split_stream(
    mut input: impl Read,
    delim: &[u8],
    max_msg_size: usize,
    name: RecordName,
    mut emit: impl FnMut(Vec<InputMsg>, u64) -> bool,
) -> Result<(), String> {
    let finder = memchr::memmem::Finder::new(delim);
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    let mut record: u64 = 0;
    let mut offset: u64 = 0; // input offset of buf[0]
    let mut scan_from = 0;
    let mut eof = false;
    let too_big = |record: u64, len: Option<usize>| {
        let size = match len {
            Some(len) => format!("is {len} bytes"),
            None => "is longer than that".to_string(),
        };
        format!(
            "{} {record} is over nsqd's max message size of {max_msg_size} bytes (see --max-msg-size): it {size}",
            name.singular()
        )
    };
    // Reads land in a buffer zeroed once, then are copied in: cheaper than zeroing
    // fresh space in `buf` for every (possibly tiny) read from a pipe.
    let mut chunk_buf = vec![0u8; READ_CHUNK];
    while !eof {
        let n = loop {
            match input.read(&mut chunk_buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(format!(
                        "cannot read the input: {}",
                        crate::client::conn::describe_io(&e)
                    ))
                }
            }
        };
        buf.extend_from_slice(&chunk_buf[..n]);
        eof = n == 0;
        let mut msgs = Vec::new();
        let mut skipped = 0;
        loop {
            let found = finder.find(&buf[scan_from..]).map(|i| i + scan_from);
            let end = match found {
                Some(end) => end,
                None if eof && !buf.is_empty() => buf.len(),
                None => break,
            };
            record += 1;
            let take = (end + delim.len()).min(buf.len());
            let chunk = buf.split_to(take).freeze();
            let body = chunk.slice(..end);
            scan_from = 0;
            if body.is_empty() {
                skipped += 1;
            } else if body.len() > max_msg_size {
                return Err(too_big(record, Some(body.len())));
            } else {
                msgs.push(InputMsg {
                    body,
                    record,
                    offset,
                });
            }
            offset += take as u64;
        }
        // The tail may end with the start of a delimiter: only more than that is
        // sure to be an oversized record.
        if buf.len() > max_msg_size.saturating_add(delim.len() - 1) {
            return Err(too_big(record + 1, None));
        }
        scan_from = buf.len().saturating_sub(delim.len() - 1);
        if (!msgs.is_empty() || skipped > 0) && !emit(msgs, skipped) {
            return Ok(());
        }
    }
    Ok(())
}

/// Checks that no record is longer than `max_msg_size`, without building messages
/// (the pre-flight pass over a --file).
pub fn check_record_sizes(
    mut input: impl Read,
    delim: &[u8],
    max_msg_size: usize,
    name: RecordName,
) -> Result<(), String> {
    let finder = memchr::memmem::Finder::new(delim);
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK * 4);
    let mut record: u64 = 0;
    let over = |record: u64| {
        format!(
            "{} {record} is over nsqd's max message size of {max_msg_size} bytes (see --max-msg-size)",
            name.singular()
        )
    };
    loop {
        let len = buf.len();
        buf.resize(len + READ_CHUNK * 2, 0);
        let n = loop {
            match input.read(&mut buf[len..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(format!(
                        "cannot read the input: {}",
                        crate::client::conn::describe_io(&e)
                    ))
                }
            }
        };
        buf.truncate(len + n);
        let mut start = 0;
        for pos in finder.find_iter(&buf) {
            if pos < start {
                continue; // overlapping match of a repetitive delimiter
            }
            record += 1;
            if pos - start > max_msg_size {
                return Err(over(record));
            }
            start = pos + delim.len();
        }
        buf.drain(..start);
        // Before the end, the tail may end with the start of a delimiter; at the
        // end it is the whole last record.
        let slack = if n == 0 { 0 } else { delim.len() - 1 };
        if buf.len() > max_msg_size.saturating_add(slack) {
            return Err(over(record + 1));
        }
        if n == 0 {
            return Ok(());
        }
    }
}

/// Where messages come from.
enum Source {
    /// --message, possibly repeated with templates.
    Message {
        text: String,
        count: u64,
        template: Option<Template>,
    },
    /// All of the input as one message, read before connecting.
    Whole(Bytes),
    /// The input split on a delimiter.
    Stream {
        reader: Box<dyn Read + Send>,
        delim: Vec<u8>,
    },
}

/// Runs the input on its own thread (reads block), sending groups of messages.
fn spawn_input(source: Source, max_msg_size: usize, name: RecordName) -> mpsc::Receiver<InputItem> {
    let (tx, rx) = mpsc::channel::<InputItem>(4);
    std::thread::spawn(move || {
        let send = |item: InputItem| tx.blocking_send(item).is_ok();
        match source {
            Source::Message {
                text,
                count,
                template,
            } => {
                let id_prefix: u64 = rand::random();
                let mut group = Vec::with_capacity(1024);
                for i in 1..=count {
                    let body = match &template {
                        Some(t) => {
                            let mut v = Vec::with_capacity(text.len() + 16);
                            t.render(i, id_prefix, &mut v);
                            Bytes::from(v)
                        }
                        None => Bytes::from(text.clone().into_bytes()),
                    };
                    if body.is_empty() {
                        let _ = send(InputItem::Refused(format!(
                            "message {i} expands to an empty message, which NSQ refuses"
                        )));
                        return;
                    }
                    if body.len() > max_msg_size {
                        let what = format!("message {i}");
                        let _ = send(InputItem::Refused(over_max(
                            &what,
                            Some(body.len()),
                            max_msg_size,
                        )));
                        return;
                    }
                    group.push(InputMsg {
                        body,
                        record: i,
                        offset: 0,
                    });
                    if group.len() == 1024 {
                        let g = std::mem::replace(&mut group, Vec::with_capacity(1024));
                        if !send(InputItem::Msgs {
                            msgs: g,
                            skipped: 0,
                        }) {
                            return;
                        }
                    }
                }
                if !group.is_empty() {
                    send(InputItem::Msgs {
                        msgs: group,
                        skipped: 0,
                    });
                }
            }
            Source::Whole(body) => {
                // Read and checked against --max-msg-size before connecting; a
                // server that advertises a smaller limit still refuses it here.
                let item = if body.len() > max_msg_size {
                    InputItem::Refused(over_max("the input", Some(body.len()), max_msg_size))
                } else {
                    InputItem::Msgs {
                        msgs: vec![InputMsg {
                            body,
                            record: 1,
                            offset: 0,
                        }],
                        skipped: 0,
                    }
                };
                send(item);
            }
            Source::Stream { reader, delim } => {
                let r = split_stream(reader, &delim, max_msg_size, name, |msgs, skipped| {
                    send(InputItem::Msgs { msgs, skipped })
                });
                if let Err(e) = r {
                    send(InputItem::Error(e));
                }
            }
        }
    });
    rx
}

/// A batch sent and not yet acknowledged by every node it went to.
struct Pending {
    publish: Publish,
    nodes_left: usize,
    count: u64,
    bytes: u64,
    first_record: u64,
    first_offset: u64,
}

/// One nsqd we publish to, over TCP or HTTP.
enum Node {
    Tcp(Producer<u64>),
    Http(HttpNode),
}

struct NodeFailure {
    error: String,
    /// Retrying would fail the same way (see `PublishError::is_permanent`).
    permanent: bool,
    unacked: Vec<u64>,
}

impl Node {
    async fn send(&mut self, p: Publish, seq: u64) -> Result<(), NodeFailure> {
        match self {
            Node::Tcp(prod) => prod.send(p, seq).await.map_err(|f| NodeFailure {
                error: f.error.to_string(),
                permanent: f.error.is_permanent(),
                unacked: f.unacked,
            }),
            Node::Http(h) => h.send(p, seq).await,
        }
    }

    fn take_acked(&mut self) -> Vec<u64> {
        match self {
            Node::Tcp(p) => p.take_acked(),
            Node::Http(h) => std::mem::take(&mut h.acked),
        }
    }

    async fn flush(&mut self) -> Result<(), NodeFailure> {
        match self {
            Node::Tcp(prod) => prod.flush().await.map_err(|f| NodeFailure {
                error: f.error.to_string(),
                permanent: f.error.is_permanent(),
                unacked: f.unacked,
            }),
            Node::Http(_) => Ok(()),
        }
    }

    fn limits(&self) -> Limits {
        match self {
            Node::Tcp(p) => p.limits(),
            Node::Http(h) => h.limits,
        }
    }
}

struct HttpNode {
    client: reqwest::Client,
    /// `http(s)://host:port`.
    base: String,
    /// As people write it, for messages.
    addr: String,
    /// --http-timeout, for messages.
    timeout: Duration,
    topic: String,
    limits: Limits,
    acked: Vec<u64>,
}

impl HttpNode {
    async fn send(&mut self, p: Publish, seq: u64) -> Result<(), NodeFailure> {
        let topic = &self.topic;
        let (url, body) = match p {
            Publish::Pub(b) => (format!("{}/pub?topic={topic}", self.base), b.to_vec()),
            Publish::Dpub { defer_ms, body } => (
                format!("{}/pub?topic={topic}&defer={defer_ms}", self.base),
                body.to_vec(),
            ),
            Publish::Mpub(bodies) => {
                let mut out = BytesMut::new();
                // The binary /mpub body is an MPUB body: count, then size + bytes each.
                crate::protocol::command::encode_mpub(&mut out, topic, &bodies);
                let head = format!("MPUB {topic}\n").len() + 4;
                (
                    format!("{}/mpub?topic={topic}&binary=true", self.base),
                    out[head..].to_vec(),
                )
            }
        };
        let fail = |error: String, permanent: bool| NodeFailure {
            error,
            permanent,
            unacked: vec![seq],
        };
        let resp = self
            .client
            .post(&url)
            .body(body)
            .send()
            .await
            .map_err(|e| fail(describe_reqwest(&self.addr, self.timeout, &e), false))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            // 4xx: the request itself is refused (bad topic, too big); 5xx may pass.
            return Err(fail(
                format!(
                    "nsqd at {} (HTTP) refused the publish: {status} {}",
                    self.addr,
                    text.trim()
                ),
                status.is_client_error(),
            ));
        }
        self.acked.push(seq);
        Ok(())
    }
}

fn describe_reqwest(addr: &str, timeout: Duration, e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!(
            "request to nsqd at {addr} (HTTP) timed out after {} (--http-timeout)",
            humantime::format_duration(timeout)
        );
    }
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let what = if e.is_connect() {
                "cannot connect to"
            } else {
                "lost the connection to"
            };
            return format!(
                "{what} nsqd at {addr} (HTTP): {}",
                crate::client::conn::describe_io(io)
            );
        }
        src = s.source();
    }
    if e.is_connect() {
        return format!("cannot connect to nsqd at {addr} (HTTP): {e}");
    }
    format!("request to nsqd at {addr} (HTTP) failed: {e}")
}

struct Publisher {
    topic: String,
    http: bool,
    /// What each node is reached at: `host:port` over TCP, `http(s)://host:port` over HTTP.
    addrs: Vec<String>,
    /// Messages each node acknowledged (index as in `addrs`).
    node_acked: Vec<u64>,
    http_timeout: Duration,
    skipped: u64,
    popts: ProducerOptions,
    http_client: Option<reqwest::Client>,
    nodes: Vec<Node>,
    retries_left: u32,
    retry_total: u32,
    pending: BTreeMap<u64, Pending>,
    next_seq: u64,
    /// Record number and byte offset just after the last message dispatched.
    after_last: (u64, u64),
    delim_len: u64,
    acked_msgs: u64,
    acked_bytes: u64,
    sent_msgs: u64,
    progress: indicatif::ProgressBar,
}

impl Publisher {
    /// Connects every node (with --retry's reconnects).
    async fn connect_all(&mut self) -> Result<(), String> {
        for i in self.nodes.len()..self.addrs.len() {
            let node = match self.connect_node(i).await {
                Ok(n) => n,
                Err((e, permanent)) => self.retry_connect(i, &e, permanent).await?,
            };
            self.nodes.push(node);
        }
        Ok(())
    }

    /// The smallest limits across nodes: they apply to every batch.
    fn limits(&self) -> Limits {
        self.nodes
            .iter()
            .map(|n| n.limits())
            .reduce(|a, b| Limits {
                max_msg_size: a.max_msg_size.min(b.max_msg_size),
                max_body_size: a.max_body_size.min(b.max_body_size),
            })
            .unwrap_or(self.popts.limits)
    }

    /// The first message not acknowledged: the earliest pending one, or else the
    /// first one not sent yet.
    fn resume(&self, name: RecordName) -> Resume {
        let (number, byte_offset) = self
            .pending
            .values()
            .min_by_key(|pb| pb.first_record)
            .map(|pb| (pb.first_record, pb.first_offset))
            .unwrap_or(self.after_last);
        Resume {
            unit: name.singular(),
            number,
            byte_offset,
        }
    }

    fn node_summaries(&self) -> Vec<NodeSummary> {
        self.addrs
            .iter()
            .zip(&self.node_acked)
            .map(|(a, &acknowledged)| NodeSummary {
                node: crate::http::display_addr(a),
                acknowledged,
            })
            .collect()
    }

    /// Connects node `i`; on failure, the error and whether it is permanent.
    async fn connect_node(&self, i: usize) -> Result<Node, (String, bool)> {
        let addr = &self.addrs[i];
        if self.http {
            Ok(Node::Http(HttpNode {
                client: self.http_client.clone().expect("http client"),
                base: addr.clone(),
                addr: crate::http::display_addr(addr),
                timeout: self.http_timeout,
                topic: self.topic.clone(),
                limits: self.popts.limits,
                acked: Vec::new(),
            }))
        } else {
            Producer::connect(addr, &self.topic, &self.popts)
                .await
                .map(Node::Tcp)
                .map_err(|e| (e.to_string(), e.is_permanent()))
        }
    }

    /// Uses one retry: waits a little, then reconnects node `i`. A permanent
    /// failure is returned at once, without spending retries on it.
    async fn retry_connect(
        &mut self,
        i: usize,
        why: &str,
        permanent: bool,
    ) -> Result<Node, String> {
        let mut why = why.to_string();
        let mut permanent = permanent;
        loop {
            if self.retries_left == 0 || permanent {
                return Err(why);
            }
            self.retries_left -= 1;
            let attempt = self.retry_total - self.retries_left;
            output::warn(&format!(
                "{why}; reconnecting (retry {attempt} of {})",
                self.retry_total
            ));
            tokio::time::sleep(Duration::from_millis(250 * u64::from(attempt.min(8)))).await;
            match self.connect_node(i).await {
                Ok(n) => return Ok(n),
                Err((e, p)) => (why, permanent) = (e, p),
            }
        }
    }

    fn collect_acks(&mut self) {
        let before = self.acked_msgs;
        for i in 0..self.nodes.len() {
            for seq in self.nodes[i].take_acked() {
                self.ack(i, seq);
            }
        }
        if self.acked_msgs != before {
            output::debug(&format!("{} messages acknowledged", self.acked_msgs));
        }
    }

    fn has_in_flight(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| matches!(n, Node::Tcp(p) if p.in_flight() > 0))
    }

    /// Waits for an acknowledgement (or failure) from a node with commands in flight,
    /// so that acks are counted and failures noticed while the input is idle.
    async fn wait_progress(&mut self) {
        for n in self.nodes.iter_mut() {
            if let Node::Tcp(p) = n {
                if p.in_flight() > 0 {
                    p.wait_progress().await;
                    return;
                }
            }
        }
        std::future::pending::<()>().await
    }

    /// Recovers (or gives up on) nodes that failed while nothing was being sent.
    async fn check_failures(&mut self) -> Result<(), String> {
        self.collect_acks();
        for i in 0..self.nodes.len() {
            let failure = match &mut self.nodes[i] {
                Node::Tcp(p) => p.take_failure(),
                Node::Http(_) => None,
            };
            if let Some(f) = failure {
                let f = NodeFailure {
                    error: f.error.to_string(),
                    permanent: f.error.is_permanent(),
                    unacked: f.unacked,
                };
                self.recover(i, f).await?;
            }
        }
        Ok(())
    }

    /// Node `i` acknowledged batch `seq`.
    fn ack(&mut self, i: usize, seq: u64) {
        if let Some(p) = self.pending.get_mut(&seq) {
            self.node_acked[i] += p.count;
            p.nodes_left -= 1;
            if p.nodes_left == 0 {
                let p = self.pending.remove(&seq).unwrap();
                self.acked_msgs += p.count;
                self.acked_bytes += p.bytes;
                self.progress.inc(p.count);
            }
        }
    }

    /// Sends batch `seq` to node `i`, reconnecting and resending on failure while
    /// retries last.
    async fn send_to(&mut self, i: usize, seq: u64) -> Result<(), String> {
        let publish = self.pending[&seq].publish.clone();
        match self.nodes[i].send(publish, seq).await {
            Ok(()) => Ok(()),
            Err(f) => self.recover(i, f).await,
        }
    }

    /// After node `i` failed: reconnect and resend everything it had not acknowledged.
    async fn recover(&mut self, i: usize, mut f: NodeFailure) -> Result<(), String> {
        self.collect_acks();
        for seq in self.nodes[i].take_acked() {
            self.ack(i, seq);
        }
        'retry: loop {
            let node = self.retry_connect(i, &f.error, f.permanent).await?;
            self.nodes[i] = node;
            let resend = std::mem::take(&mut f.unacked);
            for (k, &seq) in resend.iter().enumerate() {
                let publish = self.pending[&seq].publish.clone();
                if let Err(mut g) = self.nodes[i].send(publish, seq).await {
                    g.unacked.extend_from_slice(&resend[k + 1..]);
                    for seq in self.nodes[i].take_acked() {
                        self.ack(i, seq);
                    }
                    f = g;
                    continue 'retry;
                }
            }
            return Ok(());
        }
    }

    async fn dispatch(
        &mut self,
        mut batch: Vec<InputMsg>,
        defer_ms: Option<u64>,
        all_nodes: bool,
    ) -> Result<(), String> {
        let n = self.nodes.len();
        if all_nodes || n == 1 || batch.len() == 1 {
            return self.dispatch_one(batch, defer_ms, all_nodes).await;
        }
        // Round-robin by message, not by batch, so that even one batch is spread:
        // contiguous parts keep each node's share in input order.
        let parts = n.min(batch.len());
        let mut rest = batch.len();
        for k in 0..parts {
            let take = rest.div_ceil(parts - k);
            let tail = batch.split_off(take);
            let part = std::mem::replace(&mut batch, tail);
            rest -= take;
            self.dispatch_one(part, defer_ms, false).await?;
        }
        Ok(())
    }

    async fn dispatch_one(
        &mut self,
        batch: Vec<InputMsg>,
        defer_ms: Option<u64>,
        all_nodes: bool,
    ) -> Result<(), String> {
        let seq = self.next_seq;
        self.next_seq += 1;
        let count = batch.len() as u64;
        let bytes = batch.iter().map(|m| m.body.len() as u64).sum();
        let first_record = batch[0].record;
        let first_offset = batch[0].offset;
        let last = &batch[batch.len() - 1];
        self.after_last = (
            last.record + 1,
            last.offset + last.body.len() as u64 + self.delim_len,
        );
        let bodies: Vec<Bytes> = batch.into_iter().map(|m| m.body).collect();
        let publish = match defer_ms {
            Some(defer_ms) => Publish::Dpub {
                defer_ms,
                body: bodies.into_iter().next().unwrap(),
            },
            None => Publish::batch(bodies),
        };
        let targets: Vec<usize> = if all_nodes {
            (0..self.nodes.len()).collect()
        } else {
            vec![(seq % self.nodes.len() as u64) as usize]
        };
        self.pending.insert(
            seq,
            Pending {
                publish,
                nodes_left: targets.len(),
                count,
                bytes,
                first_record,
                first_offset,
            },
        );
        self.sent_msgs += count;
        for i in targets {
            self.send_to(i, seq).await?;
        }
        self.collect_acks();
        Ok(())
    }

    async fn flush_all(&mut self) -> Result<(), String> {
        for i in 0..self.nodes.len() {
            loop {
                match self.nodes[i].flush().await {
                    Ok(()) => break,
                    Err(f) => self.recover(i, f).await?,
                }
            }
            self.collect_acks();
        }
        Ok(())
    }

    /// After a failure or a signal: collect what the nodes still acknowledge of
    /// what is in flight, waiting at most `limit`.
    async fn settle(&mut self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        for i in 0..self.nodes.len() {
            if let Node::Tcp(p) = &mut self.nodes[i] {
                let _ = tokio::time::timeout_at(deadline, p.flush()).await;
            }
        }
        self.collect_acks();
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    ok: bool,
    topic: &'a str,
    nodes: Vec<NodeSummary>,
    transport: &'static str,
    messages: u64,
    bytes: u64,
    seconds: f64,
    messages_per_second: f64,
    skipped_empty: u64,
    sent: u64,
    error: Option<String>,
    /// Where the first unacknowledged message is in the input.
    resume: Option<Resume>,
}

/// One node of the JSON summary: what it acknowledged.
#[derive(serde::Serialize)]
struct NodeSummary {
    node: String,
    acknowledged: u64,
}

#[derive(serde::Serialize, Clone, Copy)]
struct Resume {
    unit: &'static str,
    number: u64,
    byte_offset: u64,
}

fn open_input(args: &PublishArgs) -> anyhow::Result<(Box<dyn Read + Send>, Option<u64>)> {
    match &args.file {
        Some(path) => {
            let f = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => {
                    return refuse(format!(
                        "cannot read --file {}: {}",
                        path.display(),
                        crate::client::conn::describe_io(&e)
                    ))
                }
            };
            let meta = f.metadata().ok();
            if meta.as_ref().is_some_and(|m| m.is_dir()) {
                return refuse(format!(
                    "cannot read --file {}: it is a directory",
                    path.display()
                ));
            }
            let len = meta.filter(|m| m.is_file()).map(|m| m.len());
            Ok((Box::new(f), len))
        }
        None => Ok((Box::new(std::io::stdin()), None)),
    }
}

/// The one wording for a message over the size limit: `what` is `the --message`,
/// `--file PATH`, `the input`, `message 7`.
fn over_max(what: &str, len: Option<usize>, max: usize) -> String {
    let size = len.map(|l| format!(" {l} bytes,")).unwrap_or_default();
    format!("{what} is{size} over nsqd's max message size of {max} bytes (see --max-msg-size)")
}

/// The one wording for an empty message.
fn empty_refusal(what: &str) -> String {
    format!("{what} is empty, and NSQ refuses empty messages")
}

/// Reads all of the input for --whole before connecting (at most one byte over
/// the limit): an empty, oversized or unreadable input is refused (exit 2).
async fn read_whole(args: &PublishArgs, max: usize) -> anyhow::Result<Bytes> {
    let what = match &args.file {
        Some(path) => format!("--file {}", path.display()),
        None => "the input".to_string(),
    };
    let (reader, len) = open_input(args)?;
    if let Some(len) = len.filter(|&l| l > max as u64) {
        return refuse(over_max(&what, Some(len as usize), max));
    }
    let read = tokio::task::spawn_blocking(move || {
        let mut body = Vec::new();
        reader
            .take(max as u64 + 1)
            .read_to_end(&mut body)
            .map(|_| body)
    })
    .await?;
    match read {
        Err(e) => refuse(format!(
            "cannot read {what}: {}",
            crate::client::conn::describe_io(&e)
        )),
        Ok(body) if body.is_empty() => refuse(empty_refusal(&what)),
        Ok(body) if body.len() > max => refuse(over_max(&what, None, max)),
        Ok(body) => Ok(Bytes::from(body)),
    }
}

/// The nodes to publish to, checked (exit 2 on a malformed one) and without
/// repeats: `host:port` over TCP, `http(s)://host:port` with --http.
fn node_addresses(args: &PublishArgs) -> anyhow::Result<Vec<String>> {
    let (flag, given) = if args.http {
        ("--nsqd-http-address", &args.nsqd_http_address)
    } else {
        ("--nsqd-tcp-address", &args.nsqd_tcp_address)
    };
    let given: Vec<String> = given
        .iter()
        .filter(|a| !a.trim().is_empty())
        .cloned()
        .collect();
    if given.is_empty() {
        return refuse(format!("no nsqd address given ({flag})"));
    }
    let checked = if args.http {
        given
            .iter()
            .map(|a| crate::http::base_url(a).map_err(|e| format!("{flag}: {e}")))
            .collect()
    } else {
        crate::addr::tcp_addresses(flag, &given)
    };
    let checked = match checked {
        Ok(c) => c,
        Err(e) => return refuse(e),
    };
    let mut nodes: Vec<String> = Vec::with_capacity(checked.len());
    for a in checked {
        if nodes.contains(&a) {
            output::warn(&format!(
                "{flag} {} was given more than once; publishing to it once",
                crate::http::display_addr(&a)
            ));
        } else {
            nodes.push(a);
        }
    }
    Ok(nodes)
}

/// Everything checked before connecting.
struct Plan {
    source: Source,
    name: RecordName,
    delim_len: u64,
    defer_ms: Option<u64>,
    addrs: Vec<String>,
    limits: Limits,
}

async fn plan(args: &PublishArgs) -> anyhow::Result<Plan> {
    check_topic_name(&args.topic).or_else(refuse)?;
    let delim = match parse_delimiter(&args.delimiter) {
        Ok(d) => d,
        Err(e) => return refuse(e),
    };
    if let Some(r) = args.rate {
        if !(r > 0.0 && r.is_finite()) {
            return refuse(format!(
                "invalid --rate {r}: it must be a number of messages per second above 0"
            ));
        }
    }
    if args.count == Some(0) {
        return refuse("invalid --count 0: it must be at least 1");
    }
    if args.whole && args.message.is_some() {
        return refuse("--whole reads stdin or --file; it cannot be used with --message");
    }
    let addrs = node_addresses(args)?;
    let limits = Limits {
        max_msg_size: args.max_msg_size,
        max_body_size: args.max_body_size,
    };
    let name = if args.message.is_some() {
        RecordName::Message
    } else if delim == b"\n" {
        RecordName::Line
    } else {
        RecordName::Record
    };
    let source = match &args.message {
        Some(m) => message_source(m, args.count, limits.max_msg_size)?,
        None if args.whole => Source::Whole(read_whole(args, limits.max_msg_size).await?),
        None => {
            let (reader, len) = open_input(args)?;
            if let (Some(path), Some(_)) = (&args.file, len) {
                check_file(path, &delim, limits.max_msg_size, name).await?;
            }
            Source::Stream {
                reader,
                delim: delim.clone(),
            }
        }
    };
    Ok(Plan {
        source,
        name,
        delim_len: delim.len() as u64,
        defer_ms: args.defer.map(|d| d.as_millis() as u64),
        addrs,
        limits,
    })
}

/// --message, once or --count times with templates; refused when empty or when
/// it can be over the size limit.
fn message_source(m: &str, count: Option<u64>, max: usize) -> anyhow::Result<Source> {
    let template = match count {
        Some(n) => match Template::parse(m).and_then(|t| t.check_size(n, max).map(|()| t)) {
            Ok(t) => Some(t),
            Err(e) => return refuse(e),
        },
        None if m.is_empty() => return refuse(empty_refusal("the --message")),
        None if m.len() > max => return refuse(over_max("the --message", Some(m.len()), max)),
        None => None,
    };
    Ok(Source::Message {
        text: m.to_string(),
        count: count.unwrap_or(1),
        template,
    })
}

/// A regular file is checked whole before anything is sent, so an oversized
/// message halfway through does not leave half the file published.
async fn check_file(
    path: &std::path::Path,
    delim: &[u8],
    max: usize,
    name: RecordName,
) -> anyhow::Result<()> {
    let (check_path, d) = (path.to_path_buf(), delim.to_vec());
    let r = tokio::task::spawn_blocking(move || {
        let f = std::fs::File::open(&check_path).map_err(|e| {
            format!(
                "cannot read --file {}: {}",
                check_path.display(),
                crate::client::conn::describe_io(&e)
            )
        })?;
        check_record_sizes(f, &d, max, name)
    })
    .await?;
    match r {
        Err(e) => refuse(format!("--file {}: {e}", path.display())),
        Ok(()) => Ok(()),
    }
}

/// Default of --connect-timeout and --http-timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long acknowledgements of what is in flight are awaited after a signal.
const SIGNAL_GRACE: Duration = Duration::from_secs(5);
/// ... and after a failure (of another node, say).
const FAILURE_GRACE: Duration = Duration::from_secs(10);

/// (--connect-timeout, --http-timeout), with the deprecated --timeout setting both.
fn timeouts(args: &PublishArgs) -> (Duration, Duration) {
    if args.timeout.is_some() {
        output::warn(
            "--timeout is deprecated: it sets both --connect-timeout and --http-timeout; use those",
        );
    }
    let pick = |t: Option<Duration>| t.or(args.timeout).unwrap_or(DEFAULT_TIMEOUT);
    (pick(args.connect_timeout), pick(args.http_timeout))
}

/// Why a run ended before every message was acknowledged.
enum Stopped {
    Failed(Failed),
    Signal(Stop),
}

struct Failed {
    error: String,
    /// nsqd would refuse the input itself (exit 2 when nothing was sent).
    refused: bool,
}

impl From<String> for Failed {
    fn from(error: String) -> Failed {
        Failed {
            error,
            refused: false,
        }
    }
}

pub async fn run(args: PublishArgs) -> anyhow::Result<ExitCode> {
    // Everything that can be refused is checked before connecting.
    let plan = plan(&args).await?;
    let (connect_timeout, http_timeout) = timeouts(&args);
    let mut popts = ProducerOptions {
        connect: match args.conn.connect_options(ConnectOptions {
            connect_timeout,
            ..Default::default()
        }) {
            Ok(c) => c,
            Err(e) => return refuse(format!("{e:#}")),
        },
        limits: plan.limits,
        ..Default::default()
    };
    if plan.defer_ms.is_some() {
        popts.max_in_flight = 1024;
    }
    let http_client = if args.http {
        Some(
            args.conn
                .http_client_builder(
                    reqwest::Client::builder()
                        .connect_timeout(http_timeout)
                        .timeout(http_timeout),
                )?
                .build()?,
        )
    } else {
        None
    };
    let mut p = Publisher {
        topic: args.topic.clone(),
        http: args.http,
        node_acked: vec![0; plan.addrs.len()],
        addrs: plan.addrs,
        http_timeout,
        skipped: 0,
        popts,
        http_client,
        nodes: Vec::new(),
        retries_left: args.retry,
        retry_total: args.retry,
        pending: BTreeMap::new(),
        next_seq: 0,
        after_last: (1, 0),
        delim_len: plan.delim_len,
        acked_msgs: 0,
        acked_bytes: 0,
        sent_msgs: 0,
        progress: progress_bar(),
    };
    let mut signals = Signals::install()?;
    let started = Instant::now();
    let feeding = feed(
        &mut p,
        &args,
        plan.source,
        plan.name,
        plan.defer_ms,
        started,
    );
    let stopped = tokio::select! {
        r = feeding => r.err().map(Stopped::Failed),
        s = signals.recv() => Some(Stopped::Signal(s)),
    };
    match &stopped {
        // A second signal stops the wait for what is in flight.
        Some(Stopped::Signal(_)) => tokio::select! {
            _ = p.settle(SIGNAL_GRACE) => {}
            _ = signals.recv() => {}
        },
        Some(Stopped::Failed(_)) => p.settle(FAILURE_GRACE).await,
        None => {}
    }
    p.progress.finish_and_clear();
    finish(&args, &p, plan.name, started.elapsed(), stopped)
}

fn progress_bar() -> indicatif::ProgressBar {
    if output::quiet() || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {human_pos} messages acknowledged ({per_sec}) {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// Connects, then streams the input to the nodes until it ends and every
/// message is acknowledged. Cancelled on a signal: every await here leaves the
/// publisher's accounting consistent.
async fn feed(
    p: &mut Publisher,
    args: &PublishArgs,
    source: Source,
    name: RecordName,
    defer_ms: Option<u64>,
    started: Instant,
) -> Result<(), Failed> {
    p.connect_all().await?;
    let limits = p.limits();
    let rx = spawn_input(source, limits.max_msg_size, name);
    let mut batch_max = (args.batch_size as usize).min(limits.max_mpub_count());
    if let Some(rate) = args.rate {
        // Keep batches to about a tenth of a second's worth so the pace stays even.
        batch_max = batch_max.min(((rate / 10.0) as usize).max(1));
    }
    if defer_ms.is_some() {
        batch_max = 1;
    }
    let mut pump = Pump {
        batch: Vec::with_capacity(batch_max.min(4096)),
        batch_body: 4,
        batch_max,
        limits,
        rate: args.rate,
        started,
        dispatched: 0,
        defer_ms,
        all_nodes: args.all_nodes,
    };
    pump.run(p, rx).await?;
    pump.send(p).await?;
    p.flush_all().await?;
    Ok(())
}

/// Groups input messages into batches and dispatches them at the --rate.
struct Pump {
    batch: Vec<InputMsg>,
    batch_body: usize,
    batch_max: usize,
    limits: Limits,
    rate: Option<f64>,
    started: Instant,
    dispatched: u64,
    defer_ms: Option<u64>,
    all_nodes: bool,
}

impl Pump {
    /// Sends the batch (if any), first waiting for its turn under --rate.
    async fn send(&mut self, p: &mut Publisher) -> Result<(), String> {
        if self.batch.is_empty() {
            return Ok(());
        }
        if let Some(rate) = self.rate {
            let due = self.started + Duration::from_secs_f64(self.dispatched as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        self.dispatched += self.batch.len() as u64;
        let b = std::mem::replace(
            &mut self.batch,
            Vec::with_capacity(self.batch_max.min(4096)),
        );
        self.batch_body = 4;
        p.dispatch(b, self.defer_ms, self.all_nodes).await
    }

    /// Adds a message, first sending the batch if the message would not fit in it.
    async fn push(&mut self, p: &mut Publisher, m: InputMsg) -> Result<(), String> {
        let size = 4 + m.body.len();
        if self.batch.len() >= self.batch_max || self.batch_body + size > self.limits.max_body_size
        {
            self.send(p).await?;
        }
        self.batch_body += size;
        self.batch.push(m);
        Ok(())
    }

    /// Until the input ends: batches fill up, or go out after a short linger.
    async fn run(
        &mut self,
        p: &mut Publisher,
        mut rx: mpsc::Receiver<InputItem>,
    ) -> Result<(), Failed> {
        loop {
            let linger = !self.batch.is_empty();
            let waiting = p.has_in_flight();
            let item = tokio::select! {
                item = rx.recv() => item,
                _ = tokio::time::sleep(LINGER), if linger => {
                    self.send(p).await?;
                    continue;
                }
                _ = p.wait_progress(), if waiting => {
                    p.check_failures().await?;
                    continue;
                }
            };
            match item {
                None => return Ok(()),
                Some(InputItem::Error(e)) => return Err(e.into()),
                Some(InputItem::Refused(error)) => {
                    return Err(Failed {
                        error,
                        refused: true,
                    })
                }
                Some(InputItem::Msgs { msgs, skipped }) => {
                    p.skipped += skipped;
                    for m in msgs {
                        self.push(p, m).await?;
                    }
                    if self.batch.len() >= self.batch_max {
                        self.send(p).await?;
                    }
                }
            }
        }
    }
}

/// Prints the summary (stderr; stdout with --json) and picks the exit status.
fn finish(
    args: &PublishArgs,
    p: &Publisher,
    name: RecordName,
    elapsed: Duration,
    stopped: Option<Stopped>,
) -> anyhow::Result<ExitCode> {
    let elapsed = elapsed.as_secs_f64();
    let rate = if elapsed > 0.0 {
        p.acked_msgs as f64 / elapsed
    } else {
        0.0
    };
    if p.skipped > 0 {
        output::warn(&format!(
            "skipped {} empty {}{}: NSQ refuses empty messages",
            p.skipped,
            name.singular(),
            if p.skipped == 1 { "" } else { "s" }
        ));
    }
    let resume = p.resume(name);
    let signalled = matches!(stopped, Some(Stopped::Signal(_)));
    let (cause, code) = match stopped {
        None => (None, 0),
        Some(Stopped::Signal(s)) => (Some(format!("interrupted by {}", s.name())), s.exit_code()),
        Some(Stopped::Failed(f)) => {
            let code = if f.refused && p.sent_msgs == 0 { 2 } else { 1 };
            (Some(f.error), code)
        }
    };
    let error = cause.map(|cause| {
        // A failure before anything was sent: the cause says it all.
        if p.sent_msgs == 0 && !signalled {
            return cause;
        }
        let mut msg = format!(
            "{cause}; {} of {} messages sent were acknowledged; unacknowledged messages start at {} {}",
            p.acked_msgs, p.sent_msgs, resume.unit, resume.number
        );
        if name != RecordName::Message {
            msg.push_str(&format!(" (byte offset {})", resume.byte_offset));
        }
        msg
    });
    if args.json {
        let s = Summary {
            ok: error.is_none(),
            topic: &args.topic,
            nodes: p.node_summaries(),
            transport: if args.http { "http" } else { "tcp" },
            messages: p.acked_msgs,
            bytes: p.acked_bytes,
            seconds: (elapsed * 1000.0).round() / 1000.0,
            messages_per_second: rate.round(),
            skipped_empty: p.skipped,
            sent: p.sent_msgs,
            error: error.clone(),
            resume: error.is_some().then_some(resume),
        };
        println!("{}", serde_json::to_string(&s)?);
    } else if error.is_none() {
        output::info(&format!(
            "published {} message{} ({}) to {} in {:.2}s ({:.0} msg/s)",
            p.acked_msgs,
            if p.acked_msgs == 1 { "" } else { "s" },
            human_bytes(p.acked_bytes),
            args.topic,
            elapsed,
            rate
        ));
    }
    if let Some(e) = error {
        output::error(&e);
    }
    Ok(ExitCode::from(code))
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let mut v = b as f64;
    let mut unit = "B";
    for u in UNITS {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter("\\n").unwrap(), b"\n");
        assert_eq!(parse_delimiter("\\0").unwrap(), b"\0");
        assert_eq!(parse_delimiter("\\x1e").unwrap(), b"\x1e");
        assert_eq!(parse_delimiter("--\\r\\n").unwrap(), b"--\r\n");
        assert_eq!(parse_delimiter("\\\\").unwrap(), b"\\");
        assert!(parse_delimiter("").is_err());
        assert!(parse_delimiter("\\q")
            .unwrap_err()
            .contains("unknown escape \\q"));
        assert!(parse_delimiter("\\x1").is_err());
        assert!(parse_delimiter("a\\").is_err());
    }

    #[test]
    fn templates() {
        let t = Template::parse("n={{Count}} {{ Random 3 3 }}!").unwrap();
        let mut out = Vec::new();
        t.render(7, 0, &mut out);
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("n=7 ") && s.ends_with('!') && s.len() == 4 + 3 + 1,
            "{s}"
        );
        assert!(Template::parse("{{Nope}}")
            .unwrap_err()
            .contains("unknown template {{Nope}}"));
        assert!(Template::parse("{{Count").is_err());
        assert!(Template::parse("{{Random 5 2}}").is_err());
        let mut out = Vec::new();
        Template::parse("{{ID}}").unwrap().render(1, 2, &mut out);
        assert_eq!(out, b"000000000000000200000001");
    }

    #[test]
    fn template_sizes_are_bounded_before_rendering() {
        let size = |t: &str, count, max| Template::parse(t).unwrap().check_size(count, max);
        assert!(size("{{Random 1 10}}", 1, 10).is_ok());
        let e = size("{{Random 1 99999999999}}", 1, 10).unwrap_err();
        assert!(
            e.starts_with("invalid --message template {{Random 1 99999999999}}: it can expand to 99999999999 bytes"),
            "{e}"
        );
        // The parts add up: 2 + 10 bytes, and 1000 takes 4 digits.
        assert!(size("ab{{Random 1 10}}", 1, 11)
            .unwrap_err()
            .contains("12 bytes"));
        assert!(size("{{Count}}", 999, 3).is_ok());
        assert!(size("{{Count}}", 1000, 3).is_err());
    }

    /// Messages as (body, record, offset), and the count of skipped empty ones.
    type Split = (Vec<(Vec<u8>, u64, u64)>, u64);

    fn split(input: &[u8], delim: &[u8], max: usize) -> Result<Split, String> {
        let mut got = vec![];
        let mut skipped = 0;
        // A reader that returns one byte at a time exercises every boundary.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        split_stream(Trickle(input), delim, max, RecordName::Line, |m, s| {
            skipped += s;
            got.extend(m.into_iter().map(|m| (m.body.to_vec(), m.record, m.offset)));
            true
        })?;
        Ok((got, skipped))
    }

    #[test]
    fn record_size_check() {
        let check =
            |input: &[u8], d: &[u8], max| check_record_sizes(input, d, max, RecordName::Line);
        assert!(check(b"abc\nde\n\nxyz", b"\n", 3).is_ok());
        assert!(check(b"abc\nabcd\n", b"\n", 3)
            .unwrap_err()
            .starts_with("line 2 is over"));
        assert!(check(b"ab--cdef", b"--", 3)
            .unwrap_err()
            .starts_with("line 2 is over"));
        let mut big = vec![b'x'; READ_CHUNK * 5];
        big.insert(0, b'\n');
        assert!(check(&big, b"\n", READ_CHUNK)
            .unwrap_err()
            .starts_with("line 2 is over"));
        assert!(check(&big, b"\n", READ_CHUNK * 5).is_ok());
    }

    /// A reader that hands out the given pieces, one per read.
    struct Pieces(Vec<&'static [u8]>);
    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let p = self.0.remove(0);
            buf[..p.len()].copy_from_slice(p);
            Ok(p.len())
        }
    }

    /// Found by the publish_input fuzz target: a record of exactly the maximum size
    /// whose multi-byte delimiter is cut by a read was refused as oversized.
    #[test]
    fn record_at_the_limit_with_a_delimiter_cut_by_a_read_is_accepted() {
        let pieces = || Pieces(vec![b"abc-", b"-x"]);
        let mut got = vec![];
        split_stream(pieces(), b"--", 3, RecordName::Line, |m, _| {
            got.extend(m.into_iter().map(|m| m.body.to_vec()));
            true
        })
        .unwrap();
        assert_eq!(got, vec![b"abc".to_vec(), b"x".to_vec()]);
        assert!(check_record_sizes(pieces(), b"--", 3, RecordName::Line).is_ok());
        // One byte more is still refused.
        let over = || Pieces(vec![b"abcd-", b"-x"]);
        assert!(
            split_stream(over(), b"--", 3, RecordName::Line, |_, _| true)
                .unwrap_err()
                .starts_with("line 1 is over")
        );
        assert!(check_record_sizes(over(), b"--", 3, RecordName::Line)
            .unwrap_err()
            .starts_with("line 1 is over"));
    }

    #[test]
    fn splitting() {
        let (m, s) = split(b"a\n\nbc\nd", b"\n", 100).unwrap();
        assert_eq!(
            m,
            vec![
                (b"a".to_vec(), 1, 0),
                (b"bc".to_vec(), 3, 3),
                (b"d".to_vec(), 4, 6)
            ]
        );
        assert_eq!(s, 1);
        let (m, _) = split(b"x--y--", b"--", 100).unwrap();
        assert_eq!(m, vec![(b"x".to_vec(), 1, 0), (b"y".to_vec(), 2, 3)]);
        let e = split(b"ok\ntoolong\n", b"\n", 3).unwrap_err();
        assert!(e.starts_with("line 2 is"), "{e}");
        let (m, s) = split(b"", b"\n", 3).unwrap();
        assert!(m.is_empty() && s == 0);
    }
}
