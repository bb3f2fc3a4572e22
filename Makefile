# One entry point for every job; the first target that needs it builds .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint format bench smoke lock clean airlines

# Development installs take the pins of constraints.txt (make lock refreshes them).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flight-agent run

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The built wheel in a fresh venv, without extras or pins, as users install it.
smoke: $(STAMP)
	PYTHON=$(PYTHON) BUILD_PYTHON=$(BIN)/python .ci/wheel-smoke

# Re-resolve every extra from the package index and pin the result in constraints.txt.
lock:
	PYTHON=$(PYTHON) .ci/lock

# Rebuild flight_agent/data/airlines_all.csv from data-sources/openflights (needs the dev extra).
airlines: $(STAMP)
	$(BIN)/python scripts/build_airlines.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
