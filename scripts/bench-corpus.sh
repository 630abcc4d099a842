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
start=$(date +%s.%N)
/usr/bin/time -v "$gwr" facts "$dir" --format jsonl > /dev/null 2> "$log"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
printf 'corpus: %.1f MB in %s files\n' "$(echo "$bytes / 1048576" | bc -l)" "$(ls "$dir" | wc -l)"
printf 'parse+facts: %.2f s, %.1f MB/s (one core), peak memory %.1f MB\n' \
  "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
rm -f "$log"
