"""Issue 18: the memory `make run-split` takes, as total PSS of its whole process tree (shared pages counted once).

Starts `claro-backoffice serve --split` (what `make run-split` runs) on any free ports (PORT=0, SPLIT_BASE_PORT=0)
with a fresh VAR_DIR, waits for its ready line (`serve: listening on URL`, printed once every system answers),
reads the tree's memory idle, applies a small load that touches every system through the gateway (the health check,
a customer 360, a sandbox created and deleted), and reads it again. PSS (`Pss` of /proc/<pid>/smaps_rollup, summed
over the parent and every descendant) splits each shared page between the processes mapping it, so pages a forked
child shares with its parent count once; the RSS sum (each shared page counted in every process) and the process
count are given for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common
from benchmarks.customer360 import ADMIN

LISTENING = re.compile(r"^serve: listening on (http://\S+)$", re.M)


def command(var_dir: Path, world_size: int | None = None) -> list[str]:
    """`claro-backoffice serve --split` (the console script is `python -m claro_backoffice.cli`), on free ports."""
    argv = [sys.executable, "-m", "claro_backoffice.cli", "serve", "--split", "--host", "127.0.0.1", "--port", "0"]
    argv += ["--var-dir", str(var_dir)]
    return argv + (["--world-size", str(world_size)] if world_size else [])


def tree_memory(pid: int) -> dict:
    """PSS and RSS (MB) of `pid` and its descendants, in total and per process."""
    per = []
    for p in common.tree_pids(pid):
        pss, rss = common.proc_kb(p, "Pss", "smaps_rollup"), common.proc_kb(p, "VmRSS")
        if pss is None or rss is None:
            continue  # gone meanwhile
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        per.append({"pid": p, "pss_mb": pss / 1024, "rss_mb": rss / 1024, "command": cmd})
    return {
        "processes": len(per),
        "pss_mb": sum(p["pss_mb"] for p in per),
        "rss_mb": sum(p["rss_mb"] for p in per),
        "per_process": per,
    }


def _ok(status: int, body: bytes, what: str, expected: int = 200) -> bytes:
    if status != expected:
        raise RuntimeError(f"{what} answered {status}: {body[:300]!r}")
    return body


def small_load(base: str) -> dict:
    """A few gateway calls that reach every system: the health check (asks each), a customer 360 (RR and AC), a
    sandbox created and deleted (every system forks and drops it). Returns what it did."""
    health = json.loads(_ok(*common.request(f"{base}/api/v1/health"), "GET /api/v1/health"))
    customer = None
    for n in range(1, 51):  # the first customer with a 360 (the world's ids vary with its size)
        status, body = common.request(f"{base}/api/v1/customers/CUS{n:08d}", headers=ADMIN)
        if status == 200:
            customer = f"CUS{n:08d}"
            break
    if customer is None:
        raise RuntimeError("no customer 360 answered 200 among CUS00000001-CUS00000050")
    for _ in range(3):
        _ok(*common.request(f"{base}/api/v1/customers/{customer}", headers=ADMIN), "the 360")
    name = f"bench-split-{int(time.time() * 1000) % 10**8}"
    created = json.loads(
        _ok(
            *common.request(f"{base}/api/v1/admin/sandboxes", "POST", {"name": name}, ADMIN),
            f"creating sandbox {name}",
            201,
        )
    )
    _ok(*common.request(f"{base}/api/v1/admin/sandboxes/{name}", "DELETE", headers=ADMIN), f"deleting {name}")
    return {"customer": customer, "sandbox": name, "health": health.get("status"), "created": created}


def wait_ready(server: common.Server, timeout: float) -> str:
    """The gateway's URL from the ready line in the server's log (printed once every system answers)."""

    def listening():
        found = LISTENING.search(server.log.read_text(errors="replace"))
        return found.group(1) if found else None

    common.wait_until(lambda: listening() is not None, timeout, server.proc)
    return listening()


def start(argv: list, log_dir: Path, timeout: float = 300) -> common.Server:
    """Starts argv (in its own process group) and returns it once its ready line names its URL."""
    (log_dir / "serve-split.log").unlink(missing_ok=True)  # an earlier run's ready line must not be read as this one's
    server = common.start("serve-split", argv, log_dir)
    try:
        server.url = wait_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def run(log_dir: Path, world_size: int | None = None, timeout: float = 300) -> dict:
    """Starts, measures and stops one `serve --split` in a VAR_DIR of its own."""
    with tempfile.TemporaryDirectory(prefix="bench-split-") as work:
        server = start(command(Path(work) / "var", world_size), log_dir, timeout)
        try:
            ready_s = time.perf_counter() - server.started
            if not common.health_green(server.url):
                raise RuntimeError(f"{server.url} printed its ready line but its health is not `pass`")
            idle = tree_memory(server.proc.pid)
            load = small_load(server.url)
            loaded = tree_memory(server.proc.pid)
        finally:
            server.stop()
    return {
        "command": "claro-backoffice serve --split --host 127.0.0.1 --port 0 --var-dir DIR"
        + (f" --world-size {world_size}" if world_size else ""),
        "world_size": world_size or 200,
        "ready_s": ready_s,
        "load": {"customer": load["customer"], "sandbox": load["sandbox"]},
        "processes": loaded["processes"],
        "pss_mb": loaded["pss_mb"],
        "rss_mb": loaded["rss_mb"],
        "pss_mb_idle": idle["pss_mb"],
        "rss_mb_idle": idle["rss_mb"],
        "per_process": loaded["per_process"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-size", type=int, default=None)
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = run(args.out, args.world_size)
    print(
        f"serve --split: {data['processes']} processes, total PSS {data['pss_mb']:.0f} MB "
        f"(RSS sum {data['rss_mb']:.0f} MB) after the load; idle {data['pss_mb_idle']:.0f} MB"
    )
    print(common.write_json(args.out, "split_memory", data))


if __name__ == "__main__":
    main()
