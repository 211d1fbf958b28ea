# Shared by the command-line tests.  $TROUVE is the binary under test
bats_require_minimum_version 1.5.0
# (make test-cli sets it); $SEEDS the sample posts.
TROUVE=${TROUVE:-$BATS_TEST_DIRNAME/../../build/trouve}
SEEDS=$(cd "$BATS_TEST_DIRNAME/../../seeds" && pwd)

# A fresh index of seeds/ for the whole file, in $BATS_FILE_TMPDIR/index.
index_seeds() {
    export TROUVE_INDEX=$BATS_FILE_TMPDIR/index
    "$TROUVE" index -q "$SEEDS"
}

# Every line of $output is a JSON object (jq exits non-zero otherwise).
all_json() {
    [ -n "$output" ] || return 1
    printf '%s\n' "$output" | jq -e -c 'type == "object"' > /dev/null
}

# The first hit of a JSON search, as compact JSON.
first_hit() {
    printf '%s\n' "$output" | jq -c 'select(.type == "hit")' | head -n 1
}

# The highlighted words of a JSON hit read on stdin (highlights are byte
# offsets into the snippet), lowercased, sorted, unique, comma-separated.
highlighted() {
    python3 -c '
import json, sys
h = json.loads(sys.stdin.readline())
s = h["snippet"].encode()
print(",".join(sorted({s[a:b].decode().lower() for a, b in h["highlights"]})))'
}
