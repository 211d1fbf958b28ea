/*
 * lang.h - telling English from French, passage by passage.
 *
 * A lang_count gathers evidence from the folded terms of a passage
 * (stop-word profiles of each language, elisions); lang_decide turns it
 * into a verdict, or TROUVE_LANG_UNKNOWN when the passage is too short or
 * the evidence too even.  Passage-level smoothing (short passages taking
 * their neighbours' language, a "Version française" heading) is done by the
 * passage splitter with lang_is_heading_cue.
 */
#ifndef TROUVE_LANG_H
#define TROUVE_LANG_H

#include <stddef.h>
#include "../trouve.h"
#include "token.h"

typedef struct lang_count {
    unsigned words;    /* words seen */
    unsigned en;       /* English stop words among them */
    unsigned fr;       /* French stop words among them */
    unsigned elisions; /* French elisions seen */
    unsigned accents;  /* words with French accents (é è à ç ê ...) */
} lang_count_t;

/* Adds one token: its folded term and its lowercase (accented) form. */
void lang_count_word(lang_count_t *c, const char *term, size_t len,
                     const char *lower, size_t lower_len);

/* The same in two steps, for a caller that meets a word many times: what
 * the word says (LANG_WORD_* bits: a stop word of English, of French, a
 * French accent in its lowercase form), worked out once, then counted for
 * each of its tokens. */
enum { LANG_WORD_EN = 1, LANG_WORD_FR = 2, LANG_WORD_ACCENT = 4 };
unsigned lang_word_class(const char *term, size_t len, const char *lower,
                         size_t lower_len);
void lang_count_class(lang_count_t *c, unsigned word_class);
void lang_count_elision(lang_count_t *c);

/* A token_fn (token.h) for tokenize: adds each token to the lang_count_t
 * `count`, a word by lang_count_word, an elision by lang_count_elision.
 * Returns 0. */
int lang_count_token(void *count, const token_t *tok);

/* The verdict: EN, FR or UNKNOWN.  *strength (may be NULL) gets a margin
 * of confidence, 0 for UNKNOWN. */
trouve_lang_t lang_decide(const lang_count_t *c, unsigned *strength);

/* If the line s[0..n) announces that what follows is in one language
 * ("Version française", "French version", "English version", "Version
 * anglaise"...), returns that language; otherwise UNKNOWN. */
trouve_lang_t lang_heading_cue(const char *s, size_t n);

/* Parses a language tag ("fr", "fr-CA", "en_US", "French", "français"). */
trouve_lang_t lang_from_tag(const char *s, size_t n);

#endif
