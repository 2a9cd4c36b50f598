# Digitalstrategie-Portal – the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
GV_CSV := municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv
SEATS_CSV := municipalities/data/samtgemeinde_sitze.csv
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist processes for the test targets: one per CPU core by default, each with its own
# test database (PYTEST_WORKERS=0 runs everything in pytest's own process). Transactional tests
# flush every table; tests/conftest.py puts back what data migrations seed right after each
# flush, so the order in which the processes get their tests does not matter.
PYTEST_WORKERS ?= auto
# More pytest arguments for make test (CI's first run leaves out what its PostgreSQL run runs).
PYTEST_ARGS ?=
# Python's bytecode cache (__pycache__, ignored by git) stays on for every target here, also
# where the environment turns it off (container images set PYTHONDONTWRITEBYTECODE=1): without
# it each test process compiles the portal, its libraries and pytest's rewritten test modules
# again, 13 s instead of 4 s before its first test, and so does every child process a test starts.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run setup test test-fast lint format worker beat clean

# Creates .venv and installs the locked dependencies; re-runs only when they change.
install: $(VENV)/.installed

# uv (pinned) installs the locked packages in about ten seconds where pip takes one to two
# minutes; every CI run installs into a fresh clone. Where uv cannot be had, pip does the same.
# --compile-bytecode: uv, unlike pip, leaves the libraries' bytecode to be compiled on first
# import, which every process would do again where writing the cache is off.
UV_VERSION := 0.13.9

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	if $(PY) -m pip install --quiet "uv==$(UV_VERSION)"; then \
		$(BIN)/uv pip install --quiet --compile-bytecode --python $(PY) -c requirements.lock -e ".[dev]"; \
	else \
		$(PY) -m pip install --quiet --upgrade pip && \
		$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"; \
	fi
	touch $@

# Migrates, loads the real district and the demo content (idempotent), then serves.
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_municipalities $(GV_CSV) --seats $(SEATS_CSV)
	$(MANAGE) seed_demo
	$(MANAGE) seed_evaluation_demo
	$(MANAGE) seed_procedures_demo
	$(MANAGE) recompute_similarity

run: setup
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" -x -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production-like processes without Docker (needs REDIS_URL and DATABASE_URL).
worker: install
	$(BIN)/celery -A strategy_portal worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A strategy_portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
