//! The flags of `nsq-cli topic`, `nsq-cli channel` and `nsq-cli node`.

use crate::cmd::flags::values::above_zero;
use crate::cmd::flags::ClusterArgs;
use clap::{Args, Subcommand, ValueEnum};
use std::time::Duration;

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

/// `nsq-cli node`'s subcommands.
#[derive(Args, Debug, Clone)]
#[command(after_help = "Examples:\n  \
        nsq-cli lookup --nodes                        # find NODE\n  \
        nsq-cli node tombstone test 10.0.0.5:4150\n  \
        nsq-cli node drain 10.0.0.5:4150 --wait\n  \
        nsq-cli node undrain 10.0.0.5:4150 --wait")]
pub struct NodeArgs {
    #[command(subcommand)]
    pub action: NodeAction,
}

#[derive(Subcommand, Debug, Clone)]
pub enum NodeAction {
    /// Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there
    Tombstone(TombstoneArgs),
    /// Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message
    #[command(
        long_about = format!("Takes NODE out of service: tombstones every topic the lookupds list \
    for it, in each lookupd that lists it, so consumers stop discovering it, while the \
    consumers already connected keep taking its messages. Publishers that send to NODE directly \
    must be pointed elsewhere by you: drain cannot stop them.\n\n\
    With --wait, polls NODE's /stats (twice a second, re-sending the tombstones every 10s so they \
    do not lapse) until depth + in flight + deferred of every topic and channel is 0, then says it \
    is safe to stop (exit 0); after --timeout it names what is left (exit 1).\n\n\
    {NODE_IS}\n\n\
    Exit status: 0 tombstoned (and, with --wait, empty), 1 a lookupd failed or --timeout \
    passed, 2 a bad address refused."),
        after_help = "Examples:\n  \
            nsq-cli node drain 10.0.0.5:4150 --wait\n  \
            nsq-cli node drain 10.0.0.5:4150 --wait --timeout 30m --json"
    )]
    Drain(DrainArgs),
    /// Show NODE's tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse
    #[command(
        long_about = format!("Shows which topics of NODE each lookupd still has tombstoned. \
    nsqlookupd has no request that lifts a tombstone: it lapses --tombstone-lifetime (45s by \
    default) after it was last set, or at once when the nsqd reconnects to nsqlookupd (restart \
    it). With --wait, polls the lookupds until no topic of NODE is tombstoned.\n\n\
    {NODE_IS}\n\n\
    Exit status: 0 no topic of NODE tombstoned, 1 some still are (after --timeout with --wait), \
    2 a bad address refused."),
        after_help = "Examples:\n  \
            nsq-cli node undrain 10.0.0.5:4150\n  \
            nsq-cli node undrain 10.0.0.5:4150 --wait --timeout 2m"
    )]
    Undrain(DrainArgs),
}

const NODE_IS: &str = "NODE is the nsqd's TCP or HTTP address, broadcast_address:tcp_port or \
:http_port, as lookupd announces it or after --map-address: what `nsq-cli lookup --nodes` \
prints, or the `node` of `lookup --nodes --json`. A NODE no lookupd knows is an error listing \
the known ones.";

#[derive(Args, Debug, Clone)]
#[command(
    long_about = format!("Marks TOPIC on NODE as tombstoned in every lookupd: consumers stop \
discovering it there, so the topic can then be deleted from that node without coming back.\n\n\
{NODE_IS}"),
    after_help = "Examples:\n  \
        nsq-cli lookup --nodes                        # find NODE\n  \
        nsq-cli node tombstone test 10.0.0.5:4150\n  \
        nsq-cli node tombstone test 10.0.0.5:4151     # the same node by its HTTP address"
)]
pub struct TombstoneArgs {
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

/// --wait and --timeout of `node drain` and `node undrain`.
#[derive(Args, Debug, Clone)]
pub struct WaitOpts {
    /// Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after DURATION (exit 1, naming what is left)
    #[arg(long, value_name = "DURATION", default_value = "10m", requires = "wait",
          value_parser = above_zero())]
    pub timeout: Duration,
}

#[derive(Args, Debug, Clone)]
/// NODE and the options of `node drain` and `node undrain`.
pub struct DrainArgs {
    /// nsqd node: its TCP or HTTP address (broadcast_address:port), as `lookup --nodes` shows it
    pub node: String,

    #[command(flatten)]
    pub wait: WaitOpts,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}
