# Shared by incremental.bats, reliability.bats, formats.bats and
# hostile.bats (after helper.bash).

# Queries whose answers stand for what an index holds.
SNAPSHOT_QUERIES=(
    "mentorship" "mentorat inversé" "jardin" "winter cycling" "politique"
    "crème" "board OR comité" "comm*" '"reverse mentorship"' "lang:fr le"
    "the" "budget -funds"
)

# What index $1 answers to the snapshot queries, and its statistics, with
# what legitimately differs between two builds of the same posts left out:
# times, ranks among equal scores (hits are sorted), disk size, the index's
# own path.
index_snapshot() {
    local ix=$1 q
    for q in "${SNAPSHOT_QUERIES[@]}"; do
        echo "## $q"
        # shellcheck disable=SC2086 # the query is words
        "$TROUVE" search --index "$ix" --json -n 1000 -- $q |
            jq -c 'del(.elapsed_ms, .rank)' | sort
    done
    "$TROUVE" stats --index "$ix" --json | jq -c 'del(.bytes, .index)'
}

# Index $1 answers as a fresh build of $posts into $BATS_TEST_TMPDIR/fresh
# (with the index options after $2) does; otherwise prints $2 (what was
# done) and the first differences.
same_as_fresh() {
    local got want
    rm -rf "$BATS_TEST_TMPDIR/fresh"
    "$TROUVE" index -q "${@:3}" --index "$BATS_TEST_TMPDIR/fresh" "$posts"
    want=$(index_snapshot "$BATS_TEST_TMPDIR/fresh")
    got=$(index_snapshot "$1")
    if [ "$got" != "$want" ]; then
        echo "$2: the index differs from a fresh build"
        diff <(echo "$got") <(echo "$want") | head -n 20
        return 1
    fi
}

# Every line of file $1 is a complete JSON object.
all_json_file() {
    jq -e -c 'type == "object"' < "$1" > /dev/null
}

# strace with LeakSanitizer off in the traced program: under ASan, LSan
# ptraces the process at its exit, which a process already traced cannot
# allow (and the run would fail for that alone).
strace_trouve() {
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}

# True when trouve runs under a sanitizer or valgrind (tests/valgrind.sh
# sets TROUVE_MEMCHECK): memory figures mean nothing then.
under_sanitizer() {
    [ -n "${TROUVE_MEMCHECK:-}" ] || [ -n "${ASAN_OPTIONS:-}" ] || nm -D "$TROUVE" 2>/dev/null | grep -q __asan_init ||
        nm "$TROUVE" 2>/dev/null | grep -q __asan_init
}
