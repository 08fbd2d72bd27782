//! The flags of `nsq-cli lookup`.

use crate::cmd::flags::{env, HttpOpts};
use clap::Args;

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

    // Not ClusterArgs' flag: lookup defaults to localhost:4161 (see cmd::flags::env).
    /// nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)
    #[arg(
        long = "lookupd-http-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = env::NSQLOOKUPD_HTTP_ADDRESS,
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
