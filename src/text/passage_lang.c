/*
 * passage_lang.c - the language of each passage (passages_decide_lang).
 *
 * In order of precedence, for each passage:
 *
 *   1. clear evidence of its own: lang_decide() gives a verdict with a
 *      margin of at least LANG_CLEAR_MARGIN points (about four stop words
 *      more of one language than of the other);
 *   2. a language the post declares there (front matter, HTML lang);
 *   3. a prior set by a heading cue ("Version française") in this passage
 *      or an earlier one.  Clear evidence against the prior cancels it:
 *      posts say "(Version Français suite)" at the top of their English
 *      half to announce a French half further down;
 *   4. weak evidence of its own (a verdict below the clear margin);
 *   5. its neighbours: the nearest decided passage before it, or, for
 *      passages before the first decided one, the nearest after it;
 *      unless that one is decided by a heading cue of its own: what
 *      comes before "Version française" is the other half (a bilingual
 *      post's English half of short passages, none clear, was French).
 *
 * When nothing in the post is decided, every passage stays UNKNOWN.
 * A cue is a line that stands alone between blank lines (a heading) and
 * that lang_heading_cue() recognises.
 */
#include <string.h>

#include "passage.h"
#include "../analysis/lang.h"

#define LANG_CLEAR_MARGIN 8 /* points of lang_decide's strength */

static int is_blank_line(const char *s, size_t a, size_t e)
{
    while (a < e) {
        if (s[a] == ' ') { /* lines of man pages are indented */
            a++;
            continue;
        }
        size_t k = passage_space_len(s, a, e);
        if (!k)
            return 0;
        a += k;
    }
    return 1;
}

/* The language announced by a line standing alone in the passage, or
 * UNKNOWN; the last such line wins.  Only a passage that begins with a
 * heading holds blank lines (passages_split joins a heading to what
 * follows it, across the blank line): any other has a line alone only
 * when it is one line, and is not read line by line. */
static trouve_lang_t passage_cue(const post_text_t *post, const passage_t *p)
{
    const char *s = post->text;
    size_t pos = p->start, end = p->end;
    if (!p->heading)
        return memchr(s + pos, '\n', end - pos)
                   ? TROUVE_LANG_UNKNOWN
                   : lang_heading_cue(s + pos, end - pos);
    trouve_lang_t cue = TROUVE_LANG_UNKNOWN;
    int blank_before = 1;
    while (pos < end) {
        const char *nl = memchr(s + pos, '\n', end - pos);
        size_t e = nl ? (size_t)(nl - s) : end;
        if (is_blank_line(s, pos, e)) {
            blank_before = 1;
        } else {
            /* Alone if the next line is blank or the passage ends. */
            size_t next = e + 1;
            int alone = blank_before;
            if (alone && next < end) {
                const char *nl2 = memchr(s + next, '\n', end - next);
                size_t e2 = nl2 ? (size_t)(nl2 - s) : end;
                alone = is_blank_line(s, next, e2);
            }
            if (alone) {
                trouve_lang_t l = lang_heading_cue(s + pos, e - pos);
                if (l != TROUVE_LANG_UNKNOWN)
                    cue = l;
            }
            blank_before = 0;
        }
        pos = e + 1;
    }
    return cue;
}

void passages_decide_lang(passage_t *v, size_t n,
                          const struct lang_count *counts,
                          const post_text_t *post)
{
    trouve_lang_t prior = TROUVE_LANG_UNKNOWN;
    trouve_lang_t first_cue = TROUVE_LANG_UNKNOWN; /* and where: */
    size_t first_cue_at = n;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned strength = 0;
        trouve_lang_t verdict = counts ? lang_decide(&counts[i], &strength)
                                       : TROUVE_LANG_UNKNOWN;
        trouve_lang_t declared = TROUVE_LANG_UNKNOWN;
        if (post && post->text) {
            trouve_lang_t cue = passage_cue(post, &v[i]);
            if (cue != TROUVE_LANG_UNKNOWN)
                prior = cue;
            if (cue != TROUVE_LANG_UNKNOWN && first_cue_at == n) {
                first_cue = cue;
                first_cue_at = i;
            }
            declared = post_lang_at(post, v[i].start);
        }
        trouve_lang_t lang;
        if (verdict != TROUVE_LANG_UNKNOWN && strength >= LANG_CLEAR_MARGIN) {
            lang = verdict;
            if (prior != TROUVE_LANG_UNKNOWN && prior != verdict)
                prior = TROUVE_LANG_UNKNOWN;
        } else if (declared != TROUVE_LANG_UNKNOWN) {
            lang = declared;
        } else if (prior != TROUVE_LANG_UNKNOWN) {
            lang = prior;
        } else {
            lang = verdict;
        }
        v[i].lang = lang;
        any |= lang != TROUVE_LANG_UNKNOWN;
    }
    if (!any)
        return;

    /* Undecided passages take the previous decided one's language... */
    trouve_lang_t prev = TROUVE_LANG_UNKNOWN;
    size_t first_decided = n;
    for (size_t i = 0; i < n; i++) {
        if (v[i].lang != TROUVE_LANG_UNKNOWN) {
            if (first_decided == n)
                first_decided = i;
            prev = v[i].lang;
        } else {
            v[i].lang = prev;  /* UNKNOWN before the first decided one */
        }
    }
    /* ...and those before the first decided one take its language, or
     * the other one when it is so by its cue. */
    trouve_lang_t lead = v[first_decided].lang;
    if (first_decided == first_cue_at && lead == first_cue)
        lead = lead == TROUVE_LANG_FR ? TROUVE_LANG_EN : TROUVE_LANG_FR;
    for (size_t i = 0; i < first_decided; i++)
        v[i].lang = lead;
}
