/*
 * test_heap.c - the heaps of src/cli/heap.c: once the search's heap is
 * moved, the allocations that follow fault no page in, and the heap
 * still behaves as a heap; a thread started after cli_heap_arenas
 * faults its memory in 2 MB at a time.  Skipped where heap.c leaves the
 * heaps alone (a sanitizer's malloc, not glibc, a kernel without
 * MADV_POPULATE_WRITE or without transparent huge pages).
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "unit.h"

#include <pthread.h>
#include <sys/resource.h>

#include "cli/cli.h"

static long minor_faults(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return ru.ru_minflt;
}

/* 1 if the kernel gives transparent huge pages to memory marked
 * MADV_HUGEPAGE. */
static int huge_pages_on(void)
{
    char line[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    return strstr(line, "[always]") || strstr(line, "[madvise]");
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
    long before = minor_faults(RUSAGE_SELF);
    for (int i = 0; i < BLOCKS; i++) {
        b[i] = malloc(SIZE);
        assert_non_null(b[i]);
        memset(b[i], i, SIZE);
    }
    long faults = minor_faults(RUSAGE_SELF) - before;
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

/* A writer: 8 MB written in the blocks an indexing run asks for; its
 * page faults. */
static void *write_8mb(void *out)
{
    enum { BLOCKS = 256, SIZE = 32 << 10 };
    static char *b[BLOCKS];
    long before = minor_faults(RUSAGE_THREAD);
    for (int i = 0; i < BLOCKS; i++)
        if ((b[i] = malloc(SIZE)))
            memset(b[i], i, SIZE);
    *(long *)out = minor_faults(RUSAGE_THREAD) - before;
    for (int i = 0; i < BLOCKS; i++)
        free(b[i]);
    return NULL;
}

static void test_arenas(void **state)
{
    (void)state;
    if (!huge_pages_on() || cli_heap_arenas(2) != 2)
        skip();
    long faults = -1;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_8mb, &faults), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    /* 2,048 pages of 4 KB; in huge pages, four faults and the few of the
     * arena's first 2 MB.  Half is allowed: a kernel short of free huge
     * pages falls back to small ones now and then. */
    if (faults < 0 || faults > 1024)
        fail_msg("%ld page faults writing 8 MB in a prepared arena", faults);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserved_heap),
        cmocka_unit_test(test_arenas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
