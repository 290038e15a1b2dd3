"""Item 4: cold start of the whole system (`claro-backoffice serve` as `make run`: the gateway and every mock,
seeded) until `GET /api/v1/health` answers `status: pass`, from a fresh VAR_DIR (no template cache: every system
seeds its world) and again on the same VAR_DIR (seeded templates reused); the resident memory after load is read by
the caller (run.py) once the other benchmarks have loaded the server. Prism's cold start comes from mock_throughput.

The package's bytecode is written first, as an installed package has it (pip compiles at install, and a plain run
writes it): where PYTHONDONTWRITEBYTECODE is set, every start would otherwise compile each of the project's modules
again, which no user's start does.
"""

from __future__ import annotations

import argparse
import compileall
import tempfile
from pathlib import Path

from benchmarks import common


def write_bytecode(package: Path) -> None:
    """Each module's bytecode beside it (__pycache__), whatever PYTHONDONTWRITEBYTECODE says: compileall writes it
    explicitly; a module whose bytecode is current is left alone."""
    if not compileall.compile_dir(package, quiet=1):
        raise RuntimeError(f"could not compile {package}")


def run(
    var_dir: Path,
    log_dir: Path,
    ports: set | None = None,
    world_size: int | None = None,
    keep: bool = False,
    warm: bool = True,
) -> tuple[dict, common.Server | None]:
    """Two starts on var_dir (which must not exist yet); the last server is returned running when `keep`.
    warm=False: the fresh start only (the smoke test: one start costs seconds)."""
    ports = ports if ports is not None else set()
    if var_dir.exists() and any(var_dir.iterdir()):
        raise ValueError(f"{var_dir} is not empty: a cold start needs a fresh VAR_DIR")
    write_bytecode(common.ROOT / "claro_backoffice")
    port = common.free_port(ports)
    first, fresh_s = common.start_serve(var_dir, log_dir, port, world_size)
    fresh_rss = first.rss_mb()
    if not warm:
        data = {"fresh_var_s": fresh_s, "rss_idle_mb_fresh": fresh_rss, "world_size": world_size or 200}
        if keep:
            return data, first
        first.stop()
        return data, None
    first.stop()
    second, warm_s = common.start_serve(var_dir, log_dir, port, world_size)
    data = {
        "fresh_var_s": fresh_s,
        "warm_templates_s": warm_s,
        "rss_idle_mb_fresh": fresh_rss,
        "rss_idle_mb_warm": second.rss_mb(),
        "world_size": world_size or 200,
        "port": port,
    }
    if keep:
        return data, second
    second.stop()
    return data, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-size", type=int, default=None)
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data, _ = run(Path(work) / "var", Path(work), world_size=args.world_size)
    print(common.write_json(args.out, "coldstart", data))


if __name__ == "__main__":
    main()
