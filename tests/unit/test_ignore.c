/*
 * test_ignore.c - .trouveignore patterns (ignore.c): globs, "**", anchors,
 * folders only, negation, comments and quoting, and a hostile pattern
 * that must not take exponential time.  One row per case, as gitignore
 * would answer it.
 */

#include "unit.h"
#include "lib/ignore.h"

/* {glob, text, match}. */
static const struct {
    const char *glob, *text;
    int match;
} glob_rows[] = {
    {"*.log", "a.log", 1},
    {"*.log", "a.txt", 0},
    {"*.log", "dir/a.log", 0},     /* '*' never crosses '/' */
    {"a?c", "abc", 1},
    {"a?c", "a/c", 0},
    {"a?c", "aéc", 1},             /* '?' is one character */
    {"[abc]x", "bx", 1},
    {"[!abc]x", "bx", 0},
    {"[^abc]x", "dx", 1},
    {"[a-c]x", "cx", 1},
    {"[a-c]x", "dx", 0},
    {"[]]", "]", 1},
    {"[x", "[x", 1},                /* not closed: a literal */
    {"\\*", "*", 1},
    {"\\*", "a", 0},
    {"**/foo", "foo", 1},
    {"**/foo", "a/b/foo", 1},
    {"**/foo", "a/b/foox", 0},
    {"foo/**", "foo/a", 1},
    {"foo/**", "foo/a/b", 1},
    {"foo/**", "foo", 0},
    {"a/**/b", "a/b", 1},
    {"a/**/b", "a/x/y/b", 1},
    {"a/**/b", "a/x/y/c", 0},
    {"a**b", "axxb", 1},            /* not next to slashes: like '*' */
    {"a**b", "ax/b", 0},
    {"*", "", 1},
    {"", "", 1},
    {"abc", "abcd", 0},
};

static void test_glob_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(glob_rows); i++)
        if (ignore_glob(glob_rows[i].glob, glob_rows[i].text) !=
            glob_rows[i].match)
            fail_msg("glob [%s] text [%s]: want %d", glob_rows[i].glob,
                     glob_rows[i].text, glob_rows[i].match);
}

/* {file text, path, is_dir, want: 1 out, 0 re-included, -1 no match}. */
static const struct {
    const char *file, *path;
    int is_dir, want;
} match_rows[] = {
    {"*.log\n", "a.log", 0, 1},
    {"*.log\n", "sub/deep/a.log", 0, 1},   /* a name at any depth */
    {"/drafts\n", "drafts", 1, 1},
    {"/drafts\n", "sub/drafts", 1, -1},    /* anchored */
    {"notes/old\n", "notes/old", 0, 1},
    {"notes/old\n", "x/notes/old", 0, -1}, /* a '/' inside anchors */
    {"build/\n", "build", 1, 1},
    {"build/\n", "build", 0, -1},          /* folders only */
    {"*.md\n!keep.md\n", "keep.md", 0, 0},
    {"*.md\n!keep.md\n", "other.md", 0, 1},
    {"!keep.md\n*.md\n", "keep.md", 0, 1}, /* the last match decides */
    {"# *.md\n", "a.md", 0, -1},           /* a comment */
    {"\\#a.md\n", "#a.md", 0, 1},
    {"\\!a.md\n", "!a.md", 0, 1},
    {"a.md   \n", "a.md", 0, 1},           /* trailing spaces dropped */
    {"a.md\\ \n", "a.md ", 0, 1},          /* ...unless quoted */
    {"a.md\r\n", "a.md", 0, 1},            /* CRLF files */
    {"\n\n   \n", "a.md", 0, -1},
    {"**/tmp/\n", "x/y/tmp", 1, 1},
    {"docs/**/*.html\n", "docs/a/b/c.html", 0, 1},
    {"docs/**/*.html\n", "docs/c.html", 0, 1},
    {"/\n", "a", 0, -1},                   /* nothing left: ignored */
    {"\xEF\xBB\xBF" "bom.md\n", "bom.md", 0, 1}, /* a UTF-8 BOM: skipped */
    {"\xEF\xBB\xBF" "/drafts\r\n", "drafts", 1, 1},
    {"a.md\n\xEF\xBB\xBF" "b.md\n", "b.md", 0, -1}, /* only at the start */
};

static void test_match_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(match_rows); i++) {
        ignore_list_t l = {0};
        assert_int_equal(ignore_parse(&l, match_rows[i].file,
                                      strlen(match_rows[i].file)), 0);
        int got = ignore_match(&l, match_rows[i].path, match_rows[i].is_dir);
        if (got != match_rows[i].want)
            fail_msg("file [%s] path [%s]: %d, want %d", match_rows[i].file,
                     match_rows[i].path, got, match_rows[i].want);
        ignore_free(&l);
    }
}

/* Stars against a long name would be exponential; the step budget ends
 * it at once (2 s of CPU is thousands of times what it takes, also under
 * valgrind). */
static void test_hostile_pattern(void **state)
{
    (void)state;
    char glob[200], text[4000];
    size_t n = 0;
    for (int i = 0; i < 60; i++) {
        glob[n++] = '*';
        glob[n++] = 'a';
    }
    glob[n++] = 'b';
    glob[n] = '\0';
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    clock_t t0 = clock(); /* CPU time, not wall clock */
    assert_int_equal(ignore_glob(glob, text), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs > 2.0)
        fail_msg("hostile pattern took %.1f s", secs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob_rows),
        cmocka_unit_test(test_match_rows),
        cmocka_unit_test(test_hostile_pattern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
