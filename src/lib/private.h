/*
 * private.h - the insides of libtrouve's handles, and the index layout.
 *
 * Index layout on disk (a folder, "index" by default):
 *
 *   XAPIANDB        Xapian stub file naming the shards ("auto shard-0"...)
 *                   and any remote shards ("remote HOST:PORT"); opening
 *                   the folder opens them all, with global statistics
 *   shard-N/        one Xapian glass database per local shard; a post
 *   shard-N.G/      lives in shard hash64(path) % number of local shards.
 *                   Compacting shard N writes generation G + 1 beside it,
 *                   then swaps the stub atomically, then removes the old
 *                   one, so a crash at any point leaves a whole index;
 *                   trouve_index_compact merges every local shard into
 *                   one, shard-0.G (G above every generation there), the
 *                   same way.  Remote lines are never written to: the
 *                   indexer deals posts to the local shards only
 *   trouve.lock     held (flock) by the one writer
 *
 * One Xapian document per post.  Its terms:
 *
 *   word            folded word (no prefix), with its count as wdf and
 *                   no positions: which passages hold it is in the value
 *                   SLOT_WHERE, far smaller than Xapian's position table
 *                   (elisions and words longer than TOKEN_TERM_MAX are
 *                   not indexed)
 *   Q<path>         unique id (or Q#<hex> for a path too long for a term)
 *   P<dir>/ P<path> boolean: each folder above the post, and the post
 *                   (hashed like Q when too long), for path: filters and
 *                   for finding what disappeared under a folder
 *   Len Lfr         boolean: the post has passages in that language
 *
 * Its values (slots below), and its data (store.h): title and text.
 *
 * A post whose content passes POST_PART_BYTES_DEFAULT (text/post.h) is
 * stored as several documents, one per part, each with the post's Q id
 * term, P terms and SLOT_PATH, and its part of the text, passages (with
 * the file's line numbers) and words.  Only the last part's SLOT_STAMP is
 * the file's; the parts before it have size UINT64_MAX ("partial"), so a
 * post cut short by a crash is read again (shard_job.c).
 * Stems are not terms: the synonym table maps "en:" + English stem and
 * "fr:" + French stem to the words seen with that stem, and a query word
 * is expanded to those words (the way Recoll does it).  The stemmers see
 * accents (`dernière` -> derni, `derniere` -> dernier): for a word written
 * with accents whose spelling without them stems otherwise, "en/" or
 * "fr/" + that other stem maps to the word's own stem, so a query typed
 * without accents finds the same words.
 */
#ifndef TROUVE_PRIVATE_H
#define TROUVE_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "../trouve.h"
#include "../xapian/xapian_c.h"

/* Value slots. */
enum {
    SLOT_PATH = 0,      /* the post's absolute path */
    SLOT_STAMP = 1,     /* size, mtime and crc32 of the file (store.h) */
    SLOT_PASSAGES = 2,  /* the passage table (store.h) */
    SLOT_COUNTS = 3,    /* passages per language, text bytes (store.h) */
    SLOT_WHERE = 4      /* which passages hold each word (store.h) */
};

#define PREFIX_ID   'Q'
#define PREFIX_PATH 'P'
#define PREFIX_LANG 'L'
#define STEM_KEY_EN "en:"
#define STEM_KEY_FR "fr:"
#define UNACCENTED_KEY_EN "en/"
#define UNACCENTED_KEY_FR "fr/"

/* Xapian refuses terms past 245 bytes; longer id and path terms are
 * hashed. */
#define TERM_BYTES_MAX 240

#define INDEX_STUB  "XAPIANDB"
#define INDEX_LOCK  "trouve.lock"
#define SHARD_NAME  "shard-%u"     /* generation 0 */
#define SHARD_GEN   "shard-%u.%u"  /* later generations */
#define SHARDS_MAX  TROUVE_JOBS_MAX

#define MESSAGE_MAX 1024

/* Which stub file a reader read.  A writer replaces the stub (a rename)
 * when it switches shard folders, so another inode or time means other
 * folders. */
typedef struct stub_id {
    ino_t ino;
    struct timespec mtime;
} stub_id_t;

struct trouve_index {
    char *path;               /* the index folder, as given */
    trouve_open_mode_t mode;
    xap_db_t *db;             /* read mode: every shard, through the stub */
    stub_id_t stub;           /* the stub db was opened from */
    uint64_t bytes;           /* read mode: the index folder's size when db
                                 was opened, for the snapshot's stats */
    xap_db_t **shards;        /* write mode: each local shard, writable */
    unsigned *generation;     /* write mode: each local shard's generation */
    unsigned nshards;         /* local shards (0 until created) */
    char *remote_lines;       /* write mode: the stub's other lines, kept */
    int lock_fd;              /* write mode: trouve.lock, flock()ed */
    char message[MESSAGE_MAX];
};

/* Records a message on the handle (printf-style) and returns `st`. */
trouve_status_t index_fail(trouve_index_t *ix, trouve_status_t st,
                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The trouve status for a wrapper status. */
trouve_status_t status_from_xap(xap_status_t st);

/* Records the wrapper's message for `db` on the handle, prefixed with
 * what was being done, and returns the matching status. */
trouve_status_t index_fail_xap(trouve_index_t *ix, xap_db_t *db,
                               xap_status_t st, const char *doing);

/* The id term of a path ("Q/home/a.md", or "Q#<16 hex>" when too long)
 * written to out (room for TERM_BYTES_MAX + 1); returns its length. */
size_t id_term(const char *path, size_t len, char *out);

/* The same for path filter terms ('P'). */
size_t path_term(const char *path, size_t len, char *out);

#endif
