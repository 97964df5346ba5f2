# Set-up and the two entry points the README names: `make run` and `make test`.
# Any Python >= 3.11 will do: the first found of python3 (if new enough), python3.13, python3.12,
# python3.11; or name one with `make PY=/path/to/python ...`.
PY ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v $(p))))
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test check build validate

$(STAMP): pyproject.toml package.json package-lock.json
	@test -n "$(PY)" || { echo "Python >= 3.11 is needed: none of python3, python3.13, python3.12, python3.11 is new enough; install one, or name it with PY=/path/to/python"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

# The W3C SPARQL test suites the conformance tests run (tests/test_w3c_*.py). They are third-party
# text, so they are not in the repository: pip fetches the rdflib source release that carries them
# into .cache/w3c/ (ignored by git), and only the suites the tests read are unpacked.
W3C_VERSION := 7.1.4
W3C_DIR := .cache/w3c
W3C_ROOT := rdflib-$(W3C_VERSION)/test/data/suites/w3c
W3C_SUITES := sparql11/protocol sparql11/property-path sparql11/aggregates sparql11/bind sparql11/negation \
	sparql11/subquery sparql11/grouping sparql11/bindings sparql11/exists dawg-data-r2/optional dawg-data-r2/graph \
	dawg-data-r2/sort dawg-data-r2/distinct
W3C_STAMP := $(W3C_DIR)/.unpacked-$(W3C_VERSION)

$(W3C_STAMP): Makefile | $(STAMP)
	mkdir -p $(W3C_DIR)
	test -f $(W3C_DIR)/rdflib-$(W3C_VERSION).tar.gz || $(BIN)/pip download --quiet --no-deps --no-binary :all: rdflib==$(W3C_VERSION) -d $(W3C_DIR)
	tar -xzf $(W3C_DIR)/rdflib-$(W3C_VERSION).tar.gz -C $(W3C_DIR) $(addprefix $(W3C_ROOT)/,$(W3C_SUITES))
	touch $@

setup: $(STAMP) $(W3C_STAMP)

# Build graph/ if stale, then serve it on http://$(HOST):$(PORT)/ (embedded Oxigraph store).
run: setup
	$(BIN)/python serve.py --host $(HOST) --port $(PORT)

# The browser tests need Debian's chromium, and the push tests Virtuoso (virtuoso-opensource).
# As root (as in CI) each is installed when missing; without root, say so (see the README).
test: setup
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed and installing it needs root: ask for 'apt-get install chromium' (Debian/Ubuntu); the browser tests are skipped until then (they fail in CI)"; fi; }
	@command -v virtuoso-t >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	  else echo "virtuoso-t is not installed and installing it needs root: ask for 'apt-get install virtuoso-opensource'; the Virtuoso push tests fail until then"; fi; }
	$(BIN)/python -m pytest -q

# The fast tier for the edit loop: the unit tests that run no build (tests/conftest.py says which).
check: setup
	$(BIN)/python -m pytest -q -x -m "unit and not builds"

build: setup
	$(BIN)/dossier build

validate: setup
	$(BIN)/dossier validate
