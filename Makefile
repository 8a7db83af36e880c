# The README's commands. `make run` sets up, builds the warehouse and starts the app;
# `make test` sets up and runs every test (dbt tests run inside the build).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
WAREHOUSE := warehouse/transitiemonitor.duckdb
PORT ?= 8501
STAGING_PORT ?= 8080
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

# The test identity provider (npm package oidc-provider, exact version in tests/oidc/package-lock.json).
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
# axe-core for the accessibility test (exact version in tests/a11y/package-lock.json).
AXE := tests/a11y/node_modules/.package-lock.json

.PHONY: setup system-packages browser oidc a11y build run test lint bench sizing docs template staging backup restore clean

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser test (never `playwright install`: there is no internet), Debian's
# postgresql for the vote-store tests, which start a throwaway server of their own, and for `make staging`
# Debian's nginx and Node.js with npm (the test identity provider); LibreOffice Impress and poppler render the
# hand-out's slides to PNG for its test (tests/test_handout_layout.py skips that part without them).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-impress"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installeren (apt-get):$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

browser: system-packages

# `npm ci`: exactly the locked versions, from the npm registry, once (again only when the lock file changes).
$(OIDC_PROVIDER): tests/oidc/package-lock.json tests/oidc/package.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $@

oidc: system-packages $(OIDC_PROVIDER)

$(AXE): tests/a11y/package-lock.json tests/a11y/package.json
	npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
	@touch $@

a11y: system-packages $(AXE)

build: setup
	$(PY) -m warehouse.build

# Rebuilt when any raw file or dbt/build code is newer than the warehouse.
$(WAREHOUSE): $(shell find data_raw dbt_project/models dbt_project/tests dbt_project/macros dbt_project/seeds \
		dbt_project/*.yml warehouse/*.py warehouse/*/*.py -type f 2>/dev/null)
	$(MAKE) build

run: setup $(WAREHOUSE)
	$(PY) -m app.serve --port $(PORT)

# Two workers (pytest-xdist), one per core of the CI machine; a module's tests stay on one worker (tests/conftest.py).
# Tests that measure how long people wait (marked `alone`) run afterwards, with nothing beside them.
TEST_WORKERS ?= 2
test: setup system-packages oidc a11y lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not alone"
	$(PY) -m pytest -m alone

# ruff (style, imports, complexity C901 ≤ 12: see pyproject.toml) gates; the duplicates report is for reading
# (it always exits 0) and runs where the machine has the tool (developers' machines, not every CI runner).
lint: setup
	$(PY) -m ruff check app warehouse tests deploy
	$(PY) -m ruff format --check app warehouse tests deploy
	@if command -v duplicates >/dev/null 2>&1; then duplicates --most 15; \
	else echo "duplicates: niet op deze machine, overgeslagen"; fi

# `make template JAAR=2026`: the form for that measurement, pre-filled from the warehouse (sessions, previous scores).
template: setup
	$(PY) -m warehouse.template $(if $(JAAR),--jaar $(JAAR))

docs: setup $(WAREHOUSE)
	$(PY) -m warehouse.docs

bench: setup system-packages $(WAREHOUSE)
	$(PY) -m tests.benchmark
	$(PY) -m tests.bench_floor

# Viewers per app server at p95 page load ≤ 2 s, one server and two (the table in docs/hosting.md).
sizing: setup system-packages oidc $(WAREHOUSE)
	$(PY) -m tests.sizing

# The hosted topology on this machine: PostgreSQL, two app servers, nginx in front, the test identity provider.
# Prints the one URL to open (port STAGING_PORT, 8080); Ctrl+C stops everything. Logs and settings in STATE
# (kept) or a temporary folder (removed at the end).
staging: setup oidc $(WAREHOUSE)
	$(PY) -m deploy.staging --port $(STAGING_PORT) $(if $(STATE),--state $(STATE))

# `make backup` (optionally NAAR=file) and `make restore BACKUP=file`: the vote store that TM_VOTES_URL
# (PostgreSQL, with pg_dump/pg_restore) or TM_VOTES_PATH (SQLite, with its backup API) points at.
backup: setup
	$(PY) -m warehouse.backup maken $(if $(NAAR),--naar $(NAAR))

restore: setup
	@test -n "$(BACKUP)" || { echo "Geef het bestand: make restore BACKUP=backups/stemmen-….sqlite"; exit 2; }
	$(PY) -m warehouse.backup terugzetten $(BACKUP) $(if $(VERVANG),--vervang)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/.dbt-* warehouse/*.duckdb warehouse/*.search-* tests/artifacts tests/oidc/node_modules
