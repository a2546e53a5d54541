# Two commands set everything up: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

export CRM_DATA_DIR ?= $(CURDIR)/data
export CRM_LANDING_DIR ?= $(CRM_DATA_DIR)/landing
export CRM_WAREHOUSE ?= $(CRM_DATA_DIR)/warehouse.duckdb
export DAGSTER_HOME ?= $(CRM_DATA_DIR)/dagster_home
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False
# One "planned" event per asset for a backfill run, not one per day (see orchestration/__init__.py): for the daemon of `make dev`.
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS := true

.PHONY: run test test-fast mutations browser report dev manifest dbt-sources sample bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

## run: install, generate sample exports if the landing zone is empty, refresh everything, print a summary
run: $(VENV)/.installed
	@if [ -z "$$(find "$(CRM_LANDING_DIR)" -type f 2>/dev/null | head -n 1)" ]; then \
		echo "Landing zone $(CRM_LANDING_DIR) is empty: generating sample exports"; \
		$(PY) -m ingestion.generate --out "$(CRM_LANDING_DIR)"; \
	fi
	$(PY) -m orchestration.refresh

## test: install and run the whole test suite, slow tests included, one worker per core (a module stays on one worker)
test: $(VENV)/.installed browser
	$(PY) -m pytest -m "" -n auto --dist loadscope --durations=15

## test-fast: the quick development run, without the tests marked slow (dbt, Dagster, whole refreshes)
test-fast: $(VENV)/.installed
	$(PY) -m pytest

## mutations: break the code once per kind of check, in temporary copies; each named test must turn red
mutations: $(VENV)/.installed
	$(PY) -m tests.mutations

## browser: headless Chromium for the report test (best effort: needs apt and root; CI has both)
browser:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) || true

## report: build data/reports/kpi_report.html from the serving copy (CRM_REPORT_LANGUAGE=de|en)
report: $(VENV)/.installed
	$(PY) -m report

## manifest: parse the dbt project (needed before `dagster dev`)
manifest: $(VENV)/.installed
	$(PY) -m orchestration.manifest

## dbt-sources: write the dbt sources and staging value sets from ingestion/contracts/ (after editing a contract)
dbt-sources: $(VENV)/.installed
	$(PY) -m ingestion.dbt_files

## dev: the Dagster UI on http://localhost:3000 (schedules and sensors run while it is up)
dev: manifest
	mkdir -p "$(DAGSTER_HOME)" && cp -n config/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"
	$(VENV)/bin/dagster dev -w workspace.yaml

## bench: the refresh cold, warm and nightly vs the same-work limit at size S, ingestion throughput (tables + JSON under data/bench/)
bench: $(VENV)/.installed
	$(PY) -m bench all --size S

## sample: (re)generate sample exports into the landing zone
sample: $(VENV)/.installed
	$(PY) -m ingestion.generate --out "$(CRM_LANDING_DIR)"

clean:
	rm -rf data dbt_project/target dbt_project/logs
