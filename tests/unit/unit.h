/*
 * unit.h - what the unit test programs share: cmocka and the headers it
 * needs, COUNT and S for the row tables, hex() for failure messages, a
 * check that work grows linearly with its input, and a temporary folder
 * for the programs that write files.  Header-only (every function static
 * inline): each program is one .c file.
 */
#ifndef TROUVE_TEST_UNIT_H
#define TROUVE_TEST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define S(lit) lit, sizeof(lit) - 1 /* a literal with its length */

/* Spells a byte string as hex, for failure messages (the last 127 bytes
 * cut off; the result is valid until the next call). */
static inline const char *hex(const char *s, size_t n)
{
    static char out[512];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < sizeof out; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%02X ",
                              (unsigned char)s[i]);
    out[o] = '\0';
    return out;
}

/* CPU time of this process, in seconds. */
static inline double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fails unless row `row` of some hostile input takes linear time:
 * time_at(row, bytes) does the work on about `bytes` bytes and returns
 * the CPU seconds it took.  Four times the input may take about four
 * times as long, never ten (quadratic would be sixteen), once it takes
 * long enough to measure; comparing two sizes of the same work cancels
 * out the machine's speed and load. */
static inline void check_linear(double (*time_at)(size_t row, size_t bytes),
                                size_t row, const char *name, size_t bytes)
{
    double t1 = time_at(row, bytes);
    double t4 = time_at(row, 4 * bytes);
    if (t4 > 0.05 && t4 > 10 * t1)
        fail_msg("%s: %.3f s for %zu KiB, %.3f s for %zu KiB: not linear",
                 name, t1, bytes >> 10, t4, (4 * bytes) >> 10);
}

/* A malloc()ed string: prefix, then unit repeated until at least
 * `target` bytes of it, then suffix; its length in *n (n may be NULL). */
static inline char *unit_repeat(const char *prefix, const char *unit,
                                const char *suffix, size_t target, size_t *n)
{
    size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
    char *s = malloc(pl + target + ul + sl + 1);
    assert_non_null(s);
    memcpy(s, prefix, pl);
    size_t len = pl;
    while (len < pl + target) {
        memcpy(s + len, unit, ul);
        len += ul;
    }
    memcpy(s + len, suffix, sl + 1);
    if (n)
        *n = len + sl;
    return s;
}

/* A folder under /tmp made for one test program (`dir`, n bytes, gets
 * its path) and removed with all it holds: for cmocka's group setup and
 * teardown.  They return 0, or -1 on failure. */
static inline int unit_make_dir(char *dir, size_t n, const char *program)
{
    snprintf(dir, n, "/tmp/trouve-test-%s-XXXXXX", program);
    return mkdtemp(dir) ? 0 : -1;
}

static inline int unit_remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
