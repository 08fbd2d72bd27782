//! The flags of `nsq-cli tail`.

use crate::cmd::flags::values::{above_zero, at_least, nsqd_delay};
use crate::cmd::flags::{ConnFlags, SourceArgs};
use clap::Args;
use std::time::Duration;

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
as a failed attempt. After --max-attempts a message is given up on: written to \
--dead-letter FILE and/or published to --dead-letter-topic TOPIC (on the nsqd \
it came from), and FINed only once they have it; if they fail it is requeued \
instead. Several tails on one \
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
        --concurrency 4 --max-attempts 5 --dead-letter failed.jsonl\n  \
        nsq-cli tail -topic jobs -channel workers --exec './handle.sh' \\\n      \
        --max-attempts 5 --dead-letter-topic jobs.dead\n  \
        nsq-cli tail -topic jobs.dead -channel look --requeue -n 10   # inspect\n\n\
Exit status: 0 after -n, --idle-timeout, Ctrl-C/SIGTERM or a closed\n  \
stdout (what was printed is FINed, the rest requeued at once);\n  \
1 runtime failure (--create failed, stdout unwritable, --idle-timeout\n  \
reached while an nsqd or nsqlookupd was unreachable, or one that\n  \
reconnecting cannot fix: refused AUTH or SUB, a certificate that does not\n  \
verify, an address that is not nsqlookupd or answers 404, an nsqd HTTP\n  \
port given as TCP; connection failures are retried with backoff);\n  \
2 refused before starting (bad flag, name, address, --format,\n  \
--delimiter, --dead-letter file, --dead-letter-topic)."
)]
pub struct TailArgs {
    /// Topic to consume
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// Channel to consume through (default: a random ephemeral channel)
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,

    /// Where to consume from: nsqlookupd and/or nsqd addresses, --map-address,
    /// --http-timeout, --lookupd-poll-interval
    #[command(flatten)]
    pub source: SourceArgs,

    /// Messages held at once, spread over the connections (default 200; with --exec, --concurrency)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub max_in_flight: Option<u64>,

    /// Print (or, with --exec, handle successfully) exactly N messages, then exit 0
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = at_least(1u64))]
    pub count: Option<u64>,

    /// Exit 0 once no message arrived for this long (e.g. 5s); 1 if an nsqd or nsqlookupd is unreachable then
    #[arg(long, value_name = "DURATION", value_parser = above_zero())]
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
    #[arg(long, value_name = "DURATION", value_parser = nsqd_delay(), requires = "exec")]
    pub requeue_delay: Option<Duration>,

    /// With --exec: give up on a message after N failed tries (log it, FIN it)
    #[arg(long, value_name = "N", value_parser = at_least(1u16), requires = "exec")]
    pub max_attempts: Option<u16>,

    /// With --exec: append messages given up on to FILE, one JSON object per line
    #[arg(long, value_name = "FILE", requires = "max_attempts")]
    pub dead_letter: Option<std::path::PathBuf>,

    /// With --exec: publish messages given up on to TOPIC on the nsqd they came
    /// from; FINed only once it acknowledged (requeued if the publish fails)
    #[arg(long, value_name = "TOPIC", requires = "max_attempts")]
    pub dead_letter_topic: Option<String>,

    #[command(flatten)]
    pub conn: ConnFlags,
}
