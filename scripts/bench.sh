#!/usr/bin/env bash
# The benchmark command: installs its extra tools (wrk, nginx, Lock), builds release
# page and server, runs bench/run.mjs, writes bench/results/latest.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/setup.sh
missing=(); command -v wrk >/dev/null || missing+=(wrk); command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; fi
bench/build-lock.sh
scripts/build-page.sh
cargo build --release -p portico-server
node bench/run.mjs "$@"
