# Compact Tracker. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed

.PHONY: messages run test lint bench install system-deps migrate demo clean worker security security-live loadtest backup

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# The Welsh catalogue: extract new strings, keep existing Welsh, check, compile (docs/welsh.md).
messages: install
	$(BIN)/python scripts/welsh_catalogue.py $(TRANSLATIONS)

# WeasyPrint's text libraries and Chromium for the browser tests (Debian packages).
system-deps:
	bash scripts/install-system-deps.sh

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_demo

run: install
	-bash scripts/install-system-deps.sh || echo "Could not install system packages: PDFs need Pango (see README)."
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite runs in parallel (pytest-xdist: one worker per core, each with its own test
# database, media folder and live-server port; a test file stays on one worker). Serially:
# `make test PYTEST_ARGS="-n 0"` (or PYTEST_PARALLEL=). Extra options go in PYTEST_ARGS.
PYTEST_PARALLEL ?= -n auto --dist loadfile
test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install system-deps
	-bash scripts/install-bench-deps.sh
	$(BIN)/python -m pytest tests/bench --bench -s -q $(PYTEST_ARGS)

# Background tasks (board packs, large PDFs, reminders) from the database queue. Production runs
# deploy/compact-worker.service; locally pair it with TASKS_BACKEND=django_tasks_db.DatabaseBackend make run.
worker: install
	DEBUG=$${DEBUG-1} TASKS_BACKEND=$${TASKS_BACKEND-django_tasks_db.DatabaseBackend} $(BIN)/python manage.py db_worker

# The security abuse suite (its pytest part is also in `make test`), then its live stage.
security: install system-deps
	$(BIN)/python -m pytest -m security $(PYTEST_ARGS)
	$(MAKE) security-live

# gunicorn (DEBUG=0, behind a pretend nginx) against a throw-away PostgreSQL database next to
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); real HTTP; about a minute.
security-live: install
	$(BIN)/python scripts/security_live.py

# Two gunicorns on loopback against PostgreSQL, 20 locust users for 60 s; writes var/loadtest.json
# (each run kept under "runs" by its shape). Issue 18's run, four gunicorn workers:
# make loadtest LOADTEST_ARGS="--users 100 --duration 120 --servers 2 --workers 2 --page-target 150 --report-target 300"
loadtest: install system-deps
	$(BIN)/python scripts/loadtest/run.py $(LOADTEST_ARGS)

backup: install
	$(BIN)/python manage.py backup

clean:
	rm -rf $(VENV) var
