//! `nsq-cli topic|channel|node`: cluster-wide administration.

use crate::cli::{ChannelArgs, NodeArgs, TopicArgs};
use std::process::ExitCode;

pub async fn run_topic(_args: TopicArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli topic` is not implemented yet")
}

pub async fn run_channel(_args: ChannelArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli channel` is not implemented yet")
}

pub async fn run_node(_args: NodeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli node` is not implemented yet")
}
