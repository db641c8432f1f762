# Two commands for a fresh machine (Python >= 3.10 and make; nothing else):
#   make app    set up, then start the app on the bundled records
#   make test   set up (Python packages, and Debian's chromium when run as root), then run the tests
# The package installs with its locked dependencies into .venv; `ct-arrest-map` is its command.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: app test setup setup-dev chromium lint

app: setup
	$(VENV)/bin/ct-arrest-map app

test: setup-dev chromium
	$(PY) -m pytest

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy places

setup: $(VENV)/.app-installed
setup-dev: $(VENV)/.dev-installed

# requirements.txt is the lock (exact versions); the package itself is installed editable,
# so the checkout's code is what runs.
$(VENV)/.app-installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.app-installed pyproject.toml
	$(PY) -m pip install --quiet --editable '.[dev]'
	touch $@

# The browser tests drive Debian's chromium; they are skipped, with a reason, where it is absent.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "note: /usr/bin/chromium is missing and this is not root: browser tests will be skipped"; fi
