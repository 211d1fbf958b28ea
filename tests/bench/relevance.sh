#!/usr/bin/env bash
# Relevance of trouve beside its peers, on the known-item set made from the
# benchmark corpus (see make-relevance.py): success@1, success@10 and MRR@10
# per system and query variant (en, fr, fr-noaccent).
#
# usage, without make, from the repository's root:
#   tests/bench/relevance.sh build/trouve          trouve and the peers
#   tests/bench/relevance.sh --peers-only          the peers only
#   tests/bench/relevance.sh --held-out build/trouve
#       the same, on the held-out set: the pages of the other sections
#       (man2 to man7, 941 pages; the public set's queries come from man1
#       and man8), which the ranking was not tuned on
#   TROUVE_BENCH_DIR=/tmp/tb tests/bench/relevance.sh build/trouve
#
# Environment: TROUVE_BENCH_DIR (default /tmp/trouve-bench) holds the corpus
# (built once by make-corpus.sh and shared with run.sh), the relevance set
# (built once by make-relevance.py) and the indexes relevance.py caches.
# trouve's index is rebuilt on every run (the binary changes); the peers'
# stay cached.  TROUVE_BENCH_MAX_POSTS: a smaller corpus, for a quick check.
# Takes under a minute on 2 cores once the corpus and the peers' indexes are
# cached, about 2 minutes the first time.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=${TROUVE_BENCH_DIR:-/tmp/trouve-bench}
. "$here/common.sh"

peers_only=0 held_out=0 trouve=""
while [ $# -gt 0 ]; do
  case $1 in
    --peers-only) peers_only=1 ;;
    --held-out) held_out=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) trouve=$1 ;;
  esac
  shift
done
if [ $peers_only = 0 ]; then
  [ -n "$trouve" ] || die "usage: relevance.sh [--peers-only] TROUVE_BINARY"
  [ -x "$trouve" ] || die "trouve: not built ($trouve is missing); build it with make, or run with --peers-only"
  trouve=$(abspath "$trouve")
fi

lock_workdir
ensure python3 python3 || die "python3 is needed"
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import sqlite3' 2>/dev/null && PY=/usr/bin/python3
systems=()
[ $peers_only = 0 ] && systems+=(project)
if "$PY" -c 'import sqlite3; sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")' 2>/dev/null; then
  systems+=(fts5)
else
  warn "fts5: python3's sqlite3 has no FTS5; skipped"
fi
ensure recollcmd recollindex recollq && systems+=(recoll) || warn "recoll: skipped"
if ensure xapian-omega omindex && ensure xapian-tools quest; then systems+=(omega); else warn "omega: skipped"; fi

C=$(corpus_dir)
EV=$W/relevance-$(basename "$C")
make_set=$here/make-relevance.py
if [ $held_out = 1 ]; then
  # make-relevance.py as shared/bench has it, but for the other sections
  EV=$W/relevance-held-out-$(basename "$C")
  make_set=$W/make-relevance-held-out.py
  sed 's/^SECTIONS = .*/SECTIONS = ("man2", "man3", "man4", "man5", "man6", "man7")/' \
    "$here/make-relevance.py" > "$make_set"
  grep -q '^SECTIONS = ("man2"' "$make_set" || die "make-relevance.py has no SECTIONS line to change"
fi
if [ ! -f "$EV.complete" ] || [ ! -d "$EV" ]; then
  rm -rf "$EV" "$EV.tmp" "$EV.complete"
  "$PY" "$make_set" "$C" "$EV.tmp"
  mv "$EV.tmp" "$EV"
  # queries.tsv names posts by relative path, so the set can be moved
  date -u +%FT%TZ > "$EV.complete"
fi
WORK=$W/relevance-work
say "relevance set: $(wc -l < "$EV/queries.tsv") queries on $(find "$EV/corpus" -type f | wc -l) posts ($EV)"

if [ $peers_only = 0 ]; then
  # relevance.py caches indexes in WORK/<md5 of the corpus path>; trouve's
  # must follow the binary, so it is rebuilt here, the way relevance.py does
  h=$("$PY" -c 'import hashlib,os,sys; print(hashlib.md5(os.path.abspath(sys.argv[1]).encode()).hexdigest()[:8])' "$EV/corpus")
  idx=$WORK/$h/trouve.idx
  rm -rf "$idx"; mkdir -p "$WORK/$h"
  t0=${EPOCHREALTIME/,/.}
  "$trouve" index --index "$idx" "$EV/corpus" > "$W/relevance-index.log" 2>&1 ||
    { tail -n 20 "$W/relevance-index.log" >&2; die "trouve index failed"; }
  t1=${EPOCHREALTIME/,/.}
  say "trouve index: $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') s"
  # the exact flags relevance.py uses: a refusal here would silently score 0
  rc=0; "$trouve" search --index "$idx" --json --per-post 1 -n 10 --any -- copy files > /dev/null 2> "$W/relevance-probe.err" || rc=$?
  if [ $rc -ge 2 ]; then
    cat "$W/relevance-probe.err" >&2
    die "trouve search --json --per-post 1 -n 10 --any failed (exit $rc); relevance.py needs these flags"
  fi
fi

say "running relevance.py ${systems[*]}..."
out=$W/relevance-last.txt
TROUVE=${trouve:-build/trouve} "$PY" "$here/relevance.py" "$EV" "$WORK" "${systems[@]}" | tee "$out"

say ""
"$PY" - "$out" "$peers_only" <<'EOF'
import re, sys
rows, order, variants = {}, [], []
for ln in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"(\S+)\s+(\S+)\s+n=(\d+) success@1=([\d.]+) success@10=([\d.]+) MRR@10=([\d.]+)", ln)
    if not m:
        continue
    s, v = m.group(1), m.group(2)
    if s not in order: order.append(s)
    if v not in variants: variants.append(v)
    rows[(s, v)] = (m.group(4), m.group(5), m.group(6), m.group(3))
name = {"project": "trouve", "fts5": "fts5 (sqlite)", "recoll": "recoll", "omega": "omega (omindex)"}
print(f"{'':16s}" + "".join(f"{v + ' (n=' + rows[(order[0], v)][3] + ')':^22s}" for v in variants))
print(f"{'system':16s}" + "".join(f"{'s@1':>7s}{'s@10':>7s}{'MRR':>7s} " for _ in variants))
if sys.argv[2] == "1":
    print(f"{'trouve':16s}trouve: not built / skipped (--peers-only)")
for s in order:
    print(f"{name.get(s, s):16s}" + "".join(
        "".join(f"{x:>7s}" for x in rows[(s, v)][:3]) + " " if (s, v) in rows else f"{'—':>21s} " for v in variants))
print("s@k: success@k, the target post in the top k; MRR: mean reciprocal rank in the top 10 (any word, --any)")
EOF
