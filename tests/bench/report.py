#!/usr/bin/env python3
"""Tables (and JSON) for tests/bench/run.sh, from the raw data it leaves in RUNDIR.
usage: report.py header RUNDIR
       report.py progress N/M LANG QUERY (SYSTEM HITS HYPERFINE_JSON)...
       report.py report RUNDIR [JSON_OUT]"""
import json, math, os, statistics, sys

LABEL = {
    "trouve": "trouve index",
    "trouve-20m": "trouve index, 20 MB corpus",
    "bare": "bare Xapian write (floor)",
    "fts5-cli": "fts5: sqlite3 CLI, readfile()",
    "fts5-py": "fts5: python3 sqlite3 module",
    "recoll": "recoll: recollindex",
    "omega": "omega: omindex",
}
QLABEL = {
    "trouve": "trouve search",
    "fts5": "fts5: sqlite3 CLI",
    "recoll": "recoll: recollq",
    "recoll-snip": "recoll: recollq -A -g 1",
    "omega": "omega: quest -o and",
}


def tsv(path, header=False):
    if not os.path.exists(path):
        return []
    rows = [ln.rstrip("\n").split("\t") for ln in open(path, encoding="utf-8") if ln.strip()]
    if header and rows:
        keys = rows[0]
        return [dict(zip(keys, r)) for r in rows[1:]]
    return rows


def meta_of(rundir):
    m = {}
    for r in tsv(os.path.join(rundir, "meta.tsv")):
        m[r[0]] = r[1] if len(r) > 1 else ""
    return m


def p99(xs):
    """nearest-rank 99th percentile (with 30 runs it is the slowest run)"""
    s = sorted(xs)
    return s[max(0, math.ceil(0.99 * len(s)) - 1)]


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def fx(v, fmt="{:.2f}"):
    return "—" if v is None else fmt.format(v)


def header(rundir):
    m = meta_of(rundir)
    print(f"trouve benchmark, {m.get('date', '')}")
    print(f"machine: {m.get('nproc')} cores, {m.get('cpu')}, {m.get('mem')} RAM; {m.get('os')}")
    print(f"load average at start: {m.get('load_start')}")
    print("versions:")
    print(f"corpus scale: {m.get('scale', '20m')}")
    for k in ("v_trouve", "v_bare", "v_sqlite3", "v_python3", "v_recoll", "v_omindex", "v_quest", "v_hyperfine"):
        if k in m:
            print(f"  {k[2:]:10s} {m[k]}")
    for k, v in sorted(m.items()):
        if k.startswith("skip_"):
            print(f"  {k[5:]}: not measured ({v})")
    sys.stdout.flush()


def progress(args):
    n, lang, q = args[:3]
    parts = []
    rest = args[3:]
    for i in range(0, len(rest), 3):
        s, hits, js = rest[i:i + 3]
        try:
            mean = json.load(open(js))["results"][0]["mean"] * 1000
            parts.append(f"{s} {mean:.1f} ms/{hits}h")
        except Exception:
            parts.append(f"{s} ?")
    print(f"  [{n:>5s}] {lang} {len(q.split())}w {q!r:28s} " + ", ".join(parts), flush=True)


def report(rundir, json_out=None):
    m = meta_of(rundir)
    cbytes = int(m.get("corpus_bytes") or 0)
    out = {"machine": {k: m.get(k) for k in ("date", "nproc", "cpu", "mem", "os", "load_start", "load_end")},
           "versions": {k[2:]: v for k, v in m.items() if k.startswith("v_")},
           "not_measured": {k[5:]: v for k, v in m.items() if k.startswith("skip_")},
           "corpus": {"path": m.get("corpus"), "posts": int(m.get("corpus_posts") or 0), "bytes": cbytes},
           "settings": {"build_runs": int(m.get("build_runs") or 0), "query_runs": int(m.get("query_runs") or 0),
                        "query_warmups": 3}}
    trouve_note = m.get("trouve_note") or None

    # ------------------------------------------------------------ build
    runs = {}
    for name, run, wall, user, sys_, rss in tsv(os.path.join(rundir, "build.tsv")):
        runs.setdefault(name, []).append({"run": int(run), "wall_s": float(wall), "cpu_s": float(user) + float(sys_),
                                          "peak_rss_kb": int(rss)})
    sizes = {r[0]: (int(r[1]), r[2] if len(r) > 2 else "") for r in tsv(os.path.join(rundir, "sizes.tsv"))}
    build = {}
    for name, rs in runs.items():
        b = {"runs": rs,
             "wall_s_median": statistics.median(r["wall_s"] for r in rs),
             "wall_s_min": min(r["wall_s"] for r in rs),
             "cpu_s_median": statistics.median(r["cpu_s"] for r in rs),
             "peak_rss_mb": max(r["peak_rss_kb"] for r in rs) / 1024}
        if name in sizes:
            b["index_bytes"] = sizes[name][0]
            b["index_to_corpus"] = sizes[name][0] / cbytes if cbytes else None
            b["docs"] = int(sizes[name][1]) if sizes[name][1].isdigit() else None
        build[name] = b
    # the faster honest FTS5 loader stands for fts5
    fts5 = min((n for n in ("fts5-cli", "fts5-py") if n in build), key=lambda n: build[n]["wall_s_median"], default=None)
    t = build.get("trouve")
    for name, b in build.items():
        if name not in ("trouve", "trouve-20m"):
            b["trouve_over_peer"] = {
                "wall": ratio(t and t["wall_s_median"], b["wall_s_median"]),
                "peak_rss": ratio(t and t["peak_rss_mb"], b["peak_rss_mb"]),
                "size": ratio(t and t.get("index_bytes"), b.get("index_bytes"))}
    out["build"] = build
    st = os.path.join(rundir, "trouve-stats.json")
    if os.path.exists(st):
        try:
            out["trouve_stats"] = json.load(open(st))
        except ValueError:
            pass
    out["fts5_loader"] = fts5

    print(f"== Build: corpus {m.get('corpus_posts')} posts, {cbytes / 1e6:.1f} MB of text; "
          f"{m.get('build_runs')} fresh builds per system, caches warm")
    hdr = f"{'system':32s} {'wall s':>7s} {'min s':>6s} {'CPU s':>6s} {'RSS MB':>7s} {'index MB':>9s} {'/corpus':>8s} {'docs':>6s}   trouve/peer: {'time':>5s} {'RSS':>5s} {'size':>5s}"
    print(hdr)
    order = ["trouve", "trouve-20m", "bare", "fts5-cli", "fts5-py", "recoll", "omega"]
    for name in order:
        if name not in build:
            if name == "trouve":
                print(f"{'trouve index':32s} trouve: {trouve_note or 'not built'}")
            continue
        b = build[name]
        mark = " *" if name == fts5 else ""
        r = b.get("trouve_over_peer", {})
        size_mb = fx(b.get("index_bytes") and b["index_bytes"] / 1e6, "{:.1f}")
        tail = "" if name in ("trouve", "trouve-20m") else f"   {'':12s} {fx(r.get('wall')):>5s} {fx(r.get('peak_rss')):>5s} {fx(r.get('size')):>5s}"
        c20 = int(m.get("corpus_20m_bytes") or 0)
        if name == "trouve-20m" and c20 and b.get("index_bytes"):
            b["index_to_corpus"] = b["index_bytes"] / c20
        print(f"{LABEL[name] + mark:32s} {b['wall_s_median']:7.2f} {b['wall_s_min']:6.2f} {b['cpu_s_median']:6.2f} "
              f"{b['peak_rss_mb']:7.1f} {size_mb:>9s} {fx(b.get('index_to_corpus')):>8s} {str(b.get('docs') or '?'):>6s}{tail}")
    if fts5:
        print(f"  * the faster FTS5 loader, used as 'fts5' in the summary")
    if m.get("recoll_own_ms"):
        print(f"  recollindex's own count of its indexing time (last run): {int(m['recoll_own_ms']) / 1000:.2f} s")
        build.get("recoll", {})["own_index_time_s"] = int(m["recoll_own_ms"]) / 1000
    print("  wall: median of the runs; CPU: user+sys (several cores count several times); "
          "RSS: largest peak over the runs")

    # ------------------------------------------------------------ queries
    rows = tsv(os.path.join(rundir, "queries.tsv"), header=True)
    per_query = []
    pooled = {}  # (system, lang, words) -> times in ms
    nohit = {}
    for r in rows:
        d = json.load(open(r["json"]))["results"][0]
        times = [x * 1000 for x in d["times"]]
        w = int(r["words"])
        for lang in (r["lang"], "all"):
            pooled.setdefault((r["system"], lang, w), []).extend(times)
            nohit.setdefault((r["system"], lang, w), 0)
            if r["returned"] in ("", "0"):
                nohit[(r["system"], lang, w)] += 1
        per_query.append({"system": r["system"], "lang": r["lang"], "words": w, "query": r["query"],
                          "exit": int(r["exit"]), "returned": int(r["returned"] or 0),
                          "total": int(r["total"]) if r["total"].isdigit() else None,
                          "mean_ms": d["mean"] * 1000, "p99_ms": p99(times), "runs": len(times)})
    systems = [s for s in QLABEL if any(k[0] == s for k in pooled)]
    lengths = sorted({k[2] for k in pooled})
    lat = {}
    for (s, lang, w), xs in pooled.items():
        lat.setdefault(s, {}).setdefault(lang, {})[str(w)] = {
            "mean_ms": statistics.fmean(xs), "p99_ms": p99(xs), "runs": len(xs), "no_hit_queries": nohit[(s, lang, w)]}
    out["latency"] = lat
    out["queries"] = per_query
    rat = {}
    for peer in systems:
        if peer == "trouve" or "trouve" not in lat:
            continue
        for lang in lat[peer]:
            for w in lat[peer][lang]:
                a, b = lat["trouve"].get(lang, {}).get(w), lat[peer][lang][w]
                if a:
                    rat.setdefault(peer, {}).setdefault(lang, {})[w] = {
                        "mean": a["mean_ms"] / b["mean_ms"], "p99": a["p99_ms"] / b["p99_ms"]}
    out["latency_trouve_over_peer"] = rat

    if rows:
        nq = {w: len({(r["query"]) for r in rows if int(r["words"]) == w}) for w in lengths}
        print()
        print(f"== Query latency, ms: process level, hyperfine -N, 3 warmups + {m.get('query_runs')} runs per query; "
              f"top 10, AND of the words")
        print("   mean and p99 (nearest rank) over all runs of the queries of that length; "
              + ", ".join(f"{nq[w]} quer{'ies' if nq[w] > 1 else 'y'} of {w} word{'s' if w > 1 else ''}" for w in lengths))
        for lang, title in (("all", "English + French"), ("en", "English"), ("fr", "French")):
            print(f"{title:26s}" + "".join(f"{str(w) + ' word' + ('s' if w > 1 else ''):>18s}" for w in lengths)
                  + "   no-hit queries")
            print(f"{'':26s}" + "".join(f"{'mean':>9s}{'p99':>9s}" for _ in lengths))
            if "trouve" not in lat:
                print(f"  {'trouve search':24s}trouve: {trouve_note or 'not built'}")
            for s in systems:
                if lang not in lat.get(s, {}):
                    continue
                cells = "".join(f"{lat[s][lang][str(w)]['mean_ms']:9.2f}{lat[s][lang][str(w)]['p99_ms']:9.2f}"
                                if str(w) in lat[s][lang] else f"{'—':>9s}{'—':>9s}" for w in lengths)
                nh = sum(lat[s][lang][str(w)]["no_hit_queries"] for w in lengths if str(w) in lat[s][lang])
                print(f"  {QLABEL[s]:24s}{cells}   {nh}")
            if "fts5" in rat and lang in rat["fts5"]:
                cells = "".join(f"{fx(rat['fts5'][lang].get(str(w), {}).get('mean')):>9s}"
                                f"{fx(rat['fts5'][lang].get(str(w), {}).get('p99')):>9s}" for w in lengths)
                print(f"  {'ratio trouve/fts5':24s}{cells}")
            print()
        print("  fts5 and trouve make snippets; recollq makes them only with -A -g 1 (plain recollq lists files);")
        print("  quest makes none (it prints the sample omindex stored). Hits returned per query are in the JSON.")

    # ------------------------------------------------------------ summary
    summary = {}
    if t and fts5:
        summary["build_time"] = build[fts5]["trouve_over_peer"]["wall"]
        summary["peak_rss"] = build[fts5]["trouve_over_peer"]["peak_rss"]
        summary["index_size"] = build[fts5]["trouve_over_peer"]["size"]
    for w in lengths:
        if "fts5" in rat and str(w) in rat["fts5"].get("all", {}):
            summary[f"query_mean_{w}w"] = rat["fts5"]["all"][str(w)]["mean"]
            summary[f"query_p99_{w}w"] = rat["fts5"]["all"][str(w)]["p99"]
    out["trouve_over_fts5"] = summary
    print("== trouve/fts5 (below 1: trouve is faster or smaller): " +
          (", ".join(f"{k} {v:.2f}" for k, v in summary.items() if v is not None) if summary
           else f"trouve: {trouve_note or 'not built'}"))
    # ------------------------------------------------------------ targets
    # issue 6's figures, each with its bound; "—" where not measured
    targets = []

    def target(what, value, bound, fmt="{:.2f}", below=True):
        ok = None if value is None else (value <= bound if below else value >= bound)
        targets.append({"what": what, "value": value, "bound": bound, "ok": ok})
        print(f"  {what:52s} {fx(value, fmt):>9s}  {'≤' if below else '≥'} {fmt.format(bound):>6s}  "
              f"{'—' if ok is None else 'ok' if ok else 'MISSED'}")

    print()
    print(f"== Targets (corpus {m.get('scale', '20m')}: {cbytes / 1e6:.0f} MB)")
    if t:
        for peer, bound in (("recoll", 1 / 3), ("omega", 1 / 4), ("bare", 1.3)):
            target(f"build time, trouve / {LABEL[peer]}",
                   build.get(peer, {}).get("trouve_over_peer", {}).get("wall"), bound)
        if fts5:
            v = build[fts5]["trouve_over_peer"]["wall"]
            print(f"  {'build time, trouve / ' + LABEL[fts5] + ' (reference)':52s} {fx(v):>9s}")
        target("index size / corpus bytes", t.get("index_to_corpus"), 0.8)
        target("peak memory while indexing, MB", t["peak_rss_mb"], 200, "{:.0f}")
        t20 = build.get("trouve-20m")
        if t20:
            growth = t["wall_s_median"] / t20["wall_s_median"]
            out["growth"] = {"build_time": growth, "corpus_bytes": cbytes,
                             "corpus_20m_bytes": int(m.get("corpus_20m_bytes") or 0)}
            target(f"build time, {cbytes / 1e9:.2f} GB / 20 MB", growth, 60, "{:.1f}")
    if "trouve" in lat:
        worst = max((lat["trouve"]["all"][w]["p99_ms"] for w in lat["trouve"].get("all", {})), default=None)
        target("query p99, 1 to 3 words, ms", worst, 50, "{:.1f}")
        for w in sorted(rat.get("fts5", {}).get("all", {})):
            target(f"query latency {w} word{'s' if w != '1' else ''}, trouve / fts5 (mean)",
                   rat["fts5"]["all"][w]["mean"], 1 / 3)
    out["targets"] = targets

    out["machine"]["load_end"] = m.get("load_end")
    out["machine"]["other_cores_busy"] = {"build": m.get("others_build"), "query": m.get("others_query")}
    print(f"load average at start {m.get('load_start')}, at end {m.get('load_end')}; other processes kept "
          f"{m.get('others_build', '?')} cores busy on average while building, {m.get('others_query', '?')} while "
          f"querying (of {m.get('nproc')}; above ~0.1 the figures are inflated)")
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
        print(f"figures written to {json_out}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "header":
        header(sys.argv[2])
    elif cmd == "progress":
        progress(sys.argv[2:])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        sys.exit(__doc__)
