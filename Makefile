# Two commands for a fresh machine (Python 3.11+, make):
#   make demo   install what is needed and start the server with demo content (embedded store)
#   make test   install what is needed (redis-server and chromium included) and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
# Two stamps: `make demo` installs only what the server needs; `make test` adds the test and
# example extras on top (the example bot frameworks alone are most of the download).
SERVER_STAMP := $(VENV)/.installed-server
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install install-test clean

$(SERVER_STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[server]'
	@touch $@

$(TEST_STAMP): $(SERVER_STAMP)
	$(VENV)/bin/python -m pip install -q -e '.[server,media,test,examples]'
	@touch $@

install: $(SERVER_STAMP)

install-test: $(TEST_STAMP)

demo: install
	$(VENV)/bin/campfire serve --demo

# Lint and types first (scripts/check.sh), then the suite with branch coverage; the coverage
# table and the per-area totals (games/ and sdk/ held to 90%) are the last thing printed.
# Coverage tracing slows CPU-bound tests about twofold, hence the longer hang limit.
test: install-test
	scripts/ensure-redis.sh
	scripts/ensure-chromium.sh
	PYTHON=$(VENV)/bin/python scripts/check.sh
	$(VENV)/bin/python -m pytest --cov --cov-report=term:skip-covered --timeout=300
	PYTHON=$(VENV)/bin/python scripts/coverage-floor.sh
	scripts/example-tests.sh

clean:
	rm -rf $(VENV) .venv-examples data .pytest_cache
