//! `nsq-cli stats`.

use crate::cli::StatsArgs;
use std::process::ExitCode;

pub async fn run(_args: StatsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli stats` is not implemented yet")
}
