/*
 * fuzz.h - what the libFuzzer targets share: the entry point's prototype
 * and a check that aborts (so libFuzzer records the input) with a message.
 *
 * Each tests/fuzz/fuzz_<target>.c is one libFuzzer target built with
 * clang -fsanitize=fuzzer,address,undefined against the library (make
 * fuzz-smoke, make fuzz); its seed corpus is tests/fuzz/corpus/<target>/.
 * A target checks the invariants its code promises, not only that it does
 * not crash.
 */
#ifndef TROUVE_FUZZ_H
#define TROUVE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

#endif
