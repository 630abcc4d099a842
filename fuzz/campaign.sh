#!/usr/bin/env bash
# Run the fuzz targets one after another and count their executions.
#   fuzz/campaign.sh 20                      # every target for 20 s (CI's smoke run)
#   fuzz/campaign.sh parse=600 numbers=240   # chosen targets and times
# Each target starts from its seeds (fuzz/seeds/T, inputs written for the
# tests) and grows a corpus in fuzz/corpus/T (not committed). A crash, a
# unit slower than 10 s or one above 2 GB of memory fails the run; the input
# is left in fuzz/artifacts/T. Uses the stable toolchain (RUSTC_BOOTSTRAP
# lets cargo-fuzz pass its flags) without a sanitizer: gwr is safe Rust, so
# the fuzzer looks for panics, hangs and memory blow-ups.
set -euo pipefail
cd "$(dirname "$0")"
targets=(parse normalize numbers query sql stored)
declare -A secs
if [ $# -eq 0 ]; then set -- 20; fi
for a in "$@"; do
  case "$a" in
    *=*) secs[${a%%=*}]=${a#*=} ;;
    *) for t in "${targets[@]}"; do secs[$t]=$a; done ;;
  esac
done
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
total=0
status=0
printf '%-10s %12s %8s %s\n' target executions seconds result
for t in "${targets[@]}"; do
  s="${secs[$t]:-}"
  [ -n "$s" ] || continue
  mkdir -p "corpus/$t" "artifacts/$t"
  log="$(mktemp)"
  if cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$s" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see fuzz/artifacts/$t)"
    status=1
    grep -E 'panicked|ERROR|Test unit written' "$log" | head -5 >&2 || true
  fi
  n="$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)"
  n="${n:-0}"
  total=$((total + n))
  printf '%-10s %12s %8s %s\n' "$t" "$n" "$s" "$result"
  rm -f "$log"
done
printf '%-10s %12s\n' total "$total"
exit "$status"
