/*
 * fold.h - the character classes and the folding that matching relies on.
 *
 * Folding maps a code point to the form it is matched under: Unicode full
 * case folding, canonical and compatibility decomposition with combining
 * marks removed (é -> e, ﬁ -> fi, ² -> 2), and the Latin letters that do
 * not decompose (œ -> oe, æ -> ae, ß -> ss, ø -> o, đ -> d, ł -> l,
 * þ -> th).  Lowering keeps accents: it is Unicode full case folding alone,
 * the form the Snowball stemmers expect.
 *
 * The tables live in fold_table.c, generated from Debian's unicode-data by
 * gen_fold_table.py; do not edit that file by hand.
 */
#ifndef TROUVE_FOLD_H
#define TROUVE_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* The longest UTF-8 a single code point folds or lowers to. */
#define FOLD_MAX 18

/* What a code point is to the tokenizer. */
typedef enum char_class {
    CC_SEPARATOR = 0, /* spaces, punctuation, symbols, controls */
    CC_WORD,          /* letters (L*) and digits (N*): words are made of these */
    CC_MARK,          /* combining marks (M*): part of the word before them */
    CC_APOSTROPHE,    /* ' ’ ʼ ‘ (and the modifier letter apostrophe) */
    CC_SPACE          /* white space, U+00A0 and U+202F included */
} char_class_t;

/* The class of cp; code points past U+10FFFF are separators. */
char_class_t fold_class(uint32_t cp);

/* Writes the folded UTF-8 form of cp to out (room for FOLD_MAX bytes) and
 * returns its length, which is 0 for combining marks and for characters
 * that fold to nothing (U+00AD soft hyphen, zero-width joiners...). */
size_t fold_codepoint(uint32_t cp, char *out);

/* Writes the lowercase (case-folded, accents kept) UTF-8 form of cp to out
 * (room for FOLD_MAX bytes) and returns its length. */
size_t fold_lower_codepoint(uint32_t cp, char *out);

/* Folds the UTF-8 string s[0..n) into out, which has room for
 * n * FOLD_MAX bytes (+1 for the NUL written at the end); returns the
 * folded length.  Every code point is folded, whatever its class. */
size_t fold_string(const char *s, size_t n, char *out);

#endif
