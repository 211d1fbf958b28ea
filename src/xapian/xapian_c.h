/*
 * xapian_c.h - a small C interface to libxapian, for trouve's own use.
 *
 * xapian_c.cc is the only file in trouve that includes <xapian.h>.  Every
 * function here catches Xapian::Error, std::bad_alloc and anything else,
 * and turns them into an xap_status_t; no exception crosses into C.
 *
 * Errors: functions on a database record a one-line message on the handle
 * (xap_db_message).  Functions that create a handle take `char *msg,
 * size_t msgsz` for the message instead.  Query constructors return NULL
 * only when memory ran out.
 *
 * Strings: terms and values are byte strings with explicit lengths.  Strings
 * handed out are malloc()ed copies the caller frees, unless said otherwise.
 *
 * Threads: a handle is used by one thread at a time; separate handles on
 * the same database may be used from separate threads.
 */
#ifndef TROUVE_XAPIAN_C_H
#define TROUVE_XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xap_status {
    XAP_OK = 0,
    XAP_NOMEM,         /* std::bad_alloc */
    XAP_NOT_FOUND,     /* DatabaseNotFoundError; DocNotFoundError */
    XAP_LOCKED,        /* DatabaseLockError */
    XAP_MODIFIED,      /* DatabaseModifiedError: reopen and retry */
    XAP_CORRUPT,       /* DatabaseCorruptError, DatabaseVersionError, other
                          DatabaseOpeningError, truncated tables */
    XAP_IO,            /* other DatabaseError (failed write, commit) */
    XAP_NETWORK,       /* NetworkError, NetworkTimeoutError */
    XAP_WILDCARD,      /* WildcardError: expansion past the cap */
    XAP_INVALID,       /* InvalidArgumentError, InvalidOperationError */
    XAP_UNIMPLEMENTED, /* UnimplementedError (e.g. remote synonyms) */
    XAP_ERROR,         /* any other exception */
    XAP_LAST
} xap_status_t;

/* A short constant name of a status. */
const char *xap_status_name(xap_status_t st);

/* The libxapian version string ("1.4.22"). */
const char *xap_version(void);

/* The longest term glass can store, in bytes; longer ones are XAP_INVALID
 * when added to a document (hash long id terms instead). */
#define XAP_MAX_TERM_LEN 245

/* ------------------------------------------------------------------ */
/* Databases                                                           */

typedef struct xap_db xap_db_t;

#define XAP_DB_READ   0u        /* open an existing database or stub */
#define XAP_DB_WRITE  (1u << 0) /* writable; created if missing (glass) */
#define XAP_DB_NOSYNC (1u << 1) /* writable without fsync (tests only) */

/*
 * Opens the database at `path`: a glass directory, or a stub file (or a
 * folder holding a XAPIANDB stub) naming several, local or remote.
 * On failure *out is NULL and the message goes to msg (if msgsz > 0).
 * XAP_NOT_FOUND: nothing there (missing path, empty folder, a stub naming
 * a missing shard).  XAP_CORRUPT: something there that is not a readable
 * database (garbage or empty stub file, a damaged or missing table or
 * version file).  XAP_LOCKED: a second writer.  XAP_NETWORK: a remote
 * shard does not answer.
 */
xap_status_t xap_db_open(const char *path, unsigned flags, xap_db_t **out,
                         char *msg, size_t msgsz);

/* Closes (a writable one without committing) and frees.  NULL is a no-op.
 * Free the msets made from db first. */
void xap_db_close(xap_db_t *db);

/* The message of the last failure on db; "" if none.  Owned by db. */
const char *xap_db_message(const xap_db_t *db);

/* Brings a reader up to the latest committed revision; *changed (may
 * be NULL) is set to 0 when it was at that revision already. */
xap_status_t xap_db_reopen(xap_db_t *db, int *changed);

/* Number of databases db reads: its local and remote shards (1 for a
 * writable one). */
size_t xap_db_shards(const xap_db_t *db);

/* Number of documents, last docid, and average document length. */
xap_status_t xap_db_doccount(xap_db_t *db, uint32_t *count);
xap_status_t xap_db_lastdocid(xap_db_t *db, uint32_t *docid);
xap_status_t xap_db_avlength(xap_db_t *db, double *avlength);

/* Number of documents containing `term` (0 if none), and its total wdf. */
xap_status_t xap_db_termfreq(xap_db_t *db, const char *term, size_t len,
                             uint32_t *termfreq, uint64_t *collfreq);

/* Calls fn for each term of the database beginning with `prefix` (len may
 * be 0), in byte order, until fn returns non-zero. */
typedef int (*xap_term_fn)(const char *term, size_t len, uint32_t termfreq,
                           void *ctx);
xap_status_t xap_db_allterms(xap_db_t *db, const char *prefix, size_t len,
                             xap_term_fn fn, void *ctx);

/* Calls fn (termfreq 0) for each synonym recorded for `key`, merged over
 * the shards.  XAP_UNIMPLEMENTED when a shard is remote: Xapian 1.4's
 * remote protocol has no synonyms (it would silently answer none). */
xap_status_t xap_db_synonyms(xap_db_t *db, const char *key, size_t len,
                             xap_term_fn fn, void *ctx);

/* Writable only: records `term` as a synonym of `key`. */
xap_status_t xap_db_add_synonym(xap_db_t *db, const char *key, size_t klen,
                                const char *term, size_t tlen);

/* User metadata.  get: *value is malloc()ed (NUL-terminated, *len bytes),
 * or NULL with *len 0 when the key is not set. */
xap_status_t xap_db_get_metadata(xap_db_t *db, const char *key, char **value,
                                 size_t *len);
xap_status_t xap_db_set_metadata(xap_db_t *db, const char *key,
                                 const char *value, size_t len);

/* The docid of the first document indexed by `term`, or 0 if none. */
xap_status_t xap_db_find(xap_db_t *db, const char *term, size_t len,
                         uint32_t *docid);

/* Calls fn for each docid indexed by `term`, in order. */
typedef int (*xap_docid_fn)(uint32_t docid, void *ctx);
xap_status_t xap_db_postings(xap_db_t *db, const char *term, size_t len,
                             xap_docid_fn fn, void *ctx);

/* A document's data (malloc()ed, *len bytes, NUL-terminated). */
xap_status_t xap_db_get_data(xap_db_t *db, uint32_t docid, char **data,
                             size_t *len);

/* A document's value in `slot`; NULL with *len 0 when unset. */
xap_status_t xap_db_get_value(xap_db_t *db, uint32_t docid, unsigned slot,
                              char **value, size_t *len);

/* Calls fn for every document that has a value in `slot`. */
typedef int (*xap_value_fn)(uint32_t docid, const char *value, size_t len,
                            void *ctx);
xap_status_t xap_db_values(xap_db_t *db, unsigned slot, xap_value_fn fn,
                           void *ctx);

/* The positions of `term` in document `docid`: *positions is malloc()ed
 * (NULL when *count is 0), ascending. */
xap_status_t xap_db_positions(xap_db_t *db, uint32_t docid, const char *term,
                              size_t len, uint32_t **positions,
                              size_t *count);

/* Calls fn (termfreq = wdf in that document) for each term of the
 * document beginning with `prefix`. */
xap_status_t xap_db_doc_terms(xap_db_t *db, uint32_t docid,
                              const char *prefix, size_t plen,
                              xap_term_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Writing documents                                                   */

typedef struct xap_doc xap_doc_t;

/* A new empty document, or NULL when memory ran out. */
xap_doc_t *xap_doc_new(void);
void xap_doc_free(xap_doc_t *doc);

/* Each returns XAP_OK or XAP_NOMEM/XAP_INVALID (e.g. an empty term, or one
 * longer than XAP_MAX_TERM_LEN). */
xap_status_t xap_doc_add_posting(xap_doc_t *doc, const char *term, size_t len,
                                 uint32_t pos, uint32_t wdfinc);
xap_status_t xap_doc_add_term(xap_doc_t *doc, const char *term, size_t len,
                              uint32_t wdfinc);
xap_status_t xap_doc_add_boolean_term(xap_doc_t *doc, const char *term,
                                      size_t len);
xap_status_t xap_doc_set_data(xap_doc_t *doc, const char *data, size_t len);
xap_status_t xap_doc_set_value(xap_doc_t *doc, unsigned slot,
                               const char *value, size_t len);

/* Writable only.  Replaces every document indexed by `idterm` with doc
 * (adds it when there is none).  doc must hold idterm (XAP_INVALID
 * otherwise), or each replace would add one more document. */
xap_status_t xap_db_replace(xap_db_t *db, const char *idterm, size_t len,
                            const xap_doc_t *doc);
/* Writable only.  Adds doc; *docid (may be NULL) gets its id. */
xap_status_t xap_db_add(xap_db_t *db, const xap_doc_t *doc, uint32_t *docid);
/* Writable only.  Deletes every document indexed by `idterm`. */
xap_status_t xap_db_delete(xap_db_t *db, const char *idterm, size_t len);
/* Writable only.  Deletes document `docid`. */
xap_status_t xap_db_delete_docid(xap_db_t *db, uint32_t docid);
/* Writable only.  Sets value `slot` of document `docid`, leaving its
 * terms and data as they are (a file touched but not changed gets its new
 * stamp without being indexed again). */
xap_status_t xap_db_set_doc_value(xap_db_t *db, uint32_t docid,
                                  unsigned slot, const char *value,
                                  size_t len);
/* Writable only.  Makes the changes so far durable, atomically. */
xap_status_t xap_db_commit(xap_db_t *db);

/*
 * Merges the databases `sources` (paths) into a new compacted database at
 * `dest` (Xapian::Database::compact).  msg as for xap_db_open.  dest must
 * not exist (XAP_INVALID); after a failure it may hold a partial database
 * the caller removes.  Docids are renumbered; find documents by id term.
 */
xap_status_t xap_compact(const char *const *sources, size_t n,
                         const char *dest, char *msg, size_t msgsz);

/* ------------------------------------------------------------------ */
/* Queries                                                             */

typedef struct xap_query xap_query_t;

typedef enum xap_op {
    XAP_OP_AND,
    XAP_OP_OR,
    XAP_OP_AND_NOT,   /* first AND NOT (second OR third ...) */
    XAP_OP_FILTER,    /* first, filtered by the rest (no weight from them) */
    XAP_OP_AND_MAYBE, /* first, weighted up by the rest */
    XAP_OP_SYNONYM,   /* the subqueries weighted as one term */
    XAP_OP_PHRASE,    /* in order, within `window` positions */
    XAP_OP_NEAR,      /* any order, within `window` positions */
    XAP_OP_MAX        /* weight of the best subquery */
} xap_op_t;

/* A term query; wqf is the within-query frequency (1 normally).
 * Returns NULL only when memory ran out.  An empty term matches nothing.
 * The other constructors also return NULL for invalid arguments (an
 * unknown op, a NULL subquery, a negative factor). */
xap_query_t *xap_query_term(const char *term, size_t len, uint32_t wqf);

/* The match-all query (every document), and the match-nothing query. */
xap_query_t *xap_query_all(void);
xap_query_t *xap_query_none(void);

/* Combines n subqueries (which are not consumed; free them as usual).
 * window applies to PHRASE and NEAR (0 = number of subqueries). */
xap_query_t *xap_query_combine(xap_op_t op, xap_query_t *const *subs,
                               size_t n, unsigned window);

/* The query with its weights multiplied by `factor` (>= 0). */
xap_query_t *xap_query_scale(const xap_query_t *q, double factor);

/* Terms beginning with `prefix`, combined with OP_SYNONYM.  Expansion
 * past `max_terms` makes xap_enquire fail with XAP_WILDCARD (0: no cap).
 * Over several shards, Xapian 1.4 expands and caps in each shard
 * separately, and the weights are not those of one combined database:
 * use xap_db_expand_wildcard there. */
xap_query_t *xap_query_wildcard(const char *prefix, size_t len,
                                unsigned max_terms);

/* The same query expanded now, from db's vocabulary (all shards merged):
 * an explicit OP_SYNONYM of the terms, so the cap counts distinct terms
 * and the weights use global statistics.  *out (free it) is the
 * match-nothing query when no term matches; NULL on failure.
 * XAP_WILDCARD past max_terms (0: no cap). */
xap_status_t xap_db_expand_wildcard(xap_db_t *db, const char *prefix,
                                    size_t len, unsigned max_terms,
                                    xap_query_t **out);

/* True for the match-nothing query. */
int xap_query_is_empty(const xap_query_t *q);

/* A readable description (malloc()ed), for tests and --explain. */
char *xap_query_describe(const xap_query_t *q);

void xap_query_free(xap_query_t *q);

/* ------------------------------------------------------------------ */
/* Ranked retrieval                                                    */

typedef struct xap_mset xap_mset_t;

typedef struct xap_bm25 {
    double k1, k2, k3, b, min_normlen; /* Xapian::BM25Weight parameters */
} xap_bm25_t;

/*
 * Runs `query` on db with BM25 (params may be NULL for Xapian's defaults)
 * and returns hits [first, first + max) best first, having looked at no
 * fewer than `check_at_least` documents for the estimate.
 * On failure *out is NULL (XAP_MODIFIED: reopen and retry).
 */
xap_status_t xap_enquire(xap_db_t *db, const xap_query_t *query,
                         const xap_bm25_t *params, uint32_t first,
                         uint32_t max, uint32_t check_at_least,
                         xap_mset_t **out);

size_t xap_mset_size(const xap_mset_t *m);
/* Estimated number of matching documents, with its bounds. */
uint32_t xap_mset_estimated(const xap_mset_t *m);
uint32_t xap_mset_docid(const xap_mset_t *m, size_t i);
double xap_mset_weight(const xap_mset_t *m, size_t i);
/* The database the hit comes from is needed to read its data: xap_db_*
 * calls on the db the mset was made from accept these docids. */

/* The query's terms present in hit i, via fn (termfreq = 0). */
xap_status_t xap_mset_matching_terms(xap_db_t *db, const xap_mset_t *m,
                                     size_t i, xap_term_fn fn, void *ctx);

/* Term statistics the mset saw: number of documents containing term
 * (the same across shards: global statistics). */
uint32_t xap_mset_termfreq(const xap_mset_t *m, const char *term, size_t len);

void xap_mset_free(xap_mset_t *m);

/* ------------------------------------------------------------------ */
/* Stemming (Snowball stemmers shipped with libxapian)                 */

typedef struct xap_stemmer xap_stemmer_t;

/* A stemmer for "english" or "french" (any Xapian language name); NULL
 * when the language is unknown or memory ran out. */
xap_stemmer_t *xap_stemmer_new(const char *language);
void xap_stemmer_free(xap_stemmer_t *s);

/* Stems word[0..len) (lowercase UTF-8) into out (outsz bytes, always
 * NUL-terminated); returns the stem's length, which may exceed outsz - 1
 * when truncated, or -1 on error. */
long xap_stem(xap_stemmer_t *s, const char *word, size_t len, char *out,
              size_t outsz);

#ifdef __cplusplus
}
#endif

#endif /* TROUVE_XAPIAN_C_H */
