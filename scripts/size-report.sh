#!/usr/bin/env bash
# Size report of what a browser downloads for the page: every file in dist/ (raw,
# gzip -9, brotli -q 11), and the total. With --budget KB it fails when the brotli
# total is over KB kilobytes (1 KB = 1000 bytes). Build first: scripts/build-page.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${DIST:-dist}
budget=""
[ "${1:-}" = "--budget" ] && budget=$2
[ -f "$dist/index.html" ] || { echo "no $dist/index.html: run scripts/build-page.sh first" >&2; exit 1; }
printf '%-40s %10s %10s %10s\n' file raw gzip brotli
tr=0; tg=0; tb=0
for f in "$dist"/*; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  tr=$((tr + raw)); tg=$((tg + gz)); tb=$((tb + br))
  printf '%-40s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-40s %10d %10d %10d\n' TOTAL "$tr" "$tg" "$tb"
printf 'total brotli: %.1f KB\n' "$(echo "$tb / 1000" | bc -l)"
if [ -n "$budget" ] && [ "$tb" -gt $((budget * 1000)) ]; then
  echo "over budget: $tb bytes brotli > $budget KB" >&2
  exit 1
fi
