//! `nsq-cli tail`.

use crate::cli::TailArgs;
use std::process::ExitCode;

pub async fn run(_args: TailArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli tail` is not implemented yet")
}
