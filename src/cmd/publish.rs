//! `nsq-cli publish`: stream messages from a flag, stdin or a file into a topic,
//! batched into MPUBs with a bounded number in flight, exit 0 only when nsqd
//! acknowledged every message.

use crate::cli::PublishArgs;
use crate::client::conn::{with_default_port, ConnectOptions};
use crate::client::producer::{Limits, Producer, ProducerOptions, Publish};
use crate::output;
use crate::protocol::names::{is_valid_topic_name, NAME_RULE};
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

/// An error refused before anything was sent: exit status 2.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

fn refuse<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(Refused(msg.into()).into())
}

pub async fn run(args: PublishArgs) -> anyhow::Result<ExitCode> {
    match publish(args).await {
        Ok(code) => Ok(code),
        Err(e) if e.downcast_ref::<Refused>().is_some() => {
            output::error(&format!("{e}"));
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e),
    }
}

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
        Ok(Template { parts })
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
    Msgs { msgs: Vec<InputMsg>, skipped: u64 },
    Error(String),
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
    /// All of the input as one message.
    Whole(Box<dyn Read + Send>),
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
                        let _ = send(InputItem::Error(format!(
                            "message {i} expands to an empty message, which NSQ refuses"
                        )));
                        return;
                    }
                    if body.len() > max_msg_size {
                        let _ = send(InputItem::Error(format!(
                            "message {i} is {} bytes, over nsqd's max message size of {max_msg_size} bytes",
                            body.len()
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
            Source::Whole(r) => {
                let mut body = Vec::new();
                let limit = max_msg_size as u64 + 1;
                match r.take(limit).read_to_end(&mut body) {
                    Err(e) => {
                        send(InputItem::Error(format!(
                            "cannot read the input: {}",
                            crate::client::conn::describe_io(&e)
                        )));
                    }
                    Ok(_) if body.is_empty() => {
                        send(InputItem::Error(
                            "the input is empty, and NSQ refuses empty messages".into(),
                        ));
                    }
                    Ok(_) if body.len() > max_msg_size => {
                        send(InputItem::Error(format!(
                            "the input is over nsqd's max message size of {max_msg_size} bytes (see --max-msg-size)"
                        )));
                    }
                    Ok(_) => {
                        send(InputItem::Msgs {
                            msgs: vec![InputMsg {
                                body: Bytes::from(body),
                                record: 1,
                                offset: 0,
                            }],
                            skipped: 0,
                        });
                    }
                }
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
    base: String,
    addr: String,
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
            .map_err(|e| fail(describe_reqwest(&self.addr, &e), false))?;
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

fn describe_reqwest(addr: &str, e: &reqwest::Error) -> String {
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
    if e.is_timeout() {
        return format!("request to nsqd at {addr} (HTTP) timed out");
    }
    if e.is_connect() {
        return format!("cannot connect to nsqd at {addr} (HTTP): {e}");
    }
    format!("request to nsqd at {addr} (HTTP) failed: {e}")
}

struct Publisher {
    topic: String,
    http: bool,
    addrs: Vec<String>,
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
    /// Connects node `i`; on failure, the error and whether it is permanent.
    async fn connect_node(&self, i: usize) -> Result<Node, (String, bool)> {
        let addr = &self.addrs[i];
        if self.http {
            Ok(Node::Http(HttpNode {
                client: self.http_client.clone().expect("http client"),
                base: if addr.starts_with("http://") || addr.starts_with("https://") {
                    addr.trim_end_matches('/').to_string()
                } else {
                    format!("http://{addr}")
                },
                addr: addr.clone(),
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
                self.ack(seq);
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

    fn ack(&mut self, seq: u64) {
        if let Some(p) = self.pending.get_mut(&seq) {
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
            self.ack(seq);
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
                        self.ack(seq);
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

    /// After a fatal failure: collect whatever the other nodes still acknowledge.
    async fn settle(&mut self) {
        for i in 0..self.nodes.len() {
            if let Node::Tcp(p) = &mut self.nodes[i] {
                let _ = tokio::time::timeout(Duration::from_secs(10), p.flush()).await;
            }
        }
        self.collect_acks();
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    ok: bool,
    topic: &'a str,
    nodes: &'a [String],
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

// The batch macro resets counters after the last batch too; that is harmless.
#[allow(unused_assignments)]
async fn publish(args: PublishArgs) -> anyhow::Result<ExitCode> {
    // Everything that can be refused is checked before connecting.
    if !is_valid_topic_name(args.topic.as_bytes()) {
        return refuse(format!(
            "invalid topic name {:?}: a topic name is {NAME_RULE}",
            args.topic
        ));
    }
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
    let defer_ms = args.defer.map(|d| d.as_millis() as u64);
    let template = match (&args.message, args.count) {
        (Some(m), Some(_)) => match Template::parse(m) {
            Ok(t) => Some(t),
            Err(e) => return refuse(e),
        },
        _ => None,
    };
    if let (Some(m), None) = (&args.message, &template) {
        if m.is_empty() {
            return refuse("the --message is empty, and NSQ refuses empty messages");
        }
    }
    let input = if args.message.is_none() {
        Some(open_input(&args)?)
    } else {
        None
    };
    let name = if args.message.is_some() {
        RecordName::Message
    } else if delim == b"\n" {
        RecordName::Line
    } else {
        RecordName::Record
    };
    let addrs: Vec<String> = if args.http {
        args.nsqd_http_address
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| {
                if a.contains("://") {
                    a.clone()
                } else {
                    with_default_port(a, 4151)
                }
            })
            .collect()
    } else {
        args.nsqd_tcp_address
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| with_default_port(a, crate::client::conn::DEFAULT_TCP_PORT))
            .collect()
    };
    if addrs.is_empty() {
        return refuse("no nsqd address given (--nsqd-tcp-address, or NSQD_TCP_ADDRESS)");
    }
    let limits = Limits {
        max_msg_size: args.max_msg_size,
        max_body_size: args.max_body_size,
    };
    if let Some(m) = &args.message {
        if template.is_none() && m.len() > limits.max_msg_size {
            return refuse(format!(
                "the --message is {} bytes, over nsqd's max message size of {} bytes (see --max-msg-size)",
                m.len(),
                limits.max_msg_size
            ));
        }
    }
    if args.whole {
        if let Some((_, Some(len))) = &input {
            if *len as usize > limits.max_msg_size {
                return refuse(format!(
                    "--file {} is {len} bytes, over nsqd's max message size of {} bytes (see --max-msg-size)",
                    args.file.as_ref().unwrap().display(),
                    limits.max_msg_size
                ));
            }
        }
    }
    // A regular file is checked whole before anything is sent, so an oversized
    // message halfway through does not leave half the file published.
    if let (Some(path), false, Some(_)) = (&args.file, args.whole, &input) {
        let max = limits.max_msg_size;
        let check_path = path.clone();
        let d = delim.clone();
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
        if let Err(e) = r {
            return refuse(format!("--file {}: {e}", path.display()));
        }
    }

    let mut popts = ProducerOptions {
        connect: match args.conn.connect_options(ConnectOptions {
            connect_timeout: args.timeout,
            ..Default::default()
        }) {
            Ok(c) => c,
            Err(e) => return refuse(format!("{e:#}")),
        },
        limits,
        ..Default::default()
    };
    if defer_ms.is_some() {
        popts.max_in_flight = 1024;
    }
    let http_client = if args.http {
        Some(
            args.conn
                .http_client_builder(
                    reqwest::Client::builder()
                        .connect_timeout(args.timeout)
                        .timeout(args.timeout.max(Duration::from_secs(30))),
                )?
                .build()?,
        )
    } else {
        None
    };
    let show_progress = !output::quiet() && std::io::stderr().is_terminal();
    let progress = if show_progress {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} messages acknowledged ({per_sec}) {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut p = Publisher {
        topic: args.topic.clone(),
        http: args.http,
        addrs: addrs.clone(),
        popts,
        http_client,
        nodes: Vec::new(),
        retries_left: args.retry,
        retry_total: args.retry,
        pending: BTreeMap::new(),
        next_seq: 0,
        after_last: (1, 0),
        delim_len: delim.len() as u64,
        acked_msgs: 0,
        acked_bytes: 0,
        sent_msgs: 0,
        progress,
    };
    let started = Instant::now();
    for i in 0..addrs.len() {
        let node = match p.connect_node(i).await {
            Ok(n) => n,
            Err((e, permanent)) => match p.retry_connect(i, &e, permanent).await {
                Ok(n) => n,
                Err(e) => {
                    p.progress.finish_and_clear();
                    anyhow::bail!("{e}")
                }
            },
        };
        p.nodes.push(node);
    }
    // The smallest limits across nodes apply to every batch.
    let limits = p
        .nodes
        .iter()
        .map(|n| n.limits())
        .reduce(|a, b| Limits {
            max_msg_size: a.max_msg_size.min(b.max_msg_size),
            max_body_size: a.max_body_size.min(b.max_body_size),
        })
        .unwrap_or(limits);

    let source = match (&args.message, input) {
        (Some(m), _) => Source::Message {
            text: m.clone(),
            count: args.count.unwrap_or(1),
            template,
        },
        (None, Some((r, _))) if args.whole => Source::Whole(r),
        (None, Some((reader, _))) => Source::Stream {
            reader,
            delim: delim.clone(),
        },
        (None, None) => unreachable!("input opened when there is no --message"),
    };
    let mut rx = spawn_input(source, limits.max_msg_size, name);

    let mut batch_max = (args.batch_size as usize).min(limits.max_mpub_count());
    if let Some(rate) = args.rate {
        // Keep batches to about a tenth of a second's worth so the pace stays even.
        batch_max = batch_max.min(((rate / 10.0) as usize).max(1));
    }
    if defer_ms.is_some() {
        batch_max = 1;
    }
    let mut batch: Vec<InputMsg> = Vec::with_capacity(batch_max.min(4096));
    let mut batch_body = 4usize;
    let mut skipped = 0u64;
    let mut failure: Option<String> = None;
    let mut dispatched_msgs = 0u64;

    macro_rules! send_batch {
        () => {{
            if let Some(rate) = args.rate {
                let due = started + Duration::from_secs_f64(dispatched_msgs as f64 / rate);
                tokio::time::sleep_until(due.into()).await;
            }
            dispatched_msgs += batch.len() as u64;
            let b = std::mem::replace(&mut batch, Vec::with_capacity(batch_max.min(4096)));
            batch_body = 4;
            p.dispatch(b, defer_ms, args.all_nodes).await
        }};
    }

    'input: loop {
        let linger = !batch.is_empty();
        let waiting = p.has_in_flight();
        let item = tokio::select! {
            item = rx.recv() => item,
            _ = tokio::time::sleep(LINGER), if linger => {
                if let Err(e) = send_batch!() {
                    failure = Some(e);
                    break 'input;
                }
                continue;
            }
            _ = p.wait_progress(), if waiting => {
                if let Err(e) = p.check_failures().await {
                    failure = Some(e);
                    break 'input;
                }
                continue;
            }
        };
        match item {
            None => break,
            Some(InputItem::Error(e)) => {
                failure = Some(e);
                break;
            }
            Some(InputItem::Msgs { msgs, skipped: s }) => {
                skipped += s;
                for m in msgs {
                    let size = 4 + m.body.len();
                    if !batch.is_empty()
                        && (batch.len() >= batch_max || batch_body + size > limits.max_body_size)
                    {
                        if let Err(e) = send_batch!() {
                            failure = Some(e);
                            break 'input;
                        }
                    }
                    batch_body += size;
                    batch.push(m);
                }
                if batch.len() >= batch_max {
                    if let Err(e) = send_batch!() {
                        failure = Some(e);
                        break 'input;
                    }
                }
            }
        }
    }
    if failure.is_none() && !batch.is_empty() {
        if let Err(e) = send_batch!() {
            failure = Some(e);
        }
    }
    if failure.is_none() {
        if let Err(e) = p.flush_all().await {
            failure = Some(e);
        }
    }
    if failure.is_some() {
        drop(rx);
        p.settle().await;
    }
    p.progress.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    let rate = if elapsed > 0.0 {
        p.acked_msgs as f64 / elapsed
    } else {
        0.0
    };

    if skipped > 0 {
        output::warn(&format!(
            "skipped {skipped} empty {}{}: NSQ refuses empty messages",
            name.singular(),
            if skipped == 1 { "" } else { "s" }
        ));
    }
    // The first message not acknowledged: the earliest pending one, or else the
    // first one not sent yet.
    let (number, byte_offset) = p
        .pending
        .values()
        .min_by_key(|pb| pb.first_record)
        .map(|pb| (pb.first_record, pb.first_offset))
        .unwrap_or(p.after_last);
    let resume = Resume {
        unit: name.singular(),
        number,
        byte_offset,
    };
    let error = failure.map(|cause| {
        let mut msg = format!(
            "{cause}; {} of {} messages sent were acknowledged",
            p.acked_msgs, p.sent_msgs
        );
        msg.push_str(&format!(
            "; unacknowledged messages start at {} {}",
            resume.unit, resume.number
        ));
        if name != RecordName::Message {
            msg.push_str(&format!(" (byte offset {})", resume.byte_offset));
        }
        msg
    });
    if args.json {
        let s = Summary {
            ok: error.is_none(),
            topic: &args.topic,
            nodes: &addrs,
            transport: if args.http { "http" } else { "tcp" },
            messages: p.acked_msgs,
            bytes: p.acked_bytes,
            seconds: (elapsed * 1000.0).round() / 1000.0,
            messages_per_second: rate.round(),
            skipped_empty: skipped,
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
    match error {
        Some(e) => {
            output::error(&e);
            Ok(ExitCode::from(1))
        }
        None => Ok(ExitCode::SUCCESS),
    }
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
