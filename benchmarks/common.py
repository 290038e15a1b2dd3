"""What every benchmark shares: free loopback ports, processes we start (and only those we stop), RSS, and the
load generator (wrk when installed, else a small threaded Python one with keep-alive connections)."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DEPS = BENCH / ".deps"  # gunicorn and py-spy, installed by `make bench` (pip --target)
PRISM = BENCH / ".prism" / "node_modules" / ".bin" / "prism"
PORTS = range(8600, 8700)


def free_port(taken: set | None = None) -> int:
    """A free loopback port in 8600-8699 (away from `make run`'s 8000)."""
    taken = taken if taken is not None else set()
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError("no free port in 8600-8699")


# ---- HTTP (one keep-alive connection, standard library only) ------------------------------------------------------
def request(
    url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None, timeout: float = 30.0
) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        hdrs = dict(headers or {}, **({"Content-Type": "application/json"} if data is not None else {}))
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=data, headers=hdrs)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def wait_until(check, timeout: float, proc: subprocess.Popen | None = None, every: float = 0.05) -> float:
    """Seconds until check() is true; raises if the process dies or time runs out."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} exited with {proc.returncode} before it was ready")
        try:
            if check():
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(every)
    raise TimeoutError(f"not ready after {timeout} s")


# ---- processes --------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str
    log: Path
    started: float  # perf_counter at Popen

    def stop(self) -> None:
        """Stops exactly this process (and the group it leads, which only it created)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=5)

    def rss_mb(self) -> float:
        return tree_rss_kb(self.proc.pid) / 1024


def start(name: str, argv: list, log_dir: Path, env: dict | None = None, url: str = "") -> Server:
    """Starts argv in its own process group (so stop() reaches its workers and nothing else)."""
    log = Path(log_dir) / f"{name}.log"
    handle = open(log, "ab")
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=dict(os.environ, **(env or {})),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    return Server(name, proc, url, log, time.perf_counter())


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (gunicorn's workers, node's children, split mode's systems), parent first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found.append(current)
        todo += sorted(children.get(current, []))
    return found


def proc_kb(pid: int, field: str, file: str = "status") -> int | None:
    """`field` (e.g. VmRSS, Pss) in kB from /proc/<pid>/<file>; None when the process is gone or has no such line."""
    try:
        text = Path(f"/proc/{pid}/{file}").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else None


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (pages shared between them counted in each)."""
    return sum(proc_kb(p, "VmRSS") or 0 for p in tree_pids(pid))


def tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and all its descendants: each shared page is split between the processes
    mapping it, so over a whole tree that shares only within itself the sum counts each page once."""
    return sum(proc_kb(p, "Pss", "smaps_rollup") or 0 for p in tree_pids(pid))


def serve_command(var_dir: Path, port: int, world_size: int | None = None) -> tuple[list, dict]:
    """`claro-backoffice serve` (`python -m claro_backoffice.cli serve`) exactly as `make run` starts it, on its own
    port and VAR_DIR: it starts `python -m claro_backoffice.serve` again in its own process with glibc's per-thread
    cache off (core/memory.py), and that restart is part of its cold start."""
    env = {"VAR_DIR": str(var_dir), "PORT": str(port), "HOST": "127.0.0.1"}
    if world_size:
        env["WORLD_SIZE"] = str(world_size)
    return [sys.executable, "-m", "claro_backoffice.cli", "serve"], env


def health_green(base: str) -> bool:
    status, body = request(f"{base}/api/v1/health", timeout=10)
    return status == 200 and json.loads(body).get("status") == "pass"


def start_serve(
    var_dir: Path, log_dir: Path, port: int, world_size: int | None = None, timeout: float = 300
) -> tuple[Server, float]:
    """Starts the whole system and returns it with the seconds until /api/v1/health said `pass`."""
    argv, env = serve_command(var_dir, port, world_size)
    server = start(f"serve-{port}", argv, log_dir, env, f"http://127.0.0.1:{port}")
    try:
        wait_until(lambda: health_green(server.url), timeout, server.proc)
    except Exception:
        server.stop()
        raise
    return server, time.perf_counter() - server.started


def prism_available() -> str | None:
    """None when Prism can run here, else why not."""
    if not shutil.which("node"):
        return "node is not installed: Prism skipped"
    if not PRISM.exists():
        return f"Prism is not installed in {PRISM.parent.parent} (`make bench` installs it): skipped"
    return None


# ---- load --------------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Load:
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers and socket errors

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Load:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    seconds = float(done.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return Load("wrk", int(done.group(1)), seconds, rps, p50, p99, errors)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk(url: str, seconds: float, connections: int, method: str, body: bytes | None, headers: dict) -> Load:
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    lines += [f'wrk.headers["{k}"] = {json.dumps(v)}' for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        duration = f"{max(1, round(seconds))}s"
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency", "-s", script.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        os.unlink(script.name)
    if done.returncode != 0:  # e.g. the server went away: say what wrk said
        raise RuntimeError(f"wrk {method} {url} exited with {done.returncode}: {(done.stderr or done.stdout)[-500:]}")
    return parse_wrk(done.stdout)


def _python_load(url: str, seconds: float, connections: int, method: str, body: bytes | None, headers: dict) -> Load:
    """Fallback: one thread per keep-alive connection for `seconds`; it saturates before a fast server does."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn, mine, bad = None, [], 0
        while time.perf_counter() < deadline:
            try:
                conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                t0 = time.perf_counter()
                conn.request(method, target, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                mine.append((time.perf_counter() - t0) * 1000)
                bad += not 200 <= answer.status < 400
            except (OSError, http.client.HTTPException):
                bad += 1
                conn = None
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return Load(
        "python",
        len(latencies),
        elapsed,
        len(latencies) / elapsed,
        percentile(latencies, 50),
        percentile(latencies, 99),
        errors[0],
    )


def load(
    url: str,
    seconds: float,
    warmup: float,
    connections: int = 16,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    tool: str = "auto",
) -> Load:
    """A warm-up (discarded), then the measured run: wrk -t1 -c16 when present, else the Python generator."""
    headers = dict(headers or {}, **({"Content-Type": "application/json"} if body is not None else {}))
    use_wrk = tool == "wrk" or (tool == "auto" and wrk_available())
    run = _wrk if use_wrk else _python_load
    if warmup > 0:
        run(url, warmup, connections, method, body, headers)
    return run(url, seconds, connections, method, body, headers)


def timed_calls(call, count: int | None = None, seconds: float | None = None) -> list[float]:
    """Milliseconds of sequential calls, for `count` calls or `seconds` (at least 3 calls)."""
    samples: list[float] = []
    deadline = time.perf_counter() + (seconds or 0)
    while (count is not None and len(samples) < count) or (
        count is None and (time.perf_counter() < deadline or len(samples) < 3)
    ):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 95),
        "p99_ms": percentile(samples, 99),
        "min_ms": min(samples),
    }


def run_module(module: str, args: list[str], timeout: float) -> str:
    """`python -m module args` in a new Python process from the project's root: its standard output; a failure
    raises with the end of its standard error."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def write_json(out_dir: Path, name: str, data: dict) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return path


def support_case(conversation_id: str, customer: dict) -> dict:
    """The body of `POST /cases` both whole-flow benchmarks open: a home internet support case (caseflow.py in-process,
    capacity.py over the socket), so their flows stay the same case."""
    return {
        "conversationId": conversation_id,
        "customerId": customer["id"],
        "accountId": customer["account"],
        "category": "SOPORTE",
        "product": "internet",
        "description": "El módem no sincroniza",
    }
