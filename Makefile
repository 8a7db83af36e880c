# The README's commands. `make run` sets up, builds the warehouse and starts the app;
# `make test` sets up and runs every test (dbt tests run inside the build).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
WAREHOUSE := warehouse/transitiemonitor.duckdb
PORT ?= 8501
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

.PHONY: setup system-packages browser build run test lint bench docs template clean

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser test (never `playwright install`: there is no internet) and Debian's
# postgresql for the vote-store tests, which start a throwaway server of their own.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installeren (apt-get):$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

browser: system-packages

build: setup
	$(PY) -m warehouse.build

# Rebuilt when any raw file or dbt/build code is newer than the warehouse.
$(WAREHOUSE): $(shell find data_raw dbt_project/models dbt_project/tests dbt_project/macros dbt_project/seeds \
		dbt_project/*.yml warehouse/*.py warehouse/*/*.py -type f 2>/dev/null)
	$(MAKE) build

run: setup $(WAREHOUSE)
	$(PY) -m app.serve --port $(PORT)

test: setup system-packages
	$(PY) -m ruff check app warehouse tests
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check app warehouse tests
	$(PY) -m ruff format --check app warehouse tests

# `make template JAAR=2026`: the form for that measurement, pre-filled from the warehouse (sessions, previous scores).
template: setup
	$(PY) -m warehouse.template $(if $(JAAR),--jaar $(JAAR))

docs: setup $(WAREHOUSE)
	$(PY) -m warehouse.docs

bench: setup system-packages
	$(PY) -m tests.benchmark

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb tests/artifacts
