/*
 * walk.c - finding the posts under the roots given to `trouve index`.
 * See walk.h.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "ignore.h"
#include "strset.h"

/* Folders entered so far (device and inode), to stop symlink loops. */
typedef struct visited {
    dev_t dev;
    ino_t ino;
} visited_t;

/* The .trouveignore of a folder on the current path. */
typedef struct ignore_level {
    size_t base;          /* length of its folder's path (no final '/') */
    ignore_list_t list;
} ignore_level_t;

typedef struct walker {
    walk_t *w;
    ignore_level_t *ignores;  /* the ignore files on the current path,
                                 outermost first */
    size_t nignores, capignores;
    char **real_roots;    /* realpath of each folder root, for --follow */
    size_t nreal;
    visited_t *seen;      /* folders on the current path */
    size_t nseen, capseen;
    int oom;
} walker_t;

int path_place(const char *path, size_t len, const char *dir)
{
    size_t n = strlen(dir);
    if (len < n || memcmp(path, dir, n))
        return 0;
    if (len == n)
        return 1;
    return path[n] == '/' ? 2 : 0;
}

char *path_absolute(const char *path)
{
    buf_t b = {0};
    int rc = 0;
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        buf_adds(&b, cwd, &rc);
    }
    buf_addc(&b, '/', &rc);
    buf_adds(&b, path, &rc);
    if (rc) {
        buf_free(&b);
        return NULL;
    }
    /* Normalise in place: components are copied down over "." and "..". */
    char *s = b.p, *out = b.p;
    size_t i = 0, n = b.n;
    while (i < n) {
        while (i < n && s[i] == '/')
            i++;
        size_t start = i;
        while (i < n && s[i] != '/')
            i++;
        size_t len = i - start;
        if (len == 0 || (len == 1 && s[start] == '.'))
            continue;
        if (len == 2 && s[start] == '.' && s[start + 1] == '.') {
            while (out > b.p && *--out != '/')
                ;
            continue;
        }
        *out++ = '/';
        memmove(out, s + start, len);
        out += len;
    }
    if (out == b.p)
        *out++ = '/';
    *out = '\0';
    return b.p;
}

static int cancelled(const walker_t *k)
{
    return walk_cancelled(k->w->cancel);
}

static void skip(walker_t *k, const char *path, trouve_skip_t why,
                 const char *detail)
{
    walk_t *w = k->w;
    if (why == TROUVE_SKIP_UNREADABLE || why == TROUVE_SKIP_DAMAGED)
        w->nfailed++;
    else
        w->nskipped++;
    if (w->skipped)
        w->skipped(path, why, detail, w->ctx);
}

/* Adds path to w->kept: the index keeps what it has of it and under
 * it (walk_keeps). */
static void keep_under(walker_t *k, const char *path)
{
    walk_t *w = k->w;
    char **v = realloc(w->kept, (w->nkept + 1) * sizeof *v);
    char *copy = strdup(path);
    if (v)
        w->kept = v;
    if (!v || !copy) {
        free(copy);
        k->oom = 1;
        return;
    }
    w->kept[w->nkept++] = copy;
}

/* Reports path as unreadable (errno e).  Unless it has vanished, it is
 * remembered, so that the index keeps what it has of it. */
static void unreadable(walker_t *k, const char *path, int e)
{
    skip(k, path, TROUVE_SKIP_UNREADABLE, strerror(e));
    if (e != ENOENT && e != ENOTDIR)
        keep_under(k, path);
}

int walk_keeps(const walk_t *w, const char *path, size_t len)
{
    if (strset_find(&w->unknown, path, len) >= 0)
        return 1;
    for (size_t i = 0; i < w->nkept; i++)
        if (path_place(path, len, w->kept[i]))
            return 1;
    return 0;
}

static void add_entry(walker_t *k, const char *path, const struct stat *st,
                      post_format_t format)
{
    walk_t *w = k->w;
    if (array_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v,
                   256) < 0) {
        k->oom = 1;
        return;
    }
    char *copy = strdup(path);
    if (!copy) {
        k->oom = 1;
        return;
    }
    w->v[w->n++] = (walk_entry_t){
        .path = copy,
        .size = (uint64_t)st->st_size,
        .mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
                    st->st_mtim.tv_nsec,
        .format = format};
    w->bytes += (uint64_t)st->st_size;
}

/* 1 if `real` is inside one of the roots (for following links). */
static int inside_roots(const walker_t *k, const char *real)
{
    for (size_t i = 0; i < k->nreal; i++)
        if (path_place(real, strlen(real), k->real_roots[i]) ||
            !strcmp(k->real_roots[i], "/")) /* holds every real path */
            return 1;
    return 0;
}

/* Where the real path `real` lies from the index: 0 outside it, 1 it is
 * the index's folder, 2 inside it. */
static int in_index(const walker_t *k, const char *real)
{
    const char *ex = k->w->exclude;
    return ex && *ex ? path_place(real, strlen(real), ex) : 0;
}

static void walk_folder(walker_t *k, buf_t *path, const struct stat *st,
                        int depth);

/* Reads at most `max` bytes of the file at path into a malloc()ed *text
 * (*len bytes).  Returns 0, or an errno value (*text NULL). */
static int read_small_file(const char *path, size_t max, char **text,
                           size_t *len)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno;
    char *p = malloc(max ? max : 1);
    if (!p) {
        close(fd);
        return ENOMEM;
    }
    size_t n = 0;
    ssize_t got = 0;
    while (n < max && ((got = read(fd, p + n, max - n)) > 0 ||
                       (got < 0 && errno == EINTR)))
        if (got > 0)
            n += (size_t)got;
    int e = got < 0 ? errno : 0;
    close(fd);
    if (e) {
        free(p);
        return e;
    }
    *text = p;
    *len = n;
    return 0;
}

/* Reads the folder's .trouveignore, if it has one, onto the stack.
 * Returns 1 when a level was pushed, 0 when there is none (or it cannot
 * be read: reported), -1 when memory ran out. */
static int push_ignores(walker_t *k, buf_t *path)
{
    size_t base = path->n;
    int rc = 0;
    if (base == 0 || path->p[base - 1] != '/')
        buf_addc(path, '/', &rc);
    buf_adds(path, "." IGNORE_FILE, &rc);
    if (rc)
        return -1;
    int pushed = 0;
    struct stat st;
    char *text = NULL;
    size_t len;
    if (lstat(path->p, &st) == 0 && S_ISREG(st.st_mode)) {
        int e = read_small_file(path->p, IGNORE_FILE_MAX, &text, &len);
        if (e == ENOMEM) {
            pushed = -1;
        } else if (e) {
            skip(k, path->p, TROUVE_SKIP_UNREADABLE, strerror(e));
        } else if (array_grow((void **)&k->ignores, &k->capignores,
                              k->nignores + 1, sizeof *k->ignores, 8) < 0) {
            pushed = -1;
        } else {
            ignore_level_t *l = &k->ignores[k->nignores++];
            memset(l, 0, sizeof *l);
            l->base = base > 0 && path->p[base - 1] == '/' ? base - 1 : base;
            pushed = ignore_parse(&l->list, text, len) < 0 ? -1 : 1;
        }
    }
    free(text);
    path->n = base;
    path->p[base] = '\0';
    return pushed;
}

/* Pushes the .trouveignore files of the folders above the root `abs`
 * (from "/" down), so that a folder's patterns apply to everything under
 * it whichever folder is given to index.  Returns how many were pushed. */
static size_t push_ancestors(walker_t *k, const char *abs)
{
    size_t pushed = 0, len = strlen(abs);
    buf_t b = {0};
    int rc = 0;
    for (size_t i = 0; i < len && !k->oom; i++) {
        if (abs[i] != '/' || len == 1)
            continue; /* (the root "/" has no folder above it) */
        buf_reset(&b);
        buf_add(&b, abs, i ? i : 1, &rc); /* "/" first, then "/a"... */
        if (rc) {
            k->oom = 1;
            break;
        }
        int r = push_ignores(k, &b);
        if (r < 0)
            k->oom = 1;
        pushed += r > 0;
    }
    buf_free(&b);
    return pushed;
}

/* 1 if the .trouveignore files on the way leave path->p out. */
static int ignored(const walker_t *k, const buf_t *path, int is_dir)
{
    for (size_t i = k->nignores; i-- > 0;) {
        const ignore_level_t *l = &k->ignores[i];
        if (path->n <= l->base + 1)
            continue;
        int m = ignore_match(&l->list, path->p + l->base + 1, is_dir);
        if (m >= 0)
            return m;
    }
    return 0;
}

/* Looks at one name found in a folder; path holds its full path. */
static void walk_name(walker_t *k, buf_t *path, int depth)
{
    struct stat st;
    if (lstat(path->p, &st) < 0) {
        unreadable(k, path->p, errno);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        if (!(k->w->flags & TROUVE_INDEX_FOLLOW)) {
            skip(k, path->p, TROUVE_SKIP_SYMLINK, NULL);
            return;
        }
        char *real = realpath(path->p, NULL);
        if (!real) {
            skip(k, path->p, TROUVE_SKIP_UNREADABLE, strerror(errno));
            return;
        }
        int inside = inside_roots(k, real), index = in_index(k, real);
        free(real);
        if (index)
            return; /* the index, reached through a link: left out */
        if (!inside) {
            skip(k, path->p, TROUVE_SKIP_SYMLINK, "points out of the root");
            return;
        }
        if (stat(path->p, &st) < 0) {
            unreadable(k, path->p, errno);
            return;
        }
    }
    if ((S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) &&
        ignored(k, path, S_ISDIR(st.st_mode))) {
        skip(k, path->p, TROUVE_SKIP_IGNORED, NULL);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (in_index(k, path->p) == 1)
            return;
        walk_folder(k, path, &st, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
        post_format_t format = post_format_of(path->p);
        if (format == POST_FORMAT_NONE) {
            skip(k, path->p, TROUVE_SKIP_FORMAT, NULL);
            if (strset_intern(&k->w->unknown, path->p, path->n, NULL) < 0)
                k->oom = 1;
        } else
            add_entry(k, path->p, &st, format);
    } else {
        skip(k, path->p, TROUVE_SKIP_SPECIAL, NULL);
    }
}

static void walk_folder(walker_t *k, buf_t *path, const struct stat *st,
                        int depth)
{
    if (depth > WALK_DEPTH_MAX) {
        skip(k, path->p, TROUVE_SKIP_UNREADABLE, "folders nested too deep");
        return;
    }
    for (size_t i = 0; i < k->nseen; i++)
        if (k->seen[i].dev == st->st_dev && k->seen[i].ino == st->st_ino) {
            skip(k, path->p, TROUVE_SKIP_SYMLINK, "symbolic link loop");
            return;
        }
    if (array_grow((void **)&k->seen, &k->capseen, k->nseen + 1,
                   sizeof *k->seen, 16) < 0) {
        k->oom = 1;
        return;
    }
    k->seen[k->nseen++] = (visited_t){st->st_dev, st->st_ino};

    DIR *d = opendir(path->p);
    if (!d) {
        unreadable(k, path->p, errno);
        k->nseen--;
        return;
    }
    int pushed = push_ignores(k, path);
    if (pushed < 0)
        k->oom = 1;
    size_t base = path->n;
    int rc = 0;
    struct dirent *e;
    for (;;) {
        if (k->oom || cancelled(k))
            break;
        errno = 0;
        if (!(e = readdir(d))) {
            if (errno) { /* the listing stopped short: keep what it has */
                path->n = base;
                path->p[base] = '\0';
                unreadable(k, path->p, errno);
            }
            break;
        }
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        path->n = base;
        if (base == 0 || path->p[base - 1] != '/')
            buf_addc(path, '/', &rc);
        buf_adds(path, name, &rc);
        if (rc) {
            k->oom = 1;
            break;
        }
        if (!strcmp(name, "." IGNORE_FILE))
            continue; /* read above: not a post, not worth a line */
        if (name[0] == '.') {
            skip(k, path->p, TROUVE_SKIP_HIDDEN, NULL);
            keep_under(k, path->p);
        } else
            walk_name(k, path, depth);
    }
    closedir(d);
    path->n = base;
    path->p[base] = '\0';
    if (pushed > 0)
        ignore_free(&k->ignores[--k->nignores].list);
    k->nseen--;
}

/* Adds a folder root, given by its real path, to the folders walked (with
 * a final '/') and to the roots --follow lets links point into. */
static int add_folder_root(walker_t *k, const char *real)
{
    walk_t *w = k->w;
    size_t n = strlen(real);
    char *f = malloc(n + 2);
    char *copy = strdup(real);
    char **v = realloc(w->folders, (w->nfolders + 1) * sizeof *v);
    char **r = realloc(k->real_roots, (k->nreal + 1) * sizeof *r);
    if (v)
        w->folders = v;
    if (r)
        k->real_roots = r;
    if (!f || !copy || !v || !r) {
        free(f);
        free(copy);
        return -1;
    }
    memcpy(f, real, n);
    if (n == 0 || real[n - 1] != '/')
        f[n++] = '/';
    f[n] = '\0';
    w->folders[w->nfolders++] = f;
    k->real_roots[k->nreal++] = copy;
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const walk_entry_t *)a)->path,
                  ((const walk_entry_t *)b)->path);
}

/* A root given to walk_roots, as the walk takes it. */
typedef struct root {
    const char *given;  /* as the caller spelled it, for messages */
    char *real;         /* its real path, malloc()ed; NULL when it names
                           nothing */
    int error;          /* then why: an errno value */
    int repeated;       /* an earlier root has the same path: the walk
                           and the folders indexed take it once */
    int index;          /* in_index of its real path: the index itself
                           (1) or inside it (2) is never walked nor
                           remembered */
} root_t;

/* Finds the real path of r->given (symbolic links, "." and ".."
 * resolved), so that a folder or file named through a link is the one it
 * names: its posts are stored, and the folder remembered, under one path
 * whichever way it was named.  Returns 0, or -1 when memory ran out.
 * realpath refuses "" (ENOENT), as stat and ls do. */
static int resolve_root(root_t *r)
{
    r->real = realpath(r->given, NULL);
    if (!r->real)
        r->error = errno;
    return r->real || r->error != ENOMEM ? 0 : -1;
}

/* Where a root that names nothing would be: its absolute form, with the
 * longest part of it that exists taken at its real path (as the index
 * stored what was there), so a post deleted from a folder named through a
 * link is looked for where the index has it.  malloc()ed; NULL when memory
 * ran out or the current folder is unknown. */
static char *resolve_gone(const char *given)
{
    char *abs = path_absolute(given);
    if (!abs)
        return NULL;
    for (size_t i = strlen(abs); i-- > 1;) {
        if (abs[i] != '/')
            continue;
        abs[i] = '\0';
        char *real = realpath(abs, NULL);
        abs[i] = '/';
        if (!real)
            continue;
        buf_t b = {0};
        int rc = 0;
        buf_adds(&b, strcmp(real, "/") ? real : "", &rc);
        buf_adds(&b, abs + i, &rc);
        free(real);
        free(abs);
        if (rc) {
            buf_free(&b);
            return NULL;
        }
        return b.p;
    }
    return abs; /* nothing above it but "/" */
}

/* Lists a root that names nothing (r->error ENOENT or ENOTDIR) in
 * w->gone, once.  Returns 0; 1 when it has no absolute path (the current
 * folder is gone too: the root is then reported as unreadable); -1 when
 * memory ran out. */
static int add_gone(walker_t *k, const root_t *r)
{
    walk_t *w = k->w;
    char *path = resolve_gone(r->given);
    if (!path)
        return 1;
    for (size_t i = 0; i < w->ngone; i++)
        if (!strcmp(w->gone[i].path, path)) {
            free(path);
            return 0;
        }
    walk_gone_t *v = realloc(w->gone, (w->ngone + 1) * sizeof *v);
    if (!v) {
        free(path);
        return -1;
    }
    w->gone = v;
    w->gone[w->ngone++] = (walk_gone_t){r->given, path, r->error};
    return 0;
}

/* Marks r repeated when an earlier root has its path (`named` holds
 * theirs); otherwise, when it is a folder, adds it to the folder roots.
 * Returns 0, or -1 when memory ran out. */
static int add_root(walker_t *k, root_t *r, strset_t *named)
{
    int added;
    struct stat st;
    if (!r->real)
        return 0;
    if (strset_intern(named, r->real, strlen(r->real), &added) < 0)
        return -1;
    r->repeated = !added;
    r->index = in_index(k, r->real);
    if (r->repeated || r->index || stat(r->real, &st) < 0 ||
        !S_ISDIR(st.st_mode))
        return 0;
    return add_folder_root(k, r->real);
}

int walk_roots(walk_t *w, const char *const *roots, size_t nroots)
{
    walker_t k = {.w = w};
    buf_t path = {0};
    int rc = 0;
    /* Folder roots first, so --follow knows every root before walking. */
    root_t *r = calloc(nroots ? nroots : 1, sizeof *r);
    if (!r)
        return -1;
    strset_t named; /* the roots' paths */
    strset_init(&named);
    for (size_t i = 0; i < nroots && !k.oom; i++) {
        r[i].given = roots[i];
        if (resolve_root(&r[i]) < 0 || add_root(&k, &r[i], &named) < 0)
            k.oom = 1;
    }
    strset_free(&named);
    for (size_t i = 0; i < nroots && !k.oom; i++) {
        const char *abs = r[i].real;
        struct stat st;
        if (r[i].repeated)
            continue;
        if (!abs && r[i].given[0] &&
            (r[i].error == ENOENT || r[i].error == ENOTDIR)) {
            int gone = add_gone(&k, &r[i]);
            if (gone < 0)
                k.oom = 1;
            if (gone <= 0)
                continue;
        }
        if (!abs || stat(abs, &st) < 0) {
            skip(&k, roots[i], TROUVE_SKIP_UNREADABLE,
                 strerror(abs ? errno : r[i].error));
            continue;
        }
        /* Named, the index is a caller's slip worth a word; met inside a
         * folder walked, it is left out quietly (walk_name). */
        if (r[i].index) {
            skip(&k, roots[i], TROUVE_SKIP_IGNORED,
                 r[i].index == 1 ? "the index itself" : "inside the index");
            continue;
        }
        buf_reset(&path);
        buf_adds(&path, abs, &rc);
        if (rc) {
            k.oom = 1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t levels = push_ancestors(&k, abs);
            walk_folder(&k, &path, &st, 0);
            while (levels-- > 0 && k.nignores > 0)
                ignore_free(&k.ignores[--k.nignores].list);
        } else if (S_ISREG(st.st_mode)) {
            post_format_t format = post_format_of(abs);
            add_entry(&k, abs, &st, format ? format : POST_FORMAT_TEXT);
        } else {
            skip(&k, roots[i], TROUVE_SKIP_SPECIAL, NULL);
        }
    }
    for (size_t i = 0; i < nroots; i++)
        free(r[i].real);
    free(r);
    buf_free(&path);
    for (size_t i = 0; i < k.nreal; i++)
        free(k.real_roots[i]);
    free(k.real_roots);
    free(k.seen);
    for (size_t i = 0; i < k.nignores; i++)
        ignore_free(&k.ignores[i].list);
    free(k.ignores);
    if (k.oom)
        return -1;
    /* Sorted, without the duplicates overlapping roots give. */
    if (w->n > 1) /* qsort(NULL, 0...) is undefined */
        qsort(w->v, w->n, sizeof *w->v, by_path);
    size_t out = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (out && !strcmp(w->v[out - 1].path, w->v[i].path)) {
            w->bytes -= w->v[i].size;
            free(w->v[i].path);
            continue;
        }
        w->v[out++] = w->v[i];
    }
    w->n = out;
    return 0;
}

void walk_free(walk_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].path);
    free(w->v);
    for (size_t i = 0; i < w->nfolders; i++)
        free(w->folders[i]);
    free(w->folders);
    for (size_t i = 0; i < w->nkept; i++)
        free(w->kept[i]);
    free(w->kept);
    w->kept = NULL;
    w->nkept = 0;
    strset_free(&w->unknown);
    for (size_t i = 0; i < w->ngone; i++)
        free(w->gone[i].path);
    free(w->gone);
    w->gone = NULL;
    w->ngone = 0;
    w->v = NULL;
    w->folders = NULL;
    w->n = w->cap = w->nfolders = 0;
}
