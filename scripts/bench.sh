#!/usr/bin/env bash
# The benchmark command: installs its extra tools (wrk, nginx, Lock), builds release
# page and server, then runs
#   bench/run.mjs    the page against Auth0 Lock, /login/context against nginx
#                    (bench/results/latest.{json,md}; extra arguments go to it)
#   bench/scale.mjs  the public paths at 1,000, 10,000 and 100,000 organizations on
#                    SQLite and PostgreSQL (bench/results/scale.{json,md})
#   bench/sync.mjs   `portico-server sync` of a 10,000-organization stand-in Auth0
#                    tenant, then a re-sync after 10 changes (bench/results/sync.{json,md})
#   bench/attack.mjs a legitimate client's latency, and the server's memory, while one
#                    client sends the worst requests it can (bench/results/attack.{json,md})
# PORTICO_BENCH=pages, =scale, =sync or =attack runs only one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/setup.sh
missing=(); command -v wrk >/dev/null || missing+=(wrk); command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; fi
bench/build-lock.sh
scripts/build-page.sh
cargo build --release -p portico-server --bin portico-server --example synthetic_directory
case ${PORTICO_BENCH:-all} in
  pages) node bench/run.mjs "$@" ;;
  scale) node bench/scale.mjs ;;
  sync) node bench/sync.mjs ;;
  attack) node bench/attack.mjs "$@" ;;
  *) node bench/run.mjs "$@"; node bench/scale.mjs; node bench/sync.mjs; node bench/attack.mjs ;;
esac
