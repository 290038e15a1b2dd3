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

# The console command's `claro-backoffice serve` (README "Command line"): `python -m claro_backoffice.serve`'s code.
run: $(VENV)/.installed
	$(VENV)/bin/claro-backoffice serve --host $(HOST) --port $(PORT)

# Each system in its own process on its own port (SPLIT_BASE_PORT=8101 up), the gateway on HOST:PORT.
run-split: $(VENV)/.installed
	$(VENV)/bin/claro-backoffice serve --split --host $(HOST) --port $(PORT)

# The console's browser tests (tests/console, marker `browser`) drive Debian's Chromium: installed here when missing
# and root; otherwise a stop naming the package. BROWSER_TESTS=0 is the one opt-out, and says so.
# The scale-out tests (tests/scaleout, marker `scaleout`) run Debian's nginx in front of three replicas, the same
# way: installed when missing and root (RUNLEVEL=1: the package's own service is not started), SCALEOUT_TESTS=0 skips.
# pytest runs in parallel (pytest-xdist, `-n auto --dist loadgroup` in pyproject.toml: two workers per CPU, a module's
# tests in one worker); `.venv/bin/python -m pytest -n 0` runs serially.
BROWSER_TESTS ?= 1
SCALEOUT_TESTS ?= 1
test: check
	@if [ "$(BROWSER_TESTS)" = 0 ]; then \
		echo "*** BROWSER_TESTS=0: the console's browser tests are SKIPPED (CI always runs them) ***"; \
	elif [ ! -x /usr/bin/chromium ] || [ ! -e /usr/lib/chromium/locales/es-419.pak ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-l10n; \
		else echo "make test: the browser tests need Debian's 'chromium' and 'chromium-l10n' packages: install them" \
			"(apt-get install chromium chromium-l10n, as root) or run make test BROWSER_TESTS=0 to skip them" >&2; exit 1; fi; \
	fi
	@if [ "$(SCALEOUT_TESTS)" = 0 ]; then \
		echo "*** SCALEOUT_TESTS=0: the scale-out tests (nginx, three replicas) are SKIPPED (CI always runs them) ***"; \
	elif [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && \
			RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx; \
		else echo "make test: the scale-out tests need Debian's 'nginx' package (/usr/sbin/nginx): install it" \
			"(apt-get install nginx, as root) or run make test SCALEOUT_TESTS=0 to skip them" >&2; exit 1; fi; \
	fi
	BROWSER_TESTS=$(BROWSER_TESTS) SCALEOUT_TESTS=$(SCALEOUT_TESTS) $(PY) -m pytest
	@[ "$(BROWSER_TESTS)" != 0 ] || echo "*** BROWSER_TESTS=0: the console's browser tests were SKIPPED ***"
	@[ "$(SCALEOUT_TESTS)" != 0 ] || echo "*** SCALEOUT_TESTS=0: the scale-out tests were SKIPPED ***"

# Static checks, first in `make test`: lint and format (ruff, rules in pyproject.toml) over the whole tree, types
# (mypy, every function annotated) over claro_backoffice/: core/, gateway/, mocks/kit/, transport/, console/, cli/ and
# testing/ (the pytest plugin), as pyproject.toml [tool.mypy] lists them.
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
# root, Prism from npm, gunicorn and py-spy with pip --target), runs them all five times and writes benchmarks/RESULTS.md.
# BENCH_TESTS=1 also times the test suites (benchmarks/suite_durations.py); BENCH_ARGS passes options to benchmarks.run.
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
