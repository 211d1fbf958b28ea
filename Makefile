# trouve - search bilingual posts.
#
#   make            build/trouve, build/libtrouve.a, build/libtrouve.so
#   make demo       install what is missing, build, index seeds/, query it
#   make test       the whole test suite (unit, C API, command line, fuzz)
#   make asan       the same build with AddressSanitizer + UBSan, in build-asan/
#   make test-asan  the test suite against the sanitizer build
#   make bench      benchmarks against the peers (tests/bench)
#   make fold-table regenerate src/analysis/fold_table.c from Unicode data
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall removes it)
#   make test-tsan  tests/c/api_threads.c and tests/cli/tsan.sh under TSan
#   make fuzz-smoke a short run of each libFuzzer target (part of make test)
#   make fuzz       long runs of the libFuzzer targets (FUZZ_SECONDS each)
#   make test-valgrind  unit tests, C API tests and CLI suites under memcheck
#   make stress     long kill -9, fault, concurrency and differential loops
#
# V=1 shows the commands.

BUILD    ?= build
ASAN_BUILD ?= build-asan
PREFIX   ?= /usr/local
OPT      ?= -O2
SAN      ?=
CC       ?= cc
CXX      ?= c++

SONAME   := libtrouve.so.0
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= $(OPT) -g
CXXFLAGS ?= $(OPT) -g
ALL_CFLAGS   := -std=c11 $(WARN) -fPIC -fvisibility=hidden \
                -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(SAN) $(CFLAGS)
ALL_CXXFLAGS := -std=c++11 -Wall -Wextra -fPIC -fvisibility=hidden \
                $(SAN) $(CXXFLAGS)
LIBS     := -lxapian -lz -lpthread -lm

ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-6s %s\n'
endif

LIB_C   := $(wildcard src/analysis/*.c src/text/*.c src/lib/*.c)
LIB_CXX := src/xapian/xapian_c.cc
CLI_C   := $(wildcard src/cli/*.c)
LIB_O   := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o)
CLI_O   := $(CLI_C:%.c=$(BUILD)/obj/%.o)
UNIT_C  := $(wildcard tests/unit/test_*.c)
UNIT    := $(UNIT_C:tests/unit/%.c=$(BUILD)/tests/%)
CAPI_C  := $(wildcard tests/c/*.c)
CAPI    := $(CAPI_C:tests/c/%.c=$(BUILD)/tests/%)

.PHONY: all asan test test-asan test-unit test-cli demo bench fold-table \
        clean install uninstall
all: $(BUILD)/trouve $(BUILD)/libtrouve.a $(BUILD)/libtrouve.so

$(BUILD)/obj/%.o: %.c
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	$(say) CXX $<
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtrouve.a: $(LIB_O)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libtrouve.so: $(LIB_O) src/libtrouve.map
	$(say) LD $@
	$(Q)$(CXX) -shared $(SAN) -Wl,-soname,$(SONAME) \
	    -Wl,--version-script=src/libtrouve.map -o $@ $(LIB_O) $(LIBS)
	$(Q)ln -sf libtrouve.so $(BUILD)/$(SONAME)

$(BUILD)/trouve: $(CLI_O) $(BUILD)/libtrouve.a
	$(say) LD $@
	$(Q)$(CXX) $(SAN) -o $@ $(CLI_O) $(BUILD)/libtrouve.a $(LIBS)

# Unit tests see the private headers and link the static library (and,
# for a piece of the command, its file: UNIT_EXTRA_<name>).
UNIT_EXTRA_heap := src/cli/heap.c
$(BUILD)/tests/test_heap: $(UNIT_EXTRA_heap)
$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/unit.h $(BUILD)/libtrouve.a
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(UNIT_EXTRA_$*) \
	    $(BUILD)/libtrouve.a -lcmocka $(LIBS) -lstdc++

# C API programs see only the public header and link the shared library.
$(BUILD)/tests/api_%: tests/c/api_%.c tests/c/check.h $(BUILD)/libtrouve.so \
                     src/trouve.h
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< -L$(BUILD) -ltrouve \
	    -Wl,-rpath,'$$ORIGIN/..' -lpthread

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT=-O1 \
	    SAN='$(SAN_FLAGS)' all

test-unit: all $(UNIT) $(CAPI)
	$(Q)BUILD=$(BUILD) tests/run-unit.sh $(UNIT) $(CAPI)

test-cli: all
	$(Q)TROUVE=$(abspath $(BUILD))/trouve bats tests/cli

# The fuzz smoke run (below) is part of the suite; test-asan leaves it out
# (the fuzz targets are built with ASan and UBSan already).
TEST_FUZZ ?= fuzz-smoke
test: test-unit test-cli $(TEST_FUZZ)

test-asan:
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT=-O1 \
	    SAN='$(SAN_FLAGS)' TEST_FUZZ= test

# Fuzzing (tests/fuzz): libFuzzer targets built with clang, ASan and UBSan,
# against the library built the same way in $(FUZZ_BUILD).
#   make fuzz-smoke  each target for FUZZ_SMOKE_SECONDS (part of make test)
#   make fuzz        each target for FUZZ_SECONDS; what they find stays in
#                    $(FUZZ_BUILD)/corpus/<target> (merge the good ones into
#                    tests/fuzz/corpus/<target> by hand)
FUZZ_BUILD ?= $(BUILD)-fuzz
FUZZ_TARGETS := utf8 token markup gzip query snippet out search
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_SECONDS ?= 600
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined \
            -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_EXTRA_out := src/cli/out.c

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-bins
fuzz-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	    CXX=clang++ OPT=-O1 SAN='$(FUZZ_SAN)' fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# Linked by the C++ driver: the library's C++ needs UBSan's C++ runtime.
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
                      $(BUILD)/libtrouve.a
	$(say) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@.o
	$(Q)$(if $(FUZZ_EXTRA_$*),$(CC) $(ALL_CFLAGS) -Isrc -c \
	    $(FUZZ_EXTRA_$*) -o $@.extra.o)
	$(Q)$(CXX) $(SAN) -fsanitize=fuzzer -o $@ $@.o \
	    $(if $(FUZZ_EXTRA_$*),$@.extra.o) $(BUILD)/libtrouve.a $(LIBS)

fuzz-smoke: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_BUILD)/smoke \
	    $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) \
	    $(FUZZ_TARGETS)

# Valgrind and stress (tests/valgrind.sh, tests/cli/*.bats).
#   make test-valgrind  the unit and C API tests, a few commands and the
#                       CLI suites (reliability.bats aside) under memcheck
#   make stress         long kill -9, fault, concurrency and differential
#                       loops, and a 200 MB single-line post
STRESS_KILLS ?= 500
.PHONY: test-valgrind stress
test-valgrind: all $(UNIT) $(CAPI)
	$(Q)tests/valgrind.sh $(abspath $(BUILD))/trouve $(UNIT) $(CAPI)

stress: all
	$(Q)TROUVE=$(abspath $(BUILD))/trouve TROUVE_STRESS=1 \
	    TROUVE_KILLS=$(STRESS_KILLS) TROUVE_DIFF_STEPS=300 \
	    bats tests/cli/reliability.bats tests/cli/incremental.bats \
	    tests/cli/formats.bats tests/cli/hostile.bats

demo:
	$(Q).ci/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/demo.sh $(BUILD)/trouve

bench: all
	$(Q)tests/bench/run.sh $(BUILD)/trouve

fold-table:
	$(Q)python3 src/analysis/gen_fold_table.py > src/analysis/fold_table.c.tmp
	$(Q)mv src/analysis/fold_table.c.tmp src/analysis/fold_table.c

# Installing (issue 5): make install PREFIX=/usr DESTDIR=/tmp/stage puts
# the command, both libraries (with the soname links), the header,
# trouve.pc, the man page and the bash completion under
# $(DESTDIR)$(PREFIX); make uninstall, with the same variables, removes
# exactly those files.  tests/cli/install.bats checks both.
VERSION       := $(shell awk '/^.define TROUVE_VERSION_(MAJOR|MINOR|PATCH) / \
                   {v = v sep $$3; sep = "."} END {print v}' src/trouve.h)
BINDIR        ?= $(PREFIX)/bin
LIBDIR        ?= $(PREFIX)/lib
INCLUDEDIR    ?= $(PREFIX)/include
MANDIR        ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALLED     := $(BINDIR)/trouve $(LIBDIR)/libtrouve.so.$(VERSION) \
                 $(LIBDIR)/$(SONAME) $(LIBDIR)/libtrouve.so \
                 $(LIBDIR)/libtrouve.a $(INCLUDEDIR)/trouve.h \
                 $(LIBDIR)/pkgconfig/trouve.pc $(MANDIR)/man1/trouve.1 \
                 $(COMPLETIONDIR)/trouve

install: all
	$(say) INSTALL '$(DESTDIR)$(PREFIX)'
	$(Q)install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(LIBDIR)/pkgconfig' \
	    '$(DESTDIR)$(INCLUDEDIR)' '$(DESTDIR)$(MANDIR)/man1' \
	    '$(DESTDIR)$(COMPLETIONDIR)'
	$(Q)install -m 755 $(BUILD)/trouve '$(DESTDIR)$(BINDIR)/trouve'
	$(Q)install -m 755 $(BUILD)/libtrouve.so \
	    '$(DESTDIR)$(LIBDIR)/libtrouve.so.$(VERSION)'
	$(Q)ln -sf libtrouve.so.$(VERSION) '$(DESTDIR)$(LIBDIR)/$(SONAME)'
	$(Q)ln -sf $(SONAME) '$(DESTDIR)$(LIBDIR)/libtrouve.so'
	$(Q)install -m 644 $(BUILD)/libtrouve.a '$(DESTDIR)$(LIBDIR)/libtrouve.a'
	$(Q)install -m 644 src/trouve.h '$(DESTDIR)$(INCLUDEDIR)/trouve.h'
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    src/trouve.pc.in > '$(DESTDIR)$(LIBDIR)/pkgconfig/trouve.pc'
	$(Q)install -m 644 src/doc/trouve.1 '$(DESTDIR)$(MANDIR)/man1/trouve.1'
	$(Q)install -m 644 src/completion/trouve.bash \
	    '$(DESTDIR)$(COMPLETIONDIR)/trouve'
	$(Q)if [ -z '$(DESTDIR)' ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

uninstall:
	$(say) RM '$(DESTDIR)$(PREFIX)'
	$(Q)rm -f $(foreach f,$(INSTALLED),'$(DESTDIR)$(f)')

# ThreadSanitizer over the concurrent-search test (tests/c/api_threads.c)
# and multi-threaded indexing runs of the command line, whole and
# interrupted (tests/cli/tsan.sh), in its own build; not part of `make
# test`.
TSAN_BUILD ?= $(BUILD)/tsan
.PHONY: test-tsan
test-tsan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) OPT=-O1 \
	    SAN='-fsanitize=thread' $(TSAN_BUILD)/tests/api_threads \
	    $(TSAN_BUILD)/trouve
	$(Q)TSAN_OPTIONS='halt_on_error=1 second_deadlock_stack=1' \
	    $(TSAN_BUILD)/tests/api_threads
	$(Q)tests/cli/tsan.sh $(TSAN_BUILD)/trouve

clean:
	rm -rf build build-asan

-include $(LIB_O:.o=.d) $(CLI_O:.o=.d)
