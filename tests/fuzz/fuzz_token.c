/*
 * fuzz_token.c - the tokenizer (analysis/token.c) on any bytes.
 *
 * Checks: tokens come in order, inside the text, never empty; ordinals of
 * words count up from the first one; terms and lowercase forms are valid
 * UTF-8, NUL-terminated, at most TOKEN_TERM_MAX bytes (cut ones flagged);
 * an elision is followed by the word it belongs to.
 */
#include <string.h>

#include "fuzz.h"
#include "analysis/token.h"
#include "analysis/utf8.h"

typedef struct seen {
    size_t len;
    size_t last_end;
    uint32_t next_ordinal;
    int words;
} seen_t;

static int on_token(void *ctx, const token_t *t)
{
    seen_t *s = ctx;
    FUZZ_CHECK(t->start < t->end && t->end <= s->len);
    FUZZ_CHECK(t->start >= s->last_end);
    s->last_end = t->end;
    FUZZ_CHECK(t->term && t->term[t->term_len] == '\0');
    FUZZ_CHECK(utf8_valid(t->term, t->term_len));
    FUZZ_CHECK(t->lower && t->lower[t->lower_len] == '\0');
    FUZZ_CHECK(utf8_valid(t->lower, t->lower_len));
    FUZZ_CHECK(t->term_len <= TOKEN_TERM_MAX);
    if (t->kind == TOKEN_WORD) {
        FUZZ_CHECK(t->term_len > 0 || (t->flags & TOKEN_LONG) ||
                   t->lower_len > 0);
        FUZZ_CHECK(t->ordinal == s->next_ordinal);
        s->next_ordinal++;
        s->words++;
    } else {
        FUZZ_CHECK(t->kind == TOKEN_ELISION);
        FUZZ_CHECK(t->ordinal == s->next_ordinal);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen_t s = {size, 0, 7, 0};
    FUZZ_CHECK(tokenize((const char *)data, size, 7, on_token, &s) == 0);
    return 0;
}
