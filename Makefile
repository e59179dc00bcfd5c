# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DEV := DEBUG=1 $(PYTHON) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/claims

.PHONY: run test test-postgres test-semantic lint typecheck fuzz bench install

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# load_demo loads the demo data only into a database without documents.
run: install
	$(DEV) migrate --verbosity 0
	$(DEV) load_demo
	$(DEV) runserver 127.0.0.1:8000

test: install
	$(PYTHON) -m pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PYTHON) -m pytest

# The optional semantic ranking: PyTorch's CPU build first (on the development
# machines `torch==2.13.0` is that build, from local disk), then the rest.
$(VENV)/.semantic: $(VENV)/.installed requirements-semantic.txt
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -r requirements-semantic.txt
	touch $@

test-semantic: $(VENV)/.semantic
	$(PYTHON) -m pytest -m semantic tests/test_embeddings.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) makemigrations --check --dry-run

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy

# As the reviewer and as the editor, on SQLite and PostgreSQL, stateful phase on.
fuzz: install
	tests/fuzz/run.sh 25

bench: install
	$(PYTHON) -m bench.segmenters
	$(PYTHON) -m bench.interchange_check
	$(PYTHON) -m bench.ingest
	$(PYTHON) -m bench.import_claims
	$(PYTHON) -m bench.api_reads
	$(PYTHON) -m bench.read_limit
	$(PYTHON) -m bench.load
	$(PYTHON) -m bench.suggest
	$(PYTHON) -m bench.scale
	$(PYTHON) -m bench.export_memory
