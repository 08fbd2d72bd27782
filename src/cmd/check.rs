//! `nsq-cli check`.

use crate::cli::CheckArgs;
use std::process::ExitCode;

pub async fn run(_args: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli check` is not implemented yet")
}
