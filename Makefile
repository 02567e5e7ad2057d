# The whole workflow. `make book` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
PORT   ?= 8000

# Quiet, repeatable TensorFlow in every process this Makefile starts (kernels inherit it).
export TF_ENABLE_ONEDNN_OPTS := 0
export TF_CPP_MIN_LOG_LEVEL  := 3
export PYTHONHASHSEED        := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install book test unit nbval build-strict execute serve clean

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     unit tests + strict nbval on every notebook + warnings-as-errors build"
	@echo "make execute  re-execute every notebook in place (atomically) to refresh outputs"
	@echo "make serve    serve _build/html on http://127.0.0.1:$(PORT)"
	@echo "make clean    remove build output and caches (keeps .venv)"

install: $(STAMP)

# Re-runs only when the requirements or the package metadata change, so later runs work offline.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
	@# Build matplotlib's font cache now: its first-use notice would otherwise land in a notebook's stderr.
	$(PY) -c "import matplotlib.pyplot"
	touch $@

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . --keep-going
	@echo
	@echo "Open file://$(CURDIR)/_build/html/index.html  (or run: make serve)"

test: unit nbval build-strict

unit: $(STAMP)
	$(PY) -m pytest -q tests

nbval: $(STAMP)
	$(PY) -m pytest -q --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg -n 2 --dist loadfile $(NOTEBOOKS)

build-strict: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W --keep-going

execute: $(STAMP)
	$(PY) tools/execute.py $(NOTEBOOKS)

serve:
	@test -d _build/html || { echo "no _build/html yet: run 'make book' first"; exit 1; }
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache tests/__pycache__ lstm_book/__pycache__ tools/__pycache__
	find chapters -name .ipynb_checkpoints -prune -exec rm -rf {} +
