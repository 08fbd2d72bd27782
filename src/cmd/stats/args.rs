//! The flags of `nsq-cli stats`.

use crate::cmd::flags::values::{duration_within, parse_duration};
use crate::cmd::flags::ClusterArgs;
use clap::{Args, ValueEnum};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Show depth, in-flight, deferred, requeued, timed-out and message counts, \
message rate and clients per topic and channel, summed over every nsqd found through \
nsqlookupd (and those given with --nsqd-http-address).\n\n\
The rate is measured over --sample (one extra /stats round); in --watch mode over the \
watch interval. --topic is passed to nsqd, so only that topic is fetched; --channel is \
picked from its channels. A --topic or --channel no nsqd has is an error (exit 1). \
PAUSED (yes/no) is the last column, shown when something is paused.\n\n\
--clients shows one row per connected client instead: each channel's consumers and \
each topic's producers (CHANNEL \"-\"), with RDY, in-flight, message/finish/requeue \
counts, TLS/snappy/deflate/auth and how long it has been connected.\n\n\
--format prometheus writes the metrics `nsq-cli exporter` serves, once (for \
node_exporter's textfile collector); the exposition is complete even when a node \
failed (nsq_up 0), and the exit status is then 1.",
    after_help = "Examples:\n  \
        nsq-cli stats\n  \
        nsq-cli stats --topic test --channel foo\n  \
        nsq-cli stats --per-node                      # one row per nsqd as well\n  \
        nsq-cli stats --watch                         # redraw every 2s\n  \
        nsq-cli stats --watch 500ms --topic test\n  \
        nsq-cli stats --json | jq '.topics[].depth'\n  \
        nsq-cli stats --clients --topic test          # who is consuming and publishing\n  \
        nsq-cli stats --format prometheus > nsq.tmp; mv nsq.tmp textfile-dir/nsq.prom\n  \
        nsq-cli stats --nsqd-http-address 127.0.0.1:4151"
)]
pub struct StatsArgs {
    /// Only this topic
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only this channel (of --topic)
    #[arg(long, value_name = "CHANNEL", requires = "topic")]
    pub channel: Option<String>,

    /// Show each nsqd's numbers under the totals
    #[arg(long)]
    pub per_node: bool,

    /// Redraw every INTERVAL (default 2s, at least 100ms) until interrupted
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "2s", value_parser = duration_within(Duration::from_millis(100), Duration::MAX, ""))]
    pub watch: Option<Duration>,

    /// Interval over which the rate is measured in one-shot mode (0 skips the rate)
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub sample: Duration,

    /// Print JSON (with --watch: one JSON document per line); same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Output format: table, json, or prometheus (the exporter's metrics, once)
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: Option<Format>,

    /// One row per connected client (consumers of each channel, producers of each topic)
    #[arg(long)]
    pub clients: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// What `stats` writes.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Prometheus,
}

impl StatsArgs {
    /// --format, with --json as its short form.
    pub fn format(&self) -> Format {
        match (self.json, self.format) {
            (true, _) => Format::Json,
            (false, f) => f.unwrap_or(Format::Table),
        }
    }
}
