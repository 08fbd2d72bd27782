//! `nsq-cli tail`: print a topic's messages, or run a command per message.

mod exec;
pub mod format;
mod printer;

use super::refuse;
use crate::cli::TailArgs;
use crate::client::consumer::{Consumer, ConsumerConfig, ConsumerEvent, Delivery};
use crate::client::discovery;
use crate::output;
use crate::protocol::names::{check_channel_name, check_topic_name};
use anyhow::{anyhow, bail, Context};
use exec::ExecSpec;
use format::Formatter;
use printer::Printer;
use std::collections::VecDeque;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The lookupd address used when neither nsqd nor lookupd addresses are given.
const DEFAULT_LOOKUPD: &str = "localhost:4161";

/// How long to wait, once stopping, for nsqd to confirm CLS and for our last FIN/REQ
/// to be written. Bounded so that a vanished node cannot hang the exit.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long running `--exec` commands get, after the first SIGINT/SIGTERM was passed
/// on to them, before they are killed (their messages requeued either way).
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Most messages printed per write+flush.
const MAX_BATCH: usize = 4096;

#[derive(Debug)]
enum Stop {
    Count,
    Idle,
    Signal,
    StdoutClosed,
    StdoutError(std::io::Error),
    /// A failure reconnecting cannot fix (refused AUTH, bad certificate, ...).
    Fatal(String),
}

struct Settings {
    topic: String,
    channel: String,
    count: Option<u64>,
    idle: Option<Duration>,
    max_in_flight: u64,
}

pub async fn run(args: TailArgs) -> anyhow::Result<ExitCode> {
    // One thread for the whole consumer: handing a message from the socket reader
    // to the printer and its FIN to the socket writer are then task switches, not
    // cross-thread wake-ups, which is what bounds throughput at a small RDY.
    tokio::task::spawn_blocking(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?
            .block_on(run_here(args))
    })
    .await
    .context("tail stopped unexpectedly")?
}

async fn run_here(args: TailArgs) -> anyhow::Result<ExitCode> {
    check_topic_name(&args.topic).or_else(refuse)?;
    let channel = match &args.channel {
        Some(c) => {
            check_channel_name(c).or_else(refuse)?;
            c.clone()
        }
        None => format!("tail{:06}#ephemeral", rand::random_range(0..1_000_000u32)),
    };
    let mut formatter = Formatter::body(&args.topic, &channel);
    if args.json {
        formatter = formatter.json();
    } else if let Some(t) = &args.format {
        formatter = match formatter.template(t) {
            Ok(f) => f,
            Err(e) => return refuse(&e),
        };
    } else if args.print_topic {
        formatter = formatter.print_topic();
    }
    if let Some(d) = &args.delimiter {
        formatter = match formatter.delimiter(d) {
            Ok(f) => f,
            Err(e) => return refuse(&e),
        };
    }
    crate::http::map::set_address_map(crate::http::map::AddressMap::new(
        args.http.map_address.clone(),
    ));
    let nsqd =
        match crate::addr::tcp_addresses("--nsqd-tcp-address", &clean(&args.nsqd_tcp_address)) {
            Ok(mut a) => {
                a.sort();
                a.dedup();
                a
            }
            Err(e) => return refuse(&e),
        };
    let mut lookupd: Vec<String> = clean(&args.lookupd_http_address);
    if let Some(e) = lookupd.iter().find_map(|a| crate::http::base_url(a).err()) {
        return refuse(format!("--lookupd-http-address: {e}"));
    }
    if nsqd.is_empty() && lookupd.is_empty() {
        lookupd.push(DEFAULT_LOOKUPD.to_string());
    }
    let dead_letter = match &args.dead_letter {
        Some(p) => match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
        {
            Ok(f) => Some(f),
            Err(e) => {
                return refuse(format!(
                    "cannot open --dead-letter file {}: {}",
                    p.display(),
                    crate::error::describe_io(&e)
                ))
            }
        },
        None => None,
    };
    let mut max_in_flight = args.max_in_flight.unwrap_or(if args.exec.is_some() {
        args.concurrency
    } else {
        200
    });
    if let Some(n) = args.count {
        max_in_flight = max_in_flight.min(n);
    }
    let connect = match args
        .conn
        .connect_options(crate::client::conn::ConnectOptions::default())
    {
        Ok(c) => c,
        Err(e) => return refuse(format!("{e:#}")),
    };
    if args.create {
        create(&lookupd, &args.topic, &channel, args.http.http_timeout).await?;
    }

    let mut sigint = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut sigterm = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    // Every SIGINT/SIGTERM, as a stream: the first stops cleanly, a second one
    // skips waiting for the last FIN/REQ/CLS round trips.
    let (signal_tx, signals) = mpsc::unbounded_channel::<i32>();
    tokio::spawn(async move {
        loop {
            let sig = tokio::select! {
                _ = sigint.recv() => libc::SIGINT,
                _ = sigterm.recv() => libc::SIGTERM,
            };
            if signal_tx.send(sig).is_err() {
                return;
            }
        }
    });

    let (consumer, rx) = Consumer::start(
        ConsumerConfig {
            topic: args.topic.clone(),
            channel: channel.clone(),
            nsqd_tcp_addresses: nsqd,
            lookupd_http_addresses: lookupd,
            lookupd_poll_interval: args.lookupd_poll_interval,
            http_timeout: args.http.http_timeout,
            max_in_flight,
            connect,
        },
        event_printer(&args.topic, &channel),
    );
    let settings = Settings {
        topic: args.topic.clone(),
        channel,
        count: args.count,
        idle: args.idle_timeout,
        max_in_flight,
    };
    let stop = match &args.exec {
        Some(cmd) => {
            let spec = ExecSpec {
                command: cmd.clone(),
                topic: settings.topic.clone(),
                channel: settings.channel.clone(),
            };
            let worker = Worker {
                spec: Arc::new(spec),
                concurrency: args.concurrency as usize,
                requeue_delay: args.requeue_delay,
                max_attempts: args.max_attempts,
                dead_letter,
                dead_letter_path: args.dead_letter.clone(),
                interrupt: tokio::sync::watch::channel(0).0,
                interrupted: false,
                requeued: 0,
            };
            worker.run(&settings, &consumer, rx, signals).await
        }
        None => print_loop(&settings, &formatter, args.requeue, &consumer, rx, signals).await,
    };
    match stop {
        Stop::StdoutError(e) => Err(anyhow!("cannot write to stdout: {e}")),
        Stop::Fatal(e) => Err(anyhow!(e)),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Shows the consumer's events on stderr, worded for people.
fn event_printer(topic: &str, channel: &str) -> impl Fn(ConsumerEvent) + Send + Sync + 'static {
    let (topic, channel) = (topic.to_string(), channel.to_string());
    move |event| match event {
        ConsumerEvent::Subscribed { node } => {
            output::info(&format!("subscribed to {topic}/{channel} on {node}"))
        }
        ConsumerEvent::Reconnected { node } => {
            output::info(&format!("reconnected to nsqd at {node}"))
        }
        ConsumerEvent::NodeLost {
            error, retry_in, ..
        } => output::warn(&format!(
            "{error}; reconnecting in {}",
            humantime::format_duration(retry_in)
        )),
        ConsumerEvent::NodeLeft { node, error } => output::info(&format!(
            "{error}; not reconnecting to {node} (it left nsqlookupd)"
        )),
        ConsumerEvent::ServerError { node, error } => {
            output::debug(&format!("nsqd {node}: {error}"))
        }
        ConsumerEvent::LookupdUnreachable { error, .. } => {
            output::warn(&format!("{error} (retrying; Ctrl-C to stop)"))
        }
        ConsumerEvent::LookupdReachable { lookupd } => {
            output::info(&format!("nsqlookupd {lookupd}: reachable again"))
        }
        ConsumerEvent::NodeUnlisted { node } => output::info(&format!(
            "nsqd {node} no longer has topic {topic} at nsqlookupd"
        )),
        ConsumerEvent::NoNodesYet => output::info(&format!(
            "topic {topic} has no nsqd at nsqlookupd yet; waiting for it"
        )),
    }
}

fn clean(addrs: &[String]) -> Vec<String> {
    let mut v: Vec<String> = addrs
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// `--create`: topic and channel on every node lookupd knows. Directly given nodes
/// need nothing: SUB creates both there before any message can be missed.
async fn create(
    lookupd: &[String],
    topic: &str,
    channel: &str,
    http_timeout: Duration,
) -> anyhow::Result<()> {
    if lookupd.is_empty() {
        return Ok(());
    }
    let client = discovery::http_client(http_timeout);
    let mut nodes = Vec::new();
    for l in lookupd {
        nodes.extend(discovery::nodes(&client, l).await?);
    }
    nodes.sort();
    nodes.dedup();
    if nodes.is_empty() {
        bail!(
            "--create: no nsqd is registered with nsqlookupd {}; nowhere to create {topic}/{channel}",
            lookupd.join(", ")
        );
    }
    for n in &nodes {
        discovery::create_topic_channel(&client, &n.http, topic, channel).await?;
        output::debug(&format!("created {topic}/{channel} on nsqd {}", n.http));
    }
    Ok(())
}

/// The SIGINT/SIGTERM tail received, by number.
type Signals = mpsc::UnboundedReceiver<i32>;

/// Resolves when stdout is a pipe or socket whose reader went away (`| head`), so
/// tail exits at once instead of at the next write. None for files and terminals.
fn watch_stdout_closed() -> Option<tokio::sync::oneshot::Receiver<()>> {
    let kind = printer::stdout_kind()?;
    if kind != libc::S_IFIFO && kind != libc::S_IFSOCK {
        return None;
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    // A plain thread: it may block in poll() until the process exits.
    std::thread::spawn(move || loop {
        // With no events requested, poll() reports only POLLERR/POLLHUP, which is
        // what a pipe's write end gets once its reader closed it.
        let mut pfd = libc::pollfd {
            fd: 1,
            events: 0,
            revents: 0,
        };
        // SAFETY: one valid pollfd, length 1.
        let r = unsafe { libc::poll(&mut pfd, 1, -1) };
        if r > 0 && pfd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            let _ = tx.send(());
            return;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    });
    Some(rx)
}

fn idle_deadline(idle: Option<Duration>) -> Instant {
    // Far enough to never fire when there is no idle timeout.
    Instant::now() + idle.unwrap_or(Duration::from_secs(86400 * 365))
}

/// How long to wait before asking a pipe again whether its reader took more.
const POLL_MIN: Duration = Duration::from_millis(1);
const POLL_MAX: Duration = Duration::from_millis(50);

type Closed = Option<tokio::sync::oneshot::Receiver<()>>;

/// Resolves when the reader of stdout went away; never when that cannot be known.
async fn reader_gone(closed: &mut Closed) {
    let Some(rx) = closed.as_mut() else {
        return std::future::pending().await;
    };
    let gone = rx.await.is_ok();
    // A finished receiver must not be polled again.
    *closed = None;
    if !gone {
        std::future::pending::<()>().await
    }
}

/// Prints messages in batches; each is FINed (or held, for --requeue) once
/// written, or, into a pipe, once its reader took it (see [`printer`]).
async fn print_loop(
    s: &Settings,
    formatter: &Formatter,
    requeue: bool,
    consumer: &Consumer,
    mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    mut signals: Signals,
) -> Stop {
    let mut printed: u64 = 0;
    let mut pending: VecDeque<Delivery> = VecDeque::new();
    // Print and FIN in slices of an eighth of the window: FINs for the first slice are on
    // the wire while later ones are printed, keeping nsqd's pipe full.
    let chunk = (s.max_in_flight as usize / 8).clamp(16, MAX_BATCH);
    let window = (s.max_in_flight as usize / 2).clamp(16, MAX_BATCH);
    let mut out = Printer::new(formatter, requeue, window);
    let mut poll = POLL_MIN;
    let mut next_touch = Instant::now() + out.touch_every();
    let mut deadline = idle_deadline(s.idle);
    let mut stdout_closed = watch_stdout_closed();
    let stop = loop {
        let can_write = !pending.is_empty() && out.room() > 0;
        tokio::select! {
            biased;
            Some(_) = signals.recv() => break Stop::Signal,
            e = consumer.fatal() => break Stop::Fatal(e),
            _ = reader_gone(&mut stdout_closed) => break Stop::StdoutClosed,
            _ = std::future::ready(()), if can_write => {
                let n = pending.len().min(chunk).min(out.room());
                let mut batch: Vec<Delivery> = pending.drain(..n).collect();
                let take = match s.count {
                    Some(c) => batch.len().min((c - printed) as usize),
                    None => batch.len(),
                };
                for d in batch.split_off(take) {
                    d.conn.req(d.msg.id, Duration::ZERO);
                }
                printed += take as u64;
                let complete = s.count.is_some_and(|c| printed >= c);
                if complete {
                    // RDY 0 and CLS go out before the FINs, so the room they free
                    // is not filled with messages we would only hand back.
                    consumer.stop();
                } else if let Some(c) = s.count {
                    // Ask for no more than is still wanted before FINs free up room.
                    consumer.set_max_in_flight(s.max_in_flight.min(c - printed));
                }
                if let Err(e) = out.print(batch) {
                    break if e.error.kind() == std::io::ErrorKind::BrokenPipe {
                        Stop::StdoutClosed
                    } else {
                        Stop::StdoutError(e.error)
                    };
                }
                deadline = idle_deadline(s.idle);
                poll = POLL_MIN;
                if complete {
                    break Stop::Count;
                }
                if !pending.is_empty() {
                    // Let the writer send these FINs now, so nsqd refills the
                    // window while we print the rest.
                    tokio::task::yield_now().await;
                }
            }
            d = rx.recv() => {
                // The consumer keeps a sender until stop(), so None cannot happen here.
                let Some(incoming) = d else { break Stop::Signal };
                out.arrived(&incoming);
                pending.extend(incoming);
                while pending.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(more) => {
                            out.arrived(&more);
                            pending.extend(more);
                        }
                        Err(_) => break,
                    }
                }
                // Held in flight from now on: TOUCHed in time if the pipe is slow.
                next_touch = next_touch.min(Instant::now() + out.touch_every());
                out.collect();
            }
            _ = tokio::time::sleep(poll), if out.unread() > 0 => {
                poll = if out.collect() { POLL_MIN } else { (poll * 2).min(POLL_MAX) };
            }
            _ = tokio::time::sleep_until(next_touch), if out.holds() || !pending.is_empty() => {
                out.touch_all(&pending);
                next_touch = Instant::now() + out.touch_every();
            }
            _ = tokio::time::sleep_until(deadline), if s.idle.is_some() => break Stop::Idle,
        }
    };
    consumer.stop();
    let unprinted = pending.len() as u64;
    for d in pending.drain(..) {
        d.conn.req(d.msg.id, Duration::ZERO);
    }
    let mut returned = 0;
    if out.unread() > 0 && matches!(stop, Stop::Count | Stop::Idle | Stop::Signal) {
        let limit = matches!(stop, Stop::Signal).then(|| Instant::now() + DRAIN_TIMEOUT);
        returned += settle(&mut out, limit, &mut rx, &mut signals, &mut stdout_closed).await;
    }
    let (untaken, held) = out.give_back();
    returned += drain(consumer, rx, &mut signals).await;
    if matches!(stop, Stop::Signal) {
        output::info(&format!(
            "stopped: {} printed, {} requeued",
            out.delivered - held,
            returned + held + untaken + unprinted
        ));
    }
    stop
}

/// Once stopping, waits for the pipe's reader to take what was written into the
/// pipe, TOUCHing it meanwhile: until `limit` if given; a signal or the reader
/// going away ends the wait (what it did not take is then given back). Messages
/// still arriving are requeued at once; returns how many.
async fn settle(
    out: &mut Printer<'_>,
    limit: Option<Instant>,
    rx: &mut mpsc::UnboundedReceiver<Vec<Delivery>>,
    signals: &mut Signals,
    closed: &mut Closed,
) -> u64 {
    let mut requeued = 0;
    let mut poll = POLL_MIN;
    let mut next_touch = Instant::now() + out.touch_every();
    let far = Instant::now() + Duration::from_secs(86400 * 365);
    while out.unread() > 0 {
        tokio::select! {
            biased;
            Some(_) = signals.recv() => return requeued,
            _ = reader_gone(closed) => return requeued,
            _ = tokio::time::sleep_until(limit.unwrap_or(far)) => return requeued,
            Some(batch) = rx.recv() => {
                requeued += batch.len() as u64;
                for d in batch {
                    d.conn.req(d.msg.id, Duration::ZERO);
                }
            }
            _ = tokio::time::sleep(poll) => {
                poll = if out.collect() { POLL_MIN } else { (poll * 2).min(POLL_MAX) };
            }
            _ = tokio::time::sleep_until(next_touch) => {
                out.touch_all([]);
                next_touch = Instant::now() + out.touch_every();
            }
        }
    }
    requeued
}

/// After stop(): requeue everything still arriving until every connection confirmed
/// CLS, then wait for the last commands to be written. Returns how many were requeued.
async fn drain(
    consumer: &Consumer,
    mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    signals: &mut Signals,
) -> u64 {
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    let mut n = 0;
    loop {
        tokio::select! {
            biased;
            _ = signals.recv() => {
                output::warn("second signal: exiting now; messages still held return to their channel after nsqd's msg-timeout");
                return n;
            }
            b = tokio::time::timeout_at(deadline, rx.recv()) => match b {
                Ok(Some(batch)) => {
                    for d in batch {
                        d.conn.req(d.msg.id, Duration::ZERO);
                        n += 1;
                    }
                }
                Ok(None) | Err(_) => break,
            },
        }
    }
    drop(rx);
    let wait = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(1);
    tokio::select! {
        biased;
        _ = signals.recv() => {
            output::warn("second signal: exiting now");
        }
        _ = consumer.join(wait) => {}
    }
    n
}

struct Worker {
    spec: Arc<ExecSpec>,
    concurrency: usize,
    requeue_delay: Option<Duration>,
    max_attempts: Option<u16>,
    dead_letter: Option<std::fs::File>,
    dead_letter_path: Option<std::path::PathBuf>,
    /// Signals for the running commands' process groups.
    interrupt: tokio::sync::watch::Sender<i32>,
    /// Stopping on a signal: commands that do not exit 0 from now on were stopped
    /// by us, not failed; their messages go back at once, uncounted.
    interrupted: bool,
    /// Messages given back because we stopped.
    requeued: u64,
}

type Outcome = (Delivery, std::io::Result<std::process::ExitStatus>);

impl Worker {
    async fn run(
        mut self,
        s: &Settings,
        consumer: &Consumer,
        mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
        mut signals: Signals,
    ) -> Stop {
        let mut done: u64 = 0;
        let mut waiting: VecDeque<Delivery> = VecDeque::new();
        let mut running: JoinSet<Outcome> = JoinSet::new();
        let mut deadline = idle_deadline(s.idle);
        let mut stopping: Option<Stop> = None;
        let mut rx_open = true;
        let mut forced = false;
        let mut grace_end: Option<Instant> = None;
        loop {
            // Start what we may: never more at once than still needed for -n.
            if stopping.is_none() {
                while running.len() < self.concurrency
                    && s.count.is_none_or(|n| done + (running.len() as u64) < n)
                {
                    let Some(d) = waiting.pop_front() else { break };
                    self.start(&mut running, d);
                }
            }
            if stopping.is_some() && !rx_open && running.is_empty() {
                break;
            }
            tokio::select! {
                biased;
                Some(sig) = signals.recv() => {
                    if grace_end.is_none() && !self.interrupted {
                        // First signal: pass it on to the commands, give them STOP_GRACE.
                        self.interrupted = true;
                        self.interrupt.send_replace(sig);
                        grace_end = Some(Instant::now() + STOP_GRACE);
                        if stopping.is_none() {
                            stopping = Some(Stop::Signal);
                            self.begin_stop(consumer, &mut waiting);
                        }
                    } else if grace_end.take().is_some() {
                        output::warn("second signal: killing the running commands; their messages are requeued");
                        self.interrupt.send_replace(libc::SIGKILL);
                    } else {
                        output::warn("third signal: exiting without waiting for the killed commands; their messages return after nsqd's msg-timeout");
                        forced = true;
                        break;
                    }
                }
                e = consumer.fatal(), if stopping.is_none() => {
                    // Running commands finish (and are answered); nothing new starts.
                    stopping = Some(Stop::Fatal(e));
                    self.begin_stop(consumer, &mut waiting);
                }
                r = running.join_next(), if !running.is_empty() => {
                    let Some(Ok((d, status))) = r else { continue };
                    deadline = idle_deadline(s.idle);
                    let success = status.as_ref().is_ok_and(|st| st.success());
                    if success {
                        done += 1;
                        if let Some(n) = s.count {
                            if done >= n && stopping.is_none() {
                                // Stop (RDY 0, CLS) before the FIN frees room.
                                stopping = Some(Stop::Count);
                                self.begin_stop(consumer, &mut waiting);
                            } else if done < n {
                                consumer.set_max_in_flight(s.max_in_flight.min(n - done));
                            }
                        }
                    }
                    self.finish(d, status);
                }
                b = rx.recv(), if rx_open => match b {
                    None => rx_open = false,
                    Some(b) if stopping.is_some() => {
                        self.requeued += b.len() as u64;
                        for d in b {
                            d.conn.req(d.msg.id, Duration::ZERO);
                        }
                    }
                    Some(b) => {
                        deadline = idle_deadline(s.idle);
                        waiting.extend(b);
                    }
                },
                _ = tokio::time::sleep_until(grace_end.unwrap_or_else(Instant::now)), if grace_end.is_some() && !running.is_empty() => {
                    grace_end = None;
                    output::warn(&format!(
                        "{} command(s) still running {} after the signal: killed; their messages are requeued",
                        running.len(),
                        humantime::format_duration(STOP_GRACE)
                    ));
                    self.interrupt.send_replace(libc::SIGKILL);
                }
                _ = tokio::time::sleep_until(deadline), if s.idle.is_some() && stopping.is_none() => {
                    if running.is_empty() && waiting.is_empty() {
                        stopping = Some(Stop::Idle);
                        self.begin_stop(consumer, &mut waiting);
                    } else {
                        deadline = idle_deadline(s.idle);
                    }
                }
                _ = tokio::time::sleep_until(Instant::now() + DRAIN_TIMEOUT), if stopping.is_some() && rx_open && running.is_empty() => {
                    break;
                }
            }
        }
        drop(rx);
        if !forced {
            consumer.join(DRAIN_TIMEOUT).await;
        }
        if matches!(stopping, Some(Stop::Signal)) {
            output::info(&format!(
                "stopped: {done} handled successfully, {} requeued",
                self.requeued
            ));
        }
        stopping.unwrap_or(Stop::Signal)
    }

    fn begin_stop(&mut self, consumer: &Consumer, waiting: &mut VecDeque<Delivery>) {
        consumer.stop();
        self.requeued += waiting.len() as u64;
        for d in waiting.drain(..) {
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
            self.give_up(d, &reason);
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

    fn give_up(&mut self, d: Delivery, reason: &str) {
        let mut where_to = String::new();
        if let (Some(f), Some(p)) = (self.dead_letter.as_mut(), &self.dead_letter_path) {
            let rec =
                format::json_record(&d.msg, &self.spec.topic, &self.spec.channel, &d.conn.addr);
            let mut line = serde_json::to_vec(&rec).unwrap_or_default();
            line.push(b'\n');
            match f.write_all(&line).and_then(|_| f.flush()) {
                Ok(()) => where_to = format!("; written to {}", p.display()),
                Err(e) => {
                    // Keep it in the channel rather than lose it.
                    output::error(&format!(
                        "message {}: cannot write to {}: {e}; requeued instead",
                        d.msg.id,
                        p.display()
                    ));
                    d.conn.req(d.msg.id, exec::backoff_delay(d.msg.attempts));
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
}
