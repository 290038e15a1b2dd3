# The two commands users need: `make run` and `make test`. Each does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-split test check contract-full clean-var clean bench screenshots

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(PY) -m claro_backoffice.serve

# Each system in its own process on its own port (SPLIT_BASE_PORT=8101 up), the gateway on HOST:PORT.
run-split: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(PY) -m claro_backoffice.serve --split

# The console's browser tests (tests/console, marker `browser`) drive Debian's Chromium: installed here when missing
# and root; otherwise a stop naming the package. BROWSER_TESTS=0 is the one opt-out, and says so.
BROWSER_TESTS ?= 1
test: check
	@if [ "$(BROWSER_TESTS)" = 0 ]; then \
		echo "*** BROWSER_TESTS=0: the console's browser tests are SKIPPED (CI always runs them) ***"; \
	elif [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else echo "make test: the browser tests need Debian's 'chromium' package (/usr/bin/chromium): install it" \
			"(apt-get install chromium, as root) or run make test BROWSER_TESTS=0 to skip them" >&2; exit 1; fi; \
	fi
	BROWSER_TESTS=$(BROWSER_TESTS) $(PY) -m pytest
	@[ "$(BROWSER_TESTS)" != 0 ] || echo "*** BROWSER_TESTS=0: the console's browser tests were SKIPPED ***"

# Static checks, first in `make test`: lint and format (ruff, rules in pyproject.toml) over the whole tree, types
# (mypy, every function annotated) over core/, gateway/, mocks/kit/, transport/ and console/.
check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The console's screenshots in docs/img/ (README "The console"), taken with Debian's Chromium like the browser tests.
screenshots: $(VENV)/.installed
	$(PY) -m tests.console.screenshots docs/img

# The exhaustive schemathesis run (many examples per operation); `make test` runs a budgeted one.
contract-full: $(VENV)/.installed
	CONTRACT_PROFILE=full $(PY) -m pytest tests/contract tests/gateway/test_contract.py

# Benchmarks (issue 7, benchmarks/README.md): installs its tools under benchmarks/ when missing (wrk from Debian when
# root, Prism from npm, gunicorn and py-spy with pip --target), runs them all and writes benchmarks/RESULTS.md.
# BENCH_TESTS=1 also times the whole test suite and the contract suite; BENCH_ARGS passes options to benchmarks.run.
BENCH_PRISM_VERSION ?= 5.16.0
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null 2>&1; } \
		|| echo "bench: wrk is not installed (and not root to install it): the Python load generator is used"
	@test -x benchmarks/.prism/node_modules/.bin/prism || { command -v npm >/dev/null && npm install --prefix \
		benchmarks/.prism --no-audit --no-fund --silent @stoplight/prism-cli@$(BENCH_PRISM_VERSION); } \
		|| echo "bench: node/npm absent or Prism could not be installed: Prism is skipped"
	@test -d benchmarks/.deps/gunicorn || $(PY) -m pip install --quiet --target benchmarks/.deps \
		-r benchmarks/requirements.txt || echo "bench: gunicorn/py-spy not installed: baseline under uvicorn, no profile"
	$(PY) -m benchmarks.run $(if $(BENCH_TESTS),--with-tests) $(BENCH_ARGS)

clean-var:
	rm -rf var

clean: clean-var
	rm -rf $(VENV) *.egg-info dist
