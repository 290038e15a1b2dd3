"""Where the mock GET's time goes: py-spy (benchmarks/.deps, installed by `make bench`) samples the server while
wrk loads `GET /mocks/rr/accounts/{n}`, only the thread holding the GIL (`--gil`: the one process serves on one
GIL, so that is where throughput goes); the collapsed stacks are summed into the functions with the most samples
(own time, and time including callees)."""

from __future__ import annotations

import collections
import subprocess
import threading
from pathlib import Path

from benchmarks import common

PY_SPY = common.DEPS / "bin" / "py-spy"


def _package(frame: str) -> str:
    """`connect (mocks/kit/store.py)` -> `mocks.kit`; `notify (threading.py)` -> `threading` (stdlib)."""
    path = frame.rpartition(" (")[2].rstrip(")")
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:2]) if parts[0] in ("mocks", "gateway") else parts[0]


def summarise(collapsed: str, top: int = 15) -> dict:
    """Per function: own samples and samples including callees; per package (where the frame's file lives): own."""
    own, inclusive, packages, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [
            f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")" if " (" in f else f for f in stack.split(";")
        ]
        total += int(count)
        own[frames[-1]] += int(count)
        packages[_package(frames[-1])] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)

    def share(c: collections.Counter, k: int = top) -> list[dict]:
        return [{"function": f, "percent": round(100 * n / total, 1)} for f, n in c.most_common(k)]

    return {
        "samples": total,
        "own": share(own),
        "inclusive": share(inclusive, 6 * top),
        "packages": [{"package": p, "percent": round(100 * n / total, 1)} for p, n in packages.most_common(top)],
    }


def run(server: common.Server, account: str, seconds: float, out_dir: Path) -> dict:
    if not PY_SPY.exists():
        return {"skipped": f"py-spy is not installed in {common.DEPS} (`make bench` installs it)"}
    target = f"{server.url}/mocks/rr/accounts/{account}"
    raw = out_dir / "profile-mock-get.txt"
    loader = threading.Thread(target=common.load, args=(target, seconds + 2, 0))
    loader.start()
    try:
        done = subprocess.run(
            [
                str(PY_SPY),
                "record",
                "--pid",
                str(server.proc.pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "200",
                "--gil",
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(raw),
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        loader.join()
    if done.returncode != 0 or not raw.exists():
        return {"skipped": f"py-spy failed: {(done.stderr or done.stdout).strip()[-300:]}"}
    return dict(summarise(raw.read_text()), raw=str(raw))
