//! Our NSQ producer (`Publisher`: one publishing connection; lookupd's
//! "producers", the nsqd nodes it lists, are `nsq_http::types::Producer`):
//! PUB/MPUB/DPUB over one connection, pipelined.
//!
//! Commands are written by a writer task and acknowledged by nsqd in order (one
//! `OK` per command), so acknowledgements are matched to requests with a FIFO
//! queue. The caller attaches a tag to each request and gets the tags back as they
//! are acknowledged; when the connection fails, every tag not acknowledged is
//! handed back in order, so nothing is lost silently and a caller can resend.
//! A reader task answers heartbeats with NOP even while the caller is idle.

use super::conn::{CommandWriter, ConnError, ConnectOptions, Connection, FrameReader, Inbound};
use crate::protocol::command::mpub_body_len;
use crate::protocol::error::ServerError;
use crate::protocol::Command;
use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// nsqd's default `--max-msg-size`.
pub const DEFAULT_MAX_MSG_SIZE: usize = 1024 * 1024;
/// nsqd's default `--max-body-size` (MPUB bodies).
pub const DEFAULT_MAX_BODY_SIZE: usize = 5 * 1024 * 1024;

/// The size limits a publish must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_msg_size: usize,
    pub max_body_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_msg_size: DEFAULT_MAX_MSG_SIZE,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
}

impl Limits {
    /// The most messages one MPUB may carry: nsqd refuses more than
    /// (max_body_size - 4) / 5, the count of 1-byte messages that would fit.
    pub fn max_mpub_count(&self) -> usize {
        (self.max_body_size.saturating_sub(4) / 5).max(1)
    }

    /// Whether `bodies` fits in one MPUB.
    pub fn mpub_fits<B: AsRef<[u8]>>(&self, bodies: &[B]) -> bool {
        bodies.len() <= self.max_mpub_count() && mpub_body_len(bodies) <= self.max_body_size
    }
}

#[derive(Debug, Clone)]
pub struct ProducerOptions {
    pub connect: ConnectOptions,
    /// Limits assumed when the server does not advertise its own (nsqd 1.3.0 doesn't).
    pub limits: Limits,
    /// Most commands sent and not yet acknowledged.
    pub max_in_flight: usize,
    /// Most body bytes sent and not yet acknowledged (at least one command is always allowed).
    pub max_in_flight_bytes: usize,
}

impl Default for ProducerOptions {
    fn default() -> Self {
        ProducerOptions {
            connect: ConnectOptions::default(),
            limits: Limits::default(),
            max_in_flight: 256,
            max_in_flight_bytes: 16 * 1024 * 1024,
        }
    }
}

/// One publish command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publish {
    Pub(Bytes),
    Mpub(Vec<Bytes>),
    Dpub { defer_ms: u64, body: Bytes },
}

impl Publish {
    /// A PUB for one message, an MPUB for several.
    pub fn batch(mut bodies: Vec<Bytes>) -> Publish {
        if bodies.len() == 1 {
            Publish::Pub(bodies.pop().unwrap())
        } else {
            Publish::Mpub(bodies)
        }
    }

    pub fn message_count(&self) -> usize {
        match self {
            Publish::Mpub(b) => b.len(),
            _ => 1,
        }
    }

    pub fn body_bytes(&self) -> usize {
        match self {
            Publish::Pub(b) | Publish::Dpub { body: b, .. } => b.len(),
            Publish::Mpub(b) => b.iter().map(|m| m.len()).sum(),
        }
    }
}

/// Why a producer stopped.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Conn(#[from] ConnError),
    #[error("nsqd at {addr} refused the publish: {error}")]
    Server { addr: String, error: ServerError },
    #[error("nsqd at {addr} answered a publish with {answer:?} instead of OK")]
    Unexpected { addr: String, answer: String },
}

impl PublishError {
    /// True when sending the same thing again would fail the same way (a refused
    /// message, a refused AUTH, a certificate that does not verify), so retrying
    /// only wastes time.
    pub fn is_permanent(&self) -> bool {
        match self {
            PublishError::Conn(c) => c.is_permanent(),
            // The *_FAILED codes mean the topic was exiting: worth another try.
            PublishError::Server { error, .. } => !matches!(
                error.code.as_str(),
                "E_PUB_FAILED" | "E_MPUB_FAILED" | "E_DPUB_FAILED"
            ),
            PublishError::Unexpected { .. } => true,
        }
    }
}

/// A failed producer's error with the tags that were not acknowledged, in order.
#[derive(Debug)]
pub struct Failure<T> {
    pub error: Arc<PublishError>,
    pub unacked: Vec<T>,
}

enum ToWriter {
    Publish(Publish),
    Nop,
}

enum Event {
    Ack,
    Error(PublishError),
}

pub struct Publisher<T> {
    addr: String,
    topic: Arc<str>,
    limits: Limits,
    max_in_flight: usize,
    max_in_flight_bytes: usize,
    to_writer: mpsc::Sender<ToWriter>,
    events: mpsc::UnboundedReceiver<Event>,
    in_flight: VecDeque<(T, usize)>,
    in_flight_bytes: usize,
    acked: Vec<T>,
    failed: Option<Arc<PublishError>>,
    tasks: Vec<JoinHandle<()>>,
}

impl<T> Publisher<T> {
    /// Connects and identifies; publishes go to `topic`.
    pub async fn connect(
        addr: &str,
        topic: &str,
        opts: &ProducerOptions,
    ) -> Result<Publisher<T>, ConnError> {
        let conn = Connection::connect(addr, &opts.connect).await?;
        let mut limits = opts.limits;
        if let Some(m) = conn.features().max_msg_size.filter(|&m| m > 0) {
            limits.max_msg_size = m as usize;
        }
        let addr = conn.addr().to_string();
        let (reader, writer) = conn.into_split();
        let (to_writer, writer_rx) = mpsc::channel(16);
        let (events_tx, events) = mpsc::unbounded_channel();
        let topic: Arc<str> = topic.into();
        let tasks = vec![
            tokio::spawn(write_loop(
                writer,
                topic.clone(),
                writer_rx,
                events_tx.clone(),
            )),
            tokio::spawn(read_loop(reader, to_writer.clone(), events_tx)),
        ];
        Ok(Publisher {
            addr,
            topic,
            limits,
            max_in_flight: opts.max_in_flight.max(1),
            max_in_flight_bytes: opts.max_in_flight_bytes,
            to_writer,
            events,
            in_flight: VecDeque::new(),
            in_flight_bytes: 0,
            acked: Vec::new(),
            failed: None,
            tasks,
        })
    }

    pub fn addr(&self) -> &str {
        &self.addr
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The limits in force: the server's when it advertised them, else the configured ones.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    pub fn failed(&self) -> Option<&Arc<PublishError>> {
        self.failed.as_ref()
    }

    /// Sends a publish tagged `tag`, first waiting for acknowledgements while the
    /// in-flight window is full. On failure the producer is finished: the error comes
    /// back with all unacknowledged tags, including this one. Dropping the future
    /// before it completes leaves nothing half-sent: the request is then neither
    /// sent nor in flight.
    pub async fn send(&mut self, publish: Publish, tag: T) -> Result<(), Failure<T>> {
        let size = publish.body_bytes();
        while self.failed.is_none()
            && !self.in_flight.is_empty()
            && (self.in_flight.len() >= self.max_in_flight
                || self.in_flight_bytes + size > self.max_in_flight_bytes)
        {
            self.wait_event().await;
        }
        self.drain_ready();
        if self.failed.is_some() {
            self.in_flight.push_back((tag, size));
            return Err(self.failure());
        }
        // Cancel-safe: the request counts as in flight only once the writer has
        // room for it, and is then handed over without another await.
        let Ok(permit) = self.to_writer.reserve().await else {
            self.in_flight.push_back((tag, size));
            // The writer only stops after reporting why; collect that reason.
            while self.failed.is_none() {
                self.wait_event().await;
            }
            return Err(self.failure());
        };
        self.in_flight.push_back((tag, size));
        self.in_flight_bytes += size;
        permit.send(ToWriter::Publish(publish));
        Ok(())
    }

    /// Tags acknowledged since the last call, in the order they were sent.
    pub fn take_acked(&mut self) -> Vec<T> {
        self.drain_ready();
        std::mem::take(&mut self.acked)
    }

    /// Waits until everything sent has been acknowledged.
    pub async fn flush(&mut self) -> Result<(), Failure<T>> {
        while self.failed.is_none() && !self.in_flight.is_empty() {
            self.wait_event().await;
        }
        if self.failed.is_some() {
            return Err(self.failure());
        }
        Ok(())
    }

    /// Waits for the next acknowledgement or failure (for callers juggling several
    /// producers). Returns false when nothing is in flight.
    pub async fn wait_progress(&mut self) -> bool {
        if self.in_flight.is_empty() || self.failed.is_some() {
            return false;
        }
        self.wait_event().await;
        true
    }

    /// The failure, with every unacknowledged tag, once the producer has failed.
    pub fn take_failure(&mut self) -> Option<Failure<T>> {
        self.failed.is_some().then(|| self.failure())
    }

    fn failure(&mut self) -> Failure<T> {
        self.in_flight_bytes = 0;
        Failure {
            error: self.failed.clone().expect("failed"),
            unacked: self.in_flight.drain(..).map(|(t, _)| t).collect(),
        }
    }

    async fn wait_event(&mut self) {
        let ev = self.events.recv().await;
        self.apply(ev);
    }

    fn drain_ready(&mut self) {
        while self.failed.is_none() {
            match self.events.try_recv() {
                Ok(ev) => self.apply(Some(ev)),
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => self.apply(None),
            }
        }
    }

    fn apply(&mut self, ev: Option<Event>) {
        match ev {
            Some(Event::Ack) => match self.in_flight.pop_front() {
                Some((tag, size)) => {
                    self.in_flight_bytes -= size;
                    self.acked.push(tag);
                }
                None => {
                    self.failed = Some(Arc::new(PublishError::Unexpected {
                        addr: self.addr.clone(),
                        answer: "OK (with nothing in flight)".into(),
                    }))
                }
            },
            Some(Event::Error(e)) => {
                if self.failed.is_none() {
                    self.failed = Some(Arc::new(e));
                }
            }
            None => {
                if self.failed.is_none() {
                    self.failed = Some(Arc::new(PublishError::Conn(ConnError::Closed {
                        addr: self.addr.clone(),
                    })));
                }
            }
        }
    }

    /// Waits for every acknowledgement, then closes the connection.
    pub async fn close(mut self) -> Result<(), Failure<T>> {
        let r = self.flush().await;
        for t in &self.tasks {
            t.abort();
        }
        r
    }
}

impl<T> Drop for Publisher<T> {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn write_loop(
    mut w: CommandWriter,
    topic: Arc<str>,
    mut rx: mpsc::Receiver<ToWriter>,
    events: mpsc::UnboundedSender<Event>,
) {
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        // Write everything queued, then flush once.
        while let Some(item) = next {
            match item {
                ToWriter::Publish(Publish::Pub(body)) => w.write(&Command::Pub {
                    topic: &topic,
                    body: &body,
                }),
                ToWriter::Publish(Publish::Mpub(bodies)) => w.write_mpub(&topic, &bodies),
                ToWriter::Publish(Publish::Dpub { defer_ms, body }) => w.write(&Command::Dpub {
                    topic: &topic,
                    defer_ms,
                    body: &body,
                }),
                ToWriter::Nop => w.write(&Command::Nop),
            }
            if w.buffered() >= 1024 * 1024 {
                break;
            }
            next = rx.try_recv().ok();
        }
        if let Err(e) = w.flush().await {
            let _ = events.send(Event::Error(e.into()));
            return;
        }
    }
}

async fn read_loop(
    mut r: FrameReader,
    to_writer: mpsc::Sender<ToWriter>,
    events: mpsc::UnboundedSender<Event>,
) {
    let addr = r.addr().to_string();
    loop {
        match r.next().await {
            Ok(Inbound::Heartbeat) => {
                // A full queue means commands are going out anyway, which is all
                // nsqd needs to see; never block reading acknowledgements on it.
                let _ = to_writer.try_send(ToWriter::Nop);
            }
            Ok(Inbound::Response(d)) if &d[..] == b"OK" => {
                if events.send(Event::Ack).is_err() {
                    return;
                }
            }
            Ok(Inbound::Response(d)) => {
                let _ = events.send(Event::Error(PublishError::Unexpected {
                    addr,
                    answer: String::from_utf8_lossy(&d).into_owned(),
                }));
                return;
            }
            Ok(Inbound::Error(error)) => {
                // Every error a publish can get (E_BAD_MESSAGE, E_PUB_FAILED, ...) is
                // fatal: nsqd closes the connection and nothing after it is processed.
                let _ = events.send(Event::Error(PublishError::Server { addr, error }));
                return;
            }
            // A producer never subscribes; ignore stray messages rather than fail.
            Ok(Inbound::Message(_)) => {}
            Err(e) => {
                let _ = events.send(Event::Error(e.into()));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mpub_limits() {
        let l = Limits {
            max_msg_size: 10,
            max_body_size: 4 + 2 * (4 + 3),
        };
        assert!(l.mpub_fits(&[&b"abc"[..], b"def"]));
        assert!(!l.mpub_fits(&[&b"abc"[..], b"defg"]));
        assert_eq!(
            Limits::default().max_mpub_count(),
            (5 * 1024 * 1024 - 4) / 5
        );
        assert_eq!(
            Publish::batch(vec![Bytes::from_static(b"x")]),
            Publish::Pub(Bytes::from_static(b"x"))
        );
        let m = Publish::batch(vec![Bytes::from_static(b"x"), Bytes::from_static(b"yz")]);
        assert_eq!(m.message_count(), 2);
        assert_eq!(m.body_bytes(), 3);
    }
}
