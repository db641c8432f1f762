# Two commands for a fresh machine:
#   make app    set up, then start the app on the bundled records
#   make test   set up (Python packages, and Debian's chromium when run as root), then run the tests
# Both also need node and npm: the offline base map (country outlines) comes from npm packages.
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

setup: $(VENV)/.app-installed node_modules/.installed
setup-dev: $(VENV)/.dev-installed node_modules/.installed

$(VENV)/.app-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.app-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# world-atlas and topojson-client, at the versions of package-lock.json. npm ci starts from
# an empty node_modules, so the stamp is newer than the lock file only after a complete install.
node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { \
		echo "error: node and npm are needed for the offline base map (country outlines from" \
			"npm's world-atlas); install Node.js with npm (Debian: apt-get install nodejs npm)" \
			"and run make again" >&2; \
		exit 1; }
	npm ci --omit=dev --no-audit --no-fund
	touch $@

# The browser tests drive Debian's chromium; they are skipped, with a reason, where it is absent.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "note: /usr/bin/chromium is missing and this is not root: browser tests will be skipped"; fi
