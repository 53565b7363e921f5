# migralink — two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= migralink.duckdb
# browser tests drive Debian's Chromium through Playwright (never a downloaded browser)
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test setup lint typecheck bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends chromium

setup: $(STAMP) $(CHROMIUM)

## run: build the evidence base from the bundled sample, compute the indicators, print the headline
run: $(STAMP)
	rm -f $(DB) $(DB).wal
	$(BIN)/migralink sample load --db $(DB)
	$(BIN)/migralink indicators compute --db $(DB)
	$(BIN)/migralink top --db $(DB)

## test: lint, type-check and run the test suite
test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## bench: the cube aggregation benchmark (prints figures; no pass/fail)
bench: $(STAMP)
	$(BIN)/python bench/cube.py

## sample: rebuild the bundled sample from ../shared/data with our own ingest code
sample: $(STAMP)
	$(BIN)/migralink sample build --shared ../shared/data

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache .mypy_cache .ruff_cache
