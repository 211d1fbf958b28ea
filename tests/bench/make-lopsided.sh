#!/usr/bin/env bash
# make-lopsided.sh DIR [N] - a corpus for `ab.sh -c DIR`: N posts (default
# 600) of the man-page corpus copied into DIR (made anew), each named so
# that with two shards it goes to shard 1, and one seed post to shard 0.
# One thread then has all the work of a first build: what the other's
# help with the reading and analysis buys (src/lib/shard_job.c, Help).
#
# A post goes to shard hash64(path) % 2: FNV-1a's low bit, which is 1 xor
# the parity of the number of odd bytes in the path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
W=${TROUVE_BENCH_DIR:-/tmp/trouve-bench}
. "$here/common.sh"
[ $# -ge 1 ] || die "usage: make-lopsided.sh DIR [N]"
n=${2:-600}
C=$(corpus_dir)
rm -rf "$1"
mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
shard_of() {
  printf %s "$1" | od -An -tu1 | tr -s ' ' '\n' |
    awk 'NF && $1 % 2 {n++} END {print (1 + n) % 2}'
}
i=0
find "$C" -type f | LC_ALL=C sort | head -n "$n" | while read -r f; do
  i=$((i + 1))
  p=$dir/p$i.txt
  [ "$(shard_of "$p")" = 1 ] || p=$dir/p${i}a.txt # 'a' is odd: flips it
  cp "$f" "$p"
done
p=$dir/seed.txt
[ "$(shard_of "$p")" = 0 ] || p=$dir/seeda.txt
cp "$here/../../seeds/winter-cycling.txt" "$p"
say "$n posts for shard 1, one for shard 0, in $dir"
