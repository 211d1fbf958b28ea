#!/usr/bin/env bash
# Installs the Debian packages trouve needs, when they are missing.
#   .ci/deps.sh          what building needs (make demo)
#   .ci/deps.sh test     what the test suite needs too (.ci/run)
# As root, missing packages are installed with apt-get; otherwise the exact
# command is printed and the script exits 2.
set -euo pipefail
build=(make gcc g++ pkg-config libxapian-dev zlib1g-dev)
test=(libcmocka-dev bats jq xapian-tools unicode-data icu-devtools wfrench
      wamerican python3 clang libclang-rt-14-dev strace valgrind)
want=("${build[@]}")
[ "${1:-}" = test ] && want+=("${test[@]}")
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "trouve: missing Debian packages; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 2
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
