/*
 * check.h - what the C API programs share: a check that counts its
 * failures and goes on, and the end of a run.  They see only the public
 * header otherwise, and link libtrouve.so (Makefile).
 */
#ifndef TROUVE_TESTS_CHECK_H
#define TROUVE_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int failures; /* checks failed so far */

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* Removes the scratch folder `dir` (made with mkdtemp), says how many
 * checks failed, and returns the exit status: 0 when none did. */
static inline int finish(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}

#endif
