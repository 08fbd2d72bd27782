//! Command-line definitions (clap). One struct per subcommand.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "nsq-cli",
    version,
    about = "A fast command-line toolkit for NSQ",
    long_about = "A fast command-line toolkit for NSQ: publish, tail, lookup, stats, \
                  topic/channel admin, CI checks, benchmarks, and an embedded \
                  NSQ-compatible broker for development (`nsq-cli dev`).\n\n\
                  Long flags work with one dash or two: `-topic test` = `--topic test`.",
    after_help = "Examples:\n  \
        nsq-cli dev -- sh -c 'nsq-cli publish -topic test -message \"hello world\" && nsq-cli tail -topic test -n 1'\n  \
        nsq-cli publish -topic test -message \"hello world\"\n  \
        nsq-cli tail -topic test -channel foo"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print no progress or summaries on stderr (errors are still printed)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Print more detail on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Run an embedded, in-memory NSQ broker (nsqd + nsqlookupd HTTP API) for development and tests
    Dev(DevArgs),

    /// Publish messages to a topic (the tutorial's producer)
    Publish(PublishArgs),

    /// Consume messages from a topic/channel and print them (the tutorial's consumer)
    Tail(TailArgs),

    /// Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes
    Lookup(LookupArgs),

    /// Show depth, in-flight, requeue and timeout counts per topic and channel
    Stats(StatsArgs),

    /// Create, delete, empty, pause or unpause a topic across the cluster
    Topic(TopicArgs),

    /// Create, delete, empty, pause or unpause a channel across the cluster
    Channel(ChannelArgs),

    /// Node operations (tombstone a topic on a node)
    Node(NodeArgs),

    /// Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)
    Check(CheckArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "Examples:\n  \
        nsq-cli completions bash > ~/.local/share/bash-completion/completions/nsq-cli\n  \
        nsq-cli completions zsh > ~/.zfunc/_nsq-cli\n  \
        nsq-cli completions fish > ~/.config/fish/completions/nsq-cli.fish")]
    Completions(CompletionsArgs),

    /// Print the man page (roff) on stdout
    #[command(after_help = "Example:\n  nsq-cli man > nsq-cli.1 && man ./nsq-cli.1")]
    Man,
}

#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Parses durations the way NSQ users write them: `60s`, `1h`, `250ms`, `1m30s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| {
        format!("invalid duration {s:?}: {e} (use a number with a unit, e.g. 500ms, 60s, 1h)")
    })
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Run an embedded NSQ broker: nsqd's TCP protocol and HTTP API, and \
nsqlookupd's HTTP API describing this one node.\n\n\
It is for development and tests: in memory, single node, not durable. Messages \
are lost when it stops. It behaves like nsqd v1.3.0 (error strings, JSON fields, \
limits and their defaults) so that any NSQ client can use it.\n\n\
Once listening it prints NSQD_TCP_ADDRESS=..., NSQD_HTTP_ADDRESS=... and \
NSQLOOKUPD_HTTP_ADDRESS=... on stdout (port 0 picks a free port). With `-- CMD`, \
it runs CMD with those variables exported instead, then stops and exits with \
CMD's status.",
    after_help = "Examples:\n  \
        nsq-cli dev                                   # nsqd on 127.0.0.1:4150/4151, lookupd HTTP on :4161\n  \
        nsq-cli dev --tcp-address 127.0.0.1:0 --http-address 127.0.0.1:0 --lookupd-http-address 127.0.0.1:0\n  \
        nsq-cli dev -- ./run-integration-tests.sh     # a throwaway NSQ for one command\n  \
        nsq-cli dev -- sh -c 'nsq-cli publish -topic test -message hi && nsq-cli tail -topic test -n 1'"
)]
pub struct DevArgs {
    /// <addr>:<port> for nsqd's TCP protocol (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4150")]
    pub tcp_address: String,

    /// <addr>:<port> for nsqd's HTTP API
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4151")]
    pub http_address: String,

    /// <addr>:<port> for the nsqlookupd HTTP API describing this node
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4161")]
    pub lookupd_http_address: String,

    /// Address announced to clients through the lookupd API
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    pub broadcast_address: String,

    /// Maximum size of a single message in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 1048576)]
    pub max_msg_size: i64,

    /// Maximum size of a single command body (MPUB, IDENTIFY) in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 5242880)]
    pub max_body_size: i64,

    /// Maximum RDY count for a client
    #[arg(long, value_name = "N", default_value_t = 2500)]
    pub max_rdy_count: i64,

    /// Maximum requeue timeout (REQ, DPUB)
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_duration)]
    pub max_req_timeout: Duration,

    /// Default time a message may be in flight before it is requeued
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub msg_timeout: Duration,

    /// Maximum msg_timeout a client may ask for in IDENTIFY
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub max_msg_timeout: Duration,

    /// Command (and its arguments) to run against the broker; the broker stops when it exits
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

// Subcommands below are filled in by their own issues; each owns its struct.

#[derive(Args, Debug, Clone)]
pub struct PublishArgs {}

#[derive(Args, Debug, Clone)]
pub struct TailArgs {}

#[derive(Args, Debug, Clone)]
pub struct LookupArgs {}

#[derive(Args, Debug, Clone)]
pub struct StatsArgs {}

#[derive(Args, Debug, Clone)]
pub struct TopicArgs {}

#[derive(Args, Debug, Clone)]
pub struct ChannelArgs {}

#[derive(Args, Debug, Clone)]
pub struct NodeArgs {}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {}
