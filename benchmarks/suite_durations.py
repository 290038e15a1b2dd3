"""Item 6: how long `make test` (`python -m pytest`, as the Makefile runs it) and the contract suite take.

Not part of `make bench` by default (the whole suite alone takes minutes): `make bench BENCH_TESTS=1` adds it, or
run `python -m benchmarks.suite_durations`. `--select` times other pytest selections, `--only` one of the two.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common

SUITES = {
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
    failed = [
        line.split(" - ")[0].removeprefix("FAILED ").removeprefix("ERROR ")
        for line in done.stdout.splitlines()
        if line.startswith(("FAILED ", "ERROR "))
    ]
    return {
        "args": args,
        "seconds": seconds,
        "exit_code": done.returncode,
        "summary": last,
        "counts": counts(last),
        "failed": failed,
    }


def counts(summary: str) -> dict:
    """pytest's last line (`12 passed, 1 skipped in 3.2s`) as {outcome: count}."""
    return {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed)", summary)}


def run(suites: dict | None = None) -> dict:
    """suites: label -> pytest arguments (both of SUITES when None)."""
    return {name: time_pytest(args) for name, args in (suites or dict(SUITES.values())).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", nargs="+", help="pytest arguments to time instead of the two suites")
    parser.add_argument("--only", choices=sorted(SUITES), help="one of the two suites")
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    data = run(
        {" ".join(args.select): args.select} if args.select else dict([SUITES[args.only]]) if args.only else None
    )
    earlier = args.out / "tests.json"  # one suite timed now keeps the other's earlier figure
    if earlier.exists():
        data = {**json.loads(earlier.read_text()), **data}
    print(common.write_json(args.out, "tests", data))


if __name__ == "__main__":
    main()
