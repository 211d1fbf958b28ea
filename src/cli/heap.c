/*
 * heap.c - a search's heap, faulted in at once.
 *
 * A search process touches one to two megabytes of fresh heap (Xapian's
 * block buffers, the candidates' tables, the stored text of the best
 * posts).  Each page's first touch is a page fault: about 250 of them, 5
 * to 10 µs each on a virtual machine, 2 to 3 ms of a 14 ms search.  One
 * madvise(MADV_POPULATE_WRITE) over the heap to come maps the same pages
 * in a fraction of that (tests/bench/ab-query.sh: 14.4 -> 12.7 ms a
 * search on the 20 MB corpus, 22.1 -> 16.3 ms at 1 GB).
 *
 * glibc only (mallopt); elsewhere, or on kernels before Linux 5.14 (no
 * MADV_POPULATE_WRITE), the pages fault in one by one as before.
 */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

void cli_heap_reserve(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE)
    /* Blocks up to twice the reserve come from the heap rather than
     * their own mmap (whose pages would fault again), and the heap is
     * not given back when the reserve is freed. */
    if (bytes > INT32_MAX / 4 || !mallopt(M_MMAP_THRESHOLD, (int)(2 * bytes)) ||
        !mallopt(M_TRIM_THRESHOLD, (int)(4 * bytes)))
        return;
    char *p = malloc(bytes);
    if (!p)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + bytes) & ~(page - 1);
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
    free(p);
#else
    (void)bytes;
#endif
}
