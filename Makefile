# The two commands a new user needs: `make demo` and `make test` (see README.md).
# Both install the Debian packages that are missing, configure and build first.

BUILD    ?= build
JOBS     ?= $(shell nproc)
DEMO_DIR ?= demo
# Build tools and libraries, all from Debian's packages. nlohmann-json3-dev: JSON Lines input
# with exact number text, and JSON output; libssl-dev: SHA-256 from OpenSSL's libcrypto;
# libutf8proc-dev: Unicode NFKC, so that a column name that only looks like a known one (ASCII
# vs full-width brackets) is caught. libpango1.0-dev, libcairo2-dev, fonts-noto-cjk: the
# subject's credit report as PDF (pango lays out Chinese text in the Noto CJK font, cairo writes
# the PDF with the font embedded); poppler-utils: pdftotext and pdffonts, with which the tests
# read the PDF back. libxlsxwriter-dev: rbl-publish --format xlsx, spreadsheets whose identifiers
# stay text (an 18-digit number would lose digits) with dates as dates and amounts as numbers.
# libpq-dev: the PostgreSQL store; postgresql: the server of the throwaway cluster `make test`
# runs the suite on as the second store (tests/pg/cluster.sh); python3-psycopg2: the tests'
# own queries on it. gettext: msgfmt compiles the message catalogs (po/), xgettext and msgmerge
# keep them up to date (`make po`). dpkg-dev: dpkg-shlibdeps, by which CPack names the .deb's
# dependencies (`make package`); man-db: the package test opens the installed man pages.
PACKAGES := g++ cmake ninja-build pkg-config python3 sqlite3 libsqlite3-dev libcli11-dev \
            libfmt-dev libyaml-cpp-dev doctest-dev libssl-dev nlohmann-json3-dev libutf8proc-dev \
            libpango1.0-dev libcairo2-dev fonts-noto-cjk poppler-utils libxlsxwriter-dev \
            libpq-dev postgresql python3-psycopg2 gettext dpkg-dev man-db

# Fuzzing (make fuzz, make fuzz-smoke): clang 14 and its runtime libraries, which hold libFuzzer
# (libclang_rt.fuzzer) and the sanitizers.
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_BUILD    ?= build-fuzz
FUZZ_SECONDS  ?= 60
FUZZ_SMOKE_SECONDS ?= 10

# The team's builds treat warnings as errors; a plain `cmake` build does not (RBL_WERROR is off
# by default). `make test WERROR=` builds as a user would.
WERROR ?= -DRBL_WERROR=ON

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps fuzz-deps configure build package test test-fast test-long test-sanitize test-release \
        fuzz-build fuzz \
        fuzz-smoke demo bench \
        bench-publish report-check po clean

all: build

# Installs the Debian packages of $(1) that are missing.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

fuzz-deps: deps
	$(call install_missing,$(FUZZ_PACKAGES))

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(WERROR)

configure: $(BUILD)/build.ninja

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

# The messages marked in the sources (tr, trf, trn, trnf) extracted into po/rbl.pot and merged into
# each language's catalog; tests/lint/test_messages.py then names what lacks a translation.
po: deps
	python3 tests/lint/test_messages.py --write-pot po/rbl.pot
	for po in po/*.po; do \
	  msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching $$po po/rbl.pot && \
	  msgattrib --no-obsolete --no-wrap -o $$po $$po; \
	done

# Every test, on both stores: SQLite first, then the end-to-end suite on PostgreSQL in a
# throwaway cluster (tests/pg/run.sh starts it, and stops and removes it at the end).
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE pg
	bash tests/pg/run.sh $(BUILD)

# The quick part of the suite while working: unit tests, source checks and the shorter
# end-to-end suites (ctest label `fast`).
test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L fast -LE pg

# The proof of equality of incremental and full adjudication (tests/cli/test_incremental.py) in
# its long version: 120 days over 400 subjects, a few minutes. RBL_TEST_SEED=N replays a seed.
test-long: build
	RBL_TEST_LONG=1 RBL_BIN_DIR=$(CURDIR)/$(BUILD)/bin RBL_SOURCE_DIR=$(CURDIR) \
	  python3 tests/cli/test_incremental.py

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer (CI runs it).
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRBL_SANITIZE=ON $(WERROR)
	cmake --build $(BUILD)-asan -j $(JOBS)
	ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS) -LE pg

# The Release build (-O3) with warnings fatal: some warnings only an optimised build gives (CI
# runs it). Builds everything and runs the fast part of the suite (ctest -L fast).
test-release: deps
	cmake -S . -B $(BUILD)-release -G Ninja -DCMAKE_BUILD_TYPE=Release $(WERROR)
	cmake --build $(BUILD)-release -j $(JOBS)
	ctest --test-dir $(BUILD)-release --output-on-failure -j $(JOBS) -L fast

# libFuzzer targets (tests/fuzz) in their own build folder, compiled by clang with AddressSanitizer
# and UndefinedBehaviorSanitizer; `make fuzz` runs each for FUZZ_SECONDS, `make fuzz-smoke` (CI)
# for FUZZ_SMOKE_SECONDS. A finding fails the run and leaves its input in $(FUZZ_BUILD)/artifacts.
fuzz-build: fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	      -DCMAKE_CXX_COMPILER=clang++ -DRBL_FUZZ=ON $(WERROR)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	python3 tests/fuzz/run_fuzzers.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	python3 tests/fuzz/run_fuzzers.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SMOKE_SECONDS)

# The .deb of a Release build (CPack; packaging/CMakeLists.txt), with its dependencies on
# Debian's packages declared: $(BUILD)-release/rbl_VERSION_ARCH.deb.
package: deps
	cmake -S . -B $(BUILD)-release -G Ninja -DCMAKE_BUILD_TYPE=Release $(WERROR)
	cmake --build $(BUILD)-release -j $(JOBS)
	cd $(BUILD)-release && cpack -G DEB
	@ls -l $(BUILD)-release/rbl_*.deb

demo: build
	@bash samples/demo.sh $(BUILD)/bin $(DEMO_DIR)

bench: build
	@bash bench/run_import.sh $(BUILD)/bin

# Export speed: 1,000,000 entries to CSV (docs/PERFORMANCE.md).
bench-publish: build
	@bash bench/run_publish.sh $(BUILD)/bin

# The summary report rendered by headless Chromium (Debian's chromium, and a CJK font for the
# Chinese titles, installed here when missing: they are large, so `make test` skips that one
# test when Chromium is absent).
REPORT_PACKAGES := chromium fonts-wqy-zenhei
report-check: build
	@missing=""; for p in $(REPORT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi
	RBL_BIN_DIR=$(CURDIR)/$(BUILD)/bin RBL_SOURCE_DIR=$(CURDIR) \
	  python3 tests/cli/test_publish.py Report

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-release $(FUZZ_BUILD) $(DEMO_DIR)
