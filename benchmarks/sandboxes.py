"""Item 5: sandbox creation across every system through the gateway, and world building at two sizes.

Sandboxes: `POST /api/v1/admin/sandboxes` with fresh names (the configured seed, so every system forks its seeded
template), median of `count`; each is deleted afterwards (`DELETE /api/v1/admin/sandboxes/{name}`, timed too).
Worlds: `world.build.build_world` at each size, in a fresh Python process each (no cache, no warm imports), the
build alone timed (and, separately, the interpreter start with the imports).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.customer360 import ADMIN

_BUILD = """
import json, sys, time
t0 = time.perf_counter()
from claro_backoffice.world.build import build_world
from claro_backoffice.world.config import WorldConfig
t1 = time.perf_counter()
world = build_world(WorldConfig(size=int(sys.argv[1])))
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "customers": len(world.tables["parties"])
                  if "parties" in world.tables else None, "tables": len(world.tables)}))
"""


def sandboxes(base: str, count: int = 10) -> dict:
    created, deleted = [], []
    stamp = int(time.time() * 1000) % 10**8
    for n in range(count):
        name = f"bench-{stamp}-{n}"
        t0 = time.perf_counter()
        status, body = common.request(f"{base}/api/v1/admin/sandboxes", "POST", {"name": name}, ADMIN)
        created.append((time.perf_counter() - t0) * 1000)
        if status != 201:
            raise RuntimeError(f"creating sandbox {name} answered {status}: {body[:300]!r}")
        t0 = time.perf_counter()
        status, body = common.request(f"{base}/api/v1/admin/sandboxes/{name}", "DELETE", headers=ADMIN)
        deleted.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise RuntimeError(f"deleting sandbox {name} answered {status}: {body[:300]!r}")
    return {"create": common.summary(created), "delete": common.summary(deleted), "count": count}


def world_build(size: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(size)],
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]), size=size)


def run(base: str, count: int = 10, sizes=(200, 10_000)) -> dict:
    return {"sandboxes": sandboxes(base, count), "worlds": [world_build(size) for size in sizes]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running `claro-backoffice serve`, e.g. http://127.0.0.1:8600")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 10_000])
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    print(common.write_json(args.out, "sandboxes", run(args.url.rstrip("/"), args.count, args.sizes)))


if __name__ == "__main__":
    main()
