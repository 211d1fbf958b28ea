#!/usr/bin/env bash
# ab-query.sh [-n ROUNDS] [-i INDEX] TROUVE... - whether a change pays on
# the query side: the 30 queries of queries.txt searched by each binary in
# turn (the order of the binaries reversed every other round, each
# search a process started with posix_spawn, as hyperfine -N does), ROUNDS
# rounds (3 by default); prints each binary's mean and median over all its
# searches, and its page faults per search.  The index is INDEX, or a
# fresh 20 MB build by the first binary.  On a quiet machine the means
# move by about 0.2 ms from one call to the next: under 2% is noise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
W=${TROUVE_BENCH_DIR:-/tmp/trouve-bench}
. "$here/common.sh"

rounds=3
IX=
while [ $# -ge 2 ]; do
  case $1 in
  -n) rounds=$2 ;;
  -i) IX=$(cd "$2" && pwd) || die "no index $2" ;;
  *) break ;;
  esac
  shift 2
done
[ $# -ge 1 ] || die "usage: ab-query.sh [-n ROUNDS] [-i INDEX] TROUVE..."
bins=()
for b in "$@"; do
  [ -x "$b" ] || die "not a program: $b"
  bins+=("$(abspath "$b")")
done
lock_workdir
PY=$(command -v python3) || die "python3 is needed"
if [ -z "$IX" ]; then
  C=$(corpus_dir)
  T=$(mktemp -d "$W/abq.XXXXXX")
  trap 'rm -rf "$T"' EXIT
  IX=$T/idx
  "${bins[0]}" index -q --index "$IX" "$C"
fi

"$PY" - "$rounds" "$IX" "$here/queries.txt" "${bins[@]}" <<'EOF'
import os, resource, statistics, sys, time

rounds, ix, qfile, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
queries = [l.rstrip("\n").split("\t", 1)[1] for l in open(qfile, encoding="utf-8")
           if l.strip() and not l.startswith("#")]
null = os.open(os.devnull, os.O_WRONLY)
times = {b: [] for b in bins}
faults = {b: 0 for b in bins}
for r in range(rounds):
    for q in queries:
        for b in (bins if r % 2 == 0 else bins[::-1]):
            args = [b, "search", "--index", ix, "-n", "10", "--"] + q.split()
            t0 = time.perf_counter()
            pid = os.posix_spawn(b, args, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
            _, status, usage = os.wait4(pid, 0)
            times[b].append(time.perf_counter() - t0)
            faults[b] += usage.ru_minflt
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                sys.exit(f"ab-query.sh: {b} failed on: {q}")
n = rounds * len(queries)
print(f"{'%d rounds of %d queries' % (rounds, len(queries)):40s} {'mean ms':>8s} {'median':>8s} {'faults':>8s}")
for b in bins:
    v = times[b]
    print(f"{b:40s} {statistics.mean(v) * 1e3:8.2f} {statistics.median(v) * 1e3:8.2f} {faults[b] / n:8.0f}")
EOF
