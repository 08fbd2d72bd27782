//! The flags of `nsq-cli relay`.

use super::filter::{parse_json_field, JsonField};
use crate::cmd::flags::values::{above_zero, at_least, parse_rate};
use crate::cmd::flags::{ConnFlags, SourceArgs, ToConnFlags};
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Move messages from topics to a topic, in this cluster or another one, \
without losing one (like nsq_to_nsq).\n\n\
The source is consumed through a channel exactly as tail does (nsqlookupd \
and/or nsqd addresses, TLS, AUTH); the destination is published to in MPUB \
batches over TCP, to --to-nsqd-tcp-address nodes (round-robin) or to every \
nsqd that --to-lookupd-http-address lists, with its own --to-tls-* and \
--to-auth-secret-file flags.\n\n\
Each source message is FINed only after the destination acknowledged it. If \
the destination fails, the messages held are requeued at once, the source is \
paused, and the destination is reconnected with backoff (said on stderr). A \
relay killed at any moment loses nothing: what it held returns to the \
channel after nsqd's msg-timeout. Delivery is at-least-once: a message may \
reach the destination twice, never zero times.\n\n\
--filter and --json-field keep only matching messages; the others are FINed \
and counted as filtered, never dropped silently.",
    after_help = "Examples:\n  \
        nsq-cli relay -topic orders -channel move --to-topic orders_v2 --idle-timeout 5s\n  \
        nsq-cli relay -topic a -topic b -channel copy --to-topic 'backup_{topic}' \\\n      \
        --to-nsqd-tcp-address other:4150\n  \
        nsq-cli relay -topic events -channel mig --lookupd-http-address old:4161 \\\n      \
        --to-lookupd-http-address new:4161 --to-tls-ca new-ca.pem\n  \
        nsq-cli relay -topic jobs_dead -channel back --to-topic jobs -n 100\n  \
        nsq-cli relay --context prod -topic orders -channel copy --to-context staging\n  \
        nsq-cli relay -topic clicks -channel eu --to-topic clicks_eu \\\n      \
        --json-field geo.region=eu --filter '\"type\":\"click\"'\n\n\
Exit status: 0 after -n or --idle-timeout, with every message taken\n  \
relayed (acknowledged, then FINed) or filtered; 1 runtime failure (one\n  \
that reconnecting cannot fix: refused AUTH, SUB or publish, a certificate\n  \
that does not verify; messages the destination did not acknowledge\n  \
when stopping, which were requeued; or --idle-timeout reached while a\n  \
source nsqd or nsqlookupd was unreachable); 2 refused before starting (bad\n  \
flag, name, address, regex, --json-field); 130/143 stopped by\n  \
SIGINT/SIGTERM (after the summary; what was held is acknowledged and\n  \
FINed, or requeued)."
)]
pub struct RelayArgs {
    /// Source topic (repeat for several; each is relayed through --channel)
    #[arg(long, value_name = "TOPIC", required = true, action = clap::ArgAction::Append)]
    pub topic: Vec<String>,

    /// Channel to consume the source topics through (created if missing)
    #[arg(long, value_name = "CHANNEL")]
    pub channel: String,

    /// Where to consume from: nsqlookupd and/or nsqd addresses, --map-address,
    /// --http-timeout, --lookupd-poll-interval
    #[command(flatten)]
    pub source: SourceArgs,

    /// Destination topic; {topic} is replaced by the source topic's name
    #[arg(long, value_name = "TOPIC", default_value = "{topic}")]
    pub to_topic: String,

    /// Destination nsqd TCP address (repeatable; messages go round-robin)
    #[arg(long, value_name = "ADDR", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub to_nsqd_tcp_address: Vec<String>,

    /// Destination nsqlookupd HTTP address: publish to every nsqd it lists (repeatable)
    #[arg(long, value_name = "ADDR", value_delimiter = ',', action = clap::ArgAction::Append, conflicts_with = "to_nsqd_tcp_address")]
    pub to_lookupd_http_address: Vec<String>,

    /// The destination's addresses, TLS, compression and secret file from a
    /// saved context (see `nsq-cli context`); --to-* flags given beat it
    #[arg(long, value_name = "NAME", env = "NSQ_TO_CONTEXT")]
    pub to_context: Option<String>,

    /// Time allowed to connect to a destination nsqd, IDENTIFY included
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = above_zero())]
    pub connect_timeout: Duration,

    /// Messages held at once, spread over the source connections
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub max_in_flight: u64,

    /// Most messages per MPUB to the destination
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = at_least(1usize))]
    pub batch_size: usize,

    /// At most N messages per second (over all source topics)
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Relay exactly N messages (filtered ones do not count), then exit 0
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = at_least(1u64))]
    pub count: Option<u64>,

    /// Drain mode: exit 0 once no message arrived for this long (e.g. 5s); 1 if a source nsqd or nsqlookupd is unreachable then
    #[arg(long, value_name = "DURATION", value_parser = above_zero())]
    pub idle_timeout: Option<Duration>,

    /// Relay only messages whose body matches this regular expression
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,

    /// Relay only JSON messages whose field PATH (dots between keys) equals
    /// VALUE (repeatable: all must hold); VALUE is JSON if it parses as JSON
    /// (42, true, null, "42"), else a string
    #[arg(long, value_name = "PATH=VALUE", value_parser = parse_json_field)]
    pub json_field: Vec<JsonField>,

    /// Print the summary as JSON on stdout
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub conn: ConnFlags,

    #[command(flatten)]
    pub to_conn: ToConnFlags,
}
