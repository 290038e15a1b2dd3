"""The machine and the versions a run measured, for RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from benchmarks import common

PACKAGES = ("connexion", "flask", "werkzeug", "starlette", "uvicorn", "a2wsgi", "jsonschema", "sqlite-utils", "faker")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _command(argv: list) -> str | None:
    if not shutil.which(argv[0]) and not Path(argv[0]).exists():
        return None
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return ((done.stdout or done.stderr).strip().splitlines() or [""])[0]


def _deps_version(name: str) -> str | None:
    """gunicorn and py-spy live in benchmarks/.deps (pip --target), not in the venv."""
    found = sorted(common.DEPS.glob(f"{name.replace('-', '_')}-*.dist-info"))
    return found[-1].name.removesuffix(".dist-info").split("-")[1] if found else None


def describe() -> dict:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", info)
    mem = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    versions = {"python": sys.version.split()[0]}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    versions["gunicorn"] = _deps_version("gunicorn")
    versions["py-spy"] = _deps_version("py-spy")
    versions["node"] = _command(["node", "--version"])
    versions["prism"] = _command([str(common.PRISM), "--version"]) if common.PRISM.exists() else None
    versions["wrk"] = (_command(["wrk", "-v"]) or "").split(" Copyright")[0].removeprefix("wrk ") or None
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(int(mem.group(1)) / 1024 / 1024, 1),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "kernel": platform.release(),
        "load_average_start": load_average(),
        "versions": versions,
    }
