# Colo's developer commands. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv

.PHONY: help install sysdeps browser lock up down test screenshots bench token asyncapi

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: sysdeps ## system packages if missing, .venv from requirements.lock, shared/ and services/* editable
	@ops/install.sh

sysdeps: ## the system packages: WeasyPrint's libraries, nginx, envsubst, promtool, pg_dump (apt-get, only those missing)
	@ops/sysdeps.sh

browser: ## Debian's chromium, which the browser tests drive (apt-get, only when missing; never a downloaded build), and axe-core
	@ops/sysdeps.sh chromium npm
	@test -f tests/browser/node_modules/axe-core/axe.min.js || npm install --prefix tests/browser --no-package-lock --no-audit --no-fund

lock: ## regenerate requirements.lock from requirements.in (hash-pinned, Python 3.11)
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --disable-pip-version-check uv
	$(VENV)/bin/uv pip compile --generate-hashes --python-version 3.11 requirements.in -o requirements.lock

up: install ## migrate and start the services and the SMTP sink in the background (SERVICES="a b" for some)
	@ops/up.sh

down: ## stop what `make up` started
	@ops/down.sh

test: install browser ## the whole test suite (real PostgreSQL, RabbitMQ and SMTP)
	$(VENV)/bin/pytest

screenshots: install browser ## refresh docs/screenshots/ (README's pictures) from the browser tests
	COLO_SCREENSHOTS=1 $(VENV)/bin/pytest tests/test_web_browser.py

bench: install ## the benchmarks (bench/saga.py, then bench/clients_search.py at a million clients, then bench/holds.py)
	$(VENV)/bin/python -m bench.saga
	$(VENV)/bin/python bench/clients_search.py
	$(VENV)/bin/python bench/holds.py

token: ## log in to identity as the demonstration operator and print its access token (Authorization: Bearer ...)
	@$(MAKE) --no-print-directory install >&2
	@source ops/common.sh && $(VENV)/bin/colo-token --username "$$OPERATOR_EMAIL" --password-file "$$SECRETS_DIR/operator_password"

asyncapi: install ## regenerate docs/asyncapi.yaml from shared/events.py
	$(VENV)/bin/colo-asyncapi
