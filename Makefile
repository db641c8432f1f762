# Two commands for a fresh machine:
#   make app    set up, then start the app on the bundled records
#   make test   set up (Python packages, and Debian's chromium when run as root), then run the tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: app test setup setup-dev chromium lint

app: setup
	$(PY) -m streamlit run mapapp/app.py --server.headless true

test: setup-dev chromium
	$(PY) -m pytest

lint: setup-dev
	$(PY) -m ruff check .

setup: $(VENV)/.app-installed
setup-dev: $(VENV)/.dev-installed

$(VENV)/.app-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.app-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The browser tests drive Debian's chromium; they are skipped, with a reason, where it is absent.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "note: /usr/bin/chromium is missing and this is not root: browser tests will be skipped"; fi
