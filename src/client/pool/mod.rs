//! A producer pool: publishes one topic's messages to several nsqd nodes (TCP or
//! HTTP), round-robin or to all of them, in batches, with acknowledgements,
//! reconnects under a retry budget, and the bookkeeping of where the first
//! unacknowledged message is (to resume from).
//!
//! Drive it with [`Pool::connect`], [`Pool::push`] for each message, and
//! [`Pool::finish`]; while the source is idle, [`Pool::send_batch`] sends a
//! partial batch and [`Pool::wait_progress`] + [`Pool::check_failures`] count
//! acknowledgements and recover failed nodes. It never prints: it reports
//! retries and acknowledgements as [`PoolEvent`]s to the callback given with
//! [`Pool::on_event`], and its counters say what was acknowledged.

mod batch;
mod node;

use crate::client::producer::{Limits, ProducerOptions, Publish, Publisher};
use batch::Batcher;
use bytes::Bytes;
use node::{HttpNode, Link, NodeFailure};
use std::collections::BTreeMap;
use std::time::Duration;

/// A message to publish, with where it is in its source (for resuming).
#[derive(Debug, Clone)]
pub struct Message {
    pub body: Bytes,
    /// 1-based record number in the source, counting skipped ones.
    pub record: u64,
    /// Byte offset of the message's first byte in the source.
    pub offset: u64,
}

/// A place in the source: the record number and the byte offset of its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub record: u64,
    pub offset: u64,
}

/// What the pool reports while it works.
#[derive(Debug)]
pub enum PoolEvent<'a> {
    /// A node failed; the pool waits, then reconnects (retry `attempt` of `total`).
    Retrying {
        error: &'a str,
        attempt: u32,
        total: u32,
    },
    /// Acknowledged messages (in total) went up to `total`.
    Acknowledged { total: u64 },
}

/// How the pool reaches its nodes.
pub enum Transport {
    /// `host:port` addresses, with a pipelined producer each.
    Tcp,
    /// `http(s)://host:port` addresses, through this client.
    Http(crate::nsq_http::Client),
}

pub struct PoolOptions {
    pub topic: String,
    pub addrs: Vec<String>,
    pub transport: Transport,
    /// Connection settings for TCP; the limits for both transports.
    pub producer: ProducerOptions,
    /// Reconnects allowed over the whole run.
    pub retries: u32,
    /// Every batch to every node, instead of round-robin.
    pub all_nodes: bool,
    /// DPUB (one message per batch) with this delay.
    pub defer_ms: Option<u64>,
    /// Most messages per MPUB (the nodes' limits may lower it).
    pub batch_size: usize,
    /// Most messages per second, if any.
    pub rate: Option<f64>,
    /// Bytes between messages in the source (the delimiter), for resume offsets.
    pub separator_len: u64,
}

impl PoolOptions {
    /// Forwarding what another source holds (a relay, dead letters): TCP,
    /// round-robin, no delay, no retries of its own (the caller retries and
    /// keeps the source's messages until acknowledged), one message per batch
    /// and no rate unless the caller sets them.
    pub fn forwarding(topic: &str, addrs: Vec<String>, producer: ProducerOptions) -> PoolOptions {
        PoolOptions {
            topic: topic.to_string(),
            addrs,
            transport: Transport::Tcp,
            producer,
            retries: 0,
            all_nodes: false,
            defer_ms: None,
            batch_size: 1,
            rate: None,
            separator_len: 0,
        }
    }
}

/// A batch sent and not yet acknowledged by every node it went to.
struct Pending {
    publish: Publish,
    nodes_left: usize,
    count: u64,
    bytes: u64,
    first: Mark,
}

type EventFn = Box<dyn FnMut(PoolEvent) + Send>;

pub struct Pool {
    opts: PoolOptions,
    /// Messages each node acknowledged (index as in `opts.addrs`).
    node_acked: Vec<u64>,
    nodes: Vec<Link>,
    batcher: Batcher,
    retries_left: u32,
    pending: BTreeMap<u64, Pending>,
    next_seq: u64,
    /// Just after the last message dispatched.
    after_last: Mark,
    acked_msgs: u64,
    acked_bytes: u64,
    sent_msgs: u64,
    /// The last failure returned could not be fixed by retrying.
    failed_permanently: bool,
    on_event: EventFn,
}

impl Pool {
    pub fn new(opts: PoolOptions) -> Pool {
        Pool {
            node_acked: vec![0; opts.addrs.len()],
            nodes: Vec::new(),
            batcher: Batcher::new(opts.batch_size, opts.producer.limits, opts.rate),
            retries_left: opts.retries,
            pending: BTreeMap::new(),
            next_seq: 0,
            after_last: Mark {
                record: 1,
                offset: 0,
            },
            acked_msgs: 0,
            acked_bytes: 0,
            sent_msgs: 0,
            failed_permanently: false,
            on_event: Box::new(|_| {}),
            opts,
        }
    }

    /// Where the pool's events go.
    pub fn on_event(&mut self, f: impl FnMut(PoolEvent) + Send + 'static) {
        self.on_event = Box::new(f);
    }

    /// Connects every node (with reconnects while retries last); batches then
    /// respect the smallest limits the nodes advertise.
    pub async fn connect(&mut self) -> Result<(), String> {
        for i in self.nodes.len()..self.opts.addrs.len() {
            let node = match self.connect_node(i).await {
                Ok(n) => n,
                Err((e, permanent)) => self.retry_connect(i, &e, permanent).await?,
            };
            self.nodes.push(node);
        }
        let mut batch_max = self.opts.batch_size;
        if let Some(rate) = self.opts.rate {
            // Keep batches to about a tenth of a second's worth so the pace stays even.
            batch_max = batch_max.min(((rate / 10.0) as usize).max(1));
        }
        if self.opts.defer_ms.is_some() {
            batch_max = 1;
        }
        let limits = self.limits();
        self.batcher.set_limits(batch_max, limits);
        Ok(())
    }

    /// The smallest limits across nodes: they apply to every batch.
    pub fn limits(&self) -> Limits {
        self.nodes
            .iter()
            .map(|n| n.limits())
            .reduce(|a, b| Limits {
                max_msg_size: a.max_msg_size.min(b.max_msg_size),
                max_body_size: a.max_body_size.min(b.max_body_size),
            })
            .unwrap_or(self.opts.producer.limits)
    }

    /// Messages acknowledged (by every node they went to), and their bytes.
    pub fn acknowledged(&self) -> (u64, u64) {
        (self.acked_msgs, self.acked_bytes)
    }

    /// Messages sent (acknowledged or not).
    pub fn sent(&self) -> u64 {
        self.sent_msgs
    }

    /// Each node's address and the messages it acknowledged.
    pub fn node_acks(&self) -> impl Iterator<Item = (&str, u64)> {
        self.opts
            .addrs
            .iter()
            .map(String::as_str)
            .zip(self.node_acked.iter().copied())
    }

    /// The first message not acknowledged: the earliest pending one, or else the
    /// first one not sent yet.
    pub fn resume(&self) -> Mark {
        self.first_unacknowledged().unwrap_or(self.after_last)
    }

    /// The first message pushed and not acknowledged (pending or still batched);
    /// `None` when every message pushed was acknowledged, so that a caller that
    /// knows where its source stands (records of varying length) resumes there.
    pub fn first_unacknowledged(&self) -> Option<Mark> {
        let batched = self.batcher.first().map(|m| Mark {
            record: m.record,
            offset: m.offset,
        });
        self.pending
            .values()
            .map(|pb| pb.first)
            .min_by_key(|m| m.record)
            .or(batched)
    }

    /// Adds a message, first sending the batch if the message would not fit in
    /// it, and sending the batch once it is full.
    pub async fn push(&mut self, m: Message) -> Result<(), String> {
        if !self.batcher.fits(&m) {
            self.send_batch().await?;
        }
        self.batcher.add(m);
        if self.batcher.is_full() {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Whether messages wait in a partial batch.
    pub fn has_batch(&self) -> bool {
        !self.batcher.is_empty()
    }

    /// Sends the partial batch (if any), first waiting for its turn under the rate.
    pub async fn send_batch(&mut self) -> Result<(), String> {
        match self.batcher.take().await {
            Some(batch) => self.dispatch(batch).await,
            None => Ok(()),
        }
    }

    /// Sends what is batched and waits until every node acknowledged everything.
    pub async fn finish(&mut self) -> Result<(), String> {
        self.send_batch().await?;
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
    pub async fn settle(&mut self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        for i in 0..self.nodes.len() {
            if let Link::Tcp(p) = &mut self.nodes[i] {
                let _ = tokio::time::timeout_at(deadline, p.flush()).await;
            }
        }
        self.collect_acks();
    }

    /// Whether the error last returned was one that retrying cannot fix (a
    /// refused AUTH or publish, a certificate that does not verify).
    pub fn failed_permanently(&self) -> bool {
        self.failed_permanently
    }

    pub fn has_in_flight(&self) -> bool {
        self.nodes.iter().any(|n| n.in_flight() > 0)
    }

    /// Waits for an acknowledgement (or failure) from a node with commands in flight,
    /// so that acks are counted and failures noticed while the source is idle.
    pub async fn wait_progress(&mut self) {
        for n in self.nodes.iter_mut() {
            if let Link::Tcp(p) = n {
                if p.in_flight() > 0 {
                    p.wait_progress().await;
                    return;
                }
            }
        }
        std::future::pending::<()>().await
    }

    /// Counts acknowledgements and recovers (or gives up on) nodes that failed
    /// while nothing was being sent.
    pub async fn check_failures(&mut self) -> Result<(), String> {
        self.collect_acks();
        for i in 0..self.nodes.len() {
            if let Some(f) = self.nodes[i].take_failure() {
                self.recover(i, f).await?;
            }
        }
        Ok(())
    }

    /// Connects node `i`; on failure, the error and whether it is permanent.
    async fn connect_node(&self, i: usize) -> Result<Link, (String, bool)> {
        let addr = &self.opts.addrs[i];
        match &self.opts.transport {
            Transport::Http(client) => Ok(Link::Http(HttpNode {
                client: client.clone(),
                base: addr.clone(),
                topic: self.opts.topic.clone(),
                limits: self.opts.producer.limits,
                acked: Vec::new(),
            })),
            Transport::Tcp => Publisher::connect(addr, &self.opts.topic, &self.opts.producer)
                .await
                .map(Link::Tcp)
                .map_err(|e| (e.to_string(), e.is_permanent())),
        }
    }

    /// Uses one retry: waits a little, then reconnects node `i`. A permanent
    /// failure is returned at once, without spending retries on it.
    async fn retry_connect(
        &mut self,
        i: usize,
        why: &str,
        permanent: bool,
    ) -> Result<Link, String> {
        let mut why = why.to_string();
        let mut permanent = permanent;
        loop {
            if self.retries_left == 0 || permanent {
                self.failed_permanently = permanent;
                return Err(why);
            }
            self.retries_left -= 1;
            let total = self.opts.retries;
            let attempt = total - self.retries_left;
            (self.on_event)(PoolEvent::Retrying {
                error: &why,
                attempt,
                total,
            });
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
            let total = self.acked_msgs;
            (self.on_event)(PoolEvent::Acknowledged { total });
        }
    }

    /// Link `i` acknowledged batch `seq`.
    fn ack(&mut self, i: usize, seq: u64) {
        if let Some(p) = self.pending.get_mut(&seq) {
            self.node_acked[i] += p.count;
            p.nodes_left -= 1;
            if p.nodes_left == 0 {
                let p = self.pending.remove(&seq).unwrap();
                self.acked_msgs += p.count;
                self.acked_bytes += p.bytes;
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

    async fn dispatch(&mut self, mut batch: Vec<Message>) -> Result<(), String> {
        let n = self.nodes.len();
        if self.opts.all_nodes || n == 1 || batch.len() == 1 {
            return self.dispatch_one(batch).await;
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
            self.dispatch_one(part).await?;
        }
        Ok(())
    }

    async fn dispatch_one(&mut self, batch: Vec<Message>) -> Result<(), String> {
        let seq = self.next_seq;
        self.next_seq += 1;
        let count = batch.len() as u64;
        let bytes = batch.iter().map(|m| m.body.len() as u64).sum();
        let first = Mark {
            record: batch[0].record,
            offset: batch[0].offset,
        };
        let last = &batch[batch.len() - 1];
        self.after_last = Mark {
            record: last.record + 1,
            offset: last.offset + last.body.len() as u64 + self.opts.separator_len,
        };
        let bodies: Vec<Bytes> = batch.into_iter().map(|m| m.body).collect();
        let publish = match self.opts.defer_ms {
            Some(defer_ms) => Publish::Dpub {
                defer_ms,
                body: bodies.into_iter().next().unwrap(),
            },
            None => Publish::batch(bodies),
        };
        let targets: Vec<usize> = if self.opts.all_nodes {
            (0..self.nodes.len()).collect()
        } else {
            vec![(seq % self.nodes.len() as u64) as usize]
        };
        let nodes_left = targets.len();
        self.pending.insert(
            seq,
            Pending {
                publish,
                nodes_left,
                count,
                bytes,
                first,
            },
        );
        self.sent_msgs += count;
        for i in targets {
            self.send_to(i, seq).await?;
        }
        self.collect_acks();
        Ok(())
    }
}
