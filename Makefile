# The whole workflow. `make book` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
CHROMIUM := /usr/bin/chromium
# The interpreter that creates .venv. The pins (numpy 2.4) need 3.11 or newer: an older one
# stops make with one line, before .venv exists.
PYTHON ?= python3
PYTHON_CHECK := import sys; v = sys.version_info[:2]; sys.exit(0 if v >= (3, 11) else \
  "make: Python 3.11 or newer is needed, but $(PYTHON) is %d.%d; install a newer one and run: \
  make PYTHON=python3.11 $(or $(MAKECMDGOALS),install)" % v)
# `make serve` and `make lab` both take PORT=...; each has its own default.
SERVE_PORT := $(or $(PORT),8000)
LAB_PORT   := $(or $(PORT),8888)

# Quiet, repeatable TensorFlow in every process this Makefile starts (kernels inherit it).
export TF_ENABLE_ONEDNN_OPTS := 0
export TF_CPP_MIN_LOG_LEVEL  := 3
export PYTHONHASHSEED        := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install book lab error-index test test-html test-notebooks loopback unit nbval build-strict browser execute bench test-offline serve clean

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     unit tests + strict nbval on every notebook + warnings-as-errors build"
	@echo "              + the book and JupyterLab in headless Chromium"
	@echo "make lab      JupyterLab on the notebooks, http://127.0.0.1:$(LAB_PORT) (PORT=... to change)"
	@echo "make execute  re-execute every notebook in place (atomically) to refresh outputs"
	@echo "make error-index  regenerate chapters/error_index.md from the executed notebooks"
	@echo "make bench    time every notebook against the floor (kernel + import keras)"
	@echo "make serve    serve _build/html on http://127.0.0.1:$(SERVE_PORT) (PORT=... to change)"
	@echo "make clean    remove build output and caches (keeps .venv)"

install: $(STAMP)

# Re-runs only when the requirements or the package metadata change, so later runs work offline.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -c '$(PYTHON_CHECK)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
	@# Build matplotlib's font cache now: its first-use notice would otherwise land in a notebook's stderr.
	$(PY) -c "import matplotlib.pyplot"
	touch $@

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . --keep-going
	@echo
	@echo "Open file://$(CURDIR)/_build/html/index.html  (or run: make serve)"

# JupyterLab on the notebooks, started by the same script the JupyterLab browser test uses:
# 127.0.0.1 only, a token, the repo's configuration (tools/jupyter/), the .venv kernel, and
# every settings, workspace and runtime file under .venv/lab/. Ctrl-C stops it and its kernels.
lab: loopback $(STAMP)
	$(PY) tools/lab.py --port $(LAB_PORT)

# On two cores, two chains side by side, so that neither core waits for the other: the
# strict build then the browser tests (the book's pages, and JupyterLab), and the unit tests
# then strict nbval (two notebooks at a time).
test: loopback
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-html test-notebooks

test-html: build-strict
	@$(MAKE) --no-print-directory browser

test-notebooks: unit
	@$(MAKE) --no-print-directory nbval

# Kernels and the browser tests talk over 127.0.0.1, so every target that starts one needs
# loopback. In a fresh network namespace (the offline check, `unshare -n make test`)
# loopback starts down, so bring it up first.
loopback:
	@if command -v ip >/dev/null && ip link show lo 2>/dev/null | grep -q "state DOWN"; then ip link set lo up; fi

unit: loopback $(STAMP)
	$(PY) -m pytest -q tests --ignore=tests/browser

nbval: loopback $(STAMP)
	$(PY) -m pytest -q --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg -n 2 --dist loadfile $(NOTEBOOKS)

build-strict: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W --keep-going

# Reads the built book, and runs an exercise notebook in JupyterLab (started as `make lab`
# does), in headless Chromium (Debian's package; Playwright never downloads one).
browser: loopback $(STAMP) $(CHROMIUM)
	$(PY) -m pytest -q -n 2 --dist loadgroup tests/browser

$(CHROMIUM):
	@if [ "$$(id -u)" != 0 ]; then echo "$(CHROMIUM) is missing: install Debian's chromium package as root"; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Refresh every notebook's outputs, then the error index generated from them.
execute: loopback $(STAMP)
	$(PY) tools/execute.py $(NOTEBOOKS)
	$(PY) tools/error_index.py

# chapters/error_index.md is generated from the executed notebooks' error outputs and the
# cause-and-fix entries in tools/error_entries.yml (the unit tests fail while it is stale).
error-index: $(STAMP)
	$(PY) tools/error_index.py

# Each notebook's wall time against the floor (kernel start + import keras), same run.
bench: loopback $(STAMP)
	$(PY) tools/bench.py

# The offline guarantee: the whole test suite with the network cut (needs root for unshare).
test-offline: $(STAMP) $(CHROMIUM)
	unshare -n $(MAKE) test

serve:
	@test -d _build/html || { echo "no _build/html yet: run 'make book' first"; exit 1; }
	$(PY) -m http.server $(SERVE_PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache tests/__pycache__ lstm_book/__pycache__ tools/__pycache__
	find chapters -name .ipynb_checkpoints -prune -exec rm -rf {} +
