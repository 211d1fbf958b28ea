#!/usr/bin/env bash
# make demo: index seeds/ into index/ and run one English and one French
# query.  Usage: tests/demo.sh PATH/TO/trouve
set -euo pipefail
trouve=${1:-build/trouve}
cd "$(dirname "$0")/.."
echo "== trouve index seeds/"
"$trouve" index seeds
echo
echo "== trouve search -n 3 -- reverse mentorship"
"$trouve" search -n 3 -- reverse mentorship
echo
echo "== trouve search -n 3 -- mentorat inverse"
"$trouve" search -n 3 -- mentorat inverse
