//! The flags of `nsq-cli bench` (and `bench pub`, `bench sub`).

use crate::cmd::flags::values::{above_zero, at_least};
use crate::cmd::flags::{env, ConnFlags};
use clap::{Args, Subcommand};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    args_conflicts_with_subcommands = true,
    long_about = "Benchmark an nsqd: publish and consume at the same time on a throwaway \
topic that is deleted afterwards (`nsq-cli bench`), or only publish (`bench pub`) or \
only consume (`bench sub`). Reports msg/s, MB/s and latency percentiles: for `pub` the \
time from sending an MPUB batch to its acknowledgement, for `sub` the time from \
publication (the message timestamp) to receipt.",
    after_help = "Examples:\n  \
        nsq-cli bench                         # pub + sub on a throwaway topic\n  \
        nsq-cli bench pub --count 1000000 --size 100 --topic bench\n  \
        nsq-cli bench sub --count 1000000 --topic bench --channel ch\n  \
        nsq-cli bench pub --duration 10s --json\n  \
        nsq-cli bench --tls-ca ca.pem --deflate=1       # cost of TLS + compression\n  \
        nsq-cli dev -- nsq-cli bench --count 200000 --csv results.csv"
)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub mode: Option<BenchMode>,

    #[command(flatten)]
    pub opts: BenchOptions,
}

#[derive(Subcommand, Debug, Clone)]
pub enum BenchMode {
    /// Publish only: MPUB batches, pipelined, over several connections
    Pub(BenchOptions),
    /// Consume only: FIN every message, over several connections
    Sub(BenchOptions),
}

#[derive(Args, Debug, Clone)]
pub struct BenchOptions {
    // bench's own: one address, with a default (see cmd::flags::env for why the
    // address flags are declared per command).
    /// nsqd TCP address
    #[arg(
        long = "nsqd-tcp-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = env::NSQD_TCP_ADDRESS,
        default_value = "localhost:4150"
    )]
    pub nsqd_tcp_address: String,

    /// nsqd HTTP address (to create and delete the throwaway topic)
    #[arg(
        long = "nsqd-http-address",
        value_name = "ADDR",
        env = env::NSQD_HTTP_ADDRESS,
        default_value = "localhost:4151"
    )]
    pub nsqd_http_address: String,

    /// nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)
    #[arg(
        long = "lookupd-http-address",
        value_name = "ADDR",
        env = env::NSQLOOKUPD_HTTP_ADDRESS,
        value_delimiter = ','
    )]
    pub lookupd_http_address: Vec<String>,

    /// Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)
    #[arg(long)]
    pub topic: Option<String>,

    /// Channel for consuming
    #[arg(long, default_value = "bench")]
    pub channel: String,

    /// Number of messages (unless --duration is given)
    #[arg(short = 'n', long, default_value_t = 200_000, value_parser = at_least(1u64))]
    pub count: u64,

    /// Run for this long instead of a count (e.g. 10s)
    #[arg(long, value_parser = above_zero())]
    pub duration: Option<Duration>,

    /// Message body size in bytes
    #[arg(long, default_value_t = 100, value_parser = at_least(1usize))]
    pub size: usize,

    /// Connections (default: one per core)
    #[arg(long, value_parser = at_least(1usize))]
    pub connections: Option<usize>,

    /// Messages per MPUB when publishing
    #[arg(long, default_value_t = 200, value_parser = at_least(1usize))]
    pub batch_size: usize,

    /// RDY count in total, spread over the consuming connections
    #[arg(long, default_value_t = 2500, value_parser = at_least(1u64))]
    pub max_in_flight: u64,

    /// Print the results as one JSON object on stdout
    #[arg(long)]
    pub json: bool,

    /// Append the results as CSV rows to FILE (with a header if the file is new)
    #[arg(long, value_name = "FILE")]
    pub csv: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub conn: ConnFlags,
}
