#!/usr/bin/env bash
# Whole-corpus benchmark, gwr beside the tools people use today, in one run.
#
# Usage: scripts/bench-corpus.sh [MEGABYTES] (default 100)
#
# Over a corpus generated from the bundled samples (scripts/make-corpus.py):
#   - gwr facts --format jsonl (parse + facts, JSONL written): CPU time with
#     one job (MB/s per core), wall time with one job and with every core
#     (the speed-up), peak memory; gwr parse --format jsonl likewise;
#   - a scan of the same bytes for figures by ripgrep (rg), cat and wc -m,
#     when installed;
#   - the Python peers (scripts/bench-peers.py: jieba segmentation, JioNLP
#     money extraction, cn2an numeral conversion) on the first PEER_MB
#     megabytes (default 20; their rate is flat in corpus size), from the
#     venv at GWR_PEERS_VENV (default $TMPDIR/gwr-peers), which the script
#     creates with pip when it is missing. GWR_BENCH_PEERS=0 skips them.
# and prints each rate and its ratio to gwr facts per core.
# MB = 10^6 bytes; rates are bytes of input per second.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-100}"
tmp="${TMPDIR:-/tmp}"
dir="$tmp/gwr-bench-corpus-$mb"
[ -d "$dir" ] || python3 scripts/make-corpus.py "$dir" "$mb"
cargo build --release --quiet -p gwr-cli
gwr="${CARGO_TARGET_DIR:-target}/release/gwr"
bytes=$(cat "$dir"/* | wc -c)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rate() { echo "$bytes / 1000000 / $1" | bc -l; }

# measure LABEL CMD...: sets cpu, wall, rss (MB) of one run.
measure() {
  local label="$1"; shift
  /usr/bin/time -f '%U %S %e %M' -o "$log" "$@" > /dev/null
  read -r user sys wall rss < "$log"
  cpu=$(echo "$user + $sys" | bc -l)
  rss=$(echo "$rss / 1024" | bc -l)
  printf '%-34s cpu %6.2f s  wall %6.2f s  %6.1f MB/s per core  %6.1f MB/s wall  peak %4.0f MB\n' \
    "$label" "$cpu" "$wall" "$(rate "$cpu")" "$(rate "$wall")" "$rss"
}

printf 'corpus: %s, %.1f MB in %s files; %s cores: %s\n' "$dir" "$(echo "$bytes/1000000" | bc -l)" \
  "$(ls "$dir" | wc -l)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Warm the page cache so every tool reads from memory.
cat "$dir"/* > /dev/null

measure "gwr facts --jobs 1" "$gwr" --jobs 1 facts "$dir" --format jsonl
facts_cpu=$cpu facts_wall1=$wall
measure "gwr facts --jobs $(nproc)" "$gwr" --jobs "$(nproc)" facts "$dir" --format jsonl
facts_walln=$wall
measure "gwr parse --jobs 1" "$gwr" --jobs 1 parse "$dir" --format jsonl
gwr_rate=$(rate "$facts_cpu")
printf 'gwr facts: %.1f MB/s per core; %d jobs %.2fx one job (wall)\n' "$gwr_rate" "$(nproc)" \
  "$(echo "$facts_wall1 / $facts_walln" | bc -l)"

ratio() { # name MB cpu: the peer's rate and gwr's ratio to it
  local r; r=$(echo "$2 / $3" | bc -l)
  printf '%-26s %9.2f MB/s per core   gwr facts / it: %8.3f   it / gwr facts: %7.2f\n' \
    "$1" "$r" "$(echo "$gwr_rate / $r" | bc -l)" "$(echo "$r / $gwr_rate" | bc -l)"
}
if command -v rg > /dev/null; then
  measure "rg figures (one thread)" rg -j1 -c '[0-9]+(\.[0-9]+)?(%|亿元|万元|万人|个)' "$dir"
  ratio "rg figures (one thread)" "$(echo "$bytes/1000000" | bc -l)" "$cpu"
else
  echo "rg: not installed, no ripgrep scan (apt-get install ripgrep, or cargo install ripgrep)"
fi
measure "cat" sh -c "cat \"$dir\"/*"
ratio "cat" "$(echo "$bytes/1000000" | bc -l)" "$cpu"
measure "wc -m" sh -c "cat \"$dir\"/* | LC_ALL=C.UTF-8 wc -m"
ratio "wc -m" "$(echo "$bytes/1000000" | bc -l)" "$cpu"

if [ "${GWR_BENCH_PEERS:-1}" != 0 ]; then
  venv="${GWR_PEERS_VENV:-$tmp/gwr-peers}"
  if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv (pip install jieba jionlp cn2an)"
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet jieba jionlp cn2an \
      || echo "peers not installed; skipping them"
  fi
  if [ -x "$venv/bin/python" ]; then
    "$venv/bin/python" scripts/bench-peers.py "$dir" "${PEER_MB:-20}" 2> /dev/null |
      grep -E $'^[a-z0-9]+\t[0-9.]+\t[0-9.]+$' |
      while IFS=$'\t' read -r name pmb pcpu; do ratio "$name" "$pmb" "$pcpu"; done
  fi
fi
