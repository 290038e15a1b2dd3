"""`--backoffice-url`: the plugin's fixtures against a running server instead of in-process. The same tests as
in-process (test_fixtures.py) run in a child pytest against `serve` (tests/support/server.py), two xdist workers
sharing it."""

from __future__ import annotations

import subprocess
import sys

from tests.support.plugin_run import ROOT, child_environment, plugin_args
from tests.support.server import running_server


def test_the_fixtures_work_against_a_running_server(tmp_path):
    with running_server(tmp_path / "server") as server:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", *plugin_args(), "-p", "no:cacheprovider", "-W", "ignore", "-n", "2"]
            + ["--dist", "load"]  # test by test over both workers (pyproject's loadgroup would give one worker all)
            + ["tests/plugin/test_fixtures.py", "--backoffice-url", server.base, "--backoffice-token", "dev-admin"]
            + ["-k", "not own"],  # that test expects the sandbox name of a run without workers
            cwd=ROOT,
            env=child_environment(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
        assert "6 passed" in run.stdout, run.stdout[-3000:]
        # every sandbox the tests made (named after their worker) is gone again
        listed = server_sandboxes(server.base)
        assert [name for name in listed if name.startswith("pytest-")] == []


def server_sandboxes(base: str) -> list[str]:
    import requests

    answer = requests.get(f"{base}/api/v1/admin/sandboxes", headers={"Authorization": "Bearer dev-admin"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return [s["name"] for s in answer.json()["sandboxes"]]
