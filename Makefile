# Two commands for a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format check install install-test browser documents database-client \
  system-packages backup restore bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $@

install: $(VENV)/.installed  ## create .venv and install the portal

install-test: $(VENV)/.installed-test  ## install what the tests need

run: install  ## migrate, load the demo data and serve http://127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo "Portal: http://$(HOST)/  (Ctrl+C stops the server and its task worker)"
	@# the task worker (e-mails, reminders) runs beside the server and stops with it
	DEBUG=$${DEBUG:-true} sh -c '$(MANAGE) db_worker --no-startup-delay --no-reload & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; $(MANAGE) runserver $(HOST)'

test: install-test system-packages  ## run the whole test suite
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

# What the tests need from Debian, installed only when missing: Chromium for the browser
# tests; pango and the fonts for the PDF documents; pg_dump and pg_restore for the backup
# round trip on PostgreSQL. (grep reads to the end: `grep -q` closing the pipe early would
# fail it under pipefail.)
system-packages:
	@command -v chromium >/dev/null 2>&1 || $(MAKE) browser
	@{ ldconfig -p | grep libpangoft2-1.0 >/dev/null && \
	   fc-list | grep "Liberation Serif" >/dev/null; } || $(MAKE) documents
	@{ command -v pg_dump && command -v pg_restore; } >/dev/null 2>&1 || $(MAKE) database-client

lint: install-test  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install  ## migrations match the models; Django's system checks
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

browser:  ## install Debian's Chromium and Vietnamese fonts for the browser tests (root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-liberation2

# WeasyPrint draws the PDF documents with pango; Liberation Serif stands in for Times New Roman
# (same metrics); poppler-utils (pdftoppm, pdftotext) turns a PDF into pictures or text to look at.
documents:  ## install Debian's pango, fonts and poppler for the PDF documents and their tests (root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	  fonts-noto-core fonts-liberation2 poppler-utils

# Debian's postgresql-client is the client of Debian's PostgreSQL (15 on bookworm): pg_dump
# must be at least the server's major version.
database-client:  ## install Debian's pg_dump and pg_restore for backup and restore (root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client

# README: Backup and restore. The archive goes to BACKUP_DIR; restore wants an empty database.
BACKUP_DIR ?= backups

backup: install  ## the database and the uploaded files into one archive in backups/
	$(MANAGE) backup --output $(BACKUP_DIR)

restore: install  ## ARCHIVE=backups/portal-….tar into the (empty) configured database
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/portal-….tar [FORCE=1]"; exit 2; }
	$(MANAGE) restore $(ARCHIVE) $(if $(FORCE),--force)

# The benchmark writes its own PostgreSQL database, dropped and re-created on every run.
BENCH_DB ?= portal_bench
PGHOST ?= 127.0.0.1
BENCH_URL := postgres://postgres@$(PGHOST):5432/$(BENCH_DB)

bench: $(VENV)/.installed-bench  ## national-scale load test on PostgreSQL (writes bench/results.json)
	@command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	psql -h $(PGHOST) -U postgres -q -c "DROP DATABASE IF EXISTS $(BENCH_DB)" \
	  -c "CREATE DATABASE $(BENCH_DB)"
	$(MANAGE) collectstatic --no-input --verbosity 0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --no-input --verbosity 0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench --generate

clean:  ## remove the virtualenv, collected static files and the SQLite database
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
