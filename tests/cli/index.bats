#!/usr/bin/env bats
# trouve index, end to end.

load helper

setup() {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    posts=$BATS_TEST_TMPDIR/posts
    mkdir -p "$posts"
    cp "$SEEDS"/* "$posts"/
}

posts_in_index() {
    "$TROUVE" stats --json | jq -r .posts
}

@test "index prints one summary line and exits 0" {
    run "$TROUVE" index "$posts"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" == "6 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 unreadable"* ]]
}

@test "running it again never duplicates a post and reads nothing" {
    "$TROUVE" index -q "$posts"
    run "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .unchanged <<<"$output")" -eq 6 ]
    [ "$(jq -r .added <<<"$output")" -eq 0 ]
    [ "$(posts_in_index)" -eq 6 ]
    run "$TROUVE" search --json -- reverse mentorship
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort | uniq -c | sort -rn | head -n 1 | awk '{print $1}')" -ge 1 ]
}

@test "a changed file is updated, a deleted one removed, a new one added" {
    "$TROUVE" index -q "$posts"
    echo "Une note sur les cerfs-volants multicolores." > "$posts/cerfs.txt"
    echo "Winter cycling needs studded tyres and kites." >> "$posts/winter-cycling.txt"
    rm "$posts/jardin-communautaire.txt"
    run "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 1 ]
    [ "$(jq -r .updated <<<"$output")" -eq 1 ]
    [ "$(jq -r .removed <<<"$output")" -eq 1 ]
    [ "$(posts_in_index)" -eq 6 ]
    run "$TROUVE" search -- cerfs-volants
    [ "$status" -eq 0 ]
    run "$TROUVE" search -- kites
    [ "$status" -eq 0 ]
    run "$TROUVE" search -- potager
    [ "$status" -eq 1 ]
}

@test "--force reads everything again" {
    "$TROUVE" index -q "$posts"
    run "$TROUVE" index --json --force "$posts"
    [ "$(jq -r .updated <<<"$output")" -eq 6 ]
}

@test "indexing a second folder keeps the first" {
    mkdir -p "$BATS_TEST_TMPDIR/other"
    echo "Notes about sourdough bread." > "$BATS_TEST_TMPDIR/other/bread.txt"
    "$TROUVE" index -q "$posts"
    "$TROUVE" index -q "$BATS_TEST_TMPDIR/other"
    [ "$(posts_in_index)" -eq 7 ]
    run "$TROUVE" search -- sourdough
    [ "$status" -eq 0 ]
    run "$TROUVE" search -- mentorship
    [ "$status" -eq 0 ]
}

@test "hidden files, .git and unknown formats are skipped; -v names them" {
    mkdir -p "$posts/.git" "$posts/sub"
    echo "zyzzyva hidden words" > "$posts/.hidden.txt"
    echo "git internals words" > "$posts/.git/config.txt"
    printf '\x89PNG\r\n\x1a\n\0\0' > "$posts/picture.png"
    echo "nested post about lighthouses" > "$posts/sub/phare.md"
    run --separate-stderr "$TROUVE" index -v "$posts"
    [ "$status" -eq 0 ]
    [[ "$stderr" == *".hidden.txt"* ]]
    [[ "$stderr" == *".git"* ]]
    [[ "$stderr" == *"picture.png"* ]]
    run "$TROUVE" search -- lighthouses
    [ "$status" -eq 0 ]
    run "$TROUVE" search -- zyzzyva
    [ "$status" -eq 1 ]
}

@test "an unreadable path is named on stderr and the run exits 1" {
    run --separate-stderr "$TROUVE" index "$posts" "$BATS_TEST_TMPDIR/missing"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"cannot read '$BATS_TEST_TMPDIR/missing': No such file or directory"* ]]
    [ "$(posts_in_index)" -eq 6 ]
}

@test "a deleted file indexed on its own leaves the index when named again; an unknown missing path stays an error" {
    notes=$BATS_TEST_TMPDIR/notes
    mkdir -p "$notes"
    echo "Quetzalcoatl in my notes." > "$notes/notes.md"
    "$TROUVE" index -q -j 3 "$posts" "$notes/notes.md"
    [ "$(posts_in_index)" -eq 7 ]
    rm "$notes/notes.md"
    # --fresh refreshes the folders only: the post is still there
    run "$TROUVE" search --fresh -l -- quetzalcoatl
    [ "$output" = "$notes/notes.md" ]
    cd "$notes"
    run --separate-stderr "$TROUVE" index --json notes.md
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$(jq -c '[.removed, .failed, .status]' <<<"$output")" = '[1,0,"ok"]' ]
    run "$TROUVE" search -- quetzalcoatl
    [ "$status" -eq 1 ]
    [ "$(posts_in_index)" -eq 6 ]
    # now the index holds nothing there: an error, as for any missing path
    run --separate-stderr "$TROUVE" index --json notes.md nowhere.md
    [ "$status" -eq 1 ]
    [ "$stderr" = "trouve: cannot read 'notes.md': No such file or directory
trouve: cannot read 'nowhere.md': No such file or directory" ]
    [ "$(jq -c '[.removed, .failed]' <<<"$output")" = "[0,2]" ]
}

@test "a file named on its own that its folder's walk leaves out by name stays, until it is deleted or ignored" {
    echo "Carnet: le quetzal du jardin." > "$posts/.carnet.md"
    echo "Quetzal notes, org-mode." > "$posts/notes.org"
    mkdir -p "$posts/.archive"
    echo "Vieux quetzal." > "$posts/.archive/vieux.txt"
    "$TROUVE" index -q "$posts" "$posts/.carnet.md" "$posts/notes.org" "$posts/.archive"
    [ "$(posts_in_index)" -eq 9 ]
    # the folder walked again, as --fresh does: they stay
    run "$TROUVE" index --json "$posts"
    [ "$(jq -c '[.removed, .unchanged]' <<<"$output")" = "[0,6]" ]
    run "$TROUVE" search --fresh -c -- quetzal
    [ "$output" -eq 3 ]
    # deleted, ignored: they go
    rm "$posts/.carnet.md"
    echo "*.org" > "$posts/.trouveignore"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .removed <<<"$output")" -eq 2 ]
    run "$TROUVE" search -l -- quetzal
    [ "$output" = "$posts/.archive/vieux.txt" ]
}

@test "a deleted folder named again: its posts removed, it and the folders under it forgotten" {
    mkdir -p "$posts/old"
    echo "Ouagadougou" > "$posts/old/a.txt"
    "$TROUVE" index -q "$posts" "$posts/old"
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$posts/\",\"$posts/old/\"]" ]
    # a file in it named too, through a link to a folder above it
    ln -s . "$BATS_TEST_TMPDIR/here"
    rm -r "$posts"
    run --separate-stderr "$TROUVE" index --json "$BATS_TEST_TMPDIR/here/posts/old/a.txt" "$posts"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$(jq -c '[.removed, .failed]' <<<"$output")" = "[7,0]" ]
    [ "$(posts_in_index)" -eq 0 ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[]" ]
    run --separate-stderr "$TROUVE" search --fresh -- ouagadougou
    [ "$status" -eq 1 ]
    [ -z "$stderr" ]
}

@test "an empty path is a missing path: named, exit 1, the current folder left alone" {
    cd "$posts"
    run --separate-stderr "$TROUVE" index --json ''
    [ "$status" -eq 1 ]
    [ "$stderr" = "trouve: cannot read '': No such file or directory" ]
    [ "$(jq -c '[.added, .failed]' <<<"$output")" = "[0,1]" ]
    [ "$(posts_in_index)" -eq 0 ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[]" ]
}

@test "a folder or file given through a symbolic link is taken at its real path: no post twice" {
    link=$BATS_TEST_TMPDIR/postslink
    ln -s posts "$link"
    "$TROUVE" index -q "$posts"
    run "$TROUVE" index --json "$link"
    [ "$(jq -c '[.added, .unchanged]' <<<"$output")" = "[0,6]" ]
    [ "$(posts_in_index)" -eq 6 ]
    [ "$("$TROUVE" stats --json | jq -c .roots)" = "[\"$posts/\"]" ]
    run "$TROUVE" search -l -- tyres
    [ "$output" = "$posts/winter-cycling.txt" ]
    # a file through the link, and "." from inside it: the same posts
    ln -s postslink/winter-cycling.txt "$BATS_TEST_TMPDIR/cycling.txt"
    cd "$link"
    run "$TROUVE" index --json "$BATS_TEST_TMPDIR/cycling.txt" .
    [ "$(jq -c '[.added, .unchanged]' <<<"$output")" = "[0,6]" ]
    # a deletion and a new post seen through the link, by --fresh too
    rm "$link/winter-cycling.txt"
    run "$TROUVE" index --json "$link"
    [ "$(jq -c '[.added, .removed]' <<<"$output")" = "[0,1]" ]
    echo "Un cerf-volant jaune." > "$link/cerf.txt"
    run "$TROUVE" search --fresh -l -- cerf-volant
    [ "$output" = "$posts/cerf.txt" ]
    [ "$(posts_in_index)" -eq 6 ]
    # an index inside the folder, both named through the link: not indexed
    run "$TROUVE" index --json --index "$link/index" "$link"
    [ "$(jq -r .added <<<"$output")" -eq 6 ]
    run "$TROUVE" index --json --index "$link/index" "$link"
    [ "$(jq -c '[.added, .unchanged]' <<<"$output")" = "[0,6]" ]
}

@test "the index itself, or a path inside it, named: never indexed, counted as ignored, -v says why" {
    "$TROUVE" index -q --index "$posts/index" "$posts"
    run --separate-stderr "$TROUVE" index -v --json --index "$posts/index" \
        "$posts/index" "$posts/index/XAPIANDB"
    [ "$status" -eq 0 ]
    [ "$(jq -c '[.added, .skipped, .skipped_by.ignored]' <<<"$output")" = "[0,2,2]" ]
    [[ "$stderr" == *"skipped '$posts/index': ignored, the index itself"* ]]
    [[ "$stderr" == *"skipped '$posts/index/XAPIANDB': ignored, inside the index"* ]]
    # the index is not among the folders remembered
    [ "$("$TROUVE" stats --json --index "$posts/index" | jq -c '[.posts, .roots]')" = "[6,[\"$posts/\"]]" ]
}

@test "a second indexer exits 75 naming the lock, the first is unharmed" {
    "$TROUVE" index -q "$posts"
    flock "$TROUVE_INDEX/trouve.lock" sleep 3 &
    sleep 0.5
    run --separate-stderr "$TROUVE" index "$posts"
    [ "$status" -eq 75 ]
    [[ "$stderr" == *"locked"*"trouve.lock"* ]]
    wait
    [ "$(posts_in_index)" -eq 6 ]
}

@test "index --json on a locked index still prints its one object, with the status" {
    "$TROUVE" index -q "$posts"
    run --separate-stderr flock "$TROUVE_INDEX/trouve.lock" "$TROUVE" index --json "$posts"
    [ "$status" -eq 75 ]
    [ "$(jq -c '[.type, .status, .added]' <<<"$output")" = '["summary","index is locked",0]' ]
    [[ "$stderr" == *"locked"* ]]
    # without --json, stdout stays empty
    run --separate-stderr flock "$TROUVE_INDEX/trouve.lock" "$TROUVE" index "$posts"
    [ "$status" -eq 75 ]
    [ -z "$output" ]
}

@test "the index folder inside the indexed folder is not indexed" {
    cd "$posts"
    run "$TROUVE" index --index "$posts/index" --json .
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 6 ]
    run "$TROUVE" index --index "$posts/index" --json .
    [ "$(jq -r .added <<<"$output")" -eq 0 ]
}

@test "-j above the shards an index can have is an error that creates nothing" {
    run --separate-stderr "$TROUVE" index -j 1000 --index "$BATS_TEST_TMPDIR/ix" "$SEEDS"
    [ "$status" -eq 2 ]
    [ "$stderr" = "trouve: option '--jobs' wants at most 64 (an index has at most that many shards), not '1000'" ]
    [ ! -e "$BATS_TEST_TMPDIR/ix" ]
    run "$TROUVE" index -q -j 64 --index "$BATS_TEST_TMPDIR/ix" "$SEEDS"
    [ "$status" -eq 0 ]
}

@test "index without a path is an error" {
    run "$TROUVE" index
    [ "$status" -eq 2 ]
}

@test "a damaged index is one line, exit 2, never a crash" {
    "$TROUVE" index -q "$posts"
    for f in "$TROUVE_INDEX"/shard-*/*.glass; do
        head -c 100 /dev/urandom > "$f"
    done
    run --separate-stderr "$TROUVE" search -- mentorship
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == *damaged* ]]
}

@test "a regular file where the index should be: damaged, exit 2" {
    echo "not an index" > "$BATS_TEST_TMPDIR/file"
    run --separate-stderr "$TROUVE" search --index "$BATS_TEST_TMPDIR/file" -- mentorship
    [ "$status" -eq 2 ]
    [[ "$stderr" == *damaged* ]]
    run --separate-stderr "$TROUVE" index --index "$BATS_TEST_TMPDIR/file" "$posts"
    [ "$status" -eq 2 ]
}
