#!/usr/bin/env bash
# Runs the unit-test programs given as arguments, then a few trouve
# commands, under valgrind's memcheck: any invalid access, use of
# uninitialised memory or leak (definite or indirect) fails the run.
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
printf '%d programs and commands under valgrind, %d failed\n' "$count" "$failed"
[ "$failed" -eq 0 ]
