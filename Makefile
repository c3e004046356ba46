# Every target builds .venv itself, so a fresh Debian machine with Python 3.11 needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-deps format clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The daemon against the built-in simulated dialer; Ctrl-C stops it.
run: $(STAMP)
	$(BIN)/vicibus run config.example.yaml

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	@for f in bench/*_bench.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# bench/webhook_bench.py loads the servers with wrk, Debian's package (needs root).
bench-deps:
	apt-get install -y wrk

# The API reference pages are generated from the function registries; a test checks them.
docs: $(STAMP)
	$(BIN)/python -m integrations.vicidial.docs
	$(BIN)/python -m rules.reference

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
