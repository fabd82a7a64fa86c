# phocus-monitor - Makefile
#
#   make            build/phocus-record, build/phocus-analyze, build/libpmtrace.a
#   make demo       analyze the bundled sample trace into out/
#   make check      every test (unit, unit under ASan+UBSan, end-to-end,
#                   fuzz smoke when clang is there, macOS compile check when
#                   MACOS_SDK is set); ends with "N passed, N failed"
#   make bench      size, speed and overhead figures, as a table
#   make fuzz       run the reader fuzzer for FUZZ_TIME seconds (default 60),
#                   then every analyzer command under ASan+UBSan on
#                   HOSTILE_SEEDS hostile traces (default 1000; tests/hostile.sh)
#   make check-darwin   compile and link the recorder for macOS (needs MACOS_SDK)
#   make install    the programs and man pages into $(DESTDIR)$(BINDIR) and
#                   $(DESTDIR)$(MANDIR)/man1 (PREFIX=/usr/local by default)
#   make install-lib    libpmtrace.a, pmtrace.h and pmtrace.pc, to read and
#                   write traces from other C programs (LIBDIR, INCLUDEDIR)
#   make uninstall  removes what install and install-lib put there
#
# The platform backend of the recorder is chosen here, never with #ifdef:
# PLATFORM=linux|darwin (from uname), PLATFORM=fake for the test double.
#
# Warnings: -Wall -Wextra always; -Werror with `make check` (CI runs it) or
# WERROR=-Werror, never by default, so that a release builds on a compiler
# newer than ours.  make check adds it to what it compiles: objects a plain
# make built before are not rebuilt (CI builds from a clean clone).

VERSION   = 0.1.0
UNAME_S  := $(shell uname -s)
PLATFORM ?= $(if $(filter Darwin,$(UNAME_S)),darwin,linux)

CC       ?= cc
OPT      ?= -O2 -g
STD       = -std=c11
WERROR   ?= $(if $(filter check,$(MAKECMDGOALS)),-Werror)
WARN      = -Wall -Wextra $(WERROR)
PLAT_DEFS_linux  = -D_GNU_SOURCE
PLAT_DEFS_darwin = -D_DARWIN_C_SOURCE
PLAT_LIBS_darwin = -framework IOKit -framework CoreFoundation
HOST_DEFS = $(if $(filter Darwin,$(UNAME_S)),$(PLAT_DEFS_darwin),$(PLAT_DEFS_linux))

# Dependencies through pkg-config; Debian ships no .pc for libcsv.  These are
# recursive variables on purpose: they are expanded when a recipe runs, after
# the dependency check below may have installed pkg-config and the libraries.
# On macOS what pkg-config does not find (libcsv has no .pc) is looked for
# in Homebrew's prefix: /opt/homebrew, Apple Silicon's, is not on the
# compiler's default paths (/usr/local, Intel's, is).
BREW_PREFIX := $(if $(filter Darwin,$(UNAME_S)),$(shell brew --prefix 2>/dev/null))
BREW_CFLAGS  = $(if $(BREW_PREFIX),-I$(BREW_PREFIX)/include)
BREW_LIBS    = $(if $(BREW_PREFIX),-L$(BREW_PREFIX)/lib)
ZSTD_CFLAGS = $(shell pkg-config --cflags libzstd 2>/dev/null || echo $(BREW_CFLAGS))
ZSTD_LIBS   = $(shell pkg-config --libs libzstd 2>/dev/null || echo $(BREW_LIBS) -lzstd)
CSV_CFLAGS  = $(shell pkg-config --cflags libcsv 2>/dev/null || echo $(BREW_CFLAGS))
CSV_LIBS    = $(shell pkg-config --libs libcsv 2>/dev/null || echo $(BREW_LIBS) -lcsv)

B         = build
CPPFLAGS_ALL = -Icommon -Iformat -Irecord -DPHOCUS_VERSION='"$(VERSION)"' $(HOST_DEFS)
CFLAGS_ALL   = $(STD) $(WARN) $(OPT) $(CPPFLAGS_ALL) $(ZSTD_CFLAGS) $(CSV_CFLAGS) $(CFLAGS)
SAN          = -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all

CMN_SRC   = $(wildcard common/*.c)
FMT_SRC   = $(wildcard format/*.c)
REC_MAIN  = record/rec_main.c
# The recorder's --check parses powermetrics samples with the analyzer's
# parser (analyze/powermetrics/pm_*.c, which needs only common/): its
# objects are in librec.a too.
PMP_SRC   = $(wildcard analyze/powermetrics/pm_*.c)
REC_SRC   = $(filter-out $(REC_MAIN),$(wildcard record/*.c)) $(PMP_SRC)
PLAT_SRC  = $(wildcard record/$(PLATFORM)/*.c)
FAKE_SRC  = $(wildcard record/fake/*.c)
AN_MAIN   = analyze/an_main.c
AN_SRC    = $(filter-out $(AN_MAIN),$(wildcard analyze/*.c analyze/powermetrics/*.c analyze/plot/*.c))
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
HELP_SRC  = $(wildcard tests/helpers/*.c)
BENCH_SRC = $(wildcard bench/*.c)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)

# obj(dir, sources) -> object paths under build/<dir>/
obj = $(patsubst %.c,$(B)/$(1)/%.o,$(2))

DEPS_OK   = $(B)/.deps-build
TEST_OK   = $(B)/.deps-test

# Where make install puts things (DESTDIR is prepended to each).
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

.PHONY: all check unit helpers bench fuzz demo check-darwin clean install install-lib uninstall
.SUFFIXES:

all: $(B)/phocus-record $(B)/phocus-analyze $(B)/libpmtrace.a

# ---- dependency check (installs what is missing, or says what to run) ----
$(DEPS_OK):
	@mkdir -p $(B)
	@scripts/install-deps --check build >/dev/null 2>&1 || scripts/install-deps build
	@touch $@

$(TEST_OK): $(DEPS_OK)
	@scripts/install-deps --check test >/dev/null 2>&1 || scripts/install-deps test
	@touch $@

# ---- objects: normal (build/obj) and sanitized (build/asan) ----
# The analyzer's folders include its model headers (an_trace.h) by name.
$(B)/obj/analyze/%.o $(B)/asan/analyze/%.o: CFLAGS_ALL += -Ianalyze
$(B)/obj/record/%.o $(B)/asan/record/%.o: CFLAGS_ALL += -Ianalyze/powermetrics
$(B)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/asan/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -MMD -MP -c $< -o $@

# ---- libraries ----
# build/libpmtrace.a is the trace library for other programs (make
# install-lib): the format's objects and the common/ ones they use, so it
# needs nothing else.  The programs link build/obj/libpmtrace.a (format
# only) and build/obj/libcommon.a.
$(B)/libpmtrace.a: $(call obj,obj,$(FMT_SRC) $(CMN_SRC))
	@rm -f $@
	ar rcs $@ $^

define libset
$(B)/$(1)/libcommon.a: $$(call obj,$(1),$$(CMN_SRC))
	@rm -f $$@; ar rcs $$@ $$^
$(B)/$(1)/libpmtrace.a: $$(call obj,$(1),$$(FMT_SRC))
	@rm -f $$@; ar rcs $$@ $$^
$(B)/$(1)/librec.a: $$(call obj,$(1),$$(REC_SRC))
	@rm -f $$@; ar rcs $$@ $$^
$(B)/$(1)/libplat.a: $$(call obj,$(1),$$(PLAT_SRC))
	@rm -f $$@; ar rcs $$@ $$^
$(B)/$(1)/libfake.a: $$(call obj,$(1),$$(FAKE_SRC))
	@rm -f $$@; ar rcs $$@ $$^
$(B)/$(1)/libanalyze.a: $$(call obj,$(1),$$(AN_SRC))
	@rm -f $$@; ar rcs $$@ $$^
endef
$(eval $(call libset,obj))
$(eval $(call libset,asan))

# ---- programs ----
$(B)/phocus-record: $(call obj,obj,$(REC_MAIN)) $(B)/obj/librec.a $(B)/obj/libplat.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(ZSTD_LIBS) $(PLAT_LIBS_$(PLATFORM)) -lm

$(B)/phocus-analyze: $(call obj,obj,$(AN_MAIN)) $(B)/obj/libanalyze.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(CSV_LIBS) $(ZSTD_LIBS) -lm

# The analyzer under ASan+UBSan, for the hostile-trace runs (tests/hostile.sh).
$(B)/asan/phocus-analyze: $(call obj,asan,$(AN_MAIN)) $(B)/asan/libanalyze.a $(B)/asan/libpmtrace.a $(B)/asan/libcommon.a
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(CSV_LIBS) $(ZSTD_LIBS) -lm

# ---- unit tests: tests/unit/test_*.c, one program each ----
# test_plat_* link the real platform backend, every other test the fake one.
UNIT_BIN  = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
UNIT_ASAN = $(patsubst tests/unit/%.c,$(B)/tests-asan/%,$(UNIT_SRC))
unit_plat = $(if $(filter test_plat_%,$(notdir $(1))),libplat.a,libfake.a)

$(B)/tests/%: tests/unit/%.c $(B)/obj/libanalyze.a $(B)/obj/librec.a $(B)/obj/libplat.a $(B)/obj/libfake.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/unit -Ianalyze -Irecord/fake -o $@ $< $(B)/obj/libanalyze.a $(B)/obj/librec.a $(B)/obj/$(call unit_plat,$*) $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a $(CSV_LIBS) $(ZSTD_LIBS) $(PLAT_LIBS_$(PLATFORM)) -lm

$(B)/tests-asan/%: tests/unit/%.c $(B)/asan/libanalyze.a $(B)/asan/librec.a $(B)/asan/libplat.a $(B)/asan/libfake.a $(B)/asan/libpmtrace.a $(B)/asan/libcommon.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -Itests/unit -Ianalyze -Irecord/fake -o $@ $< $(B)/asan/libanalyze.a $(B)/asan/librec.a $(B)/asan/$(call unit_plat,$*) $(B)/asan/libpmtrace.a $(B)/asan/libcommon.a $(CSV_LIBS) $(ZSTD_LIBS) $(PLAT_LIBS_$(PLATFORM)) -lm

# ---- test helper programs (workloads for end-to-end tests) ----
HELP_BIN = $(patsubst tests/helpers/%.c,$(B)/helpers/%,$(HELP_SRC))
$(B)/helpers/%: tests/helpers/%.c $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a $(ZSTD_LIBS) -lm

# A recorder whose platform gets its units wrong on purpose (the units
# check's test, t2250): this platform's backend compiled with platform_init
# and platform_sample_proc renamed, behind record/fake/units/platform_units.c.
UNITS_BIN    = $(B)/helpers/phocus-record-units
UNITS_RENAME = -Dplatform_init=real_platform_init \
	-Dplatform_sample_proc=real_platform_sample_proc
UNITS_OBJ    = $(call obj,units,$(PLAT_SRC))
$(B)/units/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(UNITS_RENAME) -MMD -MP -c $< -o $@
$(UNITS_BIN): record/fake/units/platform_units.c $(UNITS_OBJ) $(call obj,obj,$(REC_MAIN)) $(B)/obj/librec.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(UNITS_OBJ) $(call obj,obj,$(REC_MAIN)) $(B)/obj/librec.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a $(ZSTD_LIBS) $(PLAT_LIBS_$(PLATFORM)) -lm
HELP_BIN += $(UNITS_BIN)

unit: $(UNIT_BIN) $(UNIT_ASAN)

# what the end-to-end tests run beside the programs (tests/lib.sh checks)
helpers: $(HELP_BIN)

SHELL_TESTS = $(sort $(wildcard tests/t[0-9]*.sh))

check: all $(UNIT_BIN) $(UNIT_ASAN) $(HELP_BIN) $(B)/asan/phocus-analyze $(TEST_OK)
	@B=$(B) tests/run $(UNIT_BIN) $(UNIT_ASAN) $(SHELL_TESTS) tests/fuzz-smoke.sh tests/check-darwin.sh

# ---- fuzzing (libFuzzer, clang) ----
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_BIN   = $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
$(B)/fuzz/%: tests/fuzz/%.c $(FMT_SRC) $(CMN_SRC) $(wildcard format/*.h common/*.h) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(STD) $(WARN) -g -O1 $(CPPFLAGS_ALL) $(ZSTD_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FMT_SRC) $(CMN_SRC) $(ZSTD_LIBS)

HOSTILE_SEEDS ?= 1000
fuzz: $(FUZZ_BIN) $(B)/asan/phocus-analyze $(HELP_BIN)
	@for f in $(FUZZ_BIN); do \
	  n=$${f##*/}; mkdir -p $(B)/fuzz-corpus/$$n; \
	  echo "fuzzing $$n for $(FUZZ_TIME) s (corpus: $(B)/fuzz-corpus/$$n, seeds: tests/data/fuzz-seeds/)"; \
	  $$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 $(B)/fuzz-corpus/$$n tests/data/fuzz-seeds || exit 1; \
	done
	@echo "hostile traces: every analyzer command on $(HOSTILE_SEEDS) of them (seeds 1..$(HOSTILE_SEEDS)), ASan+UBSan"
	@rm -rf $(B)/hostile && B=$(B) tests/hostile.sh 1 $(HOSTILE_SEEDS) $(B)/hostile

# ---- benchmarks ----
BENCH_BIN = $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))
$(B)/bench/%: bench/%.c $(B)/obj/libanalyze.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Ianalyze -o $@ $< $(B)/obj/libanalyze.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a $(CSV_LIBS) $(ZSTD_LIBS) -lm

# bench_ior runs the shared recorder code on the fake platform
$(B)/bench/bench_ior: bench/bench_ior.c $(B)/obj/librec.a $(B)/obj/libfake.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Irecord/fake -o $@ $< $(B)/obj/librec.a $(B)/obj/libfake.a $(B)/obj/libpmtrace.a $(B)/obj/libcommon.a $(ZSTD_LIBS) -lm

bench: all $(BENCH_BIN) $(HELP_BIN)
	@scripts/install-deps --check bench >/dev/null 2>&1 || scripts/install-deps bench
	@B=$(B) bench/run

# ---- demo: the README's first command ----
demo: all $(TEST_OK)
	@scripts/demo

# ---- macOS compile and link check ----
check-darwin:
	@scripts/check-darwin

# ---- install ----
MANPAGES = record/phocus-record.1 analyze/phocus-analyze.1

install: $(B)/phocus-record $(B)/phocus-analyze
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/phocus-record $(B)/phocus-analyze $(DESTDIR)$(BINDIR)/
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

# pmtrace.pc, made again each time (PREFIX may differ): its paths relative
# to ${prefix} where they are under PREFIX, so that pkg-config
# --define-variable=prefix=... can move it.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
$(B)/pmtrace.pc: format/pmtrace.pc.in FORCE | $(DEPS_OK)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    format/pmtrace.pc.in >$@

install-lib: $(B)/libpmtrace.a $(B)/pmtrace.pc
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 $(B)/libpmtrace.a $(DESTDIR)$(LIBDIR)/
	install -m 644 format/pmtrace.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(B)/pmtrace.pc $(DESTDIR)$(PKGCONFIGDIR)/

FORCE:

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/phocus-record $(DESTDIR)$(BINDIR)/phocus-analyze
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)))
	rm -f $(DESTDIR)$(LIBDIR)/libpmtrace.a $(DESTDIR)$(INCLUDEDIR)/pmtrace.h
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/pmtrace.pc

clean:
	rm -rf $(B) out

-include $(shell find $(B) -name '*.d' 2>/dev/null)
