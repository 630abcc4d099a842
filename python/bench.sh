#!/usr/bin/env bash
# Facts through Python vs the CLI, and Spark local[2] vs `gwr --jobs 2`.
# Usage: python/bench.sh [DIR|MEGABYTES] (default: ../shared/corpus)
# A number makes a corpus of that size with scripts/make-corpus.py.
# Needs the venv of python/ci.sh (or VENV=...) and a release build of gwr.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
arg="${1:-../shared/corpus}"
if [[ "$arg" =~ ^[0-9]+$ ]]; then
  dir="${TMPDIR:-/tmp}/gwr-bench-corpus-$arg"
  [ -d "$dir" ] || python3 scripts/make-corpus.py "$dir" "$arg"
else
  dir="$arg"
fi
py="${VENV:-$root/.venv}/bin/python"
gwr="${CARGO_TARGET_DIR:-target}/release/gwr"
[ -x "$gwr" ] || cargo build --release --quiet -p gwr-cli
runs="${RUNS:-3}"
files=$(find "$dir" -type f ! -name '.*' | wc -l)
bytes=$(find "$dir" -type f ! -name '.*' -printf '%s\n' | awk '{ s += $1 } END { print s }')
printf 'corpus %s: %s files, %.1f MB\n' "$dir" "$files" "$(echo "$bytes / 1048576" | bc -l)"

best() { # label command...: the best wall time of $runs runs
  local label=$1; shift
  local b=""
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  printf '%-44s %7.2f s  %6.1f MB/s\n' "$label" "$b" "$(echo "$bytes / 1048576 / $b" | bc -l)"
}

for jobs in 1 2; do
  best "CLI: gwr --jobs $jobs facts --format jsonl" "$gwr" --jobs "$jobs" facts "$dir" --format jsonl
  best "Python: gwr.facts(dir, jobs=$jobs)" "$py" -c "import gwr, sys; gwr.facts(sys.argv[1], jobs=$jobs, progress=False, errors='ignore')" "$dir"
done
# In process: the call alone, without starting the interpreter and importing pyarrow.
"$py" - "$dir" "$runs" "$bytes" <<'PY'
import sys, time
import gwr
d, runs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for jobs in (1, 2):
    best = min(
        (lambda s: (gwr.facts(d, jobs=jobs, progress=False, errors="ignore"), time.perf_counter() - s)[1])(time.perf_counter())
        for _ in range(runs)
    )
    label = f"Python, in process: gwr.facts(dir, jobs={jobs})"
    print(f"{label:<44} {best:7.2f} s  {size / 1048576 / best:6.1f} MB/s")
PY
out=$(mktemp -d)
best "Spark local[2] (examples/spark_facts.py)" env PYSPARK_PYTHON="$py" "$py" python/examples/spark_facts.py "$dir" "$out/facts.parquet" --master 'local[2]'
"$py" python/examples/spark_facts.py "$dir" "$out/facts.parquet" --master 'local[2]' 2>/dev/null | tail -1
rm -rf "$out"
