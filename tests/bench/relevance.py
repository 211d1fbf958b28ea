#!/usr/bin/env python3
# Copied unchanged from shared/bench/relevance.py (the tests must not reach outside the repository).
"""Runs known-item queries (from make-relevance.py) against trouve and its peers.
usage: relevance.py EVALDIR WORKDIR SYSTEM...   SYSTEM in fts5, fts5porter, recoll, omega, project
Prints success@1, success@10 and MRR@10 per system and query variant."""
import os, re, subprocess, sys, sqlite3, json, collections
ev, work, systems = sys.argv[1], sys.argv[2], sys.argv[3:]
corpus = os.path.join(ev, "corpus")
# indexes are cached per corpus, so one WORKDIR can serve several sets
import hashlib
work = os.path.join(work, hashlib.md5(os.path.abspath(corpus).encode()).hexdigest()[:8])
os.makedirs(work, exist_ok=True)
queries = [l.rstrip("\n").split("\t") for l in open(os.path.join(ev, "queries.tsv"), encoding="utf-8")]
# a description shared by several pages: each of them is a right answer
by_text = collections.defaultdict(set)
for qid, var, target, text in queries:
    by_text[(var, text.lower())].add(target)
words = re.compile(r"\w+", re.U)

def fts5(tok):
    db = os.path.join(work, f"fts5-{tok.split()[0]}.db")
    if not os.path.exists(db):
        c = sqlite3.connect(db)
        c.execute(f"CREATE VIRTUAL TABLE posts USING fts5(path UNINDEXED, body, tokenize='{tok}')")
        for root, _, fs in os.walk(corpus):
            for f in fs:
                p = os.path.join(root, f)
                c.execute("INSERT INTO posts VALUES (?,?)", (os.path.relpath(p, corpus), open(p, encoding="utf-8").read()))
        c.commit(); c.close()
    c = sqlite3.connect(db)
    def run(q):
        ts = words.findall(q)
        if not ts: return []
        m = " OR ".join('"%s"' % t for t in ts)
        return [r[0] for r in c.execute("SELECT path FROM posts WHERE posts MATCH ? ORDER BY bm25(posts) LIMIT 10", (m,))]
    return run

def recoll():
    conf = os.path.join(work, "recoll")
    if not os.path.exists(conf):
        os.makedirs(conf)
        open(os.path.join(conf, "recoll.conf"), "w").write(f"topdirs = {corpus}\nindexstemminglanguages = english french\n")
        subprocess.run(["recollindex", "-c", conf], check=True, capture_output=True)
    def run(q):
        q = " ".join(words.findall(q))
        r = subprocess.run(["recollq", "-c", conf, "-o", "-b", "-n", "10", q], capture_output=True, text=True)
        return [os.path.relpath(u[len("file://"):], corpus) for u in r.stdout.split() if u.startswith("file://")]
    return run

def omega():
    db = os.path.join(work, "omega.db")
    if not os.path.exists(db):
        subprocess.run(["omindex", "--db", db, "--url", "/", corpus], check=True, capture_output=True)
    def run(q):
        q = " ".join(words.findall(q))
        r = subprocess.run(["quest", "-d", db, "-m", "10", "-s", "english", q], capture_output=True, text=True)
        return [m.group(1).lstrip("/") for m in re.finditer(r"url=(\S+)", r.stdout)]
    return run

def project():
    """the project's CLI: `trouve index` then `trouve search --json`; one JSON object per hit
    with at least "path" (relative to the indexed folder or absolute)."""
    exe = os.environ.get("TROUVE", "build/trouve")
    idx = os.path.join(work, "trouve.idx")
    if not os.path.exists(idx):
        subprocess.run([exe, "index", "--index", idx, corpus], check=True, capture_output=True)
    def run(q):
        r = subprocess.run([exe, "search", "--index", idx, "--json", "--per-post", "1", "-n", "10", "--any", "--", q],
                           capture_output=True, text=True)
        out = []
        for ln in r.stdout.splitlines():
            try: p = json.loads(ln)["path"]
            except Exception: continue
            p = os.path.relpath(p, corpus) if os.path.isabs(p) else p
            if p not in out: out.append(p)
        return out[:10]
    return run

makers = {"fts5": lambda: fts5("unicode61 remove_diacritics 2"),
          "fts5porter": lambda: fts5("porter unicode61 remove_diacritics 2"),
          "recoll": recoll, "omega": omega, "project": project}
for s in systems:
    run = makers[s]()
    stat = collections.defaultdict(lambda: [0, 0, 0.0, 0])
    for qid, var, target, text in queries:
        got = run(text)
        good = by_text[(var, text.lower())]
        st = stat[var]; st[3] += 1
        for i, p in enumerate(got[:10]):
            if p in good:
                st[0] += i == 0; st[1] += 1; st[2] += 1 / (i + 1); break
    for var, (s1, s10, mrr, n) in sorted(stat.items()):
        print(f"{s:11s} {var:12s} n={n} success@1={s1/n:.3f} success@10={s10/n:.3f} MRR@10={mrr/n:.3f}", flush=True)
