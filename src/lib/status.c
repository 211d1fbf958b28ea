/*
 * status.c - status, language and skip names; messages on handles; the
 * version.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

#include "strset.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char *trouve_version(void)
{
    return STR(TROUVE_VERSION_MAJOR) "." STR(TROUVE_VERSION_MINOR) "." STR(
        TROUVE_VERSION_PATCH);
}

const char *trouve_status_to_string(trouve_status_t status)
{
    switch (status) {
    case TROUVE_STATUS_OK: return "success";
    case TROUVE_STATUS_OUT_OF_MEMORY: return "out of memory";
    case TROUVE_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case TROUVE_STATUS_NO_INDEX: return "no index";
    case TROUVE_STATUS_INDEX_LOCKED: return "index is locked";
    case TROUVE_STATUS_INDEX_CORRUPT: return "index is damaged";
    case TROUVE_STATUS_INDEX_MODIFIED: return "index changed while reading";
    case TROUVE_STATUS_READ_ONLY: return "index is open read-only";
    case TROUVE_STATUS_IO_ERROR: return "input/output error";
    case TROUVE_STATUS_BAD_QUERY: return "bad query";
    case TROUVE_STATUS_TOO_MANY_TERMS: return "too many terms";
    case TROUVE_STATUS_INTERRUPTED: return "interrupted";
    case TROUVE_STATUS_REMOTE_ERROR: return "remote shard error";
    case TROUVE_STATUS_ENGINE_ERROR: return "search engine error";
    case TROUVE_STATUS_LAST: break;
    }
    return "unknown status";
}

const char *trouve_lang_to_string(trouve_lang_t lang)
{
    switch (lang) {
    case TROUVE_LANG_EN: return "en";
    case TROUVE_LANG_FR: return "fr";
    case TROUVE_LANG_UNKNOWN: break;
    }
    return "unknown";
}

const char *trouve_skip_to_string(trouve_skip_t skip)
{
    switch (skip) {
    case TROUVE_SKIP_NONE: return "none";
    case TROUVE_SKIP_HIDDEN: return "hidden";
    case TROUVE_SKIP_IGNORED: return "ignored";
    case TROUVE_SKIP_FORMAT: return "not a post format";
    case TROUVE_SKIP_BINARY: return "binary";
    case TROUVE_SKIP_SYMLINK: return "symbolic link";
    case TROUVE_SKIP_SPECIAL: return "not a regular file";
    case TROUVE_SKIP_TOO_LARGE: return "too large";
    case TROUVE_SKIP_UNREADABLE: return "unreadable";
    case TROUVE_SKIP_DAMAGED: return "damaged";
    case TROUVE_SKIP_LAST: break;
    }
    return "unknown";
}

trouve_status_t index_fail(trouve_index_t *ix, trouve_status_t st,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->message, sizeof ix->message, fmt, ap);
    va_end(ap);
    return st;
}

trouve_status_t status_from_xap(xap_status_t st)
{
    switch (st) {
    case XAP_OK: return TROUVE_STATUS_OK;
    case XAP_NOMEM: return TROUVE_STATUS_OUT_OF_MEMORY;
    case XAP_NOT_FOUND: return TROUVE_STATUS_NO_INDEX;
    case XAP_LOCKED: return TROUVE_STATUS_INDEX_LOCKED;
    case XAP_MODIFIED: return TROUVE_STATUS_INDEX_MODIFIED;
    case XAP_CORRUPT: return TROUVE_STATUS_INDEX_CORRUPT;
    case XAP_IO: return TROUVE_STATUS_IO_ERROR;
    case XAP_NETWORK: return TROUVE_STATUS_REMOTE_ERROR;
    case XAP_WILDCARD: return TROUVE_STATUS_TOO_MANY_TERMS;
    case XAP_INVALID: return TROUVE_STATUS_INVALID_ARGUMENT;
    case XAP_UNIMPLEMENTED:
    case XAP_ERROR:
    case XAP_LAST: break;
    }
    return TROUVE_STATUS_ENGINE_ERROR;
}

trouve_status_t index_fail_xap(trouve_index_t *ix, xap_db_t *db,
                               xap_status_t st, const char *doing)
{
    const char *why = db ? xap_db_message(db) : "";
    if (!*why)
        why = xap_status_name(st);
    /* On an open database, "not found" is a document its own lists name,
     * "corrupt" a block that does not read, and a C++ error from inside
     * the engine (std::length_error from a length read as garbage) data
     * that does not decode: the index is damaged. */
    if (db && (st == XAP_NOT_FOUND || st == XAP_CORRUPT || st == XAP_ERROR))
        return index_fail(ix, TROUVE_STATUS_INDEX_CORRUPT,
                          "index '%s' is damaged: %s: %s", ix->path, doing,
                          why);
    /* A remote shard that goes away mid-search: say which index. */
    if (st == XAP_NETWORK)
        return index_fail(ix, TROUVE_STATUS_REMOTE_ERROR,
                          "%s: a remote shard of '%s' failed: %s", doing,
                          ix->path, why);
    return index_fail(ix, status_from_xap(st), "%s: %s", doing, why);
}

static size_t prefixed_term(char prefix, const char *path, size_t len,
                            char *out)
{
    out[0] = prefix;
    if (len + 1 <= TERM_BYTES_MAX) {
        memcpy(out + 1, path, len);
        out[len + 1] = '\0';
        return len + 1;
    }
    int n = snprintf(out + 1, TERM_BYTES_MAX, "#%016llx",
                     (unsigned long long)hash64(path, len));
    return (size_t)n + 1;
}

size_t id_term(const char *path, size_t len, char *out)
{
    return prefixed_term(PREFIX_ID, path, len, out);
}

size_t path_term(const char *path, size_t len, char *out)
{
    return prefixed_term(PREFIX_PATH, path, len, out);
}
