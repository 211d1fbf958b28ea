/*
 * test_markdown.c - markdown.c, markdown_inline.c and front_matter.c
 * through post_parse(POST_FORMAT_MARKDOWN): markup removed and words kept,
 * one line of text per line of the file, front matter, titles, and hostile
 * lines that must stay linear.  One row per case.
 */

#include "unit.h"
#include "text/post.h"
#include "analysis/utf8.h"

static void parse_md(const char *md, size_t n, post_text_t *p)
{
    char why[128];
    trouve_skip_t rc = post_parse(md, n, POST_FORMAT_MARKDOWN, p, why,
                                  sizeof why);
    if (rc != TROUVE_SKIP_NONE)
        fail_msg("post_parse: %d %s", rc, why);
    if (!utf8_valid(p->text, p->len) || p->text[p->len] != '\0')
        fail_msg("text is not a valid C string");
}

static size_t count_lines(const char *s)
{
    size_t k = 0;
    for (; *s; s++)
        k += *s == '\n';
    return k;
}

/* {tn, markdown, expected text, expected title or NULL}.  Without front
 * matter the text has exactly as many '\n' as the file. */
static const struct {
    const char *tn;
    const char *md;
    const char *text;
    const char *title;
} text_rows[] = {
    {"plain", "hello world", "hello world", "hello world"},
    {"atx heading", "# Title\n\ntext", "Title\n\ntext", "Title"},
    {"atx closing hashes", "## Sub ##\ntext", "Sub\ntext", "Sub"},
    {"atx level 6", "###### six\n", "six\n", "six"},
    {"seven hashes is text", "####### seven", "####### seven",
     "####### seven"},
    {"hash without space", "#tag", "#tag", "#tag"},
    {"c sharp kept", "# Learn C#\n", "Learn C#\n", "Learn C#"},
    {"first atx heading is title", "intro line\n\n# Real\n",
     "intro line\n\nReal\n", "Real"},
    {"setext h1", "Title\n=====\n\ntext", "Title\n\n\ntext", "Title"},
    {"setext h2", "Sub\n---\ntext", "Sub\n\ntext", "Sub"},
    {"thematic break", "a\n\n***\n\nb", "a\n\n\n\nb", "a"},
    {"emphasis", "*a* **b** ***c*** _d_ __e__", "a b c d e", "a b c d e"},
    {"intraword underscore", "snake_case_name", "snake_case_name",
     "snake_case_name"},
    {"lone star kept", "2 * 3", "2 * 3", "2 * 3"},
    {"strikethrough", "~~gone~~ ~x", "gone ~x", "gone ~x"},
    {"inline code", "run `ls -l *.md` now", "run ls -l *.md now",
     "run ls -l *.md now"},
    {"double backtick code", "``a ` b``", "a ` b", "a ` b"},
    {"unclosed backtick", "a `b c", "a `b c", "a `b c"},
    {"link", "see [the docs](http://x.org/a_b \"T\") now",
     "see the docs now", "see the docs now"},
    {"image", "![a cat](cat.png) here", "a cat here", "a cat here"},
    {"image in link", "[![alt](i.png)](http://x)", "alt", "alt"},
    {"reference link", "[text][ref] and [more][]", "text and more",
     "text and more"},
    {"brackets alone kept", "[note] x", "[note] x", "[note] x"},
    {"nested parens url", "[w](http://en.wikipedia.org/wiki/A_(b)) ok",
     "w ok", "w ok"},
    {"autolink", "<https://x.org/p> and <me@x.org>",
     "https://x.org/p and me@x.org", "https://x.org/p and me@x.org"},
    {"reference definition dropped", "text\n\n[ref]: http://x.org\n",
     "text\n\n\n", "text"},
    {"footnote definition kept", "[^1]: the note", " the note",
     "the note"},
    {"footnote reference dropped", "a note[^1] here[^my-note].",
     "a note here.", "a note here."},
    {"caret and space not a footnote", "[^ x] [^]", "[^ x] [^]",
     "[^ x] [^]"},
    {"block quote", "> quoted\n> > deeper", "quoted\ndeeper", "quoted"},
    {"list markers", "- one\n* two\n+ three\n1. four\n2) five",
     "one\ntwo\nthree\nfour\nfive", "one"},
    {"task list", "- [ ] todo\n- [x] done", "todo\ndone", "todo"},
    {"nested list", "- a\n  - b", "a\nb", "a"},
    {"not a list", "-not\n1.5 litres", "-not\n1.5 litres", "-not"},
    {"table", "| a | b |\n|---|:-:|\n| c | d |", "  a   b\n\n  c   d",
     "a b"},
    {"fenced code", "```c\nint main(void) { return *p; }\n```\nafter",
     "\nint main(void) { return *p; }\n\nafter",
     "int main(void) { return *p; }"},
    {"tilde fence", "~~~\n<b>kept</b>\n~~~", "\n<b>kept</b>\n",
     "<b>kept</b>"},
    {"unclosed fence", "```\ncode *x*\nmore", "\ncode *x*\nmore",
     "code *x*"},
    {"longer closing fence", "```\na\n`````\n*b*", "\na\n\nb", "a"},
    {"indented code", "text\n\n    a_b *c*\n", "text\n\na_b *c*\n",
     "text"},
    {"html tags dropped", "a <span class=\"x\">b</span> c", "a b c",
     "a b c"},
    {"html comment", "a <!-- hidden --> b", "a  b", "a b"},
    {"multi-line comment", "a <!-- x\ny\nz --> b\nc", "a\n\n b\nc", "a"},
    {"lt not a tag", "a < b and 3<4", "a < b and 3<4", "a < b and 3<4"},
    {"escapes", "\\*not\\* \\_em\\_ \\# \\[x\\]", "*not* _em_ # [x]",
     "*not* _em_ # [x]"},
    {"entities", "caf&eacute; &amp; &#233;", "café & é", "café & é"},
    {"crlf input", "# T\r\n\r\nbody\r\n", "T\n\nbody\n", "T"},
    {"hard break backslash", "a\\\nb", "a\nb", "a"},
    {"trailing spaces dropped", "a  \nb", "a\nb", "a"},
    {"empty", "", "", NULL},
};

static void test_text_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(text_rows); i++) {
        post_text_t p;
        const char *md = text_rows[i].md;
        parse_md(md, strlen(md), &p);
        if (strcmp(p.text, text_rows[i].text) != 0)
            fail_msg("%s: text [%s], want [%s]", text_rows[i].tn, p.text,
                     text_rows[i].text);
        const char *want = text_rows[i].title;
        if ((want == NULL) != (p.title == NULL) ||
            (want && strcmp(want, p.title) != 0))
            fail_msg("%s: title [%s], want [%s]", text_rows[i].tn,
                     p.title ? p.title : "(null)", want ? want : "(null)");
        /* one line of text per line of the file */
        size_t want_lines = 0;
        for (const char *q = md; *q; q++)
            want_lines += *q == '\n' || (*q == '\r' && q[1] != '\n');
        if (count_lines(p.text) != want_lines || p.nanchors != 1 ||
            p.anchors[0].line != 1)
            fail_msg("%s: %zu lines, want %zu (%zu anchors)",
                     text_rows[i].tn, count_lines(p.text), want_lines,
                     p.nanchors);
        post_text_free(&p);
    }
}

/* Front matter: {tn, markdown, text, title, date, lang, line of the
 * first text byte, line of the last}.  Its title opens the text, on the
 * line of its key, unless the text starts with it. */
static const struct {
    const char *tn;
    const char *md;
    const char *text;
    const char *title;
    const char *date;
    trouve_lang_t lang;
    uint32_t first_line, last_line;
} front_rows[] = {
    {"yaml", "---\ntitle: Le titre\nlang: fr\ndate: 2014-08-20\n---\nbody",
     "Le titre\n\nbody", "Le titre", "2014-08-20", TROUVE_LANG_FR, 2, 6},
    {"yaml quoted", "---\ntitle: \"A \\\"quoted\\\" one\"\nlanguage: 'en-CA'"
     "\n---\nbody", "A \"quoted\" one\n\nbody", "A \"quoted\" one", NULL,
     TROUVE_LANG_EN, 2, 5},
    {"yaml single quotes", "---\ntitle: 'It''s'\n---\nx", "It's\n\nx",
     "It's", NULL, TROUVE_LANG_UNKNOWN, 2, 4},
    {"yaml comment", "---\ntitle: Plain # comment\n---\nx", "Plain\n\nx",
     "Plain", NULL, TROUVE_LANG_UNKNOWN, 2, 4},
    {"yaml dots close", "---\ntitle: T\n...\nx", "T\n\nx", "T", NULL,
     TROUVE_LANG_UNKNOWN, 2, 4},
    {"yaml block scalar", "---\ntitle: >\n  long\n  title\ntags: [a]\n---"
     "\nx", "long title\n\nx", "long title", NULL, TROUVE_LANG_UNKNOWN, 2,
     7},
    {"yaml nested ignored", "---\nauthor:\n  title: Dr\ntitle: Real\n---\n"
     "x", "Real\n\nx", "Real", NULL, TROUVE_LANG_UNKNOWN, 4, 6},
    {"toml", "+++\ntitle = \"Titre\"\nlanguage = \"fr\"\ndate = 2020-01-02\n"
     "+++\n\nbody", "Titre\n\n\nbody", "Titre", "2020-01-02",
     TROUVE_LANG_FR, 2, 7},
    {"key case", "---\nTitle: T\nLang: FR\n---\nx", "T\n\nx", "T", NULL,
     TROUVE_LANG_FR, 2, 5},
    {"title from heading if none", "---\ndate: 2020\n---\n# Head\n",
     "Head\n", "Head", "2020", TROUVE_LANG_UNKNOWN, 4, 4},
    {"empty front matter", "---\n---\nx", "x", "x", NULL,
     TROUVE_LANG_UNKNOWN, 3, 3},
    {"crlf front matter", "---\r\ntitle: T\r\n---\r\nx", "T\n\nx", "T",
     NULL, TROUVE_LANG_UNKNOWN, 2, 4},
    {"not closed: text", "---\ntitle: T\nx", "\ntitle: T\nx", "title: T",
     NULL, TROUVE_LANG_UNKNOWN, 1, 3},
    {"not at top: text", "\n---\ntitle: T\n---\nx", "\n\ntitle: T\n\nx",
     "title: T", NULL, TROUVE_LANG_UNKNOWN, 1, 5},
    {"rules around text", "---\nJust text here\n---\nx",
     "\nJust text here\n\nx", "Just text here", NULL,
     TROUVE_LANG_UNKNOWN, 1, 4},
    {"heading repeats title", "---\ntitle: Xylophage report\n---\n\n"
     "# Xylophage *Report*\n\ntext", "\nXylophage Report\n\ntext",
     "Xylophage report", NULL, TROUVE_LANG_UNKNOWN, 4, 7},
    {"setext heading repeats title", "---\ntitle: Notes\n---\nNotes\n"
     "=====\nx", "Notes\n\nx", "Notes", NULL, TROUVE_LANG_UNKNOWN, 4, 6},
    {"heading says more: title added", "---\ntitle: Notes\n---\n"
     "# Notes de r\xC3\xA9union\n", "Notes\n\nNotes de r\xC3\xA9union\n",
     "Notes", NULL, TROUVE_LANG_UNKNOWN, 2, 4},
    {"accents folded: not added", "---\ntitle: \"R\xC3\xA9union d'\xC3\xA9t"
     "\xC3\xA9\"\n---\n# reunion d\xE2\x80\x99" "ete\nx",
     "reunion d\xE2\x80\x99" "ete\nx", "R\xC3\xA9union d'\xC3\xA9t\xC3\xA9",
     NULL, TROUVE_LANG_UNKNOWN, 4, 5},
    {"only a title", "---\ntitle: T\n---\n", "T", "T", NULL,
     TROUVE_LANG_UNKNOWN, 2, 2},
};

static void test_front_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(front_rows); i++) {
        post_text_t p;
        parse_md(front_rows[i].md, strlen(front_rows[i].md), &p);
        const char *tn = front_rows[i].tn;
        if (strcmp(p.text, front_rows[i].text) != 0)
            fail_msg("%s: text [%s], want [%s]", tn, p.text,
                     front_rows[i].text);
        const char *t = front_rows[i].title, *d = front_rows[i].date;
        if ((t == NULL) != (p.title == NULL) || (t && strcmp(t, p.title)))
            fail_msg("%s: title [%s]", tn, p.title ? p.title : "(null)");
        if ((d == NULL) != (p.date == NULL) || (d && strcmp(d, p.date)))
            fail_msg("%s: date [%s]", tn, p.date ? p.date : "(null)");
        if (post_lang_at(&p, 0) != front_rows[i].lang ||
            post_lang_at(&p, p.len) != front_rows[i].lang)
            fail_msg("%s: lang %d", tn, post_lang_at(&p, 0));
        if (post_line_at(&p, 0) != front_rows[i].first_line)
            fail_msg("%s: first line %u, want %u", tn, post_line_at(&p, 0),
                     front_rows[i].first_line);
        uint32_t last = post_line_at(&p, p.len - 1);
        if (last != front_rows[i].last_line)
            fail_msg("%s: last line %u, want %u", tn, last,
                     front_rows[i].last_line);
        post_text_free(&p);
    }
}

/* After front matter every later line maps 1:1. */
static void test_lines_after_front_matter(void **state)
{
    (void)state;
    const char *md = "---\ntitle: T\n---\n# Head\n\npara *one*\n\n```\ncode"
                     "\n```\nlast";
    post_text_t p;
    parse_md(md, strlen(md), &p);
    static const struct {
        const char *word;
        uint32_t line;
    } want[] = {{"Head", 4}, {"para", 6}, {"code", 9}, {"last", 11}};
    for (size_t i = 0; i < COUNT(want); i++) {
        const char *w = strstr(p.text, want[i].word);
        assert_non_null(w);
        assert_int_equal(post_line_at(&p, (size_t)(w - p.text)),
                         want[i].line);
    }
    post_text_free(&p);
}

/* Hostile lines of ~1 MB built from a repeated unit: linear time. */
static const struct {
    const char *tn;
    const char *unit;
} hostile_rows[] = {
    {"open brackets", "["},
    {"bracket paren", "[a]("},
    {"images", "![a]((("},
    {"backtick runs", "`"},
    {"growing backtick runs", "` `` ``` ```` ````` `````` ``````` "},
    {"angles", "<a"},
    {"autolink-ish", "<http:"},
    {"comment opens", "<!-"},
    {"stars", "*_*_~~"},
    {"escapes", "\\"},
    {"entities", "&#x&am"},
    {"quotes", "> > > > "},
    {"fence-like", "```a```"},
    {"many lines", "# h\n- x\n"},
};

/* Builds hostile row i at about `target` bytes, extracts it and returns
 * the CPU seconds that took. */
static double hostile_row_time(size_t i, size_t target)
{
    size_t n;
    char *buf = unit_repeat("", hostile_rows[i].unit, "", target, &n);
    double t0 = cpu_seconds();
    post_text_t p;
    parse_md(buf, n, &p);
    double dt = cpu_seconds() - t0;
    if (p.len > n)
        fail_msg("%s: text longer than input", hostile_rows[i].tn);
    post_text_free(&p);
    free(buf);
    return dt;
}

static void test_hostile_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(hostile_rows); i++)
        check_linear(hostile_row_time, i, hostile_rows[i].tn, 256 << 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_rows),
        cmocka_unit_test(test_front_rows),
        cmocka_unit_test(test_lines_after_front_matter),
        cmocka_unit_test(test_hostile_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
