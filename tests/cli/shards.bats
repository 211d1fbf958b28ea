#!/usr/bin/env bats
# Shards: parallel writers (-j N), incremental runs across shards, and
# `trouve compact` (merging the shards into one, crash-safely), and the
# compaction of the shards a run changed.
#
# Search results are compared as corpus.bash's `results` prints them.

load helper
load corpus

setup() {
    posts=$BATS_TEST_TMPDIR/posts
    make_posts "$posts"
}

stub_lines() {
    grep -c '^auto ' "$1/XAPIANDB"
}

@test "-j 4 writes four shards named in the stub, and stats counts them" {
    run "$TROUVE" index -q -j 4 --index "$BATS_TEST_TMPDIR/ix" "$posts"
    [ "$status" -eq 0 ]
    [ "$(stub_lines "$BATS_TEST_TMPDIR/ix")" -eq 4 ]
    for i in 0 1 2 3; do
        grep -q "^auto shard-$i\(\.[0-9]*\)\?$" "$BATS_TEST_TMPDIR/ix/XAPIANDB"
    done
    run "$TROUVE" stats --json --index "$BATS_TEST_TMPDIR/ix"
    [ "$(jq -r .shards <<<"$output")" -eq 4 ]
    [ "$(jq -r .posts <<<"$output")" -eq 30 ]
}

@test "every shard holds some posts, each post exactly one shard" {
    "$TROUVE" index -q -j 4 --index "$BATS_TEST_TMPDIR/ix" "$posts"
    local total=0 n d
    for d in "$BATS_TEST_TMPDIR"/ix/shard-*; do
        n=$(xapian-delve "$d" | sed -n 's/^number of documents = //p')
        [ "$n" -gt 0 ]
        total=$((total + n))
    done
    [ "$total" -eq 30 ]
}

@test "-j 1 and -j 4 indexes of the same posts give the same results" {
    "$TROUVE" index -q -j 1 --index "$BATS_TEST_TMPDIR/one" "$posts"
    "$TROUVE" index -q -j 4 --index "$BATS_TEST_TMPDIR/four" "$posts"
    results "$BATS_TEST_TMPDIR/one" "$posts" > "$BATS_TEST_TMPDIR/one.txt"
    results "$BATS_TEST_TMPDIR/four" "$posts" > "$BATS_TEST_TMPDIR/four.txt"
    # the queries do find things
    [ "$(grep -vc '^#' "$BATS_TEST_TMPDIR/one.txt")" -gt 50 ]
    diff "$BATS_TEST_TMPDIR/one.txt" "$BATS_TEST_TMPDIR/four.txt"
}

@test "edits, deletions and renames across shards equal a fresh build" {
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 4 --index "$ix" "$posts"
    echo "Kites over the community garden." >> "$posts/a/1-creme-brulee-cp1252.txt"
    rm "$posts/b/8-jardin-communautaire.txt"
    mv "$posts/c/d/16-reverse-mentorship.txt" "$posts/e/renamed.txt"
    mv "$posts/a/2-jardin-communautaire.txt" "$posts/c/d/moved.txt"
    echo "Un nouveau billet sur le mentorat et les cerfs-volants." > "$posts/e/new.txt"
    run "$TROUVE" index --json -j 1 --index "$ix" "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 3 ]
    [ "$(jq -r .updated <<<"$output")" -eq 1 ]
    [ "$(jq -r .removed <<<"$output")" -eq 3 ]
    # -j on an existing index keeps its shards
    [ "$(stub_lines "$ix")" -eq 4 ]
    [ "$("$TROUVE" stats --json --index "$ix" | jq -r .posts)" -eq 30 ]
    "$TROUVE" index -q -j 2 --index "$BATS_TEST_TMPDIR/fresh" "$posts"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/inc.txt"
    results "$BATS_TEST_TMPDIR/fresh" "$posts" > "$BATS_TEST_TMPDIR/fresh.txt"
    diff "$BATS_TEST_TMPDIR/inc.txt" "$BATS_TEST_TMPDIR/fresh.txt"
    run "$TROUVE" search --index "$ix" --json -- kites
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort -u)" = "$posts/a/1-creme-brulee-cp1252.txt" ]
    run "$TROUVE" search --index "$ix" -- cerfs-volants
    [ "$status" -eq 0 ]
}

# The shard a post goes to with -j 2: FNV-1a's low bit, 1 xor the parity
# of the number of odd bytes in the post's path.
shard_of_two() {
    printf %s "$1" | od -An -tu1 | tr -s ' ' '\n' |
        awk 'NF && $1 % 2 {n++} END {print (1 + n) % 2}'
}

# What shard 1 of index $1 holds, but its posts' stamps (slot 1: times
# differ from one build to the next): every term and its frequency, and
# each of its documents' terms, wdfs, values and data.
shard_dump() {
    local d r
    d=$(echo "$1"/shard-1.*)
    xapian-delve -a -v -1 "$d"
    for r in $(seq "$(xapian-delve "$d" | sed -n 's/^number of documents = //p')"); do
        xapian-delve -r "$r" -v -1 -V -d "$d" | grep -av '^UUID\|^1:'
    done
}

@test "a first build: a thread done with its shard reads the other's posts, and the index is the one it would be" {
    local p ix=$BATS_TEST_TMPDIR/helped i=0 n1=0 f s first0= first1
    p=$(realpath "$BATS_TEST_TMPDIR")/lopsided
    mkdir -p "$p"
    # One post for shard 0; for shard 1, 60, one of them binary and one
    # of two parts (its thread reads those itself).
    while [ "$n1" -lt 60 ] || [ -z "$first0" ]; do
        i=$((i + 1))
        for f in "$SEEDS"/*.txt "$SEEDS"/*.md; do
            s=$(shard_of_two "$p/$i-${f##*/}")
            if [ "$s" = 0 ] && [ -z "$first0" ]; then
                first0=$p/$i-${f##*/}
            elif [ "$s" = 1 ] && [ "$n1" -lt 60 ]; then
                n1=$((n1 + 1))
            else
                continue
            fi
            { cat "$f"; printf '\nNote %d.\n' "$i"; } > "$p/$i-${f##*/}"
        done
    done
    for f in "$p"/*; do
        [ "$(shard_of_two "$f")" = 1 ] || continue
        case $n1 in
        30) printf 'binary\0data\n' >> "$f" ;;
        29) for i in $(seq 6000); do cat "$SEEDS/jardin-communautaire.txt"; done >> "$f" ;;
        esac
        n1=$((n1 - 1))
    done
    first1=$(LC_ALL=C ls "$p"/* | while read -r f; do
        [ "$(shard_of_two "$f")" = 0 ] || echo "$f"; done | head -n 1)
    # Small batches: commits between the posts helped.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" TROUVE_BATCH_POSTS=7 \
        strace -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
        "$TROUVE" index -j 2 --index "$ix" "$p" > "$BATS_TEST_TMPDIR/helped.txt"
    # shard 1's posts were opened by two threads
    [ "$(grep -F "\"$p/" "$BATS_TEST_TMPDIR/trace" | grep -vF "$first0" |
        awk '{print $1}' | sort -u | wc -l)" -eq 2 ]
    # Without help: both shards hold a post before the run over them all.
    TROUVE_BATCH_POSTS=7 "$TROUVE" index -q -j 2 --index "$BATS_TEST_TMPDIR/alone" "$first0" "$first1"
    TROUVE_BATCH_POSTS=7 "$TROUVE" index --index "$BATS_TEST_TMPDIR/alone" "$p" > "$BATS_TEST_TMPDIR/alone.txt"
    grep -q '^60 added, 0 updated, 0 removed, 0 unchanged, 1 skipped' "$BATS_TEST_TMPDIR/helped.txt"
    grep -q '^58 added, 0 updated, 0 removed, 2 unchanged, 1 skipped' "$BATS_TEST_TMPDIR/alone.txt"
    shard_dump "$ix" > "$BATS_TEST_TMPDIR/helped.dump"
    shard_dump "$BATS_TEST_TMPDIR/alone" > "$BATS_TEST_TMPDIR/alone.dump"
    # 59 posts (not the binary one), one of them in two documents
    [ "$(grep -c '^Term List for record' "$BATS_TEST_TMPDIR/helped.dump")" -eq 60 ]
    cmp "$BATS_TEST_TMPDIR/helped.dump" "$BATS_TEST_TMPDIR/alone.dump"
    # the stem table too
    results "$ix" "$p" > "$BATS_TEST_TMPDIR/helped.results"
    results "$BATS_TEST_TMPDIR/alone" "$p" > "$BATS_TEST_TMPDIR/alone.results"
    [ "$(grep -vc '^#' "$BATS_TEST_TMPDIR/helped.results")" -gt 50 ]
    diff "$BATS_TEST_TMPDIR/helped.results" "$BATS_TEST_TMPDIR/alone.results"
}

@test "a run compacts each shard it changed by an eighth or more, only those" {
    local p=$BATS_TEST_TMPDIR/twenty ix=$BATS_TEST_TMPDIR/ix i f
    mkdir "$p"
    for i in $(seq -w 1 20); do
        echo "Post $i about gardens and kites, un billet sur les jardins." \
            > "$p/p$i.txt"
    done
    "$TROUVE" index -q -j 2 --index "$ix" "$p"
    # a new index: both shards changed wholly, both compacted
    grep -qx 'auto shard-0.1' "$ix/XAPIANDB"
    grep -qx 'auto shard-1.1' "$ix/XAPIANDB"
    # edit an eighth of shard 0's posts (the paths decide which they are)
    local n0 need edited=0
    n0=$(xapian-delve "$ix/shard-0.1" | sed -n 's/^number of documents = //p')
    need=$(((n0 + 7) / 8))
    [ "$need" -ge 1 ]
    for f in "$p"/*.txt; do
        [ "$edited" -lt "$need" ] || break
        xapian-delve -t "Q$f" "$ix/shard-0.1" | grep -q '^Posting List' ||
            continue
        echo "Edited." >> "$f"
        edited=$((edited + 1))
    done
    [ "$edited" -eq "$need" ]
    run "$TROUVE" index --json --index "$ix" "$p"
    [ "$status" -eq 0 ]
    [ "$(jq -r 'select(.type == "summary") | .updated' <<<"$output")" \
        -eq "$need" ]
    # shard 0 compacted into its next generation, shard 1 left as it was
    grep -qx 'auto shard-0.2' "$ix/XAPIANDB"
    grep -qx 'auto shard-1.1' "$ix/XAPIANDB"
    [ ! -e "$ix/shard-0.1" ]
    run "$TROUVE" search -n 30 --json --index "$ix" edited
    [ "$(jq -r 'select(.type == "hit") | .path' <<<"$output" | wc -l)" \
        -eq "$need" ]
}

@test "compact merges the shards into one with the same results" {
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 4 --index "$ix" "$posts"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/before.txt"
    run "$TROUVE" compact --index "$ix"
    [ "$status" -eq 0 ]
    [[ "$output" == "4 shards, "*" MB -> 1 shard, "*" MB" ]]
    [ "$(stub_lines "$ix")" -eq 1 ]
    # the old shard folders are gone; the one left is named in the stub
    [ "$(ls -d "$ix"/shard-* | wc -l)" -eq 1 ]
    grep -qx "auto $(basename "$ix"/shard-*)" "$ix/XAPIANDB"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/after.txt"
    diff "$BATS_TEST_TMPDIR/before.txt" "$BATS_TEST_TMPDIR/after.txt"
    [ "$("$TROUVE" stats --json --index "$ix" | jq -r .shards)" -eq 1 ]
}

@test "after compact, incremental runs go to the one shard and stay right" {
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 3 --index "$ix" "$posts"
    "$TROUVE" compact -q --index "$ix"
    rm "$posts/f/30-meeting-notes.md"
    echo "Kites over the community garden." >> "$posts/b/7-creme-brulee-cp1252.txt"
    echo "Un nouveau billet sur les cerfs-volants." > "$posts/a/new.txt"
    run "$TROUVE" index --json --index "$ix" "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -c '[.added, .updated, .removed]' <<<"$output")" = "[1,1,1]" ]
    [ "$(stub_lines "$ix")" -eq 1 ]
    # compacting twice is fine too
    "$TROUVE" compact -q --index "$ix"
    "$TROUVE" index -q -j 2 --index "$BATS_TEST_TMPDIR/fresh" "$posts"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/inc.txt"
    results "$BATS_TEST_TMPDIR/fresh" "$posts" > "$BATS_TEST_TMPDIR/fresh.txt"
    diff "$BATS_TEST_TMPDIR/inc.txt" "$BATS_TEST_TMPDIR/fresh.txt"
}

@test "a compaction cut short before the stub swap leaves the old index whole" {
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 2 --index "$ix" "$posts"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/before.txt"
    # what a crash leaves: a half-written merged shard the stub does not name
    mkdir "$ix/shard-0.7"
    head -c 5000 /dev/urandom > "$ix/shard-0.7/postlist.glass"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/during.txt"
    diff "$BATS_TEST_TMPDIR/before.txt" "$BATS_TEST_TMPDIR/during.txt"
    # the next writer removes it, and compacting works
    run "$TROUVE" compact --index "$ix"
    [ "$status" -eq 0 ]
    [ ! -e "$ix/shard-0.7" ]
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/after.txt"
    diff "$BATS_TEST_TMPDIR/before.txt" "$BATS_TEST_TMPDIR/after.txt"
}

@test "a compaction cut short after the stub swap leaves the new index whole" {
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 2 --index "$ix" "$posts"
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/before.txt"
    cp -a "$ix" "$BATS_TEST_TMPDIR/old"
    "$TROUVE" compact -q --index "$ix"
    # what a crash leaves: the old shards still there beside the new one
    cp -a "$BATS_TEST_TMPDIR"/old/shard-* "$ix"/
    [ "$(ls -d "$ix"/shard-* | wc -l)" -eq 3 ]
    results "$ix" "$posts" > "$BATS_TEST_TMPDIR/during.txt"
    diff "$BATS_TEST_TMPDIR/before.txt" "$BATS_TEST_TMPDIR/during.txt"
    run "$TROUVE" index --json --index "$ix" "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 30 ]
    [ "$(ls -d "$ix"/shard-* | wc -l)" -eq 1 ]
}

@test "compact needs an index, and waits for no indexer" {
    run "$TROUVE" compact --index "$BATS_TEST_TMPDIR/none"
    [ "$status" -eq 2 ]
    [[ "$output" == "trouve: no index at '$BATS_TEST_TMPDIR/none'"* ]]
    [ "${#lines[@]}" -eq 1 ]
    [ ! -e "$BATS_TEST_TMPDIR/none" ]
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 2 --index "$ix" "$posts"
    # another writer holds the lock: exit 75, the index untouched
    exec 8> "$ix/trouve.lock"
    flock -n 8
    run "$TROUVE" compact --index "$ix"
    exec 8>&-
    [ "$status" -eq 75 ]
    [[ "$output" == "trouve: index '$ix' is locked by another indexer"* ]]
    [ "$(stub_lines "$ix")" -eq 2 ]
    run "$TROUVE" compact --bogus
    [ "$status" -eq 2 ]
}
