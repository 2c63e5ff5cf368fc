#!/usr/bin/env bash
# Fuzzes the shared rules crate with cargo fuzz (libFuzzer): the authorize query
# parser, the validators against reference definitions, the redirect builder, and
# the language choice with the menu's links.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (CI runs 20; run longer on demand)
# cargo fuzz wants nightly flags; RUSTC_BOOTSTRAP lets our pinned stable accept them.
set -euo pipefail
cd "$(dirname "$0")/../rules"
secs=${1:-20}
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
for target in authorize_query validators redirect languages; do
  echo "--- fuzz $target for ${secs}s"
  cargo fuzz run "$target" --fuzz-dir fuzz -- -max_total_time="$secs" -print_final_stats=1 2>&1 \
    | grep -E "^(Done|stat::number_of_executed_units|==|SUMMARY)|panicked|crash-" || true
  # libFuzzer exits non-zero on a finding; pipefail carries it here.
done
