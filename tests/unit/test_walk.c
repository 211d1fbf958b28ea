/*
 * test_walk.c - finding the posts (lib/walk.c): lexical absolute paths,
 * what a walk takes and leaves out (hidden names, formats, .trouveignore,
 * FIFOs, symbolic links followed or not, loops), overlapping roots giving
 * each post once, sorted, what could not be read being remembered, and
 * where roots that name nothing would be.
 * The tree is made in a mkdtemp folder, removed at the end.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "lib/walk.h"

static char dir[64];

/* {path, current folder, absolute}; "@" stands for the test's folder. */
static const struct {
    const char *path, *cwd, *want;
} abs_rows[] = {
    {"/a/b", "@/x", "/a/b"},
    {"a/b", "@/x", "@/x/a/b"},
    {".", "@/x/y", "@/x/y"},
    {"..", "@/x/y", "@/x"},
    {"a//b/./c/", "@/x", "@/x/a/b/c"},
    {"/", "@/x", "/"},
    {"/../..", "@/x", "/"},
    {"a/../../b", "@/x/y", "@/x/b"},
};

/* s with a leading "@" made the test's folder, in out. */
static const char *at(const char *s, char *out, size_t outsz)
{
    if (s[0] != '@')
        return s;
    snprintf(out, outsz, "%s%s", dir, s + 1);
    return out;
}

static void test_absolute_rows(void **state)
{
    (void)state;
    char here[4096], cwd[512], want[512], x[512], xy[512];
    assert_non_null(getcwd(here, sizeof here));
    snprintf(x, sizeof x, "%s/x", dir);
    snprintf(xy, sizeof xy, "%s/x/y", dir);
    assert_int_equal(mkdir(x, 0755), 0);
    assert_int_equal(mkdir(xy, 0755), 0);
    for (size_t i = 0; i < COUNT(abs_rows); i++) {
        assert_int_equal(chdir(at(abs_rows[i].cwd, cwd, sizeof cwd)), 0);
        char *a = path_absolute(abs_rows[i].path);
        assert_non_null(a);
        const char *w = at(abs_rows[i].want, want, sizeof want);
        if (strcmp(a, w))
            fail_msg("[%s] in [%s]: [%s], want [%s]", abs_rows[i].path,
                     abs_rows[i].cwd, a, w);
        free(a);
    }
    assert_int_equal(chdir(here), 0);
}

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void make(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const char *target, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    assert_int_equal(symlink(target, path), 0);
}

/* What a walk reported, by reason. */
typedef struct seen {
    char text[8192]; /* "reason:relative path\n"... */
    size_t n;
} seen_t;

static void on_skip(const char *path, trouve_skip_t why, const char *detail,
                    void *ctx)
{
    (void)detail;
    seen_t *s = ctx;
    size_t dl = strlen(dir);
    const char *rel = !strncmp(path, dir, dl) ? path + dl + 1 : path;
    s->n += (size_t)snprintf(s->text + s->n, sizeof s->text - s->n, "%s:%s\n",
                             trouve_skip_to_string(why), rel);
}

/* The posts found, relative, one a line. */
static void found(const walk_t *w, char *out, size_t outsz)
{
    size_t dl = strlen(dir), n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < w->n; i++)
        n += (size_t)snprintf(out + n, outsz - n, "%s\n", w->v[i].path + dl + 1);
}

static void make_tree(void)
{
    make("root");
    make("root/sub");
    make("root/.git");
    make("root/drafts");
    put("root/a.txt", "a");
    put("root/b.md", "b");
    put("root/c.html.gz", "c");
    put("root/d.pdf", "d");
    put("root/.hidden.txt", "h");
    put("root/.git/config.txt", "g");
    put("root/sub/e.txt", "e");
    put("root/sub/x.log.txt", "x");
    put("root/drafts/f.txt", "f");
    put("root/.trouveignore", "*.log.txt\n/drafts/\n");
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/root/fifo.txt", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    link_to("a.txt", "root/link.txt");
    link_to("..", "root/sub/up");
    link_to("/etc", "root/out");
}

static void test_walk_tree(void **state)
{
    (void)state;
    make_tree();
    char root[512], sub[512], got[4096];
    snprintf(root, sizeof root, "%s/root", dir);
    snprintf(sub, sizeof sub, "%s/root/sub/", dir);

    seen_t s = {"", 0};
    walk_t w = {.skipped = on_skip, .ctx = &s};
    const char *roots[] = {root, sub}; /* overlapping: each post once */
    assert_int_equal(walk_roots(&w, roots, 2), 0);
    found(&w, got, sizeof got);
    assert_string_equal(got, "root/a.txt\nroot/b.md\nroot/c.html.gz\n"
                             "root/sub/e.txt\n");
    assert_int_equal(w.nfolders, 2);
    assert_non_null(strstr(s.text, "hidden:root/.git\n"));
    assert_non_null(strstr(s.text, "hidden:root/.hidden.txt\n"));
    assert_non_null(strstr(s.text, "not a post format:root/d.pdf\n"));
    assert_non_null(strstr(s.text, "ignored:root/drafts\n"));
    assert_non_null(strstr(s.text, "ignored:root/sub/x.log.txt\n"));
    assert_non_null(strstr(s.text, "not a regular file:root/fifo.txt\n"));
    assert_non_null(strstr(s.text, "symbolic link:root/link.txt\n"));
    assert_null(strstr(s.text, ".trouveignore"));
    /* what only a path given on its own can have put in the index is
     * kept (walk_keeps); what a .trouveignore lists is not */
    char p[512];
    const struct {
        const char *path;
        int kept;
    } kept_rows[] = {
        {"root/.git", 1},          {"root/.git/config.txt", 1},
        {"root/.hidden.txt", 1},   {"root/d.pdf", 1},
        {"root/sub/x.log.txt", 0}, {"root/drafts/f.txt", 0},
        {"root/gone.txt", 0},      {"root/d.pdf.txt", 0},
    };
    for (size_t i = 0; i < COUNT(kept_rows); i++) {
        snprintf(p, sizeof p, "%s/%s", dir, kept_rows[i].path);
        if (walk_keeps(&w, p, strlen(p)) != kept_rows[i].kept)
            fail_msg("walk_keeps(%s): want %d", kept_rows[i].path,
                     kept_rows[i].kept);
    }
    walk_free(&w);

    /* following: the link to a file inside, the loop cut, /etc out */
    memset(&s, 0, sizeof s);
    walk_t f = {.flags = TROUVE_INDEX_FOLLOW, .skipped = on_skip, .ctx = &s};
    assert_int_equal(walk_roots(&f, roots, 1), 0);
    found(&f, got, sizeof got);
    assert_string_equal(got, "root/a.txt\nroot/b.md\nroot/c.html.gz\n"
                             "root/link.txt\nroot/sub/e.txt\n");
    assert_non_null(strstr(s.text, "symbolic link:root/sub/up\n"));
    assert_non_null(strstr(s.text, "symbolic link:root/out\n"));
    walk_free(&f);
}

/* A cancelled walk stops, keeping what it found. */
static void test_cancel(void **state)
{
    (void)state;
    char root[512];
    snprintf(root, sizeof root, "%s/root", dir);
    volatile int cancel = 1;
    walk_t w = {.cancel = &cancel};
    const char *roots[] = {root};
    assert_int_equal(walk_roots(&w, roots, 1), 0);
    assert_int_equal(w.n, 0);
    walk_free(&w);
}

/* {root given ("@" the test's folder), where it would be, or "" when it
 * is reported as unreadable}: roots that name nothing (test_walk_tree
 * made the tree). */
static const struct {
    const char *given, *gone;
} gone_rows[] = {
    {"@/root/gone.md", "@/root/gone.md"},
    {"@/root/sub/up/other.md", "@/root/other.md"}, /* up: a link to .. */
    {"@/root/no/such/folder/", "@/root/no/such/folder"},
    {"@/root/a.txt/x.md", "@/root/a.txt/x.md"},     /* ENOTDIR */
    {"@/root/./gone.md", NULL},                     /* named above */
    {"", ""},
};

static void test_gone(void **state)
{
    (void)state;
    char given[COUNT(gone_rows)][512], want[512];
    const char *roots[COUNT(gone_rows)];
    for (size_t i = 0; i < COUNT(gone_rows); i++)
        roots[i] = at(gone_rows[i].given, given[i], sizeof given[i]);
    seen_t s = {"", 0};
    walk_t w = {.skipped = on_skip, .ctx = &s};
    assert_int_equal(walk_roots(&w, roots, COUNT(gone_rows)), 0);
    size_t k = 0;
    for (size_t i = 0; i < COUNT(gone_rows); i++) {
        if (!gone_rows[i].gone || !gone_rows[i].gone[0])
            continue;
        assert_true(k < w.ngone);
        at(gone_rows[i].gone, want, sizeof want);
        if (strcmp(w.gone[k].path, want) || w.gone[k].given != roots[i])
            fail_msg("[%s]: [%s], want [%s]", roots[i], w.gone[k].path,
                     want);
        k++;
    }
    assert_int_equal(w.ngone, k);
    assert_int_equal(w.nfailed, 1);
    assert_string_equal(s.text, "unreadable:\n");
    walk_free(&w);
}

/* {kept entry, path, under it}. */
static const struct {
    const char *kept, *path;
    int under;
} under_rows[] = {
    {"/a/b", "/a/b", 1},
    {"/a/b", "/a/b/c.txt", 1},
    {"/a/b", "/a/bc.txt", 0},
    {"/a/b", "/a", 0},
};

static void test_keeps_under(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(under_rows); i++) {
        char *list[] = {(char *)under_rows[i].kept};
        walk_t w = {.kept = list, .nkept = 1};
        const char *p = under_rows[i].path;
        if (walk_keeps(&w, p, strlen(p)) != under_rows[i].under)
            fail_msg("[%s] under [%s]: want %d", p, under_rows[i].kept,
                     under_rows[i].under);
    }
}

static int make_dir(void **state)
{
    (void)state;
    return unit_make_dir(dir, sizeof dir, "walk");
}

static int remove_dir(void **state)
{
    (void)state;
    return unit_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_rows),
        cmocka_unit_test(test_walk_tree),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_gone),
        cmocka_unit_test(test_keeps_under),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
