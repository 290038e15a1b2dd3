"""benchmarks/ keeps working: every benchmark runs once at a tiny size (one server start, ~1 s loads, no Prism).
Nothing here is about speed: it checks the scripts run, every request they sent was answered, and the figures and
RESULTS.md are written. The test-suite timer (suite_durations) is not run here: only its parsing is checked. The
report's medians and targets are checked on hand-worked figures; split_memory's PSS sum on a real process tree
(a `serve --split` start takes tens of seconds: --tiny leaves it out)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import common, profile, report, run, split_memory, suite_durations

ROOT = Path(__file__).resolve().parent.parent

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8600/accounts/1
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.94ms   10.01ms  51.87ms   80.00%
    Req/Sec     1.18k   100.00     1.30k    70.00%
  Latency Distribution
     50%  812.00us
     75%   15.00ms
     90%   25.00ms
     99%    1.20s
  1192 requests in 1.01s, 1.50MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:   1175.25
Transfer/sec:      1.48MB
"""


def test_wrk_output_is_read_with_its_units():
    load = common.parse_wrk(WRK_OUTPUT)
    assert (load.requests, load.seconds, load.rps) == (1192, 1.01, 1175.25)
    assert (load.p50_ms, load.p99_ms, load.errors) == (0.812, 1200.0, 9)


def test_collapsed_stacks_are_summed_per_function():
    raw = "main (a.py:1);handle (b.py:10);validate (c.py:5) 6\nmain (a.py:1);handle (b.py:12) 4\n"
    summary = profile.summarise(raw)
    assert summary["samples"] == 10
    assert summary["own"][0] == {"function": "validate (c.py)", "percent": 60.0}
    assert {"function": "handle (b.py)", "percent": 100.0} in summary["inclusive"]
    assert summary["packages"][0] == {"package": "c", "percent": 60.0}


def test_every_benchmark_runs_once_at_a_tiny_size(tmp_path):
    out, results = tmp_path / "out", tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--tiny", "--out", str(out), "--results", str(results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    figures = json.loads((out / "figures.json").read_text())
    assert figures["coldstart"]["fresh_var_s"] > 0 and figures["coldstart"]["rss_after_load_mb"] > 0
    for target in ("product", "baseline", "connexion floor", "connexion floor, 2 processes"):
        for method in ("GET", "POST"):
            load = figures["mock"]["loads"][target][method]
            assert load["requests"] > 0 and load["errors"] == 0, (target, method, load)
    c360 = figures["customer360"]
    assert c360["direct_delayed"]["min_ms"] >= 50 and c360["view_delayed"]["min_ms"] >= 50  # the faults applied
    assert figures["spec_loads"]["specs"] == 27 and figures["spec_loads"]["seconds"] > 0
    assert figures["sandboxes"]["sandboxes"]["create"]["n"] == 2
    assert figures["sandboxes"]["worlds"][0]["customers"] == 60
    flow = figures["caseflow"]
    assert flow["n"] == 2 and flow["calls_by_system"]["rr"] > 0 and flow["calls_by_system"]["gateway"] > 0
    assert len(figures["runs"]) == 1 and figures["runs"][0]["caseflow"]["n"] == 2
    # The tiny capacity step is 6 s of polls with one flow per trainee (started within 3 s): it ends with them. A
    # trainee once waited for its next flow, a minute after its first started, so a step never took under 60 s.
    (step,) = figures["runs"][0]["capacity"]["steps"]
    assert step["trainees"] == 2 and step["requests"] > 0 and step["seconds"] < 60
    text = results.read_text()
    assert "## Targets (issue 18)" in text and "| customer 360 with 50 ms on RR and AC (median) |" in text
    assert "| whole case flow in-process, median |" in text
    assert "| connexion floor: RR GET throughput vs Prism |" in text and "Product / connexion floor" in text
    assert "| `make run-split`, total PSS | — | — | ≤ 450 MB | **NOT MEASURED** |" in text  # --tiny leaves it out


def test_pytest_summary_is_read_into_counts():
    assert suite_durations.counts("3 failed, 1200 passed, 4 skipped, 2 deselected in 391.05s (0:06:31)") == {
        "failed": 3,
        "passed": 1200,
        "skipped": 4,
        "deselected": 2,
    }


def test_the_fresh_clones_make_test_is_read_from_pytests_closing_line():
    output = (
        "tests/x.py ....\n"
        "=========== 3 failed, 1200 passed, 4 skipped in 391.05s (0:06:31) ===========\n"
        "*** SCALEOUT_TESTS=0: the scale-out tests were SKIPPED ***\n"
    )
    summary = suite_durations.pytest_summary(output)
    assert summary == "3 failed, 1200 passed, 4 skipped in 391.05s (0:06:31)"
    assert suite_durations.counts(summary) == {"failed": 3, "passed": 1200, "skipped": 4}
    assert suite_durations.pytest_summary("make: *** [Makefile:12: .venv/.installed] Error 1\n") == ""


def test_a_failing_runs_tests_are_named_from_pytests_short_summary():
    output = (
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_benchmarks.py::test_tiny - assert 61.2 < 60\n"
        "ERROR tests/cli/test_journal.py::test_table - TimeoutError: no ready line\n"
        "=========== 2 failed, 1200 passed, 1 error in 391.05s (0:06:31) ===========\n"
        "make: *** [Makefile:35: test] Error 1\n"
    )
    assert suite_durations.failed_tests(output) == [
        "tests/test_benchmarks.py::test_tiny",
        "tests/cli/test_journal.py::test_table",
    ]


def test_make_bench_runs_five_times_and_tiny_once():
    assert run.parse([]).runs == 5 and run.parse(["--runs", "2"]).runs == 2
    tiny = run.parse(["--tiny"])
    assert (tiny.runs, tiny.no_split_memory) == (1, True)


def _run(product_get, prism_get, product_p99, prism_p99, errors=0, flow_ms=40.0, pss=400.0):
    load = {"rps": 0.0, "p50_ms": 1.0, "p99_ms": 1.0, "errors": 0, "requests": 10}
    return {
        "mock": {
            "loads": {
                "product": {
                    "GET": dict(load, rps=product_get, p99_ms=product_p99, errors=errors),
                    "POST": dict(load, rps=80.0),
                },
                "prism": {"GET": dict(load, rps=prism_get, p99_ms=prism_p99), "POST": dict(load, rps=100.0)},
            },
            "prism_cold_start_s": 2.0,
            "account": "1",
            "rss_mb": {"prism": 100.0},
        },
        "coldstart": {"warm_templates_s": 1.5},
        "caseflow": {
            "median_ms": flow_ms,
            **dict.fromkeys(("p95_ms", "min_ms", "max_ms", "calls_per_flow"), flow_ms),
            **{"flows": 2, "world_size": 60, "validation": "requests validated", "calls_by_system": {"rr": 2.0}},
        },
        "split_memory": {
            "pss_mb": pss,
            **dict.fromkeys(("rss_mb", "pss_mb_idle", "rss_mb_idle", "ready_s"), pss),
            **{"processes": 14, "command": "claro-backoffice serve --split"},
        },
    }


def test_each_target_is_the_median_of_the_runs_ratios_against_both_limits():
    # GET throughput ratios 900/1000, 1200/600, 3000/1500 = 0.9, 2.0, 2.0: median 2.0 (the ratio of the medians
    # would be 1200/1000 = 1.2). p99 ratios 10/20, 30/10, 12/10 = 0.5, 3.0, 1.2: median 1.2.
    runs = [
        _run(900.0, 1000.0, 10.0, 20.0, flow_ms=40.0, pss=500.0),
        _run(1200.0, 600.0, 30.0, 10.0, errors=2, flow_ms=20.0, pss=280.0),
        _run(3000.0, 1500.0, 12.0, 10.0, errors=1, flow_ms=60.0, pss=420.0),
    ]
    rows = {row["target"]: row for row in report.evaluate({"runs": runs}, report.TARGETS)}
    get = rows["RR GET throughput vs Prism"]
    assert get["values"] == [0.9, 2.0, 2.0] and get["median"] == 2.0
    assert (get["hard_result"], get["stretch_result"]) == ("MET", "MET")  # ≥ 1.0 and ≥ 1.5
    p99 = rows["RR GET p99 vs Prism"]
    assert p99["values"] == [0.5, 3.0, 1.2] and p99["median"] == 1.2
    assert (p99["hard_result"], p99["stretch_result"]) == ("MISSED", "MISSED")  # ≤ 1.0 and ≤ 0.5
    post = rows["RR POST throughput vs Prism"]  # 80/100 in every run: exactly on the hard line
    assert (post["median"], post["hard_result"], post["stretch_result"]) == (0.8, "MET", "MISSED")
    cold = rows["cold start (warm templates) vs Prism"]  # 1.5 / 2.0
    assert (cold["median"], cold["hard_result"], cold["stretch_result"]) == (0.75, "MET", "MISSED")
    flow = rows["whole case flow in-process, median"]  # 40, 20, 60 ms: median 40
    assert (flow["median"], flow["hard_result"], flow["stretch_result"]) == (40.0, "MET", "MISSED")
    pss = rows["`make run-split`, total PSS"]  # 500, 280, 420 MB: median 420
    assert (pss["median"], pss["hard_result"], pss["stretch_result"]) == (420.0, "MET", "MISSED")
    assert rows["customer 360 undelayed vs one direct mock call (medians)"]["hard_result"] == "NOT MEASURED"
    # Measured once, not per run: read beside the runs. The suite as issue 18 found it 150 s of 385 s = 0.390: ≤ 0.6
    # and ≤ 0.4 met; the whole suite 300 s = 0.779: both missed.
    tests = {"issue_start": {"seconds": 150.0}, "whole": {"seconds": 300.0}}
    once = [row for row in report.evaluate({"runs": runs, "tests": tests}, report.TARGETS) if "pytest" in row["target"]]
    assert [(row["median"], row["hard_result"], row["stretch_result"]) for row in once] == [
        (0.39, "MET", "MET"),
        (0.78, "MISSED", "MISSED"),
    ]
    assert "as issue 18 found it" in once[0]["target"] and "whole suite" in once[1]["target"]


def test_a_median_is_judged_as_shown():
    # p99 ratio (0.1 + 0.2) / 0.6 = 0.5000000000000001 in floats: shown 0.50, it meets "≤ 0.5×".
    runs = [_run(1.0, 1.0, 0.1 + 0.2, 0.6)]
    p99 = next(row for row in report.evaluate({"runs": runs}, report.TARGETS) if row["target"] == "RR GET p99 vs Prism")
    assert (p99["median"], p99["hard_result"], p99["stretch_result"]) == (0.5, "MET", "MET")


def test_an_even_number_of_runs_takes_the_middle_two_and_the_table_shows_each_run():
    runs = [_run(900.0, 1000.0, 10.0, 10.0), _run(1200.0, 1000.0, 10.0, 10.0)]  # 0.9 and 1.2: median 1.05
    table = "\n".join(report.targets_table({"runs": runs}, report.TARGETS))
    assert "| RR GET throughput vs Prism | 1.05× | 0.90, 1.20 | ≥ 1.0× | **MET** | ≥ 1.5× | MISSED |" in table
    assert "| `make run-split`, total PSS | 400 MB | 400, 400 | ≤ 450 MB | **MET** | ≤ 300 MB | MISSED |" in table


def test_the_sections_show_the_median_of_the_runs_and_the_sum_of_their_errors():
    runs = [_run(900.0, 1000.0, 10.0, 20.0, errors=2), _run(1200.0, 600.0, 30.0, 10.0), _run(3000.0, 1.0, 1.0, 1.0)]
    runs[0]["sandboxes"] = {"worlds": [{"size": 200, "build_s": 1.0}, {"size": 10_000, "build_s": 9.0}]}
    runs[1]["sandboxes"] = {"worlds": [{"size": 200, "build_s": 3.0}, {"size": 10_000, "build_s": 12.0}]}
    runs[0]["coldstart"]["port"], runs[1]["coldstart"]["port"], runs[2]["coldstart"]["port"] = 8600, 8602, 8604
    merged = report.merge_runs(runs)
    assert merged["coldstart"] == {"warm_templates_s": 1.5, "port": 8600}  # a port is a name, not a figure
    get = merged["mock"]["loads"]["product"]["GET"]
    assert (get["rps"], get["p99_ms"], get["errors"], get["requests"]) == (1200.0, 10.0, 2, 10)
    assert merged["sandboxes"]["worlds"] == [{"size": 200, "build_s": 2.0}, {"size": 10_000, "build_s": 10.5}]
    earlier = {row["target"]: row for row in report.evaluate({"runs": runs}, report.EARLIER_TARGETS)}
    assert earlier["10,000-customer world"]["values"] == [9.0, 12.0]  # the run without worlds is left out
    assert earlier["10,000-customer world"]["hard_result"] == "MISSED"  # median 10.5 > 10


def test_a_run_that_fails_leaves_the_results_of_the_runs_before_it(tmp_path, monkeypatch):
    finished = [_run(900.0, 1000.0, 10.0, 10.0, flow_ms=40.0), _run(1200.0, 1000.0, 10.0, 10.0, flow_ms=60.0)]

    def one_run(args, number):
        if number > len(finished):
            raise RuntimeError("wrk exited with 1")
        return finished[number - 1]

    monkeypatch.setattr(run, "one_run", one_run)
    out, results = tmp_path / "out", tmp_path / "RESULTS.md"
    with pytest.raises(RuntimeError, match="wrk exited"):
        run.main(["--runs", "3", "--out", str(out), "--results", str(results)])
    figures = json.loads((out / "figures.json").read_text())
    assert figures["runs"] == finished and figures["caseflow"]["median_ms"] == 50.0
    assert figures["interrupted"] == "run 3 of 3 failed (RuntimeError('wrk exited with 1'))"
    text = results.read_text()
    assert "`make bench`, 2 runs)" in text and "**Interrupted:** run 3 of 3 failed" in text
    assert "| whole case flow in-process, median | 50.0 ms | 40.0, 60.0 | ≤ 50 ms | **MET** |" in text


def test_timing_the_suites_keeps_the_fresh_clones_earlier_figure(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    clone, whole = ({"seconds": s, "exit_code": 0, "summary": "9 passed"} for s in (900.0, 200.0))
    (out / "tests.json").write_text(json.dumps({"fresh_clone": clone, "whole": dict(whole, seconds=1.0)}))
    monkeypatch.setattr(run, "one_run", lambda args, number: _run(1.0, 1.0, 1.0, 1.0))
    monkeypatch.setattr(suite_durations, "run", lambda: {"whole": whole})
    # No capacity steps: the curve is minutes of real load, not what this test is about.
    results = tmp_path / "RESULTS.md"
    run.main(["--runs", "1", "--with-tests", "--capacity-steps", "--out", str(out), "--results", str(results)])
    assert json.loads((out / "tests.json").read_text()) == {"fresh_clone": clone, "whole": whole}
    text = results.read_text()
    assert "| `make test` on a fresh clone, installs included | 15.0 min | 15.0 | ≤ 20 min | **MET** |" in text


def test_capacity_targets_read_its_figures_when_present():
    fig = {
        "capacity": {"max_trainees": 240, "rss_mb_at_100": 250.0, "rss_mb_idle": 180.0, "rss_mb_after_delete": 240.0}
    }
    rows = {row["target"]: row for row in report.evaluate(fig, report.CAPACITY_TARGETS)}
    assert [r["median"] for r in rows.values()] == [240, 250.0, 60.0]
    assert [(r["hard_result"], r["stretch_result"]) for r in rows.values()] == [
        ("MET", "MISSED"),  # ≥ 200, not ≥ 400
        ("MET", "MISSED"),  # ≤ 300, not ≤ 200
        ("MISSED", "—"),  # 60 MB above idle: more than 50
    ]
    assert all(r["hard_result"] == "NOT MEASURED" for r in report.evaluate({}, report.CAPACITY_TARGETS))


def test_split_memory_waits_for_this_starts_ready_line(tmp_path):
    # An earlier run's log names another URL; the new process prints its line only after a first one of its own.
    (tmp_path / "serve-split.log").write_text("serve: listening on http://127.0.0.1:1\n")
    script = (
        "import signal, sys; print('Split mode. Serving:'); "
        "print('serve: listening on http://127.0.0.1:2', flush=True); signal.pause()"
    )
    server = split_memory.start([sys.executable, "-c", script], tmp_path, timeout=60)
    try:
        assert server.url == "http://127.0.0.1:2" and server.proc.poll() is None
    finally:
        server.stop()
    assert server.proc.returncode is not None


# A parent that touches 64 MB, forks three children that keep it (copy-on-write, never written), and says so
# once all four exist; every one of them exits when its stdin closes.
_TREE = """
import os, sys
block = bytearray(64 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
r, w = os.pipe()
for _ in range(3):
    if os.fork() == 0:
        os.close(r)
        os.write(w, b"x")
        sys.stdin.buffer.read()
        os._exit(0)
os.close(w)
got = b""
while len(got) < 3:
    got += os.read(r, 3)
print("ready", flush=True)
sys.stdin.buffer.read()
for _ in range(3):
    os.wait()
"""


def test_total_pss_of_a_process_tree_counts_shared_pages_once():
    proc = subprocess.Popen(
        [sys.executable, "-c", _TREE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert proc.stdout.readline() == b"ready\n"
        pids = common.tree_pids(proc.pid)
        memory = split_memory.tree_memory(proc.pid)
        pss_mb, rss_mb = common.tree_pss_kb(proc.pid) / 1024, common.tree_rss_kb(proc.pid) / 1024
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert pids[0] == proc.pid and len(pids) == 4 and memory["processes"] == 4
    # The 64 MB block is resident in all four (RSS counts it four times, ≥ 256 MB) but shared: PSS counts it once
    # (64 MB split four ways) plus each interpreter's own pages, well under twice the block.
    assert rss_mb >= 4 * 64 and memory["rss_mb"] >= 4 * 64
    assert 64 <= pss_mb < 2 * 64 and 64 <= memory["pss_mb"] < 2 * 64
    assert [p["pid"] for p in memory["per_process"]] == pids


def test_the_suites_timed_by_default_are_the_ones_the_report_reads(monkeypatch):
    """suite_durations keyed its figures by their long labels while the report looked for "whole": a measured suite
    showed as NOT MEASURED."""
    monkeypatch.setattr(suite_durations, "time_pytest", lambda args: {"seconds": 231.0, "exit_code": 0, "summary": ""})
    timed = suite_durations.run()
    assert sorted(timed) == ["contract", "issue_start", "whole"]
    rows = report.evaluate({"runs": [_run(1.0, 1.0, 1.0, 1.0)], "tests": timed}, report.TARGETS)
    for start in ("pytest time of the suite as issue 18 found it", "pytest time of the whole suite"):
        suite = next(row for row in rows if row["target"].startswith(start))
        assert (suite["median"], suite["hard_result"]) == (0.6, "MET")  # 231 s of 385


def test_the_suite_as_issue_18_found_it_is_its_72_test_files_each_still_there():
    """The target's suite is pinned: the test files of 352cb75, where issue 18 was filed, handed to pytest as an
    @file (one argument a line). A file renamed or removed since would make pytest stop on it: each is checked."""
    (argument,) = suite_durations.SUITES["issue_start"][1]
    listed = (ROOT / argument.removeprefix("@")).read_text().splitlines()
    assert len(listed) == 72 and len(set(listed)) == 72
    assert all(name.startswith("tests/") and (ROOT / name).is_file() for name in listed)
    assert "tests/contract/test_rr_contract.py" in listed and "tests/console/test_console_flow.py" not in listed


def test_the_connexion_floor_is_judged_by_the_same_hard_targets():
    # Prism (_run): GET 1,000 req/s at p99 10 ms, POST 100 req/s at p99 1 ms, started in 2.0 s. The floor: GET 2,000
    # req/s = 2.0 (≥ 1.0: met) at p99 30 ms = 3.0 (≤ 1.0: missed); POST 40 req/s = 0.4 (≥ 0.8: missed) at p99
    # 0.5 ms = 0.5 (met). The specs' add_api 0.5 s of Prism's 2.0 s start = 0.25 (met).
    run = _run(1.0, 1000.0, 1.0, 10.0)
    run["mock"]["loads"]["connexion floor"] = {
        "GET": {"rps": 2000.0, "p99_ms": 30.0},
        "POST": {"rps": 40.0, "p99_ms": 0.5},
    }
    run["spec_loads"] = {"specs": 27, "seconds": 0.5}
    rows = report.evaluate({"runs": [run]}, report.FLOOR_TARGETS)
    judged = {row["target"].removeprefix("connexion floor: RR "): (row["median"], row["hard_result"]) for row in rows}
    assert judged["GET throughput vs Prism"] == (2.0, "MET")
    assert judged["POST throughput vs Prism"] == (0.4, "MISSED")
    assert judged["GET p99 vs Prism"] == (3.0, "MISSED")
    assert judged["POST p99 vs Prism"] == (0.5, "MET")
    assert judged["connexion's add_api of the product's 27 specs vs Prism's whole cold start"] == (0.25, "MET")
    assert judged["connexion floor, 2 processes: RR GET throughput vs Prism"] == (None, "NOT MEASURED")
