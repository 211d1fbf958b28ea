#!/usr/bin/env bash
# Runs libFuzzer targets, each for SECONDS, one after the other.
#
#   tests/fuzz/run.sh BIN_DIR WORK_DIR SECONDS TARGET...
#
# Each target starts from its seed corpus tests/fuzz/corpus/<target>/ and
# from tests/fuzz/corpus/regress/ (inputs that once crashed one of the
# targets, kept for all of them), both read only, and writes what it finds
# to WORK_DIR/corpus/<target>/; a crash, leak or timeout leaves its input
# in WORK_DIR/artifacts/ and fails the run.  Prints one line per target
# with the executions done, and a total.
set -u
bin=$1 work=$2 secs=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/artifacts"
failed=0 total=0
for t in "$@"; do
    mkdir -p "$work/corpus/$t" "$here/corpus/$t"
    dict=()
    [ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
    log=$work/$t.log
    if "$bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
        -max_len=65536 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$work/artifacts/$t-" \
        "$work/corpus/$t" "$here/corpus/$t" "$here/corpus/regress" \
        > "$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        total=$((total + ${runs:-0}))
        printf '  ok     fuzz_%-8s %10d runs in %s s\n' "$t" "${runs:-0}" "$secs"
    else
        printf '  FAIL   fuzz_%s (see %s)\n' "$t" "$log"
        grep -E 'ERROR|check failed|SUMMARY|Test unit written' "$log" | head -n 8
        failed=$((failed + 1))
    fi
done
printf '%d fuzz targets, %d runs, %d failed\n' "$#" "$total" "$failed"
[ "$failed" -eq 0 ]
