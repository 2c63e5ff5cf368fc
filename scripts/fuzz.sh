#!/usr/bin/env bash
# Fuzzes the shared rules crate with cargo fuzz (libFuzzer): the authorize query
# parser, the validators against reference definitions, the redirect builder, the
# language choice with its menu, and what a query near its bounds costs.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (CI runs 20; run longer on demand)
#
# For each target, first every past finding (rules/fuzz/regressions/TARGET/) is run
# again, then the fuzzer starts from the committed corpus (rules/fuzz/corpus/TARGET/,
# read only; what it finds new goes to target/fuzz-corpus/, outside the repository).
# Any crash, failed assertion, timeout (-timeout, low: the query_cost target is about
# cost) or out-of-memory fails this script, and libFuzzer's own report is printed. A
# finding is saved under rules/fuzz/artifacts/TARGET/: once fixed, copy it into
# rules/fuzz/regressions/TARGET/ so that CI replays it for good.
#
# Built without a sanitizer (-s none): the rules crate forbids `unsafe` (the workspace's
# lints), so AddressSanitizer has nothing of ours to watch, and it costs 3-4x the
# executions. cargo fuzz wants nightly flags; RUSTC_BOOTSTRAP lets our pinned stable
# accept them.
set -euo pipefail
cd "$(dirname "$0")/../rules"
secs=${1:-20}
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=()
for target in authorize_query validators redirect languages query_cost; do
  regressions=fuzz/regressions/$target
  if [ -n "$(ls -A "$regressions" 2>/dev/null)" ]; then
    echo "--- $target: replaying $(ls -A "$regressions" | wc -l) past findings"
    if ! cargo fuzz run -s none "$target" --fuzz-dir fuzz "$regressions" -- -runs=0 >"$logs/$target.replay" 2>&1; then
      tail -n 40 "$logs/$target.replay"
      failed+=("$target (a past finding is back)")
      continue
    fi
  fi
  work=../target/fuzz-corpus/$target
  mkdir -p "$work" "fuzz/corpus/$target"
  echo "--- fuzz $target for ${secs}s"
  if cargo fuzz run -s none "$target" --fuzz-dir fuzz "$work" "fuzz/corpus/$target" -- \
      -max_total_time="$secs" -timeout=2 -rss_limit_mb=1024 \
      -print_final_stats=1 >"$logs/$target.log" 2>&1; then
    sed -nE '/^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)/p' "$logs/$target.log"
  else
    # libFuzzer's report of the finding: the assertion, the input, where it was saved.
    grep -vE "^#[0-9]+" "$logs/$target.log" | tail -n 60
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: no findings"
