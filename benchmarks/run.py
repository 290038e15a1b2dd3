"""`make bench`: every benchmark end to end, `--runs` times (5), sharing servers, then benchmarks/RESULTS.md.

Each run, in order: cold starts (fresh VAR_DIR, then the same VAR_DIR: that second server stays up for the rest),
the RR mock against the Flask baseline, the connexion floor (one process and two) and Prism, the customer 360,
sandboxes and worlds, the server's RSS after all that load, in the first run only a py-spy profile of the mock GET
under load, then (server stopped) the memory of `serve --split` (split_memory), connexion's add_api of the
product's specs and whole case flows in-process. After the runs, optionally the test-suite durations; RESULTS.md
last (report.py: each figure the median of the runs, each target the median of the runs' ratios). figures.json is
rewritten after every run, so an interrupted `make bench` keeps the runs it finished.
`--tiny` is the smoke test's size (seconds instead of minutes; one run, no Prism, no profile, no split mode, small
worlds).
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
    connexion_floor,
    customer360,
    environment,
    mock_throughput,
    profile,
    report,
    sandboxes,
    split_memory,
    suite_durations,
)


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="whole runs; RESULTS.md reports their medians")
    p.add_argument("--seconds", type=float, default=10, help="each measured load (wrk -d)")
    p.add_argument("--warmup", type=float, default=3, help="warm-up load before each measured one")
    p.add_argument("--latency-seconds", type=float, default=5, help="sequential calls per 360 measurement")
    p.add_argument("--sandboxes", type=int, default=10, help="sandboxes created (median of)")
    p.add_argument("--sizes", type=int, nargs="+", default=[200, 10_000], help="world sizes built")
    p.add_argument("--world-size", type=int, default=None, help="WORLD_SIZE of the served system (200)")
    p.add_argument("--flows", type=int, default=20, help="whole case flows timed in-process (after one warm-up)")
    p.add_argument("--no-prism", action="store_true")
    p.add_argument(
        "--no-split-memory", action="store_true", help="skip serve --split's memory (a start of 14 processes)"
    )
    p.add_argument("--profile-seconds", type=float, default=10, help="py-spy on the mock GET under load; 0: none")
    p.add_argument("--with-tests", action="store_true", help="also time the whole test suite and the contract suite")
    p.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    p.add_argument("--out", type=Path, default=common.BENCH / "results", help="JSON figures and logs")
    p.add_argument("--results", type=Path, default=common.BENCH / "RESULTS.md")
    p.add_argument("--single-start", action="store_true", help="cold start from a fresh VAR_DIR only")
    p.add_argument("--note", default="", help="a sentence for RESULTS.md about this run's conditions")
    p.add_argument("--tiny", action="store_true", help="the smoke test's size (implies --single-start)")
    p.add_argument(
        "--capacity-steps",
        type=int,
        nargs="*",
        default=list(capacity.STEPS),
        help="trainees per step, the ramp stopping after the first that fails (not before 100); none: skip",
    )
    p.add_argument("--capacity-seconds", type=float, default=65, help="each capacity step (a case flow a minute)")
    args = p.parse_args(argv)
    if args.tiny:
        args.seconds, args.warmup, args.latency_seconds, args.sandboxes = 1, 0, 0.2, 2
        args.sizes, args.world_size, args.no_prism, args.profile_seconds, args.flows = [60], 60, True, 0, 2
        args.single_start, args.runs, args.no_split_memory = True, 1, True  # a split start takes tens of seconds
        args.capacity_steps, args.capacity_seconds = [2], 6  # on the shared server (no second start in make test)
    if args.runs < 1:
        p.error("--runs must be 1 or more")
    return args


def one_run(args: argparse.Namespace, number: int) -> dict:
    """Every benchmark once, Prism and the baseline included: one run's figures."""
    run = {"load_average": {"start": environment.load_average()}}
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    ports: set = set()
    server = None

    def say(what: str) -> None:
        print(f"[run {number}/{args.runs}] {what} ...", flush=True)

    try:
        say("cold start (fresh VAR_DIR, then warm templates)")
        run["coldstart"], server = coldstart.run(
            work / "var", args.out, ports, args.world_size, keep=True, warm=not args.single_start
        )
        say("RR mock vs baseline vs Prism")
        run["mock"] = mock_throughput.run(
            server.url, work, args.seconds, args.warmup, not args.no_prism, ports, args.tool
        )
        say("customer 360")
        run["customer360"] = customer360.run(server.url, args.latency_seconds, min(1.0, args.latency_seconds))
        say("sandboxes and worlds")
        run["sandboxes"] = sandboxes.run(server.url, args.sandboxes, args.sizes)
        run["coldstart"]["rss_after_load_mb"] = server.rss_mb()
        if args.profile_seconds > 0 and number == 1:
            say("profile of the mock GET under load")
            run["profile"] = profile.run(server, run["mock"]["account"], args.profile_seconds, args.out)
        if args.tiny and args.capacity_steps:  # the smoke test: a couple of trainees on this run's server
            say("capacity (tiny)")
            run["capacity"] = capacity.run(
                args.capacity_steps,
                args.capacity_seconds,
                url=server.url,
                pid=server.proc.pid,
                world_size=args.world_size,
            )
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    # After the server stopped: nothing else of ours on the cores.
    if not args.no_split_memory:
        say("memory of serve --split")
        run["split_memory"] = split_memory.run(args.out, args.world_size)
    say("connexion's add_api of the product's specs")
    with tempfile.TemporaryDirectory(prefix="bench-specs-") as specs_var:
        run["spec_loads"] = connexion_floor.spec_loads_apart(Path(specs_var))
    say("whole case flows in-process")
    run["caseflow"] = caseflow.run_apart(args.flows, args.world_size or 200)
    run["load_average"]["end"] = environment.load_average()
    run["seconds"] = time.perf_counter() - began
    return run


def main(argv=None) -> None:
    args = parse(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for old_log in args.out.glob("*.log"):  # the servers' logs of the previous run
        old_log.unlink()
    began = time.perf_counter()
    figures = {"environment": environment.describe(), "settings": {k: str(v) for k, v in vars(args).items()}}
    figures["runs"] = []
    try:
        for number in range(1, args.runs + 1):
            figures["runs"].append(one_run(args, number))
            figures.update(report.merge_runs(figures["runs"]))  # the medians so far, beside the runs
            common.write_json(args.out, "figures", figures)
    except BaseException as exc:  # Ctrl-C too: the runs finished so far still make a RESULTS.md, which says so
        if figures["runs"]:
            figures["interrupted"] = f"run {len(figures['runs']) + 1} of {args.runs} failed ({exc!r})"
            finish(args, figures, began)
        raise
    if args.capacity_steps and not args.tiny:  # once, not per run: a curve of minutes-long steps, not a ratio
        print(f"capacity: trainees {args.capacity_steps}, {args.capacity_seconds:.0f} s each ...", flush=True)
        figures["capacity"] = capacity.run(args.capacity_steps, args.capacity_seconds, world_size=args.world_size)
        common.write_json(args.out, "figures", figures)
    earlier = args.out / "tests.json"
    if args.with_tests:
        print("test-suite durations ...", flush=True)
        figures["tests"] = {**(json.loads(earlier.read_text()) if earlier.exists() else {}), **suite_durations.run()}
        common.write_json(args.out, "tests", figures["tests"])  # an earlier fresh-clone figure kept beside
    elif earlier.exists():
        figures["tests"] = json.loads(earlier.read_text())
        figures["tests_from_earlier_run"] = True
    finish(args, figures, began)


def finish(args: argparse.Namespace, figures: dict, began: float) -> None:
    figures["environment"]["load_average_end"] = environment.load_average()
    figures["total_s"] = time.perf_counter() - began
    common.write_json(args.out, "figures", figures)
    args.results.write_text(report.render(figures))
    print(f"{args.results} written in {figures['total_s']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
