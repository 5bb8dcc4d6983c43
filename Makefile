# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-assets demo-pipes demo-automation demo-ui test parity bench lint fmt clean ui ui-test

# The reference environments for the parity suite (tests/parity/): real Dagster, pinned,
# in ignored folders and never in .venv. 1.13 runs on the project's Python; the legacy
# solid/pipeline API's reference, 0.15.10, needs Python 3.10.
REF113 := .ref/dagster-1.13
REF015 := .ref/dagster-0.15
# The one place the 1.13 reference's interpreter is named, for the parity suite and for the
# tests that run real Dagster (headwater-pipes/tests).
export PARITY_REF_113 ?= $(CURDIR)/$(REF113)/bin/python
PY310 ?= $(shell scripts/find_python.sh 3.10)

$(STAMP): pyproject.toml headwater-pipes/pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# headwater-pipes first: headwater depends on it by name, and it is not on the index.
	$(BIN)/pip install --quiet -e ./headwater-pipes
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(REF113)/.installed: tests/parity/requirements-1.13.txt
	test -d $(REF113) || $(PYTHON) -m venv $(REF113)
	$(REF113)/bin/pip install --quiet -r tests/parity/requirements-1.13.txt
	touch $@

$(REF015)/.installed: tests/parity/requirements-0.15.txt
	@test -n "$(PY310)" || { echo "make parity needs Python 3.10 (python3.10 or pyenv)"; exit 1; }
	test -d $(REF015) || $(PY310) -m venv $(REF015)
	$(REF015)/bin/pip install --quiet -r tests/parity/requirements-0.15.txt
	touch $@

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

# The daemon runs a schedule (its missed ticks) and a sensor (a file per run) from
# examples/automation; `headwater run list` shows the runs. A few seconds, throwaway instance.
demo-automation: $(STAMP)
	$(BIN)/python examples/automation/run_demo.py

# The web UI on every example: `headwater dev` (the daemon and the web server) over
# examples/workspace.yaml in a throwaway instance; prints the URL once the server answers.
# Ctrl-C stops it. `make demo-ui UI_PORT=3001` when 3000 is taken.
UI_PORT ?= 3000
demo-ui: $(STAMP)
	$(BIN)/python examples/demo_ui.py --port $(UI_PORT)

test: $(STAMP) lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Re-record the reference's observations (fails when a committed recording was stale),
# then report how headwater compares. `make test` checks against the recordings alone.
parity: $(STAMP) $(REF113)/.installed $(REF015)/.installed
	$(BIN)/python tests/parity/record.py --check --report $(PARITY_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks headwater-pipes
	$(BIN)/ruff format --check src tests examples benchmarks headwater-pipes
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases tests --exclude 'tests/parity/scenarios/'
	# headwater-pipes runs on Python 3.9: type-check it as 3.9 code.
	$(BIN)/mypy --python-version 3.9 headwater-pipes/src/headwater_pipes
	$(BIN)/mypy --explicit-package-bases headwater-pipes/tests
	$(BIN)/lint-imports --no-cache

fmt: $(STAMP)
	$(BIN)/ruff format src tests examples benchmarks headwater-pipes
	$(BIN)/ruff check --fix src tests examples benchmarks headwater-pipes

# The web UI (ui/, Preact + CodeMirror, built by Vite) ships prebuilt inside the package, in
# src/headwater/webserver/static/: only these two targets need Node and npm.
ui:
	cd ui && npm ci --no-audit --no-fund && npm run build

ui-test:
	cd ui && npm ci --no-audit --no-fund && npm test

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .ref build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
