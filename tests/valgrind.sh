#!/usr/bin/env bash
# Runs the unit-test programs given as arguments, a few trouve commands,
# then the command-line suites named in VALGRIND_BATS (default: all of
# tests/cli but reliability.bats, whose kill and signal timings mean
# nothing at valgrind's pace, and api, library and install.bats, which
# look for the library beside the binary and run programs of their own
# rather than trouve), under valgrind's memcheck: any invalid
# access, use of uninitialised memory or leak (definite or indirect) fails
# the run.
#
#   tests/valgrind.sh TROUVE PROGRAM...
#
# tests/valgrind.supp holds suppressions for what is not ours (none are
# needed with Debian 12's libxapian 1.4.22 so far; the file documents the
# format).  Prints one line per program or command and a total.
set -u
trouve=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99
    --suppressions="$here/valgrind.supp" --trace-children=yes)
work=$(mktemp -d /tmp/trouve-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0 count=0

check() {   # NAME, then the command; exit 99 is valgrind's
    local name=$1 st=0
    shift
    count=$((count + 1))
    "${vg[@]}" "$@" > "$work/out" 2> "$work/err" || st=$?
    if [ "$st" -eq 99 ] || grep -q '^==[0-9]*==' "$work/err"; then
        printf '  FAIL   %s\n' "$name"
        grep '^==' "$work/err" | head -n 30
        failed=$((failed + 1))
    else
        printf '  ok     %s\n' "$name"
    fi
}

for t in "$@"; do
    check "${t##*/}" "$t"
done

posts=$work/posts
mkdir -p "$posts/sub"
cp "$here/../seeds"/* "$posts"/
chmod -R u+w "$posts"
printf 'sub post\n' > "$posts/sub/a.md"
printf '*.skip\n' > "$posts/.trouveignore"
gzip -c "$posts/winter-cycling.txt" > "$posts/sub/w.txt.gz"
ix=$work/index
check "index" "$trouve" index --index "$ix" -v "$posts"
check "index again" "$trouve" index --index "$ix" "$posts"
echo "more" >> "$posts/sub/a.md"
rm "$posts/jardin-communautaire.txt"
check "index changes" "$trouve" index --index "$ix" -j 2 --json "$posts"
check "index --force" "$trouve" index --index "$ix" --force "$posts"
check "search" "$trouve" search --index "$ix" -- reverse mentorship
check "search --json" "$trouve" search --index "$ix" --json --any -- mentorat inversé
check "search phrase" "$trouve" search --index "$ix" --explain -- '"reverse mentorship"' OR 'comm*'
check "search nothing" "$trouve" search --index "$ix" -- zzqqxx
check "stats" "$trouve" stats --index "$ix" --json
check "analyze" "$trouve" analyze --json "L’été inversé"
check "no index" "$trouve" search --index "$work/none" -- x
echo x > "$work/file"
check "damaged" "$trouve" search --index "$work/file" -- x
# The command-line suites, with trouve under valgrind: a wrapper in
# TROUVE's place, each process logging to a file of its own; a suite fails
# on a failing test (memcheck's exit status is 99) or on anything logged.
wrapper=$work/bin/trouve
mkdir -p "$work/bin" "$work/logs"
printf '#!/bin/sh\nexec %s --log-file=%s/logs/%%p.log %s "$@"\n' \
    "${vg[*]}" "$work" "$trouve" > "$wrapper"
chmod +x "$wrapper"
if [ -z "${VALGRIND_BATS+set}" ]; then
    VALGRIND_BATS=$(ls "$here"/cli/*.bats |
        grep -Ev '/(reliability|api|library|install)\.bats$')
fi
for suite in $VALGRIND_BATS; do
    count=$((count + 1))
    rm -f "$work"/logs/*.log
    # (8 steps of the differential test: each is a few dozen processes)
    if TROUVE=$wrapper TROUVE_MEMCHECK=1 \
        TROUVE_DIFF_STEPS=${TROUVE_DIFF_STEPS:-8} \
        bats "$suite" > "$work/out" 2>&1 &&
        ! find "$work/logs" -name '*.log' -size +0 | grep -q .; then
        printf '  ok     %s\n' "${suite##*/}"
    else
        printf '  FAIL   %s\n' "${suite##*/}"
        grep '^not ok' "$work/out" | head -n 10
        find "$work/logs" -name '*.log' -size +0 -exec head -n 30 {} +
        failed=$((failed + 1))
    fi
done

printf '%d programs, commands and suites under valgrind, %d failed\n' \
    "$count" "$failed"
[ "$failed" -eq 0 ]
