//! The flags of `nsq-cli stats`.

use crate::cmd::flags::values::{duration_within, parse_duration};
use crate::cmd::flags::ClusterArgs;
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Show depth, in-flight, deferred, requeued, timed-out and message counts, \
message rate and clients per topic and channel, summed over every nsqd found through \
nsqlookupd (and those given with --nsqd-http-address).\n\n\
The rate is measured over --sample (one extra /stats round); in --watch mode over the \
watch interval. --topic is passed to nsqd, so only that topic is fetched; --channel is \
picked from its channels. A --topic or --channel no nsqd has is an error (exit 1). \
PAUSED (yes/no) is the last column, shown when something is paused.",
    after_help = "Examples:\n  \
        nsq-cli stats\n  \
        nsq-cli stats --topic test --channel foo\n  \
        nsq-cli stats --per-node                      # one row per nsqd as well\n  \
        nsq-cli stats --watch                         # redraw every 2s\n  \
        nsq-cli stats --watch 500ms --topic test\n  \
        nsq-cli stats --json | jq '.topics[].depth'\n  \
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

    /// Print JSON (with --watch: one JSON document per line)
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}
