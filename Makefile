# Set-up and the two entry points the README names: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test build validate

$(STAMP): pyproject.toml package.json package-lock.json
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP)

# Build graph/ if stale, then serve it on 127.0.0.1:8000 (embedded Oxigraph store).
run: setup
	$(BIN)/python serve.py

# The browser tests need Debian's chromium; install it when missing (as root, as in CI).
test: setup
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/python -m pytest -q

build: setup
	$(BIN)/dossier build

validate: setup
	$(BIN)/dossier validate
