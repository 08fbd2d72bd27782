//! Batching: messages grouped into MPUBs within the nodes' limits, released at
//! the configured rate.

use super::Message;
use crate::client::producer::Limits;
use std::time::{Duration, Instant};

/// Size of an empty MPUB body (the message count).
const EMPTY_BODY: usize = 4;

pub(super) struct Batcher {
    batch: Vec<Message>,
    /// MPUB body size of `batch`.
    body: usize,
    max: usize,
    limits: Limits,
    rate: Option<f64>,
    started: Instant,
    /// Messages released so far (for the rate).
    released: u64,
}

impl Batcher {
    pub fn new(max: usize, limits: Limits, rate: Option<f64>) -> Batcher {
        let mut b = Batcher {
            batch: Vec::new(),
            body: EMPTY_BODY,
            max: 1,
            limits,
            rate,
            started: Instant::now(),
            released: 0,
        };
        b.set_limits(max, limits);
        b
    }

    /// At most `max` messages per batch, within `limits` (the pace keeps its start).
    pub fn set_limits(&mut self, max: usize, limits: Limits) {
        self.max = max.min(limits.max_mpub_count()).max(1);
        self.limits = limits;
        self.batch = Vec::with_capacity(self.max.min(4096));
    }

    /// Whether `m` can join the batch without going over a limit.
    pub fn fits(&self, m: &Message) -> bool {
        self.batch.len() < self.max && self.body + 4 + m.body.len() <= self.limits.max_body_size
    }

    pub fn add(&mut self, m: Message) {
        self.body += 4 + m.body.len();
        self.batch.push(m);
    }

    pub fn is_full(&self) -> bool {
        self.batch.len() >= self.max
    }

    pub fn is_empty(&self) -> bool {
        self.batch.is_empty()
    }

    /// The first message waiting in the batch.
    pub fn first(&self) -> Option<&Message> {
        self.batch.first()
    }

    /// The batch (if any), once the rate allows it out.
    pub async fn take(&mut self) -> Option<Vec<Message>> {
        if self.batch.is_empty() {
            return None;
        }
        if let Some(rate) = self.rate {
            let due = self.started + Duration::from_secs_f64(self.released as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        self.released += self.batch.len() as u64;
        self.body = EMPTY_BODY;
        let next = Vec::with_capacity(self.max.min(4096));
        Some(std::mem::replace(&mut self.batch, next))
    }
}
