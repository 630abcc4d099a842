#!/usr/bin/env bash
# Score gwr against the hand-checked answers in ../shared/gold and fail when a
# score falls below its floor in scripts/gold-floors.txt (floors only rise).
# Sets: seeds (local reports), national (State Council), web (web copies of
# every level, noise and all).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${GWR_SHARED:-../shared}"
if [ ! -d "$shared/gold" ]; then
  echo "score-gold: $shared/gold not found; skipping gold scores" >&2
  exit 0
fi
cargo build --quiet -p gwr-cli
gwr="${CARGO_TARGET_DIR:-target}/debug/gwr"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

floor() { awk -v k="$1" '$1 == k { print $2 }' scripts/gold-floors.txt; }
check() { # name score
  local f; f="$(floor "$1")"
  echo "$1: $2 (floor ${f:-none})"
  if [ -n "$f" ] && awk -v s="$2" -v f="$f" 'BEGIN { exit !(s + 1e-9 < f) }'; then
    echo "score-gold: $1 fell below its floor" >&2
    return 1
  fi
}

status=0
for set in seeds national web; do
  [ -f "$shared/gold/$set.facts.jsonl" ] || continue
  "$gwr" parse "$shared/corpus/$set"/*.txt --format jsonl > "$out/$set.docs.jsonl"
  python3 "$shared/tools/gwr-score" --gold-docs "$shared/gold/$set.docs.jsonl" \
    --system-docs "$out/$set.docs.jsonl" > "$out/$set.docs.score"
  grep '^doc ' "$out/$set.docs.score" || true
  s="$(awk '/^documents:/ { print $2 }' "$out/$set.docs.score")"
  check "$set.docs" "$s" || status=1
  "$gwr" facts "$shared/corpus/$set"/*.txt --format jsonl > "$out/$set.facts.jsonl"
  python3 "$shared/tools/gwr-score" --gold "$shared/gold/$set.facts.jsonl" \
    --system "$out/$set.facts.jsonl" --quiet > "$out/$set.facts.score"
  f1="$(awk '/^facts:/ { sub("F1=", "", $4); print $4 }' "$out/$set.facts.score")"
  grep '^facts:' "$out/$set.facts.score"
  check "$set.facts" "$f1" || status=1
  # Targets alone, against the gold's target lines.
  grep '"kind": "target"' "$shared/gold/$set.facts.jsonl" > "$out/$set.gold-targets.jsonl" || true
  "$gwr" targets "$shared/corpus/$set"/*.txt --format jsonl > "$out/$set.targets.jsonl"
  python3 "$shared/tools/gwr-score" --gold "$out/$set.gold-targets.jsonl" \
    --system "$out/$set.targets.jsonl" --quiet > "$out/$set.targets.score"
  t1="$(awk '/^facts:/ { sub("F1=", "", $4); print $4 }' "$out/$set.targets.score")"
  check "$set.targets" "$t1" || status=1
done
# Metric phrases of figures without a canonical id, against our own
# annotation of figures from the three sets (tests/gold/metric-phrases.jsonl).
python3 scripts/score-phrases.py tests/gold/metric-phrases.jsonl "$out" > "$out/phrases.score"
grep -E '^(dev|check):' "$out/phrases.score"
p="$(awk '/^phrases:/ { print $2 }' "$out/phrases.score")"
check phrases "$p" || status=1
exit $status
