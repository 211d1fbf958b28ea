/*
 * out.h - writing what trouve prints: JSON values, text made safe for a
 * terminal, colours, and checking that it all reached its destination.
 *
 * Text from posts and file names is hostile until proven otherwise: it may
 * hold escape sequences (OSC, CSI), bare CR, BEL, C1 controls, bidi
 * overrides, or bytes that are not UTF-8.  out_text never lets any of them
 * through raw; out_json_string writes valid JSON whatever the bytes.
 */
#ifndef TROUVE_OUT_H
#define TROUVE_OUT_H

#include <stddef.h>
#include <stdio.h>

/* SGR colour codes trouve uses (only when colour is on). */
#define COLOR_PATH  "\033[35m"
#define COLOR_LINE  "\033[32m"
#define COLOR_LANG  "\033[36m"
#define COLOR_DIM   "\033[2m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_RESET "\033[0m"

/* Writes s[0..n) as a JSON string ("..."), or, when it is not valid
 * UTF-8, as {"bytes":"<base64>"} so nothing is lost. */
void out_json_string(FILE *f, const char *s, size_t n);

/* Writes s[0..n) for a terminal: control characters shown in caret
 * notation (^[), C1 controls, bidi controls and invalid bytes as <U+XXXX>
 * or <XX>; everything else as is.  Tabs and newlines become spaces when
 * `one_line` is set. */
void out_text(FILE *f, const char *s, size_t n, int one_line);

/* Whether to colour: `when` is "auto", "always" or "never" (NULL = auto);
 * auto means stdout is a terminal, NO_COLOR is unset or empty, and TERM is
 * not "dumb".  Returns 1, 0, or -1 for a bad `when`. */
int out_color_wanted(const char *when);

/* Flushes f and checks it for write errors.  Returns 0, or 2 after
 * printing "trouve: cannot write output: <reason>" on stderr. */
int out_finish(FILE *f);

/* Prints "trouve: <message>" on stderr (printf-style, a newline added). */
void out_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A path for display: relative to the current folder when under it. */
const char *out_display_path(const char *abs);

#endif
