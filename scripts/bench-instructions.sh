#!/usr/bin/env bash
# Instructions per input byte: a measure of the work gwr does that does not
# move with the host (MB/s does: the same build runs at half the rate on a
# 2.1 GHz Xeon VM as on an EPYC one, and ±30% with the host's load).
#
# Usage: scripts/bench-instructions.sh [FILES] (default 120)
#
# Counts instructions with valgrind's callgrind over the first FILES files
# of the 100 MB generated corpus (scripts/make-corpus.py), for
#   gwr --jobs 1 facts --format jsonl, gwr --jobs 1 parse --format jsonl,
#   gwr ingest --jobs 1 (into a new store),
# and again over one file, which is the process's start-up (tables and
# automata built once); the difference, divided by the bytes of the other
# files, is the work per byte. Needs valgrind (Debian: apt install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-120}"
tmp="${TMPDIR:-/tmp}"
corpus="$tmp/gwr-bench-corpus-100"
[ -d "$corpus" ] || python3 scripts/make-corpus.py "$corpus" 100
command -v valgrind > /dev/null || { echo "valgrind is not installed" >&2; exit 2; }
cargo build --release --quiet -p gwr-cli
gwr="$(pwd)/${CARGO_TARGET_DIR:-target}/release/gwr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/many" "$work/one"
files=("$corpus"/*)
for f in "${files[@]:0:$n}"; do ln -s "$f" "$work/many/"; done
ln -s "${files[0]}" "$work/one/"
bytes=$(cat "$work/many"/* | wc -c)
one=$(cat "$work/one"/* | wc -c)

# count DIR CMD...: instructions of `gwr CMD... DIR`.
count() {
  local dir="$1"; shift
  rm -rf "$work/store"
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$gwr" --jobs 1 "$@" "$dir" \
    > /dev/null 2> "$work/log"
  awk '/refs:/ { gsub(",", "", $NF); print $NF }' "$work/log"
}

printf 'files: %d, %d bytes (start-up: one file, %d bytes)\n' "$n" "$bytes" "$one"
for cmd in "facts --format jsonl" "parse --format jsonl" "ingest --quiet --db $work/store"; do
  # shellcheck disable=SC2086
  many=$(count "$work/many" $cmd)
  # shellcheck disable=SC2086
  start=$(count "$work/one" $cmd)
  printf '%-8s %15d instructions, start-up %13d, %6.1f per byte after start-up\n' \
    "${cmd%% *}" "$many" "$start" "$(echo "($many - $start) / ($bytes - $one)" | bc -l)"
done
