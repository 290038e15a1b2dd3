"""Proved from outside (issue 17): the back office's wheel and the example consumer project (examples/consumer/)
installed into a fresh virtual environment in a temporary folder outside this repository, and the example's tests
run there twice: in-process, and against the installed package's server (`--backoffice-url`).

Cost: the session's one build and environment (tests/package/conftest.py, shared with test_wheel.py), the example
project installed into it, then about 25 s per run of the example's tests, plus the server's start for the second.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.built_package import Installed
from tests.support.server import Server, wait_listening, wait_ready

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "consumer"


@dataclasses.dataclass
class Consumer:
    installed: Installed  # the session's wheel in its virtual environment, in a temporary folder
    project: Path  # the example project's copy, installed there too

    @property
    def home(self) -> Path:
        return self.installed.home

    @property
    def bin(self) -> Path:
        return self.installed.bin

    def env(self) -> dict[str, str]:
        return self.installed.user_env()

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=self.project, env=self.env(), capture_output=True, text=True, timeout=timeout)

    def pytest(self, *args: str) -> subprocess.CompletedProcess:
        return self.run(str(self.bin / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-W", "ignore", *args)


def _check(run: subprocess.CompletedProcess, what: str) -> None:
    assert run.returncode == 0, f"{what} failed ({run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"


@pytest.fixture(scope="session")
def consumer(package_installed: Installed) -> Consumer:
    project = package_installed.home / "consumer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    install = [str(package_installed.python), "-m", "pip", "install", "--no-deps", str(project)]
    _check(subprocess.run(install, capture_output=True, text=True, timeout=900), "pip install the example project")
    return Consumer(package_installed, project)


def test_the_installed_package_is_the_one_in_use(consumer):
    where = consumer.run(
        str(consumer.bin / "python"), "-c", "import claro_backoffice; print(claro_backoffice.__file__)"
    )
    _check(where, "importing claro_backoffice")
    assert Path(where.stdout.strip()).is_relative_to(consumer.home / "venv")


def test_the_examples_tests_pass_in_process(consumer):
    run = consumer.pytest()
    _check(run, "the example's tests, in-process")
    assert "4 passed" in run.stdout, run.stdout[-3000:]


def serve_command(bin_dir: Path, var: Path) -> list[str]:
    """The installed back office's server on a free port: the package's console command when it has one
    (`claro-backoffice serve`), otherwise the module `make run` starts (PORT=0, VAR_DIR from the environment)."""
    cli = bin_dir / "claro-backoffice"
    if cli.exists():
        return [str(cli), "serve", "--port", "0", "--var-dir", str(var)]
    return [str(bin_dir / "python"), "-m", "claro_backoffice.serve"]


def test_the_examples_tests_pass_against_the_installed_server(consumer):
    folder = consumer.home / "server"
    folder.mkdir(exist_ok=True)
    log = folder / "serve.log"
    env = {**consumer.env(), "HOST": "127.0.0.1", "PORT": "0", "VAR_DIR": str(folder / "var")}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            serve_command(consumer.bin, folder / "var"),
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    server = Server(proc, 0, log)
    try:
        server.port, server.systems = wait_listening(proc, log, time.monotonic() + 180)
        wait_ready(server, "/api/v1/health", 180, lambda answer: answer.status_code == 200)
        run = consumer.pytest("--backoffice-url", server.base, "--backoffice-token", "dev-admin")
        _check(run, f"the example's tests against {server.base}")
        assert "4 passed" in run.stdout, run.stdout[-3000:]
    finally:
        server.stop()
