#!/usr/bin/env bash
# Regenerates completions/ from the clap definitions (tests/it/completions.rs checks them).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q
bin=target/debug/nsq-cli
$bin completions bash > completions/nsq-cli.bash
$bin completions zsh > completions/_nsq-cli
$bin completions fish > completions/nsq-cli.fish
$bin completions powershell > completions/_nsq-cli.ps1
$bin completions elvish > completions/nsq-cli.elv
echo "completions/ updated"
