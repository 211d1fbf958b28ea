# Shared by tests/bench/run.sh and tests/bench/relevance.sh (sourced, not run).
# Needs: $here (this folder), $W (the work folder).

# Peers and tools behave the same whatever the caller's locale: UTF-8 text,
# '.' as decimal point (recoll decodes text/plain with the locale's charset).
export LC_ALL=C.UTF-8

say() { printf '%s\n' "$*"; }
warn() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { warn "$*"; exit 2; }

# have CMD...: all commands are found
have() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || return 1; done
}

_apt_updated=0
# ensure PKG CMD...: the commands are there, installing Debian package PKG
# when they are not and we are root.  Returns 1 (and says why) when they are
# still missing.
ensure() {
  local pkg=$1 c miss=(); shift
  have "$@" && return 0
  if [ "$(id -u)" = 0 ] && have apt-get; then
    say "installing $pkg (for: $*)..."
    if [ $_apt_updated = 0 ]; then
      apt-get update -qq >/dev/null 2>&1 || true
      _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1 || true
    hash -r
    have "$@" && return 0
  fi
  for c in "$@"; do have "$c" || miss+=("$c"); done
  if [ "$(id -u)" = 0 ] && have apt-get; then
    warn "missing ${miss[*]} (Debian package $pkg) and installing it failed"
  else
    warn "missing ${miss[*]} (Debian package $pkg); run as root to install it"
  fi
  return 1
}

# lock_workdir: one run.sh or relevance.sh at a time per work folder
lock_workdir() {
  mkdir -p "$W"
  exec 9> "$W/.lock"
  if have flock && ! flock -n 9; then
    die "another benchmark is running in $W (set TROUVE_BENCH_DIR to use another folder)"
  fi
}

# corpus_dir: prints the cached corpus folder, building it once with
# make-corpus.sh (TROUVE_BENCH_MAX_POSTS limits its size, for quick runs).
corpus_dir() {
  local max=${TROUVE_BENCH_MAX_POSTS:-0} c
  if [ "$max" -gt 0 ]; then c=$W/corpus-$max; else c=$W/corpus; fi
  if [ ! -f "$c.complete" ] || [ ! -d "$c" ]; then
    rm -rf "$c" "$c.tmp" "$c.complete"
    say "building the corpus in $c (once; make-corpus.sh)..." >&2
    "$here/make-corpus.sh" "$c.tmp" "$max" >&2
    mv "$c.tmp" "$c"
    date -u +%FT%TZ > "$c.complete"
  fi
  printf '%s\n' "$c"
}

# corpus_1g BASE: prints the cached ~1 GB corpus folder, copies of BASE (the
# man-page corpus) under distinct paths copy-01/, copy-02/... until it holds
# 1e9 bytes of posts or more; built once.
corpus_1g() {
  local base=$1 c=$W/corpus-1g n=0 per
  if [ ! -f "$c.complete" ] || [ ! -d "$c" ]; then
    rm -rf "$c" "$c.tmp" "$c.complete"
    per=$(find "$base" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    [ "$per" -gt 0 ] || die "empty corpus $base"
    say "building the 1 GB corpus in $c (once; $(( (1000000000 + per - 1) / per )) copies)..." >&2
    mkdir -p "$c.tmp"
    while [ $((n * per)) -lt 1000000000 ]; do
      n=$((n + 1))
      cp -r "$base" "$c.tmp/$(printf 'copy-%02d' "$n")"
    done
    mv "$c.tmp" "$c"
    date -u +%FT%TZ > "$c.complete"
  fi
  printf '%s\n' "$c"
}

# abspath FILE
abspath() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")" ;;
  esac
}
