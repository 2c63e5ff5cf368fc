#!/usr/bin/env bash
# Portico's whole test suite, the command the README gives and CI runs:
# installs what is missing (scripts/setup.sh), then every stage below in order.
#
# Usage: scripts/test.sh [STAGE...]   (no stage: all of them, which is what CI runs)
#   lint     cargo fmt --check, clippy on the workspace and on the page's wasm
#   unit     native tests: the rules, the page's plain-Rust parts, the server on SQLite
#   pg       the server's tests on PostgreSQL
#   page     the page's release build, and its size budget
#   browser  wasm-bindgen-test in headless Chromium (needs `page` once, for nothing:
#            it builds its own test wasm)
#   e2e      end to end, hardening and directory sync (Chromium, the release server and
#            page, a real OpenID provider; SQLite and PostgreSQL)
#   fuzz     the shared rules under cargo fuzz, 20 s a target
# docs/testing.md says which level tests what.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
step() { printf '\n==> [test %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

stages=(lint unit pg page browser e2e fuzz)
for s in "$@"; do
  case " ${stages[*]} " in
    *" $s "*) ;;
    *) echo "no stage '$s'; the stages: ${stages[*]}" >&2; exit 2 ;;
  esac
done
selected=("$@")
# Whether stage $1 runs: every stage when none was named.
want() {
  [ ${#selected[@]} -eq 0 ] && return 0
  case " ${selected[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

step "setup"
scripts/setup.sh

if want lint; then
  step "format and lints"
  cargo fmt --all -- --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy -p portico --target wasm32-unknown-unknown --features hydrate --all-targets -- -D warnings
fi

if want unit; then
  step "native tests: rules, server (SQLite)"
  cargo test --workspace
fi

PG=""
pg() {
  if [ -z "$PG" ]; then
    PG=$(scripts/postgres.sh)
    trap 'scripts/postgres.sh stop' EXIT
  fi
}

if want pg; then
  step "server tests on PostgreSQL"
  pg
  PORTICO_TEST_POSTGRES=$PG cargo test -p portico-server --tests
fi

if want page; then
  step "release build of the page and its size"
  scripts/build-page.sh
  # Budget in KB of brotli over everything a browser downloads (see docs/size.md#size).
  scripts/size-report.sh --budget "${PORTICO_SIZE_BUDGET_KB:-78}"
fi

if want browser; then
  step "browser tests (wasm-bindgen-test, headless Chromium)"
  cargo test -p portico --target wasm32-unknown-unknown --features hydrate
fi

if want e2e; then
  step "end to end (Chromium, portico-server, a real OpenID provider, the auth0 SDK), hardening (kill -9, outage), directory sync (a stand-in Auth0 tenant; SQLite and PostgreSQL)"
  [ -f dist/index.html ] || scripts/build-page.sh
  cargo build --release -p portico-server
  pg
  PORTICO_TEST_POSTGRES=$PG node --test tests/e2e/ tests/hardening/ tests/sync/
fi

if want fuzz; then
  step "fuzzing the shared rules (20 s per target; longer: scripts/fuzz.sh 600)"
  scripts/fuzz.sh 20
fi

if [ ${#selected[@]} -eq 0 ]; then
  step "all tests passed"
else
  step "tests passed: ${selected[*]}"
fi
