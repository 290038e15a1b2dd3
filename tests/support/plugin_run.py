"""Running pytest in a child process with the plugin (claro_backoffice/testing/plugin.py), on test files a test
writes: how a user's repository meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

PLUGIN = "claro_backoffice.testing.plugin"
ROOT = Path(__file__).resolve().parents[2]


def plugin_args() -> list[str]:
    """`-p` the plugin unless it is installed with its entry point (loading it twice is an error)."""
    return [] if any(e.value == PLUGIN for e in entry_points(group="pytest11")) else ["-p", PLUGIN]


def child_environment() -> dict[str, str]:
    """This environment without what pytest-xdist set for this worker (PYTEST_XDIST_WORKER names the sandboxes the
    plugin makes): a child pytest is a run of its own, as a user starts it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_") and k != "PYTEST_CURRENT_TEST"}


def run_pytest(folder: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """pytest in `folder` (its own rootdir, no ini file but an empty one), this checkout importable."""
    (folder / "pytest.ini").write_text("[pytest]\n")
    env = {**child_environment(), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugin_args(), "-p", "no:cacheprovider", "-W", "ignore", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
