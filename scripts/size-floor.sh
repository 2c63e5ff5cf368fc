#!/usr/bin/env bash
# What Leptos 0.8 + wasm-bindgen cost on their own: builds bench/leptos-floor (a
# one-signal counter) exactly like the page (scripts/build-page.sh) and prints the same
# size report. The difference to scripts/size-report.sh is what Portico's own code costs.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=target/leptos-floor-dist
scripts/build-page.sh bench/leptos-floor/index.html --dist "$dist" >/dev/null
DIST=$dist scripts/size-report.sh
