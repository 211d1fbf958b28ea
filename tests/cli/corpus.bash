# Shared by shards.bats and remote.bats (loaded, not run): a corpus of posts
# made from the seeds, and search results in a form that compares layouts.

# Queries the layouts are compared on: words in both languages, stems, a
# phrase, OR, a prefix, a language filter, NOT.
QUERIES=(
    "reverse mentorship"
    "mentorat inversé"
    "jardin"
    "cycling OR vélo"
    "\"community garden\""
    "mentor*"
    "lang:fr comité"
    "winter -studded"
)

# make_posts DIR: 30 posts in 5 folders, from the seeds, each made
# distinct by a numbered paragraph of its own length.
make_posts() {
    local dir=$1 i=0 f sub k
    for sub in a b c/d e f; do
        mkdir -p "$dir/$sub"
        for f in "$SEEDS"/*.txt "$SEEDS"/*.md; do
            i=$((i + 1))
            {
                cat "$f"
                printf '\nNote %d.' "$i"
                for ((k = 0; k < i % 7; k++)); do
                    printf ' The garden committee met again; le comité du jardin aussi.'
                done
                printf '\n'
            } > "$dir/$sub/$i-$(basename "$f")"
        done
    done
}

# results INDEX BASE [QUERY...]: each query's hits (default: $QUERIES) as
# "score path line", paths relative to BASE, sorted by score, then path and
# line: the same hits with the same scores, whatever order Xapian gives to
# equal scores (docids differ from one layout to another).  Scores have 4
# decimals; BM25 statistics are global over the shards, so they agree.
results() {
    local ix=$1 base=$2 q
    shift 2
    [ $# -gt 0 ] || set -- "${QUERIES[@]}"
    for q in "$@"; do
        printf '# %s\n' "$q"
        "$TROUVE" search --index "$ix" --json -n 200 -- "$q" 2>/dev/null |
            jq -r --arg b "$base/" 'select(.type == "hit") |
                "\(.score) \(.path | ltrimstr($b)) \(.line)"' |
            LC_ALL=C sort -k1,1gr -k2,2 -k3,3n
    done
}
