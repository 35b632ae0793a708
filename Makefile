# Two commands do all set-up: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := frontend/node_modules/.installed
SPA := frontend/dist/index.html
SPA_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/public -type f 2>/dev/null)
PYTEST_FAST := -m "not slow"

.PHONY: schemas run test test-slow test-frontend test-sqlite test-postgres check lint format typecheck install frontend \
        services chromium openapi messages clean

run: install frontend ## install, migrate, seed the demo and serve on http://127.0.0.1:8000
	$(BIN)/achterban migrate
	$(BIN)/achterban demo
	$(BIN)/achterban serve --host 127.0.0.1 --port 8000

test: install frontend services chromium ## every test, on SQLite and on PostgreSQL, with real Redis
	$(MAKE) --no-print-directory test-frontend
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-frontend: $(NPM_STAMP) ## the SPA's logic (Vitest)
	cd frontend && npm test --silent

test-sqlite:
	ACHTERBAN_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_FAST)

test-postgres:
	ACHTERBAN_TEST_DB=postgres $(BIN)/python -m pytest $(PYTEST_FAST)

test-slow: install frontend services chromium ## the heavy tests left out of `make test`
	ACHTERBAN_TEST_DB=postgres $(BIN)/python -m pytest -m slow; rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "no slow tests"; else exit $$rc; fi

check: lint typecheck test ## what CI runs, plus lint and types

lint: install
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench

format: install
	$(BIN)/ruff check --fix backend tests bench
	$(BIN)/ruff format backend tests bench

typecheck: install $(NPM_STAMP) ## mypy; the domain boundaries (import-linter); tsc; the SPA's API types are what the committed OpenAPI document generates
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	cd frontend && npx tsc --noEmit
	cd frontend && mkdir -p node_modules/.cache && npm run --silent check:api || { \
		echo "frontend/src/api/schema.d.ts differs from frontend/openapi.json: run make openapi"; exit 1; }

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip==26.3
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	touch $@

frontend: $(SPA)

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SPA): $(NPM_STAMP) $(SPA_SOURCES)
	cd frontend && npm run build

services: ## start PostgreSQL and Redis on loopback where they are not running
	bash infra/services.sh

chromium: ## Debian's Chromium for the browser tests (no browser downloads), pdftotext for PDF tests
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
		apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; }

openapi: install ## regenerate the committed OpenAPI document and the SPA's types
	$(BIN)/achterban openapi -o frontend/openapi.json
	cd frontend && npm run gen:api

schemas: install ## regenerate campaigns/schema/journey.schema.json from the journey Structs
	$(BIN)/achterban journey-schema

messages: install ## extract marked strings and update the nl and en catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output --omit-header \
		-o backend/achterban/locale/messages.pot .
	$(BIN)/pybabel update -i backend/achterban/locale/messages.pot -d backend/achterban/locale \
		--omit-header --no-fuzzy-matching

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var
