#!/usr/bin/env bats
# The examples of the README, run: Python through ctypes, a jq pipeline;
# the README shows them verbatim; the header documents every function.

load helper

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
LIB=$(dirname "$TROUVE")/libtrouve.so

setup_file() {
    index_seeds
}

# Runs python3 on the library under test.  A library built with the
# sanitizers (make test-asan) needs their runtime loaded first, and
# Python's own allocations at exit are not ours to report.
python_lib() {
    if nm -D "$LIB" | grep -q __asan_init; then
        LD_PRELOAD=$(cc -print-file-name=libasan.so) \
            ASAN_OPTIONS=detect_leaks=0 python3 "$@"
    else
        python3 "$@"
    fi
}

@test "Python (ctypes): search.py prints hits with highlights" {
    run --separate-stderr python_lib "$ROOT/tests/python/search.py" --lib "$LIB" \
        --lang fr -n 3 "$TROUVE_INDEX" mentorat inversé
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "${#lines[@]}" -eq 6 ]
    [[ "${lines[0]}" =~ ^$SEEDS/reverse-mentorship\.txt:[0-9]+\ fr\ [0-9.]+$ ]]
    [[ "${lines[1]}" == *"[mentorat] [inversé]"* ]]
    # the same hits as the command line, in the same order
    [ "$(printf '%s\n' "${lines[@]}" | awk 'NR % 2 == 1 {print $1}')" = \
      "$("$TROUVE" search --json --lang fr -n 3 -- mentorat inversé | jq -r 'select(.type == "hit") | "\(.path):\(.line)"')" ]
}

@test "Python (ctypes): no hit exits 1, no index exits 2 with the library's message" {
    run python_lib "$ROOT/tests/python/search.py" --lib "$LIB" "$TROUVE_INDEX" xylophonique
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    run --separate-stderr python_lib "$ROOT/tests/python/search.py" --lib "$LIB" "$BATS_TEST_TMPDIR/none" board
    [ "$status" -eq 2 ]
    [ "$stderr" = "search.py: no index at '$BATS_TEST_TMPDIR/none'" ]
}

@test "jq: matching_posts.sh sums up the hits by post" {
    PATH=$(dirname "$TROUVE"):$PATH run "$ROOT/tests/cli/matching_posts.sh" board
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq "$("$TROUVE" search -lc -- board)" ]
    # passages per post add up to the passages found
    [ "$(printf '%s\n' "$output" | awk -F'\t' '{n += $1} END {print n}')" -eq "$("$TROUVE" search -c -- board)" ]
    # best first
    [ "$(printf '%s\n' "$output" | cut -f2)" = "$(printf '%s\n' "$output" | cut -f2 | sort -rn)" ]
    [[ "$output" == *"$SEEDS/reverse-mentorship.txt"* ]]
}

# README.md shows the examples verbatim: a line <!-- example: FILE -->,
# then a fenced block that must equal FILE.
@test "README shows the examples exactly as the tests run them" {
    readme=$ROOT/README.md
    files=$(sed -n 's/^<!-- example: \(.*\) -->$/\1/p' "$readme")
    for f in tests/c/example/search_folder.c tests/python/search.py tests/cli/matching_posts.sh; do
        [[ "$files" == *"$f"* ]] || { echo "README does not show $f"; false; }
    done
    for f in $files; do
        awk -v f="$f" '
            $0 == "<!-- example: " f " -->" {want = 1; next}
            want && /^```/ {if (inside) exit; inside = 1; next}
            inside {print}' "$readme" > "$BATS_TEST_TMPDIR/shown"
        diff "$ROOT/$f" "$BATS_TEST_TMPDIR/shown" || { echo "README differs from $f"; false; }
    done
}

# The output README.md shows under a "$ COMMAND" line is what the build
# prints on seeds/ (paths shown as /…/seeds/): the Python example whole,
# and the score, line and highlights of the --json example.
@test "README shows what its examples print on seeds/" {
    readme=$ROOT/README.md
    shown_after() { # the lines after "    $ $1", up to a blank line
        awk -v c="    \$ $1" '$0 == c {on = 1; next} on && /^$/ {exit} on {print substr($0, 5)}' "$readme"
    }
    py='python3 tests/python/search.py --lang fr -n 1 index mentorat inversé'
    want=$(shown_after "$py")
    [ -n "$want" ]
    run --separate-stderr python_lib "$ROOT/tests/python/search.py" --lib "$LIB" \
        --lang fr -n 1 "$TROUVE_INDEX" mentorat inversé
    [ "${output//$SEEDS//…/seeds}" = "$want" ]
    want=$(shown_after 'trouve search --json --lang fr -n 1 -- mentorat inversé' |
        grep -o '"score":[0-9.]*\|"line":[0-9]*\|"highlights":[][0-9,]*')
    [ -n "$want" ]
    got=$("$TROUVE" search --json --lang fr -n 1 -- mentorat inversé | head -n 1 |
        grep -o '"score":[0-9.]*\|"line":[0-9]*\|"highlights":[][0-9,]*')
    [ "$got" = "$want" ]
}

# Every prototype of trouve.h comes right after a comment, and the check
# sees every function the header names.
@test "trouve.h documents every function above its prototype" {
    run awk '
        /^[a-z].*[^a-z_]trouve_[a-z_]+\(/ && !/^typedef/ {
            n++
            if (prev !~ /\*\/$/) { print "undocumented: " $0; bad = 1 }
        }
        /^ *$/ {next}
        {prev = $0}
        END {print n; exit bad}' "$ROOT/src/trouve.h"
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    names=$(grep -oE '\<trouve_[a-z_]+\(' "$ROOT/src/trouve.h" | sort -u | wc -l)
    [ "$output" -ge 30 ]
    [ "$output" -eq "$names" ]
}
