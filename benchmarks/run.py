"""`make bench`: every benchmark end to end, sharing servers, then benchmarks/RESULTS.md.

Order: cold starts (fresh VAR_DIR, then the same VAR_DIR: that second server stays up for the rest), the RR mock
against the Flask baseline and Prism, the customer 360, sandboxes and worlds, the server's RSS after all that load,
an optional py-spy profile of the mock GET under load, then (server stopped) whole case flows in-process, optionally
the test-suite durations; RESULTS.md last.
`--tiny` is the smoke test's size (seconds instead of minutes; no Prism, no profile, small worlds).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks import (
    capacity,
    caseflow,
    coldstart,
    common,
    customer360,
    environment,
    mock_throughput,
    profile,
    report,
    sandboxes,
    suite_durations,
)


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10, help="each measured load (wrk -d)")
    p.add_argument("--warmup", type=float, default=3, help="warm-up load before each measured one")
    p.add_argument("--latency-seconds", type=float, default=5, help="sequential calls per 360 measurement")
    p.add_argument("--sandboxes", type=int, default=10, help="sandboxes created (median of)")
    p.add_argument("--sizes", type=int, nargs="+", default=[200, 10_000], help="world sizes built")
    p.add_argument("--world-size", type=int, default=None, help="WORLD_SIZE of the served system (200)")
    p.add_argument("--flows", type=int, default=20, help="whole case flows timed in-process (after one warm-up)")
    p.add_argument("--no-prism", action="store_true")
    p.add_argument("--profile-seconds", type=float, default=10, help="py-spy on the mock GET under load; 0: none")
    p.add_argument("--with-tests", action="store_true", help="also time the whole test suite and the contract suite")
    p.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    p.add_argument("--out", type=Path, default=common.BENCH / "results", help="JSON figures and logs")
    p.add_argument("--results", type=Path, default=common.BENCH / "RESULTS.md")
    p.add_argument("--single-start", action="store_true", help="cold start from a fresh VAR_DIR only")
    p.add_argument("--note", default="", help="a sentence for RESULTS.md about this run's conditions")
    p.add_argument("--tiny", action="store_true", help="the smoke test's size (implies --single-start)")
    p.add_argument("--capacity-steps", type=int, nargs="*", default=[50, 100, 150, 200], help="trainees per step; none: skip")
    p.add_argument("--capacity-seconds", type=float, default=65, help="each capacity step (a case flow a minute)")
    args = p.parse_args(argv)
    if args.tiny:
        args.seconds, args.warmup, args.latency_seconds, args.sandboxes = 1, 0, 0.2, 2
        args.sizes, args.world_size, args.no_prism, args.profile_seconds, args.flows = [60], 60, True, 0, 2
        args.single_start = True
        args.capacity_steps, args.capacity_seconds = [2], 6  # on the shared server (no second start in make test)
    return args


def main(argv=None) -> None:
    args = parse(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for old_log in args.out.glob("*.log"):  # the servers' logs of the previous run
        old_log.unlink()
    began = time.perf_counter()
    figures = {"environment": environment.describe(), "settings": {k: str(v) for k, v in vars(args).items()}}
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    ports: set = set()
    server = None
    try:
        print("cold start (fresh VAR_DIR, then warm templates) ...", flush=True)
        figures["coldstart"], server = coldstart.run(
            work / "var", args.out, ports, args.world_size, keep=True, warm=not args.single_start
        )
        print("RR mock vs baseline vs Prism ...", flush=True)
        figures["mock"] = mock_throughput.run(
            server.url, work, args.seconds, args.warmup, not args.no_prism, ports, args.tool
        )
        print("customer 360 ...", flush=True)
        figures["customer360"] = customer360.run(server.url, args.latency_seconds, min(1.0, args.latency_seconds))
        print("sandboxes and worlds ...", flush=True)
        figures["sandboxes"] = sandboxes.run(server.url, args.sandboxes, args.sizes)
        figures["coldstart"]["rss_after_load_mb"] = server.rss_mb()
        if args.profile_seconds > 0:
            print("profile of the mock GET under load ...", flush=True)
            figures["profile"] = profile.run(server, figures["mock"]["account"], args.profile_seconds, args.out)
        if args.tiny and args.capacity_steps:
            figures["capacity"] = capacity.run(
                args.capacity_steps, args.capacity_seconds, url=server.url, pid=server.proc.pid, world_size=args.world_size
            )
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("whole case flows in-process ...", flush=True)  # after the server stopped: nothing else on the cores
    figures["caseflow"] = caseflow.run(args.flows, args.world_size or 200)
    if args.capacity_steps and not args.tiny:
        print(f"capacity: trainees {args.capacity_steps}, {args.capacity_seconds:.0f} s each ...", flush=True)
        figures["capacity"] = capacity.run(args.capacity_steps, args.capacity_seconds, world_size=args.world_size)
    if args.with_tests:
        print("test-suite durations ...", flush=True)
        figures["tests"] = suite_durations.run()
        common.write_json(args.out, "tests", figures["tests"])
    elif (args.out / "tests.json").exists():
        figures["tests"] = json.loads((args.out / "tests.json").read_text())
        figures["tests_from_earlier_run"] = True
    figures["environment"]["load_average_end"] = environment.load_average()
    figures["total_s"] = time.perf_counter() - began
    common.write_json(args.out, "figures", figures)
    args.results.write_text(report.render(figures))
    print(f"{args.results} written in {figures['total_s']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
