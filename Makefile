# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_SERVER ?= postgres://postgres@127.0.0.1:5432
# A database name of this run only (time and make's PID): pytest-django creates and drops
# test_<name>, so two runs on one server never share or delete each other's test database.
RUN_DB := nexus_$(shell date +%Y%m%d%H%M%S)_$(shell echo $$PPID)
PG_URL ?= $(PG_SERVER)/$(RUN_DB)
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=true

.PHONY: venv services run test test-sqlite test-postgres seed check lint bench-smoke web chromium test-frontend

# The web app (frontend/): npm ci when the lock file changed, a build when a source changed.
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/package.json \
	frontend/vite.config.ts frontend/tsconfig.json
CHROMIUM ?= /usr/bin/chromium
# Playwright drives the machine's Chromium; it must never download browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip check
	touch $@

# PostgreSQL and Redis run as machine services; start them when they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

# Set up and serve on SQLite with demo data, eager tasks and console email; the web app at /.
run: venv web
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py ensure_demo_staff
	$(DEV_ENV) $(BIN)/python manage.py seed_demo_if_empty
	@echo "Nexus Bank: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	$(DEV_ENV) FRONTEND_URL=http://$(HOST):$(PORT) $(BIN)/daphne -b $(HOST) -p $(PORT) nexus.asgi:application

# Set up, lint, and run the whole suite on SQLite, then on PostgreSQL, then the web app's tests.
test: venv services lint test-sqlite test-postgres test-frontend

test-sqlite: venv
	$(BIN)/python -m pytest

# The test database is dropped even when the run stops early (pytest-django drops it on a
# normal end). The bench smoke runs make their own bench_smoke_* databases (bench/README.md).
test-postgres: venv services
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest; status=$$?; \
	psql "$(PG_SERVER)/postgres" -q -c 'DROP DATABASE IF EXISTS "test_$(RUN_DB)" WITH (FORCE)'; exit $$status

check: venv lint
	$(BIN)/python manage.py makemigrations --check --dry-run

# ruff with the rule set of ruff.toml.
lint: venv
	$(BIN)/ruff check .

# Smoke runs of the bench scripts: the production server stack on PostgreSQL + Redis, a few
# seconds of load each (bench/README.md); also part of `make test-postgres`.
bench-smoke: venv services
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest bench/tests

web: frontend/dist/index.html

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run build

# Debian's Chromium for the end-to-end test, installed once.
chromium:
	@test -x $(CHROMIUM) || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# Unit tests (Vitest), then the browser scenario (Playwright) against a real Daphne.
test-frontend: venv web chromium
	cd frontend && npm test
	cd frontend && CHROMIUM_PATH=$(CHROMIUM) npx playwright test
