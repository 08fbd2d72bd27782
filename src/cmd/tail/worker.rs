//! `--exec`: a command per message, FIN on success, REQ with backoff otherwise,
//! dead letters (file, topic: see [`super::dead_letter`]) after --max-attempts,
//! and signals passed on to the commands.

use super::args::TailArgs;
use super::dead_letter::DeadLetters;
use super::exec::{self, ExecSpec};
use super::stop::{idle_deadline, idle_over, Settings, Signals, Stop, DRAIN_TIMEOUT};
use crate::client::consumer::{Consumer, Delivery};
use crate::output;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// How long running `--exec` commands get, after the first SIGINT/SIGTERM was passed
/// on to them, before they are killed (their messages requeued either way).
const STOP_GRACE: Duration = Duration::from_secs(10);

pub struct Worker {
    spec: Arc<ExecSpec>,
    concurrency: usize,
    requeue_delay: Option<Duration>,
    max_attempts: Option<u16>,
    dead: DeadLetters,
    /// Signals for the running commands' process groups.
    interrupt: tokio::sync::watch::Sender<i32>,
    /// Stopping on a signal: commands that do not exit 0 from now on were stopped
    /// by us, not failed; their messages go back at once, uncounted.
    interrupted: bool,
    /// Messages given back because we stopped.
    requeued: u64,
    /// Commands that succeeded.
    done: u64,
    /// Delivered, not yet started.
    waiting: VecDeque<Delivery>,
    /// Why we stop, once we do: nothing new starts.
    stopping: Option<Stop>,
    /// Until when the commands signalled on the first signal may still run.
    grace_end: Option<Instant>,
}

type Outcome = (Delivery, std::io::Result<std::process::ExitStatus>);

impl Worker {
    pub fn new(args: &TailArgs, spec: ExecSpec, dead: DeadLetters) -> Worker {
        Worker {
            spec: Arc::new(spec),
            concurrency: args.concurrency as usize,
            requeue_delay: args.requeue_delay,
            max_attempts: args.max_attempts,
            dead,
            interrupt: tokio::sync::watch::channel(0).0,
            interrupted: false,
            requeued: 0,
            done: 0,
            waiting: VecDeque::new(),
            stopping: None,
            grace_end: None,
        }
    }

    pub async fn run(
        mut self,
        s: &Settings,
        consumer: &Consumer,
        mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
        mut signals: Signals,
    ) -> Stop {
        let mut running: JoinSet<Outcome> = JoinSet::new();
        let mut deadline = idle_deadline(s.idle);
        let mut rx_open = true;
        let mut forced = false;
        // Once stopping, a fixed time to wait for the last batches in the queue.
        let mut drain_end: Option<Instant> = None;
        loop {
            self.start_ready(s, &mut running);
            // Dead letters on their way to the topic are answered before we stop.
            let busy = !running.is_empty() || self.dead.pending() > 0;
            if self.stopping.is_some() && !rx_open && !busy {
                break;
            }
            if self.stopping.is_some() && drain_end.is_none() {
                drain_end = Some(Instant::now() + DRAIN_TIMEOUT);
            }
            tokio::select! {
                biased;
                sig = signals.recv() => {
                    if self.on_signal(sig.number(), consumer) {
                        forced = true;
                        break;
                    }
                }
                e = consumer.fatal(), if self.stopping.is_none() => {
                    // Running commands finish (and are answered); nothing new starts.
                    self.stop_for(Stop::Fatal(e), consumer);
                }
                r = running.join_next(), if !running.is_empty() => {
                    let Some(Ok((d, status))) = r else { continue };
                    deadline = idle_deadline(s.idle);
                    self.on_done(s, consumer, d, status);
                }
                _ = self.dead.next(), if self.dead.pending() > 0 => {
                    deadline = idle_deadline(s.idle);
                }
                b = rx.recv(), if rx_open => match b {
                    None => rx_open = false,
                    Some(b) => {
                        if self.take(b) {
                            deadline = idle_deadline(s.idle);
                        }
                    }
                },
                _ = tokio::time::sleep_until(self.grace_end.unwrap_or_else(Instant::now)), if self.grace_end.is_some() && !running.is_empty() => {
                    self.grace_over(running.len());
                }
                _ = tokio::time::sleep_until(deadline.at), if s.idle.is_some() && self.stopping.is_none() => {
                    if busy || !self.waiting.is_empty() {
                        deadline = idle_deadline(s.idle);
                    } else if let Some(stop) = idle_over(s.idle, &consumer.reachability(), &mut deadline) {
                        self.stop_idle(stop, consumer);
                    }
                }
                _ = tokio::time::sleep_until(drain_end.unwrap_or_else(Instant::now)), if self.stopping.is_some() && rx_open && !busy => {
                    break;
                }
            }
        }
        self.wind_down(consumer, rx, forced).await
    }

    /// After the loop: what is still queued for us goes back at once (not after
    /// the msg-timeout), then the consumer's last FIN/REQ/CLS (unless forced).
    async fn wind_down(
        mut self,
        consumer: &Consumer,
        mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
        forced: bool,
    ) -> Stop {
        while let Ok(b) = rx.try_recv() {
            self.requeued += b.len() as u64;
            for d in b {
                d.conn.req(d.msg.id, Duration::ZERO);
            }
        }
        drop(rx);
        if !forced {
            consumer.join(DRAIN_TIMEOUT).await;
        }
        if matches!(self.stopping, Some(Stop::Signal)) {
            output::info(&format!(
                "stopped: {} handled successfully, {} requeued",
                self.done, self.requeued
            ));
        }
        self.stopping.take().unwrap_or(Stop::Signal)
    }

    /// Delivered messages: queued to start, or given back at once when stopping.
    /// Whether they were taken.
    fn take(&mut self, b: Vec<Delivery>) -> bool {
        if self.stopping.is_none() {
            self.waiting.extend(b);
            return true;
        }
        self.requeued += b.len() as u64;
        for d in b {
            d.conn.req(d.msg.id, Duration::ZERO);
        }
        false
    }

    /// The commands signalled on the first signal had their STOP_GRACE: killed.
    fn grace_over(&mut self, still_running: usize) {
        self.grace_end = None;
        output::warn(&format!(
            "{still_running} command(s) still running {} after the signal: killed; their messages are requeued",
            humantime::format_duration(STOP_GRACE)
        ));
        self.interrupt.send_replace(libc::SIGKILL);
    }

    /// Starts what we may: never more at once than still needed for -n, nothing
    /// once stopping.
    fn start_ready(&mut self, s: &Settings, running: &mut JoinSet<Outcome>) {
        if self.stopping.is_some() {
            return;
        }
        while running.len() < self.concurrency
            && s.count
                .is_none_or(|n| self.done + (running.len() as u64) < n)
        {
            let Some(d) = self.waiting.pop_front() else {
                break;
            };
            self.start(running, d);
        }
    }

    /// The first signal is passed on to the commands, which get STOP_GRACE; a
    /// second kills them; a third exits at once (returns true).
    fn on_signal(&mut self, sig: i32, consumer: &Consumer) -> bool {
        if self.grace_end.is_none() && !self.interrupted {
            self.interrupted = true;
            self.interrupt.send_replace(sig);
            self.grace_end = Some(Instant::now() + STOP_GRACE);
            if self.stopping.is_none() {
                self.stop_for(Stop::Signal, consumer);
            }
        } else if self.grace_end.take().is_some() {
            output::warn(
                "second signal: killing the running commands; their messages are requeued",
            );
            self.interrupt.send_replace(libc::SIGKILL);
        } else {
            output::warn("third signal: exiting without waiting for the killed commands; their messages return after nsqd's msg-timeout");
            return true;
        }
        false
    }

    /// A command ended: count it toward -n, then answer its message.
    fn on_done(
        &mut self,
        s: &Settings,
        consumer: &Consumer,
        d: Delivery,
        status: std::io::Result<std::process::ExitStatus>,
    ) {
        let success = status.as_ref().is_ok_and(|st| st.success());
        if success {
            self.done += 1;
            if let Some(n) = s.count {
                if self.done >= n && self.stopping.is_none() {
                    // Stop (RDY 0, CLS) before the FIN frees room.
                    self.stop_for(Stop::Count, consumer);
                } else if self.done < n {
                    consumer.set_max_in_flight(s.max_in_flight.min(n - self.done));
                }
            }
        }
        self.finish(d, status);
    }

    /// --idle-timeout: stops, saying how much was handled if a source node was
    /// unreachable.
    fn stop_idle(&mut self, why: Stop, consumer: &Consumer) {
        let why = match why {
            Stop::Unreachable(line) => Stop::Unreachable(format!(
                "{line}; stopping ({} handled successfully)",
                self.done
            )),
            other => other,
        };
        self.stop_for(why, consumer);
    }

    fn stop_for(&mut self, why: Stop, consumer: &Consumer) {
        self.stopping = Some(why);
        consumer.stop();
        self.requeued += self.waiting.len() as u64;
        for d in self.waiting.drain(..) {
            d.conn.req(d.msg.id, Duration::ZERO);
        }
    }

    fn start(&self, running: &mut JoinSet<Outcome>, d: Delivery) {
        let spec = self.spec.clone();
        let signals = self.interrupt.subscribe();
        running.spawn(async move {
            let conn = d.conn.clone();
            let id = d.msg.id;
            let every = (d.conn.msg_timeout / 2).max(Duration::from_millis(500));
            let status = exec::run(&spec, &d.msg, every, || conn.touch(id), signals).await;
            (d, status)
        });
    }

    /// FIN on success; otherwise REQ, or give up after --max-attempts. A command
    /// that ends otherwise once we were signalled was stopped by us, not failed:
    /// its message goes back at once, and no attempt is held against it.
    fn finish(&mut self, d: Delivery, status: std::io::Result<std::process::ExitStatus>) {
        let why = match status {
            Ok(s) if s.success() => {
                d.conn.fin(d.msg.id);
                return;
            }
            _ if self.interrupted => {
                d.conn.req(d.msg.id, Duration::ZERO);
                self.requeued += 1;
                return;
            }
            Ok(s) => match s.code() {
                Some(c) => format!("exit status {c}"),
                None => format!("{s}"),
            },
            Err(e) => format!("cannot run sh: {e}"),
        };
        if self.max_attempts.is_some_and(|m| d.msg.attempts >= m) {
            let reason = format!("the command failed ({why}) on attempt {}", d.msg.attempts);
            self.dead.give_up(d, reason);
            return;
        }
        let delay = self
            .requeue_delay
            .unwrap_or_else(|| exec::backoff_delay(d.msg.attempts));
        output::warn(&format!(
            "message {}: command failed ({why}) on attempt {}; requeued with a delay of {}",
            d.msg.id,
            d.msg.attempts,
            humantime::format_duration(delay)
        ));
        d.conn.req(d.msg.id, delay);
    }
}
