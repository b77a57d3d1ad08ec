# Lägesbild — `make run` serves the dashboard, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
SCALE ?= quick

.PHONY: run test lint bench serve install bootstrap clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

bootstrap: install
	$(BIN)/python cli.py bootstrap

run: bootstrap
	$(BIN)/python app.py

# Unit and integration tests on every core (pytest-xdist, a test file on one worker; each worker
# builds its own stores, servers and databases), then the browser suite in one process (two
# Chromiums and app servers at once time out on two cores). Both always run; either failing fails.
# TEST_WORKERS=0 runs the first part in one process too.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --ignore=tests/browser; a=$$?; \
	$(BIN)/python -m pytest tests/browser; b=$$?; \
	test $$a -eq 0 -a $$b -eq 0

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m bench.run --scale $(SCALE)

# Production: gunicorn (gunicorn.conf.py: LAGESBILD_HOST/PORT, LAGESBILD_WORKERS, LAGESBILD_THREADS)
# against LAGESBILD_DATABASE_URL (PostgreSQL+PostGIS) and LAGESBILD_REDIS_URL, login on by default
# (needs LAGESBILD_SECRET_KEY; accounts: `python cli.py user add NAME --role ROLE`). Migrates and
# loads the reference areas; the synthetic demo data only with SERVE_DEMO=1.
SERVE_DEMO ?= 0
serve: install
	$(BIN)/python cli.py bootstrap $(if $(filter 1,$(SERVE_DEMO)),,--no-demo)
	LAGESBILD_AUTH=$${LAGESBILD_AUTH:-local} exec $(BIN)/gunicorn --config gunicorn.conf.py app:server

clean:
	rm -rf $(VENV) instance .pytest_cache
