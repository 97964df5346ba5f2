# Set-up and the two entry points the README names: `make run` and `make test`.
# Any Python >= 3.11 will do: the first found of python3 (if new enough), python3.13, python3.12,
# python3.11; or name one with `make PY=/path/to/python ...`.
PY ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v $(p))))
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test build validate

$(STAMP): pyproject.toml package.json package-lock.json
	@test -n "$(PY)" || { echo "Python >= 3.11 is needed: none of python3, python3.13, python3.12, python3.11 is new enough; install one, or name it with PY=/path/to/python"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP)

# Build graph/ if stale, then serve it on http://$(HOST):$(PORT)/ (embedded Oxigraph store).
run: setup
	$(BIN)/python serve.py --host $(HOST) --port $(PORT)

# The browser tests need Debian's chromium. As root (as in CI) it is installed when missing;
# without root, say so: the browser tests are then skipped outside CI (see the README).
test: setup
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed and installing it needs root: ask for 'apt-get install chromium' (Debian/Ubuntu); the browser tests are skipped until then (they fail in CI)"; fi; }
	$(BIN)/python -m pytest -q

build: setup
	$(BIN)/dossier build

validate: setup
	$(BIN)/dossier validate
