#!/usr/bin/env bash
# tsan.sh TROUVE: the command line built with ThreadSanitizer (make
# test-tsan) indexes with several threads, whole and interrupted by
# SIGINT while the threads read, analyse and commit: any report fails
# (halt_on_error, exit 66).  Not part of `make test`.
set -euo pipefail
trouve=$1
seeds=$(cd "$(dirname "$0")/../../seeds" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TSAN_OPTIONS='halt_on_error=1 second_deadlock_stack=1'

# 240 posts in 8 folders, each made distinct by a line of its own
for d in $(seq 8); do
    mkdir -p "$tmp/posts/$d"
    for f in "$seeds"/*; do
        for k in $(seq 5); do
            { cat "$f"; printf '\nCopy %s of folder %s.\n' "$k" "$d"; } \
                > "$tmp/posts/$d/$k-$(basename "$f")"
        done
    done
done

"$trouve" index -q -j 3 --index "$tmp/whole" "$tmp/posts"
"$trouve" search -q --index "$tmp/whole" -- jardin

# small batches, so that the signal finds commits, reads and help going on
codes=
for delay in 0.05 0.2 0.5; do
    rm -rf "$tmp/cut"
    st=0
    TROUVE_BATCH_POSTS=4 "$trouve" index -q -j 3 --index "$tmp/cut" \
        "$tmp/posts" 2> "$tmp/err" &
    pid=$!
    sleep "$delay"
    kill -INT "$pid" 2> /dev/null || true
    wait "$pid" || st=$?
    if [ "$st" != 0 ] && [ "$st" != 130 ]; then
        cat "$tmp/err" >&2
        echo "tsan.sh: SIGINT after ${delay} s: exit $st" >&2
        exit 1
    fi
    codes+="${codes:+ }$st"
done
echo "tsan.sh: no report (a whole run; interrupted runs exited $codes)"
