/*
 * trouve.h - the public interface of libtrouve.
 *
 * trouve indexes folders of posts written in English and French and answers
 * keyword queries with ranked passages and highlighted snippets.
 *
 * Conventions, for every function below:
 *
 *  - Functions that can fail return a trouve_status_t; TROUVE_STATUS_OK is 0.
 *    Results come back through out-parameters; on failure every pointer
 *    out-parameter is set to NULL, so callers never see half-built objects.
 *  - After a failure on an index handle, trouve_index_message() describes
 *    it in one line (lowercase, no final full stop), suitable for
 *    "trouve: %s"; every failure sets it, an invalid argument too (the
 *    message names the function and the argument: "trouve_search: query
 *    is NULL").  Functions that fail before a handle exists return the
 *    message through an optional `char **message` out-parameter, to be
 *    released with free().
 *  - Strings passed in are copied when kept; strings handed out are owned by
 *    the object they come from and stay valid until that object is freed,
 *    except where a function says the caller owns them (the message of
 *    trouve_index_open, the array of trouve_index_roots).
 *  - Paths are byte strings: on POSIX a file name need not be UTF-8, and
 *    trouve gives paths back exactly as the file system spelled them.  All
 *    other text handed out (titles, passages, snippets) is valid UTF-8.
 *  - The library never prints, never exits and installs no signal handler.
 *  - Structs filled by an _init function (options) may gain fields at their
 *    end in a later version, together with a new soname: always call the
 *    _init function before setting fields.
 *
 * Objects and their lifetimes:
 *
 *    trouve_index_t      trouve_index_open() .. trouve_index_close()
 *    trouve_results_t    trouve_search() .. trouve_results_free(); it does
 *                        not depend on the index handle, which may be
 *                        closed first
 *    trouve_hit_t        owned by its results
 *    char **roots        trouve_index_roots() .. trouve_roots_free()
 *
 * Threads: a trouve_index_t must be used by one thread at a time (it holds
 * its last message and Xapian's database objects, which are not
 * thread-safe).  Several threads may search concurrently, each through its
 * own read handle on the same index (tests/c/api_threads.c does), and
 * alongside one writer in another thread or process.  A results object may
 * be read from any one thread at a time, including after the handle that
 * made it is closed.  Functions that take no handle (trouve_analyze,
 * trouve_status_to_string, trouve_lang_to_string, trouve_skip_to_string,
 * trouve_version, the _init functions) are safe from any thread.
 *
 * Readers and the writer: a read handle is a snapshot of the index as it
 * was when opened.  It does not see later commits until
 * trouve_index_reopen(); a program that keeps a handle open calls it now
 * and then (or opens a new handle per search, which costs a few files
 * opened).  A writer committing meanwhile never makes a search, stats or
 * the folders list fail: one that meets a commit half-way starts over by
 * itself, after a pause that grows from 1 ms to 64 ms
 * (TROUVE_STATUS_INDEX_MODIFIED only when it has been overtaken for 10
 * seconds).
 *
 * An index removed under an open handle: a read handle goes on reading
 * its snapshot (its files stay open) until it opens the index again
 * (trouve_index_reopen, or a reading that starts over after a writer's
 * commits); from then on its calls give TROUVE_STATUS_NO_INDEX.  A write
 * handle opens its reader when it first searches or counts, and gives
 * TROUVE_STATUS_NO_INDEX then.
 *
 * Linking: pkg-config --cflags --libs trouve.  The query language is
 * described in trouve(1), section QUERY SYNTAX.
 */
#ifndef TROUVE_H
#define TROUVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libtrouve is built with hidden visibility; what is declared here is
 * its exported interface (src/libtrouve.map names the same set). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define TROUVE_VERSION_MAJOR 0
#define TROUVE_VERSION_MINOR 1
#define TROUVE_VERSION_PATCH 0

/* Status codes.  New codes are added before TROUVE_STATUS_LAST only. */
typedef enum trouve_status {
    TROUVE_STATUS_OK = 0,
    TROUVE_STATUS_OUT_OF_MEMORY,    /* an allocation failed */
    TROUVE_STATUS_INVALID_ARGUMENT, /* a NULL handle, a bad option value */
    TROUVE_STATUS_NO_INDEX,         /* nothing at the index path */
    TROUVE_STATUS_INDEX_LOCKED,     /* another writer holds the index */
    TROUVE_STATUS_INDEX_CORRUPT,    /* the index is damaged: rebuild it */
    TROUVE_STATUS_INDEX_MODIFIED,   /* a writer kept changing the index
                                       under a reader; retry later */
    TROUVE_STATUS_READ_ONLY,        /* a write call on a read handle */
    TROUVE_STATUS_IO_ERROR,         /* reading or writing failed (disk full,
                                       I/O error, failed commit) */
    TROUVE_STATUS_BAD_QUERY,        /* the query cannot be searched */
    TROUVE_STATUS_TOO_MANY_TERMS,   /* a prefix expands past the cap */
    TROUVE_STATUS_INTERRUPTED,      /* the caller's cancel flag was set */
    TROUVE_STATUS_REMOTE_ERROR,     /* a remote shard failed or is down */
    TROUVE_STATUS_ENGINE_ERROR,     /* any other error from the engine */
    TROUVE_STATUS_LAST
} trouve_status_t;

/* A short constant description of a status ("index is locked").  Never
 * NULL; unknown values give "unknown status". */
const char *trouve_status_to_string(trouve_status_t status);

/* The version of the library loaded, as "MAJOR.MINOR.PATCH"; a static
 * string.  Compare with TROUVE_VERSION_* (the header's version) to detect
 * a mismatch. */
const char *trouve_version(void);

/* The language of a passage. */
typedef enum trouve_lang {
    TROUVE_LANG_UNKNOWN = 0, /* not decided (too short, other language) */
    TROUVE_LANG_EN = 1,
    TROUVE_LANG_FR = 2
} trouve_lang_t;

/* "en", "fr" or "unknown"; a static string. */
const char *trouve_lang_to_string(trouve_lang_t lang);

/* ------------------------------------------------------------------ */
/* Opening an index                                                    */

typedef struct trouve_index trouve_index_t;

typedef enum trouve_open_mode {
    TROUVE_OPEN_READ = 0,  /* search and stats only; many readers at once */
    TROUVE_OPEN_WRITE = 1  /* also indexing; creates the index if needed;
                              one writer at a time */
} trouve_open_mode_t;

/*
 * Opens the index at `path` (a folder; "index" by convention).
 *
 * TROUVE_OPEN_READ needs an existing index and takes no lock: any number
 * of readers may open it, also while a writer works.  TROUVE_OPEN_WRITE
 * creates the folder if needed (the index itself is created by the first
 * trouve_index_paths) and holds the writer's lock until
 * trouve_index_close; a write handle can also search and give statistics,
 * seeing what it has committed.
 *
 * On success *out is a handle to release with trouve_index_close().
 * On failure *out is NULL and, when `message` is not NULL, *message is a
 * one-line description to release with free() (or NULL if memory ran out).
 *
 * Returns:
 *   TROUVE_STATUS_OK
 *   TROUVE_STATUS_NO_INDEX          read mode and there is no index there
 *   TROUVE_STATUS_INDEX_LOCKED      write mode and another writer holds it
 *   TROUVE_STATUS_INDEX_CORRUPT     the index exists but is damaged, or
 *                                   `path` is not a folder (a regular
 *                                   file)
 *   TROUVE_STATUS_REMOTE_ERROR      read mode and a remote shard the index
 *                                   names cannot be reached (its server
 *                                   is down)
 *   TROUVE_STATUS_IO_ERROR          the folder cannot be read or created
 *   TROUVE_STATUS_INVALID_ARGUMENT  path or out is NULL, path is "" or
 *                                   too long, mode is not a mode
 *   TROUVE_STATUS_OUT_OF_MEMORY
 *   TROUVE_STATUS_ENGINE_ERROR      write mode: any other error of the
 *                                   engine opening a shard
 */
trouve_status_t trouve_index_open(const char *path, trouve_open_mode_t mode,
                                  trouve_index_t **out, char **message);

/* Closes the handle and frees it, releasing the writer's lock if it held
 * it.  A write handle's uncommitted work is discarded (trouve_index_paths
 * commits its own batches, so there is none after it returns).  Results
 * from the handle stay valid.  NULL is a no-op. */
void trouve_index_close(trouve_index_t *index);

/* The message describing the last failure on this handle, or "" if none
 * failed yet (a success does not clear it: read it right after the failing
 * call).  Owned by the handle; valid until the next call on it.  NULL
 * gives "". */
const char *trouve_index_message(const trouve_index_t *index);

/*
 * Brings a handle up to date: afterwards its searches and statistics see
 * everything writers have committed (a read handle is otherwise a snapshot
 * of the index as it was when opened).  Results obtained before stay
 * valid.  On failure the handle stays usable: the next search or stats
 * call tries to open the index again.
 *
 * Returns TROUVE_STATUS_OK, TROUVE_STATUS_NO_INDEX (the index was removed),
 * TROUVE_STATUS_INDEX_CORRUPT, TROUVE_STATUS_REMOTE_ERROR,
 * TROUVE_STATUS_IO_ERROR (the folder cannot be read),
 * TROUVE_STATUS_OUT_OF_MEMORY, TROUVE_STATUS_INVALID_ARGUMENT (index
 * NULL).
 */
trouve_status_t trouve_index_reopen(trouve_index_t *index);

/* ------------------------------------------------------------------ */
/* Indexing                                                            */

/* Why a file was left out of the index. */
typedef enum trouve_skip {
    TROUVE_SKIP_NONE = 0,
    TROUVE_SKIP_HIDDEN,      /* a hidden file or folder (policy) */
    TROUVE_SKIP_IGNORED,     /* matched by a .trouveignore pattern, or a
                                path given that is the index or inside it
                                (policy; the detail says which) */
    TROUVE_SKIP_FORMAT,      /* not a post format trouve reads (policy) */
    TROUVE_SKIP_BINARY,      /* looks binary (policy) */
    TROUVE_SKIP_SYMLINK,     /* a symbolic link not followed (policy) */
    TROUVE_SKIP_SPECIAL,     /* a FIFO, socket or device (policy) */
    TROUVE_SKIP_TOO_LARGE,   /* past a size cap; indexed up to the cap */
    TROUVE_SKIP_UNREADABLE,  /* could not be read: an error, not policy */
    TROUVE_SKIP_DAMAGED,     /* truncated or corrupt (e.g. bad gzip) */
    TROUVE_SKIP_LAST
} trouve_skip_t;

/* "hidden", "ignored", "unreadable"...; a static string. */
const char *trouve_skip_to_string(trouve_skip_t skip);

/* Progress of an indexing run, passed to the progress callback. */
typedef struct trouve_progress {
    uint64_t files_done;   /* files examined so far */
    uint64_t files_total;  /* files found by the walk (0 while walking) */
    uint64_t bytes_done;   /* bytes of posts read so far */
    uint64_t bytes_total;  /* bytes of the files found (0 while walking) */
} trouve_progress_t;

/* Counts of an indexing run. */
typedef struct trouve_index_summary {
    uint64_t added;      /* posts new to the index */
    uint64_t updated;    /* posts whose file changed, or that another
                            version of the analysis made (read again) */
    uint64_t removed;    /* posts taken out of the index: their file is
                            gone, or now left out (binary, ignored: the
                            file counts in skipped too), or unreadable
                            after a first part of it was written (in
                            failed too) */
    uint64_t unchanged;  /* posts skipped because their file did not change */
    uint64_t skipped;    /* files left out by policy (hidden, binary...) */
    uint64_t failed;     /* files that could not be read */
    uint64_t bytes;      /* bytes of posts read */
} trouve_index_summary_t;

#define TROUVE_INDEX_FORCE  (1u << 0) /* re-read every file */
#define TROUVE_INDEX_FOLLOW (1u << 1) /* follow symlinks inside the roots */

/* The most shards (and parallel writers) an index has. */
#define TROUVE_JOBS_MAX 64

typedef struct trouve_index_options {
    unsigned flags;  /* TROUVE_INDEX_* */
    unsigned jobs;   /* parallel writers for a new index; 0 = one per core;
                        more than TROUVE_JOBS_MAX count as that many.
                        An existing index keeps its number of shards. */
    /* Called now and then (about five times a second, and once at the
     * end) from the thread that called trouve_index_paths; may be NULL. */
    void (*progress)(const trouve_progress_t *progress, void *ctx);
    /* Called for each file left out or unreadable; `detail` is a short
     * reason ("Permission denied") or NULL.  `path` is valid during the
     * call only.  It may be called from the library's worker threads,
     * never two calls at once.  May be NULL. */
    void (*skipped)(const char *path, trouve_skip_t why, const char *detail,
                    void *ctx);
    void *ctx;  /* passed to the callbacks */
    /* When not NULL, the run stops soon after *cancel becomes non-zero (a
     * signal handler may set it), and trouve_index_paths returns
     * TROUVE_STATUS_INTERRUPTED.  Set before the call, or while the
     * folders are walked (before any post is read), it changes nothing:
     * no post, no folder remembered, not even a new index made.  Set
     * later, each shard commits the batch in hand: the posts read so far
     * stay indexed (see the summary), the folders are remembered if
     * anything was committed, and posts whose files are gone are not
     * removed (the end of a whole run does that).  The run's threads read
     * it with a relaxed atomic load (__atomic_load_n): write it with an
     * atomic store, or from a signal handler. */
    volatile int *cancel;
} trouve_index_options_t;

/* Fills `options` with the defaults (no flags, jobs 0, no callbacks). */
void trouve_index_options_init(trouve_index_options_t *options);

/*
 * Indexes the posts under `paths` (folders are walked, files taken as they
 * are) into a write handle, committing in batches.  A post already in the
 * index is replaced when its file changed and skipped when it did not;
 * posts under a walked folder whose file is gone are removed.  A path
 * that names nothing (a file or folder deleted since) removes the post at
 * it and the posts under it, and the folders at or under it are no longer
 * remembered; it is counted in summary->failed only when the index held
 * nothing there.  The folders
 * are remembered in the index (trouve_index_roots), so that a later run
 * can bring them all up to date (a run that fails or is interrupted
 * remembers them when it committed something, as what it wrote is under
 * them; one that committed nothing leaves the list as it was).  Each path
 * is first resolved to its real path (realpath: relative paths from the
 * current folder, symbolic links, "." and ".." resolved), and posts are
 * stored, and folders remembered, under that: a folder named through a
 * link is the folder it names, never indexed twice.  Links met inside the
 * folders are left out, or followed under their own names with
 * TROUVE_INDEX_FOLLOW.  Nothing in the index's own folder is ever
 * indexed: a path given that is the index, or lies inside it, is reported
 * to the skipped callback (TROUVE_SKIP_IGNORED, detail "the index itself"
 * or "inside the index"), counted in summary->skipped, and not
 * remembered; an index inside a folder walked is left out quietly.
 *
 * `summary` may be NULL; when not, it is filled even on failure, with what
 * was committed.  `options` may be NULL for the defaults.
 *
 * Returns:
 *   TROUVE_STATUS_OK           (unreadable files, and paths that name
 *                               nothing the index holds, "" included,
 *                               are counted in summary->failed, not an
 *                               error)
 *   TROUVE_STATUS_INVALID_ARGUMENT  index NULL, paths NULL while npaths
 *                              is not 0, one of the paths NULL, or the
 *                              index's path too long
 *   TROUVE_STATUS_READ_ONLY    the handle was opened for reading
 *   TROUVE_STATUS_IO_ERROR     a commit failed; committed batches stay
 *   TROUVE_STATUS_INTERRUPTED  *options->cancel was set
 *   TROUVE_STATUS_INDEX_CORRUPT, TROUVE_STATUS_OUT_OF_MEMORY,
 *   TROUVE_STATUS_ENGINE_ERROR
 */
trouve_status_t trouve_index_paths(trouve_index_t *index,
                                   const char *const *paths, size_t npaths,
                                   const trouve_index_options_t *options,
                                   trouve_index_summary_t *summary);

/*
 * Merges the index's local shards into one (Xapian's compaction), with the
 * same search results before and after; remote shards stay as they are
 * (an index whose shards are all remote is left as it is: OK).
 * Crash-safe: the merged shard is written beside the old ones, the stub
 * file is swapped atomically, then the old shards are removed.  The index
 * then has one local shard, so later runs write with one writer (rebuild
 * with -j N for parallel writers again).
 *
 * Returns:
 *   TROUVE_STATUS_OK
 *   TROUVE_STATUS_READ_ONLY    the handle was opened for reading
 *   TROUVE_STATUS_NO_INDEX     the index has no shard yet
 *   TROUVE_STATUS_IO_ERROR     writing failed (e.g. disk full); the index
 *                              is left as it was
 *   TROUVE_STATUS_INDEX_CORRUPT, TROUVE_STATUS_OUT_OF_MEMORY,
 *   TROUVE_STATUS_ENGINE_ERROR, TROUVE_STATUS_INVALID_ARGUMENT
 */
trouve_status_t trouve_index_compact(trouve_index_t *index);

/* ------------------------------------------------------------------ */
/* Statistics                                                          */

typedef struct trouve_stats {
    uint64_t posts;        /* posts indexed */
    uint64_t passages;     /* passages, all languages */
    uint64_t passages_en;  /* of which English */
    uint64_t passages_fr;  /* of which French */
    uint64_t terms;        /* distinct words in the index */
    uint64_t bytes;        /* size of the index's folder on disk */
    uint64_t text_bytes;   /* bytes of post text indexed */
    unsigned shards;       /* databases the index is made of, local and
                              remote */
} trouve_stats_t;

/*
 * Fills *stats for the index (read or write handle; a write handle counts
 * what it has committed).  Every figure is of the revision the handle
 * reads: a read handle's are its snapshot's (see "Readers and the
 * writer"), the size on disk included, which is measured when the handle
 * opens the index (trouve_index_open, trouve_index_reopen).  So a
 * writer's later commits, a compaction, or the index removed change none
 * of them until trouve_index_reopen.  A writer's commits that overtake
 * the reading make it start again, as trouve_search does (on a newer
 * snapshot, whose figures all come together).  On failure the contents of
 * *stats are unspecified.
 *
 * Returns TROUVE_STATUS_OK, TROUVE_STATUS_NO_INDEX (a write handle on an
 * index never filled, or an index removed: see "An index removed" at the
 * top), TROUVE_STATUS_INDEX_CORRUPT, TROUVE_STATUS_INDEX_MODIFIED (still
 * changing after several retries), TROUVE_STATUS_REMOTE_ERROR,
 * TROUVE_STATUS_IO_ERROR (the index cannot be read),
 * TROUVE_STATUS_OUT_OF_MEMORY, TROUVE_STATUS_ENGINE_ERROR,
 * TROUVE_STATUS_INVALID_ARGUMENT (index or stats NULL).
 */
trouve_status_t trouve_index_stats(trouve_index_t *index,
                                   trouve_stats_t *stats);

/*
 * The folders indexed so far: the absolute path of each folder given to
 * trouve_index_paths (by a run that completed, or that committed some
 * posts before it failed or was interrupted), in the order first indexed,
 * less those given again once deleted (trouve_index_paths).  Files given
 * directly are not listed.  Passing the list back to
 * trouve_index_paths brings the whole index up to date (`trouve search
 * --fresh` does this), and takes out the posts of a folder in it that is
 * gone: `trouve search --fresh` leaves those out of the list (a drive not
 * mounted now), with a warning.
 *
 * On success *out is a NULL-terminated array of paths (bytes, see the
 * conventions), owned by the caller: release it with trouve_roots_free().
 * `count`, when not NULL, gets the number of paths.  An index with no
 * folder yet gives an empty array ((*out)[0] == NULL), not an error.  On
 * failure *out is NULL and *count 0.
 *
 * Returns TROUVE_STATUS_OK, TROUVE_STATUS_NO_INDEX (a read handle on an
 * index removed: see "An index removed" at the top),
 * TROUVE_STATUS_INDEX_CORRUPT, TROUVE_STATUS_INDEX_MODIFIED (a writer's
 * commits kept overtaking the reading, retried as trouve_search does),
 * TROUVE_STATUS_REMOTE_ERROR, TROUVE_STATUS_IO_ERROR (the index cannot be
 * read), TROUVE_STATUS_INVALID_ARGUMENT (index or out NULL),
 * TROUVE_STATUS_OUT_OF_MEMORY, TROUVE_STATUS_ENGINE_ERROR.
 */
trouve_status_t trouve_index_roots(trouve_index_t *index, char ***out,
                                   size_t *count);

/* Releases an array from trouve_index_roots() and its strings.  NULL is a
 * no-op. */
void trouve_roots_free(char **roots);

/* ------------------------------------------------------------------ */
/* Searching                                                           */

typedef struct trouve_results trouve_results_t;
typedef struct trouve_hit trouve_hit_t;

#define TROUVE_SEARCH_ANY        (1u << 0) /* rank passages matching any
                                              word, not only all of them */
#define TROUVE_SEARCH_NO_SUGGEST (1u << 1) /* no "did you mean" */
#define TROUVE_SEARCH_EXPLAIN    (1u << 2) /* keep per-hit explanations */

typedef struct trouve_search_options {
    size_t limit;          /* hits to return; default 10; 0 returns an
                              empty result set without searching */
    size_t offset;         /* hits to skip first; default 0 */
    trouve_lang_t lang;    /* only passages in this language; UNKNOWN = all */
    size_t per_post;       /* at most this many hits per post; 0 = no cap */
    size_t snippet_words;  /* words in a snippet; default 30; at least 1 */
    unsigned flags;        /* TROUVE_SEARCH_* */
} trouve_search_options_t;

/* Fills `options` with the defaults. */
void trouve_search_options_init(trouve_search_options_t *options);

/*
 * Searches the index for `query` (UTF-8; see trouve(1) for the syntax:
 * words, "phrases", OR, NOT/-word, (groups), prefix*, lang:, path:), through
 * a read or a write handle.  Bytes that are not UTF-8 are read as in a
 * post that is not (Windows-1252), except in a path: value, which is
 * bytes as file names are.  `options` may be NULL for the defaults.
 *
 * A hit is a passage.  Passages are scored within the posts that Xapian's
 * BM25 ranks highest, a few times offset + limit of them (currently at
 * most 2,000 posts): a very large limit or offset reaches no further.
 * Pages of one page size (the same limit, offsets 0, limit, 2 * limit...)
 * hold each hit once, as long as the posts scored cover them (the first
 * 50 posts do for the first pages: more are scored for later ones, and a
 * passage of those may then rank among hits already paged past).
 * Punctuation is never a syntax error; a query with nothing to search for
 * ("!!!", "NOT x") is TROUVE_STATUS_BAD_QUERY.
 *
 * On success *out holds the hits, best first (possibly none); release it
 * with trouve_results_free().  It stays valid after the index is closed.
 *
 * Returns:
 *   TROUVE_STATUS_OK
 *   TROUVE_STATUS_BAD_QUERY         nothing searchable in the query
 *   TROUVE_STATUS_TOO_MANY_TERMS    a prefix* expands past the cap
 *   TROUVE_STATUS_NO_INDEX          a write handle on an index never
 *                                   filled, or an index removed (see "An
 *                                   index removed" at the top)
 *   TROUVE_STATUS_INDEX_CORRUPT
 *   TROUVE_STATUS_INDEX_MODIFIED    still changing after several retries
 *   TROUVE_STATUS_REMOTE_ERROR
 *   TROUVE_STATUS_IO_ERROR          the index cannot be read
 *   TROUVE_STATUS_INVALID_ARGUMENT  index, query or out NULL,
 *                                   options->lang not a language, or
 *                                   options->snippet_words 0
 *   TROUVE_STATUS_OUT_OF_MEMORY, TROUVE_STATUS_ENGINE_ERROR
 */
trouve_status_t trouve_search(trouve_index_t *index, const char *query,
                              const trouve_search_options_t *options,
                              trouve_results_t **out);

/* Number of hits held (at most options->limit); 0 for NULL. */
size_t trouve_results_count(const trouve_results_t *results);

/* Xapian's estimate of the number of posts in the whole index that match
 * the query, the language filter included: with options->lang set, as
 * with a lang: restriction, only posts that have passages in that
 * language count (the filter is part of the query Xapian runs).  Posts,
 * not passages, counted before passages are checked (where the words
 * are, phrases): a post counts when its words are anywhere in it, so the
 * estimate may include posts that give no hit.  0 for NULL. */
uint64_t trouve_results_estimated(const trouve_results_t *results);

/* A corrected query when nothing matched ("did you mean"), or NULL (also
 * with TROUVE_SEARCH_NO_SUGGEST).  Owned by `results`. */
const char *trouve_results_suggestion(const trouve_results_t *results);

/* A note on how the search was degraded, or NULL when it was not: e.g.
 * "stems were not used: the index has remote shards".  The hits are still
 * right for what was searched.  Owned by `results`. */
const char *trouve_results_warning(const trouve_results_t *results);

/* Hit number i (0 = best), or NULL when i is out of range.  Owned by
 * `results`.  The trouve_hit_* functions below take a hit that is not
 * NULL. */
const trouve_hit_t *trouve_results_hit(const trouve_results_t *results,
                                       size_t i);

/* Releases the results and every hit and string in them.  NULL is a
 * no-op. */
void trouve_results_free(trouve_results_t *results);

/* The post's absolute path (bytes, see the conventions above). */
const char *trouve_hit_path(const trouve_hit_t *hit);

/* The line number (from 1) where the passage starts in the post's file. */
unsigned trouve_hit_line(const trouve_hit_t *hit);

/* The passage's language. */
trouve_lang_t trouve_hit_lang(const trouve_hit_t *hit);

/* The hit's score: higher is better; comparable within one result set. */
double trouve_hit_score(const trouve_hit_t *hit);

/* The post's title (front matter, <title> or first line); never NULL. */
const char *trouve_hit_title(const trouve_hit_t *hit);

/* The passage's whole text, NUL-terminated; *len (if not NULL) gets its
 * length in bytes. */
const char *trouve_hit_passage(const trouve_hit_t *hit, size_t *len);

/* The snippet: the best window of the passage, with "…" where text was
 * left out; NUL-terminated, *len as above. */
const char *trouve_hit_snippet(const trouve_hit_t *hit, size_t *len);

/* Number of highlighted spans in the snippet. */
size_t trouve_hit_highlight_count(const trouve_hit_t *hit);

/* Span i of the snippet to highlight, as byte offsets [*start, *end).
 * Spans are sorted and do not overlap.  Returns 0, or -1 if i is out of
 * range (then *start and *end are left alone). */
int trouve_hit_highlight(const trouve_hit_t *hit, size_t i, size_t *start,
                         size_t *end);

/* When TROUVE_SEARCH_EXPLAIN was given: a one-line account of how the hit
 * matched and how its score was made; otherwise NULL.  Owned by the hit's
 * results. */
const char *trouve_hit_explain(const trouve_hit_t *hit);

/* ------------------------------------------------------------------ */
/* Analysis                                                            */

/* One token of analysed text.  Pointers are valid during the callback. */
typedef struct trouve_token {
    size_t start;         /* byte offset of the token in the text */
    size_t end;           /* byte offset just past it */
    const char *term;     /* the folded term (NUL-terminated UTF-8) */
    const char *stem_en;  /* its English stem, folded */
    const char *stem_fr;  /* its French stem, folded */
    int elision;          /* 1 for a French elided article (l', qu'...),
                             which is not indexed; 0 for a word */
} trouve_token_t;

/* Return 0 to go on, anything else to stop the analysis. */
typedef int (*trouve_token_fn)(const trouve_token_t *token, void *ctx);

/*
 * Splits `text` (`len` bytes of UTF-8; invalid bytes are read as U+FFFD)
 * into tokens as the index sees them, calling `fn` for each in order.
 *
 * Returns TROUVE_STATUS_OK (also when fn stopped early),
 * TROUVE_STATUS_INVALID_ARGUMENT, TROUVE_STATUS_OUT_OF_MEMORY.
 */
trouve_status_t trouve_analyze(const char *text, size_t len,
                               trouve_token_fn fn, void *ctx);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* TROUVE_H */
