#!/usr/bin/env bash
# The crates that Portico's offline builds need, fetched and checked in one place.
#
# Trunk runs cargo with --offline (Trunk.toml), so every crate its builds compile must
# already be in the cargo registry cache. Three builds run that way:
#   workspace     the page itself (Cargo.lock)
#   std           the page's release build rebuilds std for size (scripts/build-page.sh,
#                 -Zbuild-std): std's own dependencies come from the registry too, from
#                 the lockfile in the rust-src component
#   leptos-floor  scripts/size-floor.sh's one-signal Leptos page
#
#   scripts/offline-deps.sh fetch   fetch what is missing (scripts/setup.sh runs this)
#   scripts/offline-deps.sh check   fail, naming the fetch, if anything is missing or if
#                                   this clone's setup never ran the fetch for the
#                                   current lockfiles (scripts/build-page.sh runs this)
#
# `fetch` records each lockfile's checksum in target/offline-deps.fetched; `check`
# requires that record, so a setup.sh that lost its fetch step fails here even on a
# machine whose registry happens to hold the crates from an earlier run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

stamp=target/offline-deps.fetched
std_manifest="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"

builds=(workspace std leptos-floor)
manifest() {
  case $1 in
    workspace) echo Cargo.toml ;;
    std) echo "$std_manifest" ;;
    leptos-floor) echo bench/leptos-floor/Cargo.toml ;;
  esac
}
# std's workspace uses unstable cargo features; RUSTC_BOOTSTRAP unlocks them for cargo.
cargo_for() { if [ "$1" = std ]; then RUSTC_BOOTSTRAP=1 cargo "${@:2}"; else cargo "${@:2}"; fi; }
fetch_command() {
  if [ "$1" = std ]; then
    echo "RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path \"\$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml\""
  else
    echo "cargo fetch --manifest-path $(manifest "$1")"
  fi
}
lock_sum() { sha256sum "$(dirname "$(manifest "$1")")/Cargo.lock" | cut -c1-64; }
# Resolving the whole graph offline reads every package's manifest from its downloaded
# .crate, so it fails exactly when the offline build would.
present() { cargo_for "$1" metadata --offline --locked --format-version 1 --manifest-path "$(manifest "$1")" >/dev/null 2>&1; }

case ${1:-} in
  fetch)
    if [ ! -f "$std_manifest" ]; then
      echo "the rust-src component is missing (rustup component add rust-src)" >&2
      exit 1
    fi
    mkdir -p target
    : >"$stamp.new"
    for b in "${builds[@]}"; do
      if present "$b"; then
        echo "$b: every crate already fetched"
      else
        echo "$b: fetching ($(fetch_command "$b"))"
        cargo_for "$b" fetch --locked --manifest-path "$(manifest "$b")"
      fi
      echo "$b $(lock_sum "$b")" >>"$stamp.new"
    done
    mv "$stamp.new" "$stamp"
    ;;
  check)
    status=0
    for b in "${builds[@]}"; do
      if ! grep -qx "$b $(lock_sum "$b")" "$stamp" 2>/dev/null; then
        echo "offline build '$b': scripts/setup.sh did not fetch its crates for the current Cargo.lock." >&2
        echo "  the fetch step is: $(fetch_command "$b")  (scripts/offline-deps.sh fetch)" >&2
        status=1
      elif ! present "$b"; then
        echo "offline build '$b': crates missing from the cargo registry in ${CARGO_HOME:-$HOME/.cargo}." >&2
        echo "  run: $(fetch_command "$b")  (scripts/offline-deps.sh fetch)" >&2
        status=1
      fi
    done
    exit $status
    ;;
  *)
    echo "usage: scripts/offline-deps.sh fetch|check" >&2
    exit 2
    ;;
esac
