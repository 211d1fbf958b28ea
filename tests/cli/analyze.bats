#!/usr/bin/env bats
# trouve analyze, and the folding's conformance with ICU.

load helper

@test "analyze prints token, offsets, term and stems" {
    run "$TROUVE" analyze --json -- "L’avion inversé"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    [ "$(jq -r '[.token, .start, .end, .term, .stem_en, .stem_fr, .kind] | @tsv' <<<"${lines[0]}")" = "L’	0	4	l'	l'	l'	elision" ]
    [ "$(jq -r '.token + " " + .term' <<<"${lines[1]}")" = "avion avion" ]
    [ "$(jq -r '[.start, .end] | @csv' <<<"${lines[2]}")" = "10,18" ]
    [ "$(jq -r '.term + " " + .stem_fr' <<<"${lines[2]}")" = "inverse invers" ]
}

@test "analyze reads standard input with -" {
    run bash -c "printf 'Été\nÉTÉ\n' | '$TROUVE' analyze --json - | jq -r .term"
    [ "$output" = $'ete\nete' ]
}

@test "no stop-word removal: one token per word" {
    run bash -c "printf 'the\nand\nle\nla\nde\nof\n' | '$TROUVE' analyze --json - | wc -l"
    [ "$output" -eq 6 ]
}

@test "text output: one tab-separated line per token" {
    run "$TROUVE" analyze "Mentorship"
    [ "$output" = $'Mentorship\t0-10\tmentorship\ten:mentorship\tfr:mentorship' ]
}

@test "escape sequences in the text are not printed raw" {
    run "$TROUVE" analyze $'abc\e]0;pwned\adef'
    [[ "$output" != *$'\e'* ]]
}

# The project's promise: for every word of Debian's wfrench and wamerican
# made only of letters, trouve's folded term equals ICU's
# Any-Latin; Latin-ASCII; Lower.
@test "folding agrees with uconv on every letters-only word of wfrench and wamerican" {
    words=$BATS_TEST_TMPDIR/words
    cat /usr/share/dict/french /usr/share/dict/american-english |
        grep -P '^\p{L}+$' > "$words"
    n=$(wc -l < "$words")
    [ "$n" -gt 400000 ]
    uconv -f utf-8 -t utf-8 -x 'Any-Latin; Latin-ASCII; Lower' < "$words" > "$words.icu"
    "$TROUVE" analyze - < "$words" | cut -f3 > "$words.trouve"
    [ "$(wc -l < "$words.trouve")" -eq "$n" ]
    diff <(paste "$words" "$words.icu") <(paste "$words" "$words.trouve") | head -n 20 > "$words.diff" || true
    [ ! -s "$words.diff" ] || { cat "$words.diff"; false; }
}
