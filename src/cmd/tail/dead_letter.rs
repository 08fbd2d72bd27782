//! Where `--exec` puts a message it gave up on (after --max-attempts): a JSON
//! line in `--dead-letter FILE` and/or a message in `--dead-letter-topic TOPIC`,
//! published through the producer pool to the nsqd the message came from.
//!
//! The message is FINed on its source only once every dead-letter place has it:
//! the topic's PUB acknowledged, then the line written. If either fails, it is
//! requeued instead (so it comes back and is given up on again: a dead letter may
//! then be written or published twice, never lost).

use crate::client::conn::ConnectOptions;
use crate::client::consumer::Delivery;
use crate::client::pool::{Message, Pool, PoolOptions};
use crate::client::producer::ProducerOptions;
use crate::cmd::record;
use crate::output;
use bytes::Bytes;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

/// The `--dead-letter` file, open for appending.
pub struct DeadLetterFile {
    pub file: std::fs::File,
    pub path: PathBuf,
}

/// A message given up on, on its way to the dead-letter topic, and the answer.
struct Published {
    d: Delivery,
    reason: String,
    result: Result<(), String>,
}

/// A publish to the dead-letter topic under way: it owns the publisher, which
/// it gives back with the answer.
type Job = Pin<Box<dyn Future<Output = (TopicPublisher, Published)>>>;

/// Messages for the dead-letter topic, published one at a time. The publish
/// under way is kept here (not in the worker's select), so it goes on across
/// the worker's other events.
struct TopicQueue {
    name: String,
    /// The publisher, while no publish is under way.
    idle: Option<TopicPublisher>,
    running: Option<Job>,
    waiting: VecDeque<(Delivery, String)>,
}

impl TopicQueue {
    fn new(name: String, connect: ConnectOptions) -> TopicQueue {
        let publisher = TopicPublisher {
            topic: name.clone(),
            producer: ProducerOptions {
                connect,
                ..Default::default()
            },
            pools: HashMap::new(),
        };
        TopicQueue {
            name,
            idle: Some(publisher),
            running: None,
            waiting: VecDeque::new(),
        }
    }

    fn pending(&self) -> usize {
        self.waiting.len() + usize::from(self.running.is_some())
    }

    /// Starts the next publish if none is under way.
    fn start_next(&mut self) {
        if self.running.is_some() || self.idle.is_none() {
            return;
        }
        let Some((d, reason)) = self.waiting.pop_front() else {
            return;
        };
        let Some(mut publisher) = self.idle.take() else {
            return;
        };
        self.running = Some(Box::pin(async move {
            let result = publisher.publish(&d.conn.addr, d.msg.body.clone()).await;
            (publisher, Published { d, reason, result })
        }));
    }

    /// The answer of the publish under way (pending forever when there is none).
    async fn answer(&mut self) -> Published {
        let Some(job) = self.running.as_mut() else {
            return std::future::pending().await;
        };
        let (publisher, published) = job.await;
        self.running = None;
        self.idle = Some(publisher);
        self.start_next();
        published
    }
}

pub struct DeadLetters {
    file: Option<DeadLetterFile>,
    topic: Option<TopicQueue>,
    /// The delay of a REQ when a dead-letter place fails (--requeue-delay, or the
    /// backoff by attempts).
    requeue_delay: Option<Duration>,
    topic_name: String,
    channel: String,
}

impl DeadLetters {
    /// `topic`: the dead-letter topic, published to with `connect` (the flags'
    /// TLS/AUTH settings, as the consumer's). `source`: the topic and channel
    /// consumed, for the file's records.
    pub fn new(
        file: Option<DeadLetterFile>,
        topic: Option<(String, ConnectOptions)>,
        requeue_delay: Option<Duration>,
        source: (&str, &str),
    ) -> DeadLetters {
        DeadLetters {
            file,
            topic: topic.map(|(name, connect)| TopicQueue::new(name, connect)),
            requeue_delay,
            topic_name: source.0.to_string(),
            channel: source.1.to_string(),
        }
    }

    /// Dead-letter publishes not answered yet (the worker waits for them).
    pub fn pending(&self) -> usize {
        self.topic.as_ref().map_or(0, TopicQueue::pending)
    }

    /// Gives up on `d`: to the topic first (answered through [`DeadLetters::next`]),
    /// else straight to the file, then FIN.
    pub fn give_up(&mut self, d: Delivery, reason: String) {
        match self.topic.as_mut() {
            Some(q) => {
                q.waiting.push_back((d, reason));
                q.start_next();
            }
            None => self.write_and_fin(d, &reason, String::new()),
        }
    }

    /// The next answer from the topic's publisher: then the file and FIN, or a REQ.
    pub async fn next(&mut self) {
        let Some(q) = self.topic.as_mut() else {
            return std::future::pending().await;
        };
        let p = q.answer().await;
        let name = q.name.clone();
        match p.result {
            Ok(()) => {
                let to = format!("; published to topic {name} on {}", p.d.conn.addr);
                self.write_and_fin(p.d, &p.reason, to);
            }
            Err(e) => {
                let why = format!("cannot publish it to dead-letter topic {name}: {e}");
                self.requeue(&p.d, &why);
            }
        }
    }

    fn write_and_fin(&mut self, d: Delivery, reason: &str, mut where_to: String) {
        if let Some(f) = self.file.as_mut() {
            let rec = record::json_record(&d.msg, &self.topic_name, &self.channel, &d.conn.addr);
            let mut line = serde_json::to_vec(&rec).unwrap_or_default();
            line.push(b'\n');
            match f.file.write_all(&line).and_then(|_| f.file.flush()) {
                Ok(()) => where_to.push_str(&format!("; written to {}", f.path.display())),
                Err(e) => {
                    let why = format!("cannot write to {}: {e}", f.path.display());
                    self.requeue(&d, &why);
                    return;
                }
            }
        }
        output::warn(&format!(
            "message {}: giving up, {reason}{where_to}",
            d.msg.id
        ));
        d.conn.fin(d.msg.id);
    }

    /// Keeps the message in the channel rather than lose it, saying why.
    fn requeue(&self, d: &Delivery, why: &str) {
        let delay = self
            .requeue_delay
            .unwrap_or_else(|| super::exec::backoff_delay(d.msg.attempts));
        output::error(&format!(
            "message {}: {why}; requeued instead (with a delay of {})",
            d.msg.id,
            humantime::format_duration(delay)
        ));
        d.conn.req(d.msg.id, delay);
    }
}

/// One producer pool per nsqd messages came from, kept between dead letters.
struct TopicPublisher {
    topic: String,
    producer: ProducerOptions,
    pools: HashMap<String, Pool>,
}

impl TopicPublisher {
    /// Publishes `body` to `node` and waits for the acknowledgement. A kept
    /// connection that fails (closed while idle, say) is replaced once.
    async fn publish(&mut self, node: &str, body: Bytes) -> Result<(), String> {
        if let Some(mut pool) = self.pools.remove(node) {
            if send(&mut pool, body.clone()).await.is_ok() {
                self.pools.insert(node.to_string(), pool);
                return Ok(());
            }
        }
        let mut pool = Pool::new(PoolOptions::forwarding(
            &self.topic,
            vec![node.to_string()],
            self.producer.clone(),
        ));
        pool.connect().await?;
        send(&mut pool, body).await?;
        self.pools.insert(node.to_string(), pool);
        Ok(())
    }
}

/// One PUB through `pool`, acknowledged.
async fn send(pool: &mut Pool, body: Bytes) -> Result<(), String> {
    let m = Message {
        body,
        record: 1,
        offset: 0,
    };
    pool.push(m).await?;
    pool.finish().await
}
