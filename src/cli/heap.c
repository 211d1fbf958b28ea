/*
 * heap.c - the heaps of a search and of an indexing run, in huge pages.
 *
 * The first touch of each 4 KB page of fresh memory costs a page fault.
 * On a virtual machine that is dear: 11 µs a page on the machine the
 * benchmarks ran on, and even a page mapped ahead (madvise
 * MADV_POPULATE_WRITE) costs 5 µs at its first touch, as the hypervisor
 * maps it in turn.  One 2 MB transparent huge page costs one fault (0.15
 * ms there; a few ms one time in a few hundred, when the kernel must
 * compact memory to find one).  A search touches one to two megabytes of
 * heap (Xapian's block buffers, the candidates' tables, the stored text
 * of the best posts): 2 to 3 ms of a 13 ms search went to its faults.  An
 * indexing run touches 40 MB at 20 MB of posts: 10,000 faults, 5% of its
 * time.
 *
 * A search's heap (cli_heap_reserve) is grown past the next 2 MB
 * boundary; the bytes below the boundary are set aside (allocated, never
 * touched, so never mapped), and the 2 MB above it are marked
 * MADV_HUGEPAGE and mapped in one call: the allocations that follow come
 * from there.  The writers of an indexing run (cli_heap_arenas) allocate
 * from glibc's per-thread arenas; threads started for the purpose each
 * take an arena, grow it by 30 MB and mark those MADV_HUGEPAGE, then end,
 * leaving the arenas to the next threads (the writers), whose memory then
 * faults in 2 MB at a time.  Where there are no transparent huge pages
 * (turned off, another page size), the search's 2 MB are still mapped in
 * one call, and the arenas are as they were.
 *
 * This leans on glibc's malloc: blocks up to 32 MB come from the heap
 * (M_MMAP_THRESHOLD), freed memory stays in it (M_TRIM_THRESHOLD), a
 * large block comes from the top of the heap and the next block starts
 * where it ends, an ended thread's arena goes to the next thread.  Each
 * step of the search's reserve is checked, and when one does not hold the
 * heap is left as it was: only the speed differs.  Not under sanitizers,
 * whose malloc is another.
 */
#include "cli.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEAP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define HEAP_SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(HEAP_SANITIZED)
#include <malloc.h>
#include <sys/mman.h>
#define HEAP_TUNED 1
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define ARENA_RESERVE ((size_t)30 << 20) /* under glibc's 32 MB mmap
                                            threshold at most */
#define ARENAS_MAX 16

#ifdef HEAP_TUNED
/* The bytes set aside below the search's huge page: allocated once,
 * never freed (nor touched). */
static void *below;

/* Blocks of up to 32 MB come from the heap (not from an mmap of their
 * own, whose pages would fault again), and freed memory stays in it.
 * Returns 0 if glibc refuses. */
static int keep_heap(void)
{
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) &&
           mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

/* Marks the whole 2 MB pages of [p, p + len) MADV_HUGEPAGE. */
static void advise_huge(const char *p, size_t len)
{
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)from;
    (void)to;
#endif
}
#endif

int cli_heap_reserve(void)
{
#ifdef HEAP_TUNED
    if (below || !keep_heap())
        return 0;
    /* Grow the heap: the block holds a 2 MB boundary at least a page
     * above its start, and 2 MB above that. */
    char *block = malloc(3 * HUGE_PAGE);
    if (!block)
        return 0;
    uintptr_t start = (uintptr_t)block;
    uintptr_t huge = (start + 4096 + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    free(block);
    /* glibc: a chunk of n + 8 bytes rounded up to 16 starts 16 bytes
     * before its block; one of huge - start bytes from `start` ends where
     * the next block starts at `huge`. */
    below = malloc(huge - start - 8);
    if (below != block) {
        free(below);
        below = NULL;
        return 0;
    }
    advise_huge((char *)huge, HUGE_PAGE);
#ifdef MADV_POPULATE_WRITE
    if (madvise((void *)huge, HUGE_PAGE, MADV_POPULATE_WRITE) == 0)
        return 1;
#endif
    *(volatile char *)huge = 0; /* a kernel before 5.14: one fault */
    return 0;
#else
    return 0;
#endif
}

#ifdef HEAP_TUNED
/* The threads of cli_heap_arenas: each holds its arena until all have
 * theirs (an arena left meanwhile would go to the next of them). */
typedef struct gathering {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned ready; /* threads holding their arena */
    int go;         /* all have: they may end */
} gathering_t;

/* One thread: takes an arena, marks 30 MB of it, waits for the word. */
static void *take_arena(void *arg)
{
    gathering_t *g = arg;
    char *block = malloc(ARENA_RESERVE);
    if (block) {
        advise_huge(block, ARENA_RESERVE);
        free(block);
    }
    pthread_mutex_lock(&g->lock);
    g->ready++;
    pthread_cond_broadcast(&g->changed);
    while (!g->go)
        pthread_cond_wait(&g->changed, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return NULL;
}
#endif

unsigned cli_heap_arenas(unsigned n)
{
#ifdef HEAP_TUNED
    if (n > ARENAS_MAX)
        n = ARENAS_MAX;
    if (!n || !keep_heap())
        return 0;
    gathering_t g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                     0, 0};
    pthread_t t[ARENAS_MAX];
    unsigned started = 0;
    while (started < n &&
           pthread_create(&t[started], NULL, take_arena, &g) == 0)
        started++;
    pthread_mutex_lock(&g.lock);
    while (g.ready < started)
        pthread_cond_wait(&g.changed, &g.lock);
    g.go = 1;
    pthread_cond_broadcast(&g.changed);
    pthread_mutex_unlock(&g.lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return started;
#else
    (void)n;
    return 0;
#endif
}
