#!/usr/bin/env bats
# Hostile content and names: escape sequences in posts and file names,
# invalid UTF-8, huge words and paths, special files, read errors, broken
# and malicious gzip.  Nothing crashes, nothing raw reaches a terminal,
# every JSON line stays valid.

load helper
load reliability_helper

setup() {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    posts=$BATS_TEST_TMPDIR/posts
    mkdir -p "$posts"
}

# The hostile sequences, as printf formats.
OSC_TITLE='\033]0;pwned\007'
OSC_52='\033]52;c;cm0gLXJmIH4K\007'
CSI_CLEAR='\033[2J\033[H'
C1_CSI='\302\23331m'           # U+009B, the one-byte CSI, in UTF-8
BIDI='\342\200\256'             # U+202E RIGHT-TO-LEFT OVERRIDE
ISOLATE='\342\201\246'          # U+2066 LEFT-TO-RIGHT ISOLATE

make_hostile_posts() {
    printf "Zanzibar %b title %b clipboard %b clear\r bare CR %b bell %b c1 %b bidi %b isolate\n" \
        "$OSC_TITLE" "$OSC_52" "$CSI_CLEAR" '\007' '\007' "$C1_CSI" "$BIDI" "$ISOLATE" \
        > "$posts/escapes.txt"
    printf '<html><title>Zanzibar &#27;]0;t&#7;</title><p>Zanzibar &#27;[31mred&#27;[0m &#x9b;2J &#8238;evil &#13;cr</p></html>\n' \
        > "$posts/entities.html"
    printf 'Zanzibar in a hostile name\n' > "$posts/$(printf 'name\033]0;x\007\033[2J\342\200\256.txt')"
    printf 'Zanzibar invalid name\n' > "$posts/$(printf 'bad\377\376name.txt')"
}

# Fails if file $1 holds a byte sequence a terminal would act on, other
# than trouve's own SGR colours (ESC [ digits ; m) when $2 is "colour".
# CR is allowed only before LF (a terminal's own line ends, as `script`
# records them).
no_raw_controls() {
    python3 - "$1" "${2:-}" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
colour = sys.argv[2] == 'colour'
if colour:
    data = re.sub(rb'\x1b\[[0-9;]*m', b'', data)
data = data.replace(b'\r\n', b'\n')
bad = []
for m in re.finditer(rb'[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|'
                     rb'\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|'
                     rb'\xe2\x80[\x8e\x8f]|\xd8\x9c', data):
    bad.append((m.start(), m.group()))
if bad:
    print('raw control bytes:', bad[:5])
    sys.exit(1)
try:
    data.decode('utf-8')
except UnicodeDecodeError as e:
    print('not UTF-8:', e)
    sys.exit(1)
EOF
}

@test "escape sequences in posts and names never reach a pipe raw" {
    make_hostile_posts
    run --separate-stderr "$TROUVE" index -v "$posts"
    [ "$status" -eq 0 ]
    printf '%s' "$stderr" > "$BATS_TEST_TMPDIR/err"
    no_raw_controls "$BATS_TEST_TMPDIR/err"
    "$TROUVE" search -n 20 -- zanzibar > "$BATS_TEST_TMPDIR/out"
    [ "$(grep -c . "$BATS_TEST_TMPDIR/out")" -ge 4 ]
    no_raw_controls "$BATS_TEST_TMPDIR/out"
    # shown, not acted on: caret notation and <U+...>
    grep -q '\^\[\]0;pwned\^G' "$BATS_TEST_TMPDIR/out"
    grep -q '<U+202E>' "$BATS_TEST_TMPDIR/out"
    # --color always: our colours only
    "$TROUVE" search --color always -n 20 -- zanzibar > "$BATS_TEST_TMPDIR/out"
    grep -q $'\e\\[' "$BATS_TEST_TMPDIR/out"
    no_raw_controls "$BATS_TEST_TMPDIR/out" colour
}

@test "on a terminal: only trouve's own colours, nothing else raw" {
    make_hostile_posts
    "$TROUVE" index -q "$posts"
    script -qec "'$TROUVE' search -n 20 -- zanzibar" /dev/null < /dev/null > "$BATS_TEST_TMPDIR/tty"
    grep -q $'\e\\[' "$BATS_TEST_TMPDIR/tty"          # colours on a terminal
    no_raw_controls "$BATS_TEST_TMPDIR/tty" colour
    NO_COLOR=1 script -qec "'$TROUVE' search -n 20 -- zanzibar" /dev/null < /dev/null > "$BATS_TEST_TMPDIR/tty"
    ! grep -q $'\e' "$BATS_TEST_TMPDIR/tty"
    # messages on a terminal too
    script -qec "'$TROUVE' index -v --force '$posts' > /dev/null" /dev/null < /dev/null > "$BATS_TEST_TMPDIR/tty"
    no_raw_controls "$BATS_TEST_TMPDIR/tty" colour
}

@test "JSON: controls escaped, invalid UTF-8 as base64 bytes, every line valid" {
    make_hostile_posts
    "$TROUVE" index -q "$posts"
    run --separate-stderr "$TROUVE" search --json -n 20 -- zanzibar
    [ "$status" -eq 0 ]
    all_json
    printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
    no_raw_controls "$BATS_TEST_TMPDIR/out"
    # the escapes are kept, losslessly, as JSON escapes
    printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .passage' | grep -q $'\e]0;pwned\a'
    # the name that is not UTF-8 comes as bytes, which decode to it
    want=$(printf '%s/bad\377\376name.txt' "$posts" | base64 -w0)
    printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .path | objects | .bytes' | grep -qx "$want"
    # text paths are plain strings
    printf '%s\n' "$output" | jq -s -e '[.[] | select(.type=="hit") | .path | strings] | length >= 3' > /dev/null
}

@test "overlong UTF-8, surrogates, NUL bytes, a 10 KB word: indexed, never a crash" {
    # NUL past the 8 KiB the binary sniff looks at
    { head -c 9000 /dev/zero | tr '\0' ' '; printf 'tombouctou \0 nul\n'; } > "$posts/nul.txt"
    printf 'tombouctou overlong \300\257 \340\200\257 surrogate \355\240\200 big \364\220\200\200\n' > "$posts/bad-utf8.txt"
    { printf 'tombouctou '; head -c 10240 /dev/zero | tr '\0' 'a'; printf ' fin\n'; } > "$posts/long-word.txt"
    run --separate-stderr "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 3 ]
    run --separate-stderr "$TROUVE" search --json -n 10 -- tombouctou
    [ "$status" -eq 0 ]
    all_json
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .path' | sort -u | wc -l)" -eq 3 ]
    # the long word is not a term, its neighbours are
    run "$TROUVE" search -- fin
    [ "$status" -eq 0 ]
    run "$TROUVE" search -- "$(head -c 10240 /dev/zero | tr '\0' 'a')"
    [ "$status" -le 2 ]
}

@test "a 4,000-byte path: indexed, found, its path given back whole" {
    d=$posts
    for i in $(seq 1 16); do
        d=$d/$(printf 'dossier%02d-%0240d' "$i" 0)
    done
    mkdir -p "$d"
    echo "Ouagadougou est loin" > "$d/billet.txt"
    [ "${#d}" -gt 4000 ]
    run --separate-stderr "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 1 ]
    run "$TROUVE" search --json -- ouagadougou
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -r 'select(.type=="hit") | .path')" = "$d/billet.txt" ]
    # unchanged next time (the hashed id term finds it), removed when gone
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 1 ]
    rm "$d/billet.txt"
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .removed <<<"$output")" -eq 1 ]
}

@test "FIFOs, sockets, dangling links and loops: skipped with a reason, no hang" {
    echo "Valparaiso" > "$posts/ok.txt"
    mkfifo "$posts/fifo.txt"
    python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.bind('$posts/sock.txt')"
    ln -s "$posts/nowhere.txt" "$posts/dangling.txt"
    mkdir -p "$posts/sub"
    ln -s .. "$posts/sub/loop"
    run --separate-stderr timeout 30 "$TROUVE" index -v "$posts"
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"skipped '$posts/fifo.txt': not a regular file"* ]]
    [[ "$stderr" == *"skipped '$posts/sock.txt': not a regular file"* ]]
    [[ "$stderr" == *"skipped '$posts/dangling.txt': symbolic link"* ]]
    # following: the dangling link is an error, the loop is cut
    run --separate-stderr timeout 30 "$TROUVE" index --follow -v "$posts"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"cannot read '$posts/dangling.txt': No such file or directory"* ]]
    [[ "$stderr" == *"symbolic link loop"* ]]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 1 ]
}

@test "unreadable files and folders (EACCES injected, as root reads anyway): named, exit 1, the rest indexed" {
    echo "Tegucigalpa one" > "$posts/ok.txt"
    echo "Tegucigalpa two" > "$posts/locked.txt"
    mkdir -p "$posts/closed"
    echo "Tegucigalpa three" > "$posts/closed/inside.txt"
    run --separate-stderr strace_trouve -f -qq -o /dev/null \
        -P "$posts/locked.txt" -P "$posts/closed" \
        -e trace=openat -e inject=openat:error=EACCES \
        "$TROUVE" index "$posts"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"cannot read '$posts/locked.txt': Permission denied"* ]]
    [[ "$stderr" == *"cannot read '$posts/closed': Permission denied"* ]]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 1 ]
    # readable again: the next run takes them
    run "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 2 ]
    # unreadable once more: what the index has of them stays (a folder
    # that cannot be listed is not a folder whose posts are gone)
    echo "Tegucigalpa four" > "$posts/closed/new.txt"
    run --separate-stderr strace_trouve -f -qq -o /dev/null \
        -P "$posts/locked.txt" -P "$posts/closed" \
        -e trace=openat -e inject=openat:error=EIO \
        "$TROUVE" index --json --force "$posts"
    [ "$status" -eq 1 ]
    [ "$(jq -r .removed <<<"$output")" -eq 0 ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 3 ]
    run "$TROUVE" search -- tegucigalpa three
    [ "$status" -eq 0 ]
}

@test "a file gone or cut short while being read: no crash, and the next run gets it right" {
    python3 -c "print('Antananarivo ' * 20000)" > "$posts/long.txt"
    echo "Antananarivo short" > "$posts/gone.txt"
    # gone between the walk and the read
    run --separate-stderr strace_trouve -f -qq -o /dev/null -P "$posts/gone.txt" \
        -e trace=openat -e inject=openat:error=ENOENT "$TROUVE" index "$posts"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"cannot read '$posts/gone.txt': No such file or directory"* ]]
    # cut short: the second read sees the end of the file
    rm -rf "$TROUVE_INDEX"
    run --separate-stderr strace_trouve -f -qq -o /dev/null -P "$posts/long.txt" \
        -e trace=read -e inject=read:retval=0:when=2 "$TROUVE" index --json "$posts"
    [ "$status" -eq 0 ]
    # what was read is indexed; its stamp says so, so the next run reads
    # the file again
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .updated <<<"$output")" -eq 1 ]
    run "$TROUVE" index --json "$posts"
    [ "$(jq -r .unchanged <<<"$output")" -eq 2 ]
}

@test "a read error in the middle of a file: named, exit 1, never a crash" {
    python3 -c "print('Ulaanbaatar ' * 20000)" > "$posts/long.txt"
    run --separate-stderr strace_trouve -f -qq -o /dev/null -P "$posts/long.txt" \
        -e trace=read -e inject=read:error=EIO:when=2 "$TROUVE" index "$posts"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"cannot read '$posts/long.txt': Input/output error"* ]]
}

@test "gzip: bombs capped, gzip in gzip skipped, truncated and bad CRC named, multi-member read" {
    # 200 MB of text in about 500 KB
    yes "bombe à retardement" | head -c 200M | gzip -9 > "$posts/bomb.txt.gz"
    # 1 GiB of zeros in about 1 MB: binary at once
    head -c 1G /dev/zero | gzip -1 > "$posts/zeros.txt.gz"
    echo "Kinshasa inner" | gzip | gzip > "$posts/twice.txt.gz"
    python3 -c "print('Kinshasa truncated ' * 5000)" | gzip > "$posts/cut.txt.gz"
    truncate -s -20 "$posts/cut.txt.gz"
    python3 -c "print('Kinshasa crc ' * 100)" | gzip > "$posts/crc.txt.gz"
    python3 - "$posts/crc.txt.gz" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[-8] ^= 0xff
open(p, 'wb').write(b)
EOF
    { echo "Kinshasa first member" | gzip; echo "Brazzaville second member" | gzip; } > "$posts/two.md.gz"
    run --separate-stderr /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" \
        timeout 120 "$TROUVE" index -v --json "$posts"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"'$posts/bomb.txt.gz' is too large: indexed in part"* ]]
    [[ "$stderr" == *"skipped '$posts/zeros.txt.gz': binary"* ]]
    [[ "$stderr" == *"skipped '$posts/twice.txt.gz': binary"* ]]
    [[ "$stderr" == *"cannot read '$posts/cut.txt.gz': truncated gzip stream"* ]]
    [[ "$stderr" == *"cannot read '$posts/crc.txt.gz': corrupt gzip stream"* ]]
    [ "$(jq -r .failed <<<"$output")" -eq 2 ]
    # memory stays bounded (KiB; a sanitizer's own memory does not count)
    under_sanitizer || [ "$(tail -n 1 "$BATS_TEST_TMPDIR/rss")" -lt 204800 ]
    run "$TROUVE" search --json -- brazzaville
    [ "$status" -eq 0 ]
    run "$TROUVE" search --json -- retardement
    [ "$status" -eq 0 ]
}
