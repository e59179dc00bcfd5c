# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DEV := DEBUG=1 $(PYTHON) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/claims

.PHONY: run test test-postgres test-semantic lint typecheck fuzz bench install lock

install: $(VENV)/.installed

# The *.txt files are locks with hashes, compiled from the *.in files by
# `make lock`: pip checks every file it installs against them.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# After changing a *.in file. The semantic set is locked without torch, whose
# CPU build is installed first, from elsewhere (README, "Semantic ranking").
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: install
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --allow-unsafe --output-file requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) --unsafe-package torch --output-file requirements-semantic.txt \
		requirements-semantic.in

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
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-semantic.txt
	touch $@

test-semantic: $(VENV)/.semantic
	$(PYTHON) -m pytest -m semantic tests/test_embeddings.py

# ruff, migrations, and the pre-commit hooks' configuration (which run the same).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) makemigrations --check --dry-run
	$(VENV)/bin/pre-commit validate-config

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy

# As the reviewer and as the editor, on SQLite and PostgreSQL, stateful phase on;
# FUZZ_EXAMPLES examples an operation and role (CI takes fewer).
FUZZ_EXAMPLES ?= 25
fuzz: install
	tests/fuzz/run.sh $(FUZZ_EXAMPLES)

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
