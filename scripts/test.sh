#!/usr/bin/env bash
# Portico's whole test suite, the command the README gives and CI runs:
# installs what is missing (scripts/setup.sh), then lint, native unit and server tests
# on SQLite and on PostgreSQL, the release build of the page with its size budget,
# and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
step() { printf '\n==> [test %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

step "setup"
scripts/setup.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p portico --target wasm32-unknown-unknown --features hydrate --all-targets -- -D warnings

step "native tests: rules, server (SQLite)"
cargo test --workspace

step "server tests on PostgreSQL"
PG=$(scripts/postgres.sh)
trap 'scripts/postgres.sh stop' EXIT
PORTICO_TEST_POSTGRES=$PG cargo test -p portico-server --tests

step "release build of the page and its size"
scripts/build-page.sh
# Budget in KB of brotli over everything a browser downloads (see README, "Size").
scripts/size-report.sh --budget "${PORTICO_SIZE_BUDGET_KB:-78}"

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo test -p portico --target wasm32-unknown-unknown --features hydrate

step "end to end (Chromium, portico-server, a real OpenID provider, the auth0 SDK), hardening (kill -9, outage), directory sync (a stand-in Auth0 tenant; SQLite and PostgreSQL)"
cargo build --release -p portico-server
PORTICO_TEST_POSTGRES=$PG node --test tests/e2e/ tests/hardening/ tests/sync/

step "fuzzing the shared rules (20 s per target; longer: scripts/fuzz.sh 600)"
scripts/fuzz.sh 20

step "all tests passed"
