# migralink — two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= migralink.duckdb
PORT   ?= 8000
# browser tests drive Debian's Chromium through Playwright (never a downloaded browser)
CHROMIUM := /usr/bin/chromium
# a Korean font, so that screenshots of the dashboard show Hangul
FONT_KO := /usr/share/fonts/truetype/nanum/NanumGothic.ttf
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# R with the survey package: the oracle of the survey tests (Debian's, never CRAN)
RSURVEY := /usr/lib/R/site-library/survey/DESCRIPTION
RMASS   := /usr/lib/R/library/MASS/DESCRIPTION
# pdftoppm/pdftotext check the rendered profiles
POPPLER := /usr/bin/pdftoppm
# axe-core (npm) checks the dashboard's accessibility inside Chromium
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test setup lint typecheck bench sample geo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends chromium

$(FONT_KO):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends fonts-nanum

$(RSURVEY):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends r-base-core r-cran-survey

# MASS gives R's bounded calibration (calfun with bounds), the oracle of bounded GREG
$(RMASS): $(RSURVEY)
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends r-cran-mass

$(POPPLER):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends poppler-utils

$(AXE): package.json
	npm install --no-audit --no-fund
	touch $(AXE)

TOOLS := $(CHROMIUM) $(FONT_KO) $(RSURVEY) $(RMASS) $(POPPLER) $(AXE)

setup: $(STAMP) $(TOOLS)

## geo: rebuild the dashboard's boundary files from ../shared/data
geo: $(STAMP)
	$(BIN)/python -m migralink.web.build_geo --shared ../shared/data

## run: build the evidence base from the bundled sample, compute the indicators, print the
## headline, then serve the dashboard and API on http://127.0.0.1:$(PORT)/ (make run PORT=8080)
run: $(STAMP)
	rm -f $(DB) $(DB).wal
	$(BIN)/migralink sample load --db $(DB)
	$(BIN)/migralink indicators compute --db $(DB)
	$(BIN)/migralink top --db $(DB)
	$(BIN)/migralink serve --db $(DB) --port $(PORT)

## test: lint, type-check and run the test suite
test: $(STAMP) $(TOOLS)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## bench: every benchmark (prints figures against a baseline run in the same process; no
## pass/fail). Each script also runs alone: see bench/README.md.
# anonlink/clkhash pin an old cryptography: the Dice oracle lives in its own venv, never ours
ORACLE := .venv-oracle/bin/python
$(ORACLE):
	sh bench/oracle-venv.sh

bench: $(TOOLS) $(STAMP) $(ORACLE)
	$(BIN)/python bench/cube.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/indicators.py --shared ../shared/data
	$(BIN)/python bench/disclosure.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/survey.py
	$(BIN)/python bench/media.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/linkage.py

## sample: rebuild the bundled sample from ../shared/data with our own ingest code
sample: $(STAMP)
	$(BIN)/migralink sample build --shared ../shared/data

clean:
	rm -rf $(VENV) node_modules $(DB) $(DB).wal .pytest_cache .mypy_cache .ruff_cache
