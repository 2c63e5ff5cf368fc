#!/usr/bin/env bash
# The release build of the page, the one that is served, benchmarked and measured:
# `trunk build --release` with the standard library rebuilt for size.
#
# The prebuilt std is compiled for speed and with panic machinery (formatting,
# locations, unwinding tables) that a panic="abort" page never uses. Rebuilding it
# (cargo -Zbuild-std, which needs the rust-src component) with `optimize_for_size`
# and `-Cpanic=immediate-abort` takes about 12 KB brotli off the wasm (docs/size.md#size).
# These are unstable flags of our pinned stable toolchain, unlocked with
# RUSTC_BOOTSTRAP=1 for this one build only; everything else (tests, clippy, the
# server) uses the toolchain as shipped. A panic in the page was already an abort
# (a wasm trap); it now carries no message, which nobody could read anyway.
#
# It builds into its own target directory so that its flags never invalidate the
# cache of the test builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

sysroot=$(rustc --print sysroot)
if [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
  echo "the rust-src component is missing: run scripts/setup.sh (rustup component add rust-src)" >&2
  exit 1
fi

# Trunk builds offline: fail now, naming the missing fetch, rather than deep in cargo.
scripts/offline-deps.sh check

export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none"
export CARGO_TARGET_DIR=${PORTICO_PAGE_TARGET_DIR:-target/page}
trunk build --release=true "$@"
# The JS glue, minified (trunk leaves it as wasm-bindgen wrote it); the integrity
# hashes in index.html follow.
dist=dist
while [ $# -gt 0 ]; do
  if [ "$1" = "--dist" ]; then dist=$2; fi
  shift
done
node scripts/minify-glue.mjs "$dist"
