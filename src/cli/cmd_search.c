/*
 * cmd_search.c - `trouve search`: print the passages that best match a
 * query, as text for people or as JSON Lines for programs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/lang.h"
#include "../lib/buf.h"
#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve search [options] [--] QUERY...\n"
    "\n"
    "Print the passages that best match QUERY, best first.  All words must\n"
    "match unless --any; see 'man trouve' for the query syntax.\n"
    "\n"
    "  -n, --limit N          print at most N passages (default 10)\n"
    "      --offset K         skip the K best passages first\n"
    "      --lang en|fr       only passages in that language\n"
    "      --any              rank passages matching any of the words\n"
    "      --per-post N       at most N passages from one post\n"
    "      --snippet-words N  words in a snippet (default 30)\n"
    "      --json             JSON Lines: one object per hit, then a summary\n"
    "      --color WHEN       auto, always or never (default auto)\n"
    "      --highlight START END\n"
    "                         mark matches with START and END when not\n"
    "                         colouring\n"
    "      --explain          show how each passage matched and scored\n"
    "      --index DIR        the index (default $TROUVE_INDEX or ./index)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 when something matched, 1 when nothing did, 2 on error.\n";

typedef struct search_cli {
    int json, color, explain;
    const char *hl_start, *hl_end;
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

int cmd_search(int argc, char **argv)
{
    enum { O_OFFSET = 256, O_LANG, O_ANY, O_PER_POST, O_SNIPPET, O_JSON,
           O_COLOR, O_HIGHLIGHT, O_EXPLAIN, O_INDEX };
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, O_OFFSET},
        {"lang", required_argument, NULL, O_LANG},
        {"any", no_argument, NULL, O_ANY},
        {"per-post", required_argument, NULL, O_PER_POST},
        {"snippet-words", required_argument, NULL, O_SNIPPET},
        {"json", no_argument, NULL, O_JSON},
        {"color", required_argument, NULL, O_COLOR},
        {"colour", required_argument, NULL, O_COLOR},
        {"highlight", required_argument, NULL, O_HIGHLIGHT},
        {"explain", no_argument, NULL, O_EXPLAIN},
        {"index", required_argument, NULL, O_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    trouve_search_options_t opts;
    trouve_search_options_init(&opts);
    search_cli_t o = {.hl_start = "", .hl_end = ""};
    const char *index = NULL, *color = NULL;
    long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((v = cli_number("--limit", optarg)) < 0)
                return EXIT_ERROR;
            opts.limit = (size_t)v;
            break;
        case O_OFFSET:
            if ((v = cli_number("--offset", optarg)) < 0)
                return EXIT_ERROR;
            opts.offset = (size_t)v;
            break;
        case O_PER_POST:
            if ((v = cli_number("--per-post", optarg)) < 0)
                return EXIT_ERROR;
            opts.per_post = (size_t)v;
            break;
        case O_SNIPPET:
            if ((v = cli_number("--snippet-words", optarg)) < 0)
                return EXIT_ERROR;
            opts.snippet_words = v ? (size_t)v : 1;
            break;
        case O_LANG:
            opts.lang = lang_from_tag(optarg, strlen(optarg));
            if (opts.lang == TROUVE_LANG_UNKNOWN) {
                out_error("--lang wants 'en' or 'fr', not '%s'", optarg);
                return EXIT_ERROR;
            }
            break;
        case O_ANY: opts.flags |= TROUVE_SEARCH_ANY; break;
        case O_JSON: o.json = 1; break;
        case O_COLOR: color = optarg; break;
        case O_EXPLAIN:
            opts.flags |= TROUVE_SEARCH_EXPLAIN;
            o.explain = 1;
            break;
        case O_HIGHLIGHT:
            if (optind >= argc) {
                out_error("--highlight wants two arguments: START END");
                return EXIT_ERROR;
            }
            o.hl_start = optarg;
            o.hl_end = argv[optind++];
            break;
        case O_INDEX: index = optarg; break;
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
    if ((o.color = out_color_wanted(color)) < 0) {
        out_error("--color wants auto, always or never, not '%s'", color);
        return EXIT_ERROR;
    }
    if (o.json)
        o.color = 0;
    if (optind >= argc) {
        out_error("no query (see 'trouve search --help')");
        return EXIT_ERROR;
    }
    char *query = join_words(argc - optind, argv + optind);
    if (!query) {
        out_error("out of memory");
        return EXIT_ERROR;
    }

    double t0 = now_ms();
    trouve_status_t st;
    trouve_index_t *ix = cli_open_index(cli_index_path(index),
                                        TROUVE_OPEN_READ, &st);
    if (!ix) {
        free(query);
        return EXIT_ERROR;
    }
    trouve_results_t *res;
    st = trouve_search(ix, query, &opts, &res);
    if (st != TROUVE_STATUS_OK) {
        if (st == TROUVE_STATUS_BAD_QUERY ||
            st == TROUVE_STATUS_TOO_MANY_TERMS) {
            char q[120];
            snprintf(q, sizeof q, "%s", query);
            out_error("cannot search '%s': %s", q, trouve_index_message(ix));
        } else {
            cli_report(ix, st);
        }
        trouve_index_close(ix);
        free(query);
        return EXIT_ERROR;
    }
    size_t n = trouve_results_count(res);
    for (size_t i = 0; i < n; i++) {
        if (o.json)
            print_json_hit(trouve_results_hit(res, i), i + 1 + opts.offset);
        else
            print_text_hit(trouve_results_hit(res, i), &o);
    }
    if (o.json)
        printf("{\"type\":\"summary\",\"hits\":%zu,\"estimated\":%llu,"
               "\"elapsed_ms\":%.3f}\n",
               n, (unsigned long long)trouve_results_estimated(res),
               now_ms() - t0);
    trouve_results_free(res);
    trouve_index_close(ix);
    free(query);
    int w = out_finish(stdout);
    return w ? w : n ? EXIT_HITS : EXIT_NONE;
}
