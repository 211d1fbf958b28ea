/*
 * cmd_search.c - `trouve search`: print the passages that best match a
 * query, as text for people, as JSON Lines for programs, or as what
 * scripts need (-l paths, -c a count, -q only the exit status).
 *
 * Output modes, one per run:
 *   text     path:line lang score, then the snippet (default)
 *   json     one {"type":"hit"} object per hit, then one summary
 *   files    -l: each matching post's path once, best first
 *   count    -c: the number of matching passages (with -l, of posts)
 *   quiet    -q: nothing; the exit status says whether something matched
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/lang.h"
#include "../lib/buf.h"
#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve search [options] [--] QUERY...\n"
    "       trouve search [options] -          (the query on standard input)\n"
    "\n"
    "Print the passages that best match QUERY, best first.  All words must\n"
    "match unless --any.  Query syntax: words, \"a phrase\", a OR b, NOT a\n"
    "or -a, ( ), prefix*, lang:en|fr, path:FOLDER (see 'man trouve').\n"
    "\n"
    "  -n, --limit N          print at most N passages (default 10; with -l,\n"
    "                         no limit unless given)\n"
    "      --offset K         skip the K best passages first\n"
    "      --lang en|fr       only passages in that language\n"
    "      --any              a post needs only one of the words\n"
    "      --per-post N       at most N passages from one post\n"
    "      --snippet-words N  words in a snippet (default 30; at least 1)\n"
    "      --json             JSON Lines: one object per hit, then a summary\n"
    "  -l, --files-with-matches\n"
    "                         print the path of each matching post, once,\n"
    "                         best first\n"
    "  -c, --count            print the number of matching passages (with\n"
    "                         -l, of matching posts); -n and --offset do not\n"
    "                         apply\n"
    "  -0, --null             with -l, end each path with a NUL byte\n"
    "  -q, --quiet            print nothing; only the exit status\n"
    "      --fresh            first bring the index up to date with the\n"
    "                         folders it was built from\n"
    "      --no-suggest       no \"did you mean\" when nothing matched\n"
    "      --color WHEN       auto, always or never (default auto)\n"
    "      --highlight START END\n"
    "                         mark matches with START and END when not\n"
    "                         colouring\n"
    "      --explain          show how each passage matched and scored\n"
    "      --index DIR        the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 when something matched, 1 when nothing did, 2 on error.\n";

/* -c and -l without -n look at every hit: far more than the posts a
 * search scores, small enough for any arithmetic on it. */
#define ALL_HITS ((size_t)1 << 30)

typedef enum output {
    SHOW_TEXT,    /* for people */
    SHOW_JSON,    /* --json */
    SHOW_FILES,   /* -l */
    SHOW_COUNT,   /* -c */
    SHOW_NOTHING  /* -q */
} output_t;

typedef struct search_cli {
    int json, files, count, quiet, null, fresh;
    int limit_given;             /* -n was given */
    int color, explain;
    const char *hl_start, *hl_end;  /* --highlight marks, "" by default */
    const char *index, *color_when; /* --index, --color as given */
} search_cli_t;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void print_json_hit(const trouve_hit_t *h, size_t rank)
{
    size_t plen, slen;
    const char *passage = trouve_hit_passage(h, &plen);
    const char *snippet = trouve_hit_snippet(h, &slen);
    const char *path = trouve_hit_path(h);
    const char *title = trouve_hit_title(h);
    printf("{\"type\":\"hit\",\"rank\":%zu,\"score\":%.4f,\"path\":", rank,
           trouve_hit_score(h));
    out_json_string(stdout, path, strlen(path));
    printf(",\"line\":%u,\"lang\":\"%s\",\"title\":", trouve_hit_line(h),
           trouve_lang_to_string(trouve_hit_lang(h)));
    out_json_string(stdout, title, strlen(title));
    fputs(",\"passage\":", stdout);
    out_json_string(stdout, passage, plen);
    fputs(",\"snippet\":", stdout);
    out_json_string(stdout, snippet, slen);
    fputs(",\"highlights\":[", stdout);
    size_t n = trouve_hit_highlight_count(h);
    for (size_t i = 0; i < n; i++) {
        size_t s, e;
        trouve_hit_highlight(h, i, &s, &e);
        printf("%s[%zu,%zu]", i ? "," : "", s, e);
    }
    putchar(']');
    const char *explain = trouve_hit_explain(h);
    if (explain) {
        fputs(",\"explain\":", stdout);
        out_json_string(stdout, explain, strlen(explain));
    }
    fputs("}\n", stdout);
}

/* A JSON string, or null. */
static void print_json_or_null(const char *s)
{
    if (s)
        out_json_string(stdout, s, strlen(s));
    else
        fputs("null", stdout);
}

static void print_json_summary(const trouve_results_t *res, double ms)
{
    printf("{\"type\":\"summary\",\"hits\":%zu,\"estimated\":%llu,"
           "\"suggestion\":",
           trouve_results_count(res),
           (unsigned long long)trouve_results_estimated(res));
    print_json_or_null(trouve_results_suggestion(res));
    fputs(",\"warning\":", stdout);
    print_json_or_null(trouve_results_warning(res));
    printf(",\"elapsed_ms\":%.3f}\n", ms);
}

static void print_text_hit(const trouve_hit_t *h, const search_cli_t *o)
{
    const char *path = out_display_path(trouve_hit_path(h));
    const char *c_path = o->color ? COLOR_PATH : "";
    const char *c_line = o->color ? COLOR_LINE : "";
    const char *c_lang = o->color ? COLOR_LANG : "";
    const char *c_dim = o->color ? COLOR_DIM : "";
    const char *c_off = o->color ? COLOR_RESET : "";
    fputs(c_path, stdout);
    out_text(stdout, path, strlen(path), 1);
    printf("%s:%s%u%s %s%s%s %s%.2f%s\n", c_off, c_line, trouve_hit_line(h),
           c_off, c_lang, trouve_lang_to_string(trouve_hit_lang(h)), c_off,
           c_dim, trouve_hit_score(h), c_off);
    size_t slen;
    const char *snippet = trouve_hit_snippet(h, &slen);
    const char *on = o->color ? COLOR_MATCH : o->hl_start;
    const char *off = o->color ? COLOR_RESET : o->hl_end;
    fputs("    ", stdout);
    size_t at = 0, n = trouve_hit_highlight_count(h);
    for (size_t i = 0; i < n; i++) {
        size_t s, e;
        trouve_hit_highlight(h, i, &s, &e);
        out_text(stdout, snippet + at, s - at, 1);
        fputs(on, stdout);
        out_text(stdout, snippet + s, e - s, 1);
        fputs(off, stdout);
        at = e;
    }
    out_text(stdout, snippet + at, slen - at, 1);
    putchar('\n');
    const char *explain = trouve_hit_explain(h);
    if (explain) {
        printf("    %s", c_dim);
        out_text(stdout, explain, strlen(explain), 1);
        printf("%s\n", c_off);
    }
}

/* -l: the path as the file system spells it, for scripts; made safe only
 * when a terminal would show it (as ls does). */
static void print_file(const char *path, const search_cli_t *o, int tty)
{
    if (o->null) {
        fwrite(path, 1, strlen(path) + 1, stdout);
        return;
    }
    if (tty)
        out_text(stdout, path, strlen(path), 1);
    else
        fputs(path, stdout);
    putchar('\n');
}

/* Joins the query words with spaces. */
static char *join_words(int argc, char **argv)
{
    buf_t b = {0};
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        if (i)
            buf_addc(&b, ' ', &rc);
        buf_adds(&b, argv[i], &rc);
    }
    return rc ? (buf_free(&b), NULL) : buf_steal(&b);
}

/* The query from the words after the options, or from standard input when
 * they are a lone "-" (NUL bytes there become spaces).  NULL after a
 * message. */
static char *read_query(int argc, char **argv)
{
    if (argc == 1 && !strcmp(argv[0], "-")) {
        size_t len;
        char *q = cli_read_stdin(&len);
        for (size_t i = 0; q && i < len; i++)
            if (q[i] == '\0')
                q[i] = ' ';
        return q;
    }
    char *q = join_words(argc, argv);
    if (!q)
        out_error("out of memory");
    return q;
}

/* The output, or -1 after a message when options conflict. */
static int pick_output(const search_cli_t *o)
{
    if (o->quiet)
        return SHOW_NOTHING;
    if (o->json && (o->files || o->count)) {
        out_error("--json does not go with -%c", o->files ? 'l' : 'c');
        return -1;
    }
    if (o->null && (!o->files || o->count)) {
        out_error("-0 goes with -l alone");
        return -1;
    }
    return o->count ? SHOW_COUNT
           : o->files ? SHOW_FILES
           : o->json  ? SHOW_JSON
                      : SHOW_TEXT;
}

/* Parses the options into *o and *opts; returns -1 to go on, or the exit
 * status (--help, a bad option). */
static int parse_options(int argc, char **argv, search_cli_t *o,
                         trouve_search_options_t *opts)
{
    enum { O_OFFSET = 256, O_LANG, O_ANY, O_PER_POST, O_SNIPPET, O_JSON,
           O_COLOR, O_HIGHLIGHT, O_EXPLAIN, O_INDEX, O_FRESH, O_NO_SUGGEST };
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, O_OFFSET},
        {"lang", required_argument, NULL, O_LANG},
        {"any", no_argument, NULL, O_ANY},
        {"per-post", required_argument, NULL, O_PER_POST},
        {"snippet-words", required_argument, NULL, O_SNIPPET},
        {"json", no_argument, NULL, O_JSON},
        {"files-with-matches", no_argument, NULL, 'l'},
        {"count", no_argument, NULL, 'c'},
        {"null", no_argument, NULL, '0'},
        {"quiet", no_argument, NULL, 'q'},
        {"fresh", no_argument, NULL, O_FRESH},
        {"no-suggest", no_argument, NULL, O_NO_SUGGEST},
        {"color", required_argument, NULL, O_COLOR},
        {"colour", required_argument, NULL, O_COLOR},
        {"highlight", required_argument, NULL, O_HIGHLIGHT},
        {"explain", no_argument, NULL, O_EXPLAIN},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+n:lc0qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((v = cli_number("--limit", optarg)) < 0)
                return EXIT_ERROR;
            opts->limit = (size_t)v;
            o->limit_given = 1;
            break;
        case O_OFFSET:
            if ((v = cli_number("--offset", optarg)) < 0)
                return EXIT_ERROR;
            opts->offset = (size_t)v;
            break;
        case O_PER_POST:
            if ((v = cli_number("--per-post", optarg)) < 0)
                return EXIT_ERROR;
            opts->per_post = (size_t)v;
            break;
        case O_SNIPPET:
            if ((v = cli_number("--snippet-words", optarg)) < 0)
                return EXIT_ERROR;
            if (v == 0) {
                out_error("option '--snippet-words' wants at least 1 (a "
                          "snippet holds a word at least), not '%s'", optarg);
                return EXIT_ERROR;
            }
            opts->snippet_words = (size_t)v;
            break;
        case O_LANG:
            opts->lang = lang_from_tag(optarg, strlen(optarg));
            if (opts->lang == TROUVE_LANG_UNKNOWN) {
                out_error("--lang wants 'en' or 'fr', not '%s'", optarg);
                return EXIT_ERROR;
            }
            break;
        case O_ANY: opts->flags |= TROUVE_SEARCH_ANY; break;
        case O_NO_SUGGEST: opts->flags |= TROUVE_SEARCH_NO_SUGGEST; break;
        case O_JSON: o->json = 1; break;
        case 'l': o->files = 1; break;
        case 'c': o->count = 1; break;
        case '0': o->null = 1; break;
        case 'q': o->quiet = 1; break;
        case O_FRESH: o->fresh = 1; break;
        case O_COLOR: o->color_when = optarg; break;
        case O_EXPLAIN:
            opts->flags |= TROUVE_SEARCH_EXPLAIN;
            o->explain = 1;
            break;
        case O_HIGHLIGHT:
            if (optind >= argc) {
                out_error("--highlight wants two arguments: START END");
                return EXIT_ERROR;
            }
            o->hl_start = optarg;
            o->hl_end = argv[optind++];
            break;
        case O_INDEX: o->index = optarg; break;
        case 'h':
            fputs(usage, stdout);
            return out_finish(stdout);
        default:
            if (optopt && optopt < 256)
                out_error("unknown option '-%c' (see 'trouve search --help')",
                          optopt);
            else
                out_error("unknown or incomplete option '%s' (see 'trouve "
                          "search --help')", argv[optind - 1]);
            return EXIT_ERROR;
        }
    }
    if ((o->color = out_color_wanted(o->color_when)) < 0) {
        out_error("--color wants auto, always or never, not '%s'",
                  o->color_when);
        return EXIT_ERROR;
    }
    return -1;
}

/* Says on stderr what the results say beside the hits: a warning, and
 * "did you mean" when nothing matched. */
static void print_notes(const trouve_results_t *res, output_t mode)
{
    const char *warning = trouve_results_warning(res);
    const char *suggestion = trouve_results_suggestion(res);
    if (mode == SHOW_NOTHING)
        return;
    if (warning)
        out_error("%s", warning);
    if (suggestion && !trouve_results_count(res) && mode != SHOW_JSON)
        out_error("did you mean '%s'?", suggestion);
}

/* Prints the failure of a search. */
static void report_search(const trouve_index_t *ix, trouve_status_t st,
                          const char *query)
{
    if (st == TROUVE_STATUS_BAD_QUERY || st == TROUVE_STATUS_TOO_MANY_TERMS) {
        char q[120];
        snprintf(q, sizeof q, "%s", query);
        out_error("cannot search '%s': %s", q, trouve_index_message(ix));
    } else {
        cli_report(ix, st);
    }
}

int cmd_search(int argc, char **argv)
{
    trouve_search_options_t opts;
    trouve_search_options_init(&opts);
    search_cli_t o = {.hl_start = "", .hl_end = ""};
    int rc = parse_options(argc, argv, &o, &opts);
    if (rc >= 0)
        return rc;
    int mode = pick_output(&o);
    if (mode < 0)
        return EXIT_ERROR;
    if (mode != SHOW_TEXT)
        o.color = 0;
    if (optind >= argc) {
        out_error("no query (see 'trouve search --help')");
        return EXIT_ERROR;
    }
    /* What each mode asks of the library. */
    if (mode == SHOW_NOTHING) {
        opts.limit = 1;
    } else if (mode == SHOW_COUNT) {
        opts.limit = ALL_HITS;
        opts.offset = 0;
    } else if (mode == SHOW_FILES && !o.limit_given) {
        opts.limit = ALL_HITS;
    }
    if (o.files)
        opts.per_post = 1; /* one hit per post: its best passage */

    char *query = read_query(argc - optind, argv + optind);
    if (!query)
        return EXIT_ERROR;
    const char *path = cli_index_path(o.index);
    if (o.fresh && cli_refresh(path) != 0) {
        free(query);
        return EXIT_ERROR;
    }

    cli_heap_reserve();
    double t0 = now_ms();
    trouve_status_t st;
    trouve_index_t *ix = cli_open_index(path, TROUVE_OPEN_READ, &st);
    if (!ix) {
        free(query);
        return EXIT_ERROR;
    }
    trouve_results_t *res;
    st = trouve_search(ix, query, &opts, &res);
    if (st != TROUVE_STATUS_OK) {
        report_search(ix, st, query);
        trouve_index_close(ix);
        free(query);
        return EXIT_ERROR;
    }
    trouve_index_close(ix);
    free(query);

    size_t n = trouve_results_count(res);
    int tty = isatty(STDOUT_FILENO);
    for (size_t i = 0; i < n && mode != SHOW_COUNT && mode != SHOW_NOTHING;
         i++) {
        const trouve_hit_t *h = trouve_results_hit(res, i);
        if (mode == SHOW_JSON)
            print_json_hit(h, i + 1 + opts.offset);
        else if (mode == SHOW_FILES)
            print_file(trouve_hit_path(h), &o, tty);
        else
            print_text_hit(h, &o);
    }
    if (mode == SHOW_COUNT)
        printf("%zu\n", n);
    else if (mode == SHOW_JSON)
        print_json_summary(res, now_ms() - t0);
    print_notes(res, (output_t)mode);
    trouve_results_free(res);
    int w = out_finish(stdout);
    return w ? w : n ? EXIT_HITS : EXIT_NONE;
}
