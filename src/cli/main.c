/*
 * main.c - the trouve command: dispatching to the subcommands, and what
 * they share (finding and opening the index, numbers, messages).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "cli.h"
#include "out.h"

static const char usage[] =
    "usage: trouve <command> [options] [arguments]\n"
    "\n"
    "Search posts written in English and French.\n"
    "\n"
    "commands:\n"
    "  index PATH...       index the posts in folders and files\n"
    "  search QUERY...     print the passages that best match the query\n"
    "  analyze [TEXT|-]    show how text is cut into terms\n"
    "  stats               show what the index holds\n"
    "  compact             merge the index's shards into one\n"
    "\n"
    "  --help              show this help\n"
    "  --version           show the version\n"
    "\n"
    "The index is ./index unless --index DIR or TROUVE_INDEX says\n"
    "otherwise.  'trouve <command> --help' describes each command, and\n"
    "'man trouve' all of them, the query syntax, the JSON output and the\n"
    "exit statuses.\n";

const char *cli_index_path(const char *option)
{
    if (option)
        return option;
    const char *env = getenv("TROUVE_INDEX");
    return env && *env ? env : "index";
}

/* Prints msg for status st, with advice where there is some. */
static void report(trouve_status_t st, const char *msg)
{
    if (st == TROUVE_STATUS_NO_INDEX)
        out_error("%s (create it with 'trouve index PATH...')", msg);
    else if (st == TROUVE_STATUS_INDEX_CORRUPT)
        out_error("%s; remove it and run 'trouve index' again", msg);
    else
        out_error("%s", msg);
}

void cli_report(const trouve_index_t *index, trouve_status_t st)
{
    const char *msg = trouve_index_message(index);
    report(st, *msg ? msg : trouve_status_to_string(st));
}

trouve_index_t *cli_open_index(const char *path, trouve_open_mode_t mode,
                               trouve_status_t *st)
{
    trouve_index_t *ix;
    char *msg;
    *st = trouve_index_open(path, mode, &ix, &msg);
    if (*st == TROUVE_STATUS_OK)
        return ix;
    report(*st, msg ? msg : trouve_status_to_string(*st));
    free(msg);
    return NULL;
}

long cli_number(const char *name, const char *value)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < 0 || v > INT_MAX) {
        out_error("option '%s' wants a number, not '%s'", name, value);
        return -1;
    }
    return v;
}

char *cli_read_stdin(size_t *len)
{
    buf_t b = {0};
    int rc = 0;
    char block[65536];
    size_t got;
    while ((got = fread(block, 1, sizeof block, stdin)) > 0)
        buf_add(&b, block, got, &rc);
    if (ferror(stdin)) {
        out_error("cannot read standard input: %s", strerror(errno));
        buf_free(&b);
        return NULL;
    }
    if (rc) {
        out_error("out of memory");
        buf_free(&b);
        return NULL;
    }
    *len = b.n;
    char *s = buf_steal(&b);
    if (!s)
        out_error("out of memory");
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_ERROR;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return out_finish(stdout);
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("trouve %s\n", trouve_version());
        return out_finish(stdout);
    }
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {{"index", cmd_index},
                    {"search", cmd_search},
                    {"analyze", cmd_analyze},
                    {"stats", cmd_stats},
                    {"compact", cmd_compact}};
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    out_error("'%s' is not a trouve command (see 'trouve --help')", cmd);
    return EXIT_ERROR;
}
