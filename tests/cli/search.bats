#!/usr/bin/env bats
# trouve search, end to end, on seeds/.

load helper

setup_file() {
    index_seeds
}

@test "reverse mentorship: first hit is the English passage with both words, both highlighted" {
    run "$TROUVE" search --json -- reverse mentorship
    [ "$status" -eq 0 ]
    hit=$(first_hit)
    [ "$(jq -r .lang <<<"$hit")" = en ]
    [ "$(jq -r .path <<<"$hit")" = "$SEEDS/reverse-mentorship.txt" ]
    passage=$(jq -r .passage <<<"$hit")
    [[ "${passage,,}" == *reverse*mentorship* || "${passage,,}" == *mentorship*reverse* ]]
    # every highlight is one of the two words, and both are there
    [ "$(highlighted <<<"$hit")" = "mentorship,reverse" ]
}

@test "mentorat inverse, MENTORAT INVERSÉ, mentorat inversé: first hit is French, from the seed" {
    for q in "mentorat inverse" "MENTORAT INVERSÉ" "mentorat inversé"; do
        run "$TROUVE" search --json -- $q
        [ "$status" -eq 0 ]
        hit=$(first_hit)
        [ "$(jq -r .lang <<<"$hit")" = fr ]
        [ "$(jq -r .path <<<"$hit")" = "$SEEDS/reverse-mentorship.txt" ]
        [[ "$(jq -r .passage <<<"$hit")" == *"mentorat inversé"* ]]
    done
}

@test "adoption politique finds « l’adoption d’une politique »" {
    run "$TROUVE" search --json -- adoption politique
    [ "$status" -eq 0 ]
    [[ "$(first_hit | jq -r .passage)" == *"l’adoption d’une politique"* ]]
    # the highlights cover the words, not the elided articles
    [ "$(first_hit | highlighted)" = "adoption,politique" ]
}

@test "--lang fr returns only French passages" {
    run "$TROUVE" search --json --lang fr -n 50 --any -- mentorship mentorat board comité
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .lang' | sort -u)" = fr ]
}

@test "--lang en returns only English passages" {
    run "$TROUVE" search --json --lang en -n 50 --any -- mentorship mentorat board comité
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .lang' | sort -u)" = en ]
}

@test "a word found nowhere exits 1 with nothing on stdout" {
    run --separate-stderr "$TROUVE" search -- xylophonique
    [ "$status" -eq 1 ]
    [ -z "$output" ]
}

@test "a missing index exits 2 with one line on stderr" {
    run --separate-stderr "$TROUVE" search --index "$BATS_TEST_TMPDIR/none" -- mentorship
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "trouve: no index at '$BATS_TEST_TMPDIR/none'"* ]]
}

@test "every --json line parses and there is exactly one summary" {
    run --separate-stderr "$TROUVE" search --json --any -n 20 -- mentorship jardin hiver
    [ "$status" -eq 0 ]
    all_json
    [ "$(printf '%s\n' "$output" | jq -c 'select(.type == "summary")' | wc -l)" -eq 1 ]
    [ "$(printf '%s\n' "$output" | tail -n 1 | jq -r .type)" = summary ]
    hits=$(printf '%s\n' "$output" | jq -c 'select(.type == "hit")' | wc -l)
    [ "$(printf '%s\n' "$output" | tail -n 1 | jq -r .hits)" -eq "$hits" ]
    # the hit fields and their types
    printf '%s\n' "$output" | jq -e -s '[.[] | select(.type == "hit") |
        (.rank|type) == "number" and (.score|type) == "number" and
        (.path|startswith("/")) and (.line|type) == "number" and
        (.lang == "en" or .lang == "fr") and (.title|type) == "string" and
        (.passage|type) == "string" and (.snippet|type) == "string" and
        (.highlights|type) == "array"] | all'
}

@test "a word found nowhere with --json prints only the summary and exits 1" {
    run --separate-stderr "$TROUVE" search --json -- xylophonique
    [ "$status" -eq 1 ]
    [ "$(printf '%s\n' "$output" | jq -r .type)" = summary ]
    [ "$(printf '%s\n' "$output" | jq -r .hits)" -eq 0 ]
}

@test "ranks are 1..n and scores never increase" {
    run "$TROUVE" search --json --any -n 15 -- board comité mentorship
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | jq -e -s '[.[] | select(.type == "hit")] as $h |
        ([$h[].rank] == [range(1; ($h|length) + 1)]) and
        ([$h[].score] == ([$h[].score] | sort | reverse))'
}

@test "-n limits the hits, --per-post caps passages of one post" {
    run "$TROUVE" search --json --any -n 3 -- board mentorat
    [ "$(printf '%s\n' "$output" | jq -c 'select(.type == "hit")' | wc -l)" -eq 3 ]
    run "$TROUVE" search --json --any --per-post 1 -n 20 -- board mentorat
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort | uniq -d)" = "" ]
}

@test "all words must match by default; --any finds either" {
    run "$TROUVE" search -- mentorship jardin
    [ "$status" -eq 1 ]
    run "$TROUVE" search --any --json -- mentorship jardin
    [ "$status" -eq 0 ]
    paths=$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort -u)
    [[ "$paths" == *reverse-mentorship.txt* ]]
    [[ "$paths" == *jardin-communautaire.txt* ]]
}

@test "text output: path:line, language, score, then the snippet" {
    run "$TROUVE" search --color never -n 1 -- reverse mentorship
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ reverse-mentorship\.txt:[0-9]+\ en\ [0-9.]+$ ]]
    [[ "${lines[1],,}" == *mentorship* ]]
    [[ "$output" != *$'\e'* ]]
}

@test "--color always marks matches; NO_COLOR and pipes get none" {
    run "$TROUVE" search --color always -n 1 -- mentorship
    [[ "$output" == *$'\e[1;31m'* ]]
    NO_COLOR=1 run "$TROUVE" search -n 1 -- mentorship
    [[ "$output" != *$'\e'* ]]
    run "$TROUVE" search --highlight '[' ']' -n 1 -- mentorship
    [[ "${lines[1],,}" == *"[mentorship]"* ]]
}

@test "accents and case do not matter: ETE, ete, été find été" {
    for q in ETE ete été Été; do
        run "$TROUVE" search --json -- "$q"
        [ "$status" -eq 0 ]
        [[ "$(first_hit | jq -r .passage)" == *été* ]]
    done
}

@test "ligatures and elisions: oeuvre finds l’œuvre, finance finds ﬁnance" {
    run "$TROUVE" search --json -- oeuvre
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/ligatures-elisions.txt" ]
    run "$TROUVE" search --json -- "l'oeuvre"
    [ "$status" -eq 0 ]
    run "$TROUVE" search --json -- finance efficace fleur
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/ligatures-elisions.txt" ]
}

@test "C++ and C# are words: C++ finds C++, not every c; c finds c, not C++" {
    mkdir -p "$BATS_TEST_TMPDIR/posts"
    printf 'We write C++ and C# code every day.\n' > "$BATS_TEST_TMPDIR/posts/cpp.txt"
    printf 'The c language, and the letter c.\n' > "$BATS_TEST_TMPDIR/posts/c.txt"
    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q --index "$ix" "$BATS_TEST_TMPDIR/posts"
    run "$TROUVE" search --index "$ix" -l -- C++
    [ "$status" -eq 0 ]
    [ "$output" = "$BATS_TEST_TMPDIR/posts/cpp.txt" ]
    run "$TROUVE" search --index "$ix" --json -- "c#"
    [ "$(first_hit | highlighted)" = "c#" ]
    run "$TROUVE" search --index "$ix" -l -- c
    [ "$output" = "$BATS_TEST_TMPDIR/posts/c.txt" ]
}

@test "stemming: jardins finds jardin, winters cycle finds winter cycling" {
    run "$TROUVE" search --json -- jardins
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/jardin-communautaire.txt" ]
    run "$TROUVE" search --json -- winters cycle
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/winter-cycling.txt" ]
}

@test "Windows-1252 posts are searchable (crème brûlée, euro)" {
    run "$TROUVE" search --json -- creme brulee
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/creme-brulee-cp1252.txt" ]
    [[ "$(first_hit | jq -r .passage)" == *"crème brûlée"* ]]
}

@test "Markdown front matter gives the title; markup is not searchable text" {
    run "$TROUVE" search --json -- treasurer budget
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .title)" = "Board meeting notes / Notes de réunion" ]
    [[ "$(first_hit | jq -r .passage)" != *"**"* ]]
    # the link's address is not text; the link's words are
    run "$TROUVE" search -- example path:"$SEEDS/meeting-notes.md"
    [ "$status" -eq 1 ]
    run "$TROUVE" search -- community garden path:"$SEEDS/meeting-notes.md"
    [ "$status" -eq 0 ]
}

@test "a word only in the front matter's title finds the post, on the title's line" {
    run "$TROUVE" search --json -- réunion
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$SEEDS/meeting-notes.md" ]
    [ "$(first_hit | jq -r .line)" -eq 2 ]
    [ "$(first_hit | highlighted)" = réunion ]
}

@test "phrases, OR and NOT" {
    run "$TROUVE" search --json -- '"reverse mentorship"'
    [ "$status" -eq 0 ]
    run "$TROUVE" search --json -- '"mentorship reverse"'
    [ "$status" -eq 1 ]
    run "$TROUVE" search --json -- jardin OR cycling
    [ "$status" -eq 0 ]
    run "$TROUVE" search --json -- board -mentorship
    [ "$status" -eq 0 ]
    [[ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort -u)" != *reverse-mentorship* ]]
}

@test "punctuation in queries is never an error" {
    for q in "l'été" "don't" "e-mail" "C++" "20:39" 'board "' '( board' 'board )' 'AND board' 'board AND' 'OR board' '((board' 'a*b' 'NOT' 'board -' '"board' 'lang:xx board' 'path: board'; do
        run --separate-stderr "$TROUVE" search -- "$q"
        [ "$status" -le 1 ] || { echo "query <$q> gave $status: $stderr"; false; }
    done
}

# What the man page says of operators out of place.  jardin's posts lack
# the word "not", both cycling ones have it.
@test "a trailing NOT is the word not, NOT NOT excludes it, a lone OR is ignored" {
    count() { "$TROUVE" search -c -- "$1" || true; }
    [ "$(count jardin)" -gt 0 ] && [ "$(count cycling)" -gt 0 ]
    [ "$(count 'jardin not')" -eq 0 ]
    [ "$(count 'jardin NOT')" -eq 0 ]
    [ "$(count 'cycling -not')" -eq 0 ]
    [ "$(count 'cycling NOT NOT')" -eq 0 ]
    [ "$(count 'jardin NOT NOT')" -eq "$(count jardin)" ]
    [ "$(count 'jardin OR')" -eq "$(count jardin)" ]
    [ "$(count 'OR jardin')" -eq "$(count jardin)" ]
    [ "$(count NOT)" -eq "$(count not)" ]
    for q in 'NOT jardin' -jardin 'NOT NOT'; do
        run "$TROUVE" search -- "$q"
        [ "$status" -eq 2 ] || { echo "query <$q> gave $status"; false; }
    done
}

@test "a query with no words is a one-line error, exit 2" {
    run --separate-stderr "$TROUVE" search -- '!!!'
    [ "$status" -eq 2 ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ "$stderr" == "trouve: cannot search '!!!': "* ]]
}

@test "a query that is not UTF-8 (a Latin-1 terminal) is read as a Latin-1 post is: the hits of the UTF-8 query" {
    hits() {
        "$TROUVE" search --json --no-suggest -n 20 -- "$@" |
            jq -c 'select(.type == "hit") | [.path, .line, .score, .snippet]'
    }
    utf8=$(hits café crème)
    [ -n "$utf8" ]
    [ "$(hits "$(printf 'caf\xe9')" "$(printf 'cr\xe8me')")" = "$utf8" ]
    # Latin-1 guillemets make a phrase, as « » do
    [ "$(hits "$(printf '\xabcr\xe8me br\xfbl\xe9e\xbb')")" = "$(hits '«crème brûlée»')" ]
    # "did you mean" is UTF-8
    run --separate-stderr "$TROUVE" search -- "$(printf 'cr\xe8me jardinz')"
    [ "$status" -eq 1 ]
    [ "$stderr" = "trouve: did you mean 'crème jardin'?" ]
    # path: stays bytes, as file names are: a Latin-1 folder is found
    folder=$BATS_TEST_TMPDIR/$(printf 'caf\xe9')
    mkdir -p "$folder" "$BATS_TEST_TMPDIR/other"
    echo "Un kangourou." > "$folder/a.txt"
    echo "Un autre kangourou." > "$BATS_TEST_TMPDIR/other/b.txt"
    "$TROUVE" index -q --index "$BATS_TEST_TMPDIR/index" "$folder" "$BATS_TEST_TMPDIR/other"
    run "$TROUVE" search -l --index "$BATS_TEST_TMPDIR/index" -- kangourou "path:$folder"
    [ "$output" = "$folder/a.txt" ]
}

@test "bad options are errors with exit 2" {
    run "$TROUVE" search --lang de -- board
    [ "$status" -eq 2 ]
    run "$TROUVE" search -n many -- board
    [ "$status" -eq 2 ]
    run "$TROUVE" search --bogus -- board
    [ "$status" -eq 2 ]
    run "$TROUVE" search
    [ "$status" -eq 2 ]
    # a snippet of no words: named with its range, not taken as 1
    run --separate-stderr "$TROUVE" search --snippet-words 0 -- board
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$stderr" = "trouve: option '--snippet-words' wants at least 1 (a snippet holds a word at least), not '0'" ]
}

@test "writing to a full device is an error, exit 2" {
    run bash -c "'$TROUVE' search --any -n 50 -- board mentorat > /dev/full"
    [ "$status" -eq 2 ]
    [[ "$output" == "trouve: cannot write output: No space left on device" ]]
}

@test "a reader that goes away early stops the output quietly" {
    run bash -c "'$TROUVE' search --any -n 50 -- board mentorat | head -n 1"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
}
