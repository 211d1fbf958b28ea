#!/usr/bin/env bats
# Remote shards: xapian-tcpsrv serving shards on loopback ports, named in
# the index's stub file ("remote 127.0.0.1:PORT"), searched together with
# the local ones.
#
# What is compared.  Xapian 1.4's remote protocol cannot read the synonym
# table, where trouve keeps its stems, so a search over remote shards runs
# without stems (and says so).  Two comparisons:
#   - the full query list of corpus.bash, against the same shards opened
#     locally beside an empty remote database: stems off on both sides,
#     the same statistics (the empty one adds nothing), so hits and scores
#     must be equal;
#   - queries whose results stems do not change on this corpus (STEMLESS),
#     against the plain local index, stems on.
# The servers run in their own session (xapian-tcpsrv signals its whole
# process group when it stops), under `timeout` so that they end even if a
# teardown is missed, and are killed by pid in teardown.

load helper
load corpus

STEMLESS=(
    "\"reverse mentorship\""
    "mentorship"
    "jardin"
    "committee"
    "\"community garden\""
    "cycling"
    "mentorat"
    "garden"
    "mentor*"
    "lang:fr jardin"
)

# start_server PIDFILE DB: serves DB on a free loopback port; prints it.
start_server() {
    local pidfile=$1 db=$2 port log try i
    for try in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 40000))
        log=$(mktemp "$BATS_FILE_TMPDIR/tcpsrv.XXXXXX")
        setsid timeout 600 xapian-tcpsrv --port "$port" \
            --interface 127.0.0.1 "$db" > "$log" 2>&1 < /dev/null &
        for i in $(seq 100); do
            if grep -q '^Listening' "$log"; then
                # only servers that listen: line N is the Nth one started
                echo $! >> "$pidfile"
                echo "$port"
                return 0
            fi
            kill -0 $! 2>/dev/null || break   # the port was taken
            sleep 0.05
        done
        kill $! 2>/dev/null || true
    done
    echo "cannot start xapian-tcpsrv for $db" >&2
    return 1
}

# stop_servers PIDFILE: kills the servers listed, and waits for them.
stop_servers() {
    local pid
    [ -f "$1" ] || return 0
    while read -r pid; do
        kill "$pid" 2>/dev/null || true
    done < "$1"
    while read -r pid; do
        while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    done < "$1"
    rm -f "$1"
}

setup_file() {
    command -v xapian-tcpsrv > /dev/null ||
        skip "xapian-tcpsrv missing (Debian package xapian-tools)"
    export D=$BATS_FILE_TMPDIR
    export posts=$D/posts
    make_posts "$posts"
    "$TROUVE" index -q -j 2 --index "$D/local" "$posts"
    mkdir -p "$D/nothing"
    "$TROUVE" index -q -j 1 --index "$D/empty" "$D/nothing"
    local s0 s1
    s0=$(basename "$(sed -n 's/^auto //p' "$D/local/XAPIANDB" | sed -n 1p)")
    s1=$(basename "$(sed -n 's/^auto //p' "$D/local/XAPIANDB" | sed -n 2p)")
    export SHARD0=$D/local/$s0 SHARD1=$D/local/$s1
    export P0 P1 PE
    P0=$(start_server "$D/pids" "$SHARD0")
    P1=$(start_server "$D/pids" "$SHARD1")
    PE=$(start_server "$D/pids" "$D/empty")
    # both shards remote
    mkdir -p "$D/remote"
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" \
        > "$D/remote/XAPIANDB"
    # the same shards local, beside an empty remote database
    mkdir -p "$D/local+empty"
    printf 'auto %s\nauto %s\nremote 127.0.0.1:%s\n' "$SHARD0" "$SHARD1" \
        "$PE" > "$D/local+empty/XAPIANDB"
    # one shard local, one remote
    mkdir -p "$D/mixed"
    printf 'auto %s\nremote 127.0.0.1:%s\n' "$SHARD0" "$P1" \
        > "$D/mixed/XAPIANDB"
}

teardown_file() {
    stop_servers "$BATS_FILE_TMPDIR/pids"
}

teardown() {
    stop_servers "$BATS_TEST_TMPDIR/pids"
}

@test "two remote shards give the hits of the local shards (stems off both)" {
    results "$D/remote" "$posts" > "$BATS_TEST_TMPDIR/remote.txt"
    results "$D/local+empty" "$posts" > "$BATS_TEST_TMPDIR/local.txt"
    [ "$(grep -vc '^#' "$BATS_TEST_TMPDIR/local.txt")" -gt 50 ]
    diff "$BATS_TEST_TMPDIR/local.txt" "$BATS_TEST_TMPDIR/remote.txt"
}

@test "two remote shards give the hits of the local index where stems do not matter" {
    results "$D/remote" "$posts" "${STEMLESS[@]}" > "$BATS_TEST_TMPDIR/remote.txt"
    results "$D/local" "$posts" "${STEMLESS[@]}" > "$BATS_TEST_TMPDIR/local.txt"
    [ "$(grep -vc '^#' "$BATS_TEST_TMPDIR/local.txt")" -gt 100 ]
    diff "$BATS_TEST_TMPDIR/local.txt" "$BATS_TEST_TMPDIR/remote.txt"
    # ...and in the order of the local index, for distinct scores
    run "$TROUVE" search --index "$D/remote" --json -n 5 -- '"reverse mentorship"'
    a=$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | "\(.path):\(.line)"')
    run "$TROUVE" search --index "$D/local" --json -n 5 -- '"reverse mentorship"'
    b=$(printf '%s\n' "$output" | jq -r 'select(.type == "hit") | "\(.path):\(.line)"')
    [ -n "$a" ] && [ "$a" = "$b" ]
}

@test "a local shard and a remote one are searched together" {
    results "$D/mixed" "$posts" > "$BATS_TEST_TMPDIR/mixed.txt"
    results "$D/local+empty" "$posts" > "$BATS_TEST_TMPDIR/local.txt"
    diff "$BATS_TEST_TMPDIR/local.txt" "$BATS_TEST_TMPDIR/mixed.txt"
}

@test "without stems the search says so, on stderr and in the JSON summary" {
    run --separate-stderr "$TROUVE" search --index "$D/remote" -- jardins
    [ "$status" -eq 0 ]
    [ "$stderr" = "trouve: stems were not used: the index has remote shards, whose stem tables Xapian cannot read" ]
    run --separate-stderr "$TROUVE" search --json --index "$D/remote" -- jardins
    printf '%s\n' "$output" | tail -n 1 | jq -e '.type == "summary" and (.warning | test("stems were not used"))'
    # the local index uses stems and says nothing
    run --separate-stderr "$TROUVE" search --index "$D/local" -- jardins
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}

@test "stats count the posts and shards of remote shards" {
    run "$TROUVE" stats --json --index "$D/remote"
    [ "$status" -eq 0 ]
    local r=$output
    run "$TROUVE" stats --json --index "$D/local"
    for k in posts passages passages_en passages_fr terms text_bytes; do
        [ "$(jq -r ".$k" <<<"$r")" = "$(jq -r ".$k" <<<"$output")" ]
    done
    [ "$(jq -r .shards <<<"$r")" -eq 2 ]
    [ "$(jq -r .posts <<<"$r")" -eq 30 ]
}

@test "a remote shard that stops: one clear line and exit 2, mid-run too" {
    local pids=$BATS_TEST_TMPDIR/pids a b i
    a=$(start_server "$pids" "$SHARD0")
    b=$(start_server "$pids" "$SHARD1")
    mkdir -p "$BATS_TEST_TMPDIR/ix"
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$a" "$b" \
        > "$BATS_TEST_TMPDIR/ix/XAPIANDB"
    run "$TROUVE" search --index "$BATS_TEST_TMPDIR/ix" -- jardin
    [ "$status" -eq 0 ]
    # searches in a loop while the second server is stopped: each one
    # either succeeds or fails with exit 2 and one line
    for i in $(seq 40); do
        rc=0
        "$TROUVE" search --json --index "$BATS_TEST_TMPDIR/ix" -- jardin \
            > "$BATS_TEST_TMPDIR/out.$i" 2> "$BATS_TEST_TMPDIR/err.$i" ||
            rc=$?
        echo "$rc" > "$BATS_TEST_TMPDIR/rc.$i"
    done &
    local loop=$!
    sleep 0.1
    kill "$(sed -n 2p "$pids")"
    wait "$loop" || true
    # A child the server forked for a connection may hold its listening
    # socket a moment longer (connections then wait in the backlog and
    # are dropped): the checks below want the port closed.
    for i in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$b") 2>/dev/null || break
        sleep 0.05
    done
    for i in $(seq 40); do
        rc=$(cat "$BATS_TEST_TMPDIR/rc.$i")
        if [ "$rc" -eq 0 ]; then
            tail -n 1 "$BATS_TEST_TMPDIR/out.$i" | jq -e '.type == "summary"' > /dev/null
        else
            [ "$rc" -eq 2 ]
            [ "$(wc -l < "$BATS_TEST_TMPDIR/err.$i")" -eq 1 ]
            grep -q '^trouve: .*remote' "$BATS_TEST_TMPDIR/err.$i"
        fi
    done
    # the last ones ran with the server gone
    [ "$(cat "$BATS_TEST_TMPDIR/rc.40")" -eq 2 ]
    run --separate-stderr "$TROUVE" search --index "$BATS_TEST_TMPDIR/ix" -- jardin
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == "trouve: cannot reach a remote shard of '$BATS_TEST_TMPDIR/ix': "*"127.0.0.1:$b"* ]]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    run --separate-stderr "$TROUVE" stats --index "$BATS_TEST_TMPDIR/ix"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "trouve: cannot reach a remote shard"* ]]
}

@test "the indexer writes local shards only and keeps the remote lines" {
    # another machine's index (folders e and f), served whole: xapian-tcpsrv
    # opens the stub in the folder
    local pids=$BATS_TEST_TMPDIR/pids other here port before after
    other=$BATS_TEST_TMPDIR/other
    here=$BATS_TEST_TMPDIR/here
    mkdir -p "$here"
    cp -r "$posts/a" "$posts/b" "$here/"
    "$TROUVE" index -q -j 2 --index "$other" "$posts/e" "$posts/f"
    port=$(start_server "$pids" "$other")
    before=$(find "$other" -type f ! -name '*.lock' -exec md5sum {} + | sort)

    ix=$BATS_TEST_TMPDIR/ix
    "$TROUVE" index -q -j 2 --index "$ix" "$here"
    printf 'remote 127.0.0.1:%s\n' "$port" >> "$ix/XAPIANDB"
    # a run that adds, changes and removes posts, big enough to compact
    cp -r "$posts/c" "$here/"
    echo "Kites over the community garden." >> "$here/a/1-creme-brulee-cp1252.txt"
    rm "$here/b/8-jardin-communautaire.txt"
    run "$TROUVE" index --json --index "$ix" "$here"
    [ "$status" -eq 0 ]
    [ "$(jq -c '[.added, .updated, .removed]' <<<"$output")" = "[6,1,1]" ]
    grep -qx "remote 127.0.0.1:$port" "$ix/XAPIANDB"
    [ "$(grep -c '^auto ' "$ix/XAPIANDB")" -eq 2 ]
    # the local posts and the other machine's, together
    run "$TROUVE" stats --json --index "$ix"
    [ "$(jq -r .posts <<<"$output")" -eq $((17 + 12)) ]
    run "$TROUVE" search --index "$ix" --json -n 100 -- jardin
    printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | grep -q "^$posts/f/"
    printf '%s\n' "$output" | jq -r 'select(.type == "hit") | .path' | grep -q "^$here/c/"
    run "$TROUVE" search --index "$ix" -- kites
    [ "$status" -eq 0 ]
    # compacting merges the local shards and keeps the remote line
    run "$TROUVE" compact --index "$ix"
    [ "$status" -eq 0 ]
    [ "$(grep -c '^auto ' "$ix/XAPIANDB")" -eq 1 ]
    grep -qx "remote 127.0.0.1:$port" "$ix/XAPIANDB"
    [ "$("$TROUVE" stats --json --index "$ix" | jq -r .posts)" -eq 29 ]
    # nothing was written to the remote index
    after=$(find "$other" -type f ! -name '*.lock' -exec md5sum {} + | sort)
    [ "$before" = "$after" ]
}

@test "a stub of remote shards only gets local shards of its own" {
    local pids=$BATS_TEST_TMPDIR/pids port ix=$BATS_TEST_TMPDIR/ix
    port=$(start_server "$pids" "$SHARD1")
    mkdir -p "$ix" "$BATS_TEST_TMPDIR/new"
    printf 'remote 127.0.0.1:%s\n' "$port" > "$ix/XAPIANDB"
    echo "Un billet tout neuf sur les cerfs-volants." > "$BATS_TEST_TMPDIR/new/kites.txt"
    run "$TROUVE" index --json -j 1 --index "$ix" "$BATS_TEST_TMPDIR/new"
    [ "$status" -eq 0 ]
    [ "$(jq -r .added <<<"$output")" -eq 1 ]
    [ "$(grep -c '^auto shard-0' "$ix/XAPIANDB")" -eq 1 ]
    grep -qx "remote 127.0.0.1:$port" "$ix/XAPIANDB"
    run "$TROUVE" search --index "$ix" -- cerfs-volants
    [ "$status" -eq 0 ]
    run "$TROUVE" search --index "$ix" --json -n 100 -- jardin
    [ "$status" -eq 0 ]
}

@test "compact on an index whose shards are all remote leaves it as it is, exit 0" {
    mkdir -p "$BATS_TEST_TMPDIR/r"
    cp "$D/remote/XAPIANDB" "$BATS_TEST_TMPDIR/r/"
    run --separate-stderr "$TROUVE" compact --index "$BATS_TEST_TMPDIR/r"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [[ "$output" == "2 shards, "*" -> 2 shards, "* ]]
    cmp "$D/remote/XAPIANDB" "$BATS_TEST_TMPDIR/r/XAPIANDB"
}
