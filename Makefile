# boxtop - htop-like TUI container manager with an embedded container core.
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build

PKGS     := ncursesw libcap jansson libnl-3.0 libnl-route-3.0 libseccomp
# The pkg-config answers are read when a recipe first needs them, not when
# the Makefile is parsed: `make deps all` installs the -dev packages in the
# same run, after parsing.  Each is asked once (the eval caches it).
lazy = $(eval $(1) := $$(shell $(2)))$($(1))
PKG_CFLAGS   = $(call lazy,PKG_CFLAGS,pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS_ALL = $(call lazy,PKG_LIBS_ALL,pkg-config --libs $(PKGS) 2>/dev/null)
# The libraries are linked statically (glibc stays shared): every boxtop
# process, the short-lived commands and each container's monitor, then maps
# and relocates one library instead of seven.  That is 0.45 ms off every
# command here and keeps the monitor's private pages down.  STATIC_LIBS=0
# links them shared (for a system without the .a files).
STATIC_LIBS ?= 1
ifeq ($(STATIC_LIBS),1)
PKG_LIBS    = -Wl,-Bstatic $(filter-out -lpthread -ldl,$(PKG_LIBS_ALL)) -Wl,-Bdynamic
else
PKG_LIBS    = $(PKG_LIBS_ALL)
endif
# boxtop itself, glibc included, is one static PIE: no dynamic loader to run,
# no libc.so to map and bind at each start.  That is 0.2 ms off every
# command and `run` here (paired A/B of run --rm, 150 pairs: -0.22 ms),
# most of it the binding of ~350 symbols and the faults of a second
# mapping.  It calls nothing that needs glibc's run-time modules (no NSS,
# no dlopen: tui/static_nss.c).  STATIC=0 links glibc shared, as the test
# programs always are (valgrind, and ASan, which `make asan` sets it for).
STATIC ?= 1
ifeq ($(STATIC),1)
BIN_LDFLAGS := -static-pie
BIN_LIBS     = $(call lazy,BIN_LIBS,pkg-config --libs --static $(PKGS) 2>/dev/null)
CFLAGS      += -DBOXTOP_STATIC
else
BIN_LDFLAGS :=
endif

OPT     ?= -O2
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -g $(OPT) -D_GNU_SOURCE -fno-plt \
           -Icore $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  += $(PKG_LIBS) -Wl,--as-needed -lpthread
ifneq ($(STATIC),1)
BIN_LIBS = $(LDLIBS)
endif
# Full RELRO and no lazy binding (with -fno-plt calls go through the GOT,
# so an idle monitor runs no PLT page): symbols are bound at start (~30 us), so
# an idle monitor never reaches into the dynamic symbol tables again (its
# pages stay dropped, see core/monitor_trim.c) and the GOT is read-only.
LDFLAGS += -Wl,-z,now -Wl,-z,relro $(EXTRA_LDFLAGS)

CORE_SRC := $(wildcard core/*.c)
TUI_SRC  := $(wildcard tui/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
# Unit tests may test tui/ helpers too (layout, graphs): link every tui object
# except the one holding main().
TUI_LIB_OBJ := $(filter-out $(BUILD)/tui/main.o $(BUILD)/tui/static_nss.o,$(TUI_OBJ))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
# Fuzz harnesses (tests/fuzz/fuzz_NAME.c): linked with libFuzzer by `make
# fuzz`, and by `make all` with a main() that replays their seed corpus
# (tests/run.sh unit runs replay_NAME over tests/fuzz/corpus/NAME).
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/tests/fuzz/replay_%)
# the tui parsers a harness may take (an archive: only what it names)
FUZZ_TUI   := $(BUILD)/tests/fuzz/libtuiparse.a

.PHONY: all check asan valgrind install uninstall clean deps bench fuzz fuzz-build
all: $(BUILD)/boxtop $(UNIT_BIN) $(REPLAY_BIN)

$(BUILD)/libboxcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/boxtop: $(TUI_OBJ) $(BUILD)/libboxcore.a
	$(CC) $(LDFLAGS) $(BIN_LDFLAGS) -o $@ $(TUI_OBJ) $(BUILD)/libboxcore.a $(BIN_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/unit.h tests/unit/unit_sh.h $(TUI_LIB_OBJ) $(BUILD)/libboxcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itui -Itests/unit $(LDFLAGS) -o $@ $< $(TUI_LIB_OBJ) $(BUILD)/libboxcore.a $(LDLIBS)

$(FUZZ_TUI): $(BUILD)/tui/theme.o $(BUILD)/tui/kv.o
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/fuzz_import.h $(FUZZ_TUI) $(BUILD)/libboxcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itui -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(FUZZ_TUI) $(BUILD)/libboxcore.a $(LDLIBS)

$(BUILD)/tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzz_import.h $(FUZZ_TUI) $(BUILD)/libboxcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Itui -Itests/fuzz $(LDFLAGS) -o $@ $< $(FUZZ_TUI) $(BUILD)/libboxcore.a $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d)

# `make deps all` (the README's first command): everything waits for deps,
# even under -j.
ifneq ($(filter deps,$(MAKECMDGOALS)),)
$(CORE_OBJ) $(TUI_OBJ) $(UNIT_BIN) $(REPLAY_BIN): | deps
endif

# The README's test command: build, then every unit and integration test
# against the real kernel.  Ends with "N passed, N failed[, N skipped]".
check: all
	BOXTOP_BUILD=$(BUILD) tests/run.sh

# ASan + UBSan build in its own directory, the same suite run against it.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 STATIC=0 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# Fuzzing: every harness in tests/fuzz built by clang with libFuzzer, ASan
# and UBSan (the core and the parsers it takes too, in build-fuzz/), then
# run FUZZ_SECONDS each against its seeds.  Exits non-zero when one
# crashed, broke an invariant, leaked or hung; the input is kept in
# build-fuzz/fuzz-crashes/NAME/ (see README: Development).
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_CFLAGS  := -fsanitize=fuzzer-no-link,address,undefined \
                -fno-omit-frame-pointer -fno-sanitize-recover=undefined
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz: needs clang (make deps, or apt-get install clang libclang-rt-dev)" >&2; exit 2; }
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 STATIC=0 \
	  EXTRA_CFLAGS="$(FUZZ_CFLAGS)" EXTRA_LDFLAGS="-fsanitize=address,undefined" fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_BIN)

# The core's unit tests under valgrind's memcheck.
valgrind: all
	BOXTOP_BUILD=$(BUILD) BOXTOP_VALGRIND=1 tests/run.sh unit

bench: all
	tests/bench/run.sh

install: $(BUILD)/boxtop
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/boxtop/themes
	install -m 755 $(BUILD)/boxtop $(DESTDIR)$(PREFIX)/bin/boxtop
	install -m 644 man/boxtop.1 $(DESTDIR)$(PREFIX)/share/man/man1/boxtop.1
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/boxtop/themes/ 2>/dev/null || true

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/boxtop $(DESTDIR)$(PREFIX)/share/man/man1/boxtop.1
	rm -rf $(DESTDIR)$(PREFIX)/share/boxtop

clean:
	rm -rf build build-asan build-fuzz

# Everything the build and the tests need, on Debian, as root.
DEPS := build-essential pkg-config libncursesw5-dev libcap-dev libjansson-dev \
        libnl-3-dev libnl-route-3-dev libseccomp-dev busybox-static tmux valgrind \
        iproute2 iputils-ping procps util-linux jq umoci skopeo zstd xz-utils python3 \
        libcap2-bin clang libclang-rt-dev strace
deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
