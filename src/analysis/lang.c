/*
 * lang.c - English or French: stop-word profiles, elisions, accents,
 * heading cues and language tags.
 *
 * Evidence for a passage is counted word by word (lang_count_word) from
 * the folded term: is it one of the common function words of English, or
 * of French?  French elisions (l' d' qu'...) and accented letters count for
 * French too.  lang_decide gives a verdict only when the evidence is both
 * large enough and lopsided enough, so a heading of three words is usually
 * UNKNOWN and takes its neighbours' language.
 *
 * The stop words are those of the Snowball project's stop lists
 * (snowballstem.org, algorithms/english/stop.txt and french/stop.txt, BSD
 * licence), folded as our terms are (accents removed, the possessive 's
 * the tokenizer drops removed too).  The single letters of the French list
 * (c d j l m n s t) are elisions, counted by lang_count_elision instead.
 * Words on both lists (a, as, me, on) are left out of both: they say
 * nothing.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "lang.h"

/* Sorted (strcmp order), for the reader: lookups go through stop_table. */
static const char *const english_stop[] = {
    "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "aren't", "at", "be", "because", "been",
    "before", "being", "below", "between", "both", "but", "by", "can't",
    "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't",
    "doing", "don't", "down", "during", "each", "few", "for", "from",
    "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having",
    "he", "he'd", "he'll", "her", "here", "hers", "herself", "him", "himself",
    "his", "how", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is",
    "isn't", "it", "its", "itself", "let", "more", "most", "mustn't",
    "my", "myself", "no", "nor", "not", "of", "off", "once", "only",
    "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
    "same", "shan't", "she", "she'd", "she'll", "should", "shouldn't", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "they'd", "they'll",
    "they're", "they've", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "was", "wasn't", "we", "we'd", "we'll", "we're",
    "we've", "were", "weren't", "what", "when", "where", "which", "while",
    "who", "whom", "why", "with", "won't", "would", "wouldn't", "you",
    "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
    "yourselves",
};

static const char *const french_stop[] = {
    "ai", "aie", "aient", "aies", "ait", "au", "aura", "aurai",
    "auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions",
    "aurons", "auront", "aux", "avaient", "avais", "avait", "avec", "avez",
    "aviez", "avions", "avons", "ayant", "ayez", "ayons", "ce", "ceci",
    "cela", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en",
    "es", "est", "et", "etaient", "etais", "etait", "etant", "ete", "etee",
    "etees", "etes", "etiez", "etions", "eu", "eue", "eues", "eumes",
    "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions",
    "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse", "fussent",
    "fusses", "fussiez", "fussions", "fut", "futes", "ici", "il", "ils", "je",
    "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "meme",
    "mes", "moi", "mon", "ne", "nos", "notre", "nous", "ont", "ou",
    "par", "pas", "pour", "qu", "que", "quel", "quelle", "quelles", "quels",
    "qui", "sa", "sans", "se", "sera", "serai", "seraient", "serais",
    "serait", "seras", "serez", "seriez", "serions", "serons", "seront",
    "ses", "soi", "soient", "sois", "soit", "sommes", "son", "sont", "soyez",
    "soyons", "suis", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un",
    "une", "vos", "votre", "vous", "y",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The longest stop word, in bytes. */
#define STOP_MAX 12

/* Verdict thresholds, in points: a stop word is worth 2, an elision 2, an
 * accented word 1.  The winner needs MIN_POINTS, MIN_MARGIN more than the
 * other language, and twice its points. */
#define MIN_POINTS 6
#define MIN_MARGIN 4

/* The stop words of both lists in one open-addressing hash table, built
 * once (pthread_once): a lookup per word indexed must cost a hash and a
 * compare, not a binary search of strcmp calls. */
#define STOP_SLOTS 1024 /* a power of two, over twice the words */

typedef struct stop_slot {
    const char *word;    /* NULL when empty */
    unsigned char len;
    unsigned char lang;  /* TROUVE_LANG_EN or TROUVE_LANG_FR */
} stop_slot_t;

static stop_slot_t stop_table[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static unsigned stop_hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (STOP_SLOTS - 1);
}

static void stop_add(const char *const *list, size_t n, trouve_lang_t lang)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list[i]);
        unsigned h = stop_hash(list[i], len);
        while (stop_table[h].word)
            h = (h + 1) & (STOP_SLOTS - 1);
        stop_table[h] = (stop_slot_t){list[i], (unsigned char)len,
                                      (unsigned char)lang};
    }
}

static void stop_build(void)
{
    stop_add(english_stop, COUNT(english_stop), TROUVE_LANG_EN);
    stop_add(french_stop, COUNT(french_stop), TROUVE_LANG_FR);
}

/* The language whose stop list holds the folded term, or UNKNOWN. */
static trouve_lang_t stop_lang(const char *term, size_t len)
{
    if (len == 0 || len > STOP_MAX)
        return TROUVE_LANG_UNKNOWN;
    pthread_once(&stop_once, stop_build);
    for (unsigned h = stop_hash(term, len);; h = (h + 1) & (STOP_SLOTS - 1)) {
        const stop_slot_t *slot = &stop_table[h];
        if (!slot->word)
            return TROUVE_LANG_UNKNOWN;
        if (slot->len == len && !memcmp(slot->word, term, len))
            return (trouve_lang_t)slot->lang;
    }
}

/* True if the lowercase UTF-8 word has a letter typical of French:
 * à â ç è é ê ë î ï ô ù û ü ÿ (C3 xx) or œ (C5 93). */
static int has_french_accent(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)s[i + 1];
        if (a == 0xC3 && b != 0 &&
            strchr("\xA0\xA2\xA7\xA8\xA9\xAA\xAB\xAE\xAF"
                   "\xB4\xB9\xBB\xBC\xBF", b) != NULL)
            return 1;
        if (a == 0xC5 && b == 0x93)
            return 1;
    }
    return 0;
}

unsigned lang_word_class(const char *term, size_t len, const char *lower,
                         size_t lower_len)
{
    unsigned cls = 0;
    switch (stop_lang(term, len)) {
    case TROUVE_LANG_EN: cls |= LANG_WORD_EN; break;
    case TROUVE_LANG_FR: cls |= LANG_WORD_FR; break;
    case TROUVE_LANG_UNKNOWN: break;
    }
    if (lower != NULL && has_french_accent(lower, lower_len))
        cls |= LANG_WORD_ACCENT;
    return cls;
}

void lang_count_class(lang_count_t *c, unsigned word_class)
{
    c->words++;
    c->en += (word_class & LANG_WORD_EN) != 0;
    c->fr += (word_class & LANG_WORD_FR) != 0;
    c->accents += (word_class & LANG_WORD_ACCENT) != 0;
}

void lang_count_word(lang_count_t *c, const char *term, size_t len,
                     const char *lower, size_t lower_len)
{
    lang_count_class(c, lang_word_class(term, len, lower, lower_len));
}

void lang_count_elision(lang_count_t *c)
{
    c->elisions++;
}

int lang_count_token(void *count, const token_t *tok)
{
    if (tok->kind == TOKEN_ELISION)
        lang_count_elision(count);
    else
        lang_count_word(count, tok->term, tok->term_len, tok->lower,
                        tok->lower_len);
    return 0;
}

trouve_lang_t lang_decide(const lang_count_t *c, unsigned *strength)
{
    unsigned en = 2 * c->en;
    unsigned fr = 2 * c->fr + 2 * c->elisions + c->accents;
    unsigned win = en > fr ? en : fr, lose = en > fr ? fr : en;
    trouve_lang_t lang = TROUVE_LANG_UNKNOWN;

    if (win >= MIN_POINTS && win - lose >= MIN_MARGIN && win >= 2 * lose)
        lang = en > fr ? TROUVE_LANG_EN : TROUVE_LANG_FR;
    if (strength != NULL)
        *strength = lang == TROUVE_LANG_UNKNOWN ? 0 : win - lose;
    return lang;
}

/* ------------------------------------------------------------------ */
/* Heading cues                                                        */

/* Lines longer than this are not headings. */
#define CUE_LINE_MAX 120
#define CUE_WORDS_MAX 8

typedef struct cue {
    const char *words; /* folded words, one space apart */
    trouve_lang_t lang;
} cue_t;

/* "Version française" announces French, "English version" English. */
static const cue_t cues[] = {
    {"version francaise", TROUVE_LANG_FR},
    {"version francais", TROUVE_LANG_FR},
    {"version en francais", TROUVE_LANG_FR},
    {"french version", TROUVE_LANG_FR},
    {"en francais", TROUVE_LANG_FR},
    {"in french", TROUVE_LANG_FR},
    {"francais", TROUVE_LANG_FR},
    {"french", TROUVE_LANG_FR},
    {"english version", TROUVE_LANG_EN},
    {"version anglaise", TROUVE_LANG_EN},
    {"version en anglais", TROUVE_LANG_EN},
    {"in english", TROUVE_LANG_EN},
    {"en anglais", TROUVE_LANG_EN},
    {"english", TROUVE_LANG_EN},
    {"anglais", TROUVE_LANG_EN},
};

/* Words that may surround a cue: "(Version française ci-dessous)",
 * "The English version follows", "(Version Français suite)". */
#define FILLER(w) {w, sizeof w - 1}
static const struct {
    const char *word;
    size_t len; /* known up front: every word of every heading is looked
                   up here */
} cue_fillers[] = {
    FILLER("bas"), FILLER("below"), FILLER("ci"), FILLER("continued"),
    FILLER("dessous"), FILLER("follows"), FILLER("following"),
    FILLER("here"), FILLER("ici"), FILLER("la"), FILLER("le"),
    FILLER("lire"), FILLER("plus"), FILLER("read"), FILLER("see"),
    FILLER("suite"), FILLER("the"), FILLER("voir"),
};
#undef FILLER

static int is_filler(const char *w, size_t n)
{
    for (size_t i = 0; i < COUNT(cue_fillers); i++)
        if (cue_fillers[i].len == n && memcmp(cue_fillers[i].word, w, n) == 0)
            return 1;
    return 0;
}

/* 1 if some cue begins with the word w[0..n) (a whole word): a line whose
 * first kept word begins none is no cue, whatever follows. */
static int begins_cue(const char *w, size_t n)
{
    for (size_t i = 0; i < COUNT(cues); i++)
        if (strncmp(cues[i].words, w, n) == 0 &&
            (cues[i].words[n] == ' ' || cues[i].words[n] == '\0'))
            return 1;
    return 0;
}

trouve_lang_t lang_heading_cue(const char *s, size_t n)
{
    char folded[CUE_LINE_MAX * FOLD_MAX + 1];
    char words[CUE_LINE_MAX + 1]; /* the kept words, one space apart */
    size_t nwords = 0, w = 0;

    if (n > CUE_LINE_MAX)
        return TROUVE_LANG_UNKNOWN;
    size_t len = fold_string(s, n, folded);
    for (size_t i = 0; i < len;) {
        /* words are runs of ASCII letters and digits of the folded line */
        size_t j = i;
        while (j < len && ((folded[j] >= 'a' && folded[j] <= 'z') ||
                           (folded[j] >= '0' && folded[j] <= '9')))
            j++;
        if (j == i) {
            i++;
            continue;
        }
        if (!is_filler(folded + i, j - i)) {
            if (++nwords > CUE_WORDS_MAX || w + (j - i) + 1 > sizeof words)
                return TROUVE_LANG_UNKNOWN;
            if (w > 0)
                words[w++] = ' ';
            memcpy(words + w, folded + i, j - i);
            w += j - i;
            if (nwords == 1 && !begins_cue(words, w))
                return TROUVE_LANG_UNKNOWN;
        }
        i = j;
    }
    words[w] = '\0';
    for (size_t i = 0; i < COUNT(cues); i++)
        if (strcmp(words, cues[i].words) == 0)
            return cues[i].lang;
    return TROUVE_LANG_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Language tags                                                       */

#define TAG_MAX 16

trouve_lang_t lang_from_tag(const char *s, size_t n)
{
    static const struct {
        const char *name;
        trouve_lang_t lang;
    } tags[] = {
        {"en", TROUVE_LANG_EN},      {"eng", TROUVE_LANG_EN},
        {"english", TROUVE_LANG_EN}, {"anglais", TROUVE_LANG_EN},
        {"fr", TROUVE_LANG_FR},      {"fra", TROUVE_LANG_FR},
        {"fre", TROUVE_LANG_FR},     {"french", TROUVE_LANG_FR},
        {"francais", TROUVE_LANG_FR}, {"francaise", TROUVE_LANG_FR},
    };
    char folded[TAG_MAX * FOLD_MAX + 1];

    /* trim blanks and quotes, keep the primary subtag */
    while (n > 0 && strchr(" \t\r\n\"'", s[0]) != NULL && s[0] != '\0') {
        s++;
        n--;
    }
    size_t end = 0;
    while (end < n && strchr(" \t\r\n\"'-_.;,", s[end]) == NULL)
        end++;
    if (end == 0 || end > TAG_MAX)
        return TROUVE_LANG_UNKNOWN;
    fold_string(s, end, folded);
    for (size_t i = 0; i < COUNT(tags); i++)
        if (strcmp(folded, tags[i].name) == 0)
            return tags[i].lang;
    return TROUVE_LANG_UNKNOWN;
}

