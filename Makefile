# The two commands a new user needs: `make demo` and `make test` (see README.md).
# Both install the Debian packages that are missing, configure and build first.

BUILD    ?= build
JOBS     ?= $(shell nproc)
DEMO_DIR ?= demo
# Build tools and libraries, all from Debian's packages. nlohmann-json3-dev: JSON Lines input
# with exact number text, and JSON output; libssl-dev: SHA-256 from OpenSSL's libcrypto.
PACKAGES := g++ cmake ninja-build pkg-config python3 sqlite3 libsqlite3-dev libcli11-dev \
            libfmt-dev libyaml-cpp-dev doctest-dev libssl-dev nlohmann-json3-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test test-sanitize demo bench bench-publish report-check clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD)/build.ninja

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer (CI runs it).
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRBL_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS)

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
	rm -rf $(BUILD) $(BUILD)-asan $(DEMO_DIR)
