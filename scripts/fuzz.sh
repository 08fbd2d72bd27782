#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS_PER_TARGET seconds (default 20)
# and fails on the first crash, printing the reproducer's path and how to replay it.
#
#   scripts/fuzz.sh          # the short run CI does
#   scripts/fuzz.sh 600      # a longer run: 10 minutes per target
#   FUZZ_TARGETS="broker_conn frame_decoder" scripts/fuzz.sh 60
#
# Works on the stable toolchain: without a sanitizer (--sanitizer none) cargo-fuzz
# needs no nightly features; libFuzzer's coverage guidance comes from rustc's
# stable SanitizerCoverage flags. Debug assertions (overflow checks) are on.
# Inputs found are kept in fuzz/corpus/<target> (git-ignored) and reused next time;
# fuzz/seeds/<target> holds committed starting inputs and fuzz/dict/<target>.dict
# the protocol's words for libFuzzer's mutations.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number of seconds, got '$seconds'" >&2
  exit 2
fi

cargo_fuzz_version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -qF "$cargo_fuzz_version"; then
  echo "== installing cargo-fuzz $cargo_fuzz_version"
  cargo install --locked "cargo-fuzz@$cargo_fuzz_version"
fi

flags=(--sanitizer none --debug-assertions)
echo "== building the fuzz targets"
cargo fuzz build "${flags[@]}"

targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
logs="$(mktemp -d)"
for target in $targets; do
  mkdir -p "corpus/$target"
  dirs=("corpus/$target")
  [ -d "seeds/$target" ] && dirs+=("seeds/$target")
  extra=()
  [ -f "dict/$target.dict" ] && extra+=("-dict=dict/$target.dict")
  log="$logs/$target.log"
  echo "== fuzzing $target for ${seconds}s"
  # -timeout: one input running 10 s counts as a hang, and fails like a crash.
  if cargo fuzz run "${flags[@]}" "$target" "${dirs[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" || true
    grep -E '^stat::number_of_executed_units' "$log" || true
  else
    # The panic message (if it was one), then libFuzzer's verdict.
    grep -m 1 -A 3 'panicked at' "$log" >&2 || true
    grep -E 'ERROR: libFuzzer|SUMMARY: libFuzzer|Test unit written' "$log" >&2 || true
    reproducer="$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/^Test unit written to //')"
    echo >&2
    echo "fuzz.sh: $target FAILED (full log: $logs/$target.log)" >&2
    if [ -n "$reproducer" ]; then
      echo "fuzz.sh: reproducer: $reproducer" >&2
      echo "fuzz.sh: replay with: (cd fuzz && cargo fuzz run ${flags[*]} $target $reproducer)" >&2
    fi
    exit 1
  fi
done
rm -rf "$logs"
echo "== fuzzing passed: $(echo $targets | wc -w) targets, ${seconds}s each"
