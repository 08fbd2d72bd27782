//! The command line as a whole (clap): [`Cli`], the global flags and the list of
//! subcommands. Each subcommand's flags live beside its code, in
//! `src/cmd/<name>/args.rs`; the flag groups several commands share (connection,
//! HTTP, cluster addresses) and the value parsers in `src/cmd/flags/`.
//!
//! The dependencies go one way: main -> cli -> cmd::<name>::args -> cmd::flags;
//! nothing below `cli` uses it (the library, `output` and the commands get what
//! they need as plain values).

pub mod go_flags;

use crate::cmd::admin::args::{ChannelArgs, NodeArgs, TopicArgs};
use crate::cmd::bench::args::BenchArgs;
use crate::cmd::check::args::CheckArgs;
use crate::cmd::context::args::ContextArgs;
use crate::cmd::dev::args::DevArgs;
use crate::cmd::docs::args::{CompletionsArgs, ManArgs};
use crate::cmd::exporter::args::ExporterArgs;
use crate::cmd::lookup::args::LookupArgs;
use crate::cmd::publish::args::PublishArgs;
use crate::cmd::relay::args::RelayArgs;
use crate::cmd::stats::args::StatsArgs;
use crate::cmd::tail::args::TailArgs;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "nsq-cli",
    version,
    max_term_width = 80,
    about = "A fast command-line toolkit for NSQ",
    long_about = "A fast command-line toolkit for NSQ: publish, tail, lookup, stats, \
                  topic/channel admin, CI checks, benchmarks, and an embedded \
                  NSQ-compatible broker for development (`nsq-cli dev`).\n\n\
                  Long flags work with one dash or two: `-topic test` = `--topic test`. \
                  A single-dash word that names no flag is refused (`unknown flag -msg`); \
                  short flags are single letters, not combined (`-n 5`, `-q -v`).",
    after_help = "Examples:\n  \
        nsq-cli dev -- sh -c 'nsq-cli publish -topic test -message hi &&\n      nsq-cli tail -topic test -n 1'\n  \
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
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Global options")]
    pub color: ColorChoice,

    /// Print no progress or summaries on stderr (errors are still printed)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,

    /// Print more detail on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,

    /// Take the flags not given from context CONTEXT (see `nsq-cli context`;
    /// default: the selected one)
    #[arg(
        long,
        global = true,
        value_name = "CONTEXT",
        env = "NSQ_CONTEXT",
        help_heading = "Global options"
    )]
    pub context: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colours forced on or off, or `None` to decide by the terminal and
    /// `NO_COLOR` (what [`crate::output::init`] takes).
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

impl GlobalArgs {
    /// Sets up the terminal output (colours, -q, -v) as these flags ask.
    pub fn init_output(&self) {
        crate::output::init(self.color.forced(), self.quiet, self.verbose);
    }
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Commands {
    #[command(about = "Run an embedded, in-memory NSQ broker for development and tests")]
    Dev(DevArgs),

    #[command(about = "Publish messages to a topic (the tutorial's producer)")]
    Publish(PublishArgs),

    #[command(
        about = "Consume messages from a topic/channel and print them (the tutorial's consumer)"
    )]
    Tail(TailArgs),

    #[command(
        about = "Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them"
    )]
    Relay(RelayArgs),

    #[command(
        about = "Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes"
    )]
    Lookup(LookupArgs),

    #[command(about = "Show depth, in-flight, requeue and timeout counts per topic and channel")]
    Stats(StatsArgs),

    #[command(about = "Create, delete, empty, pause or unpause a topic across the cluster")]
    Topic(TopicArgs),

    #[command(about = "Create, delete, empty, pause or unpause a channel across the cluster")]
    Channel(ChannelArgs),

    #[command(about = "Node operations: tombstone a topic on a node, drain a node, undrain it")]
    Node(NodeArgs),

    #[command(
        about = "Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)"
    )]
    Check(CheckArgs),

    #[command(about = "Serve Prometheus metrics of the whole cluster on /metrics")]
    Exporter(ExporterArgs),

    #[command(about = "Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)")]
    Bench(BenchArgs),

    #[command(
        about = "Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit",
        after_help = "Examples:\n  \
            nsq-cli context add prod --lookupd-http-address lookupd-1:4161 --tls --tls-ca ca.pem\n  \
            nsq-cli context use prod && nsq-cli stats\n  \
            nsq-cli --context dev tail -topic test"
    )]
    Context(ContextArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "Examples:\n  \
        nsq-cli completions bash > ~/.local/share/bash-completion/completions/nsq-cli\n  \
        nsq-cli completions zsh > ~/.zfunc/_nsq-cli\n  \
        nsq-cli completions fish > ~/.config/fish/completions/nsq-cli.fish")]
    Completions(CompletionsArgs),

    /// Print a man page (roff) on stdout, or write them all with --dir
    #[command(after_help = "Examples:\n  \
        nsq-cli man > nsq-cli.1 && man ./nsq-cli.1\n  \
        nsq-cli man publish | man -l -          # nsq-cli-publish(1)\n  \
        nsq-cli man bench pub                   # nsq-cli-bench-pub(1)\n  \
        nsq-cli man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

impl Commands {
    /// Whether the command takes its flags' defaults from a context: not `dev`
    /// (its flags are where it listens), `context` itself, nor the generators.
    pub fn takes_context(&self) -> bool {
        !matches!(
            self,
            Commands::Dev(_) | Commands::Context(_) | Commands::Completions(_) | Commands::Man(_)
        )
    }
}
