# Two commands matter: `make run` (set up and start the app) and `make test` (set up and test).
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
DB      ?= $(or $(CSM_DB_PATH),data/csm.duckdb)
PORT    ?= 8501
SIZE    ?= small

# The storage tests on a real PostgreSQL 15 (issue 14, docs/storage.md): installs and starts it when root.
.PHONY: run test test-pg sweep lint venv dev-deps browser pdf-libs db bench soak clean-db

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "need Python 3.11 ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.deps $@

venv: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Create or migrate the database; load the demo data (tools/demo, not part of the product) only when it is empty.
db: $(VENV)/.deps
	CSM_DB_PATH=$(DB) $(BIN)/python -m csm init
	CSM_DB_PATH=$(DB) $(BIN)/python -m tools.demo --size $(SIZE)

run: pdf-libs db
	@echo "Open http://localhost:$(PORT) — demo accounts are listed in README.md"
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} CSM_DB_PATH=$(DB) $(BIN)/streamlit run serve.py --server.port $(PORT) --server.headless true

# Pango and the Noto CJK font for the PDF reports (WeasyPrint), when missing and we are root.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null; \
	  else echo "pango or the Noto CJK font missing and not root: PDF reports will fail"; fi; \
	fi

# System Chromium and CJK fonts for the browser tests, when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

lint: dev-deps
	$(BIN)/ruff check .

test: dev-deps pdf-libs browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-pg: dev-deps
	sh tools/ci_postgres.sh
	sh tools/ci_nginx.sh  # nginx for tests/test_pg_deploy.py (its own nginx on a free port, never the service on 80)
	$(BIN)/python -m pytest -q -m 'slow or not slow' tests/test_storage_pg.py $(wildcard tests/test_pg_*.py)
	CSM_TEST_ENGINE=postgres $(BIN)/python -m pytest -n 2 --dist loadfile -q $(PG_SUITE)

# ---- pgsuite ---- the command and read test files run again with the `db` fixture on PostgreSQL
# (a clone of a template database per test, tests/conftest.py; docs/storage.md "Slice 2": which
# files, how long, and what is left out)
PG_SUITE := tests/test_complaints.py tests/test_revisits.py tests/test_dashboards_kpis.py \
	tests/test_import_targets.py tests/test_importing.py tests/test_importing_cli.py \
	tests/test_importing_progress.py tests/test_importing_surveys.py tests/test_scope.py \
	tests/test_users.py tests/test_sla.py tests/test_web_cache.py tests/test_ops_escalation.py \
	tests/test_cli.py \
	tests/test_admin.py tests/test_complaints_pages.py tests/test_desk.py tests/test_revisits_pages.py \
	tests/test_service_list.py tests/test_surveys.py tests/test_surveys_entry_rules.py \
	tests/test_typed_dates_pages.py tests/test_accounts.py $(wildcard tests/test_policy_*.py)

# The Chromium sweep: every role, every page, zh and en (about 10 minutes; screenshots in tests/artifacts/sweep).
sweep: dev-deps pdf-libs browser
	$(BIN)/python -m pytest -q -m sweep

# The speed benchmark on a running server, large demo (generated when missing; measured on a copy):
# waits up to 5 minutes for a quiet machine, then runs anyway and says so; appends to bench/results.jsonl.
# ENGINE=postgres: on the PostgreSQL store loaded by `python -m tools.bench_pg_load` (docs/storage.md, slice 8).
ENGINE ?= duckdb
bench: dev-deps browser
	$(BIN)/python -m tools.bench --generate --wait-load 300 --engine $(ENGINE)

# Memory of one server under websocket clients rerunning pages (tools/soak.py; on a copy of the bench
# database): a 15-minute warm-up (DuckDB's caches and queues fill), then 30 minutes judged: RSS each
# minute, growth from minute 15 to the end, the warm-up's own growth, one verdict line.
soak: dev-deps
	$(BIN)/python -m tools.soak --minutes 45 --warm-minutes 15 --db data/bench.duckdb --out data/soak-results.json

clean-db:
	rm -f $(DB) $(DB).wal
