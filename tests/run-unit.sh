#!/usr/bin/env bash
# Runs unit-test and C API programs given as arguments; each is a cmocka
# program (or any program) exiting 0 on success.  Prints one line per
# program and a total; exits 1 if any failed.
set -u
failed=0
for t in "$@"; do
    if out=$("$t" 2>&1); then
        printf '  ok     %s\n' "${t##*/}"
    else
        printf '  FAIL   %s\n%s\n' "${t##*/}" "$out"
        failed=$((failed + 1))
    fi
done
printf '%d programs, %d failed\n' "$#" "$failed"
[ "$failed" -eq 0 ]
