# The two commands users need: `make run` and `make test`. Each does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-split test contract-full clean-var clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(PY) -m serve

# Each system in its own process on its own port (SPLIT_BASE_PORT=8101 up), the gateway on HOST:PORT.
run-split: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(PY) -m serve --split

test: $(VENV)/.installed
	$(PY) -m pytest

# The exhaustive schemathesis run (many examples per operation); `make test` runs a budgeted one.
contract-full: $(VENV)/.installed
	CONTRACT_PROFILE=full $(PY) -m pytest tests/contract

clean-var:
	rm -rf var

clean: clean-var
	rm -rf $(VENV) *.egg-info
