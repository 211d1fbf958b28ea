#!/usr/bin/env bash
# ab.sh [-n RUNS] [-c DIR] TROUVE... - compares builds of the 20 MB corpus
# (or of the posts in DIR: make-lopsided.sh makes one) by trouve
# binaries (the tree before and after a change, say) and the bare Xapian
# write of the first one's index, taken in turn RUNS times (default 7), so
# that a machine getting slower or faster weighs on all alike.  Prints the
# median wall and CPU seconds of each (to the millisecond: a change of 1%
# is 10 ms) and its ratio to the bare write.
#
# For a change that should not move the index, it also checks that every
# binary writes the same index as the first (bare_write dump, cmp).
#
# Quicker than run.sh (no peers, no queries), for deciding whether a change
# pays: differences under 2% are noise on a shared machine.  Uses run.sh's
# work folder (TROUVE_BENCH_DIR, default /tmp/trouve-bench): its corpus and
# its bare_write binary, built there by run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
W=${TROUVE_BENCH_DIR:-/tmp/trouve-bench}
. "$here/common.sh"

runs=7
C=
TIMEFORMAT='%3R %3U %3S' # bash's time: wall, user, system, to the ms
while [ $# -ge 2 ]; do
  case $1 in
  -n) runs=$2 ;;
  -c) C=$(cd "$2" && pwd) || die "no folder $2" ;;
  *) break ;;
  esac
  shift 2
done
[ $# -ge 1 ] || die "usage: ab.sh [-n RUNS] [-c DIR] TROUVE..."
for b in "$@"; do [ -x "$b" ] || die "not a program: $b"; done
lock_workdir
[ -n "$C" ] || C=$(corpus_dir)
BARE=$W/bare_write
if [ ! -x "$BARE" ] || [ "$here/bare_write.cc" -nt "$BARE" ]; then
  c++ -O2 -std=c++11 -pthread -o "$BARE" "$here/bare_write.cc" -lxapian ||
    die "cannot build bare_write.cc"
fi
T=$(mktemp -d "$W/ab.XXXXXX")
trap 'rm -rf "$T"' EXIT

# The first binary's index, dumped for the bare write; the others' dumps
# compared with it.
same=yes
for i in $(seq $#); do
  b=${!i}
  rm -rf "$T/idx"
  "$b" index -q --index "$T/idx" "$C"
  mkdir -p "$T/dump-$i"
  "$BARE" dump "$T/idx" "$T/dump-$i" > /dev/null
  if [ "$i" -gt 1 ] && ! diff -rq "$T/dump-1" "$T/dump-$i" > /dev/null; then
    same=no
    warn "$b writes another index than $1"
  fi
done
rm -rf "$T"/dump-[2-9]*

find "$C" -type f -exec cat {} + > /dev/null
declare -A wall cpu
names=("$@" bare)
for r in $(seq "$runs"); do
  for i in $(seq ${#names[@]}); do
    b=${names[$((i - 1))]}
    rm -rf "$T/idx"
    sync
    if [ "$b" = bare ]; then
      mkdir "$T/idx"
      { time "$BARE" write "$T/dump-1" "$T/idx" > /dev/null; } 2> "$T/t"
    else
      { time "$b" index -q --index "$T/idx" "$C"; } 2> "$T/t"
    fi
    read -r e u s < <(tail -n 1 "$T/t")
    wall[$i]+="$e "
    cpu[$i]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
bare_wall=$(median <<< "${wall[${#names[@]}]}")
printf '%-40s %8s %8s %8s\n' "$runs runs each, ${C##*/}" "wall s" "CPU s" "/bare"
for i in $(seq ${#names[@]}); do
  w=$(median <<< "${wall[$i]}")
  printf '%-40s %8s %8s %8s\n' "${names[$((i - 1))]}" "$w" "$(median <<< "${cpu[$i]}")" \
    "$(awk -v a="$w" -v b="$bare_wall" 'BEGIN {printf "%.3f", a / b}')"
done
[ $# -lt 2 ] || say "same index: $same"
