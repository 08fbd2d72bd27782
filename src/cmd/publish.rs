//! `nsq-cli publish`.

use crate::cli::PublishArgs;
use std::process::ExitCode;

pub async fn run(_args: PublishArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli publish` is not implemented yet")
}
