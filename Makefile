# Development tasks (README, Development). Each is one plain command; read them before running.
PYTHON ?= .venv/bin/python

.PHONY: dev test lint docs golden fuzz bench ci

dev:
	python3 -m venv .venv && .venv/bin/pip install -e ".[test]"

test:
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check . && $(PYTHON) -m mypy

docs:
	$(PYTHON) tests/docs.py

golden:
	$(PYTHON) tests/golden.py accept

fuzz:
	$(PYTHON) -m pytest --hypothesis-profile=long -m "not stress"

bench:
	rm -rf .venv-bench && python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet . && .venv-bench/bin/python benchmarks/startup.py

ci:
	.ci/run
