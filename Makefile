# Two commands for a fresh machine (Python 3.11+, make):
#   make demo   install what is needed and start the server with demo content (embedded store)
#   make test   install what is needed (redis-server and chromium included) and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[server,test,examples]'
	@touch $@

install: $(STAMP)

demo: install
	$(VENV)/bin/campfire serve --demo

test: install
	scripts/ensure-redis.sh
	scripts/ensure-chromium.sh
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) data .pytest_cache
