#!/bin/sh
# matching_posts.sh QUERY... - the posts matching a query, best first: how
# many of their passages match, their best score, their path.  A shell
# pipeline over `trouve search --json`; tests/cli/api.bats runs it and
# README.md shows it.
trouve search --json --limit 1000 -- "$@" |
    jq -r --slurp '
        [.[] | select(.type == "hit")]
        | group_by(.path)
        | map({path: .[0].path, passages: length, best: (map(.score) | max)})
        | sort_by(-.best)[]
        | "\(.passages)\t\(.best)\t\(.path)"'
