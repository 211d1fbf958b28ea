#!/usr/bin/env bats
# trouve stats.

load helper

setup_file() {
    index_seeds
}

@test "stats --json counts posts, passages by language, terms and bytes" {
    run "$TROUVE" stats --json
    [ "$status" -eq 0 ]
    [ "$(jq -r .posts <<<"$output")" -eq 6 ]
    jq -e '.passages == .passages_en + .passages_fr + .passages_unknown' <<<"$output"
    jq -e '.passages_en > 10 and .passages_fr > 10 and .terms > 1000 and .bytes > 0 and .shards >= 1' <<<"$output"
}

@test "stats prints a readable table" {
    run "$TROUVE" stats
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" == "posts     6" ]]
    [[ "$output" == *"passages"*"en "*"fr "* ]]
}

@test "stats on a missing index: exit 2, one line" {
    run --separate-stderr "$TROUVE" stats --index "$BATS_TEST_TMPDIR/nothing"
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}
