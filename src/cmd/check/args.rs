//! The flags of `nsq-cli check`.

use crate::cmd::flags::values::{at_least, duration_within};
use crate::cmd::flags::ClusterArgs;
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Health checks for CI gates and alerting: every lookupd and nsqd answers \
/ping, and every broadcast address that lookupd announces resolves and accepts TCP \
connections. Optional thresholds on a topic (every channel, or one), a minimum number \
of nsqd nodes, and per-node alerts on every channel (or those of --topic/--channel): \
orphans (messages but no client), requeues, deferred messages.\n\n\
Exit status: 0 healthy, 1 a threshold crossed (or the topic/channel does not \
exist), 2 something unreachable, or a bad name or address refused.",
    after_help = "Examples:\n  \
        nsq-cli check\n  \
        nsq-cli check --topic orders --max-depth 10000\n  \
        nsq-cli check --topic orders --channel billing --max-depth 100 \\\n      --max-timeouts 0\n  \
        nsq-cli check --min-nodes 3 --orphans --grace 5m\n  \
        nsq-cli check --max-requeues 1000 --max-deferred 500\n  \
        nsq-cli check --json\n  \
        nsq-cli check --map-address nsqd=127.0.0.1   # docker-compose"
)]
pub struct CheckArgs {
    /// Topic the thresholds apply to
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only this channel of --topic (default: the topic and each of its channels)
    #[arg(long, value_name = "CHANNEL", requires = "topic")]
    pub channel: Option<String>,

    /// Fail (exit 1) when a depth exceeds N
    #[arg(long, value_name = "N", requires = "topic", value_parser = at_least(0i64))]
    pub max_depth: Option<i64>,

    /// Fail (exit 1) when a channel's in-flight count exceeds N
    #[arg(long, value_name = "N", requires = "topic", value_parser = at_least(0i64))]
    pub max_in_flight: Option<i64>,

    /// Fail (exit 1) when a channel's timed-out count exceeds N
    #[arg(long, value_name = "N", requires = "topic", value_parser = at_least(0u64))]
    pub max_timeouts: Option<u64>,

    /// Fail (exit 1) when fewer than N nsqd nodes are registered with the lookupds
    #[arg(long, value_name = "N", value_parser = at_least(1usize))]
    pub min_nodes: Option<usize>,

    /// Fail (exit 1) for each channel, on each node, that holds messages and has no client
    #[arg(long)]
    pub orphans: bool,

    /// With --orphans: fail only channels that had no client and had finished no message at
    /// two looks (/stats) DURATION apart (default 0: one look, now)
    #[arg(long, value_name = "DURATION", requires = "orphans",
          value_parser = duration_within(Duration::ZERO, Duration::MAX, ""))]
    pub grace: Option<Duration>,

    /// Fail (exit 1) when a channel's requeue count on a node exceeds N (counted since
    /// the channel was created on that nsqd; with --grace, the requeues between the two looks)
    #[arg(long, value_name = "N", value_parser = at_least(0u64))]
    pub max_requeues: Option<u64>,

    /// Fail (exit 1) when a channel's deferred count on a node exceeds N
    #[arg(long, value_name = "N", value_parser = at_least(0i64))]
    pub max_deferred: Option<i64>,

    /// Print JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}
