# Paydown: `make demo` runs the app with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := DEBUG=1

.PHONY: demo test fuzz bench topology-test lint format lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The pure core and the `paydown` command (cli/) go in without dependencies: the lock pins those.
CLI_SOURCES := cli/pyproject.toml $(wildcard cli/src/paydown/*.py cli/src/paydown/*/*.py \
	cli/src/paydown/bankfile/files/*)

$(VENV)/.installed: requirements.lock $(BIN)/python $(CLI_SOURCES)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps ./cli
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(BIN)/python $(CLI_SOURCES)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	# Editable for development: a change under cli/src is live without reinstalling.
	$(BIN)/pip install --quiet --no-deps --editable ./cli
	touch $@ $(VENV)/.installed

# The interface's translations (locale/, issue #17) are compiled here, never committed; GNU
# gettext's msgfmt does it, installed from Debian's packages when missing and run as root.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

%.mo: %.po
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends gettext >/dev/null; } \
	  || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	msgfmt --check -o $@ $<

messages: $(MESSAGES)

# The worker renders PDF reports from the database queue and sends the scheduled emails (digests,
# reminders); it stops with the server.
demo: $(VENV)/.installed $(MESSAGES)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core for the accessibility test comes from npm; without npm that one test is skipped.
tools/axe/node_modules/axe-core/axe.min.js: tools/axe/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tools/axe --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility test will be skipped"; fi

# Lighthouse (its CLI driving Debian's chromium) scores the main pages' accessibility and best
# practices; from npm like axe-core, and without npm that one test is skipped the same way.
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse

$(LIGHTHOUSE): tools/lighthouse/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tools/lighthouse --silent --no-audit --no-fund; \
	else echo "npm not found: the Lighthouse test will be skipped"; fi

test: $(VENV)/.installed-dev tools/axe/node_modules/axe-core/axe.min.js $(LIGHTHOUSE) $(MESSAGES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Property-based tests of hostile input at full size: PAYDOWN_FUZZ_EXAMPLES cases per test and
# endpoint (1,000 by default, over 10,000 in all; the suite runs 40 each, with a fixed seed).
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -m fuzz -p no:cacheprovider $(PYTEST_ARGS)

# Issue #12's figures as ratios (A and B timed back to back, min–max over the repetitions) with
# PASS/FAIL, on data, gunicorn and worker of its own (bench/README.md); 6–15 minutes on 2 cores.
# BENCH_ARGS=--quick: 1,000 projects and 3 repetitions, for CI; --database-url postgres://…
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/scan.py $(filter --quick,$(BENCH_ARGS))

# Issue #19: deploy/compose.yaml's topology on this machine without containers (a PostgreSQL
# primary and streaming replica, Redis, moto's S3, 2 web nodes, 2 workers) under 200 respondents
# for TOPOLOGY_SECONDS, with a worker, a web node, the replica and Redis failing on the way; prints
# what it measured and exits 1 when a check fails (docs/scaling.md). As root; about 4 minutes.
TOPOLOGY_SECONDS ?= 120
topology-test: $(VENV)/.installed-dev
	$(BIN)/python -m deploy.topology --seconds $(TOPOLOGY_SECONDS)

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin every dependency from pyproject.toml (needs uv: pip install uv).
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements-dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
