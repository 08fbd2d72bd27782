//! The flags of `nsq-cli topic`, `nsq-cli channel` and `nsq-cli node`.

use crate::cmd::flags::ClusterArgs;
use clap::{Args, ValueEnum};

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
