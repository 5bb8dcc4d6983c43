# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The reference Dagster 1.13 venv that tests run real Dagster from (one place for its path).
export HEADWATER_REF_DAGSTER ?= $(CURDIR)/.ref/dagster-1.13

.PHONY: demo demo-assets demo-pipes test bench lint fmt clean

$(STAMP): pyproject.toml headwater-pipes/pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# headwater-pipes first: headwater depends on it by name, and it is not on the index.
	$(BIN)/pip install --quiet -e ./headwater-pipes
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/cereal/run_demo.py

# The weather project through the CLI: a week's backfill of a partitioned asset graph with
# checks, then every asset's freshness. Runs are recorded in a throwaway instance.
demo-assets: $(STAMP)
	export HEADWATER_HOME=$$(mktemp -d) && \
	$(BIN)/headwater asset materialize -f examples/weather/definitions.py \
		--select "*weekly_report" --partition-range 2024-01-01...2024-01-07 && \
	$(BIN)/headwater asset list -f examples/weather/definitions.py

# Pipes: an asset runs examples/pipes/external_orders.py (headwater_pipes) through
# PipesSubprocessClient; then an unmodified shell script reports through `headwater pipes
# run` and its rules. Both runs' events are printed from a throwaway instance.
demo-pipes: $(STAMP)
	export HEADWATER_HOME=$$(mktemp -d) && \
	$(BIN)/headwater asset materialize -f examples/pipes/definitions.py --select orders && \
	$(BIN)/headwater run logs $$($(BIN)/headwater run list | awk 'NR==2 {print $$1}') && \
	$(BIN)/headwater pipes run --rules examples/pipes/rules.yaml -- sh examples/pipes/legacy_export.sh && \
	$(BIN)/headwater run logs $$($(BIN)/headwater run list | awk 'NR==2 {print $$1}')

test: $(STAMP) lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks headwater-pipes
	$(BIN)/ruff format --check src tests examples benchmarks headwater-pipes
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases tests
	# headwater-pipes runs on Python 3.9: type-check it as 3.9 code.
	$(BIN)/mypy --python-version 3.9 headwater-pipes/src/headwater_pipes
	$(BIN)/mypy --explicit-package-bases headwater-pipes/tests
	$(BIN)/lint-imports --no-cache

fmt: $(STAMP)
	$(BIN)/ruff format src tests examples benchmarks headwater-pipes
	$(BIN)/ruff check --fix src tests examples benchmarks headwater-pipes

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
