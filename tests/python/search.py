#!/usr/bin/env python3
"""search.py - search a trouve index from Python, through libtrouve.so
and ctypes (standard library only).

    python3 search.py [--lib PATH] [--lang en|fr] [-n N] INDEX QUERY...

Prints one line per hit, "path:line lang score", then its snippet with the
highlighted words in [brackets].  Exits 0 when something matched, 1 when
nothing did, 2 on error, like `trouve search`.  tests/cli/api.bats runs it;
README.md shows it.
"""
import argparse
import ctypes
import ctypes.util
import os
import sys

# The C types of trouve.h that Python needs to see into.
STATUS_OK = 0
LANGS = {"en": 1, "fr": 2}


class SearchOptions(ctypes.Structure):
    """trouve_search_options_t (filled by trouve_search_options_init)."""
    _fields_ = [("limit", ctypes.c_size_t),
                ("offset", ctypes.c_size_t),
                ("lang", ctypes.c_int),
                ("per_post", ctypes.c_size_t),
                ("snippet_words", ctypes.c_size_t),
                ("flags", ctypes.c_uint)]


def load(path=None):
    """libtrouve, with the prototypes of the functions used here."""
    lib = ctypes.CDLL(path or ctypes.util.find_library("trouve")
                      or "libtrouve.so.0")
    P, S, I = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int
    protos = {
        "trouve_index_open": (I, [ctypes.c_char_p, I, ctypes.POINTER(P),
                                  ctypes.POINTER(P)]),
        "trouve_index_close": (None, [P]),
        "trouve_index_message": (ctypes.c_char_p, [P]),
        "trouve_status_to_string": (ctypes.c_char_p, [I]),
        "trouve_search_options_init": (None, [ctypes.POINTER(SearchOptions)]),
        "trouve_search": (I, [P, ctypes.c_char_p,
                              ctypes.POINTER(SearchOptions),
                              ctypes.POINTER(P)]),
        "trouve_results_count": (S, [P]),
        "trouve_results_hit": (P, [P, S]),
        "trouve_results_free": (None, [P]),
        "trouve_hit_path": (ctypes.c_char_p, [P]),
        "trouve_hit_line": (ctypes.c_uint, [P]),
        "trouve_hit_lang": (I, [P]),
        "trouve_lang_to_string": (ctypes.c_char_p, [I]),
        "trouve_hit_score": (ctypes.c_double, [P]),
        "trouve_hit_snippet": (P, [P, ctypes.POINTER(S)]),
        "trouve_hit_highlight_count": (S, [P]),
        "trouve_hit_highlight": (I, [P, S, ctypes.POINTER(S),
                                     ctypes.POINTER(S)]),
    }
    for name, (restype, argtypes) in protos.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = restype, argtypes
    return lib


def snippet_marked(lib, hit):
    """The hit's snippet with each highlighted span in [brackets]."""
    n = ctypes.c_size_t()
    start, end = ctypes.c_size_t(), ctypes.c_size_t()
    text = ctypes.string_at(lib.trouve_hit_snippet(hit, ctypes.byref(n)),
                            n.value)
    out, at = [], 0
    for i in range(lib.trouve_hit_highlight_count(hit)):
        lib.trouve_hit_highlight(hit, i, ctypes.byref(start),
                                 ctypes.byref(end))
        out += [text[at:start.value], b"[", text[start.value:end.value], b"]"]
        at = end.value
    out.append(text[at:])
    return b"".join(out).decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description="search a trouve index")
    ap.add_argument("--lib", help="path of libtrouve.so")
    ap.add_argument("--lang", choices=sorted(LANGS))
    ap.add_argument("-n", type=int, default=10, help="hits at most")
    ap.add_argument("index")
    ap.add_argument("query", nargs="+")
    args = ap.parse_args()
    lib = load(args.lib)

    index, message = ctypes.c_void_p(), ctypes.c_void_p()
    st = lib.trouve_index_open(os.fsencode(args.index), 0,  # read
                               ctypes.byref(index), ctypes.byref(message))
    if st != STATUS_OK:
        why = lib.trouve_status_to_string(st)
        if message.value:  # malloc()ed by the library: free() it
            why = ctypes.string_at(message.value)
            libc = ctypes.CDLL(None)
            libc.free.argtypes = [ctypes.c_void_p]
            libc.free(message)
        print("search.py:", why.decode(), file=sys.stderr)
        return 2

    options = SearchOptions()
    lib.trouve_search_options_init(ctypes.byref(options))
    options.limit = args.n
    if args.lang:
        options.lang = LANGS[args.lang]
    results = ctypes.c_void_p()
    st = lib.trouve_search(index, " ".join(args.query).encode(),
                           ctypes.byref(options), ctypes.byref(results))
    if st != STATUS_OK:
        print("search.py:", lib.trouve_index_message(index).decode(),
              file=sys.stderr)
        lib.trouve_index_close(index)
        return 2

    count = lib.trouve_results_count(results)
    for i in range(count):
        hit = lib.trouve_results_hit(results, i)
        path = os.fsdecode(lib.trouve_hit_path(hit))
        lang = lib.trouve_lang_to_string(lib.trouve_hit_lang(hit)).decode()
        print(f"{path}:{lib.trouve_hit_line(hit)} {lang} "
              f"{lib.trouve_hit_score(hit):.2f}")
        print("   ", snippet_marked(lib, hit))
    lib.trouve_results_free(results)
    lib.trouve_index_close(index)
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
