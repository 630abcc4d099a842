#!/usr/bin/env bash
# Store benchmark: ingest a generated corpus, then time searches.
# Reports ingest MB/s and documents/s, store size, peak memory, and search
# latency p50/p99: of a whole `gwr search` command (process start, store
# open, search, output) and of a search in a process that keeps the store
# open (crates/gwr-store/examples/search-bench.rs).
# Usage: scripts/bench-store.sh [MEGABYTES] (default 1024); with
# KEEP_STORE=1 an existing store is searched without ingesting again.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-1024}"
dir="${TMPDIR:-/tmp}/gwr-bench-corpus-$mb"
db="${TMPDIR:-/tmp}/gwr-bench-store-$mb"
[ -d "$dir" ] || python3 scripts/make-corpus.py "$dir" "$mb"
cargo build --release --quiet -p gwr-cli
cargo build --release --quiet -p gwr-store --example search-bench
gwr="${CARGO_TARGET_DIR:-target}/release/gwr"
bench="${CARGO_TARGET_DIR:-target}/release/examples/search-bench"
if [ "${KEEP_STORE:-}" = 1 ] && [ -f "$db/gwr.sqlite" ]; then
  echo "ingest: skipped (KEEP_STORE=1, $db kept)"
else
rm -rf "$db"
bytes=$(du -sb "$dir" | cut -f1)
log=$(mktemp)
start=$(date +%s.%N)
/usr/bin/time -v "$gwr" ingest "$dir" --db "$db" --quiet 2> "$log"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
docs=$("$gwr" sql "SELECT COUNT(*) AS n FROM documents" --db "$db" --format csv | tail -1)
size=$(du -sb "$db" | cut -f1)
printf 'ingest: %.1f MB in %.1f s = %.1f MB/s, %.0f documents/s, peak memory %.0f MB, store %.0f MB = %.2f x its input\n' \
  "$(echo "$bytes/1000000" | bc -l)" "$secs" "$(echo "$bytes/1000000/$secs" | bc -l)" \
  "$(echo "$docs/$secs" | bc -l)" "$(echo "$rss/1024" | bc -l)" "$(echo "$size/1000000" | bc -l)" \
  "$(echo "$size/$bytes" | bc -l)"
# CPU time: what the ingest costs in all, and how much of the cores' time
# in the run it kept busy.
user=$(awk -F': ' '/User time/ { print $2 }' "$log")
sys=$(awk -F': ' '/System time/ { print $2 }' "$log")
cores=$(nproc)
printf 'ingest cpu: user %.1f s + system %.1f s = %.1f MB per cpu-second, %.0f%% of %d cores busy\n' \
  "$user" "$sys" "$(echo "$bytes/1000000/($user+$sys)" | bc -l)" \
  "$(echo "100*($user+$sys)/($secs*$cores)" | bc -l)" "$cores"
rm -f "$log"
fi
# What the store's pages hold (SQLite's dbstat), biggest first, and the
# free pages kept for later writes.
"$gwr" sql "SELECT CASE
    WHEN name LIKE 'passages_words%' OR name = 'passage_lengths' THEN 'word index'
    WHEN name LIKE 'substr%' THEN 'substring index'
    WHEN name LIKE 'fact%' OR name LIKE 'labels%' THEN 'facts'
    WHEN name LIKE 'target%' THEN 'targets'
    WHEN name LIKE 'documents%' THEN 'documents (packed text)'
    WHEN name LIKE 'passage_spans%' THEN 'passage spans'
    ELSE 'other' END AS part, sum(pgsize) AS bytes
  FROM dbstat GROUP BY part ORDER BY bytes DESC" --db "$db" --format csv |
  awk -F, 'NR > 1 { printf "%s%s %.0f MB", (NR > 2 ? ", " : "store: "), $1, $2 / 1e6 } END { print "" }'
free=$("$gwr" sql "SELECT freelist_count * page_size AS free FROM pragma_freelist_count, pragma_page_size" \
  --db "$db" --format csv | tail -1)
printf 'free pages: %.0f MB\n' "$(echo "$free/1000000" | bc -l)"
# One untimed round first, so that every timed one finds the store in the
# page cache.
times=()
for round in 0 1 2 3 4 5; do
  for q in 数字经济 最多跑一次 民生实事 地区生产总值 营商环境 "城乡 居民" 乡村振兴 科技创新 共同富裕 安置房; do
    s=$(date +%s%N)
    "$gwr" search "$q" --db "$db" --limit 20 > /dev/null 2>&1
    e=$(date +%s%N)
    [ "$round" = 0 ] || times+=($(( (e - s) / 100000 )))
  done
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
tenths() { printf '%d.%d' $(($1 / 10)) $(($1 % 10)); }
printf 'search (%d queries, whole command): p50 %s ms, p99 %s ms\n' "$n" \
  "$(tenths "${sorted[$((n / 2))]}")" "$(tenths "${sorted[$(( (n * 99) / 100 ))]}")"
"$bench" "$db" 50
