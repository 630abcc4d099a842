#!/usr/bin/env bash
# Whole-corpus benchmark: parse + facts over a generated corpus, reporting
# MB/s and peak memory. Usage: scripts/bench-corpus.sh [MEGABYTES] (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-100}"
dir="${TMPDIR:-/tmp}/gwr-bench-corpus-$mb"
[ -d "$dir" ] || python3 scripts/make-corpus.py "$dir" "$mb"
cargo build --release --quiet -p gwr-cli
gwr="${CARGO_TARGET_DIR:-target}/release/gwr"
bytes=$(du -sb "$dir" | cut -f1)
log=$(mktemp)
run() { # jobs label
  local start end secs rss
  start=$(date +%s.%N)
  /usr/bin/time -v "$gwr" --jobs "$1" facts "$dir" --format jsonl > /dev/null 2> "$log"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  printf 'parse+facts, %s: %.2f s, %.1f MB/s, peak memory %.1f MB\n' \
    "$2" "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}
printf 'corpus: %.1f MB in %s files\n' "$(echo "$bytes / 1048576" | bc -l)" "$(ls "$dir" | wc -l)"
run 1 "one core"
run "$(nproc)" "$(nproc) cores"
rm -f "$log"
