#!/usr/bin/env bats
# Crash safety and concurrency: kill -9 at random moments, injected write,
# fsync and rename failures, a really full disk, SIGINT and SIGTERM, a
# second indexer, searches while an indexer commits, damaged indexes.
#
# TROUVE_KILLS sets the number of kill -9 runs (50 here; `make stress`
# runs many more), TROUVE_STRESS=1 lengthens the other loops too.

load helper
load reliability_helper

setup() {
    export TROUVE_INDEX=$BATS_TEST_TMPDIR/index
    posts=$BATS_TEST_TMPDIR/posts
    mkdir -p "$posts"
}

# $1 posts made from the seeds, each a little different, in $posts.
make_corpus() {
    local n=$1 i seeds
    mapfile -t seeds < <(ls "$SEEDS")
    for i in $(seq 1 "$n"); do
        cp "$SEEDS/${seeds[i % ${#seeds[@]}]}" "$posts/p$i.${seeds[i % ${#seeds[@]}]##*.}"
        chmod u+w "$posts/p$i".*
        printf '\nvariant %d carillon%d\n' "$i" "$i" >> "$posts/p$i".*
    done
}

# Fails unless $1 (an exit status) is a clean exit, not a crash.
not_a_crash() {
    [ "$1" -lt 128 ] || { echo "crashed with status $1"; return 1; }
}

# The index opens and answers, or there is none yet (killed before the
# first commit).  Never "damaged", never a crash.
index_opens() {
    run --separate-stderr "$TROUVE" stats --json
    not_a_crash "$status"
    if [ "$status" -ne 0 ]; then
        [[ "$stderr" == "trouve: no index at '$TROUVE_INDEX'"* ]] ||
            { echo "stats: $status $stderr"; return 1; }
        return 0
    fi
    run --separate-stderr "$TROUVE" search --json -- carillon1 OR mentorship
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ] ||
        { echo "search: $status $stderr"; return 1; }
}

@test "kill -9 at random moments: the index opens, holds whole batches, and a re-run equals a fresh build" {
    kills=${TROUVE_KILLS:-50}
    make_corpus 80
    export TROUVE_BATCH_POSTS=4
    # kills land anywhere in a run: delays up to what a whole run takes
    t0=$(date +%s%N)
    "$TROUVE" index -q -j 1 --index "$BATS_TEST_TMPDIR/fresh" "$posts"
    span=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$span" -ge 20 ] || span=20
    RANDOM=${TROUVE_SEED:-99}
    whole=0 partial=0
    for k in $(seq 1 "$kills"); do
        # Half the runs start from nothing (the very first commit is in
        # reach), half bring an index up to date after edits.
        fresh=$((k % 2))
        if [ "$fresh" -eq 1 ]; then
            rm -rf "$TROUVE_INDEX"
        else
            for i in $((RANDOM % 80 + 1)) $((RANDOM % 80 + 1)); do
                printf 'edit %d\n' "$k" >> "$posts/p$i".*
            done
        fi
        "$TROUVE" index -q -j 1 "$posts" &
        pid=$!
        ms=$(( (RANDOM * 32768 + RANDOM) % span ))
        sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        index_opens
        if [ "$fresh" -eq 1 ] && [ "$status" -eq 0 ]; then
            # From nothing, with one shard: whole batches of 4 (or all).
            n=$("$TROUVE" stats --json | jq -r .posts)
            if [ "$n" -eq 80 ]; then whole=$((whole + 1)); else partial=$((partial + 1)); fi
            [ $((n % 4)) -eq 0 ] || { echo "kill $k: $n posts, not whole batches"; return 1; }
        fi
        run "$TROUVE" index -q -j 1 "$posts"
        [ "$status" -eq 0 ] || { echo "kill $k: re-run failed: $output"; return 1; }
        # The end state equals a fresh build (checked in full every 5th
        # kill and at the end; every time, a third run finds nothing to do).
        if [ $((k % 5)) -eq 0 ] || [ "$k" -eq "$kills" ]; then
            same_as_fresh "$TROUVE_INDEX" "kill $k, then a re-run" -j 1
        else
            run "$TROUVE" index --json -j 1 "$posts"
            [ "$(jq -c '[.added, .updated, .removed, .unchanged]' <<<"$output")" = "[0,0,0,80]" ] ||
                { echo "kill $k: third run: $output"; return 1; }
        fi
    done
    echo "# $kills kills within ${span} ms runs: $partial left part of the posts, $whole came after the end" >&3
}

@test "a first run killed while creating its shards: the next run starts over" {
    make_corpus 10
    # what a kill before the stub leaves: shard folders, one half made
    mkdir -p "$TROUVE_INDEX/shard-0" "$TROUVE_INDEX/shard-1"
    head -c 8192 /dev/zero > "$TROUVE_INDEX/shard-1/postlist.glass"
    index_opens
    run "$TROUVE" index --json -j 2 "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 10 ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 10 ]
}

# Each row: syscall, injection (strace syntax), path filter or "".  The
# current shard's folder is read from the stub, since compaction moves it.
@test "injected write, fsync and rename failures: one line, exit 2, the index opens, the next run finishes" {
    make_corpus 30
    export TROUVE_BATCH_POSTS=5
    "$TROUVE" index -q -j 1 "$posts"
    rows=(
        "pwrite64 error=ENOSPC:when=1 shard:postlist.glass"
        "pwrite64 error=EIO:when=3 shard:termlist.glass"
        "pwrite64 error=ENOSPC:when=1 "
        "pwrite64 error=ENOSPC:when=25 "
        "fdatasync error=EIO:when=1 shard:docdata.glass"
        "fdatasync error=EIO:when=4 "
        "fsync error=EIO:when=1 "
        "fsync error=EIO:when=2 "
        "rename error=EIO:when=1 "
        "rename error=EXDEV:when=2 "
        "write error=ENOSPC:when=1 index:XAPIANDB.tmp"
        "openat error=EMFILE:when=12 "
    )
    failed=0
    for row in "${rows[@]}"; do
        read -r sc inj where <<<"$row"
        for f in "$posts"/p1[0-9].*; do printf 'more %s\n' "$sc" >> "$f"; done
        filter=()
        shard=$(awk '/^auto /{print $2; exit}' "$TROUVE_INDEX/XAPIANDB")
        case $where in
        shard:*) filter=(-P "$TROUVE_INDEX/$shard/${where#shard:}") ;;
        index:*) filter=(-P "$TROUVE_INDEX/${where#index:}") ;;
        esac
        run --separate-stderr strace_trouve -f -qq -o /dev/null "${filter[@]}" \
            -e trace="$sc" -e inject="$sc:$inj" "$TROUVE" index -q -j 1 "$posts"
        not_a_crash "$status"
        if [ "$status" -ne 0 ]; then
            failed=$((failed + 1))
            [ "$status" -eq 2 ] || { echo "$row: status $status"; return 1; }
            [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$row: $stderr"; return 1; }
            [[ "$stderr" == "trouve: "* ]]
        fi
        index_opens
        [ "$status" -eq 0 ]
        run "$TROUVE" index -q -j 1 "$posts"
        [ "$status" -eq 0 ] || { echo "$row: next run: $output"; return 1; }
    done
    # Most rows must really have hit: an injection that never fires tests
    # nothing.
    [ "$failed" -ge $(( ${#rows[@]} - 2 )) ] || { echo "only $failed of ${#rows[@]} injections fired"; return 1; }
    echo "# ${#rows[@]} injected faults, $failed made the run fail cleanly" >&3
    same_as_fresh "$TROUVE_INDEX" "after the faults" -j 1
}

@test "a full disk: one line, exit 2, a consistent index, and the run finishes once there is room" {
    disk=$BATS_TEST_TMPDIR/disk
    mkdir -p "$disk"
    # 4 MB: room for some batches of these 300 posts, not all (trouve
    # checks the free space before each commit: Xapian 1.4 can abort the
    # process when the disk fills inside one)
    if ! mount -t tmpfs -o size=4m tmpfs "$disk" 2>/dev/null; then
        skip "cannot mount a tmpfs here (not root, or no permission)"
    fi
    make_corpus 300
    export TROUVE_INDEX=$disk/index TROUVE_BATCH_POSTS=20
    run --separate-stderr "$TROUVE" index -q "$posts"
    st=$status err=$stderr
    n=$( ("$TROUVE" stats --json 2>/dev/null || echo '{"posts":0}') | jq -r .posts)
    index_opens
    ok=$status
    mount -o remount,size=200m "$disk"
    run "$TROUVE" index -q "$posts"
    st2=$status
    rm -rf "$BATS_TEST_TMPDIR/fresh"
    "$TROUVE" index -q --index "$BATS_TEST_TMPDIR/fresh" "$posts"
    same=0
    [ "$(index_snapshot "$TROUVE_INDEX")" = "$(index_snapshot "$BATS_TEST_TMPDIR/fresh")" ] && same=1
    umount "$disk"
    echo "first run: $st, $err; posts then: $n; second run: $st2"
    [ "$st" -eq 2 ]
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
    [[ "$err" == *"No space left on device"* ]]
    [ "$ok" -eq 0 ]
    [ "$n" -lt 300 ]
    [ "$st2" -eq 0 ]
    [ "$same" -eq 1 ]
    echo "# full disk after $n posts committed" >&3
}

# Starts an index run of many posts in small batches, in the background,
# made slow whatever the machine (strace delays every fdatasync, so each
# commit, by 50 ms); $pid is trouve's, not strace's.  Returns once the
# first batch is committed.
start_long_run() {
    make_corpus 600
    export TROUVE_BATCH_POSTS=10
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -o /dev/null -e trace=fdatasync \
        -e inject=fdatasync:delay_exit=50000 \
        "$TROUVE" index -j 1 "$posts" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
    tracer=$!
    pid=
    for _ in $(seq 1 600); do
        pid=$(pgrep -P "$tracer" -x trouve || true)
        [ -n "$pid" ] && [ -e "$TROUVE_INDEX/XAPIANDB" ] &&
            [ "$("$TROUVE" stats --json 2>/dev/null | jq -r .posts)" -gt 0 ] && break
        sleep 0.05
    done
    [ -n "$pid" ]
}

@test "SIGINT: the batch in hand is committed, the message says how many posts are in, exit 130" {
    start_long_run
    kill -INT "$pid"
    st=0
    wait "$tracer" || st=$?
    [ "$st" -eq 130 ]
    run cat "$BATS_TEST_TMPDIR/err"
    [[ "$output" =~ ^trouve:\ interrupted:\ ([0-9]+)\ posts?\ indexed\ and\ committed ]]
    n=${BASH_REMATCH[1]}
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq "$n" ]
    [ "$n" -lt 600 ]
    run "$TROUVE" index --json -j 1 "$posts"
    [ "$(jq -r .added <<<"$output")" -eq $((600 - n)) ]
}

@test "SIGTERM: the same, exit 143" {
    start_long_run
    kill -TERM "$pid"
    st=0
    wait "$tracer" || st=$?
    [ "$st" -eq 143 ]
    grep -q '^trouve: interrupted: ' "$BATS_TEST_TMPDIR/err"
    index_opens
}

@test "a second SIGINT ends the run at once; what was committed stays" {
    # one large post read in parts: the first signal waits for a part
    python3 -c "
import random
random.seed(5)
w = open('$SEEDS/reverse-mentorship.txt').read().split()
with open('$posts/big.txt', 'w') as f:
    for _ in range(60):
        f.write(' '.join(random.choices(w, k=100000)) + ' ')
"
    "$TROUVE" index -j 1 "$posts" 2> "$BATS_TEST_TMPDIR/err" &
    pid=$!
    sleep 1
    kill -INT "$pid"
    sleep 0.05
    kill -INT "$pid" 2>/dev/null || true
    t0=$(date +%s%N)
    st=0
    wait "$pid" || st=$?
    t1=$(date +%s%N)
    [ "$st" -eq 130 ]
    [ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
    index_opens
}

@test "a second indexer exits 75 naming the lock; --wait waits for it" {
    make_corpus 10
    "$TROUVE" index -q "$posts"
    flock "$TROUVE_INDEX/trouve.lock" sleep 2 &
    sleep 0.3
    run --separate-stderr "$TROUVE" index "$posts"
    [ "$status" -eq 75 ]
    [ "$stderr" = "trouve: index '$TROUVE_INDEX' is locked by another indexer ($TROUVE_INDEX/trouve.lock)" ]
    run --separate-stderr "$TROUVE" index --wait 0 "$posts"
    [ "$status" -eq 75 ]
    t0=$(date +%s)
    run --separate-stderr "$TROUVE" index --json --wait 20 "$posts"
    [ "$status" -eq 0 ]
    [ "$(jq -r .unchanged <<<"$output")" -eq 10 ]
    [ $(( $(date +%s) - t0 )) -lt 15 ]
    wait
    # a real indexer holding the lock, and one waiting for it
    make_corpus 300
    TROUVE_BATCH_POSTS=5 "$TROUVE" index -q -j 1 "$posts" &
    first=$!
    sleep 0.2
    run --separate-stderr "$TROUVE" index --json --wait 60 "$posts"
    wait "$first"
    [ "$status" -eq 0 ]
    [ "$("$TROUVE" stats --json | jq -r .posts)" -eq 300 ]
}

# Indexes the 120 posts of make_corpus again and again in the background,
# a tenth of them edited before each run, in batches of 3 posts: 20 runs
# (80 with TROUVE_STRESS), then touches $BATS_TEST_TMPDIR/done.  A failed
# run is listed in $BATS_TEST_TMPDIR/writer.  Sets rounds and writer (the
# pid to wait for).
start_commits() {
    rounds=${TROUVE_STRESS:+80}
    (
        export TROUVE_BATCH_POSTS=3
        for r in $(seq 1 "${rounds:-20}"); do
            for i in $(seq $((r % 10 + 1)) 10 120); do
                printf 'round %d carillon\n' "$r" >> "$posts/p$i".*
            done
            "$TROUVE" index -q "$posts" || echo "indexer failed: $?" >> "$BATS_TEST_TMPDIR/writer"
        done
        touch "$BATS_TEST_TMPDIR/done"
    ) &
    writer=$!
}

@test "searches while an indexer commits never fail, and every JSON line is complete" {
    make_corpus 120
    "$TROUVE" index -q "$posts"
    start_commits
    searches=0
    reader() {
        local n=0 out st
        while [ ! -e "$BATS_TEST_TMPDIR/done" ]; do
            n=$((n + 1))
            out=$BATS_TEST_TMPDIR/search-$1-$n
            st=0
            "$TROUVE" search --json -n 50 -- carillon OR mentorship > "$out" 2> "$out.err" || st=$?
            if [ "$st" -ne 0 ] && [ "$st" -ne 1 ]; then
                echo "search $1-$n: status $st: $(cat "$out.err")"
                return 1
            fi
            all_json_file "$out" || { echo "search $1-$n: bad JSON"; return 1; }
            [ "$(tail -n 1 "$out" | jq -r .type)" = summary ] || { echo "search $1-$n: no summary"; return 1; }
            rm -f "$out" "$out.err"
        done
        echo "$n" > "$BATS_TEST_TMPDIR/reader-$1"
    }
    reader a & ra=$!
    reader b & rb=$!
    ok=0
    wait "$ra" || ok=1
    wait "$rb" || ok=1
    wait "$writer"
    [ ! -e "$BATS_TEST_TMPDIR/writer" ] || { cat "$BATS_TEST_TMPDIR/writer"; return 1; }
    [ "$ok" -eq 0 ]
    n=$(( $(cat "$BATS_TEST_TMPDIR/reader-a") + $(cat "$BATS_TEST_TMPDIR/reader-b") ))
    echo "# $n searches during ${rounds:-20} indexing runs, none failed" >&3
    [ "$n" -gt 10 ]
}

@test "stats while an indexer commits never fail" {
    make_corpus 120
    "$TROUVE" index -q "$posts"
    start_commits
    # back to back, checked afterwards: the denser, the likelier a stats
    # run is overtaken (without retries, 2 of 133 such runs failed)
    n=0 failed=0
    mkdir "$BATS_TEST_TMPDIR/stats"
    while [ ! -e "$BATS_TEST_TMPDIR/done" ]; do
        n=$((n + 1))
        if ! "$TROUVE" stats --json > "$BATS_TEST_TMPDIR/stats/$n" 2> "$BATS_TEST_TMPDIR/stats.err"; then
            echo "stats $n: $(cat "$BATS_TEST_TMPDIR/stats.err")"
            failed=1
            break
        fi
    done
    wait "$writer"
    [ ! -e "$BATS_TEST_TMPDIR/writer" ] || { cat "$BATS_TEST_TMPDIR/writer"; return 1; }
    [ "$failed" -eq 0 ]
    jq -s -e 'all(.posts == 120 and (.roots | length) == 1)' "$BATS_TEST_TMPDIR"/stats/* > /dev/null
    echo "# $n stats during the indexing runs, none failed" >&3
}

# Each row damages a fresh index one way; then search, stats and index
# must each print one line saying the index is damaged and how to
# rebuild, and exit 2 - never crash.  "damaged" and "remove it" are what
# trouve says.
damage() {
    local how=$1 f
    shopt -s nullglob
    local shard=("$TROUVE_INDEX"/shard-*)
    local glass=("${shard[0]}"/*.glass)
    case $how in
    truncate-all) for f in "${glass[@]}"; do truncate -s 100 "$f"; done ;;
    truncate-half) f=${shard[0]}/postlist.glass; truncate -s $(( $(stat -c %s "$f") / 2 )) "$f" ;;
    zero-all) for f in "${glass[@]}"; do dd if=/dev/zero of="$f" bs=1 count="$(stat -c %s "$f")" conv=notrunc status=none; done ;;
    garbage) for f in "${glass[@]}"; do head -c 8192 /dev/urandom > "$f"; done ;;
    no-version) rm "${shard[0]}/iamglass" ;;
    zero-version) truncate -s 0 "${shard[0]}/iamglass" ;;
    no-tables) rm "${glass[@]}" ;;
    empty-stub) : > "$TROUVE_INDEX/XAPIANDB" ;;
    garbage-stub) head -c 300 /dev/urandom > "$TROUVE_INDEX/XAPIANDB" ;;
    stub-missing-shard) echo "auto shard-7" >> "$TROUVE_INDEX/XAPIANDB" ;;
    file-in-place) rm -rf "$TROUVE_INDEX"; echo "not an index" > "$TROUVE_INDEX" ;;
    shard-is-file) rm -rf "${shard[0]}"; echo x > "${shard[0]}" ;;
    esac
}

@test "a block that reads as a later revision's, with no writer, is damage, said at once" {
    # Xapian takes a damaged block for one a later commit rewrote
    # (DatabaseModifiedError); searches retried for 10 s, then blamed a
    # writer that was not there.
    make_corpus 20
    "$TROUVE" index -q -j 1 "$posts"
    python3 - "$TROUVE_INDEX"/shard-*/docdata.glass <<'EOF'
import sys
f = sys.argv[1]
b = bytearray(open(f, 'rb').read())
for k in range(4):
    b[8192 + k] ^= 0xff
open(f, 'wb').write(b)
EOF
    t0=$(date +%s%N)
    run --separate-stderr "$TROUVE" search -- mentorship
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$status" -eq 2 ]
    [[ "$stderr" == "trouve: index '$TROUVE_INDEX' is damaged: "*"remove it"* ]]
    [ "$ms" -lt 5000 ] || { echo "took $ms ms"; return 1; }
}

@test "a damaged index: one line saying so and how to rebuild, exit 2, never a crash" {
    make_corpus 20
    cases=(truncate-all truncate-half zero-all garbage no-version zero-version
           no-tables empty-stub garbage-stub stub-missing-shard file-in-place
           shard-is-file)
    for how in "${cases[@]}"; do
        rm -rf "$TROUVE_INDEX"
        "$TROUVE" index -q -j 2 "$posts"
        damage "$how"
        for cmd in "search -- mentorship" "stats" "index $posts"; do
            # shellcheck disable=SC2086
            run --separate-stderr "$TROUVE" $cmd
            not_a_crash "$status"
            # An indexer that needs no damaged block may finish its run.
            [[ "$cmd" == index* ]] && [ "$status" -eq 0 ] && continue
            if [ "$status" -ne 2 ] || [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ] ||
               [[ "$stderr" != *damaged* ]] || [[ "$stderr" != *"remove it"* ]]; then
                echo "$how, $cmd: status $status: $stderr"
                return 1
            fi
        done
        # and the advice works
        rm -rf "$TROUVE_INDEX"
        "$TROUVE" index -q "$posts"
    done
}

# The tables only: flips in the version file (iamglass) are the next test.
@test "random bit flips in an index: never a crash; damage reported when seen" {
    make_corpus 40
    "$TROUVE" index -q -j 1 "$posts"
    cp -r "$TROUVE_INDEX" "$BATS_TEST_TMPDIR/good"
    RANDOM=${TROUVE_SEED:-7}
    flips=${TROUVE_STRESS:+200}
    seen=0
    for k in $(seq 1 "${flips:-20}"); do
        rm -rf "$TROUVE_INDEX"
        cp -r "$BATS_TEST_TMPDIR/good" "$TROUVE_INDEX"
        python3 - "$TROUVE_INDEX" "$RANDOM" <<'EOF'
import os, random, sys
ix, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(ix) for f in fs
               if f.endswith('.glass'))
for _ in range(rnd.randint(1, 8)):
    f = rnd.choice(files)
    size = os.path.getsize(f)
    if size == 0:
        continue
    with open(f, 'r+b') as h:
        at = rnd.randrange(size)
        h.seek(at)
        b = h.read(1)[0]
        h.seek(at)
        h.write(bytes([b ^ (1 << rnd.randrange(8))]))
EOF
        for cmd in "search --json -n 50 -- mentorship OR carillon3" "stats" "search -- jardin"; do
            # shellcheck disable=SC2086
            run --separate-stderr timeout 60 "$TROUVE" $cmd
            if [ "$status" -gt 2 ]; then
                cp -r "$TROUVE_INDEX" "$BATS_TEST_TMPDIR/crashed"
                echo "flip $k, $cmd: status $status (index kept in $BATS_TEST_TMPDIR/crashed): $stderr"
                return 1
            fi
            if [ "$status" -eq 2 ]; then
                seen=$((seen + 1))
                [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "flip $k: $stderr"; return 1; }
                [[ "$stderr" == *damaged* ]] || { echo "flip $k, $cmd: $stderr"; return 1; }
            fi
        done
    done
    echo "# ${flips:-20} indexes with flipped bits: $seen commands reported damage, none crashed" >&3
}

# Every single-bit flip of a shard's version file, each read by stats.
# Debian 12's libxapian 1.4.22 crashes (SIGSEGV, inside the
# Xapian::Database constructor) on a few of them: trouve cannot catch a
# crash inside the library, so until opening is done in a child process
# (or Xapian is fixed) this test reports the count and is skipped.
@test "every bit flip of a version file: never a crash (make stress)" {
    [ -n "${TROUVE_STRESS:-}" ] || skip "a long run: make stress"
    make_corpus 20
    "$TROUVE" index -q -j 1 "$posts"
    run python3 - "$TROUVE" "$TROUVE_INDEX" <<'EOF'
import glob, os, shutil, subprocess, sys
trouve, ix = sys.argv[1], sys.argv[2]
vf = glob.glob(os.path.join(ix, 'shard-*', 'iamglass'))[0]
data = open(vf, 'rb').read()
crashes, damaged, n = [], 0, 0
for at in range(len(data)):
    for bit in range(8):
        b = bytearray(data)
        b[at] ^= 1 << bit
        open(vf, 'wb').write(b)
        r = subprocess.run([trouve, 'stats', '--index', ix],
                           capture_output=True, timeout=60)
        n += 1
        if r.returncode < 0 or r.returncode > 2:
            crashes.append('%d:%d' % (at, bit))
        elif r.returncode == 2:
            damaged += 1
            err = r.stderr.decode('utf-8', 'replace')
            if 'damaged' not in err or err.count('\n') != 1:
                print('flip %d:%d: %s' % (at, bit, err))
                sys.exit(2)
open(vf, 'wb').write(data)
print('%d flips, %d reported damage, %d crashed (byte:bit %s)'
      % (n, damaged, len(crashes), ' '.join(crashes)))
sys.exit(1 if crashes else 0)
EOF
    echo "# version file: $output" >&3
    [ "$status" -ne 2 ]
    if [ "$status" -eq 1 ]; then
        skip "libxapian 1.4.22 crashes opening some damaged version files: $output"
    fi
}
