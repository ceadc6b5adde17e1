# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app.py

.PHONY: run test test-postgres install install-test install-servers db bank lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-servers: pyproject.toml | $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,postgres,redis]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-servers: $(VENV)/.installed-servers

## Database and bank: migrations are applied on every run; the bank build is idempotent.
db: install
	$(BIN)/flask db upgrade

bank: db
	$(BIN)/flask bank build --quiet

run: bank
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

tests/js/node_modules: tests/js/package.json tests/js/package-lock.json
	@if [ -f tests/js/package.json ]; then npm ci --silent --prefix tests/js; fi
	@touch $@

test: install-test
	@if [ -f tests/js/package.json ]; then $(MAKE) --no-print-directory tests/js/node_modules; fi
	$(BIN)/python -m pytest

## Benchmarks, not tests (needs wrk: apt-get install wrk): writes docs/benchmarks.md.
bench: install
	$(BIN)/python bench/run_all.py

## The same suite on a real PostgreSQL server and Redis (`.ci/services` starts both locally
## on these ports; set the variables to use other servers). Tests own the database: one run
## at a time, and nothing else in it.
TEST_DATABASE_URL ?= postgresql+psycopg://quizdeck:quizdeck-test@127.0.0.1:55432/quizdeck_test
TEST_REDIS_URL ?= redis://127.0.0.1:56379/0

test-postgres: install-servers
	@if [ -f tests/js/package.json ]; then $(MAKE) --no-print-directory tests/js/node_modules; fi
	TEST_DATABASE_URL='$(TEST_DATABASE_URL)' TEST_REDIS_URL='$(TEST_REDIS_URL)' $(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) .pytest_cache
