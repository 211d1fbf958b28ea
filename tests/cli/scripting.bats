#!/usr/bin/env bats
# trouve search and stats for scripts: -l, -c, -0, -q, the query on
# standard input, --fresh, the JSON summary, names that are not UTF-8,
# --help.

load helper

setup_file() {
    index_seeds
}

# The paths of the JSON hits in $output, in order.
json_paths() {
    printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path'
}

@test "-l prints each matching post once, absolute, in the order of its best passage" {
    run "$TROUVE" search --json --any --per-post 1 -n 100 -- board mentorat jardin
    expected=$(json_paths)
    [ "$(printf '%s\n' "$expected" | wc -l)" -ge 3 ]
    run --separate-stderr "$TROUVE" search -l --any -- board mentorat jardin
    [ "$status" -eq 0 ]
    [ "$output" = "$expected" ]
    [[ "${lines[0]}" == /* ]]
    # -n still limits when given
    run "$TROUVE" search -l -n 1 --any -- board mentorat jardin
    [ "$output" = "$(printf '%s\n' "$expected" | head -n 1)" ]
}

@test "-c counts the matching passages, -n and --offset aside; -lc counts posts" {
    run "$TROUVE" search --json -n 100000 -- board
    passages=$(json_paths | wc -l)
    posts=$(json_paths | sort -u | wc -l)
    [ "$passages" -gt "$posts" ]
    run "$TROUVE" search -c -- board
    [ "$status" -eq 0 ]
    [ "$output" -eq "$passages" ]
    run "$TROUVE" search -c -n 1 --offset 3 -- board
    [ "$output" -eq "$passages" ]
    run "$TROUVE" search -lc -- board
    [ "$output" -eq "$posts" ]
    run "$TROUVE" search -c --per-post 1 -- board
    [ "$output" -eq "$posts" ]
    run "$TROUVE" search -c -- xylophonique
    [ "$status" -eq 1 ]
    [ "$output" = 0 ]
}

@test "-0 ends each path with a NUL, for xargs -0; it needs -l" {
    run bash -c "'$TROUVE' search -l0 --any -- board jardin | xargs -0 -n 1 echo | sort"
    [ "$status" -eq 0 ]
    [ "$output" = "$("$TROUVE" search -l --any -- board jardin | sort)" ]
    nuls=$("$TROUVE" search -l0 --any -- board jardin | tr -cd '\0' | wc -c)
    [ "$nuls" -eq "${#lines[@]}" ]
    run --separate-stderr "$TROUVE" search -0 -- board
    [ "$status" -eq 2 ]
    [ "$stderr" = "trouve: -0 goes with -l alone" ]
}

@test "-q prints nothing: the exit status says it all" {
    run --separate-stderr "$TROUVE" search -q -- board
    [ "$status" -eq 0 ]
    [ -z "$output" ] && [ -z "$stderr" ]
    run --separate-stderr "$TROUVE" search -q --json -- xylophonique
    [ "$status" -eq 1 ]
    [ -z "$output" ] && [ -z "$stderr" ]
    # errors are still reported
    run --separate-stderr "$TROUVE" search -q --index "$BATS_TEST_TMPDIR/none" -- board
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == "trouve: no index at "* ]]
}

@test "the query can come from standard input with -" {
    run "$TROUVE" search --json -- mentorat inversé
    from_args=$(json_paths)
    run bash -c "printf 'mentorat\ninversé\n' | '$TROUVE' search --json - | jq -r 'select(.type == \"hit\") | .path'"
    [ "$status" -eq 0 ]
    [ -n "$output" ]
    [ "$output" = "$from_args" ]
    run bash -c "'$TROUVE' search -c - < /dev/null"
    [ "$status" -eq 2 ]
}

@test "--json and -l or -c do not go together" {
    run --separate-stderr "$TROUVE" search --json -l -- board
    [ "$status" -eq 2 ]
    [ "$stderr" = "trouve: --json does not go with -l" ]
    run "$TROUVE" search --json -c -- board
    [ "$status" -eq 2 ]
}

@test "the JSON summary always has suggestion and warning, null when there is none" {
    run "$TROUVE" search --json -- board
    summary=$(printf '%s\n' "$output" | tail -n 1)
    jq -e 'has("suggestion") and has("warning") and .warning == null' <<<"$summary"
    run "$TROUVE" search --json --no-suggest -- xylophonique
    [ "$status" -eq 1 ]
    jq -e '.type == "summary" and .hits == 0 and .suggestion == null' <<<"$output"
    # a suggestion, when there is one, is a string and comes on stderr in text
    run "$TROUVE" search --json -- mentorshp
    s=$(printf '%s\n' "$output" | tail -n 1 | jq -r '.suggestion | type')
    [ "$s" = null ] || [ "$s" = string ]
}

@test "the JSON summary's estimate counts posts with --lang applied, as lang: in the query does" {
    estimated() { "$TROUVE" search --json "$@" | tail -n 1 | jq -r .estimated; }
    # one post has jardin, in French passages only
    [ "$(estimated -- jardin)" -eq 1 ]
    [ "$(estimated --lang fr -- jardin)" -eq 1 ]
    [ "$(estimated --lang en -- jardin)" -eq 0 ]
    [ "$(estimated -- lang:en jardin)" -eq 0 ]
}

@test "--fresh brings the index up to date with its folders before searching" {
    posts=$BATS_TEST_TMPDIR/posts
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$posts"
    cp "$SEEDS"/winter-cycling.txt "$posts"/
    "$TROUVE" index -q "$posts"
    echo "Un cerf-volant jaune au-dessus du port." > "$posts/cerf.txt"
    rm "$posts/winter-cycling.txt"
    run "$TROUVE" search -l -- cerf-volant
    [ "$status" -eq 1 ]
    run "$TROUVE" search -l -- winter
    [ "$status" -eq 0 ]
    run --separate-stderr "$TROUVE" search --fresh -l -- cerf-volant
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$output" = "$posts/cerf.txt" ]
    run "$TROUVE" search -l -- winter
    [ "$status" -eq 1 ]
}

@test "--fresh leaves a folder that is gone as it is, and says so; naming it removes its posts" {
    posts=$BATS_TEST_TMPDIR/posts
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$posts/usb" "$posts/home"
    echo "Ouagadougou, carnet de voyage." > "$posts/usb/voyage.txt"
    echo "A kite over the harbour." > "$posts/home/kite.txt"
    "$TROUVE" index -q "$posts/usb" "$posts/home"
    # the drive is unplugged: a search must not empty the index of it
    mv "$posts/usb" "$BATS_TEST_TMPDIR/unplugged"
    echo "A second kite." > "$posts/home/kite2.txt"
    run --separate-stderr "$TROUVE" search --fresh -c -- kite
    [ "$status" -eq 0 ]
    [ "$output" -eq 2 ]
    [ "$stderr" = "trouve: folder '$posts/usb/' is gone (No such file or directory): not refreshed; its posts leave the index when 'trouve index $posts/usb/' names it" ]
    run "$TROUVE" search -l -- ouagadougou
    [ "$output" = "$posts/usb/voyage.txt" ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$posts/usb/\",\"$posts/home/\"]" ]
    # plugged in again: refreshed as before
    mv "$BATS_TEST_TMPDIR/unplugged" "$posts/usb"
    echo "Bamako aussi." > "$posts/usb/bamako.txt"
    run --separate-stderr "$TROUVE" search --fresh -l -- bamako
    [ -z "$stderr" ]
    [ "$output" = "$posts/usb/bamako.txt" ]
    # deleted for good, and said so by the user: its posts leave
    rm -r "$posts/usb"
    run "$TROUVE" index --json "$posts/usb"
    [ "$status" -eq 0 ]
    [ "$(jq -r .removed <<<"$output")" -eq 2 ]
    run --separate-stderr "$TROUVE" search --fresh -c -- kite
    [ -z "$stderr" ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$posts/home/\"]" ]
}

@test "--fresh on a locked index searches what is there and says so" {
    posts=$BATS_TEST_TMPDIR/posts
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$posts"
    cp "$SEEDS"/winter-cycling.txt "$posts"/
    "$TROUVE" index -q "$posts"
    echo "A yellow kite over the harbour." > "$posts/kite.txt"
    run --separate-stderr flock "$TROUVE_INDEX/trouve.lock" "$TROUVE" search --fresh -c -- winter
    [ "$status" -eq 0 ]
    [ "$output" -ge 1 ]
    [ "$stderr" = "trouve: index '$TROUVE_INDEX' is being updated by another indexer; searching it as it is" ]
}

# Root reads and writes anywhere: these run trouve as nobody (as_nobody),
# on an index of the seed winter-cycling.txt in $d/index, built by root
# (so nobody may not write it) in a folder of its own (mktemp -d, then
# 755 so that nobody may enter it).
index_for_nobody() {
    d=$(mktemp -d)
    chmod 755 "$d"
    mkdir "$d/posts"
    cp "$SEEDS"/winter-cycling.txt "$d/posts"/
    "$TROUVE" index -q --index "$d/index" "$d/posts"
}

as_nobody() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

@test "--fresh on an index this user may not write searches what is there and says so" {
    index_for_nobody
    echo "A yellow kite over the harbour." > "$d/posts/kite.txt"
    run --separate-stderr as_nobody "$TROUVE" search --fresh --index "$d/index" -c -- winter
    rm -rf "$d"
    [ "$status" -eq 0 ]
    [ "$output" -ge 1 ]
    [ "$stderr" = "trouve: index '$d/index' cannot be written (Permission denied); searching it as it is" ]
}

@test "an index this user may not read is an error saying so, not a missing index" {
    index_for_nobody
    chmod 700 "$d/index"
    run --separate-stderr as_nobody "$TROUVE" search --index "$d/index" -- winter
    rm -rf "$d"
    [ "$status" -eq 2 ]
    [ "$stderr" = "trouve: cannot read '$d/index/XAPIANDB': Permission denied" ]
}

@test "--fresh with no index is an error and creates nothing" {
    run --separate-stderr "$TROUVE" search --fresh --index "$BATS_TEST_TMPDIR/none" -- board
    [ "$status" -eq 2 ]
    [ ! -e "$BATS_TEST_TMPDIR/none" ]
    [[ "$stderr" == "trouve: no index at "* ]]
}

@test "a file name that is not UTF-8: {\"bytes\": base64} in JSON, raw bytes for -l, escaped on text" {
    posts=$BATS_TEST_TMPDIR/posts
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$posts"
    name=$(printf 'caf\xe9.txt')   # Latin-1, not UTF-8
    echo "Un kangourou dans le jardin." > "$posts/$name"
    "$TROUVE" index -q "$posts"
    run "$TROUVE" search --json -- kangourou
    [ "$status" -eq 0 ]
    all_json
    [ "$(first_hit | jq -r '.path | type')" = object ]
    [ "$(first_hit | jq -r .path.bytes | base64 -d)" = "$posts/$name" ]
    # -l: the bytes as the file system spells them, so scripts can open it
    run bash -c "'$TROUVE' search -l0 -- kangourou | xargs -0 cat"
    [ "$output" = "Un kangourou dans le jardin." ]
    # text: the invalid byte shown, not sent raw
    run "$TROUVE" search --color never -- kangourou
    [[ "${lines[0]}" == *"caf<E9>.txt:1 "* ]]
}

@test "stats names the folders indexed (roots in JSON)" {
    run "$TROUVE" stats --json
    [ "$(jq -r '.roots | length' <<<"$output")" -eq 1 ]
    [ "$(jq -r '.roots[0]' <<<"$output")" -ef "$SEEDS" ]
    run "$TROUVE" stats
    [[ "$output" == *"folders   $SEEDS"* ]]
}

@test "a folder given twice in one run is walked and remembered once" {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$BATS_TEST_TMPDIR/posts"
    echo "alpha kite" > "$BATS_TEST_TMPDIR/posts/a.txt"
    echo "hidden kite" > "$BATS_TEST_TMPDIR/posts/.hidden.txt"
    cd "$BATS_TEST_TMPDIR"
    run "$TROUVE" index --json posts ./posts/ "$BATS_TEST_TMPDIR/posts"
    [ "$(jq -c '[.added, .skipped]' <<<"$output")" = "[1,1]" ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$BATS_TEST_TMPDIR/posts/\"]" ]
}

# Every option a command's --help lists is one the completion offers and
# the man page describes, and the other way round for the completion.
@test "--help for each command: usage first, every option in the completion and the man page" {
    root=$BATS_TEST_DIRNAME/../..
    source "$root/src/completion/trouve.bash"
    for cmd in index search analyze stats compact; do
        run "$TROUVE" "$cmd" --help
        [ "$status" -eq 0 ]
        [[ "${lines[0]}" == "usage: trouve $cmd "* ]]
        in_help=$(grep -oE -- '--[a-z][a-z-]+' <<<"$output" | sort -u)
        COMP_WORDS=(trouve "$cmd" -)
        COMP_CWORD=2
        _trouve
        in_completion=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u)
        diff <(echo "$in_help") <(echo "$in_completion")
        for opt in $in_help; do
            grep -qF -- "${opt//-/\\-}" "$root/src/doc/trouve.1" || { echo "$cmd $opt not in the man page"; false; }
        done
    done
}

@test "the folders indexed survive trouve compact, so --fresh still works" {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
    echo "alpha kite" > "$BATS_TEST_TMPDIR/a/a.txt"
    echo "beta kite" > "$BATS_TEST_TMPDIR/b/b.txt"
    "$TROUVE" index -q -j 3 "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
    before=$("$TROUVE" stats --json | jq -c .roots)
    [ "$(jq length <<<"$before")" -eq 2 ]
    "$TROUVE" compact -q
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "$before" ]
    echo "gamma kite" > "$BATS_TEST_TMPDIR/b/c.txt"
    run "$TROUVE" search --fresh -c -- kite
    [ "$output" -eq 3 ]
}

@test "a folder whose name holds a newline is remembered as one folder" {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    odd=$BATS_TEST_TMPDIR/$'notes\nold'
    # the two halves exist too: --fresh must not take them for folders
    mkdir -p "$odd" "$BATS_TEST_TMPDIR/notes" "$BATS_TEST_TMPDIR/b"
    echo "alpha kite" > "$odd/a.txt"
    echo "beta kite" > "$BATS_TEST_TMPDIR/b/b.txt"
    echo "stray kite" > "$BATS_TEST_TMPDIR/notes/stray.txt"
    "$TROUVE" index -q "$odd" "$BATS_TEST_TMPDIR/b"
    [ "$("$TROUVE" stats --json | jq -r '.roots | length')" -eq 2 ]
    [ "$("$TROUVE" stats --json | jq -r '.roots[0]')" = "$odd/" ]
    echo "gamma kite" > "$odd/c.txt"
    run --separate-stderr "$TROUVE" search --fresh -c -- kite
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$output" -eq 3 ]
}

@test "an index that kept its folders one per line (older builds) is still read, then rewritten" {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    a=$BATS_TEST_TMPDIR/a b=$BATS_TEST_TMPDIR/b
    mkdir -p "$a" "$b"
    echo "alpha kite" > "$a/a.txt"
    echo "beta kite" > "$b/b.txt"
    "$TROUVE" index -q -j 1 "$a" "$b"
    shard=$TROUVE_INDEX/$(sed -n '1s/^auto //p' "$TROUVE_INDEX/XAPIANDB")
    xapian-metadata set "$shard" trouve:folders ''
    xapian-metadata set "$shard" trouve:roots "$a/"$'\n'"$b/"$'\n'
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$a/\",\"$b/\"]" ]
    echo "gamma kite" > "$b/c.txt"
    run "$TROUVE" search --fresh -c -- kite
    [ "$output" -eq 3 ]
    # a new folder: the list is written in the new format, the old one goes
    mkdir "$BATS_TEST_TMPDIR/c"
    "$TROUVE" index -q "$BATS_TEST_TMPDIR/c"
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$a/\",\"$b/\",\"$BATS_TEST_TMPDIR/c/\"]" ]
    shard=$TROUVE_INDEX/$(sed -n '1s/^auto //p' "$TROUVE_INDEX/XAPIANDB")
    [ -z "$(xapian-metadata get "$shard" trouve:roots)" ]
}
