# Stödportalen: the one entry point. `make run` serves the portal locally; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
ARGS ?=

# Local mode: debug on, SQLite in var/, demo accounts (one per staff role).
LOCAL_ENV := DJANGO_DEBUG=1
# Test mode: production-like settings (debug off) without the TLS redirect of a real deployment.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-not-secret DJANGO_SSL_REDIRECT=0 \
	DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,testserver DJANGO_PLAIN_STATIC=1 \
	DJANGO_CACHE_DIR=var/cache-test DJANGO_CACHE_PREFIX=stod-test DJANGO_PAGE_CACHE=0 \
	DJANGO_INTAKE_KEYS=cSsNz6rYWvGyMkfQ7vI5m3wKkS2xP3nVvT0oUq9HhcY= \
	DJANGO_INTAKE_HASH_KEY=test-only-hash-key-not-for-production-use

.PHONY: run test lint bench bench-load bench-cluster bench-deps messages system-deps clean

$(VENV)/.runtime: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian packages: gettext (compilemessages) always; chromium for the browser tests.
system-deps:
	@need=""; command -v msgfmt >/dev/null || need="$$need gettext"; \
	if [ "$(WITH_BROWSER)" = 1 ] && [ ! -x /usr/bin/chromium ]; then need="$$need chromium fonts-dejavu-core"; fi; \
	if [ -n "$$need" ]; then \
		echo "Installing Debian packages:$$need"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need >/dev/null; \
	fi

messages: $(VENV)/.runtime system-deps
	$(LOCAL_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

run: $(VENV)/.runtime messages
	mkdir -p var
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput -v 0
	$(LOCAL_ENV) $(PY) manage.py load_catalogue
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v 0
	PORT=$(PORT) $(LOCAL_ENV) $(PY) manage.py create_demo_accounts
	$(LOCAL_ENV) $(PY) manage.py seed_call_log
	@echo "Stödportalen: http://127.0.0.1:$(PORT)/  (stoppa med Ctrl-C)"
	$(LOCAL_ENV) $(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT)

test: $(VENV)/.test
	mkdir -p var/static
	$(MAKE) --no-print-directory system-deps WITH_BROWSER=1
	$(TEST_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0
	$(TEST_ENV) $(PY) -m pytest $(ARGS)

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Benchmarks (issue 9 §4). Each starts its own throwaway PostgreSQL cluster and Redis.
bench: $(VENV)/.test bench-deps
	$(TEST_ENV) $(PY) bench/run.py $(ARGS)

# Debian packages for the benchmarks only: wrk (load test), redis-server, PostgreSQL's initdb.
bench-deps:
	@need=""; command -v wrk >/dev/null || need="$$need wrk"; \
	command -v redis-server >/dev/null || need="$$need redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	if [ -n "$$need" ]; then \
		echo "Installing Debian packages:$$need"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need >/dev/null; \
	fi

bench-load: $(VENV)/.test bench-deps
	$(TEST_ENV) $(PY) bench/load.py $(ARGS)

bench-cluster: $(VENV)/.test bench-deps
	$(TEST_ENV) $(PY) bench/cluster.py $(ARGS)

clean:
	rm -rf var/static var/db.sqlite3*
