#!/usr/bin/env bats
# trouve search: ranking, the query language, highlights, --explain and
# "did you mean", end to end, on a small bilingual corpus made here.

load helper

# small_index NAME FILE TEXT [FILE TEXT...]: posts FILE holding TEXT
# (printf's %b: \n is a line break) in $BATS_TEST_TMPDIR/NAME, indexed
# into its folder ix; sets p to the posts' folder.
small_index() {
    p=$BATS_TEST_TMPDIR/$1
    shift
    mkdir -p "$p"
    while [ $# -ge 2 ]; do
        printf '%b' "$2" > "$p/$1"
        shift 2
    done
    "$TROUVE" index -q --index "$p/ix" "$p"
}

# part NAME FILE: the part NAME of the score of FILE's hit, in the
# --explain output in $output.
part() {
    awk -v name="$1 " -v file="$2" '
        /^[^ ]/ { mine = index($0, file) > 0 }
        mine && /\| score/ { s = substr($0, index($0, "| score")); s = substr(s, index(s, name) + length(name)); split(s, w, /[ )]/); print w[1]; exit }' <<<"$output"
}

setup_file() {
    export TROUVE_INDEX=$BATS_FILE_TMPDIR/index
    P=$BATS_FILE_TMPDIR/posts
    mkdir -p "$P/voyage" "$P/garden" "$P/tools"
    cat > "$P/voyage/avion.txt" <<'EOF'
Voyage en avion

Nous prenons l’avion demain matin. La Clé USB est dans le sac, avec la carte
inversée du métro.

Version anglaise

We take the plane tomorrow morning.
EOF
    cat > "$P/garden/jardin.txt" <<'EOF'
Le jardin partagé

Un jardin au printemps, des légumes et des fleurs. Le comité consultatif du
quartier se réunit chaque mois pour parler du jardin.
EOF
    # Known item: what the post is about is said in its first passages; the
    # other post only mentions the same words in passing, late.
    cat > "$P/tools/rsync.txt" <<'EOF'
RSYNC

Synchronize files between two directories, locally or over the network.

Options are described below.

Exit values are zero on success.
EOF
    {
        echo "NOTES"
        echo
        for i in $(seq 1 12); do
            echo "Paragraph $i of notes about unrelated matters, meetings and plans."
            echo
        done
        echo "Sometimes we synchronize directories by hand, with files copied over."
    } > "$P/tools/notes.txt"
    # Many words sharing a prefix, for the prefix cap.
    for i in $(seq 1000 2100); do printf 'zqx%d ' "$i"; done > "$P/tools/many.txt"
    "$TROUVE" index -q "$P"
}

@test "highlights mark exactly the matched characters: avion in l’avion, cle in Clé, inversee in inversée" {
    run "$TROUVE" search --json -- avion cle inversee
    [ "$status" -eq 0 ]
    hit=$(first_hit)
    [ "$(highlighted <<<"$hit")" = "avion,clé,inversée" ]
    # the elided article is not highlighted: the span starts at "avion"
    python3 -c '
import json, sys
h = json.loads(sys.argv[1]); s = h["snippet"].encode()
spans = [s[a:b].decode() for a, b in h["highlights"]]
assert "avion" in spans and not any("l’" in x for x in spans), spans
' "$hit"
}

@test "a stem match highlights the word in the text: jardins highlights jardin" {
    run "$TROUVE" search --json -- jardins
    [ "$status" -eq 0 ]
    [ "$(first_hit | highlighted)" = "jardin" ]
}

@test "snippets are about --snippet-words long, cut with … where text was left out" {
    run "$TROUVE" search --json --snippet-words 4 -- comité
    [ "$status" -eq 0 ]
    snippet=$(first_hit | jq -r .snippet)
    [[ "$snippet" == …* ]]
    [[ "$snippet" == *… ]]
    [[ "$snippet" == *comité* ]]
    words=$(wc -w <<<"${snippet//…/ }")
    [ "$words" -le 5 ]
}

@test "the post about the query comes first: lead passages count" {
    run "$TROUVE" search --json --any --per-post 1 -- synchronize files and directories
    [ "$status" -eq 0 ]
    [[ "$(first_hit | jq -r .path)" == */tools/rsync.txt ]]
}

@test "--per-post 1 gives one passage per post" {
    run "$TROUVE" search --json --any --per-post 1 -n 20 -- jardin avion files
    [ "$status" -eq 0 ]
    paths=$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path')
    [ "$(sort <<<"$paths" | uniq -d)" = "" ]
}

@test "--explain tells how each word matched and the parts of the score" {
    run "$TROUVE" search --explain --color never -- inversee jardin
    [ "$status" -eq 1 ] # not in one post: all words must match
    run "$TROUVE" search --explain --color never -- "inversée" avion
    [ "$status" -eq 0 ]
    [[ "$output" == *"inversée: inversée (exact)"* ]]
    [[ "$output" == *"avion: avion (exact)"* ]]
    [[ "$output" == *"score "*" = (passage "*" + other passages "*" + near "*" + post "*" + xapian "*") x exact "* ]]
    run "$TROUVE" search --explain --color never -- jardins
    [[ "$output" == *"jardins: jardin (english stem, french stem, first 5 letters)"* ]]
    run "$TROUVE" search --explain --color never -- inversee
    [[ "$output" == *"inversee: inversee (folded)"* ]]
    run "$TROUVE" search --json --explain -- avion
    [ "$status" -eq 0 ]
    [[ "$(first_hit | jq -r .explain)" == "avion: avion (exact)"* ]]
    # without --explain, no explanation
    run "$TROUVE" search --json -- avion
    [ "$(first_hit | jq -r .explain)" = null ]
}

@test "did you mean: a misspelt word, with the accents of the text" {
    run "$TROUVE" search --json -- comite consultatf
    [ "$status" -eq 1 ]
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = "comité consultatif" ]
    run "$TROUVE" search --json -- synchronise directoires
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = "synchronize directories" ]
    # the rest of the query is kept as typed
    run "$TROUVE" search --json -- '"comite consultatf" -avion'
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = '"comité consultatif" -avion' ]
    # on stderr for people
    run "$TROUVE" search -- comite consultatf
    [ "$status" -eq 1 ]
    [[ "$output" == *"comité consultatif"* ]]
}

@test "did you mean: none when something matched, nothing is close, or --no-suggest" {
    run "$TROUVE" search --json -- jardin
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = null ]
    run "$TROUVE" search --json -- qwxzvbn
    [ "$status" -eq 1 ]
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = null ]
    run "$TROUVE" search --json --no-suggest -- comite consultatf
    [ "$status" -eq 1 ]
    [ "$(jq -r 'select(.type == "summary") | .suggestion' <<<"$output")" = null ]
}

@test "--any keeps NOT: an excluded word stays excluded" {
    run "$TROUVE" search --json --any -- jardin avion -printemps
    [ "$status" -eq 0 ]
    paths=$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path')
    [[ "$paths" == *avion.txt* ]]
    [[ "$paths" != *jardin.txt* ]]
}

@test "--any with one word searches as without it: the same hits" {
    # 150 posts, half of them with "lantern": more than the posts Xapian
    # hands the ranker when every word must match (--any with two words
    # or more takes more, and used to for one word too).
    p=$BATS_TEST_TMPDIR
    mkdir -p "$p/posts"
    python3 - "$p/posts" <<'EOF'
import random, sys
random.seed(7)
words = ("river stone cloud garden window letter market bridge candle "
         "winter summer forest paper silver orange harbor pencil ladder "
         "mirror basket").split()
for i in range(150):
    paras = []
    for _ in range(random.randint(2, 8)):
        ws = [random.choice(words) for _ in range(random.randint(5, 60))]
        if random.random() < 0.5:
            for _ in range(random.randint(1, 4)):
                ws.insert(random.randrange(len(ws) + 1), "lantern")
        paras.append(" ".join(ws) + ".")
    with open("%s/post%03d.txt" % (sys.argv[1], i), "w") as f:
        f.write("Post %d\n\n%s\n" % (i, "\n\n".join(paras)))
EOF
    "$TROUVE" index -q --index "$p/ix" "$p/posts"
    run "$TROUVE" search --index "$p/ix" --json -n 20 -- lantern
    [ "$status" -eq 0 ]
    plain=$(jq -c 'select(.type == "hit")' <<<"$output")
    [ "$(wc -l <<<"$plain")" -eq 20 ]
    run "$TROUVE" search --index "$p/ix" --json -n 20 --any -- lantern
    [ "$status" -eq 0 ]
    [ "$(jq -c 'select(.type == "hit")' <<<"$output")" = "$plain" ]
}

@test "a passage holding a word that shares the query word's hash is no hit" {
    # "except" and "h" share a where_hash (test_store.c), and the word
    # table of a post keys words by that hash: the passage with "-h"
    # seemed to hold "except", and came first, with nothing highlighted.
    small_index hash tool.txt 'Usage\n\n-h, --help  Display help text and exit.\n\nEvery option works except on Sundays.\n'
    run "$TROUVE" search --index "$p/ix" --json -- except
    [ "$status" -eq 0 ]
    [ "$(jq -c 'select(.type == "hit") | [.line, .highlights]' <<<"$output")" = '[5,[[19,25]]]' ]
    run "$TROUVE" search --index "$p/ix" -c -- except
    [ "$output" = 1 ]
    # both words: each passage holds one of them, scored for that one
    run "$TROUVE" search --index "$p/ix" --explain -- except h
    [ "$status" -eq 0 ]
    [[ "$output" == *"except: not in this passage"*"h: h (exact)"* ]]
    [[ "$output" == *"except: except (exact)"*"h: not in this passage"* ]]
}

@test "pages of --offset and -n hold every hit once" {
    # One post of 300 paragraphs: the text's bonuses went to the best
    # offset + limit + 5 passages, so each page ranked differently, and
    # of 295 hits 126 came twice and 126 never.
    p=$BATS_TEST_TMPDIR
    mkdir -p "$p/posts"
    python3 - "$p/posts/long.txt" <<'EOF'
import random, sys
random.seed(1)
w = ("jardin bicycle hiver winter garden été inversé mentorat budget "
     "comité the le la les and et de").split()
with open(sys.argv[1], "w") as f:
    for _ in range(300):
        f.write(" ".join(random.choice(w)
                         for _ in range(random.randint(5, 120))) + ".\n\n")
EOF
    "$TROUVE" index -q --index "$p/ix" "$p/posts"
    all=$("$TROUVE" search --index "$p/ix" --json -n 1000 -- jardin OR hiver |
          jq -r 'select(.type == "hit") | .line' | sort -n)
    paged=""
    for offset in $(seq 0 10 400); do
        page=$("$TROUVE" search --index "$p/ix" --json --offset "$offset" -n 10 -- jardin OR hiver |
               jq -r 'select(.type == "hit") | .line')
        [ -n "$page" ] || break
        paged+="$page"$'\n'
    done
    [ "$(wc -l <<<"$all")" -gt 200 ]
    [ "$(sort -n <<<"${paged%$'\n'}")" = "$all" ]
}

@test "-(group) and -\"phrase\" exclude" {
    run "$TROUVE" search --json --any -- jardin avion '-(printemps légumes)'
    [ "$status" -eq 0 ]
    [[ "$output" != *jardin.txt* ]]
    run "$TROUVE" search --json --any -- jardin avion '-"jardin au printemps"'
    [ "$status" -eq 0 ]
    [[ "$output" != *jardin.txt* ]]
    [[ "$output" == *avion.txt* ]]
}

@test "-\"phrase\" drops only the posts that have the phrase, not those with its words apart" {
    # the post has both words, never "printemps jardin" in a row: kept
    run "$TROUVE" search --json -- printemps '-"printemps jardin"'
    [ "$status" -eq 0 ]
    [[ "$output" == *jardin.txt* ]]
    run "$TROUVE" search --json -- printemps '-"au printemps"'
    [ "$status" -eq 1 ]
}

@test "phrases are checked in the text, accents aside" {
    run "$TROUVE" search --json -- '"carte inversee"'
    [ "$status" -eq 0 ]
    [[ "$(first_hit | jq -r .path)" == *avion.txt ]]
    run "$TROUVE" search --json -- '"inversee carte"'
    [ "$status" -eq 1 ]
}

@test "lang: and path: restrict the hits" {
    run "$TROUVE" search --json -- plane lang:fr
    [ "$status" -eq 1 ]
    run "$TROUVE" search --json -- plane lang:en
    [ "$status" -eq 0 ]
    run "$TROUVE" search --json --any -- "path:$BATS_FILE_TMPDIR/posts/garden" jardin avion
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | sort -u)" = "$BATS_FILE_TMPDIR/posts/garden/jardin.txt" ]
    run "$TROUVE" search --json -- "path:$BATS_FILE_TMPDIR/posts/voyage/avion.txt" avion
    [ "$status" -eq 0 ]
}

@test "path: through a symbolic link finds the posts under the folder it names" {
    ln -s "$BATS_FILE_TMPDIR/posts/garden" "$BATS_TEST_TMPDIR/potager"
    run "$TROUVE" search -l --any -- "path:$BATS_TEST_TMPDIR/potager" jardin avion
    [ "$output" = "$BATS_FILE_TMPDIR/posts/garden/jardin.txt" ]
    # a post stored under a link's own path (--follow) is found by it too
    mkdir -p "$BATS_TEST_TMPDIR/linked/a"
    small_index linked a/note.txt 'carambole\n'
    ln -s a "$p/b"
    "$TROUVE" index -q --follow --index "$p/ix" "$p"
    run "$TROUVE" search -l --index "$p/ix" -- carambole "path:$p/b"
    [ "$(sort <<<"$output")" = "$(printf '%s\n' "$p/a/note.txt" "$p/b/note.txt")" ]
}

@test "a prefix past the cap is a clear error, exit 2" {
    run "$TROUVE" search -- 'zqx*'
    [ "$status" -eq 2 ]
    [[ "$output" == *"'zqx*' matches more than 1000 words"* ]]
    run "$TROUVE" search -- 'zqx10*'
    [ "$status" -eq 0 ]
}

@test "ordinary punctuation is never an error" {
    for q in "l'avion" "l’avion" "don't" "e-mail" "C++" "20:39" '"' '(' ')' 'jardin )' '( jardin' 'a"b' 'jardin OR' 'NOT'; do
        run "$TROUVE" search -- "$q"
        # a query with no word at all is the one error allowed
        [ "$status" -le 1 ] || [[ "$output" == *"no word to search for"* ]]
    done
}

@test "an exact form counts more than an accent-folded one" {
    # Two passages alike but for the accent: typed with it, the query puts
    # the accented one first; typed without, neither gets the bonus.
    small_index exact \
        a.txt 'Le grand tableau inverse les colonnes du rapport annuel.\n' \
        b.txt 'Le grand tableau inversé les colonnes du rapport annuel.\n'
    run "$TROUVE" search --index "$p/ix" --json -- inversé
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$p/b.txt" ]
    a=$(jq -r 'select(.type=="hit" and (.path|endswith("a.txt"))) | .score' <<<"$output")
    b=$(jq -r 'select(.type=="hit" and (.path|endswith("b.txt"))) | .score' <<<"$output")
    awk -v a="$a" -v b="$b" 'BEGIN { exit !(b > a) }'
    run "$TROUVE" search --index "$p/ix" --json -- inverse
    [ "$(jq -r 'select(.type=="hit") | .score' <<<"$output" | sort -u | wc -l)" -eq 1 ]
    run "$TROUVE" search --index "$p/ix" --explain --color never -- inversé
    [[ "$output" == *"inversé (exact)"*"x exact 1.0"[1-9]* ]]
    [[ "$output" == *"inverse (folded)"*"x exact 1.00"* ]]
}

@test "a word that only shares a query word's first letters is weak evidence, for --any only, not highlighted" {
    # `suppression` and `supprimer` have different French stems.
    small_index trunc \
        a.txt 'Pour supprimer un compte, lancez la commande.\n' \
        b.txt 'Le compte reste actif ce mois-ci.\n'
    # every word must match: the first letters do not make a match
    run "$TROUVE" search --index "$p/ix" --json -- suppression compte
    [ "$status" -eq 1 ]
    run "$TROUVE" search --index "$p/ix" --json --any -- suppression compte
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$p/a.txt" ]
    [ "$(first_hit | highlighted)" = "compte" ]
    run "$TROUVE" search --index "$p/ix" --explain --color never --any -- suppression compte
    [[ "$output" == *"suppression: supprimer (first 5 letters) x0.15"* ]]
    # a word of five letters or fewer is not truncated
    run "$TROUVE" search --index "$p/ix" --json --any -- suppr
    [ "$status" -eq 1 ]
}

@test "query words close together count more" {
    # The same words, as often, in passages as long: only their distance
    # differs.
    small_index near \
        near.txt 'Le mot de passe du serveur change chaque nuit sans faute ici.\n' \
        far.txt 'Le mot du serveur change chaque nuit, passe sans faute ici.\n'
    run "$TROUVE" search --index "$p/ix" --json -- mot passe
    [ "$status" -eq 0 ]
    [ "$(first_hit | jq -r .path)" = "$p/near.txt" ]
    run "$TROUVE" search --index "$p/ix" --explain --color never -- mot passe
    [ "$(part near near.txt)" != 0.0000 ]
    [ "$(part near far.txt)" = 0.0000 ]
}

@test "a post that answers in several passages counts more" {
    small_index others \
        one.txt 'Tulipes rouges au jardin.\n\nAutre chose.\n' \
        two.txt 'Tulipes rouges au jardin.\n\nLes tulipes rouges fleurissent.\n'
    run "$TROUVE" search --index "$p/ix" --explain --color never --per-post 1 -- tulipes rouges
    [ "$status" -eq 0 ]
    [ "$(part "other passages" two.txt)" != 0.0000 ]
    [ "$(part "other passages" one.txt)" = 0.0000 ]
    [[ "$(head -n 1 <<<"$output")" == *two.txt:1* ]]
}

@test "a word typed without accents finds the forms its accented spelling would: donnees finds donnée" {
    # The stemmers see accents: `données` and `donnees` stem apart, and so
    # do `dernière` and `dernieres`.
    small_index unaccented \
        a.txt 'Chaque donnée est vérifiée avant la copie.\n' \
        b.txt 'La dernière version est prête.\n'
    for q in données donnees dernières dernieres vérifiées verifiees; do
        run "$TROUVE" search --index "$p/ix" --json -- "$q"
        [ "$status" -eq 0 ] || { echo "no hit for $q"; false; }
    done
    run "$TROUVE" search --index "$p/ix" --json -- donnees
    [ "$(first_hit | highlighted)" = "donnée" ]
}
