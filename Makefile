# Verbatim's front door. `make run` and `make test` are all a fresh clone needs.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
PG_URL ?= postgres://postgres@127.0.0.1:5432/verbatim
PYTEST_ARGS ?=
# pytest-xdist processes for `make test` (one per core); PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= auto
DEV := DJANGO_DEBUG=1

.PHONY: soak backup restore install run serve superuser migrate seeds lint format migrations-check test test-sqlite test-postgres clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(BIN)/.installed

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --noinput

seeds: migrate
	$(DEV) $(BIN)/python manage.py load_seeds

run: seeds
	@echo
	@echo "Verbatim is starting on http://$(HOST):$(PORT)/"
	@echo "To enter statements, create a curator account first: make superuser"
	@echo
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: migrate
	$(DEV) $(BIN)/python manage.py createsuperuser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

# The whole suite on SQLite, then again on PostgreSQL, each spread over PYTEST_WORKERS processes.
# On PostgreSQL each worker creates and drops its own database, <name in PG_URL>_pytest_gw<N>.
test: lint migrations-check test-sqlite test-postgres

test-sqlite: install
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	case "$$url" in postgres://*|postgresql://*) ;; *) url="$(PG_URL)";; esac; \
	if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], dbname='postgres', connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== tests on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $$url, and CI must not skip it. Start it with:"; \
		echo "  pg_ctlcluster --skip-systemctl-redirect 15 main start"; \
		exit 1; \
	else \
		echo; \
		echo "*** PostgreSQL is not reachable at $$url: the PostgreSQL half of the tests was SKIPPED."; \
		echo "*** Start PostgreSQL (or set DATABASE_URL) and run 'make test-postgres'."; \
	fi

# A dated backup below backups/ (or BACKUP_DIR): archive JSON Lines, accounts, manifest.
# Uses DATABASE_URL and the other settings of the environment; debug on by default locally.
BACKUP_DIR ?= backups
backup: migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py backup_archive $(BACKUP_DIR)

# Restore FROM=backups/verbatim-YYYYMMDDTHHMMSSZ into an empty database.
restore: migrate
	@test -n "$(FROM)" || { echo "Say which backup: make restore FROM=backups/verbatim-..."; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py restore_archive $(FROM)

# Issue 8's load check: CONNECTIONS readers for SECONDS on PostgreSQL; fails on any error.
soak: install
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) staticfiles test-output

# Production server: gunicorn with production settings. Set DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL first (settings refuse to start without the first two).
# Sync workers, 2 per core + 1 (pages wait on the database more than they compute); each is
# recycled after about 2,000 requests. HOST=0.0.0.0 behind a load balancer on another machine.
# With several app servers, migrate once per release and start the others with MIGRATE=0
# (docs/deploy.md).
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
MIGRATE ?= 1
serve: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	@if [ "$(MIGRATE)" != "0" ]; then $(BIN)/python manage.py migrate --noinput; fi
	$(BIN)/gunicorn archive.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--timeout 30 --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 \
		--access-logfile -

# The side-by-side benchmark (docs/benchmarks.md): N statements, PostgreSQL and SQLite.
# N=1000000 make bench for the full size; ENGINES=sqlite to skip PostgreSQL.
N ?= 100000
.PHONY: bench
$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,bench]"
	@touch $@

bench: $(BIN)/.bench-installed
	BENCH_COMMAND="N=$(N) make bench" $(BIN)/python -m bench.run --statements $(N)
