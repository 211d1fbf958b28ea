#!/usr/bin/env bats
# Formats and encodings of posts, what the walk leaves out (.trouveignore,
# symbolic links), and very large posts read in parts.

load helper
load reliability_helper

setup() {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    posts=$BATS_TEST_TMPDIR/posts
    mkdir -p "$posts"
}

# The paths of the hits for a query, sorted, relative to $posts.
hit_paths() {
    "$TROUVE" search --json -n 100 -- "$@" |
        jq -r 'select(.type=="hit") | .path' | sed "s|^$posts/||" | sort -u
}

@test "txt, md, html, htm, and the same gzipped: all searchable, markup not" {
    printf 'Plain caravelle text\n' > "$posts/a.txt"
    printf -- '---\ntitle: "Le titre du billet"\nlang: fr\ndate: 2024-05-01\n---\n# Caravelle\n\nUne **caravelle** [lien](http://example.org/zorglub).\n' > "$posts/b.md"
    printf '<html lang="fr"><head><title>Titre HTML</title><style>.zorglub{}</style><script>var zorglub = 1;</script></head><body><p>La caravelle d&eacute;colle &amp; l&#8217;&eacute;t&eacute;.</p></body></html>\n' > "$posts/c.html"
    printf '<p>Caravelle htm</p>\n' > "$posts/d.htm"
    for f in a.txt b.md c.html d.htm; do gzip -c "$posts/$f" > "$posts/gz-$f.gz"; done
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .added <<<"$output")" -eq 8 ]
    [ "$(hit_paths caravelle | wc -l)" -eq 8 ]
    # markup, scripts, styles and link targets are not text
    run "$TROUVE" search -- zorglub
    [ "$status" -eq 1 ]
    # entities decoded: été, l’été
    [ "$(hit_paths ete)" = "$(printf 'c.html\ngz-c.html.gz')" ]
    # titles from front matter and <title>; languages from lang
    run "$TROUVE" search --json -- caravelle lien
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .title' | sort -u)" = "Le titre du billet" ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .lang' | sort -u)" = "fr" ]
    run "$TROUVE" search --json -- decolle
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .title' | sort -u)" = "Titre HTML" ]
    # the Markdown hit points at its line in the file: the post's one
    # passage opens with its title, on the front matter's title line
    run "$TROUVE" search --json -- lien
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit" and (.path|endswith("b.md"))) | .line')" -eq 2 ]
}

@test "a title from markup is the post's first passage: found, on its line, highlighted" {
    mkdir "$posts/ti"
    printf -- '---\ntitle: Xylophage report\n---\n\nBody text about insects.\n' > "$posts/ti/a.md"
    printf '<html><head><title>Quokka page</title></head><body><p>Body.</p></body></html>' > "$posts/ti/b.html"
    # an <h1> repeating the <title>: its words once, the passage on the h1
    printf '<html>\n<head>\n<title>Wombat notes</title>\n</head>\n<body>\n<h1>Wombat notes</h1>\n<p>Body.</p>\n</body>\n</html>\n' > "$posts/ti/c.html"
    "$TROUVE" index -q "$posts/ti"
    run "$TROUVE" search -c -- xylophage
    [ "$output" = 1 ]
    run "$TROUVE" search -c -- quokka
    [ "$output" = 1 ]
    run "$TROUVE" search --color=never --highlight '[' ']' -- xylophage
    [[ "${lines[0]}" == "$posts/ti/a.md:2 "* ]]
    [[ "${lines[1]}" == *"[Xylophage] report Body text"* ]]
    run "$TROUVE" search --json -- xylophage
    [ "$(first_hit | jq -r '.path | sub(".*/"; "")'):$(first_hit | jq -r .line)" = "a.md:2" ]
    [ "$(first_hit | jq -r .title)" = "Xylophage report" ]
    [ "$(first_hit | highlighted)" = xylophage ]
    run "$TROUVE" search --json -- quokka
    [ "$(first_hit | jq -r '.path | sub(".*/"; "")'):$(first_hit | jq -r .line)" = "b.html:1" ]
    [ "$(first_hit | jq -r .title)" = "Quokka page" ]
    [ "$(first_hit | highlighted)" = quokka ]
    run "$TROUVE" search --json -- wombat
    [ "$(first_hit | jq -r '.path | sub(".*/"; "")'):$(first_hit | jq -r .line)" = "c.html:6" ]
    [ "$(first_hit | jq -r .passage)" = "$(printf 'Wombat notes\n\nBody.')" ]
}

@test "a bilingual post whose English half is short: what comes before 'Version française' is English" {
    printf '# Garden notes\n\nWe planted tomatoes in May.\n\nThe soil is good.\n\n## Version fran\xc3\xa7aise\n\nNous avons plant\xc3\xa9 des tomates en mai.\n\nLe sol est bon et la r\xc3\xa9colte sera belle cette ann\xc3\xa9e.\n' > "$posts/jardin.md"
    "$TROUVE" index -q "$posts"
    run "$TROUVE" search --json -n 10 --any -- tomatoes soil tomates sol
    [ "$(jq -r 'select(.type=="hit") | "\(.line) \(.lang)"' <<<"$output" | sort -n | tr '\n' ' ')" = "1 en 5 en 7 fr 11 fr " ]
    run "$TROUVE" search -c --lang en -- soil
    [ "$output" -eq 1 ]
}

@test "UTF-8 with and without BOM, UTF-16 LE and BE with BOM, Windows-1252, Latin-1" {
    printf 'crème brûlée utf8\n' > "$posts/utf8.txt"
    printf '\357\273\277crème brûlée bom\n' > "$posts/bom.txt"
    printf '\377\376' > "$posts/le.txt"; printf 'crème brûlée le\n' | iconv -t UTF-16LE >> "$posts/le.txt"
    printf '\376\377' > "$posts/be.txt"; printf 'crème brûlée be\n' | iconv -t UTF-16BE >> "$posts/be.txt"
    printf 'cr\350me br\373l\351e \200 cp1252\n' > "$posts/cp1252.txt"
    printf 'cr\350me br\373l\351e latin1\n' > "$posts/latin1.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .added <<<"$output")" -eq 6 ]
    [ "$(hit_paths "crème brûlée" | wc -l)" -eq 6 ]
    [ "$(hit_paths creme brulee | wc -l)" -eq 6 ]
    run "$TROUVE" search --json -- cp1252
    printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .passage' | grep -q 'crème brûlée €'
}

@test "binary files are skipped (NUL sniffing), not counted as errors" {
    printf 'text\0with nul\n' > "$posts/nul.txt"
    printf 'good caravelle\n' > "$posts/good.txt"
    run --separate-stderr "$TROUVE" index -v "$posts"
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"skipped '$posts/nul.txt': binary"* ]]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 1 ]
}

@test ".trouveignore: globs, **, anchors, folders, negation, comments, in any folder" {
    mkdir -p "$posts/drafts" "$posts/sub/drafts" "$posts/notes/old" "$posts/a/b/c" "$posts/keep"
    for f in top.txt x.log.txt drafts/d.txt sub/drafts/s.txt notes/old/o.txt \
             a/b/c/deep.tmp.txt keep/k1.txt keep/k2.txt sub/local.txt sub/other.txt \
             sub/z.log.txt; do
        echo "Quetzalcoatl $f" > "$posts/$f"
    done
    cat > "$posts/.trouveignore" <<'EOF'
# comments and blank lines are nothing

*.log.txt
/drafts/
notes/old
**/*.tmp.txt
keep/*
!keep/k2.txt
EOF
    printf 'local.txt\n' > "$posts/sub/.trouveignore"
    run --separate-stderr "$TROUVE" index -v --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(hit_paths quetzalcoatl)" = "$(printf 'keep/k2.txt\nsub/drafts/s.txt\nsub/other.txt\ntop.txt')" ]
    [ "$(jq -r .skipped_by.ignored <<<"$output")" -eq 7 ]
    [[ "$stderr" == *"skipped '$posts/drafts': ignored"* ]]
    # a folder below given alone: the patterns above it still apply
    run "$TROUVE" index --json "$posts/sub"
    [ "$(jq -c '[.added, .removed, .skipped_by.ignored]' <<<"$output")" = "[0,0,2]" ]
    # an ignore file changed: what it now leaves out is removed
    echo 'top.txt' >> "$posts/.trouveignore"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .removed <<<"$output")" -eq 1 ]
}

@test ".trouveignore with a UTF-8 byte order mark: its first pattern applies" {
    echo "Quetzalcoatl bom" > "$posts/bom.txt"
    echo "Quetzalcoatl kept" > "$posts/kept.txt"
    printf '\xef\xbb\xbfbom.txt\n' > "$posts/.trouveignore"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .skipped_by.ignored <<<"$output")" -eq 1 ]
    [ "$(hit_paths quetzalcoatl)" = "kept.txt" ]
}

@test "symbolic links: not followed by default; --follow inside the root only, loops cut" {
    mkdir -p "$posts/real" "$BATS_TEST_TMPDIR/outside"
    echo "Popocatepetl real" > "$posts/real/a.txt"
    echo "Popocatepetl outside" > "$BATS_TEST_TMPDIR/outside/b.txt"
    ln -s real "$posts/inside-link"
    ln -s "$BATS_TEST_TMPDIR/outside" "$posts/outside-link"
    ln -s ../.. "$posts/real/loop"
    run --separate-stderr timeout 30 "$TROUVE" index -v "$posts"
    [ "$status" -eq 0 ]
    [ "$(hit_paths popocatepetl)" = "real/a.txt" ]
    [[ "$stderr" == *"skipped '$posts/inside-link': symbolic link"* ]]
    run --separate-stderr timeout 30 "$TROUVE" index -v --follow "$posts"
    [ "$status" -eq 0 ]
    [ "$(hit_paths popocatepetl)" = "$(printf 'inside-link/a.txt\nreal/a.txt')" ]
    [[ "$stderr" == *"skipped '$posts/outside-link': symbolic link, points out of the root"* ]]
    [[ "$stderr" == *"loop"* ]]
}

@test "a large post is read in parts: every part searchable, lines absolute, memory bounded" {
    # 12 MB of 150,000 lines; a word only on line 123456, another at the
    # end (each a paragraph of its own, so its passage starts there)
    python3 - "$posts/large.txt" "$SEEDS/reverse-mentorship.txt" <<'EOF'
import random, sys
random.seed(3)
words = open(sys.argv[2]).read().split()
with open(sys.argv[1], 'w') as f:
    for i in range(1, 150001):
        line = ' '.join(random.choice(words) for _ in range(12))
        if i == 123456:   # a paragraph of its own: its passage's line
            line = 'xylophone ' + line
        if i in (123455, 123457):
            line = ''
        f.write(line + '\n')
    f.write('\nzeppelin at the end\n')
EOF
    [ "$(stat -c %s "$posts/large.txt")" -gt 10000000 ]
    run --separate-stderr /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 1 ]
    under_sanitizer || [ "$(tail -n 1 "$BATS_TEST_TMPDIR/rss")" -lt 204800 ]
    run "$TROUVE" search --json -- xylophone
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .line')" -eq 123456 ]
    run "$TROUVE" search --json -- zeppelin
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .line')" -eq 150002 ]
    # several documents (parts), one post: unchanged as a whole next time
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 1 ]
    # changed: every part replaced, no part left behind
    sed -i '1s/^/changed /' "$posts/large.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .updated <<<"$output")" -eq 1 ]
    run "$TROUVE" search --json -- xylophone
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .line')" -eq 123456 ]
    rm "$posts/large.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .removed <<<"$output")" -eq 1 ]
    run "$TROUVE" search -- zeppelin
    [ "$status" -eq 1 ]
}

@test "a post interrupted between its parts is read again in full" {
    python3 -c "
import sys
with open('$posts/large.txt', 'w') as f:
    for i in range(400000):
        f.write('ligne %d du billet avec des mots\n' % i)
    f.write('\nzeppelin final\n')
"
    # a commit after every part; killed after the first commits
    TROUVE_BATCH_POSTS=1 "$TROUVE" index -q -j 1 "$posts" &
    pid=$!
    for _ in $(seq 1 100); do
        [ -e "$TROUVE_INDEX/XAPIANDB" ] && [ "$("$TROUVE" stats --json 2>/dev/null | jq -r .posts)" -ge 1 ] 2>/dev/null && break
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" || true
    run "$TROUVE" index --json -j 1 "$posts"
    [ "$status" -eq 0 ]
    # either it had finished (unchanged) or it is read again whole
    [ "$(jq -r '.unchanged + .added + .updated' <<<"$output")" -eq 1 ]
    run "$TROUVE" search --json -- zeppelin
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .line')" -eq 400002 ]
}

@test "a 200 MB single-line post: indexed in parts, peak memory under 200 MB (make stress)" {
    [ -n "${TROUVE_STRESS:-}" ] || skip "a long run: make stress"
    python3 - "$posts/one-line.txt" "$SEEDS/reverse-mentorship.txt" <<'PY'
import random, sys
random.seed(11)
words = open(sys.argv[2]).read().split()
n = 0
with open(sys.argv[1], 'w') as f:
    while n < 200 * 1000 * 1000:
        chunk = ' '.join(random.choices(words, k=10000)) + ' '
        f.write(chunk)
        n += len(chunk)
    f.write('zeppelin\n')
PY
    [ "$(wc -l < "$posts/one-line.txt")" -eq 1 ]
    run --separate-stderr /usr/bin/time -f '%M %e' -o "$BATS_TEST_TMPDIR/rss" "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    read -r kib secs < <(tail -n 1 "$BATS_TEST_TMPDIR/rss")
    echo "# 200 MB single line: peak RSS $kib KiB, $secs s" >&3
    under_sanitizer || [ "$kib" -lt 204800 ]
    run "$TROUVE" search --json -- zeppelin
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .line')" -eq 1 ]
}
