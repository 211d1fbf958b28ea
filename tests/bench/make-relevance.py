#!/usr/bin/env python3
# Copied unchanged from shared/bench/make-relevance.py (the tests must not reach outside the repository).
"""Known-item relevance set for trouve.
From a corpus made by shared/bench/make-corpus.sh, writes OUT/corpus/ (each post with
its NAME and NOM sections removed) and OUT/queries.tsv: qid, variant, target, query.
The query is the page's own one-line description, which is no longer in the text:
a known-item search, as a reader who remembers what a post was about would type it."""
import os, re, sys, unicodedata
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out + "/corpus", exist_ok=True)
head = re.compile(r"^[A-ZÉÈÀÙÂÊÎÔÛÇ][A-ZÉÈÀÙÂÊÎÔÛÇ0-9 '’-]*$")
def cut(lines, name):
    """remove section `name`, return (lines, description)"""
    out, desc, skip = [], None, False
    for ln in lines:
        if ln.strip() == name and not ln.startswith(" "):
            skip, desc = True, []
            continue
        if skip and head.match(ln) and not ln.startswith(" "):
            skip = False
        if skip:
            desc.append(ln.strip())
        else:
            out.append(ln)
    d = " ".join(x for x in (desc or []) if x)
    m = re.split(r"\s[-—–]\s", d, maxsplit=1)
    return out, (m[1].strip() if len(m) == 2 else None)
def noacc(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
rows = []
SECTIONS = ("man1", "man8")  # queries come from these sections only
for root, _, files in os.walk(src):
    for f in sorted(files):
        if not f.endswith(".txt"):
            continue
        p = os.path.join(root, f)
        rel = os.path.relpath(p, src)
        text = open(p, encoding="utf-8", errors="replace").read()
        if "\nVersion française\n" not in text:
            continue
        en, fr = text.split("\nVersion française\n", 1)
        en_l, qen = cut(en.split("\n"), "NAME")
        fr_l, qfr = cut(fr.split("\n"), "NOM")
        if not qen or not qfr:
            continue
        dst = os.path.join(out, "corpus", rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "w", encoding="utf-8").write("\n".join(en_l) + "\nVersion française\n" + "\n".join(fr_l))
        if rel.split(os.sep)[0] in SECTIONS:
            rows.append((rel, qen, qfr))
# a description shared by several pages makes every one of them a right answer
with open(out + "/queries.tsv", "w", encoding="utf-8") as q:
    for i, (rel, qen, qfr) in enumerate(rows):
        for var, text in (("en", qen), ("fr", qfr), ("fr-noaccent", noacc(qfr).lower())):
            text = re.sub(r"[\t\n\"]", " ", text)
            q.write(f"{i}\t{var}\t{rel}\t{text}\n")
print(f"{len(rows)} posts, {3*len(rows)} queries -> {out}")
