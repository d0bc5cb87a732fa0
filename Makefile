PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# What serving needs (make demo), and that plus the test tools (everything else).
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean bench soak lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exact versions from the lock files; the checkout itself without its dependencies.
# --no-compile: Python compiles what it imports when it first does, and the demo
# imports a fraction of what is installed (3 s less before it serves).
$(RUNTIME): pyproject.toml requirements/runtime.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile -r requirements/runtime.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile --no-deps -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME) requirements/test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt
	touch $(STAMP)

demo: $(RUNTIME)
	$(BIN)/wallboard demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

# Refresh the lock files from pyproject.toml's ranges (needs the network).
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes pyproject.toml -o requirements/runtime.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra test pyproject.toml -o requirements/test.txt

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Ten minutes at 200 events a second with 1,000 screens; not part of make test.
soak: $(STAMP)
	$(BIN)/python -m bench.soak
