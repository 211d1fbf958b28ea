#!/usr/bin/env bats
# libtrouve.so: what it exports, and its soname.

load helper

LIB=$(dirname "$TROUVE")/libtrouve.so
HEADER=$BATS_TEST_DIRNAME/../../src/trouve.h

@test "libtrouve.so exports exactly the functions of trouve.h" {
    exported=$(nm -D --defined-only "$LIB" | awk '$2 == "T" {print $3}' | sed 's/@.*//' | sort)
    declared=$(grep -oE '\btrouve_[a-z_]+\(' "$HEADER" | tr -d '(' | sort -u)
    [ -n "$declared" ]
    diff <(echo "$exported") <(echo "$declared")
}

@test "libtrouve.so has a versioned soname" {
    run bash -c "objdump -p '$LIB' | awk '/SONAME/ {print \$2}'"
    [ "$output" = libtrouve.so.0 ]
}

@test "every exported function carries the version node TROUVE_0" {
    run bash -c "nm -D --defined-only '$LIB' | awk '\$2 == \"T\" {print \$3}' | grep -v '@@TROUVE_0\$'"
    [ -z "$output" ]
}
