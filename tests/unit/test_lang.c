/*
 * test_lang.c - telling English from French: passages (tokenized, counted,
 * decided), heading cues and language tags.  One row per case:
 * {tn, input, expected}.  The passages come from seeds/.
 */

#include "unit.h"
#include "analysis/lang.h"
#include "analysis/token.h"

#define EN TROUVE_LANG_EN
#define FR TROUVE_LANG_FR
#define UNKNOWN TROUVE_LANG_UNKNOWN

/* The verdict on text[0..n); *words (may be NULL) gets its word count. */
static trouve_lang_t decide(const char *text, size_t n, unsigned *strength,
                            unsigned *words)
{
    lang_count_t c;
    memset(&c, 0, sizeof c);
    tokenize(text, n, 0, lang_count_token, &c);
    if (words != NULL)
        *words = c.words;
    return lang_decide(&c, strength);
}

static const struct {
    const char *tn;
    const char *text;
    trouve_lang_t lang;
} passage_rows[] = {
    /* seeds/reverse-mentorship.txt, English part */
    {"en quote", "\"One of the things that we\xE2\x80\x99ve found to be most "
     "successful and I highly recommend; is to embrace a reverse mentorship "
     "policy.\"", EN},
    {"en sentence", "After I heard those words at the LinkedIn Finance "
     "Connect 2013 panel in New York, I was determined to meet Lisa "
     "Shalett since her perspective and candour were forward thinking.", EN},
    {"en short sentence", "Thank you and a heartfelt welcome Lisa to the "
     "Servo Annex team.", EN},
    {"en with possessive", "Lisa\xE2\x80\x99s passion and professionalism "
     "speak for themselves but please don\xE2\x80\x99t take my word for it.",
     EN},
    {"en question", "So is it possible the very same thing could also "
     "happen to you?", EN},
    /* seeds/reverse-mentorship.txt, French part */
    {"fr quote", "<<Nous avons constat\xC3\xA9 que l\xE2\x80\x99" "adoption "
     "d\xE2\x80\x99une politique de mentorat invers\xC3\xA9 est une des "
     "choses qui r\xC3\xA9ussit le mieux : je le recommande fortement.>>",
     FR},
    {"fr sentence", "Au risque de sembler ridicule, j\xE2\x80\x99\xC3\xA9tais "
     "r\xC3\xA9ticent \xC3\xA0 l\xE2\x80\x99id\xC3\xA9" "e d\xE2\x80\x99"
     "approcher Lisa parce qu\xE2\x80\x99" "elle ne me connaissait ni "
     "d\xE2\x80\x99\xC3\x88ve ni d\xE2\x80\x99" "Adam.", FR},
    {"fr short question", "Qu\xE2\x80\x99" "est-il arriv\xC3\xA9?", FR},
    {"fr without accents", "Nous avons tous la possibilite de creer des "
     "liens avec les personnes qui croisent notre chemin.", FR},
    {"fr with English title", "Si vous souhaitez en apprendre davantage, "
     "je vous sugg\xC3\xA8re de lire Time To Think de Nancy Kline.", FR},
    /* seeds/winter-cycling.txt and jardin-communautaire.txt */
    {"en cycling", "Every December the same question comes back: is it "
     "still reasonable to ride a bicycle to work when the streets are "
     "white?", EN},
    {"fr garden", "Depuis trois ans, une vingtaine de voisins cultivent "
     "ensemble un terrain vague derri\xC3\xA8re l\xE2\x80\x99\xC3\xA9" "cole "
     "primaire.", FR},
    /* short or ambiguous: left to the neighbours */
    {"empty", "", UNKNOWN},
    {"en title", "Reverse Mentorship", UNKNOWN},
    {"fr title", "Le mentorat invers\xC3\xA9", UNKNOWN},
    {"bilingual title", "Reverse Mentorship / Le mentorat invers\xC3\xA9",
     UNKNOWN},
    {"en heading", "Taking a Shot", UNKNOWN},
    {"fr heading", "Tenter sa chance", UNKNOWN},
    {"en two words", "What happened?", UNKNOWN},
    {"names", "Lisa Shalett, Goldman Sachs", UNKNOWN},
    {"numbers", "20:39 2013 100%", UNKNOWN},
    {"shared words", "a on me as", UNKNOWN},
    {"mixed evenly", "the and of le la les", UNKNOWN},
};

static void test_passages(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(passage_rows); i++) {
        unsigned strength = 99;
        trouve_lang_t got = decide(passage_rows[i].text,
                                   strlen(passage_rows[i].text), &strength,
                                   NULL);
        if (got != passage_rows[i].lang)
            fail_msg("%s: got %d, want %d", passage_rows[i].tn, (int)got,
                     (int)passage_rows[i].lang);
        if ((got == UNKNOWN) != (strength == 0))
            fail_msg("%s: strength %u for verdict %d", passage_rows[i].tn,
                     strength, (int)got);
    }
    assert_int_equal(lang_decide(&(lang_count_t){0}, NULL), UNKNOWN);
}

/* Every paragraph of the seed post up to its comments (which mix both
 * languages): the English half never comes out French, the French half
 * never English, and paragraphs of 30 words or more are decided. */
static void test_seed_post(void **state)
{
    (void)state;
    FILE *f = fopen("seeds/reverse-mentorship.txt", "rb");
    if (f == NULL)
        skip(); /* run from the top of the tree */
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';

    const char *french_start = strstr(text, "\n\nLe mentorat invers");
    const char *comments = strstr(text, "\n\nSheree Yoon");
    assert_non_null(french_start);
    assert_non_null(comments);
    unsigned decided = 0, paragraphs = 0;
    for (const char *p = text; p < comments;) {
        const char *end = strstr(p, "\n\n");
        if (end == NULL || end > comments)
            end = comments;
        trouve_lang_t want = p > french_start ? FR : EN;
        unsigned words;
        trouve_lang_t got = decide(p, (size_t)(end - p), NULL, &words);
        if (got != UNKNOWN && got != want)
            fail_msg("paragraph at byte %zu: got %d, want %d",
                     (size_t)(p - text), (int)got, (int)want);
        if (words >= 30) {
            paragraphs++;
            decided += got == want;
        }
        p = end + 2;
    }
    assert_true(paragraphs > 10);
    assert_int_equal(decided, paragraphs);
}

static const struct {
    const char *tn;
    const char *line;
    trouve_lang_t lang;
} cue_rows[] = {
    {"version francaise", "Version fran\xC3\xA7" "aise", FR},
    {"version francais", "Version Fran\xC3\xA7" "ais", FR},
    {"version francais, seed", "(Version Fran\xC3\xA7" "ais suite)", FR},
    {"upper", "VERSION FRAN\xC3\x87" "AISE", FR},
    {"no accent", "version francaise", FR},
    {"ci-dessous", "Version fran\xC3\xA7" "aise ci-dessous", FR},
    {"french version", "French version", FR},
    {"french version below", "-- French version below --", FR},
    {"en francais", "En fran\xC3\xA7" "ais", FR},
    {"en francais brackets", "[En fran\xC3\xA7" "ais]", FR},
    {"francais alone", "Fran\xC3\xA7" "ais", FR},
    {"english version", "English version", EN},
    {"english version follows", "The English version follows:", EN},
    {"version anglaise", "Version anglaise", EN},
    {"in english", "In English", EN},
    {"in english markdown", "## In English", EN},
    {"english alone", "English", EN},
    {"en anglais", "(en anglais)", EN},
    {"empty", "", UNKNOWN},
    {"title", "Reverse Mentorship / Le mentorat invers\xC3\xA9", UNKNOWN},
    {"a sentence about french", "I love French food", UNKNOWN},
    {"french text in a sentence", "Pour \xC3\xA9" "couter son intervention "
     "[en anglais seulement]", UNKNOWN},
    {"both", "English / Fran\xC3\xA7" "ais", UNKNOWN},
    {"too long", "Version fran\xC3\xA7" "aise                               "
     "                                                                    "
     "                                   .", UNKNOWN},
};

static void test_cues(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(cue_rows); i++) {
        trouve_lang_t got = lang_heading_cue(cue_rows[i].line,
                                             strlen(cue_rows[i].line));
        if (got != cue_rows[i].lang)
            fail_msg("%s: got %d, want %d", cue_rows[i].tn, (int)got,
                     (int)cue_rows[i].lang);
    }
}

static const struct {
    const char *tag;
    trouve_lang_t lang;
} tag_rows[] = {
    {"fr", FR},
    {"FR", FR},
    {"fr-CA", FR},
    {"fr_FR", FR},
    {"fr-FR.UTF-8", FR},
    {"fra", FR},
    {"french", FR},
    {"French", FR},
    {"fran\xC3\xA7" "ais", FR},
    {"Fran\xC3\xA7" "ais", FR},
    {"en", EN},
    {"en-US", EN},
    {"en_GB", EN},
    {"EN", EN},
    {"eng", EN},
    {"English", EN},
    {"anglais", EN},
    {" \"en\" ", EN},
    {"", UNKNOWN},
    {"de", UNKNOWN},
    {"es-ES", UNKNOWN},
    {"f", UNKNOWN},
    {"frr", UNKNOWN},
    {"english-ish-and-much-longer-than-a-tag", EN},
    {"englishman", UNKNOWN},
};

static void test_tags(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(tag_rows); i++) {
        trouve_lang_t got = lang_from_tag(tag_rows[i].tag,
                                          strlen(tag_rows[i].tag));
        if (got != tag_rows[i].lang)
            fail_msg("'%s': got %d, want %d", tag_rows[i].tag, (int)got,
                     (int)tag_rows[i].lang);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passages),
        cmocka_unit_test(test_seed_post),
        cmocka_unit_test(test_cues),
        cmocka_unit_test(test_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
