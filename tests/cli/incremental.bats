#!/usr/bin/env bats
# Incremental indexing: a re-run reads only what changed, and after any
# sequence of changes the index answers exactly as a fresh build does.

load helper
load reliability_helper

setup() {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    posts=$BATS_TEST_TMPDIR/posts
    mkdir -p "$posts"
    cp "$SEEDS"/* "$posts"/
    chmod u+w "$posts"/*
}

# Posts written just now are "racy" (their time may not tell a rewrite in
# the same second): the tests that count reads make them older first.
age() {
    touch -d '1 hour ago' "$@"
}

@test "unchanged files are not read again (size and time)" {
    age "$posts"/*
    "$TROUVE" index -q "$posts"
    run strace_trouve -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
        "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .unchanged <<<"$output")" -eq 6 ]
    ! grep -q 'posts/[^"]*\.\(txt\|md\)"' "$BATS_TEST_TMPDIR/trace"
}

@test "a touched file: its crc32 decides, then its new time is kept" {
    age "$posts"/*
    "$TROUVE" index -q "$posts"
    touch -d '2001-02-03 04:05:06' "$posts/winter-cycling.txt"
    run strace_trouve -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
        "$TROUVE" index --json "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 6 ]
    [ "$(jq -r .updated <<<"$output")" -eq 0 ]
    grep -q 'winter-cycling.txt' "$BATS_TEST_TMPDIR/trace"   # read for crc
    run strace_trouve -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
        "$TROUVE" index --json "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 6 ]
    ! grep -q 'winter-cycling.txt' "$BATS_TEST_TMPDIR/trace" # not again
}

@test "an edit of the same size in the same second is seen" {
    f=$posts/winter-cycling.txt
    touch -d "@$(date +%s)" "$f"
    "$TROUVE" index -q "$posts"
    mtime=$(stat -c %Y "$f")
    sed -i 's/winter/WINTER/' "$f"       # same size
    touch -d "@$mtime" "$f"              # same second, as a coarse clock
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .updated <<<"$output")" -eq 1 ]
}

@test "a run that only deletes commits the deletions" {
    "$TROUVE" index -q "$posts"
    rm "$posts/winter-cycling.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -c '[.added, .updated, .removed]' <<<"$output")" = "[0,0,1]" ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 5 ]
    run "$TROUVE" search -- tyres
    [ "$status" -eq 1 ]
}

@test "a renamed file is found under its new name only" {
    "$TROUVE" index -q "$posts"
    mv "$posts/winter-cycling.txt" "$posts/velo-hiver.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .added <<<"$output")" -eq 1 ]
    [ "$(jq -r .removed <<<"$output")" -eq 1 ]
    run "$TROUVE" search --json -- tyres
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .path' | sort -u)" = "$posts/velo-hiver.txt" ]
}

@test "a file that became binary is forgotten, and counted removed" {
    "$TROUVE" index -q "$posts"
    printf 'now\0binary\n' > "$posts/winter-cycling.txt"
    run --separate-stderr "$TROUVE" index --json -v "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .skipped_by.binary <<<"$output")" -eq 1 ]
    [ "$(jq -c '[.removed, .skipped, .unchanged]' <<<"$output")" = "[1,1,5]" ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 5 ]
    [[ "$stderr" == *"skipped '$posts/winter-cycling.txt': binary"* ]]
    run "$TROUVE" search -- tyres
    [ "$status" -eq 1 ]
    # text again, and the summary line says so too
    echo "Tyres again." > "$posts/winter-cycling.txt"
    "$TROUVE" index -q "$posts"
    printf 'now\0binary\n' > "$posts/winter-cycling.txt"
    run "$TROUVE" index "$posts"
    [[ "$output" == "0 added, 0 updated, 1 removed, 5 unchanged, 1 skipped (1 binary), 0 unreadable ("* ]]
}

@test "the summary line counts every kind, with the reasons for skipping" {
    mkdir -p "$posts/.git"
    echo x > "$posts/.hidden.txt"
    printf 'a\0b' > "$posts/blob.txt"
    echo x > "$posts/image.png"
    echo '*.skip.txt' > "$posts/.trouveignore"
    echo x > "$posts/a.skip.txt"
    run --separate-stderr "$TROUVE" index "$posts"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "${lines[0]#*$'\n'}" ]
    [[ "$output" == "6 added, 0 updated, 0 removed, 0 unchanged, 5 skipped (2 hidden, 1 ignored, 1 not posts, 1 binary), 0 unreadable ("* ]]
    [ -z "$stderr" ]
    run --separate-stderr "$TROUVE" index --json "$posts"
    [ "$(jq -c .skipped_by <<<"$output")" = '{"hidden":2,"ignored":1,"format":1,"binary":1}' ]
}

@test "--quiet prints nothing; -v names what was left out" {
    echo x > "$posts/.hidden.txt"
    run --separate-stderr "$TROUVE" index -q "$posts"
    [ "$status" -eq 0 ]
    [ -z "$output" ] && [ -z "$stderr" ]
    touch "$posts"/*.txt
    run --separate-stderr "$TROUVE" index -v "$posts"
    [[ "$stderr" == "trouve: skipped '$posts/.hidden.txt': hidden" ]]
}

@test "the progress line shows on a terminal only, and is erased" {
    for i in $(seq 1 100); do cp "$posts/winter-cycling.txt" "$posts/copy-$i.txt"; done
    # not a terminal: nothing on stderr
    run --separate-stderr "$TROUVE" index "$posts"
    [ -z "$stderr" ]
    # a terminal (script gives one), and a run made slow (every openat
    # delayed 20 ms) so that it lasts past the first second
    out=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" script -qec "strace -f -qq -o /dev/null -e trace=openat \
        -e inject=openat:delay_exit=20000 '$TROUVE' index -j 1 --force \
        '$posts' > /dev/null" /dev/null < /dev/null)
    [[ "$out" =~ indexing\ [0-9]+/106\ files,\ [0-9.]+/[0-9.]+\ MB,\ [0-9.]+\ MB/s ]]
    [[ "$out" == *$'\r\e[K' ]]          # erased at the end
    [[ "$out" != *$'\e]'* ]]            # nothing but the line and its erasure
    # --quiet: no progress even on a terminal
    out=$(script -qec "'$TROUVE' index -q --force '$posts'" /dev/null < /dev/null)
    [ -z "$out" ]
}

@test "--force reads everything again; a second folder keeps the first" {
    mkdir -p "$BATS_TEST_TMPDIR/other"
    echo "Notes about sourdough bread." > "$BATS_TEST_TMPDIR/other/bread.txt"
    "$TROUVE" index -q "$posts"
    run "$TROUVE" index --json --force "$posts"
    [ "$(jq -r .updated <<<"$output")" -eq 6 ]
    "$TROUVE" index -q "$BATS_TEST_TMPDIR/other"
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 7 ]
    # re-indexing the first folder does not purge the second
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .removed <<<"$output")" -eq 0 ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 7 ]
}

# The differential test: random adds, same-size edits in the same second,
# renames, moves, deletes and touches, each followed by an incremental run;
# after each, the search results of fixed queries (and the statistics) are
# those of an index built from scratch.  Files are given second-resolution
# times, as on a coarse file system, so a same-second edit can hide from
# the time and only the crc32 (racy files) can see it.
@test "random changes: incremental runs always equal a fresh build" {
    steps=${TROUVE_DIFF_STEPS:-30}
    RANDOM=${TROUVE_SEED:-4242}
    pool=$BATS_TEST_TMPDIR/pool
    cat "$SEEDS"/*.txt "$SEEDS"/*.md | grep -av '^---$' | grep -a . > "$pool"
    npool=$(wc -l < "$pool")
    coarse() { touch -d "@$(date +%s)" "$1"; }
    make_post() {   # FILE: a few random lines of the pool
        local n=$((RANDOM % 6 + 1)) out=
        for _ in $(seq "$n"); do
            out+=$(sed -n "$((RANDOM % npool + 1))p" "$pool")$'\n\n'
        done
        printf '%s' "$out" > "$1"
        coarse "$1"
    }
    mkdir -p "$posts/sub"
    for i in 1 2 3 4; do make_post "$posts/p$i.txt"; done
    "$TROUVE" index -q "$posts"
    for step in $(seq "$steps"); do
        mapfile -t files < <(find "$posts" -type f -name '*.*' | sort)
        f=${files[RANDOM % ${#files[@]}]}
        case $((RANDOM % 7)) in
        0) make_post "$posts/new-$step.$([ $((RANDOM % 2)) = 0 ] && echo txt || echo md)"; op="add" ;;
        1|2) # same size, same second
            size=$(stat -c %s "$f")
            python3 - "$f" "$RANDOM" <<'EOF'
import sys
p, r = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read())
at = [i for i, c in enumerate(b) if 97 <= c <= 122]
if at:
    i = at[r % len(at)]
    b[i] = 97 + (b[i] - 97 + 1 + r % 25) % 26
open(p, 'wb').write(b)
EOF
            coarse "$f"
            [ "$(stat -c %s "$f")" -eq "$size" ]
            op="edit $f" ;;
        3) mv "$f" "$posts/sub/moved-$step.${f##*.}"; op="rename $f" ;;
        4) [ "${#files[@]}" -gt 2 ] && rm "$f"; op="delete $f" ;;
        5) coarse "$f"; op="touch $f" ;;
        6) cp -p "$f" "$posts/copy-$step.${f##*.}"; op="copy $f" ;;
        esac
        "$TROUVE" index -q "$posts"
        same_as_fresh "$TROUVE_INDEX" "step $step ($op)"
    done
}
