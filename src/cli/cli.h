/*
 * cli.h - what the subcommands of the trouve command share.
 *
 * Each subcommand lives in its own file (cmd_<name>.c) and is a function
 * taking the arguments after its name and returning the exit status.
 */
#ifndef TROUVE_CLI_H
#define TROUVE_CLI_H

#include <stddef.h>

#include "../trouve.h"

/* Exit statuses (see README.md, "Exit statuses"). */
enum {
    EXIT_HITS = 0,        /* search: at least one hit; others: success */
    EXIT_NONE = 1,        /* search: no hit; index: some files unreadable */
    EXIT_ERROR = 2,       /* any error, with a message on stderr */
    EXIT_LOCKED = 75,     /* index: another indexer holds the lock */
    EXIT_SIGINT = 130,
    EXIT_SIGTERM = 143
};

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compact(int argc, char **argv);

/* The index folder: --index, else $TROUVE_INDEX, else "index". */
const char *cli_index_path(const char *option);

/* Opens the index and, on failure, prints a one-line message that says
 * what to do about it.  Returns the handle, or NULL (status in *st). */
trouve_index_t *cli_open_index(const char *path, trouve_open_mode_t mode,
                               trouve_status_t *st);

/* Parses a non-negative decimal number for option `name`; prints an error
 * and returns -1 if it is not one. */
long cli_number(const char *name, const char *value);

/* Prints "trouve: <message>" for a failed call on an index handle, with
 * advice for the statuses that have some. */
void cli_report(const trouve_index_t *index, trouve_status_t st);

/* Reads all of standard input into a malloc()ed, NUL-terminated buffer
 * (*len bytes, not counting the NUL).  Returns NULL, after printing a
 * message, when it cannot. */
char *cli_read_stdin(size_t *len);

/* `search --fresh` (fresh.c): brings the index at `path` up to date with
 * the folders it was built from, naming unreadable files on stderr.  When
 * another indexer holds the index, says so and returns 0 (the search goes
 * on with what is there).  Returns 0, or EXIT_ERROR after a message. */
int cli_refresh(const char *path);

/* Moves the heap's allocations to come to 2 MB mapped at once, in a huge
 * page where the kernel has one (heap.c), so that they do not fault their
 * pages in one by one: for a search.  Once per process; nothing changes
 * but speed.  Returns 1 when the 2 MB are mapped, 0 when the heap is as
 * it was (not glibc, a sanitizer's malloc, a second call, an old
 * kernel). */
int cli_heap_reserve(void);

/* Gives the next n threads (at most 16) arenas whose memory faults in 2
 * MB at a time, where the kernel has transparent huge pages (heap.c): for
 * the writers of an indexing run.  Returns how many were prepared (0 when
 * not glibc, under a sanitizer, or when no thread could start). */
unsigned cli_heap_arenas(unsigned n);

#endif
