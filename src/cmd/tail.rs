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
use crate::client::consumer::{Consumer, ConsumerConfig};
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
        args.source.http.map_address.clone(),
    ));
    let (nsqd, lookupd) = args.source.addresses().or_else(refuse)?;
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
        create(
            &lookupd,
            &args.topic,
            &channel,
            args.source.http.http_timeout,
        )
        .await?;
    }
    let signals = Signals::install()?;
    let (consumer, rx) = Consumer::start(
        ConsumerConfig {
            topic: args.topic.clone(),
            channel: channel.clone(),
            nsqd_tcp_addresses: nsqd,
            lookupd_http_addresses: lookupd,
            lookupd_poll_interval: args.source.lookupd_poll_interval,
            http_timeout: args.source.http.http_timeout,
            max_in_flight,
            connect: connect.clone(),
        },
        super::consumer_events::printer(&args.topic, &channel),
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
        Stop::Fatal(e) | Stop::Unreachable(e) => Err(anyhow!(e)),
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
