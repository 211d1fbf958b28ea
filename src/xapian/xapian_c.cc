/*
 * xapian_c.cc - the C interface of xapian_c.h over libxapian 1.4.
 *
 * This is the only file of trouve that includes <xapian.h>.
 *
 * Exceptions.  Every extern "C" function is one `try` whose catch clauses
 * (CATCH_INTO / CATCH_RETURN below) take Xapian::Error, std::bad_alloc,
 * std::exception and `...`: no exception leaves this file.  Destructors of
 * Xapian handles do not throw (Xapian swallows errors in them), and the one
 * that could commit (~WritableDatabase) is preceded by an explicit close().
 * Xapian::Error has no virtual function, so dynamic_cast cannot tell its
 * subclasses apart: the status comes from rethrowing it into a chain of
 * catch clauses (classify_current_error).
 *
 * Status mapping (classify_current_error), checked against libxapian 1.4.22:
 *
 *   DatabaseLockError                     XAP_LOCKED
 *   DatabaseModifiedError                 XAP_MODIFIED
 *   DatabaseCorruptError, VersionError    XAP_CORRUPT
 *   DatabaseNotFoundError                 XAP_NOT_FOUND
 *   other DatabaseOpeningError            XAP_CORRUPT (XAP_IO if EACCES/EPERM)
 *   DatabaseError "EOF reading block",
 *                 "inflate failed"        XAP_CORRUPT
 *   other DatabaseError (Create, Closed)  XAP_IO
 *   NetworkError, NetworkTimeoutError     XAP_NETWORK
 *   WildcardError                         XAP_WILDCARD
 *   InvalidArgument/InvalidOperation      XAP_INVALID
 *   UnimplementedError,
 *   FeatureUnavailableError               XAP_UNIMPLEMENTED
 *     "Database has no termlist"          XAP_CORRUPT (termlist.glass gone)
 *   DocNotFoundError                      XAP_NOT_FOUND (no such document)
 *   anything else                         XAP_ERROR
 *   std::bad_alloc                        XAP_NOMEM
 *
 * What 1.4.22 throws when opening damaged or absent databases for reading
 * and searching them (tests/unit/test_xapian_c.c pins each case down, but
 * for the bit flips, where it only checks that nothing crashes):
 *
 *   missing path              DatabaseNotFoundError "Couldn't stat"  NOT_FOUND
 *   empty folder              DatabaseNotFoundError "Couldn't detect
 *                             type of database"                      NOT_FOUND
 *   folder of glass tables
 *   without iamglass          the same; we look: CORRUPT
 *   empty regular file        no error: a stub naming no database,
 *                             0 shards; we refuse it:                CORRUPT
 *   regular file of garbage   DatabaseOpeningError "Bad line"        CORRUPT
 *   truncated/zeroed/garbage
 *   iamglass                  DatabaseCorruptError ("Couldn't read
 *                             enough (EOF)", "Rev file magic
 *                             incorrect")                            CORRUPT
 *   zeroed/garbage table      DatabaseCorruptError "dir_end invalid
 *                             in block N"                            CORRUPT
 *   truncated/emptied table   DatabaseError "EOF reading block N"    CORRUPT
 *   missing postlist.glass    DatabaseOpeningError "Couldn't open"   CORRUPT
 *   missing docdata or
 *   position table            nothing: glass reads them as empty
 *   missing termlist table    FeatureUnavailableError "Database has
 *                             no termlist" (on reading a termlist)   CORRUPT
 *   bit flips in docdata      DatabaseError "inflate failed (...)"   CORRUPT
 *   stub naming a missing
 *   shard                     DatabaseNotFoundError                  NOT_FOUND
 *   remote shard down         NetworkError "Couldn't connect"        NETWORK
 *   remote dies mid-session   NetworkError "write failed" (EPIPE;
 *                             no SIGPIPE is raised), "read failed",
 *                             or "Connection closed unexpectedly"
 *                             (with no context: the message gets the
 *                             stub's remote shards)                  NETWORK
 *
 * Messages are one line, kept in a fixed buffer (no allocation on the
 * error path): "[<'subject'>: ]<description>: <Xapian message>[: <errno
 * text>][ [<context>]] (<Xapian type>)", control bytes replaced by spaces,
 * cut on a UTF-8 boundary when too long.
 *
 * Ownership.  Every handle (xap_db_t, xap_doc_t, xap_query_t, xap_mset_t,
 * xap_stemmer_t) is allocated here with new and freed by its _free/_close
 * function.  Queries are reference-counted inside Xapian, so combining
 * copies no terms and sub-queries stay owned by the caller.  An xap_mset_t
 * holds its own Xapian::Enquire (for matching terms and term statistics),
 * which shares the database: free msets before closing their database.
 * Strings handed out are malloc()ed and NUL-terminated; the caller frees.
 *
 * Remote shards.  Xapian 1.4's remote protocol has no synonym table and
 * answers synonym lookups with an empty list, silently.  xap_db_open reads
 * the stub file (following nested stubs) to learn whether a shard is
 * remote, and xap_db_synonyms then fails with XAP_UNIMPLEMENTED instead of
 * returning a partial list.  A network error whose Xapian message does
 * not say which server (a connection the server closed reads as
 * "Connection closed unexpectedly", with no context) gets the stub's
 * remote shards appended, so the message always names them.
 *
 * Wildcards.  Over several shards, 1.4 expands OP_WILDCARD in each shard
 * with that shard's statistics: the cap counts per shard and the weights
 * differ from one combined database's.  xap_db_expand_wildcard expands
 * from the merged vocabulary into an explicit OP_SYNONYM, which keeps
 * global statistics.
 */
#include "xapian_c.h"

#include <xapian.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

enum { MSG_MAX = 1024 };        /* bytes of a handle's message, NUL included */
enum { STUB_DEPTH_MAX = 8 };    /* nesting of stub files we follow */

struct xap_db {
    Xapian::WritableDatabase wdb; /* the database, when writable */
    Xapian::Database rdb;         /* the database, when read-only */
    bool writable;                /* opened with XAP_DB_WRITE */
    std::string remotes;          /* the remote shards its stub names,
                                     "HOST:PORT, ..." ("" for none) */
    char msg[MSG_MAX];            /* last failure, "" if none */

    xap_db() : writable(false) { msg[0] = '\0'; }
    Xapian::Database &xdb() { return writable ? wdb : rdb; }
};

/* Terms are passed to Xapian as temporary std::strings: cheaper, by
 * callgrind, than assigning into a kept buffer when most terms fit the
 * small-string buffer (15 bytes), as folded words do. */
struct xap_doc {
    Xapian::Document doc;
};

struct xap_query {
    Xapian::Query q;
    explicit xap_query(const Xapian::Query &q_) : q(q_) {}
};

struct xap_mset {
    Xapian::Enquire enquire;      /* kept for matching terms */
    Xapian::MSet mset;
    explicit xap_mset(const Xapian::Database &db) : enquire(db) {}
};

struct xap_stemmer {
    Xapian::Stem stem;
    explicit xap_stemmer(const char *lang) : stem(lang) {}
};

/* ------------------------------------------------------------------ */
/* Messages and statuses                                               */

/* What a status means, in the words of a message. */
static const char *describe_status(xap_status_t st)
{
    switch (st) {
    case XAP_OK:            return "no error";
    case XAP_NOMEM:         return "out of memory";
    case XAP_NOT_FOUND:     return "not found";
    case XAP_LOCKED:        return "database locked by another writer";
    case XAP_MODIFIED:      return "database changed by a writer, reopen "
                                   "and retry";
    case XAP_CORRUPT:       return "database damaged";
    case XAP_IO:            return "database i/o error";
    case XAP_NETWORK:       return "network error";
    case XAP_WILDCARD:      return "wildcard expands to too many terms";
    case XAP_INVALID:       return "invalid request";
    case XAP_UNIMPLEMENTED: return "not supported";
    case XAP_ERROR:         return "xapian error";
    case XAP_LAST:          break;
    }
    return "unknown status";
}

/* A message being written into buf[0..sz): `at` bytes used so far. */
struct msg_writer {
    char *buf;
    size_t sz;
    size_t at;
};

/* Appends s[0..n), control bytes turned into spaces, as far as room. */
static void msg_put(msg_writer *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n && w->at + 1 < w->sz; i++) {
        unsigned char c = (unsigned char)s[i];
        w->buf[w->at++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
}

static void msg_puts(msg_writer *w, const char *s)
{
    msg_put(w, s, strlen(s));
}

/* NUL-terminates; a full buffer loses its last, maybe cut, UTF-8 char. */
static void msg_end(msg_writer *w)
{
    if (w->sz == 0)
        return;
    if (w->at + 1 >= w->sz && w->at > 0) {
        size_t i = w->at;
        while (i > 0 && ((unsigned char)w->buf[i - 1] & 0xc0) == 0x80)
            i--;
        if (i > 0 && ((unsigned char)w->buf[i - 1] & 0x80))
            i--;                /* the lead byte of a possibly cut char */
        w->at = i;
    }
    w->buf[w->at] = '\0';
}

static void msg_subject(msg_writer *w, const char *subject)
{
    if (!subject)
        return;
    msg_puts(w, "'");
    msg_puts(w, subject);
    msg_puts(w, "': ");
}

/* Records "[subject: ]<description>[: detail]" and returns st. */
static xap_status_t fail_plain(char *buf, size_t sz, const char *subject,
                               xap_status_t st, const char *detail)
{
    if (!buf || sz == 0)
        return st;
    msg_writer w = { buf, sz, 0 };
    msg_subject(&w, subject);
    msg_puts(&w, describe_status(st));
    if (detail && *detail) {
        msg_puts(&w, ": ");
        msg_puts(&w, detail);
    }
    msg_end(&w);
    return st;
}

/* Records the message of a Xapian error, as status st, and returns st.
 * `remotes` (may be NULL) stands for the context of a network error that
 * has none. */
static xap_status_t fail_xapian(char *buf, size_t sz, const char *subject,
                                xap_status_t st, const Xapian::Error &e,
                                const char *remotes = NULL)
{
    if (!buf || sz == 0)
        return st;
    const char *errstr = NULL;
    try {
        errstr = e.get_error_string(); /* may format, and so allocate */
    } catch (...) {
        errstr = NULL;
    }
    msg_writer w = { buf, sz, 0 };
    msg_subject(&w, subject);
    msg_puts(&w, describe_status(st));
    msg_puts(&w, ": ");
    msg_put(&w, e.get_msg().data(), e.get_msg().size());
    if (errstr && *errstr) {
        msg_puts(&w, ": ");
        msg_puts(&w, errstr);
    }
    if (!e.get_context().empty()) {
        msg_puts(&w, " [");
        msg_put(&w, e.get_context().data(), e.get_context().size());
        msg_puts(&w, "]");
    } else if (st == XAP_NETWORK && remotes && *remotes) {
        msg_puts(&w, " [remote ");
        msg_puts(&w, remotes);
        msg_puts(&w, "]");
    }
    msg_puts(&w, " (");
    msg_puts(&w, e.get_type());
    msg_puts(&w, ")");
    msg_end(&w);
    return st;
}

static bool starts_with(const std::string &s, const char *prefix)
{
    return s.compare(0, strlen(prefix), prefix) == 0;
}

/* Whether e carries the text of EACCES or EPERM. */
static bool is_permission_error(const Xapian::Error &e)
{
    try {
        const char *es = e.get_error_string();
        return es && (strcmp(es, strerror(EACCES)) == 0 ||
                      strcmp(es, strerror(EPERM)) == 0);
    } catch (...) {
        return false;
    }
}

/* The status of the Xapian::Error being handled (see the table at the
 * top).  Call only from a catch clause: Xapian::Error has no virtual
 * function, so its type is found by rethrowing it, not by dynamic_cast. */
static xap_status_t classify_current_error(void)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &) {
        return XAP_LOCKED;
    } catch (const Xapian::DatabaseModifiedError &) {
        return XAP_MODIFIED;
    } catch (const Xapian::DatabaseCorruptError &) {
        return XAP_CORRUPT;
    } catch (const Xapian::DatabaseVersionError &) {
        return XAP_CORRUPT;
    } catch (const Xapian::DatabaseNotFoundError &) {
        return XAP_NOT_FOUND;
    } catch (const Xapian::DatabaseOpeningError &e) {
        return is_permission_error(e) ? XAP_IO : XAP_CORRUPT;
    } catch (const Xapian::DatabaseError &e) {
        /* A table shorter than its version file says, or a compressed
         * item that does not inflate: the files are damaged, not the
         * disk failing (those messages carry an errno text). */
        if (starts_with(e.get_msg(), "EOF reading block") ||
            starts_with(e.get_msg(), "inflate failed"))
            return XAP_CORRUPT;
        return XAP_IO;
    } catch (const Xapian::NetworkError &) {
        return XAP_NETWORK;
    } catch (const Xapian::WildcardError &) {
        return XAP_WILDCARD;
    } catch (const Xapian::InvalidArgumentError &) {
        return XAP_INVALID;
    } catch (const Xapian::InvalidOperationError &) {
        return XAP_INVALID;
    } catch (const Xapian::UnimplementedError &) {
        return XAP_UNIMPLEMENTED;
    } catch (const Xapian::FeatureUnavailableError &e) {
        /* Our databases always have a termlist table: glass says this
         * when termlist.glass has gone. */
        if (starts_with(e.get_msg(), "Database has no termlist"))
            return XAP_CORRUPT;
        return XAP_UNIMPLEMENTED;
    } catch (const Xapian::DocNotFoundError &) {
        return XAP_NOT_FOUND;
    } catch (...) {
        return XAP_ERROR;
    }
}

/* The catch clauses ending every entry point that returns a status: the
 * exception becomes a status, and a message in buf[0..sz). */
#define CATCH_INTO(buf, sz, subject)                                       \
    CATCH_INTO_REMOTES(buf, sz, subject, NULL)
#define CATCH_INTO_REMOTES(buf, sz, subject, remotes)                      \
    catch (const Xapian::Error &e_) {                                      \
        return fail_xapian((buf), (sz), (subject),                         \
                           classify_current_error(), e_, (remotes));       \
    } catch (const std::bad_alloc &) {                                     \
        return fail_plain((buf), (sz), (subject), XAP_NOMEM, NULL);        \
    } catch (const std::exception &e_) {                                   \
        return fail_plain((buf), (sz), (subject), XAP_ERROR, e_.what());   \
    } catch (...) {                                                        \
        return fail_plain((buf), (sz), (subject), XAP_ERROR,               \
                          "unknown c++ exception");                        \
    }

#define CATCH_DB(db)                                                       \
    CATCH_INTO_REMOTES((db)->msg, sizeof (db)->msg, NULL,                  \
                       (db)->remotes.c_str())

/* The catch clauses of entry points that return a value, not a status. */
#define CATCH_RETURN(value)                                                \
    catch (const Xapian::Error &) {                                        \
        return (value);                                                    \
    } catch (const std::bad_alloc &) {                                     \
        return (value);                                                    \
    } catch (...) {                                                        \
        return (value);                                                    \
    }

static xap_status_t need_writable(xap_db_t *db)
{
    if (db->writable)
        return XAP_OK;
    return fail_plain(db->msg, sizeof db->msg, NULL, XAP_INVALID,
                      "database not opened for writing");
}

/* A malloc()ed, NUL-terminated copy of s, or NULL when out of memory. */
static char *copy_string(const std::string &s)
{
    char *p = (char *)malloc(s.size() + 1);
    if (p) {
        memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Opening: stub files and remote shards                               */

static bool is_dir(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/* Appends to *out ("A, B") the remote shards the stub at `path` (a stub
 * file, or a folder holding a XAPIANDB stub) names, directly or through
 * nested stubs.  Lines are "remote HOST:PORT", "remote :PROGRAM ARGS", or
 * "<backend> PATH" with PATH relative to the stub's folder; as in Xapian,
 * the type ends at the first space and the rest of the line is the
 * argument. */
static void stub_remotes(const std::string &path, int depth,
                         std::string *out)
{
    std::string stub = path;
    if (is_dir(path)) {
        stub = path + "/XAPIANDB";
        if (!is_file(stub))
            return;             /* a glass folder */
    } else if (!is_file(path)) {
        return;
    }
    if (depth >= STUB_DEPTH_MAX)
        return;
    FILE *f = fopen(stub.c_str(), "r");
    if (!f)
        return;
    std::string folder;
    size_t slash = stub.rfind('/');
    if (slash != std::string::npos)
        folder = stub.substr(0, slash + 1);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t typelen = strcspn(line, " ");
        const char *arg = line + typelen + (line[typelen] == ' ');
        if (typelen == 6 && memcmp(line, "remote", 6) == 0) {
            if (!out->empty())
                *out += ", ";
            *out += arg;
        } else if (typelen == 4 && memcmp(line, "auto", 4) == 0 && *arg) {
            std::string sub = arg[0] == '/' ? std::string(arg) : folder + arg;
            stub_remotes(sub, depth + 1, out);
        }
    }
    fclose(f);
}

/* Whether `path` is a folder of glass tables that lacks its version file
 * (Xapian then says "not found"; the database is damaged). */
static bool is_glass_without_version(const char *path)
{
    std::string p(path);
    return is_dir(p) && !is_file(p + "/iamglass") &&
           is_file(p + "/postlist.glass");
}

extern "C" {

const char *xap_status_name(xap_status_t st)
{
    switch (st) {
    case XAP_OK:            return "XAP_OK";
    case XAP_NOMEM:         return "XAP_NOMEM";
    case XAP_NOT_FOUND:     return "XAP_NOT_FOUND";
    case XAP_LOCKED:        return "XAP_LOCKED";
    case XAP_MODIFIED:      return "XAP_MODIFIED";
    case XAP_CORRUPT:       return "XAP_CORRUPT";
    case XAP_IO:            return "XAP_IO";
    case XAP_NETWORK:       return "XAP_NETWORK";
    case XAP_WILDCARD:      return "XAP_WILDCARD";
    case XAP_INVALID:       return "XAP_INVALID";
    case XAP_UNIMPLEMENTED: return "XAP_UNIMPLEMENTED";
    case XAP_ERROR:         return "XAP_ERROR";
    case XAP_LAST:          break;
    }
    return "XAP_?";
}

const char *xap_version(void)
{
    return Xapian::version_string();
}

/* ------------------------------------------------------------------ */
/* Databases                                                           */

xap_status_t xap_db_open(const char *path, unsigned flags, xap_db_t **out,
                         char *msg, size_t msgsz)
{
    if (msg && msgsz)
        msg[0] = '\0';
    if (!out)
        return fail_plain(msg, msgsz, path, XAP_INVALID, "no out handle");
    *out = NULL;
    if (!path || !*path)
        return fail_plain(msg, msgsz, NULL, XAP_INVALID, "empty path");
    std::unique_ptr<xap_db> db;
    try {
        db.reset(new xap_db());
        if (flags & XAP_DB_WRITE) {
            int xflags = Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS;
            if (flags & XAP_DB_NOSYNC)
                xflags |= Xapian::DB_NO_SYNC;
            db->wdb = Xapian::WritableDatabase(path, xflags);
            db->writable = true;
        } else {
            stub_remotes(path, 0, &db->remotes);
            db->rdb = Xapian::Database(path);
            if (db->rdb.size() == 0)
                return fail_plain(msg, msgsz, path, XAP_CORRUPT,
                                  "a stub file naming no database");
        }
        *out = db.release();
        return XAP_OK;
    } catch (const Xapian::Error &e) {
        xap_status_t st = classify_current_error();
        if (st == XAP_NOT_FOUND && is_glass_without_version(path))
            st = XAP_CORRUPT;
        return fail_xapian(msg, msgsz, path, st, e,
                           db ? db->remotes.c_str() : NULL);
    } catch (const std::bad_alloc &) {
        return fail_plain(msg, msgsz, path, XAP_NOMEM, NULL);
    } catch (const std::exception &e) {
        return fail_plain(msg, msgsz, path, XAP_ERROR, e.what());
    } catch (...) {
        return fail_plain(msg, msgsz, path, XAP_ERROR,
                          "unknown c++ exception");
    }
}

void xap_db_close(xap_db_t *db)
{
    if (!db)
        return;
    try {
        if (db->writable) {
            /* close() aborts an open transaction, and an unflushed
             * transaction takes the changes made before it along: this
             * closes without committing.  It also releases the lock even
             * while msets still share the database. */
            db->wdb.begin_transaction(false);
            db->wdb.close();
        } else {
            db->rdb.close();
        }
    } catch (...) {
        /* nothing to report to: the handle goes away */
    }
    delete db;
}

const char *xap_db_message(const xap_db_t *db)
{
    return db ? db->msg : "";
}

xap_status_t xap_db_reopen(xap_db_t *db, int *changed)
{
    if (changed)
        *changed = 0;
    if (!db)
        return XAP_INVALID;
    try {
        bool now = db->xdb().reopen();
        if (changed)
            *changed = now;
        return XAP_OK;
    }
    CATCH_DB(db)
}

size_t xap_db_shards(const xap_db_t *db)
{
    /* Database::size() reads a vector's size: it cannot throw. */
    return !db ? 0 : db->writable ? 1 : db->rdb.size();
}

xap_status_t xap_db_doccount(xap_db_t *db, uint32_t *count)
{
    if (!db || !count)
        return XAP_INVALID;
    *count = 0;
    try {
        *count = db->xdb().get_doccount();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_lastdocid(xap_db_t *db, uint32_t *docid)
{
    if (!db || !docid)
        return XAP_INVALID;
    *docid = 0;
    try {
        *docid = db->xdb().get_lastdocid();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_avlength(xap_db_t *db, double *avlength)
{
    if (!db || !avlength)
        return XAP_INVALID;
    *avlength = 0;
    try {
        *avlength = db->xdb().get_avlength();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_termfreq(xap_db_t *db, const char *term, size_t len,
                             uint32_t *termfreq, uint64_t *collfreq)
{
    if (!db || (!term && len))
        return XAP_INVALID;
    if (termfreq)
        *termfreq = 0;
    if (collfreq)
        *collfreq = 0;
    try {
        const std::string t(term ? term : "", len);
        if (termfreq)
            *termfreq = db->xdb().get_termfreq(t);
        if (collfreq)
            *collfreq = db->xdb().get_collection_freq(t);
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_allterms(xap_db_t *db, const char *prefix, size_t len,
                             xap_term_fn fn, void *ctx)
{
    if (!db || !fn || (!prefix && len))
        return XAP_INVALID;
    try {
        Xapian::Database &x = db->xdb();
        const std::string p(prefix ? prefix : "", len);
        for (Xapian::TermIterator t = x.allterms_begin(p);
             t != x.allterms_end(p); ++t) {
            const std::string term = *t;
            if (fn(term.data(), term.size(), t.get_termfreq(), ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_synonyms(xap_db_t *db, const char *key, size_t len,
                             xap_term_fn fn, void *ctx)
{
    if (!db || !fn || (!key && len))
        return XAP_INVALID;
    if (!db->remotes.empty())
        return fail_plain(db->msg, sizeof db->msg, NULL, XAP_UNIMPLEMENTED,
                          "synonyms cannot be read from a remote shard "
                          "(xapian 1.4 remote protocol)");
    try {
        Xapian::Database &x = db->xdb();
        const std::string k(key ? key : "", len);
        for (Xapian::TermIterator t = x.synonyms_begin(k);
             t != x.synonyms_end(k); ++t) {
            const std::string term = *t;
            if (fn(term.data(), term.size(), 0, ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_add_synonym(xap_db_t *db, const char *key, size_t klen,
                                const char *term, size_t tlen)
{
    if (!db || !key || !term)
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        db->wdb.add_synonym(std::string(key, klen), std::string(term, tlen));
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_get_metadata(xap_db_t *db, const char *key, char **value,
                                 size_t *len)
{
    if (!db || !key || !value || !len)
        return XAP_INVALID;
    *value = NULL;
    *len = 0;
    try {
        const std::string v = db->xdb().get_metadata(key);
        if (v.empty())
            return XAP_OK;
        if (!(*value = copy_string(v)))
            return fail_plain(db->msg, sizeof db->msg, NULL, XAP_NOMEM, NULL);
        *len = v.size();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_set_metadata(xap_db_t *db, const char *key,
                                 const char *value, size_t len)
{
    if (!db || !key || (!value && len))
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        db->wdb.set_metadata(key, std::string(value ? value : "", len));
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_find(xap_db_t *db, const char *term, size_t len,
                         uint32_t *docid)
{
    if (!db || !term || !docid)
        return XAP_INVALID;
    *docid = 0;
    try {
        Xapian::PostingIterator p = db->xdb().postlist_begin(
            std::string(term, len));
        if (p != Xapian::PostingIterator())
            *docid = *p;
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_postings(xap_db_t *db, const char *term, size_t len,
                             xap_docid_fn fn, void *ctx)
{
    if (!db || !term || !fn)
        return XAP_INVALID;
    try {
        Xapian::PostingIterator end;
        for (Xapian::PostingIterator p = db->xdb().postlist_begin(
                 std::string(term, len));
             p != end; ++p) {
            if (fn(*p, ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_get_data(xap_db_t *db, uint32_t docid, char **data,
                             size_t *len)
{
    if (!db || !data || !len)
        return XAP_INVALID;
    *data = NULL;
    *len = 0;
    try {
        const std::string d = db->xdb().get_document(docid).get_data();
        if (!(*data = copy_string(d)))
            return fail_plain(db->msg, sizeof db->msg, NULL, XAP_NOMEM, NULL);
        *len = d.size();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_get_value(xap_db_t *db, uint32_t docid, unsigned slot,
                              char **value, size_t *len)
{
    if (!db || !value || !len)
        return XAP_INVALID;
    *value = NULL;
    *len = 0;
    try {
        const std::string v = db->xdb().get_document(docid).get_value(slot);
        if (v.empty())
            return XAP_OK;
        if (!(*value = copy_string(v)))
            return fail_plain(db->msg, sizeof db->msg, NULL, XAP_NOMEM, NULL);
        *len = v.size();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_values(xap_db_t *db, unsigned slot, xap_value_fn fn,
                           void *ctx)
{
    if (!db || !fn)
        return XAP_INVALID;
    try {
        Xapian::Database &x = db->xdb();
        for (Xapian::ValueIterator v = x.valuestream_begin(slot);
             v != x.valuestream_end(slot); ++v) {
            const std::string value = *v;
            if (fn(v.get_docid(), value.data(), value.size(), ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_DB(db)
}

/* A malloc()ed array of positions being filled; freed unless released. */
struct position_buffer {
    uint32_t *p;
    size_t n, cap;
    position_buffer() : p(NULL), n(0), cap(0) {}
    ~position_buffer() { free(p); }
    void push(uint32_t pos)
    {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            uint32_t *np = (uint32_t *)realloc(p, ncap * sizeof *np);
            if (!np)
                throw std::bad_alloc();
            p = np;
            cap = ncap;
        }
        p[n++] = pos;
    }
};

xap_status_t xap_db_positions(xap_db_t *db, uint32_t docid, const char *term,
                              size_t len, uint32_t **positions,
                              size_t *count)
{
    if (!db || !term || !positions || !count)
        return XAP_INVALID;
    *positions = NULL;
    *count = 0;
    try {
        position_buffer buf;
        Xapian::PositionIterator end;
        for (Xapian::PositionIterator p = db->xdb().positionlist_begin(
                 docid, std::string(term, len));
             p != end; ++p)
            buf.push(*p);
        *positions = buf.p;
        *count = buf.n;
        buf.p = NULL;
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_doc_terms(xap_db_t *db, uint32_t docid,
                              const char *prefix, size_t plen,
                              xap_term_fn fn, void *ctx)
{
    if (!db || !fn || (!prefix && plen))
        return XAP_INVALID;
    try {
        Xapian::Database &x = db->xdb();
        Xapian::TermIterator t = x.termlist_begin(docid);
        Xapian::TermIterator end = x.termlist_end(docid);
        if (plen)
            t.skip_to(std::string(prefix, plen));
        for (; t != end; ++t) {
            const std::string term = *t;
            if (term.compare(0, plen, prefix ? prefix : "", plen) != 0)
                break;
            if (fn(term.data(), term.size(), t.get_wdf(), ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_DB(db)
}

/* ------------------------------------------------------------------ */
/* Writing documents                                                   */

xap_doc_t *xap_doc_new(void)
{
    try {
        return new xap_doc();
    }
    CATCH_RETURN(NULL)
}

void xap_doc_free(xap_doc_t *doc)
{
    delete doc;
}

/* Whether term[0..len) can be indexed: not empty, not too long. */
static bool is_valid_term(const char *term, size_t len)
{
    return term && len > 0 && len <= XAP_MAX_TERM_LEN;
}

xap_status_t xap_doc_add_posting(xap_doc_t *doc, const char *term, size_t len,
                                 uint32_t pos, uint32_t wdfinc)
{
    if (!doc || !is_valid_term(term, len))
        return XAP_INVALID;
    try {
        doc->doc.add_posting(std::string(term, len), pos, wdfinc);
        return XAP_OK;
    }
    CATCH_INTO(NULL, 0, NULL)
}

xap_status_t xap_doc_add_term(xap_doc_t *doc, const char *term, size_t len,
                              uint32_t wdfinc)
{
    if (!doc || !is_valid_term(term, len))
        return XAP_INVALID;
    try {
        doc->doc.add_term(std::string(term, len), wdfinc);
        return XAP_OK;
    }
    CATCH_INTO(NULL, 0, NULL)
}

xap_status_t xap_doc_add_boolean_term(xap_doc_t *doc, const char *term,
                                      size_t len)
{
    if (!doc || !is_valid_term(term, len))
        return XAP_INVALID;
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return XAP_OK;
    }
    CATCH_INTO(NULL, 0, NULL)
}

xap_status_t xap_doc_set_data(xap_doc_t *doc, const char *data, size_t len)
{
    if (!doc || (!data && len))
        return XAP_INVALID;
    try {
        doc->doc.set_data(std::string(data ? data : "", len));
        return XAP_OK;
    }
    CATCH_INTO(NULL, 0, NULL)
}

xap_status_t xap_doc_set_value(xap_doc_t *doc, unsigned slot,
                               const char *value, size_t len)
{
    if (!doc || (!value && len) || slot == Xapian::BAD_VALUENO)
        return XAP_INVALID;
    try {
        doc->doc.add_value(slot, std::string(value ? value : "", len));
        return XAP_OK;
    }
    CATCH_INTO(NULL, 0, NULL)
}

/* Whether doc carries `term` (a linear walk of its in-memory terms). */
static bool doc_has_term(const Xapian::Document &doc, const std::string &term)
{
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(term);
    return t != doc.termlist_end() && *t == term;
}

xap_status_t xap_db_replace(xap_db_t *db, const char *idterm, size_t len,
                            const xap_doc_t *doc)
{
    if (!db || !doc || !is_valid_term(idterm, len))
        return db ? fail_plain(db->msg, sizeof db->msg, NULL, XAP_INVALID,
                               "bad id term or no document")
                  : XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        const std::string id(idterm, len);
        if (!doc_has_term(doc->doc, id))
            return fail_plain(db->msg, sizeof db->msg, NULL, XAP_INVALID,
                              "the document lacks its id term");
        db->wdb.replace_document(id, doc->doc);
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_add(xap_db_t *db, const xap_doc_t *doc, uint32_t *docid)
{
    if (docid)
        *docid = 0;
    if (!db || !doc)
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        Xapian::docid id = db->wdb.add_document(doc->doc);
        if (docid)
            *docid = id;
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_delete(xap_db_t *db, const char *idterm, size_t len)
{
    if (!db || !is_valid_term(idterm, len))
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        db->wdb.delete_document(std::string(idterm, len));
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_delete_docid(xap_db_t *db, uint32_t docid)
{
    if (!db)
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        db->wdb.delete_document(docid);
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_set_doc_value(xap_db_t *db, uint32_t docid,
                                  unsigned slot, const char *value,
                                  size_t len)
{
    if (!db || (!value && len))
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        Xapian::Document doc = db->wdb.get_document(docid);
        doc.add_value(slot, std::string(value ? value : "", len));
        db->wdb.replace_document(docid, doc);
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_db_commit(xap_db_t *db)
{
    if (!db)
        return XAP_INVALID;
    xap_status_t st = need_writable(db);
    if (st != XAP_OK)
        return st;
    try {
        db->wdb.commit();
        return XAP_OK;
    }
    CATCH_DB(db)
}

xap_status_t xap_compact(const char *const *sources, size_t n,
                         const char *dest, char *msg, size_t msgsz)
{
    if (msg && msgsz)
        msg[0] = '\0';
    if (!sources || n == 0 || !dest || !*dest)
        return fail_plain(msg, msgsz, dest, XAP_INVALID,
                          "no source or no destination");
    struct stat st;
    if (stat(dest, &st) == 0)
        return fail_plain(msg, msgsz, dest, XAP_INVALID,
                          "the destination already exists");
    const char *subject = dest;
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            subject = sources[i];
            all.add_database(Xapian::Database(sources[i]));
        }
        subject = dest;
        // FULL splits items wherever that saves space (FULLER, tried,
        // made the man-page index 4% larger).
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS |
                              Xapian::Compactor::FULL);
        return XAP_OK;
    }
    CATCH_INTO(msg, msgsz, subject)
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* A new handle on q, or NULL when memory ran out. */
static xap_query_t *query_new(const Xapian::Query &q)
{
    return new (std::nothrow) xap_query(q);
}

xap_query_t *xap_query_term(const char *term, size_t len, uint32_t wqf)
{
    try {
        /* Query("") would match every document: an empty term matches
         * none, as no document can hold it. */
        if (!term || len == 0)
            return query_new(Xapian::Query());
        return query_new(Xapian::Query(std::string(term, len), wqf));
    }
    CATCH_RETURN(NULL)
}

xap_query_t *xap_query_all(void)
{
    try {
        return query_new(Xapian::Query::MatchAll);
    }
    CATCH_RETURN(NULL)
}

xap_query_t *xap_query_none(void)
{
    try {
        return query_new(Xapian::Query::MatchNothing);
    }
    CATCH_RETURN(NULL)
}

/* The Xapian operator of op, and whether it is one. */
static bool xapian_op(xap_op_t op, Xapian::Query::op *out)
{
    switch (op) {
    case XAP_OP_AND:       *out = Xapian::Query::OP_AND; return true;
    case XAP_OP_OR:        *out = Xapian::Query::OP_OR; return true;
    case XAP_OP_AND_NOT:   *out = Xapian::Query::OP_AND_NOT; return true;
    case XAP_OP_FILTER:    *out = Xapian::Query::OP_FILTER; return true;
    case XAP_OP_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case XAP_OP_SYNONYM:   *out = Xapian::Query::OP_SYNONYM; return true;
    case XAP_OP_PHRASE:    *out = Xapian::Query::OP_PHRASE; return true;
    case XAP_OP_NEAR:      *out = Xapian::Query::OP_NEAR; return true;
    case XAP_OP_MAX:       *out = Xapian::Query::OP_MAX; return true;
    }
    return false;
}

xap_query_t *xap_query_combine(xap_op_t op, xap_query_t *const *subs,
                               size_t n, unsigned window)
{
    Xapian::Query::op xop;
    if (!xapian_op(op, &xop) || (!subs && n))
        return NULL;
    try {
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i])
                return NULL;    /* an earlier constructor failed */
            qs.push_back(subs[i]->q);
        }
        return query_new(Xapian::Query(xop, qs.begin(), qs.end(), window));
    }
    CATCH_RETURN(NULL)
}

xap_query_t *xap_query_scale(const xap_query_t *q, double factor)
{
    if (!q || !(factor >= 0))
        return NULL;
    try {
        return query_new(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q,
                                       factor));
    }
    CATCH_RETURN(NULL)
}

xap_query_t *xap_query_wildcard(const char *prefix, size_t len,
                                unsigned max_terms)
{
    if (!prefix && len)
        return NULL;
    try {
        return query_new(Xapian::Query(
            Xapian::Query::OP_WILDCARD, std::string(prefix ? prefix : "", len),
            max_terms, Xapian::Query::WILDCARD_LIMIT_ERROR,
            Xapian::Query::OP_SYNONYM));
    }
    CATCH_RETURN(NULL)
}

xap_status_t xap_db_expand_wildcard(xap_db_t *db, const char *prefix,
                                    size_t len, unsigned max_terms,
                                    xap_query_t **out)
{
    if (out)
        *out = NULL;
    if (!db || !out || (!prefix && len))
        return XAP_INVALID;
    try {
        Xapian::Database &x = db->xdb();
        const std::string p(prefix ? prefix : "", len);
        std::vector<Xapian::Query> terms;
        for (Xapian::TermIterator t = x.allterms_begin(p);
             t != x.allterms_end(p); ++t) {
            if (max_terms && terms.size() == max_terms) {
                char detail[300];
                snprintf(detail, sizeof detail,
                         "'%.*s*' expands to more than %u terms",
                         (int)(len < 200 ? len : 200), p.c_str(), max_terms);
                return fail_plain(db->msg, sizeof db->msg, NULL,
                                  XAP_WILDCARD, detail);
            }
            terms.push_back(Xapian::Query(*t));
        }
        *out = query_new(Xapian::Query(Xapian::Query::OP_SYNONYM,
                                       terms.begin(), terms.end()));
        if (!*out)
            return fail_plain(db->msg, sizeof db->msg, NULL, XAP_NOMEM, NULL);
        return XAP_OK;
    }
    CATCH_DB(db)
}

int xap_query_is_empty(const xap_query_t *q)
{
    return !q || q->q.empty();
}

char *xap_query_describe(const xap_query_t *q)
{
    if (!q)
        return NULL;
    try {
        return copy_string(q->q.get_description());
    }
    CATCH_RETURN(NULL)
}

void xap_query_free(xap_query_t *q)
{
    delete q;
}

/* ------------------------------------------------------------------ */
/* Ranked retrieval                                                    */

xap_status_t xap_enquire(xap_db_t *db, const xap_query_t *query,
                         const xap_bm25_t *params, uint32_t first,
                         uint32_t max, uint32_t check_at_least,
                         xap_mset_t **out)
{
    if (out)
        *out = NULL;
    if (!db || !query || !out)
        return db ? fail_plain(db->msg, sizeof db->msg, NULL, XAP_INVALID,
                               "no query or no out handle")
                  : XAP_INVALID;
    try {
        std::unique_ptr<xap_mset> m(new xap_mset(db->xdb()));
        m->enquire.set_query(query->q);
        if (params)
            m->enquire.set_weighting_scheme(Xapian::BM25Weight(
                params->k1, params->k2, params->k3, params->b,
                params->min_normlen));
        else
            m->enquire.set_weighting_scheme(Xapian::BM25Weight());
        m->mset = m->enquire.get_mset(first, max, check_at_least);
        *out = m.release();
        return XAP_OK;
    }
    CATCH_DB(db)
}

size_t xap_mset_size(const xap_mset_t *m)
{
    return m ? m->mset.size() : 0;
}

uint32_t xap_mset_estimated(const xap_mset_t *m)
{
    return m ? m->mset.get_matches_estimated() : 0;
}

uint32_t xap_mset_docid(const xap_mset_t *m, size_t i)
{
    if (!m || i >= m->mset.size())
        return 0;
    try {
        return *m->mset[(Xapian::doccount)i];
    }
    CATCH_RETURN(0)
}

double xap_mset_weight(const xap_mset_t *m, size_t i)
{
    if (!m || i >= m->mset.size())
        return 0;
    try {
        return m->mset[(Xapian::doccount)i].get_weight();
    }
    CATCH_RETURN(0)
}

xap_status_t xap_mset_matching_terms(xap_db_t *db, const xap_mset_t *m,
                                     size_t i, xap_term_fn fn, void *ctx)
{
    char scratch[MSG_MAX];      /* the message, when there is no db */
    char *buf = db ? db->msg : scratch;
    size_t sz = db ? sizeof db->msg : sizeof scratch;
    if (!m || !fn || i >= m->mset.size())
        return fail_plain(buf, sz, NULL, XAP_INVALID, "no such hit");
    try {
        Xapian::MSetIterator hit = m->mset[(Xapian::doccount)i];
        Xapian::TermIterator end = m->enquire.get_matching_terms_end(hit);
        for (Xapian::TermIterator t = m->enquire.get_matching_terms_begin(hit);
             t != end; ++t) {
            const std::string term = *t;
            if (fn(term.data(), term.size(), 0, ctx))
                break;
        }
        return XAP_OK;
    }
    CATCH_INTO(buf, sz, NULL)
}

uint32_t xap_mset_termfreq(const xap_mset_t *m, const char *term, size_t len)
{
    if (!m || !term)
        return 0;
    try {
        return m->mset.get_termfreq(std::string(term, len));
    }
    CATCH_RETURN(0)
}

void xap_mset_free(xap_mset_t *m)
{
    delete m;
}

/* ------------------------------------------------------------------ */
/* Stemming                                                            */

xap_stemmer_t *xap_stemmer_new(const char *language)
{
    if (!language)
        return NULL;
    try {
        return new xap_stemmer(language);
    }
    CATCH_RETURN(NULL)
}

void xap_stemmer_free(xap_stemmer_t *s)
{
    delete s;
}

long xap_stem(xap_stemmer_t *s, const char *word, size_t len, char *out,
              size_t outsz)
{
    if (!s || (!word && len) || (!out && outsz))
        return -1;
    try {
        const std::string stem = s->stem(std::string(word ? word : "", len));
        if (outsz) {
            size_t n = stem.size() < outsz - 1 ? stem.size() : outsz - 1;
            memcpy(out, stem.data(), n);
            out[n] = '\0';
        }
        return (long)stem.size();
    }
    CATCH_RETURN(-1)
}

} /* extern "C" */
