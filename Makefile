# Two commands for a fresh machine: `make run` and `make test`. The rest are helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test-deps run dev prepare serve test test-sqlite lint format bench loadtest demo messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The site as readers get it (DEBUG off: the Chinese 404 and 500 pages, hashed and compressed
# static files), through gunicorn on loopback: `make serve` with the demo content and an index.
run: prepare
	umask 077; $(SERVE_ENV) $(BIN)/python manage.py load_demo
	umask 077; $(SERVE_ENV) $(BIN)/python manage.py rebuild_index --noinput
	@echo "网站: http://127.0.0.1:8000/ （Ctrl-C 停止）"
	@echo "编辑账号: $(BIN)/python manage.py create_editor 用户名 [--reviewer]  (然后打开 http://127.0.0.1:8000/admin/ ，步骤见 docs/editors.md)"
	$(SERVE_EXEC) --workers $(RUN_WORKERS)

# For changing the code: Django's development server (DEBUG on, reloads on save).
dev: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py runserver 127.0.0.1:$(SERVE_PORT)

# Production-style server on loopback: DEBUG off, gunicorn, whitenoise's hashed static files.
# Plain HTTP is allowed only because the address is 127.0.0.1 (KB_INSECURE_HTTP=1); for a real
# site put nginx with HTTPS in front (docs/deployment.md). The secret key is kept in the data dir.
# The data dir and everything the site writes there are the user's alone (umask 077, dir 0700);
# static files stay public.
SERVE_WORKERS ?= 3
RUN_WORKERS ?= 2
SERVE_PORT ?= 8000
SERVE_ENV = DJANGO_DEBUG=0 KB_INSECURE_HTTP=1 \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat "$${KB_DATA_DIR:-var}/secret-key")}"
SERVE_EXEC = umask 077; $(SERVE_ENV) exec $(BIN)/gunicorn kb.wsgi --bind 127.0.0.1:$(SERVE_PORT) \
	--timeout 30 --graceful-timeout 20 --max-requests 2000 --max-requests-jitter 200 \
	--access-logfile -

# What `run` and `serve` share: the private data dir and its secret key, the static files, the
# schema, and index updates a stopped process left queued.
prepare: install
	umask 077; mkdir -p "$${KB_DATA_DIR:-var}" && chmod go= "$${KB_DATA_DIR:-var}"
	umask 077; test -s "$${KB_DATA_DIR:-var}/secret-key" || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$${KB_DATA_DIR:-var}/secret-key"
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	umask 077; $(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	umask 077; $(SERVE_ENV) $(BIN)/python manage.py index_queue --drain

serve: prepare
	$(SERVE_EXEC) --workers $(SERVE_WORKERS)

# System packages some tests use (Chromium, Java, npm checkers, redis-server), each installed
# only when missing (scripts/test-deps); without them those tests skip, saying why.
test-deps:
	@scripts/test-deps

# The PostgreSQL leg leaves out the browser tests (their server always runs on its own SQLite)
# and the tests that never reach the database through Django (tests/conftest.py).
test: install test-deps
	$(BIN)/python -m pytest
	@echo "--- the same suite on PostgreSQL ---"
	@scripts/with-postgres $(BIN)/python -m pytest -p no:cacheprovider -m "not browser"; rc=$$?; \
	if [ $$rc -eq 77 ]; then echo "PostgreSQL leg skipped (no server could be installed)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

test-sqlite: install test-deps
	$(BIN)/python -m pytest

# Load test, not part of `make test`: gunicorn (LOADTEST_WORKERS workers, DEBUG off) on 127.0.0.1
# over a throw-away data dir with the demo articles, driven by LOADTEST_USERS concurrent readers
# for LOADTEST_SECONDS; prints req/s, p50/p95/p99 and errors per endpoint, fails on any error.
LOADTEST_SECONDS ?= 60
LOADTEST_USERS ?= 12
LOADTEST_WORKERS ?= 3
loadtest: install
	$(BIN)/python -m loadtest --seconds $(LOADTEST_SECONDS) --users $(LOADTEST_USERS) \
		--workers $(LOADTEST_WORKERS)

# Search benchmark, not part of `make test`: our engine against the tutorial set-up on synthetic
# corpora; JSON on stdout and in var/bench/ (figures: docs/performance.md). Quick: BENCH_SIZES=200.
BENCH_SIZES ?= 1000,10000
bench: install
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Interface strings: simplified msgids in the code, traditional forms in locale/zh_Hant (the
# compiled .mo is committed; gettext is only needed here: apt-get install gettext).
# locale/zh_Hans only fills gaps in Django's own simplified catalogues, by hand.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hant --no-obsolete --ignore=tests --ignore=scripts --ignore=staticfiles --ignore=var
	$(BIN)/python -m kb.catalogue locale/zh_Hant/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages -l zh_Hant -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
