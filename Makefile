# The two commands: `make run` (the shop with demo content on its own PostgreSQL server)
# and `make test` (the whole suite on PostgreSQL and Redis).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PIP_INSTALL := $(BIN)/python -m pip install --quiet --no-deps --require-hashes
STAMP := $(VENV)/.installed
DEPLOY_STAMP := $(VENV)/.installed-deploy

.PHONY: run test lint services install lock css worker scheduler bench chaos clean

$(STAMP): requirements/base.txt requirements/dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: install it (e.g. apt-get install python3.11 python3.11-venv) or run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements/dev.txt && $(BIN)/python -m pip check
	touch $(STAMP)

# Installs the hashed lock: every file pip fetches must match one of its package's hashes. The lock is complete
# (uv resolved it), so pip installs exactly its lines (--no-deps) and `pip check` then proves nothing is missing:
# resolving again would let an old pip (Python 3.11's own 23.2) take an extra such as weasyprint's
# fonttools[woff] as a second, unpinned requirement and refuse it once a newer fonttools is out. The lock holds
# pip too (pip-audit needs it), so a new venv's pip is replaced.
install: $(STAMP)

# The tests add the deployment tools (requirements/deploy.txt: Ansible, for tests/deploy/); `make run` needs none.
$(DEPLOY_STAMP): $(STAMP) requirements/deploy.txt
	$(PIP_INSTALL) -r requirements/deploy.txt && $(BIN)/python -m pip check
	touch $(DEPLOY_STAMP)

# The locks (requirements/*.txt: every package pinned, with the hashes of its files on PyPI) are made from the
# direct dependencies (requirements/*.in). After editing an .in: `make lock`. Every pin that the .in files leave
# free stays where it is, unless named in UPGRADE: `make lock UPGRADE="sqlparse urllib3"` moves those to their
# newest release that fits. 3.11.5 is the oldest Python 3.11 the pins install on (soupsieve needs it).
LOCK := UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 \
	$(foreach package,$(UPGRADE),--upgrade-package $(package))

lock: $(STAMP)
	$(LOCK) requirements/base.in -o requirements/base.txt
	$(LOCK) requirements/dev.in -o requirements/dev.txt
	$(LOCK) requirements/production.in -o requirements/production.txt
	$(LOCK) requirements/deploy.in -o requirements/deploy.txt

# The storefront's stylesheet: Bootstrap 4's SCSS with the shop's variables, Oscar's page styles and the shop's
# components (assets/scss/), compiled by Dart Sass from npm (versions in assets/package-lock.json) into
# shop/branding/static/shop/css/shop.css, which is committed: `make run`, the tests and collectstatic need no Node.js.
# After editing assets/: `make css` (needs node and npm), and commit the CSS.
css: $(STAMP)
	PYTHON=$(BIN)/python bash assets/build-css

run: $(STAMP)
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_shop
	@echo "Serving the shop at http://127.0.0.1:8000 (Wagtail at /cms/, dashboard at /shop/dashboard/)"
	$(MANAGE) runserver 127.0.0.1:8000

services:
	bash .ci/ensure-services

test: $(DEPLOY_STAMP) services
	DJANGO_SETTINGS_MODULE=shop.settings.test $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# Known vulnerabilities in the pinned requirements (pip-audit asks pypi.org): needs the internet, so not in make test.
audit: $(STAMP)
	DJANGO_SETTINGS_MODULE=shop.settings.test $(BIN)/python -m pytest -m online tests/security/test_supply_chain.py

# Production-style processes (need REDIS_URL): a worker for every queue (metrics on 127.0.0.1:9191), and the one scheduler.
worker: $(STAMP)
	$(MANAGE) worker --processes 1 --threads 4

scheduler: $(STAMP)
	$(MANAGE) scheduler

# Orders per second through the whole checkout at 1 and 4 clients (bench/README.md); not part of make test.
bench: $(STAMP) services
	test -x $(BIN)/gunicorn || $(PIP_INSTALL) -r requirements/production.txt
	$(BIN)/python bench/checkout.py --clients 1 4 --orders 200

# Five minutes of shoppers while Redis, the workers and the database connections are killed (bench/README.md).
chaos: $(STAMP) services
	test -x $(BIN)/gunicorn || $(PIP_INSTALL) -r requirements/production.txt
	$(BIN)/python bench/chaos.py --duration $(or $(DURATION),300)

clean:
	rm -rf var $(VENV)
