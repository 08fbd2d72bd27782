//! `nsq-cli publish`: stream messages from a flag, stdin or a file into a topic,
//! batched into MPUBs with a bounded number in flight, exit 0 only when nsqd
//! acknowledged every message.
//!
//! The input is read by [`input`] (templates in [`template`]), published by the
//! client layer's producer pool, and reported by [`report`].

pub mod args;
mod input;
mod jsonl;
mod report;
mod template;

pub use super::escape::parse_delimiter;
pub use input::{check_record_sizes, split_stream, InputMsg, RecordName};
pub use template::Template;

use super::refuse;
use crate::client::conn::ConnectOptions;
use crate::client::pool::{Mark, Pool, PoolEvent, PoolOptions, Transport};
use crate::client::producer::{Limits, ProducerOptions};
use crate::cmd::signals::Signals;
use crate::output;
use crate::protocol::names::check_topic_name;
use args::{InputFormat, PublishArgs};
use bytes::Bytes;
use input::{over_max, InputItem, Source};
use report::{Failed, Outcome, Stopped};
use std::io::Read;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long a partial batch waits for more input before it is sent anyway, so that
/// messages typed or trickling in are published promptly.
const LINGER: Duration = Duration::from_millis(5);

fn open_input(args: &PublishArgs) -> anyhow::Result<(Box<dyn Read + Send>, Option<u64>)> {
    match &args.file {
        Some(path) => {
            let f = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => {
                    return refuse(format!(
                        "cannot read --file {}: {}",
                        path.display(),
                        crate::error::describe_io(&e)
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
            crate::error::describe_io(&e)
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
            .map(|a| crate::nsq_http::check_address(flag, a))
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
        if nodes.iter().any(|n| n.eq_ignore_ascii_case(&a)) {
            output::warn(&format!(
                "{flag} {} was given more than once; publishing to it once",
                crate::nsq_http::display_addr(&a)
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
    let json = args.input_format == InputFormat::Json;
    let name = if args.message.is_some() {
        RecordName::Message
    } else if json || delim == b"\n" {
        RecordName::Line
    } else {
        RecordName::Record
    };
    let source = match &args.message {
        Some(m) => message_source(m, args.count, limits.max_msg_size)?,
        None if args.whole => Source::Whole(read_whole(args, limits.max_msg_size).await?),
        None => stream_source(args, &delim, limits.max_msg_size, name).await?,
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

/// stdin or --file, split on the delimiter or read as JSON lines; a regular
/// file is checked whole first.
async fn stream_source(
    args: &PublishArgs,
    delim: &[u8],
    max: usize,
    name: RecordName,
) -> anyhow::Result<Source> {
    let (reader, len) = open_input(args)?;
    let file = args.file.as_deref().filter(|_| len.is_some());
    if args.input_format == InputFormat::Json {
        if let Some(path) = file {
            check_file(path, move |f| jsonl::check_json_lines(f, max)).await?;
        }
        return Ok(Source::JsonLines(reader));
    }
    if let Some(path) = file {
        let d = delim.to_vec();
        check_file(path, move |f| check_record_sizes(f, &d, max, name)).await?;
    }
    Ok(Source::Stream {
        reader,
        delim: delim.to_vec(),
    })
}

/// A regular file is checked whole before anything is sent, so an oversized
/// message (or a bad JSON line) halfway through does not leave half the file
/// published.
async fn check_file(
    path: &std::path::Path,
    check: impl FnOnce(std::fs::File) -> Result<(), String> + Send + 'static,
) -> anyhow::Result<()> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return refuse(format!(
                "cannot read --file {}: {}",
                path.display(),
                crate::error::describe_io(&e)
            ))
        }
    };
    let r = tokio::task::spawn_blocking(move || check(f)).await?;
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

pub async fn run(args: PublishArgs) -> anyhow::Result<ExitCode> {
    // Everything that can be refused is checked before connecting.
    let plan = plan(&args).await?;
    let mut pool = Pool::new(pool_options(&args, &plan)?);
    let progress = progress_bar();
    let bar = progress.clone();
    pool.on_event(move |e| match e {
        PoolEvent::Retrying {
            error,
            attempt,
            total,
        } => output::warn(&format!(
            "{error}; reconnecting (retry {attempt} of {total})"
        )),
        PoolEvent::Acknowledged { total } => {
            bar.set_position(total);
            output::debug(&format!("{total} messages acknowledged"));
        }
    });
    let mut signals = Signals::install()?;
    let started = Instant::now();
    let mut fed = Fed {
        skipped: 0,
        position: Mark {
            record: 1,
            offset: 0,
        },
    };
    let feeding = feed(&mut pool, &mut fed, plan.source, plan.name);
    let stopped = tokio::select! {
        r = feeding => r.err().map(Stopped::Failed),
        s = signals.recv() => Some(Stopped::Signal(s)),
    };
    match &stopped {
        // A second signal stops the wait for what is in flight.
        Some(Stopped::Signal(_)) => tokio::select! {
            _ = pool.settle(SIGNAL_GRACE) => {}
            _ = signals.recv() => {}
        },
        Some(Stopped::Failed(_)) => pool.settle(FAILURE_GRACE).await,
        None => {}
    }
    progress.finish_and_clear();
    let outcome = Outcome {
        pool: &pool,
        skipped: fed.skipped,
        position: fed.position,
        name: plan.name,
        elapsed: started.elapsed(),
    };
    report::finish(&args, outcome, stopped)
}

/// The pool for the checked plan: TCP producers or the HTTP client, with the
/// timeouts, TLS and limits of the flags.
fn pool_options(args: &PublishArgs, plan: &Plan) -> anyhow::Result<PoolOptions> {
    let (connect_timeout, http_timeout) = timeouts(args);
    let mut producer = ProducerOptions {
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
        producer.max_in_flight = 1024;
    }
    let transport = if args.http {
        let builder = args
            .conn
            .http_client_builder(crate::nsq_http::builder(http_timeout, http_timeout))?;
        Transport::Http(crate::nsq_http::Client::with_builder(
            http_timeout,
            builder,
        )?)
    } else {
        Transport::Tcp
    };
    Ok(PoolOptions {
        topic: args.topic.clone(),
        addrs: plan.addrs.clone(),
        transport,
        producer,
        retries: args.retry,
        all_nodes: args.all_nodes,
        defer_ms: plan.defer_ms,
        batch_size: args.batch_size as usize,
        rate: args.rate,
        separator_len: plan.delim_len,
    })
}

fn progress_bar() -> indicatif::ProgressBar {
    output::spinner(Some(
        "{spinner} {human_pos} messages acknowledged ({per_sec}) {elapsed}",
    ))
}

/// What was taken from the input.
struct Fed {
    /// Empty records skipped.
    skipped: u64,
    /// Where the input stands after the last message handed to the pool (or
    /// skipped): where to resume once the pool acknowledged all it was given.
    position: Mark,
}

/// Connects, then streams the input to the nodes until it ends and every
/// message is acknowledged. Cancelled on a signal: every await here leaves the
/// pool's accounting consistent.
async fn feed(
    pool: &mut Pool,
    fed: &mut Fed,
    source: Source,
    name: RecordName,
) -> Result<(), Failed> {
    pool.connect().await?;
    let rx = input::spawn_input(source, pool.limits().max_msg_size, name);
    pump(pool, fed, rx).await?;
    pool.finish().await?;
    Ok(())
}

/// Until the input ends: batches fill up, or go out after a short linger; while
/// the input is idle, acknowledgements are counted and failed nodes recovered.
async fn pump(
    pool: &mut Pool,
    fed: &mut Fed,
    mut rx: mpsc::Receiver<InputItem>,
) -> Result<(), Failed> {
    loop {
        let linger = pool.has_batch();
        let waiting = pool.has_in_flight();
        let item = tokio::select! {
            item = rx.recv() => item,
            _ = tokio::time::sleep(LINGER), if linger => {
                pool.send_batch().await?;
                continue;
            }
            _ = pool.wait_progress(), if waiting => {
                pool.check_failures().await?;
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
            Some(InputItem::Msgs {
                msgs,
                skipped,
                next,
            }) => {
                fed.skipped += skipped;
                let mut msgs = msgs.into_iter().peekable();
                while let Some(m) = msgs.next() {
                    let after = msgs.peek().map_or(next, |n| Mark {
                        record: n.record,
                        offset: n.offset,
                    });
                    pool.push(m).await?;
                    fed.position = after;
                }
                fed.position = next;
            }
        }
    }
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
}
