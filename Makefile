# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DEV := DEBUG=1 $(PYTHON) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/claims

.PHONY: run test test-postgres lint bench install

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The demo data is loaded once, when the database is first made.
db.sqlite3: | install
	$(DEV) migrate --verbosity 0
	$(DEV) loaddata fixtures/demo_users.json fixtures/seed_article.json

run: db.sqlite3
	$(DEV) migrate --verbosity 0
	$(DEV) runserver 127.0.0.1:8000

test: install
	$(PYTHON) -m pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PYTHON) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) makemigrations --check --dry-run

bench: install
	$(PYTHON) -m bench.segmenters
	$(PYTHON) -m bench.ingest
