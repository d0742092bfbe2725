# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SCALE ?= 1
BENCH_SCALES ?= 1 10 100

.PHONY: install install-dev run test lint bench bench-large bench-http soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP) $@

install: $(STAMP)  ## the virtualenv with ecokg and its dependencies

install-dev: $(DEV_STAMP)  ## the same, plus the test and lint tools

run: install  ## load the demo ecosystem into the embedded store and serve it on http://127.0.0.1:8000
	$(BIN)/ecokg demo --scale $(SCALE) --out var/demo
	$(BIN)/ecokg serve

test: install-dev  ## the whole test suite
	scripts/ensure-chromium
	$(BIN)/python -m pytest

bench: install-dev  ## benchmarks (not tests): rewrites every section of bench/BENCHMARKS.md (about 2 h)
	$(BIN)/python bench/load.py --scales $(BENCH_SCALES)
	for scale in $(BENCH_SCALES); do $(BIN)/python bench/named_queries.py --scale $$scale || exit 1; done
	$(BIN)/python bench/link_quality.py --write
	$(BIN)/python bench/cordis_scale.py
	$(BIN)/python bench/kbo_scale.py
	$(MAKE) bench-http

bench-large: install-dev  ## the demo x1000 (>= 5 M triples): load beside bulk_load, then every named query
	$(BIN)/python bench/load.py --scales 1000 --repeat 1 --rdflib-max 0 --keep var/bench/loaded
	$(BIN)/python bench/named_queries.py --scale 1000 --repeat 1 --raw-max-s 60 --home var/bench/loaded/x1000

bench-http: install-dev  ## HTTP throughput and latency of ecokg serve beside oxigraph serve (about 15 min a scale)
	for scale in $(BENCH_SCALES); do $(BIN)/python bench/serve.py --scale $$scale --clients 1 8 16 || exit 1; done

soak: install-dev  ## 50 users (1 s think time), then 50 closed-loop clients, 60 s of mixed requests each against ecokg serve on the x100 demo: errors, p99, memory
	$(BIN)/python bench/soak.py --scale 100 --clients 50 --seconds 60 --think 1
	$(BIN)/python bench/soak.py --scale 100 --clients 50 --seconds 60 --think 0

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache *.egg-info
