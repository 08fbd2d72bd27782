//! The flags of `nsq-cli publish`.

use crate::cmd::flags::values::{above_zero, at_least, nsqd_delay, parse_rate};
use crate::cmd::flags::{env, ConnFlags};
use clap::Args;
use std::time::Duration;

/// What `--input-format` reads.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Records split on --delimiter, each one message
    Raw,
    /// One JSON object per line, as tail --json and --dead-letter write them
    Json,
}

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Publish messages to a topic over nsqd's TCP protocol (or its HTTP API \
with --http).\n\n\
Without --message, messages are read from stdin (or --file), one per line; \
--delimiter picks another separator and --whole sends all of the input as one \
message. Empty messages are refused by NSQ, so empty lines are skipped and \
counted on stderr. --input-format json replays what tail --json or tail \
--dead-letter wrote: each line's \"body\" (or \"body_base64\") is published byte \
for byte, other fields are ignored, blank lines and empty bodies are skipped \
and counted, and a line that is not such a record stops the input, naming it \
(a --file is checked whole before anything is sent). Messages are streamed in MPUB batches, split so that no \
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
        nsq-cli publish -topic jobs --input-format json --file dead.jsonl\n  \
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
before anything was sent (bad flag, topic name, address, size, unreadable\n  \
file, an --input-format json line that is not a record); 130/143\n  \
stopped by SIGINT/SIGTERM (after the summary)."
)]
pub struct PublishArgs {
    /// Topic to publish to
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// The message to publish (otherwise read from stdin or --file)
    #[arg(long, short = 'm', value_name = "TEXT", conflicts_with = "file")]
    pub message: Option<String>,

    // publish's own: a list, default localhost:4150, -addr means nsqd here (see
    // cmd::flags::env for why the address flags are declared per command).
    /// nsqd TCP address; repeat to spread messages round-robin over several nodes
    #[arg(
        long = "nsqd-tcp-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = env::NSQD_TCP_ADDRESS,
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

    // Not ClusterArgs' flag: publish --http defaults to localhost:4151.
    /// nsqd HTTP address, used with --http; repeatable like --nsqd-tcp-address
    #[arg(
        long = "nsqd-http-address",
        value_name = "ADDR",
        env = env::NSQD_HTTP_ADDRESS,
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

    /// How the input gives messages: raw (split on --delimiter) or json (lines
    /// written by tail --json or --dead-letter: "body" or "body_base64" each)
    #[arg(
        long,
        value_name = "FORMAT",
        value_enum,
        default_value_t = InputFormat::Raw,
        conflicts_with_all = ["message", "whole", "delimiter"]
    )]
    pub input_format: InputFormat,

    /// Publish --message N times, expanding templates ({{Count}}, {{Time}}, ...)
    #[arg(long, value_name = "N", requires = "message", value_parser = at_least(1u64))]
    pub count: Option<u64>,

    /// At most N messages per second
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Deliver the messages after this delay (DPUB), e.g. 30s, 5m; at most 1h
    /// (nsqd's default --max-req-timeout)
    #[arg(long = "defer", value_name = "DURATION", value_parser = nsqd_delay())]
    pub defer: Option<Duration>,

    /// Most messages per MPUB (batches are also split to fit nsqd's size limits)
    #[arg(long, value_name = "N", default_value_t = 5000, value_parser = at_least(1u64))]
    pub batch_size: u64,

    /// On a lost connection, reconnect up to N times and resend what was not
    /// acknowledged (at-least-once: a message may then arrive twice)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry: u32,

    /// Time allowed to connect to an nsqd over TCP, IDENTIFY included [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = above_zero())]
    pub connect_timeout: Option<Duration>,

    /// Time allowed for each HTTP request with --http [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = above_zero())]
    pub http_timeout: Option<Duration>,

    /// Deprecated: sets both --connect-timeout and --http-timeout
    #[arg(long, value_name = "DURATION", value_parser = above_zero(), hide = true)]
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
