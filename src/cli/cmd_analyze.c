/*
 * cmd_analyze.c - `trouve analyze`: every token of a text as the index
 * sees it: its characters, byte offsets, folded term and stems.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve analyze [--json] [TEXT... | -]\n"
    "\n"
    "Print each token of TEXT (or of standard input with -): the original\n"
    "characters, their byte offsets, the folded term, and its English and\n"
    "French stems.  Nothing is dropped: one word in, one token out (a\n"
    "French elision such as l' is a token of its own).\n"
    "\n"
    "      --json   one JSON object per token\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0, or 2 on error.\n";

typedef struct analyze_cli {
    const char *text;
    int json;
} analyze_cli_t;

static int on_token(const trouve_token_t *t, void *ctx)
{
    const analyze_cli_t *a = ctx;
    const char *s = a->text + t->start;
    size_t n = t->end - t->start;
    if (a->json) {
        fputs("{\"token\":", stdout);
        out_json_string(stdout, s, n);
        printf(",\"start\":%zu,\"end\":%zu,\"term\":", t->start, t->end);
        out_json_string(stdout, t->term, strlen(t->term));
        fputs(",\"stem_en\":", stdout);
        out_json_string(stdout, t->stem_en, strlen(t->stem_en));
        fputs(",\"stem_fr\":", stdout);
        out_json_string(stdout, t->stem_fr, strlen(t->stem_fr));
        printf(",\"kind\":\"%s\"}\n", t->elision ? "elision" : "word");
    } else {
        out_text(stdout, s, n, 1);
        printf("\t%zu-%zu\t", t->start, t->end);
        out_text(stdout, t->term, strlen(t->term), 1);
        fputs("\ten:", stdout);
        out_text(stdout, t->stem_en, strlen(t->stem_en), 1);
        fputs("\tfr:", stdout);
        out_text(stdout, t->stem_fr, strlen(t->stem_fr), 1);
        fputs(t->elision ? "\telision\n" : "\n", stdout);
    }
    return ferror(stdout) ? 1 : 0;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    analyze_cli_t a = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'J': a.json = 1; break;
        case 'h':
            fputs(usage, stdout);
            return out_finish(stdout);
        default:
            out_error("unknown option '%s' (see 'trouve analyze --help')",
                      argv[optind - 1]);
            return EXIT_ERROR;
        }
    }
    char *text;
    size_t len = 0;
    if (optind == argc || (optind == argc - 1 && !strcmp(argv[optind], "-"))) {
        if (!(text = cli_read_stdin(&len)))
            return EXIT_ERROR;
    } else {
        buf_t b = {0};
        int rc = 0;
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                buf_addc(&b, ' ', &rc);
            buf_adds(&b, argv[i], &rc);
        }
        len = b.n;
        if (rc || !(text = buf_steal(&b))) {
            out_error("out of memory");
            return EXIT_ERROR;
        }
    }
    a.text = text;
    trouve_status_t st = trouve_analyze(text, len, on_token, &a);
    free(text);
    if (st != TROUVE_STATUS_OK) {
        out_error("%s", trouve_status_to_string(st));
        return EXIT_ERROR;
    }
    return out_finish(stdout);
}
