//! `nsq-cli bench`: publish and consume as fast as an nsqd allows, and report
//! msg/s, MB/s and latency percentiles.

pub mod args;

use crate::client::conn::{CommandWriter, ConnectOptions, Connection, FrameReader, Inbound};
use crate::cmd::signals::{Signals, Stop};
use crate::output;
use crate::protocol::names::{check_channel_name, check_topic_name};
use crate::protocol::Command;
use anyhow::{bail, Context};
use args::{BenchArgs, BenchMode, BenchOptions};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Unacknowledged MPUB batches allowed per connection: enough to keep the pipe
/// full, few enough that latency measures the server and not our own queue.
const PUB_BATCHES_IN_FLIGHT: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct LatencyMs {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mode: &'static str,
    pub topic: String,
    pub messages: u64,
    pub bytes: u64,
    pub size: usize,
    pub connections: usize,
    pub seconds: f64,
    pub messages_per_second: f64,
    pub bytes_per_second: f64,
    pub latency_ms: LatencyMs,
    /// The signal that cut the run short (`SIGINT`, `SIGTERM`), else null.
    pub interrupted: Option<&'static str>,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let opts = match &args.mode {
        Some(BenchMode::Pub(o)) | Some(BenchMode::Sub(o)) => o,
        None => &args.opts,
    };
    if let Err(e) = check_addresses(opts) {
        return super::refuse(e);
    }
    let mut signals = Signals::install()?;
    let halt = Halt::default();
    let watcher = {
        let halt = halt.clone();
        tokio::spawn(async move {
            let s = signals.recv().await;
            halt.stop(s);
        })
    };
    let (o, mut reports) = match args.mode {
        Some(BenchMode::Pub(o)) => {
            let o = validated(o, "bench")?;
            let r = bench_pub(&o, &o.topic.clone().unwrap(), &halt).await?;
            (o, vec![r])
        }
        Some(BenchMode::Sub(o)) => {
            let o = validated(o, "bench")?;
            let r = bench_sub(&o, &o.topic.clone().unwrap(), None, &halt).await?;
            (o, vec![r])
        }
        None => {
            let throwaway = format!("bench_{:06}", rand::random_range(0..1_000_000));
            let o = validated(args.opts, &throwaway)?;
            let topic = o.topic.clone().unwrap();
            let result = bench_both(&o, &topic, &halt).await;
            // The throwaway topic goes whatever happened, so runs don't pile up.
            if o.topic.as_deref() == Some(throwaway.as_str()) {
                if let Err(e) = delete_topic(&o, &topic).await {
                    output::warn(&format!(
                        "could not delete the throwaway topic {topic}: {e:#}"
                    ));
                }
            }
            let (p, s) = result?;
            (o, vec![p, s])
        }
    };
    watcher.abort();
    let signal = halt.signal();
    for r in reports.iter_mut() {
        r.interrupted = signal.map(Stop::name);
    }
    emit(&o, &reports)?;
    match signal {
        Some(s) => {
            output::warn(&format!(
                "interrupted by {}: the results above cover the run until then",
                s.name()
            ));
            Ok(ExitCode::from(s.exit_code()))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Malformed addresses are refused before anything starts (exit 2).
fn check_addresses(o: &BenchOptions) -> Result<(), String> {
    crate::addr::tcp_address("--nsqd-tcp-address", &o.nsqd_tcp_address)?;
    let http = std::iter::once(("--nsqd-http-address", &o.nsqd_http_address)).chain(
        o.lookupd_http_address
            .iter()
            .map(|a| ("--lookupd-http-address", a)),
    );
    for (flag, a) in http {
        crate::nsq_http::check_address(flag, a)?;
    }
    Ok(())
}

/// Set by the first SIGINT/SIGTERM: workers stop starting new work and report
/// what they did until then.
#[derive(Clone, Default)]
struct Halt(Arc<std::sync::OnceLock<Stop>>);

impl Halt {
    fn stop(&self, s: Stop) {
        let _ = self.0.set(s);
    }

    fn signal(&self) -> Option<Stop> {
        self.0.get().copied()
    }

    fn halted(&self) -> bool {
        self.0.get().is_some()
    }
}

/// Names checked before anything runs (exit 2); zero counts and sizes are
/// already refused by the flags' value parsers.
fn validated(mut o: BenchOptions, default_topic: &str) -> anyhow::Result<BenchOptions> {
    let topic = o.topic.get_or_insert_with(|| default_topic.to_string());
    check_topic_name(topic).or_else(super::refuse)?;
    check_channel_name(&o.channel).or_else(super::refuse)?;
    o.connections.get_or_insert_with(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    Ok(o)
}

fn connect_opts(o: &BenchOptions) -> anyhow::Result<ConnectOptions> {
    o.conn.connect_options(ConnectOptions {
        user_agent: format!("{} (bench)", crate::client::conn::user_agent()),
        ..ConnectOptions::default()
    })
}

/// Splits `total` into `n` nearly equal parts.
fn split(total: u64, n: usize) -> Vec<u64> {
    let n = n as u64;
    (0..n)
        .map(|i| total / n + u64::from(i < total % n))
        .collect()
}

struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    fn new() -> Progress {
        let show = std::io::stderr().is_terminal() && !output::quiet();
        Progress {
            multi: show.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    fn bar(&self, label: String, len: Option<u64>) -> ProgressBar {
        let Some(m) = &self.multi else {
            return ProgressBar::hidden();
        };
        let bar = match len {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template(
                    "{prefix:>10} [{bar:30}] {pos}/{len} {per_sec} {elapsed}",
                )
                .unwrap()
                .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template(
                    "{prefix:>10} {spinner} {pos} msgs {per_sec} {elapsed}",
                )
                .unwrap(),
            ),
        };
        let bar = m.add(bar.with_prefix(label));
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

async fn bench_both(
    o: &BenchOptions,
    topic: &str,
    halt: &Halt,
) -> anyhow::Result<(Report, Report)> {
    // Subscribe first so the channel exists before the first message is published:
    // the consumers, bench_sub itself and we meet at the barrier.
    let ready = Arc::new(tokio::sync::Barrier::new(o.connections.unwrap() + 2));
    let sub = {
        let (o, topic, ready, halt) = (o.clone(), topic.to_string(), ready.clone(), halt.clone());
        tokio::spawn(async move { bench_sub(&o, &topic, Some(ready), &halt).await })
    };
    ready.wait().await;
    let p = bench_pub(o, topic, halt).await?;
    let s = sub.await.context("consumer task failed")??;
    Ok((p, s))
}

async fn bench_pub(o: &BenchOptions, topic: &str, halt: &Halt) -> anyhow::Result<Report> {
    let conns = o.connections.unwrap();
    let progress = Progress::new();
    let body = vec![b'n'; o.size];
    let start = Instant::now();
    let deadline = o.duration.map(|d| start + d);
    let mut tasks = Vec::new();
    for (i, quota) in split(o.count, conns).into_iter().enumerate() {
        let len = if deadline.is_some() {
            None
        } else {
            Some(quota)
        };
        let bar = progress.bar(format!("pub {}", i + 1), len);
        let conn = Connection::connect(&o.nsqd_tcp_address, &connect_opts(o)?).await?;
        let (topic, body, batch) = (topic.to_string(), body.clone(), o.batch_size);
        let halt = halt.clone();
        tasks.push(tokio::spawn(async move {
            pub_worker(conn, topic, body, batch, quota, deadline, halt, bar).await
        }));
    }
    let mut latencies = Vec::new();
    let mut messages = 0;
    for t in tasks {
        let (n, lat) = t.await.context("publisher task failed")??;
        messages += n;
        latencies.extend(lat);
    }
    Ok(report(
        "pub",
        topic,
        o,
        messages,
        start.elapsed(),
        latencies,
    ))
}

/// Sends MPUB batches with a bounded number unacknowledged until the quota, the
/// deadline or a signal; returns messages acknowledged and each batch's
/// acknowledgement latency in microseconds.
#[allow(clippy::too_many_arguments)]
async fn pub_worker(
    conn: Connection,
    topic: String,
    body: Vec<u8>,
    batch: usize,
    quota: u64,
    deadline: Option<Instant>,
    halt: Halt,
    bar: ProgressBar,
) -> anyhow::Result<(u64, Vec<u32>)> {
    let (mut reader, mut writer) = conn.into_split();
    // The bounded queue is the pipelining limit: a full queue stops the sender.
    let (sent_tx, mut sent_rx) =
        tokio::sync::mpsc::channel::<(Instant, usize)>(PUB_BATCHES_IN_FLIGHT);
    let acks = tokio::spawn(async move {
        let mut latencies = Vec::new();
        let mut acked = 0u64;
        while let Some((sent_at, n)) = sent_rx.recv().await {
            loop {
                match reader.next().await? {
                    Inbound::Response(r) if &r[..] == b"OK" => break,
                    Inbound::Error(e) => bail!("nsqd refused an MPUB: {e}"),
                    _ => continue, // heartbeats: our MPUBs keep the connection alive
                }
            }
            latencies.push(sent_at.elapsed().as_micros().min(u32::MAX as u128) as u32);
            acked += n as u64;
            bar.inc(n as u64);
        }
        bar.finish_and_clear();
        Ok::<_, anyhow::Error>((acked, latencies))
    });
    let bodies: Vec<&[u8]> = vec![&body; batch];
    let mut sent = 0u64;
    while !halt.halted() {
        let n = match deadline {
            Some(d) if Instant::now() >= d => break,
            Some(_) => batch,
            None if sent >= quota => break,
            None => batch.min((quota - sent) as usize),
        };
        writer.write_mpub(&topic, &bodies[..n]);
        let at = Instant::now();
        if sent_tx.send((at, n)).await.is_err() {
            break; // the ack reader failed; its error is reported below
        }
        writer.flush().await?;
        sent += n as u64;
    }
    drop(sent_tx);
    let result = acks.await.context("acknowledgement reader failed")?;
    let _ = writer.shutdown().await;
    result
}

async fn bench_sub(
    o: &BenchOptions,
    topic: &str,
    ready: Option<Arc<tokio::sync::Barrier>>,
    halt: &Halt,
) -> anyhow::Result<Report> {
    let conns = o.connections.unwrap();
    let progress = Progress::new();
    let received = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let rdy = (o.max_in_flight / conns as u64).max(1);
    let mut tasks = Vec::new();
    let mut started = Instant::now();
    for i in 0..conns {
        let len = if o.duration.is_some() {
            None
        } else {
            Some(o.count)
        };
        let bar = if i == 0 {
            progress.bar("sub".into(), len)
        } else {
            ProgressBar::hidden()
        };
        let mut conn_opts = connect_opts(o)?;
        conn_opts.msg_timeout = Some(Duration::from_secs(60));
        let conn = Connection::connect(&o.nsqd_tcp_address, &conn_opts).await?;
        let (mut reader, mut writer) = conn.into_split();
        writer
            .send(&Command::Sub {
                topic,
                channel: &o.channel,
            })
            .await?;
        match reader.next().await? {
            Inbound::Response(r) if &r[..] == b"OK" => {}
            Inbound::Error(e) => bail!("nsqd refused SUB {topic} {}: {e}", o.channel),
            other => bail!("unexpected answer to SUB: {other:?}"),
        }
        writer.send(&Command::Rdy(rdy)).await?;
        let (received, stop, count, ready) =
            (received.clone(), stop.clone(), o.count, ready.clone());
        let (duration, halt) = (o.duration, halt.clone());
        tasks.push(tokio::spawn(async move {
            if let Some(b) = ready {
                b.wait().await;
            }
            let stopping = || stop.load(Ordering::Relaxed) || halt.halted();
            sub_worker(
                reader, writer, &received, &stop, stopping, count, duration, bar,
            )
            .await
        }));
    }
    if let Some(b) = ready {
        b.wait().await;
        started = Instant::now();
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.context("consumer task failed")??);
    }
    let messages = received
        .load(Ordering::Relaxed)
        .min(if o.duration.is_some() {
            u64::MAX
        } else {
            o.count
        });
    Ok(report(
        "sub",
        topic,
        o,
        messages,
        started.elapsed(),
        latencies,
    ))
}

/// FINs and counts messages until the count, the deadline or a signal, then
/// leaves cleanly; returns each message's age on receipt in microseconds.
#[allow(clippy::too_many_arguments)]
async fn sub_worker(
    mut reader: FrameReader,
    mut writer: CommandWriter,
    received: &AtomicU64,
    stop: &AtomicBool,
    stopping: impl Fn() -> bool,
    count: u64,
    duration: Option<Duration>,
    bar: ProgressBar,
) -> anyhow::Result<Vec<u32>> {
    let deadline = duration.map(|d| Instant::now() + d);
    let mut latencies = Vec::new();
    'outer: loop {
        if stopping() || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        // Wait for the next frame, re-checking the stop flag now and then.
        let first = match tokio::time::timeout(Duration::from_millis(100), reader.next()).await {
            Ok(r) => r,
            Err(_) => continue,
        };
        // Then take every frame that read brought in, FIN them all, and flush once.
        let mut next = Some(first);
        while let Some(item) = next {
            match item {
                // Arrived after the stop: not counted, given back at once.
                Ok(Inbound::Message(m)) if stopping() => writer.write(&Command::Req {
                    id: m.id,
                    timeout_ms: 0,
                }),
                Ok(Inbound::Message(m)) => {
                    let age_ns = crate::clock::now_ns().saturating_sub(m.timestamp).max(0);
                    latencies.push((age_ns / 1000).min(u32::MAX as i64) as u32);
                    writer.write(&Command::Fin(m.id));
                    let total = received.fetch_add(1, Ordering::Relaxed) + 1;
                    bar.inc(1);
                    if duration.is_none() && total >= count {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                Ok(Inbound::Heartbeat) => writer.write(&Command::Nop),
                Ok(Inbound::Error(e)) if !e.is_fatal() => {}
                Ok(Inbound::Error(e)) => bail!("nsqd closed the consumer: {e}"),
                Ok(Inbound::Response(_)) => {}
                Err(_) if stopping() => break 'outer,
                Err(e) => return Err(e.into()),
            }
            next = reader.next_buffered().transpose();
        }
        writer.flush().await?;
    }
    bar.finish_and_clear();
    leave(reader, writer).await;
    Ok(latencies)
}

/// Stops deliveries and closes cleanly: RDY 0 and CLS, then every message
/// already on its way is requeued at once (REQ 0) until nsqd confirms with
/// CLOSE_WAIT that it sends no more (or a few seconds pass).
async fn leave(mut reader: FrameReader, mut writer: CommandWriter) {
    writer.write(&Command::Rdy(0));
    writer.write(&Command::Cls);
    if writer.flush().await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match reader.next().await {
                Ok(Inbound::Message(m)) => writer.write(&Command::Req {
                    id: m.id,
                    timeout_ms: 0,
                }),
                Ok(Inbound::Heartbeat) => writer.write(&Command::Nop),
                Ok(Inbound::Response(r)) if &r[..] == b"CLOSE_WAIT" => return,
                Ok(_) => {}
                Err(_) => return,
            }
            if writer.flush().await.is_err() {
                return;
            }
        }
    })
    .await;
    let _ = writer.shutdown().await;
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[idx]) / 1000.0
}

fn report(
    mode: &'static str,
    topic: &str,
    o: &BenchOptions,
    messages: u64,
    elapsed: Duration,
    mut latencies: Vec<u32>,
) -> Report {
    latencies.sort_unstable();
    let seconds = elapsed.as_secs_f64().max(1e-9);
    let bytes = messages * o.size as u64;
    Report {
        mode,
        topic: topic.to_string(),
        messages,
        bytes,
        size: o.size,
        connections: o.connections.unwrap_or(1),
        seconds: round3(seconds),
        messages_per_second: (messages as f64 / seconds).round(),
        bytes_per_second: (bytes as f64 / seconds).round(),
        latency_ms: LatencyMs {
            p50: round3(percentile(&latencies, 0.50)),
            p90: round3(percentile(&latencies, 0.90)),
            p99: round3(percentile(&latencies, 0.99)),
            max: round3(latencies.last().map_or(0.0, |m| f64::from(*m) / 1000.0)),
        },
        interrupted: None,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn emit(o: &BenchOptions, reports: &[Report]) -> anyhow::Result<()> {
    if let Some(path) = &o.csv {
        append_csv(path, reports)?;
    }
    let mut out = std::io::stdout().lock();
    if o.json {
        #[derive(Serialize)]
        struct Both<'a> {
            mode: &'static str,
            #[serde(rename = "pub")]
            publish: &'a Report,
            sub: &'a Report,
        }
        let line = match reports {
            [one] => serde_json::to_string(one)?,
            [p, s] => serde_json::to_string(&Both {
                mode: "pubsub",
                publish: p,
                sub: s,
            })?,
            _ => unreachable!("one or two reports"),
        };
        writeln!(out, "{line}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<4} {:>10} {:>6} {:>5} {:>8} {:>11} {:>9} {:>8} {:>8} {:>8} {:>8}",
        "mode",
        "messages",
        "size",
        "conns",
        "seconds",
        "msg/s",
        "MB/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms"
    )?;
    for r in reports {
        writeln!(
            out,
            "{:<4} {:>10} {:>6} {:>5} {:>8.3} {:>11.0} {:>9.1} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
            r.mode,
            r.messages,
            r.size,
            r.connections,
            r.seconds,
            r.messages_per_second,
            r.bytes_per_second / 1e6,
            r.latency_ms.p50,
            r.latency_ms.p90,
            r.latency_ms.p99,
            r.latency_ms.max
        )?;
    }
    output::info("latency: pub = MPUB sent to acknowledged; sub = published to received");
    Ok(())
}

const CSV_HEADER: &str = "mode,topic,messages,size,connections,seconds,messages_per_second,bytes_per_second,p50_ms,p90_ms,p99_ms,max_ms,interrupted";

fn append_csv(path: &std::path::Path, reports: &[Report]) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open --csv file {}", path.display()))?;
    if f.metadata()?.len() == 0 {
        writeln!(f, "{CSV_HEADER}")?;
    }
    for r in reports {
        writeln!(
            f,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.mode,
            r.topic,
            r.messages,
            r.size,
            r.connections,
            r.seconds,
            r.messages_per_second,
            r.bytes_per_second,
            r.latency_ms.p50,
            r.latency_ms.p90,
            r.latency_ms.p99,
            r.latency_ms.max,
            r.interrupted.unwrap_or("")
        )?;
    }
    Ok(())
}

/// Deletes a topic from the lookupds first, then from nsqd, so that lookupd's
/// lingering registration does not bring it back (nsqadmin's order).
async fn delete_topic(o: &BenchOptions, topic: &str) -> anyhow::Result<()> {
    let client = crate::nsq_http::Client::new(Duration::from_secs(5))?;
    for lookupd in &o.lookupd_http_address {
        match client
            .post(lookupd, "/topic/delete", &[("topic", topic)])
            .await
        {
            Err(e) if !e.is_not_found() => return Err(e.into()),
            _ => {}
        }
    }
    client
        .post(&o.nsqd_http_address, "/topic/delete", &[("topic", topic)])
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_spreads_the_remainder() {
        assert_eq!(split(10, 3), vec![4, 3, 3]);
        assert_eq!(split(2, 4), vec![1, 1, 0, 0]);
        assert_eq!(split(10, 3).iter().sum::<u64>(), 10);
    }

    #[test]
    fn percentiles_of_sorted_micros() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
