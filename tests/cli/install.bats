#!/usr/bin/env bats
# make install / uninstall into a temporary DESTDIR; a C program built
# against the installed header with pkg-config; the man page; the bash
# completion.

load helper

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD_DIR=$(dirname "$TROUVE")

# Installs once for the file, into $BATS_FILE_TMPDIR/stage with PREFIX=/usr.
setup_file() {
    export STAGE=$BATS_FILE_TMPDIR/stage
    make -s --no-print-directory -C "$ROOT" BUILD="$BUILD_DIR" PREFIX=/usr \
        DESTDIR="$STAGE" install > "$BATS_FILE_TMPDIR/install.log" 2>&1
}

# Compiler flags matching the installed library: a library built with the
# sanitizers (make test-asan) needs programs built with them too.
san_flags() {
    if nm -D "$STAGE/usr/lib/libtrouve.so" | grep -q __asan_init; then
        echo -fsanitize=address,undefined
    fi
}

@test "make install puts exactly the expected files under DESTDIR/PREFIX" {
    [ ! -s "$BATS_FILE_TMPDIR/install.log" ] || cat "$BATS_FILE_TMPDIR/install.log"
    version=$("$TROUVE" --version | cut -d' ' -f2)
    expected=$(sort <<EOF
usr/bin/trouve
usr/include/trouve.h
usr/lib/libtrouve.a
usr/lib/libtrouve.so
usr/lib/libtrouve.so.0
usr/lib/libtrouve.so.$version
usr/lib/pkgconfig/trouve.pc
usr/share/bash-completion/completions/trouve
usr/share/man/man1/trouve.1
EOF
)
    [ "$(cd "$STAGE" && find . ! -type d | sed 's|^\./||' | sort)" = "$expected" ]
    # the soname links, and the library's soname
    [ "$(readlink "$STAGE/usr/lib/libtrouve.so")" = libtrouve.so.0 ]
    [ "$(readlink "$STAGE/usr/lib/libtrouve.so.0")" = "libtrouve.so.$version" ]
    [ "$(objdump -p "$STAGE/usr/lib/libtrouve.so.$version" | awk '/SONAME/ {print $2}')" = libtrouve.so.0 ]
    [ -x "$STAGE/usr/bin/trouve" ]
    "$STAGE/usr/bin/trouve" --version
    cmp "$STAGE/usr/include/trouve.h" "$ROOT/src/trouve.h"
}

@test "pkg-config knows trouve: version, flags, static libraries" {
    export PKG_CONFIG_PATH=$STAGE/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
    [ "$(pkg-config --modversion trouve)" = "$("$TROUVE" --version | cut -d' ' -f2)" ]
    [ "$(echo $(pkg-config --cflags --libs trouve))" = "-I$STAGE/usr/include -L$STAGE/usr/lib -ltrouve" ]
    [[ "$(pkg-config --static --libs trouve)" == *-lxapian*-lz* ]]
}

@test "a C program built against the installed header with pkg-config indexes a folder and searches it" {
    export PKG_CONFIG_PATH=$STAGE/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
    prog=$BATS_TEST_TMPDIR/search_folder
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror $(san_flags) -o "$prog" \
        "$ROOT/tests/c/example/search_folder.c" $(pkg-config --cflags --libs trouve)
    LD_LIBRARY_PATH=$STAGE/usr/lib run "$prog" "$BATS_TEST_TMPDIR/index" "$SEEDS" "mentorat inversé"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "6 posts added" ]
    [[ "${lines[1]}" == "$SEEDS/reverse-mentorship.txt:"*" fr "* ]]
    [[ "${lines[2]}" == *"mentorat inversé"* ]]
    # it used the installed library, not the build's
    LD_LIBRARY_PATH=$STAGE/usr/lib run ldd "$prog"
    [[ "$output" == *"libtrouve.so.0 => $STAGE/usr/lib/libtrouve.so.0"* ]]
}

@test "make uninstall removes every file it installed" {
    stage=$BATS_TEST_TMPDIR/stage
    make -s --no-print-directory -C "$ROOT" BUILD="$BUILD_DIR" PREFIX=/opt/t \
        DESTDIR="$stage" install
    [ "$(find "$stage" ! -type d | wc -l)" -eq 9 ]
    make -s --no-print-directory -C "$ROOT" BUILD="$BUILD_DIR" PREFIX=/opt/t \
        DESTDIR="$stage" uninstall
    [ -z "$(find "$stage" ! -type d)" ]
}

@test "the man page renders without warnings and carries the version" {
    command -v groff > /dev/null || skip "groff is not installed"
    run groff -ww -man -Tutf8 -z "$STAGE/usr/share/man/man1/trouve.1"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    if command -v man > /dev/null; then
        run bash -c "MANWIDTH=80 man --warnings -l '$ROOT/src/doc/trouve.1' 2>&1 > /dev/null"
        [ -z "$output" ]
    fi
    version=$("$TROUVE" --version | cut -d' ' -f2)
    grep -q "^\.TH TROUVE 1 .* \"trouve $version\"" "$ROOT/src/doc/trouve.1"
    # the sections a reader looks for
    for s in COMMANDS "QUERY SYNTAX" "JSON OUTPUT" "EXIT STATUS"; do
        grep -q "^\.SH $s\$" "$ROOT/src/doc/trouve.1"
    done
}

# Completes the words given (the last one is the word being completed)
# with the installed completion; the candidates in $reply, one a line.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _trouve
    reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}

@test "bash completion: commands, options, --lang and --color values, paths" {
    source "$STAGE/usr/share/bash-completion/completions/trouve"
    [ "$(complete -p trouve)" = "complete -F _trouve trouve" ]
    complete_words trouve se
    [ "$reply" = search ]
    complete_words trouve ""
    [ "$reply" = "$(printf '%s\n' --help --version analyze compact index search stats | sort)" ]
    complete_words trouve search --la
    [ "$reply" = --lang ]
    complete_words trouve search --lang ""
    [ "$reply" = "$(printf 'en\nfr')" ]
    complete_words trouve search --color a
    [ "$reply" = "$(printf 'always\nauto')" ]
    complete_words trouve search --files
    [ "$reply" = --files-with-matches ]
    complete_words trouve stats --
    [ "$reply" = "$(printf '%s\n' --help --index --json | sort)" ]
    # after --, a query: no options
    complete_words trouve search -- --la
    [ -z "$reply" ]
    # paths: files and folders for index, folders for --index
    mkdir -p "$BATS_TEST_TMPDIR/posts dir/sub"
    touch "$BATS_TEST_TMPDIR/posts dir/a.md"
    cd "$BATS_TEST_TMPDIR"
    complete_words trouve index "posts d"
    [ "$reply" = "posts dir" ]
    complete_words trouve index "posts dir/"
    [ "$reply" = "$(printf 'posts dir/a.md\nposts dir/sub')" ]
    complete_words trouve search --index "posts dir/"
    [ "$reply" = "posts dir/sub" ]
}

@test "the installed header compiles alone as C99, C11 and C++, pedantically" {
    printf '#include <trouve.h>\nint main(void) { return trouve_version() == 0; }\n' > "$BATS_TEST_TMPDIR/h.c"
    for std in c99 c11; do
        cc -std=$std -Wall -Wextra -pedantic -Werror -I"$STAGE/usr/include" \
            -c "$BATS_TEST_TMPDIR/h.c" -o "$BATS_TEST_TMPDIR/h.o"
    done
    c++ -x c++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$STAGE/usr/include" \
        -c "$BATS_TEST_TMPDIR/h.c" -o "$BATS_TEST_TMPDIR/h.o"
}
