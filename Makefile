# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# Both create .venv and install the pinned requirements the first time (and again when a requirements
# file changes); nothing else needs to be installed by hand except Debian's chromium for browser tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: run test sample lint bench docs clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m streamlit run dashboard.py --server.port $(PORT) --server.headless true

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

sample: $(VENV)/.runtime
	$(BIN)/python -m kesbang sample

bench: $(VENV)/.dev
	$(BIN)/python -m kesbang bench

docs: $(VENV)/.runtime
	$(BIN)/python -m kesbang.devtools.formatdoc

clean:
	rm -rf $(VENV) data .pytest_cache test-artifacts
