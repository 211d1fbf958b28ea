/*
 * fuzz_search.c - the whole search (query parsing, the plan and its stem,
 * unaccented-stem and truncation expansions, the ranker with its
 * words-close-together and exact-form passes, snippets) on any query,
 * against a small bilingual index built once, on the first call, in a
 * temporary folder.
 *
 * The first two bytes choose the options (--any, --explain, a language,
 * the limit and offset, the per-post cap, the snippet length, no
 * suggestion); the rest is the query.  Checks: the status is one
 * trouve_search may return for a query; the hits are sorted by score,
 * each finite; at most `limit` of them and `per_post` per post; snippets
 * and passages NUL-terminated, highlights sorted, not overlapping, inside
 * the snippet and on UTF-8 character boundaries; an explanation exactly
 * when asked for.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "trouve.h"

static const char *const posts[][2] = {
    {"mentorat.txt",
     "Le mentorat inversé\n\nNous avons constaté que l’adoption d’une "
     "politique de mentorat inversé est une des choses qui réussit le "
     "mieux. Le comité consultatif se réunit chaque mois.\n\n"
     "Version anglaise\n\nReverse mentorship: one of the things we found "
     "most successful is to embrace a reverse mentorship policy.\n"},
    {"donnees.md",
     "# Données et mots de passe\n\nChaque donnée est vérifiée avant la "
     "copie. Pour supprimer un compte, changez le mot de passe.\n\n"
     "La dernière version du système de fichiers est prête.\n"},
    {"copy.txt",
     "COPY\n\nCopy files and directories, locally or over the network. "
     "Deleting a file removes its data; compression saves space.\n\n"
     "Exit values are zero on success. L'été, l'avion part tôt.\n"},
    {"notes.txt",
     "Notes\n\nMeetings and plans, password changes, shared memory "
     "segments. Compresser les données ; la compression réduit la "
     "taille.\n"},
};

static trouve_index_t *ix;
static char dir[] = "/tmp/trouve-fuzz-search-XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* At exit: the index closed, its folder and the posts removed. */
static void clean_up(void)
{
    trouve_index_close(ix);
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Builds the index once; aborts if it cannot (the target is useless). */
static void open_index(void)
{
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    atexit(clean_up);
    char posts_dir[64], index_dir[64], path[128];
    snprintf(posts_dir, sizeof posts_dir, "%s/posts", dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    FUZZ_CHECK(mkdir(posts_dir, 0700) == 0);
    for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", posts_dir, posts[i][0]);
        FILE *f = fopen(path, "w");
        FUZZ_CHECK(f != NULL);
        fputs(posts[i][1], f);
        FUZZ_CHECK(fclose(f) == 0);
    }
    char *message = NULL;
    FUZZ_CHECK(trouve_index_open(index_dir, TROUVE_OPEN_WRITE, &ix,
                                 &message) == TROUVE_STATUS_OK);
    const char *roots[] = {posts_dir};
    FUZZ_CHECK(trouve_index_paths(ix, roots, 1, NULL, NULL) ==
               TROUVE_STATUS_OK);
}

static void check_hit(const trouve_hit_t *h)
{
    size_t n, passage_len;
    const char *snippet = trouve_hit_snippet(h, &n);
    const char *passage = trouve_hit_passage(h, &passage_len);
    FUZZ_CHECK(snippet && snippet[n] == '\0');
    FUZZ_CHECK(passage && passage[passage_len] == '\0');
    FUZZ_CHECK(isfinite(trouve_hit_score(h)));
    FUZZ_CHECK(trouve_hit_path(h) && trouve_hit_title(h));
    size_t prev_end = 0;
    for (size_t i = 0; i < trouve_hit_highlight_count(h); i++) {
        size_t a, b;
        FUZZ_CHECK(trouve_hit_highlight(h, i, &a, &b) == 0);
        FUZZ_CHECK(prev_end <= a && a < b && b <= n);
        /* on character boundaries: no continuation byte at either end */
        FUZZ_CHECK(((unsigned char)snippet[a] & 0xC0) != 0x80);
        FUZZ_CHECK(b == n || ((unsigned char)snippet[b] & 0xC0) != 0x80);
        prev_end = b;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (!ix)
        open_index();
    unsigned o = data[0] | (unsigned)data[1] << 8;
    char *query = malloc(size - 1);
    FUZZ_CHECK(query != NULL);
    memcpy(query, data + 2, size - 2);
    query[size - 2] = '\0';

    trouve_search_options_t opt;
    trouve_search_options_init(&opt);
    opt.flags = (o & 1 ? TROUVE_SEARCH_ANY : 0) |
                (o & 2 ? TROUVE_SEARCH_EXPLAIN : 0) |
                (o & 1u << 13 ? TROUVE_SEARCH_NO_SUGGEST : 0);
    opt.lang = (trouve_lang_t)((o >> 2 & 3) % 3);
    opt.limit = 1 + (o >> 4 & 7);
    opt.offset = o >> 7 & 1;
    opt.per_post = o >> 8 & 1;
    opt.snippet_words = 1 + (o >> 9 & 15);
    trouve_results_t *r = NULL;
    trouve_status_t st = trouve_search(ix, query, &opt, &r);
    FUZZ_CHECK(st == TROUVE_STATUS_OK || st == TROUVE_STATUS_BAD_QUERY ||
               st == TROUVE_STATUS_TOO_MANY_TERMS);
    if (st == TROUVE_STATUS_OK) {
        size_t n = trouve_results_count(r);
        FUZZ_CHECK(n <= opt.limit);
        for (size_t i = 0; i < n; i++) {
            const trouve_hit_t *h = trouve_results_hit(r, i);
            FUZZ_CHECK(h != NULL);
            check_hit(h);
            FUZZ_CHECK(!trouve_hit_explain(h) ==
                       !(opt.flags & TROUVE_SEARCH_EXPLAIN));
            if (i)
                FUZZ_CHECK(trouve_hit_score(trouve_results_hit(r, i - 1)) >=
                           trouve_hit_score(h));
            for (size_t j = 0; opt.per_post && j < i; j++)
                FUZZ_CHECK(strcmp(trouve_hit_path(trouve_results_hit(r, j)),
                                  trouve_hit_path(h)) != 0);
        }
        FUZZ_CHECK(trouve_results_hit(r, n) == NULL);
    } else {
        FUZZ_CHECK(r == NULL);
    }
    trouve_results_free(r);
    free(query);
    return 0;
}
