//! `nsq-cli tail`: print a topic's messages, or run a command per message.
//!
//! This file checks the flags and starts the consumer; `print` and `worker` are
//! the two ways of handling what it delivers, `stop` what both share.

pub mod args;
mod dead_letter;
mod exec;
pub mod format;
mod print;
mod printer;
mod stop;
mod worker;

use super::refuse;
use crate::client::consumer::{Consumer, ConsumerConfig, ConsumerEvent};
use crate::client::discovery;
use crate::output;
use crate::protocol::names::{check_channel_name, check_topic_name};
use anyhow::{anyhow, bail, Context};
use args::TailArgs;
use dead_letter::{DeadLetterFile, DeadLetters};
use exec::ExecSpec;
use format::Formatter;
use std::process::ExitCode;
use std::time::Duration;
use stop::{Settings, Signals, Stop};
use worker::Worker;

/// The lookupd address used when neither nsqd nor lookupd addresses are given.
const DEFAULT_LOOKUPD: &str = "localhost:4161";

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
    let channel = channel_name(&args)?;
    let formatter = formatter(&args, &channel)?;
    crate::nsq_http::map::set_address_map(crate::nsq_http::map::AddressMap::new(
        args.http.map_address.clone(),
    ));
    let (nsqd, lookupd) = addresses(&args)?;
    check_dead_letter_topic(&args)?;
    let dead_letter = open_dead_letter(&args)?;
    let max_in_flight = max_in_flight(&args);
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
    let signals = Signals::install()?;
    let (consumer, rx) = Consumer::start(
        ConsumerConfig {
            topic: args.topic.clone(),
            channel: channel.clone(),
            nsqd_tcp_addresses: nsqd,
            lookupd_http_addresses: lookupd,
            lookupd_poll_interval: args.lookupd_poll_interval,
            http_timeout: args.http.http_timeout,
            max_in_flight,
            connect: connect.clone(),
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
            let dead = DeadLetters::new(
                dead_letter,
                args.dead_letter_topic.clone().map(|t| (t, connect.clone())),
                args.requeue_delay,
                (&settings.topic, &settings.channel),
            );
            let worker = Worker::new(&args, spec, dead);
            worker.run(&settings, &consumer, rx, signals).await
        }
        None => {
            print::print_loop(&settings, &formatter, args.requeue, &consumer, rx, signals).await
        }
    };
    match stop {
        Stop::StdoutError(e) => Err(anyhow!(
            "cannot write to stdout: {}",
            crate::error::describe_io(&e)
        )),
        Stop::Fatal(e) => Err(anyhow!(e)),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// --channel, checked, or a fresh ephemeral one.
fn channel_name(args: &TailArgs) -> anyhow::Result<String> {
    Ok(match &args.channel {
        Some(c) => {
            check_channel_name(c).or_else(refuse)?;
            c.clone()
        }
        None => format!("tail{:06}#ephemeral", rand::random_range(0..1_000_000u32)),
    })
}

/// How each message is printed: --json, --format, --print-topic, --delimiter.
fn formatter(args: &TailArgs, channel: &str) -> anyhow::Result<Formatter> {
    let mut formatter = Formatter::body(&args.topic, channel);
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
    Ok(formatter)
}

/// The nsqd TCP and lookupd HTTP addresses, checked; the default lookupd when
/// neither is given.
fn addresses(args: &TailArgs) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let nsqd =
        match crate::addr::tcp_addresses("--nsqd-tcp-address", &clean(&args.nsqd_tcp_address)) {
            Ok(mut a) => {
                // Again after normalising: `h` and `h:4150` are one node.
                a.sort();
                a.dedup();
                a
            }
            Err(e) => return refuse(e),
        };
    let lookupd = clean(&args.lookupd_http_address);
    let flag = "--lookupd-http-address";
    crate::nsq_http::cluster::validate_addrs(flag, &lookupd).or_else(refuse)?;
    let mut lookupd = crate::nsq_http::cluster::dedup_addrs(lookupd);
    if nsqd.is_empty() && lookupd.is_empty() {
        lookupd.push(DEFAULT_LOOKUPD.to_string());
    }
    Ok((nsqd, lookupd))
}

/// --dead-letter-topic: a valid name, and not the topic consumed (whose messages
/// would come back to us forever).
fn check_dead_letter_topic(args: &TailArgs) -> anyhow::Result<()> {
    let Some(t) = &args.dead_letter_topic else {
        return Ok(());
    };
    if let Err(e) = check_topic_name(t) {
        return refuse(format!("--dead-letter-topic: {e}"));
    }
    if *t == args.topic {
        return refuse(format!(
            "--dead-letter-topic {t} is the topic being consumed: dead letters must go to another topic"
        ));
    }
    Ok(())
}

/// --dead-letter, opened for appending before anything is consumed.
fn open_dead_letter(args: &TailArgs) -> anyhow::Result<Option<DeadLetterFile>> {
    let Some(p) = &args.dead_letter else {
        return Ok(None);
    };
    match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)
    {
        Ok(file) => Ok(Some(DeadLetterFile {
            file,
            path: p.clone(),
        })),
        Err(e) => refuse(format!(
            "cannot open --dead-letter file {}: {}",
            p.display(),
            crate::error::describe_io(&e)
        )),
    }
}

/// --max-in-flight, by default 200 (or --concurrency with --exec), never more
/// than -n.
fn max_in_flight(args: &TailArgs) -> u64 {
    let mut max_in_flight = args.max_in_flight.unwrap_or(if args.exec.is_some() {
        args.concurrency
    } else {
        200
    });
    if let Some(n) = args.count {
        max_in_flight = max_in_flight.min(n);
    }
    max_in_flight
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
    nodes.sort_by(|a, b| a.http_address.cmp(&b.http_address));
    nodes.dedup_by(|a, b| a.http_address == b.http_address);
    if nodes.is_empty() {
        bail!(
            "--create: no nsqd is registered with nsqlookupd {}; nowhere to create {topic}/{channel}",
            lookupd.join(", ")
        );
    }
    for n in &nodes {
        discovery::create_topic_channel(&client, &n.http_address, topic, channel).await?;
        output::debug(&format!(
            "created {topic}/{channel} on nsqd {}",
            n.http_address
        ));
    }
    Ok(())
}
