//! The flags of `nsq-cli dev`.

use crate::cmd::flags::values::{above_zero, at_least, duration_within, SECOND};
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Run an embedded NSQ broker: nsqd's TCP protocol and HTTP API, and \
nsqlookupd's HTTP API describing its node(s).

\
It is for development and tests: each topic and channel keeps --mem-queue-size \
messages in memory and the rest on disk. Not durable unless --data-path is given: \
without it messages are lost when it stops. It behaves like nsqd v1.3.0 (error strings, JSON fields, \
limits and their defaults) so that any NSQ client can use it.\n\n\
Once listening it prints NSQD_TCP_ADDRESS=..., NSQD_HTTP_ADDRESS=..., \
NSQLOOKUPD_HTTP_ADDRESS=... (node 0's and lookupd's), then NSQD_TCP_ADDRESSES=... and \
NSQD_HTTP_ADDRESSES=... (every node's, comma-separated, node 0 first) on stdout \
(port 0 picks a free port). With `-- CMD`, it runs CMD with those variables exported \
instead, then stops and exits with CMD's status.\n\n\
With --nodes N it runs N nsqd nodes in one process, each with its own topics, \
channels, /stats and /info, all registered with the one lookupd API. Node i listens \
on the port of --tcp-address + 2i and of --http-address + 2i (4150/4151, 4152/4153, \
...); port 0 gives every node a free port. Addresses that would collide are refused.",
    after_help = "Examples:\n  \
        nsq-cli dev               # nsqd :4150 (TCP) :4151 (HTTP), lookupd HTTP :4161\n  \
        nsq-cli dev --tcp-address 127.0.0.1:0 --http-address 127.0.0.1:0 \\\n      --lookupd-http-address 127.0.0.1:0     # free ports\n  \
        nsq-cli dev -- ./integration-tests.sh     # a throwaway NSQ for one command\n  \
        nsq-cli dev --nodes 3     # nsqd :4150/:4151, :4152/:4153, :4154/:4155\n  \
        nsq-cli dev --tls-cert server.pem --tls-key server-key.pem --tls-required\n  \
        nsq-cli dev --auth-http-address 127.0.0.1:4181\n  \
        nsq-cli dev --data-path ./nsq-data        # queues survive a restart\n  \
        nsq-cli dev -- sh -c 'nsq-cli publish -topic test -message hi &&\n      nsq-cli tail -topic test -n 1'"
)]
pub struct DevArgs {
    /// <addr>:<port> for nsqd's TCP protocol (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4150")]
    pub tcp_address: String,

    /// <addr>:<port> for nsqd's HTTP API
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4151")]
    pub http_address: String,

    /// <addr>:<port> for the nsqlookupd HTTP API describing the node(s)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4161")]
    pub lookupd_http_address: String,

    /// How many nsqd nodes to run (node i: the ports of --tcp-address and --http-address + 2i)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub nodes: u16,

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
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = above_zero())]
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

    /// Messages kept in memory per topic and per channel; beyond it they go to
    /// disk (in --data-path, or a temporary directory removed on exit), as nsqd
    #[arg(long, value_name = "N", default_value_t = 10000)]
    pub mem_queue_size: usize,

    /// Directory for the queues beyond --mem-queue-size; on a clean stop (SIGTERM,
    /// Ctrl-C) every queued, deferred and in-flight message is saved there and
    /// restored by the next `nsq-cli dev --data-path` on it (one process at a time)
    #[arg(long, value_name = "DIR")]
    pub data_path: Option<std::path::PathBuf>,

    /// Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable
    #[arg(long, value_name = "ADDR")]
    pub auth_http_address: Vec<String>,

    /// Command (and its arguments) to run against the broker; the broker stops when it exits
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}
