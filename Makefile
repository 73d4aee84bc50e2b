# Two commands for a fresh machine:
#   make run    install, analyse and store the example articles (or DATA=...) in the embedded SQLite, serve them
#   make test   install everything the tests need and run the whole suite
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= src/rasd/data/examples
DB ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev frontend system-deps run analyze test lint eval bench

# `run` needs the package and its server extra; `test` everything (PostgreSQL driver, Spark, linters).
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[server]"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[dev,all]"
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

frontend:
	@if [ -f frontend/package.json ]; then bash scripts/build_frontend.sh; fi

system-deps:
	bash scripts/ci/system_deps.sh

run: setup frontend
	$(VENV)/bin/rasd ingest $(DATA) $(if $(DB),--db $(DB)) || [ $$? -eq 2 ]
	$(VENV)/bin/rasd incidents $(if $(DB),--db $(DB)) --format table
	$(VENV)/bin/rasd serve $(if $(DB),--db $(DB)) --host $(HOST) --port $(PORT)

analyze: setup
	$(VENV)/bin/rasd analyze $(DATA)

test: system-deps setup-dev frontend
	bash scripts/ci/test.sh

lint: setup-dev
	$(VENV)/bin/ruff check src tests scripts benchmarks

eval: setup
	$(VENV)/bin/rasd evaluate

bench: setup
	$(PY) benchmarks/bench_pipeline.py
