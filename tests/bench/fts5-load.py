#!/usr/bin/env python3
# The SQLite FTS5 bulk load of tests/bench/run.sh, done through Python's sqlite3
# module (the other way it measures is the sqlite3 CLI with readfile()).
# usage: fts5-load.py CORPUS DB   (DB must not exist)
import os, sqlite3, sys
corpus, db = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
c.execute("CREATE VIRTUAL TABLE posts USING fts5(path UNINDEXED, body, "
          "tokenize='unicode61 remove_diacritics 2')")
with c:  # one transaction
    for root, _, files in os.walk(corpus):
        for f in sorted(files):
            if not f.endswith(".txt"):
                continue
            p = os.path.join(root, f)
            with open(p, encoding="utf-8", errors="replace") as fh:
                c.execute("INSERT INTO posts VALUES (?,?)", (os.path.relpath(p, corpus), fh.read()))
c.close()
