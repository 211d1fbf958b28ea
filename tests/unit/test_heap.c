/*
 * test_heap.c - the search's heap (src/cli/heap.c): once moved, the
 * allocations that follow fault no page in, and the heap still behaves
 * as a heap.  Skipped where the heap cannot be moved (a sanitizer's
 * malloc, not glibc, a kernel without MADV_POPULATE_WRITE).
 */
#include "unit.h"

#include <sys/resource.h>

#include "cli/cli.h"

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

/* One test: the heap is moved once per process. */
static void test_reserved_heap(void **state)
{
    (void)state;
    if (!cli_heap_reserve())
        skip();
    /* A megabyte and a half written, in blocks of the sizes a search
     * asks for (Xapian's 8 KB blocks, strings, a post's text): without
     * the reserve each of its 384 pages faults. */
    enum { BLOCKS = 48, SIZE = 32 << 10 };
    char *b[BLOCKS];
    long before = minor_faults();
    for (int i = 0; i < BLOCKS; i++) {
        b[i] = malloc(SIZE);
        assert_non_null(b[i]);
        memset(b[i], i, SIZE);
    }
    long faults = minor_faults() - before;
    if (faults > 16)
        fail_msg("%ld page faults writing 1.5 MB after the reserve", faults);
    /* Still a heap: blocks keep their bytes through frees, reallocs and
     * reuse, and a second reserve changes nothing. */
    for (int i = 0; i < BLOCKS; i += 2) {
        free(b[i]);
        b[i] = NULL;
    }
    assert_int_equal(cli_heap_reserve(), 0);
    for (int i = 1; i < BLOCKS; i += 2) {
        char *r = realloc(b[i], 3 * SIZE);
        assert_non_null(r);
        b[i] = r;
        for (size_t k = 0; k < SIZE; k += 4093)
            assert_int_equal((unsigned char)b[i][k], i);
        memset(b[i], ~i, 3 * SIZE);
    }
    for (int i = 0; i < BLOCKS; i += 2) {
        b[i] = malloc((size_t)i * 1000 + 1);
        assert_non_null(b[i]);
        memset(b[i], i, (size_t)i * 1000 + 1);
    }
    for (int i = 0; i < BLOCKS; i++) {
        unsigned char want = (unsigned char)(i % 2 ? ~i : i);
        assert_int_equal((unsigned char)b[i][0], want);
        free(b[i]);
    }
    /* A block larger than the reserve still comes. */
    char *big = malloc(8 << 20);
    assert_non_null(big);
    memset(big, 1, 8 << 20);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserved_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
