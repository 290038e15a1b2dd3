"""benchmarks/ keeps working: every benchmark runs once at a tiny size (one server start, ~1 s loads, no Prism).
Nothing here is about speed: it checks the scripts run, every request they sent was answered, and the figures and
RESULTS.md are written. The test-suite timer (suite_durations) is not run here: only its parsing is checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks import common, profile, suite_durations

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
    for target in ("product", "baseline"):
        for method in ("GET", "POST"):
            load = figures["mock"]["loads"][target][method]
            assert load["requests"] > 0 and load["errors"] == 0, (target, method, load)
    c360 = figures["customer360"]
    assert c360["direct_delayed"]["min_ms"] >= 50 and c360["view_delayed"]["min_ms"] >= 50  # the faults applied
    assert figures["sandboxes"]["sandboxes"]["create"]["n"] == 2
    assert figures["sandboxes"]["worlds"][0]["customers"] == 60
    flow = figures["caseflow"]
    assert flow["n"] == 2 and flow["calls_by_system"]["rr"] > 0 and flow["calls_by_system"]["gateway"] > 0
    text = results.read_text()
    assert "## Targets (issue 7)" in text and "| customer 360 with 50 ms on RR and AC" in text
    assert "| whole case flow in-process (median ms)" in text


def test_pytest_summary_is_read_into_counts():
    assert suite_durations.counts("3 failed, 1200 passed, 4 skipped, 2 deselected in 391.05s (0:06:31)") == {
        "failed": 3,
        "passed": 1200,
        "skipped": 4,
        "deselected": 2,
    }
