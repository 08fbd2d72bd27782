//! Command-line definitions (clap). One struct per subcommand.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::time::Duration;

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
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
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
        about = "Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes"
    )]
    Lookup(LookupArgs),

    #[command(about = "Show depth, in-flight, requeue and timeout counts per topic and channel")]
    Stats(StatsArgs),

    #[command(about = "Create, delete, empty, pause or unpause a topic across the cluster")]
    Topic(TopicArgs),

    #[command(about = "Create, delete, empty, pause or unpause a channel across the cluster")]
    Channel(ChannelArgs),

    #[command(about = "Node operations (tombstone a topic on a node)")]
    Node(NodeArgs),

    #[command(
        about = "Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)"
    )]
    Check(CheckArgs),

    #[command(about = "Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)")]
    Bench(BenchArgs),

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

#[derive(Args, Debug, Clone)]
pub struct ManArgs {
    /// The subcommand whose page to print, e.g. `publish` or `bench pub`
    /// (default: nsq-cli(1), the top page)
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    pub page: Vec<String>,

    /// Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if
    /// missing, and list them on stderr
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// TLS, compression and authentication for commands that talk to nsqd over TCP
/// (flattened into each; turned into the client's `SecurityOptions` and
/// connection options by `cmd::conn_flags`).
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "TLS, compression and authentication")]
pub struct ConnFlags {
    /// Upgrade connections to TLS; the server certificate is verified against the
    /// system roots and --tls-ca (implied by the other --tls-* flags)
    #[arg(long)]
    pub tls: bool,

    /// PEM CA certificate(s) trusted in addition to the system roots
    #[arg(long, value_name = "FILE")]
    pub tls_ca: Option<std::path::PathBuf>,

    /// PEM client certificate, for servers that require one (needs --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,

    /// PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,

    /// Name the server certificate must carry (default: the address's host)
    #[arg(long, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// Accept any server certificate (for testing only: anyone on the path can
    /// read and change the traffic)
    #[arg(long)]
    pub tls_insecure_skip_verify: bool,

    /// Ask nsqd for snappy compression
    #[arg(long, conflicts_with = "deflate")]
    pub snappy: bool,

    /// Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at
    /// its --max-deflate-level)
    #[arg(
        long,
        value_name = "LEVEL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "6",
        value_parser = clap::value_parser!(u32).range(1..=9)
    )]
    pub deflate: Option<u32>,

    /// File holding the AUTH secret, sent when nsqd requires authentication
    /// (default: the NSQ_AUTH_SECRET environment variable)
    #[arg(long, value_name = "FILE")]
    pub auth_secret_file: Option<std::path::PathBuf>,

    /// Ask nsqd for a heartbeat every DURATION (default: nsqd's, 30s); a
    /// connection silent for two intervals is dead and dropped. nsqd accepts 1s
    /// up to its --max-heartbeat-interval (60s by default)
    #[arg(long, value_name = "DURATION", value_parser = duration_within(SECOND, Duration::MAX, "nsqd refuses a shorter one"), help_heading = "Connection")]
    pub heartbeat_interval: Option<Duration>,
}

/// Shortest value of a duration that must be above zero.
const ABOVE_ZERO: Duration = Duration::from_nanos(1);
const SECOND: Duration = Duration::from_secs(1);
/// nsqd's default --max-req-timeout: the longest REQ or DPUB delay it accepts.
const MAX_REQ_TIMEOUT: Duration = Duration::from_secs(3600);
const NSQD_REQ_LIMIT: &str =
    "nsqd's default --max-req-timeout: it refuses a longer delay with E_INVALID";

/// The value parser of every bounded duration flag: [`parse_duration`], then
/// `min..=max`; a value outside is refused at parse time (exit 2) with the rule,
/// and `why` when the bound is someone else's (nsqd's).
pub fn duration_within(
    min: Duration,
    max: Duration,
    why: &'static str,
) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    move |s| {
        let d = parse_duration(s)?;
        let rule = if d < min && min == ABOVE_ZERO {
            "it must be above 0".to_string()
        } else if d < min {
            format!("it must be at least {}", humantime::format_duration(min))
        } else if d > max {
            format!("it must be at most {}", humantime::format_duration(max))
        } else {
            return Ok(d);
        };
        Err(if why.is_empty() {
            rule
        } else {
            format!("{rule} ({why})")
        })
    }
}

/// A number of messages per second: finite and above 0 (`0.5` is one every 2s).
fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        Ok(_) => Err("it must be a number of messages per second above 0".into()),
        Err(e) => Err(format!(
            "{e}: it must be a number of messages per second above 0"
        )),
    }
}

/// The value parser of every integer flag with a lower bound (counts, sizes,
/// thresholds): a whole number, at least `min`.
pub fn at_least<T>(min: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |s| match s.parse::<T>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(format!("it must be a whole number, at least {min}")),
    }
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
        nsq-cli dev               # nsqd :4150 (TCP) :4151 (HTTP), lookupd HTTP :4161\n  \
        nsq-cli dev --tcp-address 127.0.0.1:0 --http-address 127.0.0.1:0 \\\n      --lookupd-http-address 127.0.0.1:0     # free ports\n  \
        nsq-cli dev -- ./integration-tests.sh     # a throwaway NSQ for one command\n  \
        nsq-cli dev --tls-cert server.pem --tls-key server-key.pem --tls-required\n  \
        nsq-cli dev --auth-http-address 127.0.0.1:4181\n  \
        nsq-cli dev -- sh -c 'nsq-cli publish -topic test -message hi &&\n      nsq-cli tail -topic test -n 1'"
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
    #[arg(long, value_name = "BYTES", default_value_t = 1048576, value_parser = at_least(1i64))]
    pub max_msg_size: i64,

    /// Maximum size of a single command body (MPUB, IDENTIFY) in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 5242880, value_parser = at_least(1i64))]
    pub max_body_size: i64,

    /// Maximum RDY count for a client
    #[arg(long, value_name = "N", default_value_t = 2500, value_parser = at_least(1i64))]
    pub max_rdy_count: i64,

    /// Maximum requeue timeout (REQ, DPUB)
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
    pub max_req_timeout: Duration,

    /// Default time a message may be in flight before it is requeued
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration_within(SECOND, Duration::MAX, ""))]
    pub msg_timeout: Duration,

    /// Maximum msg_timeout a client may ask for in IDENTIFY
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = duration_within(SECOND, Duration::MAX, ""))]
    pub max_msg_timeout: Duration,

    /// PEM certificate served to clients that ask for TLS in IDENTIFY
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,

    /// PEM private key for --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,

    /// Refuse every command but IDENTIFY on connections not upgraded to TLS
    #[arg(long)]
    pub tls_required: bool,

    /// PEM CA certificates that client certificates must chain to (require-verify)
    #[arg(long, value_name = "FILE")]
    pub tls_root_ca_file: Option<std::path::PathBuf>,

    /// Client certificates: "require" (any) or "require-verify" (checked against
    /// --tls-root-ca-file); implies --tls-required
    #[arg(long, value_name = "POLICY", value_parser = ["require", "require-verify"])]
    pub tls_client_auth_policy: Option<String>,

    /// Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable
    #[arg(long, value_name = "ADDR")]
    pub auth_http_address: Vec<String>,

    /// Command (and its arguments) to run against the broker; the broker stops when it exits
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

// Subcommands below are filled in by their own issues; each owns its struct.

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Publish messages to a topic over nsqd's TCP protocol (or its HTTP API \
with --http).\n\n\
Without --message, messages are read from stdin (or --file), one per line; \
--delimiter picks another separator and --whole sends all of the input as one \
message. Empty messages are refused by NSQ, so empty lines are skipped and \
counted on stderr. Messages are streamed in MPUB batches, split so that no \
batch exceeds nsqd's message or body size limits.\n\n\
Exit status 0 means nsqd acknowledged every message. If the connection fails, \
the error says how many messages were acknowledged and where in the input the \
unacknowledged ones start. --retry reconnects and resends what was not \
acknowledged: delivery is at-least-once, so a message may arrive twice.",
    after_help = "Examples:\n  \
        nsq-cli publish -topic test -message \"hello world\"\n  \
        seq 1 100000 | nsq-cli publish -topic numbers\n  \
        nsq-cli publish -topic events --file events.jsonl --rate 500\n  \
        find . -print0 | nsq-cli publish -topic files --delimiter '\\0'\n  \
        nsq-cli publish -topic blobs --whole < image.png\n  \
        nsq-cli publish -topic load --count 1000 -message 'n={{Count}} {{Time}}'\n  \
        nsq-cli publish -topic later -message wake --defer 30s\n  \
        nsq-cli publish -topic test --nsqd-tcp-address a:4150,b:4150 --all-nodes <f\n  \
        nsq-cli publish -topic test --http --nsqd-http-address nsqd:4151 -message hi\n  \
        nsq-cli publish -topic test -message hi --tls-ca ca.pem --snappy\n  \
        NSQ_AUTH_SECRET=\"$(cat token)\" nsq-cli publish -topic test -message hi\n\n\
Templates (with --count): {{Count}} (1..N), {{Time}} (RFC 3339), {{Unix}},\n  \
{{UnixNano}}, {{ID}} (unique per message), {{Random min max}} (random\n  \
alphanumeric string of min to max characters).\n\n\
Exit status: 0 every message acknowledged; 1 connection or publish failure\n  \
(the error says how many were acknowledged and where to resume); 2 refused\n  \
before anything was sent (bad flag, topic name, size, unreadable file)."
)]
pub struct PublishArgs {
    /// Topic to publish to
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// The message to publish (otherwise read from stdin or --file)
    #[arg(long, short = 'm', value_name = "TEXT", conflicts_with = "file")]
    pub message: Option<String>,

    /// nsqd TCP address; repeat to spread messages round-robin over several nodes
    #[arg(
        long = "nsqd-tcp-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = "NSQD_TCP_ADDRESS",
        value_delimiter = ',',
        default_value = "localhost:4150",
        action = clap::ArgAction::Append
    )]
    pub nsqd_tcp_address: Vec<String>,

    /// Send every message to every node (as to_nsq does) instead of round-robin
    #[arg(long)]
    pub all_nodes: bool,

    /// Publish through nsqd's HTTP API (/pub, /mpub) instead of TCP
    #[arg(long)]
    pub http: bool,

    /// nsqd HTTP address, used with --http; repeatable like --nsqd-tcp-address
    #[arg(
        long = "nsqd-http-address",
        value_name = "ADDR",
        env = "NSQD_HTTP_ADDRESS",
        value_delimiter = ',',
        default_value = "localhost:4151",
        action = clap::ArgAction::Append
    )]
    pub nsqd_http_address: Vec<String>,

    /// Read messages from this file instead of stdin
    #[arg(long, short = 'f', value_name = "PATH")]
    pub file: Option<std::path::PathBuf>,

    /// Message separator in the input: any bytes, with escapes \n \r \t \0 \\ \xHH
    #[arg(long, short = 'd', value_name = "BYTES", default_value = "\\n")]
    pub delimiter: String,

    /// Send all of the input as one message (binary-safe)
    #[arg(long, conflicts_with = "delimiter")]
    pub whole: bool,

    /// Publish --message N times, expanding templates ({{Count}}, {{Time}}, ...)
    #[arg(long, value_name = "N", requires = "message", value_parser = at_least(1u64))]
    pub count: Option<u64>,

    /// At most N messages per second
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Deliver the messages after this delay (DPUB), e.g. 30s, 5m; at most 1h
    /// (nsqd's default --max-req-timeout)
    #[arg(long = "defer", value_name = "DURATION", value_parser = duration_within(Duration::ZERO, MAX_REQ_TIMEOUT, NSQD_REQ_LIMIT))]
    pub defer: Option<Duration>,

    /// Most messages per MPUB (batches are also split to fit nsqd's size limits)
    #[arg(long, value_name = "N", default_value_t = 5000, value_parser = at_least(1u64))]
    pub batch_size: u64,

    /// On a lost connection, reconnect up to N times and resend what was not
    /// acknowledged (at-least-once: a message may then arrive twice)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry: u32,

    /// Time allowed to connect to an nsqd over TCP, IDENTIFY included [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
    pub connect_timeout: Option<Duration>,

    /// Time allowed for each HTTP request with --http [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
    pub http_timeout: Option<Duration>,

    /// Deprecated: sets both --connect-timeout and --http-timeout
    #[arg(long, value_name = "DURATION", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""), hide = true)]
    pub timeout: Option<Duration>,

    /// nsqd's --max-msg-size, assumed when the server does not advertise it
    #[arg(long, value_name = "BYTES", default_value_t = 1048576, value_parser = at_least(1usize))]
    pub max_msg_size: usize,

    /// nsqd's --max-body-size (MPUB), assumed when the server does not advertise it
    #[arg(long, value_name = "BYTES", default_value_t = 5242880, value_parser = at_least(1usize))]
    pub max_body_size: usize,

    /// Print the summary as JSON on stdout
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub conn: ConnFlags,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Consume messages from a topic through a channel and print them, one per \
line (the tutorial's consumer, like nsq_tail).\n\n\
Nodes are found through nsqlookupd (--lookupd-http-address, polled for nodes \
that appear or go away) and/or given directly (--nsqd-tcp-address). Without \
--channel, a random ephemeral channel (tail123456#ephemeral) is used, so tailing \
never takes messages from real consumers.\n\n\
A message is FINed only after its output was written (file, terminal) or, into \
a pipe, taken in full by the reader. On -n, --idle-timeout, Ctrl-C, SIGTERM or a \
closed stdout, tail stops taking messages, requeues at once those it holds but \
did not print (or the reader did not take), and exits 0.\n\n\
With --exec, tail is a worker: CMD runs (through sh -c, in a process group of \
its own) once per message with the body on stdin; exit 0 FINs, anything else \
requeues. Ctrl-C or SIGTERM is passed on to running commands (SIGKILL after \
10s); a command stopped that way has its message requeued at once, not counted \
as a failed attempt. Several tails on one \
channel share the work; tails on different channels each get every message.",
    after_help = "Examples:\n  \
        nsq-cli tail -topic test -channel foo\n  \
        nsq-cli tail -topic test -n 10 --idle-timeout 5s > out.txt\n  \
        nsq-cli tail -topic test --nsqd-tcp-address 127.0.0.1:4150 --json\n  \
        nsq-cli tail -topic test --format '{time} {id} {body}'\n  \
        nsq-cli tail -topic test --map-address nsqd=127.0.0.1   # docker-compose\n  \
        nsq-cli tail -topic test -channel foo --requeue -n 5   # peek\n  \
        nsq-cli tail -topic test --tls-ca ca.pem --auth-secret-file token\n  \
        nsq-cli tail -topic jobs -channel workers --exec './handle.sh' \\\n      \
        --concurrency 4 --max-attempts 5 --dead-letter failed.jsonl\n\n\
Exit status: 0 after -n, --idle-timeout, Ctrl-C/SIGTERM or a closed\n  \
stdout (what was printed is FINed, the rest requeued at once);\n  \
1 runtime failure (--create failed, stdout unwritable, or one that\n  \
reconnecting cannot fix: refused AUTH or SUB, a certificate that does not\n  \
verify, an address that is not nsqlookupd or answers 404, an nsqd HTTP\n  \
port given as TCP; connection failures are retried with backoff);\n  \
2 refused before starting (bad flag, name, address, --format,\n  \
--delimiter, --dead-letter file)."
)]
pub struct TailArgs {
    /// Topic to consume
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// Channel to consume through (default: a random ephemeral channel)
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,

    /// nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)
    #[arg(
        long,
        visible_alias = "addr",
        value_name = "ADDR",
        env = "NSQLOOKUPD_HTTP_ADDRESS",
        value_delimiter = ','
    )]
    pub lookupd_http_address: Vec<String>,

    /// nsqd TCP address to connect to directly (repeatable)
    #[arg(
        long,
        value_name = "ADDR",
        env = "NSQD_TCP_ADDRESS",
        value_delimiter = ','
    )]
    pub nsqd_tcp_address: Vec<String>,

    /// --map-address and --http-timeout (for nsqlookupd and --create)
    #[command(flatten)]
    pub http: HttpOpts,

    /// How often to ask nsqlookupd for nodes that appeared or went away
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = duration_within(SECOND, Duration::MAX, ""))]
    pub lookupd_poll_interval: Duration,

    /// Messages held at once, spread over the connections (default 200; with --exec, --concurrency)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub max_in_flight: Option<u64>,

    /// Print (or, with --exec, handle successfully) exactly N messages, then exit 0
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = at_least(1u64))]
    pub count: Option<u64>,

    /// Exit 0 once no message arrived for this long (e.g. 5s)
    #[arg(long, value_name = "DURATION", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
    pub idle_timeout: Option<Duration>,

    /// Create the topic and channel first (so no message published meanwhile is missed)
    #[arg(long)]
    pub create: bool,

    /// Output template: {body} {id} {attempts} {timestamp} {time} {topic} {channel} {node} ({nsqd} = {node})
    #[arg(long, value_name = "TEMPLATE", conflicts_with = "json")]
    pub format: Option<String>,

    /// One JSON object per message: id, attempts, timestamp, topic, channel, node, body
    #[arg(long)]
    pub json: bool,

    /// Written after each message instead of a newline (escapes: \n \r \t \0 \\ \xHH)
    #[arg(long, value_name = "STRING")]
    pub delimiter: Option<String>,

    /// Print "TOPIC | " before each body, as nsq_tail does
    #[arg(long, conflicts_with_all = ["json", "format"])]
    pub print_topic: bool,

    /// Print and requeue instead of FIN, so the channel keeps its messages (peek)
    #[arg(long, conflicts_with = "exec")]
    pub requeue: bool,

    /// Run CMD (through sh -c) per message, body on stdin; exit 0 FINs, non-zero requeues
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    /// With --exec: commands run at once
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=10000), requires = "exec")]
    pub concurrency: u64,

    /// With --exec: requeue delay after a failure (default: attempts x 1s, at most
    /// 1m); at most 1h (nsqd's default --max-req-timeout)
    #[arg(long, value_name = "DURATION", value_parser = duration_within(Duration::ZERO, MAX_REQ_TIMEOUT, NSQD_REQ_LIMIT), requires = "exec")]
    pub requeue_delay: Option<Duration>,

    /// With --exec: give up on a message after N failed tries (log it, FIN it)
    #[arg(long, value_name = "N", value_parser = at_least(1u16), requires = "exec")]
    pub max_attempts: Option<u16>,

    /// With --exec: append messages given up on to FILE, one JSON object per line
    #[arg(long, value_name = "FILE", requires = "max_attempts")]
    pub dead_letter: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub conn: ConnFlags,
}

/// HTTP options shared by the commands that talk to nsqd / nsqlookupd over HTTP.
#[derive(Args, Debug, Clone)]
pub struct HttpOpts {
    /// Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1`
    /// maps every port of host nsqd, `nsqd:4151=localhost:14151` one address
    #[arg(
        long,
        value_name = "FROM=TO",
        env = "NSQ_MAP_ADDRESS",
        value_delimiter = ',',
        value_parser = crate::nsq_http::map::parse_rule
    )]
    pub map_address: Vec<crate::nsq_http::map::MapRule>,

    /// Timeout of each HTTP request
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
    pub http_timeout: Duration,
}

impl HttpOpts {
    /// Installs `--map-address` and builds the HTTP client.
    pub fn client(&self) -> anyhow::Result<crate::nsq_http::Client> {
        crate::nsq_http::cluster::client_with_map(self.map_address.clone(), self.http_timeout)
    }
}

/// Where the cluster is: nsqlookupd HTTP addresses (their nsqd nodes are found
/// through them) and/or nsqd HTTP addresses.
#[derive(Args, Debug, Clone)]
pub struct ClusterArgs {
    /// nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable;
    /// default localhost:4161 unless --nsqd-http-address is given)
    #[arg(
        long = "lookupd-http-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = "NSQLOOKUPD_HTTP_ADDRESS",
        value_delimiter = ','
    )]
    pub lookupd_http_address: Vec<String>,

    /// nsqd HTTP address, host:port or http(s)://host:port (repeatable; used
    /// together with the nodes the lookupds know)
    #[arg(
        long,
        value_name = "ADDR",
        env = "NSQD_HTTP_ADDRESS",
        value_delimiter = ','
    )]
    pub nsqd_http_address: Vec<String>,

    #[command(flatten)]
    pub http: HttpOpts,
}

impl ClusterArgs {
    /// The lookupds and nsqds to talk to (see [`crate::nsq_http::cluster::resolve`]).
    pub fn resolve(&self) -> Result<(Vec<String>, Vec<String>), String> {
        crate::nsq_http::cluster::resolve(&self.lookupd_http_address, &self.nsqd_http_address)
    }
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Ask nsqlookupd which nsqd nodes hold a topic (one broadcast_address:tcp_port \
per line), or list its topics, a topic's channels, or its nodes.\n\n\
Several lookupds may be given: their answers are merged and de-duplicated; one that does \
not answer is reported on stderr and the others are used. When stdout is not a terminal, \
plain output is one item per line and nothing else (for grep -x and while read).\n\n\
Exit status: 0 found, 1 the topic is unknown to every lookupd (with -topic and with \
--channels) or no lookupd answered, 2 nothing to look up, a bad topic name or address.",
    after_help = "Examples:\n  \
        nsq-cli lookup -topic test                    # nsqd nodes holding topic test\n  \
        nsq-cli lookup --topics\n  \
        nsq-cli lookup --channels -topic test\n  \
        nsq-cli lookup --nodes --json\n  \
        nsq-cli lookup -topic test -addr lookupd1:4161 -addr lookupd2:4161\n  \
        nsq-cli lookup -topic test --map-address nsqd=127.0.0.1   # docker-compose\n  \
        nsq-cli lookup --topics | grep -qx test && echo exists"
)]
pub struct LookupArgs {
    /// Topic to look up (with --channels: the topic whose channels to list)
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// List every topic
    #[arg(long, conflicts_with_all = ["channels", "nodes"])]
    pub topics: bool,

    /// List the channels of -topic
    #[arg(long, requires = "topic", conflicts_with = "nodes")]
    pub channels: bool,

    /// List every nsqd node, with its topics and tombstones
    #[arg(long, conflicts_with = "topic")]
    pub nodes: bool,

    /// nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)
    #[arg(
        long = "lookupd-http-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = "NSQLOOKUPD_HTTP_ADDRESS",
        value_delimiter = ',',
        default_value = "localhost:4161"
    )]
    pub lookupd_http_address: Vec<String>,

    /// Print JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub http: HttpOpts,
}

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

/// What `nsq-cli topic` / `nsq-cli channel` do.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    /// Create on every lookupd and every nsqd
    Create,
    /// Delete from every lookupd, then from every nsqd holding it
    Delete,
    /// Drop every queued message on every nsqd holding it
    Empty,
    /// Stop delivery on every nsqd holding it
    Pause,
    /// Resume delivery on every nsqd holding it
    Unpause,
}

/// Options shared by the admin commands.
#[derive(Args, Debug, Clone)]
pub struct AdminOpts {
    /// Do not ask for confirmation of delete / empty (required when stdin is not a terminal)
    #[arg(short, long)]
    pub yes: bool,

    /// Print the result per node as JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Create, delete, empty, pause or unpause a topic across the cluster.\n\n\
create goes to every lookupd and to every nsqd node the lookupds know (and those given \
with --nsqd-http-address); delete goes to every lookupd first, then to every nsqd holding \
the topic, so it does not come back. delete and empty ask for confirmation on a terminal \
and need --yes otherwise. Exits non-zero, naming the node, if any node failed.",
    after_help = "Examples:\n  \
        nsq-cli topic create test\n  \
        nsq-cli topic pause test\n  \
        nsq-cli topic empty test --yes\n  \
        nsq-cli topic delete test --yes --json"
)]
pub struct TopicArgs {
    #[arg(value_enum)]
    pub action: AdminAction,

    /// Topic name
    pub topic: String,

    #[command(flatten)]
    pub opts: AdminOpts,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Create, delete, empty, pause or unpause a channel across the cluster.\n\n\
create registers the channel with every lookupd and creates topic and channel on every \
nsqd node, so the channel exists (and keeps messages) before the first publish. delete \
goes to every lookupd first, then to every nsqd holding the topic. delete and empty ask \
for confirmation on a terminal and need --yes otherwise.",
    after_help = "Examples:\n  \
        nsq-cli channel create test archive\n  \
        nsq-cli channel pause test archive\n  \
        nsq-cli channel empty test archive --yes\n  \
        nsq-cli channel delete test archive --yes"
)]
pub struct ChannelArgs {
    #[arg(value_enum)]
    pub action: AdminAction,

    /// Topic name
    pub topic: String,

    /// Channel name
    pub channel: String,

    #[command(flatten)]
    pub opts: AdminOpts,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeAction {
    /// Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there
    Tombstone,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Node operations. `tombstone TOPIC NODE` marks TOPIC on NODE as tombstoned \
in every lookupd: consumers stop discovering it there, so the topic can then be deleted \
from that node without coming back.\n\n\
NODE is the nsqd's TCP or HTTP address, broadcast_address:tcp_port or :http_port, as \
lookupd announces it or after --map-address: what `nsq-cli lookup --nodes` prints, or the \
`node` of `lookup --nodes --json`. A NODE no lookupd knows is an error listing the known ones.",
    after_help = "Examples:\n  \
        nsq-cli lookup --nodes                        # find NODE\n  \
        nsq-cli node tombstone test 10.0.0.5:4150\n  \
        nsq-cli node tombstone test 10.0.0.5:4151     # the same node by its HTTP address"
)]
pub struct NodeArgs {
    #[arg(value_enum)]
    pub action: NodeAction,

    /// Topic name
    pub topic: String,

    /// nsqd node: its TCP or HTTP address (broadcast_address:port), as `lookup --nodes` shows it
    pub node: String,

    /// Print the result per lookupd as JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Health checks for CI gates and alerting: every lookupd and nsqd answers \
/ping, and every broadcast address that lookupd announces resolves and accepts TCP \
connections. Optional thresholds on a topic (every channel, or one).\n\n\
Exit status: 0 healthy, 1 a threshold crossed, 2 something unreachable.",
    after_help = "Examples:\n  \
        nsq-cli check\n  \
        nsq-cli check --topic orders --max-depth 10000\n  \
        nsq-cli check --topic orders --channel billing --max-depth 100 \\\n      --max-timeouts 0\n  \
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

    /// Print JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}
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
    /// nsqd TCP address
    #[arg(
        long = "nsqd-tcp-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = "NSQD_TCP_ADDRESS",
        default_value = "localhost:4150"
    )]
    pub nsqd_tcp_address: String,

    /// nsqd HTTP address (to create and delete the throwaway topic)
    #[arg(
        long = "nsqd-http-address",
        value_name = "ADDR",
        env = "NSQD_HTTP_ADDRESS",
        default_value = "localhost:4151"
    )]
    pub nsqd_http_address: String,

    /// nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)
    #[arg(
        long = "lookupd-http-address",
        value_name = "ADDR",
        env = "NSQLOOKUPD_HTTP_ADDRESS",
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
    #[arg(long, value_parser = duration_within(ABOVE_ZERO, Duration::MAX, ""))]
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
