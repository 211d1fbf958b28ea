/*
 * test_html.c - html.c and entity.c through post_parse(POST_FORMAT_HTML):
 * the text a reader sees, the title, line numbers, lang marks, and
 * hostile input that must stay linear.  One row per case.
 */

#include "unit.h"
#include "text/post.h"
#include "text/extract.h"
#include "analysis/utf8.h"

static void parse_html(const char *html, size_t n, post_text_t *p)
{
    char why[128];
    trouve_skip_t rc = post_parse(html, n, POST_FORMAT_HTML, p, why,
                                  sizeof why);
    if (rc != TROUVE_SKIP_NONE)
        fail_msg("post_parse: %d %s", rc, why);
    if (!utf8_valid(p->text, p->len) || p->text[p->len] != '\0')
        fail_msg("text is not a valid C string");
}

/* {tn, html, expected text, expected title or NULL}. */
static const struct {
    const char *tn;
    const char *html;
    const char *text;
    const char *title;
} text_rows[] = {
    {"plain", "hello world", "hello world", "hello world"},
    {"tags removed", "<b>bold</b> and <i>it</i>", "bold and it",
     "bold and it"},
    {"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo", "one"},
    {"div and h2", "<div>a</div><h2>b</h2>c", "a\n\nb\n\nc", "a"},
    {"br line break", "a<br>b<br/>c", "a\nb\nc", "a"},
    {"two br paragraph", "a<br><br>b", "a\n\nb", "a"},
    {"li", "<ul><li>x</li><li>y</ul>", "x\n\ny", "x"},
    {"implied li end", "<ul><li>x<li>y</ul>", "x\n\ny", "x"},
    {"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td>"
     "</tr></table>", "a b\n\nc", "a b"},
    {"whitespace collapsed", "<p>  a \t b  </p>", "a b", "a b"},
    {"newline kept as one", "<p>a\n\n\n  b</p>", "a\nb", "a"},
    {"pre keeps spaces", "<pre>a  b\n  c</pre>", "a  b\n  c", "a b"},
    {"script dropped", "a<script>var x = '<p>no</p>';</script>b", "ab",
     "ab"},
    {"script case", "a<SCRIPT type=x>no</Script >b", "ab", "ab"},
    {"style dropped", "<style>p { color: red }</style>text", "text",
     "text"},
    {"noscript template", "<noscript>no</noscript>a<template><p>no</p>"
     "</template>", "a", "a"},
    {"iframe dropped", "a<iframe src=x>no</iframe>b", "ab", "ab"},
    {"comment dropped", "a<!-- <p>no</p> -->b", "ab", "ab"},
    {"unclosed comment", "a<!-- no", "a", "a"},
    {"cdata dropped", "a<![CDATA[ no ]]>b", "ab", "ab"},
    {"doctype and pi", "<!DOCTYPE html><?xml version='1.0'?>a", "a", "a"},
    /* the <title> opens the text, unless the text starts with it */
    {"title element", "<html><head><title> The  T&eacute;tle </title>"
     "</head><body><p>text</p></body></html>", "The Tétle\n\ntext",
     "The Tétle"},
    {"h1 as title", "<h1>First <em>one</em></h1><h1>second</h1>",
     "First one\n\nsecond", "First one"},
    {"title wins over h1", "<title>T</title><h1>H</h1>", "T\n\nH", "T"},
    {"h1 repeats title", "<title>Quokka  page</title><h1>QUOKKA <em>Page"
     "</em></h1><p>b</p>", "QUOKKA Page\n\nb", "Quokka page"},
    {"h1 over two lines repeats title", "<title>A long title</title>"
     "<h1>A long\ntitle</h1>b", "A long\ntitle\n\nb", "A long title"},
    {"h1 says more: title added", "<title>Quokka</title><h1>Quokka page"
     "</h1>", "Quokka\n\nQuokka page", "Quokka"},
    {"h1 not first: title added", "<title>Q</title><p>menu</p><h1>Q</h1>",
     "Q\n\nmenu\n\nQ", "Q"},
    {"accented title repeated", "<title>Caf&eacute; cr&egrave;me</title>"
     "<h1>CAF\xC3\x89 Cr\xC3\xA8me</h1>", "CAF\xC3\x89 Cr\xC3\xA8me",
     "Café crème"},
    {"title with accents and entities", "<title>R&eacute;union "
     "d&rsquo;&eacute;t&eacute;</title><p>x</p>",
     "R\xC3\xA9union d\xE2\x80\x99\xC3\xA9t\xC3\xA9\n\nx",
     "R\xC3\xA9union d\xE2\x80\x99\xC3\xA9t\xC3\xA9"},
    {"no title: text unchanged", "<h1>Quokka</h1><p>b</p>", "Quokka\n\nb",
     "Quokka"},
    {"only a title", "<title>Quokka</title>", "Quokka", "Quokka"},
    {"title without words", "<title>***</title><p>x</p>", "x", "***"},
    /* the blanks before the h1's text are trimmed away: its title must
     * not start inside the text that follows (found by fuzz_markup) */
    {"h1 after blanks in pre", "<pre>x\t\t\t\t<h1>\t\xe2\x80\xba</h1>",
     "x\n\n\t\xe2\x80\xba", "\xe2\x80\xba"},
    {"lt and amp", "a &lt; b &amp;&amp; c &gt; d", "a < b && c > d",
     "a < b && c > d"},
    {"named latin-1", "&eacute;&Eacute;&ccedil;&agrave;&oelig;&OElig;",
     "éÉçàœŒ", "éÉçàœŒ"},
    {"typographic", "&rsquo;&lsquo;&ldquo;&rdquo;&laquo;&raquo;&hellip;"
     "&ndash;&mdash;&euro;", "’‘“”«»…–—€", "’‘“”«»…–—€"},
    {"nbsp kept", "a&nbsp;b", "a\xC2\xA0" "b", "a b"},
    {"apos quot", "&apos;&quot;", "'\"", "'\""},
    {"legacy no semicolon", "&eacute &amp x", "é & x", "é & x"},
    {"non-legacy needs semicolon", "&hellip x", "&hellip x", "&hellip x"},
    {"unknown entity", "&bogus; &", "&bogus; &", "&bogus; &"},
    {"decimal", "&#233;&#8217;", "é’", "é’"},
    {"hex", "&#xE9;&#X2019;", "é’", "é’"},
    {"no semicolon numeric", "&#233 x", "é x", "é x"},
    {"esc kept", "a&#27;[2Jb", "a\x1B[2Jb", "a [2Jb"},
    {"cr ref is a space", "a&#13;b&#xD;c", "a b c", "a b c"},
    {"nul ref", "a&#0;b", "a\xEF\xBF\xBD" "b", "a\xEF\xBF\xBD" "b"},
    {"surrogate ref", "&#xD800;", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
    {"too big ref", "&#x110000;&#99999999999999;",
     "\xEF\xBF\xBD\xEF\xBF\xBD", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"cp1252 ref", "&#150;&#146;", "–’", "–’"},
    {"bare hash", "&#; &#x;", "&#; &#x;", "&#; &#x;"},
    {"lone lt", "a < b <3 c", "a < b <3 c", "a < b <3 c"},
    {"quoted gt in attr", "<a title=\"x > y\">link</a>", "link", "link"},
    {"unquoted attr", "<a href=x>link</a>", "link", "link"},
    {"unclosed tag at end", "text<a href=\"x", "text", "text"},
    {"unclosed quote", "a<p title='x>b</p>", "a", "a"},
    {"img dropped", "a<img src=x alt=y>b", "ab", "ab"},
    {"end tag alone", "a</p>b</div>c", "a\n\nb\n\nc", "a"},
    {"empty end tag", "a</>b", "ab", "ab"},
    {"empty", "", "", NULL},
    {"only markup", "<html><body></body></html>", "", NULL},
    {"svg title not first", "<title>A</title><svg><title>B</title></svg>x",
     "A\n\nx", "A"},
};

static void test_text_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(text_rows); i++) {
        post_text_t p;
        parse_html(text_rows[i].html, strlen(text_rows[i].html), &p);
        if (strcmp(p.text, text_rows[i].text) != 0)
            fail_msg("%s: text [%s], want [%s]", text_rows[i].tn, p.text,
                     text_rows[i].text);
        const char *want = text_rows[i].title;
        if ((want == NULL) != (p.title == NULL) ||
            (want && strcmp(want, p.title) != 0))
            fail_msg("%s: title [%s], want [%s]", text_rows[i].tn,
                     p.title ? p.title : "(null)", want ? want : "(null)");
        post_text_free(&p);
    }
}

/* Line numbers: {tn, html, a word, the line it is on in the file}. */
static const struct {
    const char *tn;
    const char *html;
    const char *word;
    uint32_t line;
} line_rows[] = {
    {"first line", "<p>alpha</p>", "alpha", 1},
    {"after head", "<html>\n<head>\n<title>t</title>\n</head>\n<body>\n"
     "<p>alpha</p>", "alpha", 6},
    {"title on its line", "<html>\n<head>\n<title>Quokka</title>\n</head>\n"
     "<p>alpha</p>", "Quokka", 3},
    {"title after text: the text's first line", "<p>alpha</p>\n\n"
     "<title>Quokka</title>", "Quokka", 1},
    {"title over lines: the tag's line",
     "<html>\n<title\n>Quokka\n</title>\n<p>alpha</p>",
     "Quokka", 2},
    {"paragraphs on one line", "<p>a</p><p>b</p><p>gamma</p>", "gamma", 1},
    {"inside a paragraph", "<p>one\ntwo\nthree</p>", "three", 3},
    {"after blank lines in a paragraph", "<p>one\n\n\n\nfive</p>", "five",
     5},
    {"after a comment", "<!--\n\n\n-->\n<p>delta</p>", "delta", 5},
    {"after a script", "<script>\n\n</script>\nepsilon", "epsilon", 4},
    {"multi-line tag", "<p\nclass=x\n>zeta</p>", "zeta", 3},
    {"in pre", "<pre>a\nb\neta</pre>", "eta", 3},
    {"after br", "a<br>\nb<br>\ntheta", "theta", 3},
};

static void test_line_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(line_rows); i++) {
        post_text_t p;
        parse_html(line_rows[i].html, strlen(line_rows[i].html), &p);
        const char *w = strstr(p.text, line_rows[i].word);
        if (!w)
            fail_msg("%s: no [%s] in [%s]", line_rows[i].tn,
                     line_rows[i].word, p.text);
        uint32_t line = post_line_at(&p, (size_t)(w - p.text));
        if (line != line_rows[i].line)
            fail_msg("%s: line %u, want %u", line_rows[i].tn, line,
                     line_rows[i].line);
        post_text_free(&p);
    }
}

/* Languages: {tn, html, a word, its declared language}. */
static const struct {
    const char *tn;
    const char *html;
    const char *word;
    trouve_lang_t lang;
} lang_rows[] = {
    {"none", "<p>alpha</p>", "alpha", TROUVE_LANG_UNKNOWN},
    {"html lang", "<html lang=\"fr\"><p>alpha</p></html>", "alpha",
     TROUVE_LANG_FR},
    {"region subtag", "<html lang='en-CA'><p>alpha</p>", "alpha",
     TROUVE_LANG_EN},
    {"element lang", "<html lang=en><p>one</p><p lang=fr>deux</p>"
     "<p>three</p>", "deux", TROUVE_LANG_FR},
    {"popped after element", "<html lang=en><p>one</p><p lang=fr>deux</p>"
     "<p>three</p>", "three", TROUVE_LANG_EN},
    {"before element", "<html lang=en><p>one</p><p lang=fr>deux</p>",
     "one", TROUVE_LANG_EN},
    {"nested same name", "<div lang=fr><div>un</div>deux</div>trois",
     "deux", TROUVE_LANG_FR},
    {"nested same name closed", "<div lang=fr><div>un</div>deux</div>"
     "trois", "trois", TROUVE_LANG_UNKNOWN},
    {"implied p end", "<div lang=fr><p lang=en>one<p>deux</div>", "deux",
     TROUVE_LANG_FR},
    {"xml:lang", "<html xml:lang=\"fr\"><body>alpha</body></html>",
     "alpha", TROUVE_LANG_FR},
    {"span inline", "<p lang=en>one <span lang=fr>deux</span> three</p>",
     "three", TROUVE_LANG_EN},
    {"empty lang", "<html lang=fr><p lang=\"\">alpha</p></html>", "alpha",
     TROUVE_LANG_UNKNOWN},
    /* the title passage: the language in force at <title> */
    {"title in html lang", "<html lang=fr><head><title>Titre</title></head>"
     "<body lang=en><p>alpha</p>", "Titre", TROUVE_LANG_FR},
    {"text after title", "<html lang=fr><head><title>Titre</title></head>"
     "<body lang=en><p>alpha</p>", "alpha", TROUVE_LANG_EN},
    {"title's own lang", "<title lang=fr>Titre</title><p>alpha</p>",
     "Titre", TROUVE_LANG_FR},
    {"title's lang ends", "<title lang=fr>Titre</title><p>alpha</p>",
     "alpha", TROUVE_LANG_UNKNOWN},
};

static void test_lang_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(lang_rows); i++) {
        post_text_t p;
        parse_html(lang_rows[i].html, strlen(lang_rows[i].html), &p);
        const char *w = strstr(p.text, lang_rows[i].word);
        if (!w)
            fail_msg("%s: no [%s] in [%s]", lang_rows[i].tn,
                     lang_rows[i].word, p.text);
        trouve_lang_t l = post_lang_at(&p, (size_t)(w - p.text));
        if (l != lang_rows[i].lang)
            fail_msg("%s: lang %d, want %d", lang_rows[i].tn, l,
                     lang_rows[i].lang);
        for (size_t k = 1; k < p.nlangs; k++)
            if (p.langs[k].offset <= p.langs[k - 1].offset)
                fail_msg("%s: marks not sorted", lang_rows[i].tn);
        post_text_free(&p);
    }
}

static void test_entity_table_sorted(void **state)
{
    (void)state;
    assert_int_equal(html_entity_table_sorted(), 1);
}

/* Hostile input, ~1 MB each: built from a unit repeated; must parse in
 * well under a second (a quadratic parser would take minutes). */
static const struct {
    const char *tn;
    const char *prefix;
    const char *unit;
    const char *suffix;
} hostile_rows[] = {
    {"unclosed tags", "", "<a", ""},
    {"lt runs", "", "<<<<x", ""},
    {"huge attribute", "<p title=\"", "aaaaaaaaaa", "\">end"},
    {"huge unclosed attribute", "<p title=\"", "aaaaaaaaaa", ""},
    {"deep nesting", "", "<div lang=fr>", "x"},
    {"deep inline nesting", "", "<span>", "x"},
    {"many unmatched end tags", "<div><div><div>", "</b>", ""},
    {"unclosed comments", "", "<!--", ""},
    {"unclosed scripts", "", "<script>", ""},
    {"entity fragments", "", "&#x&#&amp", ""},
    {"long entity name", "&", "abcdefghij", ";"},
    {"many paragraphs", "", "<p>a</p>", ""},
    {"many brs", "", "<br>", ""},
    {"many end scripts", "<script>", "</scrip", ""},
};

/* Builds hostile row i at about `target` bytes, extracts it and returns
 * the CPU seconds that took. */
static double hostile_row_time(size_t i, size_t target)
{
    size_t n;
    char *buf = unit_repeat(hostile_rows[i].prefix, hostile_rows[i].unit,
                            hostile_rows[i].suffix, target, &n);
    double t0 = cpu_seconds();
    post_text_t p;
    parse_html(buf, n, &p);
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
        cmocka_unit_test(test_line_rows),
        cmocka_unit_test(test_lang_rows),
        cmocka_unit_test(test_entity_table_sorted),
        cmocka_unit_test(test_hostile_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
