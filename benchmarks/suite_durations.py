"""Item 6: how long `make test` (`python -m pytest`, as the Makefile runs it), the contract suite and (issue 18)
the suite as issue 18 found it take; and `make test` on a fresh clone, installs included.

Not part of `make bench` by default (the whole suite alone takes minutes): `make bench BENCH_TESTS=1` adds the three
suites, or run `python -m benchmarks.suite_durations`. `--select` times other pytest selections, `--only` one of
them. `--fresh-clone` times `make test` in a `git clone` of this checkout's HEAD (its own .venv installed from
scratch: tens of minutes); its figure is kept in tests.json beside the others and read by `make bench`'s report.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common

ISSUE_START_FILES = "benchmarks/suite_at_issue_18.txt"  # relative to the checkout, where pytest runs

SUITES = {
    # Issue 18's pytest target is a fraction of the suite "as it stands when this issue starts": the 72 test files of
    # 352cb75, where it was filed (`git ls-tree -r --name-only 352cb75 tests`, kept in this file, an argument a line
    # for pytest's @file), as they are now. The suite has grown since (202 files): "whole" times all of it.
    "issue_start": ("the suite as issue 18 found it (its 72 test files, as they are now)", ["@" + ISSUE_START_FILES]),
    "whole": ("make test (python -m pytest, whole suite)", []),
    "contract": ("contract suite (python -m pytest tests/contract)", ["tests/contract"]),
}


def time_pytest(args: list, timeout: float = 1800) -> dict:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - t0
    last = (done.stdout.strip().splitlines() or [""])[-1]
    return {
        "args": args,
        "seconds": seconds,
        "exit_code": done.returncode,
        "summary": last,
        "counts": counts(last),
        "failed": failed_tests(done.stdout),
    }


def fresh_clone(make_args: tuple = ("test",), timeout: float = 3600) -> dict:
    """`make test` (the user's first command) in a fresh `git clone` of HEAD: the venv, the packages and every test.
    Uncommitted changes are not in the clone. The outer make's and venv's variables are left out of its environment."""
    with tempfile.TemporaryDirectory(prefix="bench-clone-") as work:
        clone = Path(work) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(common.ROOT), str(clone)], check=True, timeout=300)
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.strip()
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        t0 = time.perf_counter()
        done = subprocess.run(
            ["make", *make_args], cwd=clone, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        seconds = time.perf_counter() - t0
    last = pytest_summary(done.stdout)
    return {
        "args": ["make", *make_args],
        "commit": head,
        "seconds": seconds,
        "exit_code": done.returncode,
        "summary": last or (done.stdout.strip().splitlines() or [""])[-1],
        "counts": counts(last),
        "failed": failed_tests(done.stdout),
        "tail": (done.stdout + done.stderr)[-2000:] if done.returncode else "",
    }


def failed_tests(output: str) -> list[str]:
    """The test ids of pytest's short summary (`FAILED tests/x.py::test_y - AssertionError...`, ERROR alike): a
    failing run's tail is pip's and make's lines, not which test failed."""
    return [
        line.split(" - ")[0].removeprefix("FAILED ").removeprefix("ERROR ")
        for line in output.splitlines()
        if line.startswith(("FAILED ", "ERROR "))
    ]


def pytest_summary(output: str) -> str:
    """pytest's closing line (`==== 3 failed, 1200 passed in 391.05s (0:06:31) ====`) without its rules; make's
    own lines may follow it."""
    found = re.findall(r"^=+ (.+ in [\d.]+s(?: \([\d:]+\))?) =+$", output, re.M)
    return found[-1] if found else ""


def counts(summary: str) -> dict:
    """pytest's last line (`12 passed, 1 skipped in 3.2s`) as {outcome: count}."""
    return {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed)", summary)}


def run(suites: dict | None = None) -> dict:
    """suites: name -> pytest arguments (all of SUITES, by their names, when None: the report reads them by name)."""
    return {name: time_pytest(args) for name, args in (suites or {n: a for n, (_, a) in SUITES.items()}).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", nargs="+", help="pytest arguments to time instead of the suites")
    parser.add_argument("--only", choices=sorted(SUITES), help="one of the suites")
    parser.add_argument(
        "--fresh-clone", action="store_true", help="instead: `make test` on a fresh clone of HEAD, installs included"
    )
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    if args.fresh_clone:
        data = {"fresh_clone": fresh_clone()}
    else:
        chosen = {args.only: SUITES[args.only][1]} if args.only else None
        data = run({" ".join(args.select): args.select} if args.select else chosen)
    earlier = args.out / "tests.json"  # one suite timed now keeps the other's earlier figure
    if earlier.exists():
        data = {**json.loads(earlier.read_text()), **data}
    print(common.write_json(args.out, "tests", data))


if __name__ == "__main__":
    main()
