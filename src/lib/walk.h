/*
 * walk.h - finding the posts under the folders and files given to index.
 *
 * Folders are walked depth first; what is left out is reported through the
 * callback with its reason: hidden names (and so .git), what a
 * .trouveignore file excludes (ignore.h), symbolic links (unless
 * following), FIFOs, sockets and devices, unknown formats.  The index's
 * own folder is never entered: quietly when met inside a folder walked
 * (or through a link), reported as ignored when a root is the index or
 * lies inside it (and not counted among the folders walked).  Explicitly
 * named files are taken as posts even with an unknown extension (read as
 * plain text).  Entries come out sorted by path, without duplicates.
 *
 * The roots are resolved to their real paths first (realpath), so a
 * folder named through a symbolic link and by its own name is one folder,
 * its posts found under the same paths.  A root that names nothing (the
 * "" root aside, an error) is listed in `gone`, at the path its posts
 * would have: the longest part of it that still exists resolved.
 *
 * Symbolic links, with TROUVE_INDEX_FOLLOW: a link is followed when its
 * target is inside one of the folder roots given (a link out of them is
 * skipped), and a folder already on the way down (by device and inode) is
 * not entered again, so a link loop ends with one warning.  Folders nest
 * at most WALK_DEPTH_MAX deep.
 */
#ifndef TROUVE_WALK_H
#define TROUVE_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "../text/post.h"
#include "../trouve.h"
#include "strset.h"

typedef struct walk_entry {
    char *path;           /* absolute path of the file */
    uint64_t size;        /* bytes, from stat */
    int64_t mtime_ns;     /* modification time, ns since the epoch */
    post_format_t format;
} walk_entry_t;

/* A root that names nothing (ENOENT, ENOTDIR): a file or folder deleted
 * since it was indexed, or a mistyped name.  The walk does not report it:
 * the indexer removes what the index holds there and names the others as
 * unreadable. */
typedef struct walk_gone {
    const char *given;    /* as the caller spelled it (the caller's) */
    char *path;           /* absolute, the longest part of it that exists
                             resolved (realpath), no final '/' */
    int error;            /* why it names nothing: an errno value */
} walk_gone_t;

/* Whether the caller's cancel flag (trouve_index_options_t) is set: a
 * relaxed atomic load, as the threads of a run read it while a signal
 * handler or another thread writes it. */
static inline int walk_cancelled(const volatile int *cancel)
{
    return cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED);
}

typedef struct walk {
    /* set by the caller */
    unsigned flags;       /* TROUVE_INDEX_FOLLOW */
    const char *exclude;  /* real path of a folder never to enter nor
                             take a root in (the index) */
    volatile int *cancel; /* when set and non-zero, the walk stops */
    void (*skipped)(const char *path, trouve_skip_t why, const char *detail,
                    void *ctx);
    void *ctx;
    /* results */
    walk_entry_t *v;      /* the posts found */
    size_t n, cap;
    char **folders;       /* real paths of the folder roots walked,
                             '/'-terminated, each once however often and
                             however it was given */
    size_t nfolders;
    uint64_t nskipped;    /* left out by policy */
    uint64_t nfailed;     /* could not be read (EACCES...; not the roots
                             in `gone`) */
    uint64_t bytes;       /* total size of the posts found */
    char **kept;          /* files and folders the walk did not look
                             into: those that could not be read (not
                             those that vanished), and hidden ones; the
                             index keeps what it has of them and under
                             them (walk_keeps) */
    size_t nkept;
    strset_t unknown;     /* the files it left out as of no post format:
                             the index keeps them too, as only a path
                             given on its own could have put them there */
    walk_gone_t *gone;    /* the roots that name nothing, each once */
    size_t ngone;
} walk_t;

#define WALK_DEPTH_MAX 128

/* Walks the roots.  Returns 0, or -1 when memory ran out (a cancelled
 * walk returns 0 with what it found). */
int walk_roots(walk_t *w, const char *const *roots, size_t nroots);

void walk_free(walk_t *w);

/* 1 if the index keeps what it has at `path` though the walk did not
 * find a post there: it is one of w->kept or lies under one of them
 * (unreadable, hidden), or is in w->unknown.  A path left out by its name
 * alone (hidden, no post format) can only have been given on its own, and
 * walking its folder says nothing new of it (without this, `trouve index
 * notes/.journal.md` was undone by the next `trouve index notes`); one a
 * .trouveignore lists, or that turned binary, is not kept. */
int walk_keeps(const walk_t *w, const char *path, size_t len);

/* The absolute, lexically normalised form of path (".", ".." and "//"
 * resolved against the current folder, symlinks kept), malloc()ed; NULL
 * when memory ran out or the current folder is unknown. */
char *path_absolute(const char *path);

/* Where path[0..len) lies from the folder `dir`: 0 outside it, 1 it is
 * dir, 2 under it (dir followed by '/'). */
int path_place(const char *path, size_t len, const char *dir);

#endif
