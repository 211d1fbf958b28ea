# trouve - search bilingual posts.
#
#   make            build/trouve, build/libtrouve.a, build/libtrouve.so
#   make demo       install what is missing, build, index seeds/, query it
#   make test       the whole test suite (unit, C API, command line)
#   make asan       the same build with AddressSanitizer + UBSan, in build-asan/
#   make test-asan  the test suite against the sanitizer build
#   make bench      benchmarks against the peers (tests/bench)
#   make fold-table regenerate src/analysis/fold_table.c from Unicode data
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

# Unit tests see the private headers and link the static library.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libtrouve.a
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtrouve.a -lcmocka \
	    $(LIBS) -lstdc++

# C API programs see only the public header and link the shared library.
$(BUILD)/tests/api_%: tests/c/api_%.c $(BUILD)/libtrouve.so src/trouve.h
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

test: test-unit test-cli

test-asan:
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT=-O1 \
	    SAN='$(SAN_FLAGS)' test

demo:
	$(Q).ci/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/demo.sh $(BUILD)/trouve

bench: all
	$(Q)tests/bench/run.sh $(BUILD)/trouve

fold-table:
	$(Q)python3 src/analysis/gen_fold_table.py > src/analysis/fold_table.c.tmp
	$(Q)mv src/analysis/fold_table.c.tmp src/analysis/fold_table.c

clean:
	rm -rf build build-asan

-include $(LIB_O:.o=.d) $(CLI_O:.o=.d)
