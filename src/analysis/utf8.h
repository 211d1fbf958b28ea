/*
 * utf8.h - decoding and encoding UTF-8, never failing on bad bytes.
 *
 * Invalid input (stray continuation bytes, truncated sequences, overlong
 * forms, UTF-16 surrogates, code points past U+10FFFF) decodes as U+FFFD,
 * one byte at a time, so a caller always makes progress and byte offsets
 * stay exact.
 */
#ifndef TROUVE_UTF8_H
#define TROUVE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu
#define UTF8_MAX 4 /* bytes in one encoded code point */

/* Decodes the code point at s[0..n) (n >= 1) into *cp and returns the
 * number of bytes it used (1 to 4).  Invalid input: *cp = U+FFFD, 1. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encodes cp (a scalar value; anything else encodes U+FFFD) into out,
 * which has room for UTF8_MAX bytes; returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/* 1 if s[0..n) is entirely valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t n);

/* The largest k <= n such that s[0..k) does not end inside a multi-byte
 * sequence: where to cut a valid UTF-8 string at most n bytes long. */
size_t utf8_floor(const char *s, size_t n);

/* Windows-1252 to UTF-8: writes the UTF-8 form of the n bytes of s to out
 * (room for 3 * n bytes) and returns its length.  The five undefined bytes
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of Latin-1. */
size_t utf8_from_cp1252(const char *s, size_t n, char *out);

#endif
