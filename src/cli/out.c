/*
 * out.c - JSON values, terminal-safe text, colours and output errors.  See
 * out.h.
 */
#include "out.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../analysis/utf8.h"

static void base64(FILE *f, const unsigned char *s, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        putc(tab[v >> 18], f);
        putc(tab[(v >> 12) & 63], f);
        putc(i + 1 < n ? tab[(v >> 6) & 63] : '=', f);
        putc(i + 2 < n ? tab[v & 63] : '=', f);
    }
}

/* Bidirectional controls: embeddings, overrides, isolates, marks. */
static int is_bidi_control(uint32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

void out_json_string(FILE *f, const char *s, size_t n)
{
    if (!utf8_valid(s, n)) {
        fputs("{\"bytes\":\"", f);
        base64(f, (const unsigned char *)s, n);
        fputs("\"}", f);
        return;
    }
    putc('"', f);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* Copy plain ASCII runs in one go. */
        while (run < n && (unsigned char)s[run] >= 0x20 &&
               (unsigned char)s[run] < 0x7f && s[run] != '"' &&
               s[run] != '\\')
            run++;
        if (run > i) {
            fwrite(s + i, 1, run - i, f);
            i = run;
            continue;
        }
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            /* Controls (C0, DEL, C1), the JavaScript line separators and
             * the bidi controls (JSON read on a terminal must not be
             * reordered) are escaped; everything else is written as
             * UTF-8. */
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
                c == 0x2029 || is_bidi_control(c))
                fprintf(f, "\\u%04x", (unsigned)c);
            else
                fwrite(s + i, 1, k, f);
        }
        i += k;
    }
    putc('"', f);
}

void out_text(FILE *f, const char *s, size_t n, int one_line)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x20 && b < 0x7f) {
            size_t run = i;
            while (run < n && (unsigned char)s[run] >= 0x20 &&
                   (unsigned char)s[run] < 0x7f)
                run++;
            fwrite(s + i, 1, run - i, f);
            i = run;
            continue;
        }
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        if (c == UTF8_REPLACEMENT && !(k == 3 && b == 0xEF))
            fprintf(f, "<%02X>", b); /* an invalid byte */
        else if ((c == '\t' || c == '\n') && one_line)
            putc(' ', f);
        else if (c == '\t' || c == '\n')
            putc((int)c, f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "^%c", (int)(c ^ 0x40));
        else if ((c >= 0x80 && c <= 0x9f) || is_bidi_control(c))
            fprintf(f, "<U+%04X>", (unsigned)c);
        else
            fwrite(s + i, 1, k, f);
        i += k;
    }
}

int out_color_wanted(const char *when)
{
    if (when && !strcmp(when, "always"))
        return 1;
    if (when && !strcmp(when, "never"))
        return 0;
    if (when && strcmp(when, "auto"))
        return -1;
    const char *no = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no && *no) &&
           !(term && !strcmp(term, "dumb"));
}

int out_finish(FILE *f)
{
    if (fflush(f) == 0 && !ferror(f))
        return 0;
    int e = errno;
    if (e == EPIPE)
        return 0; /* the reader went away: nothing to say */
    out_error("cannot write output: %s", strerror(e ? e : EIO));
    return 2;
}

void out_error(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fputs("trouve: ", stderr);
    out_text(stderr, msg, strlen(msg), 1);
    putc('\n', stderr);
}

const char *out_display_path(const char *abs)
{
    static char cwd[PATH_MAX];
    static size_t len;
    static int known = -1;
    if (known < 0) {
        known = getcwd(cwd, sizeof cwd) != NULL;
        len = known ? strlen(cwd) : 0;
    }
    if (known && len > 1 && !strncmp(abs, cwd, len) && abs[len] == '/' &&
        abs[len + 1])
        return abs + len + 1;
    return abs;
}
