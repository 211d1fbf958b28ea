#!/usr/bin/env bash
# trouve's benchmark against its peers, measured side by side in one run on
# one machine: SQLite FTS5, Recoll (recollindex/recollq) and Xapian Omega
# (omindex/quest).
#
# usage: tests/bench/run.sh [--peers-only] [--json FILE] TROUVE_BINARY
#        (make bench runs: tests/bench/run.sh build/trouve)
#
#   --peers-only  measure the peers only; trouve's rows say why they are empty
#                 (without it, TROUVE_BINARY must exist)
#   --json FILE   also write every figure (raw runs included) to FILE
#
# Environment:
#   TROUVE_BENCH_DIR         work folder, default /tmp/trouve-bench; the corpus
#                            is built there once (make-corpus.sh) and cached
#   TROUVE_BENCH_BUILD_RUNS  fresh index builds per system, default 5 (after
#                            one warm-up build that is not counted)
#   TROUVE_BENCH_RUNS        hyperfine runs per query, default 30 (3 warmups)
#   TROUVE_BENCH_MAX_POSTS   smaller corpus for a quick check, default all
#   TROUVE_BENCH_QUERIES     query list, default tests/bench/queries.txt
#   TROUVE_BENCH_SCALE       "1g": the corpus is ~1 GB, copies of the man-page
#                            corpus under distinct paths (built once, cached);
#                            trouve is also built on the 20 MB corpus in the
#                            same run (5 times a run, the median), for the
#                            growth ratio (make bench-1g)
#   TROUVE_BENCH_WARMUP      0: no uncounted warm-up build (for the 1 GB corpus,
#                            where a build takes minutes), default 1
#   TROUVE_BENCH_SYSTEMS     systems to measure, default all: trouve bare fts5
#                            recoll omega (e.g. "trouve bare fts5" at 1 GB,
#                            where recollindex and omindex take long)
#
# What is measured:
#   build   wall clock (median of the fresh builds, taken in turn; caches
#           warm: the corpus is read once, then one uncounted warm-up build
#           each), CPU time, peak RSS (/usr/bin/time %M), index
#           size (du -sb) and its ratio to the corpus bytes; ratio trouve/peer.
#           "bare" is bare_write.cc: the same terms, values, data, synonyms
#           and shards as trouve's last build, written with Xapian and no
#           analysis (dumped from that build, untimed), then compacted as
#           trouve compacts: the engine's floor
#   query   process-level latency with hyperfine -N (no shell): mean and p99
#           per query length (1, 2, 3 words), English and French; ratio
#           trouve/fts5.  Every system gets the AND of the words, top 10.
# The script fails (exit 2) only when something is broken (a command errors),
# never because a figure is bad.  Raw data stays in $TROUVE_BENCH_DIR/last-run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=${TROUVE_BENCH_DIR:-/tmp/trouve-bench}
. "$here/common.sh"

peers_only=0 json_out="" trouve=""
while [ $# -gt 0 ]; do
  case $1 in
    --peers-only) peers_only=1 ;;
    --json) [ $# -ge 2 ] || die "--json needs a file"; json_out=$2; shift ;;
    --json=*) json_out=${1#--json=} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$trouve" ] || die "one TROUVE_BINARY only"; trouve=$1 ;;
  esac
  shift
done
[ -z "$json_out" ] || json_out=$(abspath "$json_out")

BUILD_RUNS=${TROUVE_BENCH_BUILD_RUNS:-5}
RUNS=${TROUVE_BENCH_RUNS:-30}
QUERIES=${TROUVE_BENCH_QUERIES:-$here/queries.txt}
[ -f "$QUERIES" ] || die "no query list at $QUERIES"

# ---------------------------------------------------------------- trouve
trouve_note=""   # why trouve is not measured, when it is not
if [ $peers_only = 1 ]; then
  if [ -n "$trouve" ] && [ -x "$trouve" ]; then trouve_note="skipped (--peers-only)"
  else trouve_note="not built"; fi
else
  [ -n "$trouve" ] || die "usage: run.sh [--peers-only] [--json FILE] TROUVE_BINARY"
  [ -x "$trouve" ] || die "trouve: not built ($trouve is missing); build it with make, or run with --peers-only"
  trouve=$(abspath "$trouve")
fi

# ---------------------------------------------------------------- tools
ensure time /usr/bin/time || die "/usr/bin/time is needed for peak RSS"
ensure hyperfine hyperfine || die "hyperfine is needed for query latency"
lock_workdir
ensure python3 python3 || die "python3 is needed for the report"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # no version-manager shim in timed runs
"$PY" -c 'import sqlite3' 2>/dev/null || PY=python3

declare -A skip=()   # peer -> why it is not measured
ensure sqlite3 sqlite3 || skip[fts5]="sqlite3 missing"
if [ -z "${skip[fts5]:-}" ] && ! sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(x)" 2>/dev/null; then
  skip[fts5]="sqlite3 has no FTS5"
fi
ensure recollcmd recollindex recollq || skip[recoll]="recollcmd missing"
ensure xapian-omega omindex || skip[omega]="xapian-omega missing"
ensure xapian-tools quest xapian-delve || skip[omega]="xapian-tools missing"
SCALE=${TROUVE_BENCH_SCALE:-}
case $SCALE in ""|1g) ;; *) die "TROUVE_BENCH_SCALE: '$SCALE' is not 1g" ;; esac
SYSTEMS=" ${TROUVE_BENCH_SYSTEMS:-trouve bare fts5 recoll omega} "
for p in bare fts5 recoll omega; do
  [[ $SYSTEMS == *" $p "* ]] || skip[$p]="not in TROUVE_BENCH_SYSTEMS"
done
if [[ $SYSTEMS != *" trouve "* ]] && [ -z "$trouve_note" ]; then trouve_note="not in TROUVE_BENCH_SYSTEMS"; fi
[ -z "$trouve_note" ] || skip[bare]="${skip[bare]:-it replays the trouve build}"
if [ -z "${skip[bare]:-}" ] && ! { have c++ && [ -f /usr/include/xapian.h ]; }; then
  ensure libxapian-dev /usr/bin/xapian-config c++ || true
  { have c++ && [ -f /usr/include/xapian.h ]; } || skip[bare]="c++ or libxapian-dev missing"
fi

# ---------------------------------------------------------------- header
R=$W/last-run
rm -rf "$R"; mkdir -p "$R" "$W/idx"
IDX=$W/idx
meta() { printf '%s\t%s\n' "$1" "$2" >> "$R/meta.tsv"; }
ver() { "$@" 2>&1 | head -n 1 || true; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
meta date "$(date -u +%FT%TZ)"
meta nproc "$(nproc)"
meta cpu "${cpu:-unknown}"
meta mem "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
meta os "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}"), Linux $(uname -r)"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "$trouve_note" ]; then
  v=$("$trouve" --version 2>/dev/null | head -n 1) || v=""
  meta v_trouve "${v:-trouve (no --version)} at $trouve"
else
  meta v_trouve "$trouve_note"
fi
have sqlite3 && meta v_sqlite3 "sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
meta v_python3 "$("$PY" -c 'import sys,sqlite3; print("python3 %s, sqlite3 module on SQLite %s" % (sys.version.split()[0], sqlite3.sqlite_version))')"
have recollq && meta v_recoll "$(ver recollq -v)"
have omindex && meta v_omindex "$(ver omindex --version)"
have quest && meta v_quest "$(ver quest --version)"
meta v_hyperfine "$(ver hyperfine --version)"
meta build_runs "$BUILD_RUNS"
meta query_runs "$RUNS"
meta peers_only "$peers_only"
meta trouve_note "$trouve_note"
for p in "${!skip[@]}"; do meta "skip_$p" "${skip[$p]}"; done

"$PY" "$here/report.py" header "$R"

# ---------------------------------------------------------------- corpus
C=$(corpus_dir)
C20=$C
[ "$SCALE" != 1g ] || C=$(corpus_1g "$C20")
posts=$(find "$C" -type f -name '*.txt' | wc -l)
cbytes=$(find "$C" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
meta corpus "$C"
meta scale "${SCALE:-20m}"
[ "$SCALE" != 1g ] || meta corpus_20m_bytes "$(find "$C20" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
meta corpus_posts "$posts"
meta corpus_bytes "$cbytes"
meta corpus_du "$(du -sb "$C" | cut -f1)"
say "corpus: $posts posts, $cbytes bytes in $C"
# Warm the page cache: every system then reads the corpus from memory.
# Again before each build (measure_build): omindex drops each file it has
# read from the cache (posix_fadvise DONTNEED), so whichever build came
# next read a cold corpus (20 MB: trouve 1.22 s after omindex, 1.07 s
# otherwise, while the bare write, which reads its own dump, did not move).
warm() { find "$@" -type f -exec cat {} + > /dev/null; }
warm "$C"

# Other work on the machine inflates every figure.  cpu_mark / cpu_others
# tell how many cores other processes kept busy meanwhile: all busy time
# (/proc/stat) less our own and our children's (/proc/$$/stat).
cpu_mark() {
  _busy0=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat)
  _own0=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat")
  _t0=${EPOCHREALTIME/,/.}
}
cpu_others() {  # KEY: record the mean number of cores others used
  local busy own t
  busy=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat)
  own=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat")
  t=${EPOCHREALTIME/,/.}
  meta "$1" "$(awk -v b="$((busy - _busy0))" -v o="$((own - _own0))" -v dt="$(awk -v a="$_t0" -v b="$t" 'BEGIN {print b - a}')" \
    -v hz="$(getconf CLK_TCK)" 'BEGIN {x = (b - o) / hz / dt; if (x < 0) x = 0; printf "%.2f", x}')"
}
load1=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load1" 'BEGIN {exit !(l >= 1)}'; then
  warn "the machine is busy (load average $load1): the figures will be inflated; rerun on a quiet machine"
fi

# ---------------------------------------------------------------- build
# measure_build NAME RUN CMD...: one timed build; stdin is passed through.
measure_build() {
  local name=$1 run=$2; shift 2
  local tf=$R/build-$name-$run.time log=$R/build-$name-$run.log t0 t1 rc=0
  warm "$C" "$C20"
  [ ! -d "$IDX/bare-dump" ] || warm "$IDX/bare-dump"
  sync
  t0=${EPOCHREALTIME/,/.}
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" > "$log" 2>&1 || rc=$?
  t1=${EPOCHREALTIME/,/.}
  if [ $rc != 0 ]; then
    warn "$name: the build failed (exit $rc): $*"
    tail -n 20 "$log" >&2
    exit 2
  fi
  local e u s m
  read -r e u s m < <(tail -n 1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" "$u" "$s" "$m" >> "$R/build.tsv"
}

# The FTS5 load through the sqlite3 CLI: one transaction, readfile() rows.
# The script is written before the clock starts (listing 1,300 files is ms).
sqlq() { local q="'"; printf '%s' "${1//$q/$q$q}"; }
if [ -z "${skip[fts5]:-}" ]; then
  {
    say "BEGIN;"
    say "CREATE VIRTUAL TABLE posts USING fts5(path UNINDEXED, body, tokenize='unicode61 remove_diacritics 2');"
    find "$C" -type f -name '*.txt' -printf '%P\n' | LC_ALL=C sort |
      while IFS= read -r p; do
        printf "INSERT INTO posts VALUES('%s', CAST(readfile('%s') AS TEXT));\n" "$(sqlq "$p")" "$(sqlq "$C/$p")"
      done
    say "COMMIT;"
  } > "$R/fts5-load.sql"
fi

# Recoll: relevance.py's configuration, plus three settings so that it does
# the same work at the same priority as the others: recollindex otherwise
# renices itself to 19 and ionice's itself to the "idle" class (it waits for
# any other I/O), and builds an aspell dictionary after indexing.
recoll_conf() {
  mkdir -p "$1"
  printf '%s\n' "topdirs = $C" "indexstemminglanguages = english french" \
    "noaspell = 1" "idxniceprio = 0" "monioniceclass = 2" > "$1/recoll.conf"
}

if [ -z "${skip[bare]:-}" ]; then
  BARE=$W/bare_write
  if [ ! -x "$BARE" ] || [ "$here/bare_write.cc" -nt "$BARE" ]; then
    c++ -O2 -std=c++11 -pthread -o "$BARE.tmp" "$here/bare_write.cc" -lxapian ||
      die "cannot build bare_write.cc"
    mv "$BARE.tmp" "$BARE"
  fi
  meta v_bare "bare_write.cc on Xapian $(xapian-config --version 2>/dev/null | awk '{print $NF}')"
fi

WARMUP=${TROUVE_BENCH_WARMUP:-1}
first_run=$(( WARMUP == 0 ? 1 : 0 ))
meta warmup "$WARMUP"
say ""
say "building: $WARMUP warm-up + $BUILD_RUNS fresh index(es) per system, in turn..."
cpu_mark
for run in $(seq "$first_run" "$BUILD_RUNS"); do
  if [ -z "$trouve_note" ]; then
    rm -rf "$IDX/trouve"
    measure_build trouve "$run" "$trouve" index --index "$IDX/trouve" "$C"
    if [ "$SCALE" = 1g ]; then
      # The growth ratio's divisor takes a second, and one such build can
      # be a fifth off the next (ten in a row: 0.96 to 1.14 s): five of
      # them, and the report takes their median.
      for _ in 1 2 3 4 5; do
        rm -rf "$IDX/trouve-20m"
        measure_build trouve-20m "$run" "$trouve" index --index "$IDX/trouve-20m" "$C20"
      done
    fi
  fi
  if [ -z "${skip[bare]:-}" ]; then
    if [ "$run" = "$first_run" ]; then   # the dump of trouve's first build, untimed
      rm -rf "$IDX/bare-dump"; mkdir -p "$IDX/bare-dump"
      "$BARE" dump "$IDX/trouve" "$IDX/bare-dump" > /dev/null || die "bare_write dump failed"
    fi
    rm -rf "$IDX/bare"; mkdir -p "$IDX/bare"
    measure_build bare "$run" "$BARE" write "$IDX/bare-dump" "$IDX/bare"
  fi
  if [ -z "${skip[fts5]:-}" ]; then
    rm -f "$IDX/fts5.db" "$IDX/fts5.db-journal"
    measure_build fts5-cli "$run" sqlite3 -bail "$IDX/fts5.db" < "$R/fts5-load.sql"
    rm -f "$IDX/fts5-py.db" "$IDX/fts5-py.db-journal"
    measure_build fts5-py "$run" "$PY" "$here/fts5-load.py" "$C" "$IDX/fts5-py.db"
  fi
  if [ -z "${skip[recoll]:-}" ]; then
    rm -rf "$IDX/recoll"; recoll_conf "$IDX/recoll"
    measure_build recoll "$run" recollindex -c "$IDX/recoll"
  fi
  if [ -z "${skip[omega]:-}" ]; then
    rm -rf "$IDX/omega.db"
    measure_build omega "$run" omindex --db "$IDX/omega.db" --url / "$C"
  fi
  if [ "$run" = 0 ]; then
    say "  warm-up done"
    [ ! -f "$R/build.tsv" ] || mv "$R/build.tsv" "$R/build-warmup.tsv"
  else
    printf '  run %s/%s done\n' "$run" "$BUILD_RUNS"
  fi
done

cpu_others others_build
# sizes and document counts of the last build
size() { printf '%s\t%s\t%s\n' "$1" "$(du -sb "$2" | cut -f1)" "$3" >> "$R/sizes.tsv"; }
doccount() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
if [ -z "$trouve_note" ]; then
  "$trouve" stats --index "$IDX/trouve" --json > "$R/trouve-stats.json" ||
    die "trouve stats --index $IDX/trouve --json failed"
  tposts=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["posts"])' "$R/trouve-stats.json") ||
    die "trouve stats --json: no JSON object with \"posts\" in $R/trouve-stats.json"
  [ "$tposts" = "$posts" ] || warn "trouve stats says $tposts posts; the corpus has $posts"
  size trouve "$IDX/trouve" "$tposts"
fi
if [ -z "${skip[bare]:-}" ]; then
  size bare "$IDX/bare" "$(for d in "$IDX"/bare/shard-*; do doccount "$d"; done | awk '{s += $1} END {print s}')"
fi
if [ -z "${skip[fts5]:-}" ]; then
  size fts5-cli "$IDX/fts5.db" "$(sqlite3 "$IDX/fts5.db" 'SELECT count(*) FROM posts')"
  size fts5-py "$IDX/fts5-py.db" "$(sqlite3 "$IDX/fts5-py.db" 'SELECT count(*) FROM posts')"
fi
if [ -z "${skip[recoll]:-}" ]; then
  size recoll "$IDX/recoll/xapiandb" "$(doccount "$IDX/recoll/xapiandb")"
  # recoll's own account of its indexing time, to compare with the wall clock
  meta recoll_own_ms "$(sed -n 's/.*fsindexer: status: [0-9]* index time: *\([0-9]*\) mS.*/\1/p' "$R/build-recoll-$BUILD_RUNS.log" | tail -n 1)"
fi
if [ -z "${skip[omega]:-}" ]; then
  size omega "$IDX/omega.db" "$(doccount "$IDX/omega.db")"
fi

# ---------------------------------------------------------------- queries
# hq ARG...: one command line for hyperfine -N, every argument single-quoted
hq() {
  local a out="" sq="'" esc="'\\''"
  for a in "$@"; do out+="'${a//$sq/$esc}' "; done
  printf '%s' "${out% }"
}

systems=()
[ -z "$trouve_note" ] && systems+=(trouve)
[ -z "${skip[fts5]:-}" ] && systems+=(fts5)
[ -z "${skip[recoll]:-}" ] && systems+=(recoll recoll-snip)
[ -z "${skip[omega]:-}" ] && systems+=(omega)

mapfile -t qlines < <(grep -v '^[[:space:]]*\(#\|$\)' "$QUERIES")
say ""
say "querying: ${#qlines[@]} queries x ${systems[*]}; hyperfine -N --warmup 3 --runs $RUNS each..."
printf 'i\tlang\twords\tquery\tsystem\texit\treturned\ttotal\tjson\n' > "$R/queries.tsv"
qi=0
cpu_mark
for line in "${qlines[@]}"; do
  qi=$((qi + 1))
  lang=${line%%$'\t'*}; q=${line#*$'\t'}
  read -ra words <<< "$q"
  nw=${#words[@]}
  m=""; for w in "${words[@]}"; do m+="\"${w//\"/\"\"}\" "; done; m=${m% }
  progress=()
  for s in "${systems[@]}"; do
    total=""
    case $s in
      trouve) cmd=("$trouve" search --index "$IDX/trouve" -n 10 -- "${words[@]}") ;;
      fts5) cmd=(sqlite3 "$IDX/fts5.db" "SELECT path, snippet(posts,1,'[',']','…',30), bm25(posts) FROM posts WHERE posts MATCH '$(sqlq "$m")' ORDER BY bm25(posts) LIMIT 10") ;;
      recoll) cmd=(recollq -c "$IDX/recoll" -n 10 "${words[@]}") ;;
      recoll-snip) cmd=(recollq -c "$IDX/recoll" -n 10 -A -g 1 "${words[@]}") ;;
      omega) cmd=(quest -d "$IDX/omega.db" -m 10 -o and "$q") ;;
    esac
    # one plain run first: it must not fail, and it tells how many hits
    rc=0; "${cmd[@]}" > "$R/out" 2> "$R/err" || rc=$?
    ok=0
    case $s in
      trouve)
        [ $rc = 0 ] || [ $rc = 1 ] && ok=1
        # hits: the JSON lines other than the summary
        returned=$( ("$trouve" search --index "$IDX/trouve" -n 10 --json -- "${words[@]}" 2>/dev/null || true) |
          grep '^[[:space:]]*{' | grep -vc '"type"[[:space:]]*:[[:space:]]*"summary"' || true) ;;
      fts5)
        [ $rc = 0 ] && ok=1
        total=$(sqlite3 "$IDX/fts5.db" "SELECT count(*) FROM posts WHERE posts MATCH '$(sqlq "$m")'")
        returned=$(( total < 10 ? total : 10 )) ;;
      recoll|recoll-snip)
        [ $rc = 0 ] && ok=1
        total=$(sed -n 's/^\([0-9][0-9]*\) results.*/\1/p' "$R/out" | head -n 1)
        returned=$(grep -c $'\t\\[file://' "$R/out" || true) ;;
      omega)
        [ $rc = 0 ] && ok=1
        total=$(sed -n -e 's/^Exactly \([0-9]*\) matches.*/\1/p' -e 's/.*best estimate is \([0-9]*\).*/\1/p' "$R/out" | head -n 1)
        returned=$(grep -c '^[0-9][0-9]*: \[' "$R/out" || true) ;;
    esac
    if [ $ok = 0 ]; then
      warn "$s: query failed (exit $rc): ${cmd[*]}"
      head -n 20 "$R/err" >&2
      exit 2
    fi
    js=$R/q-$qi-$s.json
    hf=(hyperfine -N --warmup 3 --runs "$RUNS" --style none --export-json "$js")
    [ $rc = 0 ] || hf+=(-i)   # trouve exits 1 when nothing matched
    if ! "${hf[@]}" -- "$(hq "${cmd[@]}")" > "$R/hyperfine.log" 2>&1; then
      warn "$s: hyperfine failed on: ${cmd[*]}"
      tail -n 20 "$R/hyperfine.log" >&2
      exit 2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$qi" "$lang" "$nw" "$q" "$s" "$rc" "$returned" "$total" "$js" >> "$R/queries.tsv"
    progress+=("$s" "$returned" "$js")
  done
  "$PY" "$here/report.py" progress "$qi/${#qlines[@]}" "$lang" "$q" "${progress[@]}"
done

cpu_others others_query
meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
say ""
"$PY" "$here/report.py" report "$R" ${json_out:+"$json_out"}
