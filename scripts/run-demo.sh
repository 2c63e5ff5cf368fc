#!/usr/bin/env bash
# Sets up and runs Portico with the demo tenant: installs what is missing, builds the
# page (release) and the server, then serves both on one port and prints URLs to try.
# Extra arguments go to `portico-server serve` (e.g. --addr 127.0.0.1:9090).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/setup.sh
echo "==> building the page (scripts/build-page.sh: trunk build --release)"
scripts/build-page.sh
echo "==> building the server"
cargo build --release -p portico-server
# Defaults through the environment, so flags given here (--addr …) override them.
export PORTICO_ADDR=${PORTICO_ADDR:-127.0.0.1:8080}
export DATABASE_URL=${DATABASE_URL:-sqlite://portico-demo.db}
exec target/release/portico-server serve --dist dist --base-domain localhost --demo "$@"
