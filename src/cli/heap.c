/*
 * heap.c - a search's heap, mapped at once.
 *
 * A search process touches one to two megabytes of fresh heap (Xapian's
 * block buffers, the candidates' tables, the stored text of the best
 * posts), and the first touch of each 4 KB page costs a page fault.  On
 * a virtual machine that is dear: 11 µs a page on the machine the
 * benchmarks ran on, where a 14 ms search spent 2 to 3 ms on them; and
 * even a page mapped ahead (madvise MADV_POPULATE_WRITE) costs 5 µs at
 * its first touch, as the hypervisor maps it in turn.  One 2 MB
 * transparent huge page costs one fault (0.15 ms there, a few ms one time
 * in a few hundred, when the kernel must compact memory to find one).
 *
 * So the search's heap is moved to a huge page: the heap is grown past
 * the next 2 MB boundary, the bytes below the boundary are set aside
 * (allocated, never touched, so never mapped), and the 2 MB above it are
 * marked MADV_HUGEPAGE and mapped in one call; the allocations that
 * follow come from there.  Where there are no huge pages (transparent
 * huge pages off, another page size), the same 2 MB are mapped with
 * MADV_POPULATE_WRITE, one call for 512 faults.
 *
 * This leans on glibc's malloc: a large block comes from the top of the
 * heap, and the block after it starts where it ends.  Each step is
 * checked, and when one does not hold the heap is left as it was; only
 * the speed differs.  Not under sanitizers, whose malloc is another.
 */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) &&                \
    !defined(__SANITIZE_THREAD__)
#include <malloc.h>
#include <sys/mman.h>
#define HEAP_TUNED 1
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)

#ifdef HEAP_TUNED
/* The bytes set aside below the huge page: allocated once, never freed
 * (nor touched). */
static void *below;

/* Maps [from, from + len) now, in one huge page if the kernel has one.
 * Returns 1, or 0 if the kernel cannot map ahead (before Linux 5.14). */
static int map_now(uintptr_t from, size_t len)
{
#ifdef MADV_HUGEPAGE
    (void)madvise((void *)from, len, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
    if (madvise((void *)from, len, MADV_POPULATE_WRITE) == 0)
        return 1;
#endif
    *(volatile char *)from = 0; /* a huge page, if that is one */
    return 0;
}
#endif

int cli_heap_reserve(void)
{
#ifdef HEAP_TUNED
    /* Blocks of up to 8 MB come from the heap (not from an mmap of their
     * own, whose pages would fault again), and freed blocks stay in it. */
    if (below || !mallopt(M_MMAP_THRESHOLD, 4 * HUGE_PAGE) ||
        !mallopt(M_TRIM_THRESHOLD, 8 * HUGE_PAGE))
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
    return map_now(huge, HUGE_PAGE);
#else
    return 0;
#endif
}
