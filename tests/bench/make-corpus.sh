#!/usr/bin/env bash
# Copied unchanged from shared/bench/make-corpus.sh (the tests must not reach outside the repository).
# Builds a real bilingual corpus of "posts" from Debian's English and French
# manual pages: one text file per page that exists in both languages, the
# English text first, then a "Version française" heading and the French text,
# the same shape as seeds/. Usage: make-corpus.sh OUTDIR [MAX_POSTS]
set -euo pipefail
out=${1:?usage: make-corpus.sh OUTDIR [MAX_POSTS]}
max=${2:-0}
need=()
for p in manpages manpages-dev manpages-fr manpages-fr-dev groff-base; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$out"
render() { zcat "$1" | groff -k -man -Tutf8 -rHY=0 -rLL=100n -P-cbou 2>/dev/null | sed 's/[[:space:]]*$//' | cat -s; }
export -f render
one() {
  fr=$1; out=$2
  rel=${fr#/usr/share/man/fr/}
  en=/usr/share/man/$rel
  [ -f "$en" ] || exit 0
  dst=$out/${rel%.gz}.txt
  mkdir -p "$(dirname "$dst")"
  { render "$en"; printf '\nVersion française\n\n'; render "$fr"; } > "$dst.tmp"
  # skip pages that render to almost nothing (.so redirections)
  if [ "$(wc -c < "$dst.tmp")" -lt 600 ]; then rm -f "$dst.tmp"; else mv "$dst.tmp" "$dst"; fi
}
export -f one
list=$(find /usr/share/man/fr -name '*.gz' -type f | LC_ALL=C sort)
[ "$max" -gt 0 ] && list=$(echo "$list" | head -n "$max")
echo "$list" | xargs -P "$(nproc)" -I{} bash -c 'one "$@"' _ {} "$out"
n=$(find "$out" -name '*.txt' | wc -l); sz=$(du -sh "$out" | cut -f1)
echo "corpus: $n posts, $sz in $out"
