# MITI Training — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
PORT ?= 5000
export FLASK_APP := miti_training

TRANSLATIONS := miti_training/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run serve test install install-dev lint format migrate demo-data messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml $(wildcard package.json package-lock.json)
	$(PY) -m pip install --quiet -e '.[dev]'
	@# axe-core for the browser tests (tests/e2e); skipped where npm is not installed.
	if [ -f package.json ] && command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent; \
	fi
	touch $@

## Compiled message catalogs (not committed): rebuilt whenever a .po file changes.
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -i $< -o $@

install: $(VENV)/.installed $(MO_FILES)

install-dev: $(VENV)/.installed-dev $(MO_FILES)

## Extract every translatable string and merge it into the six catalogs.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output --project "MITI Training" .
	$(VENV)/bin/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

## Create .venv, install, migrate the SQLite database, load demo data, serve on 127.0.0.1:$(PORT).
## PORT is exported too: the app builds the links in its emails from it.
run: export PORT := $(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo-data
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

## The production configuration locally: gunicorn (gunicorn.conf.py) against PostgreSQL.
serve: export MITI_ENV := production
serve: export DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/miti_training
serve: export MAIL_BACKEND ?= outbox
serve: install
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY first, the same on every host, e.g.:"; \
		echo "  export SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')"; exit 2; }
	@test -n "$$SERVER_BASE_URL" || { echo "Set SERVER_BASE_URL first, the address people open (links in emails), e.g.:"; \
		echo "  export SERVER_BASE_URL=http://127.0.0.1:$${PORT:-8000}"; exit 2; }
	$(FLASK) db upgrade
	@# The mail worker: the Redis queue and the outbox sweep (retries, mail queued while Redis was down).
	$(FLASK) worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
		$(VENV)/bin/gunicorn -c gunicorn.conf.py "miti_training:create_app('production')"

## Install the dev extra, check style and layering, run the whole suite (SQLite, then PostgreSQL when
## TEST_DATABASE_URL is set), on every CPU (pytest-xdist; -n 0 in PYTEST_ADDOPTS runs in one process).
test: lint
	$(PY) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== Again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		MITI_TEST_BACKEND=postgresql $(PY) -m pytest -m "not e2e"; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(FLASK) db upgrade

demo-data: install
	$(FLASK) demo-data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
