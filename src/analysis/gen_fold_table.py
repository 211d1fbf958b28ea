#!/usr/bin/env python3
"""gen_fold_table.py - generates src/analysis/fold_table.c from Unicode data.

    make fold-table
    (python3 src/analysis/gen_fold_table.py > src/analysis/fold_table.c)

Reads Debian's unicode-data files (/usr/share/unicode, or the folder given
as the only argument) and prints the C tables that fold.c and token.c use:
per code point its character class, its folded UTF-8 form and its lowercase
UTF-8 form, plus the canonical compositions token.c needs to recompose a
lowercase word typed with combining accents.  Standard library only; the
output depends only on the data files (reruns are byte-identical).

Per code point:

  class   (fold.h char_class_t), first match wins:
          CC_SPACE       White_Space (U+00A0 and U+202F included);
          CC_APOSTROPHE  U+0027 ' U+2019 ' U+02BC modifier letter apostrophe,
                         U+2018 ' and U+FF07 fullwidth apostrophe.  U+02B9
                         MODIFIER LETTER PRIME is NOT one: it is a prime
                         (transliterated Cyrillic soft sign), a letter (Lm);
          CC_SEPARATOR   U+200B ZERO WIDTH SPACE: Default_Ignorable, but it
                         exists to mark a word boundary (UAX #29 breaks there);
          CC_MARK        Default_Ignorable_Code_Point (soft hyphen, ZWJ,
                         ZWNJ, word joiner, BOM...) and M*: they join words;
          CC_WORD        L* and N*, except letters whose fold is empty (the
                         isolated Arabic harakat forms), which are CC_MARK;
          CC_SEPARATOR   everything else.
  folded  full case folding (C+F), full compatibility decomposition
          (recursive; Hangul syllables are left whole), combining marks
          dropped, case folding again, repeated to a fixed point; then the
          Latin letters that still are not ASCII are mapped to the letters
          their Unicode name spells (o with stroke -> o, dotless i -> i,
          ligature oe -> oe, letter ae -> ae, small capital r -> r), with a
          short explicit list for the few no name gives (SPECIAL below).
          Apostrophes fold to ASCII '; Default_Ignorables and marks to "".
          A CC_WORD character keeps only letters, digits and apostrophes in
          its fold (ŀ -> l, not l·; ⑴ -> 1).
  lower   full case folding (C+F) alone, accents kept; apostrophes -> ',
          Default_Ignorables -> "".
  numeric N* characters that are Nd or fold to ASCII digits only (², ①):
          words made only of them are numbers (TOKEN_NONWORD).

Layout of the output (fold_table.h has the lookup):

  fold_top[cp >> 10]               middle block number (uint8_t)
  fold_mid[mid << 6 | ...]         leaf block number (uint16_t)
  fold_leaf[leaf << 4 | cp & 15]   record number (uint16_t); middle and leaf
                                   blocks are deduplicated
  fold_records[record]             class | numeric flag, and offset/length
                                   of the folded and lowercase forms in
                                   fold_pool; length FOLD_SELF (255) means
                                   "the code point's own UTF-8"
  fold_pool                        all the replacement strings (UTF-8 bytes)
  fold_compositions                sorted (base, mark, composed) triples of
                                   lowercase canonical compositions
"""

import os
import re
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
MAX_CP = 0x110000
FOLD_MAX = 18          # fold.h: the longest UTF-8 form of one code point
SELF = 0xFF            # length meaning "the code point itself"
# Block sizes of the three-stage lookup, as in fold_table.h (FOLD_LEAF_SHIFT,
# FOLD_MID_SHIFT): the pair that gave the smallest source for Unicode 15.
LEAF_SHIFT = 4
MID_SHIFT = 6

CC_SEPARATOR, CC_WORD, CC_MARK, CC_APOSTROPHE, CC_SPACE = range(5)
NUMERIC_FLAG = 0x08

APOSTROPHES = [0x0027, 0x2018, 0x2019, 0x02BC, 0xFF07]
WORD_BREAK_IGNORABLES = [0x200B]   # ZERO WIDTH SPACE: separates words

# Latin letters whose name spells no base letter: the usual transliteration
# (as ICU's Latin-ASCII does).
SPECIAL = {
    0x00FE: "th",   # þ LATIN SMALL LETTER THORN
    0x00F0: "d",    # ð LATIN SMALL LETTER ETH
    0x014B: "n",    # ŋ LATIN SMALL LETTER ENG
    0x0138: "q",    # ĸ LATIN SMALL LETTER KRA (Greenlandic, now q)
}

# "LATIN SMALL LETTER O WITH STROKE" -> o, "LATIN SMALL LIGATURE OE" -> oe,
# "LATIN SMALL LETTER DOTLESS I" -> i, "LATIN LETTER SMALL CAPITAL R" -> r,
# "LATIN SMALL LETTER DZ DIGRAPH" -> dz.  Other adjectives (TURNED, REVERSED,
# SCRIPT, OPEN...) name phonetic letters of their own: left alone.
LATIN_NAME = re.compile(
    r"^LATIN (?:SMALL |CAPITAL )?(?:LETTER|LIGATURE) "
    r"(?:SMALL CAPITAL |DOTLESS )?([A-Z]{1,2})(?: WITH .*| DIGRAPH)?$")


def path(name):
    return os.path.join(DATA, name)


def read_lines(name):
    with open(path(name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def code_range(field):
    if ".." in field:
        a, b = field.split("..")
        return range(int(a, 16), int(b, 16) + 1)
    return range(int(field, 16), int(field, 16) + 1)


def read_unicode_data():
    """General category, name and decomposition of each code point, and
    the set of those whose decomposition is canonical (no <tag>)."""
    category, name, decomp, canonical = {}, {}, {}, set()
    first = None
    with open(path("UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            if fields[1].endswith(", First>"):
                first = cp
                continue
            if fields[1].endswith(", Last>"):
                for c in range(first, cp + 1):
                    category[c] = fields[2]
                continue
            category[cp] = fields[2]
            name[cp] = fields[1]
            if fields[5]:
                parts = fields[5].split()
                if parts[0].startswith("<"):
                    parts = parts[1:]
                else:
                    canonical.add(cp)
                decomp[cp] = [int(p, 16) for p in parts]
    return category, name, decomp, canonical


def read_property(name, prop):
    cps = set()
    for fields in read_lines(name):
        if fields[1] == prop:
            cps.update(code_range(fields[0]))
    return cps


def read_case_folding():
    fold = {}
    for fields in read_lines("CaseFolding.txt"):
        if fields[1] in ("C", "F"):
            fold[int(fields[0], 16)] = [int(p, 16) for p in fields[2].split()]
    return fold


category, names, decomps, canonical = read_unicode_data()
casefolding = read_case_folding()
white_space = read_property("PropList.txt", "White_Space")
ignorable = read_property("DerivedCoreProperties.txt",
                          "Default_Ignorable_Code_Point")
composition_exclusions = read_property("DerivedNormalizationProps.txt",
                                       "Full_Composition_Exclusion")


def is_mark(cp):
    return category.get(cp, "Cn").startswith("M")


def is_word(cp):
    return category.get(cp, "Cn")[0] in "LN"


def casefold(seq):
    out = []
    for cp in seq:
        out.extend(casefolding.get(cp, [cp]))
    return out


def nfkd(seq):
    out = []
    for cp in seq:
        if cp in decomps:
            out.extend(nfkd(decomps[cp]))
        else:
            out.append(cp)
    return out


def latin_base(cp):
    """The ASCII letters a Latin letter stands for, or None."""
    if cp < 0x80 or not category.get(cp, "Cn").startswith("L"):
        return None
    if cp in SPECIAL:
        return [ord(c) for c in SPECIAL[cp]]
    m = LATIN_NAME.match(names.get(cp, ""))
    if m:
        return [ord(c) for c in m.group(1).lower()]
    return None


def fold_sequence(cp):
    seq = casefold([cp])
    for _ in range(10):
        nxt = casefold([c for c in nfkd(seq) if not is_mark(c)])
        mapped = []
        for c in nxt:
            base = latin_base(c)
            mapped.extend(base if base is not None else [c])
        if mapped == seq:
            break
        seq = mapped
    else:
        raise SystemExit("no fixed point folding U+%04X" % cp)
    out = []
    for c in seq:
        if c in APOSTROPHES:
            out.append(0x27)
        elif c not in ignorable and not is_mark(c):
            out.append(c)
    return out


def lower_sequence(cp):
    out = []
    for c in casefold([cp]):
        if c in APOSTROPHES:
            out.append(0x27)
        elif c not in ignorable:
            out.append(c)
    return out


def utf8(seq):
    return "".join(chr(c) for c in seq).encode("utf-8")


def describe(cp):
    """(flags, folded bytes or None for self, lower bytes or None)."""
    if cp not in category or 0xD800 <= cp <= 0xDFFF:
        return CC_SEPARATOR, None, None   # unassigned, surrogates
    own = [cp]
    folded = fold_sequence(cp)
    lower = lower_sequence(cp)
    numeric = False
    if cp in white_space:
        cls = CC_SPACE
    elif cp in APOSTROPHES:
        cls = CC_APOSTROPHE
    elif cp in WORD_BREAK_IGNORABLES:
        cls = CC_SEPARATOR
        folded = lower = []
    elif cp in ignorable:
        cls = CC_MARK
        folded = lower = []
    elif is_mark(cp):
        cls = CC_MARK
        folded = []
    elif is_word(cp):
        cls = CC_WORD
        folded = [c for c in folded if is_word(c) or c == 0x27]
        if not folded:
            cls = CC_MARK    # isolated harakat: a spacing accent, no letter
        elif category[cp].startswith("N"):
            numeric = (category[cp] == "Nd" or
                       all(0x30 <= c <= 0x39 for c in folded))
    else:
        cls = CC_SEPARATOR
    if len(utf8(folded)) > FOLD_MAX:
        folded = own     # U+FDFA, U+FDFB: whole Arabic phrases; kept whole
    f = None if folded == own else utf8(folded)
    lo = None if lower == own else utf8(lower)
    if lo is not None and len(lo) > FOLD_MAX:
        raise SystemExit("U+%04X lowers to %d bytes" % (cp, len(lo)))
    return cls | (NUMERIC_FLAG if numeric else 0), f, lo


def check_idempotent(table):
    """Folding a folded string changes nothing: fold(fold(x)) == fold(x)."""
    for cp in range(MAX_CP):
        f = table[cp][1]
        if f is None:
            continue
        for ch in f.decode("utf-8"):
            g = table[ord(ch)][1]
            if g is not None and g != ch.encode("utf-8"):
                raise SystemExit("fold of U+%04X not idempotent at U+%04X"
                                 % (cp, ord(ch)))


def compositions():
    """Lowercase canonical compositions (base, mark, composed), sorted."""
    triples = []
    for cp in sorted(canonical):
        d = decomps[cp]
        if (len(d) == 2 and cp not in composition_exclusions
                and is_mark(d[1]) and casefold([cp]) == [cp]):
            triples.append((d[0], d[1], cp))
    triples.sort()
    return triples


def deduplicate(values, size):
    """values cut in blocks of size: (distinct blocks, block number of each)."""
    block_of, blocks, index = {}, [], []
    for start in range(0, len(values), size):
        b = tuple(values[start:start + size])
        n = block_of.get(b)
        if n is None:
            n = block_of[b] = len(blocks)
            blocks.append(b)
        index.append(n)
    return blocks, index


class Pool:
    """One byte array holding every replacement, each stored once."""

    def __init__(self):
        self.data = bytearray()

    def add(self, s):
        i = self.data.find(s)
        if i < 0:
            i = len(self.data)
            self.data += s
        return i


def number_lines(values, indent="    ", width=78):
    lines, cur = [], indent
    for v in values:
        piece = "%d," % v
        if len(cur) + len(piece) > width:
            lines.append(cur.rstrip())
            cur = indent
        cur += piece
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def main():
    table = [describe(cp) for cp in range(MAX_CP)]
    check_idempotent(table)

    # records: (flags, folded, lower), numbered by first appearance
    record_of, records = {}, []
    per_cp = []
    for entry in table:
        r = record_of.get(entry)
        if r is None:
            r = record_of[entry] = len(records)
            records.append(entry)
        per_cp.append(r)
    if len(records) > 0xFFFF:
        raise SystemExit("too many records")

    # records used most get the smallest numbers (shorter source)
    uses = [0] * len(records)
    for r in per_cp:
        uses[r] += 1
    order = sorted(range(len(records)), key=lambda r: (-uses[r], r))
    renumber = [0] * len(records)
    for new, old in enumerate(order):
        renumber[old] = new
    records = [records[old] for old in order]
    per_cp = [renumber[r] for r in per_cp]

    leaves, leaf_ids = deduplicate(per_cp, 1 << LEAF_SHIFT)
    mids, top = deduplicate(leaf_ids, 1 << MID_SHIFT)
    if len(mids) > 256 or len(leaves) > 0xFFFF:
        raise SystemExit("blocks do not fit: change the shifts")

    pool = Pool()
    # longest strings first, so shorter ones are found inside them
    strings = sorted({s for _, f, lo in records for s in (f, lo)
                      if s is not None}, key=lambda s: (-len(s), s))
    offset = {s: pool.add(s) for s in strings}
    if len(pool.data) > 0xFFFF:
        raise SystemExit("pool too large for uint16_t offsets")

    comps = compositions()

    out = []
    w = out.append
    w("/*")
    w(" * fold_table.c - GENERATED by src/analysis/gen_fold_table.py from")
    w(" * Debian's unicode-data (/usr/share/unicode); do not edit by hand.")
    w(" * Regenerate with `make fold-table`, which runs")
    w(" *     python3 src/analysis/gen_fold_table.py > src/analysis/fold_table.c")
    w(" *")
    w(" * Per code point: its class, folded and lowercase UTF-8 forms; the")
    w(" * rules are described in gen_fold_table.py, the layout in")
    w(" * fold_table.h.  %d records, %d leaf blocks, %d middle blocks, a"
      % (len(records), len(leaves), len(mids)))
    w(" * pool of %d bytes, %d compositions." % (len(pool.data), len(comps)))
    w(" */")
    w('#include "fold_table.h"')
    w("")
    w("#if FOLD_LEAF_SHIFT != %d || FOLD_MID_SHIFT != %d" %
      (LEAF_SHIFT, MID_SHIFT))
    w("#error fold_table.h and gen_fold_table.py disagree on the block sizes")
    w("#endif")
    w("")
    w("const uint8_t fold_top[0x110000 >> (FOLD_LEAF_SHIFT + FOLD_MID_SHIFT)] = {")
    out.extend(number_lines(top))
    w("};")
    w("")
    w("const uint16_t fold_mid[%d << FOLD_MID_SHIFT] = {" % len(mids))
    for m in mids:
        out.extend(number_lines(m))
    w("};")
    w("")
    w("const uint16_t fold_leaf[%d << FOLD_LEAF_SHIFT] = {" % len(leaves))
    for leaf in leaves:
        out.extend(number_lines(leaf))
    w("};")
    w("")
    w("/* { flags, fold_len, lower_len, fold, lower } */")
    w("const fold_record_t fold_records[%d] = {" % len(records))
    recs = []
    for flags, f, lo in records:
        recs.append("{%d,%d,%d,%d,%d}," % (
            flags,
            SELF if f is None else len(f),
            SELF if lo is None else len(lo),
            0 if f is None else offset[f],
            0 if lo is None else offset[lo]))
    line = "   "
    for r in recs:
        if len(line) + len(r) + 1 > 78:
            w(line)
            line = "   "
        line += " " + r
    w(line)
    w("};")
    w("")
    # bytes, not a string literal: C11 only promises 4095-byte literals
    w("const unsigned char fold_pool[%d] = {" % len(pool.data))
    out.extend(number_lines(pool.data))
    w("};")
    w("")
    w("const size_t fold_composition_count = %d;" % len(comps))
    w("")
    w("const fold_composition_t fold_compositions[%d] = {" % len(comps))
    line = "   "
    for a, m, c in comps:
        piece = " {0x%X,0x%X,0x%X}," % (a, m, c)
        if len(line) + len(piece) > 78:
            w(line)
            line = "   "
        line += piece
    w(line)
    w("};")
    sys.stdout.write("\n".join(out) + "\n")


main()
