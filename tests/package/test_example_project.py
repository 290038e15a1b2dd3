"""Proved from outside (issue 17): the back office's wheel and the example consumer project (examples/consumer/)
installed into a fresh virtual environment in a temporary folder outside this repository, and the example's tests
run there twice: in-process, and against the installed package's server (`--backoffice-url`).

Cost: one environment per test session (built on first use, shared by both runs): about 35 s to build the wheel and
install it with its dependencies (pinned by constraints.txt, from pip's cache once downloaded), then about 25 s per
run of the example's tests, plus the server's start for the second.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.server import Server, wait_listening, wait_ready

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "consumer"
# What a build of the package never needs: the repository's history, local state, and its own tests and examples.
NOT_BUILT = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "*.egg-info", "__pycache__", "*_cache", ".hypothesis", "browser-artifacts",
    "tests", "benchmarks", "examples",
)  # fmt: skip


@dataclasses.dataclass
class Consumer:
    home: Path  # the temporary folder: nothing of it is in the repository
    bin: Path  # the virtual environment's scripts
    project: Path  # the example project's copy

    def env(self) -> dict[str, str]:
        """The environment of a user's shell: no PYTHONPATH to this checkout, nothing pointing the back office
        elsewhere."""
        keep = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GATEWAY_URL", "VIRTUAL_ENV")}
        keep = {k: v for k, v in keep.items() if not k.startswith(("BACKOFFICE_", "CLARO_BACKOFFICE_"))}
        return {**keep, "PATH": f"{self.bin}{os.pathsep}{keep.get('PATH', '')}"}

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=self.project, env=self.env(), capture_output=True, text=True, timeout=timeout)

    def pytest(self, *args: str) -> subprocess.CompletedProcess:
        return self.run(str(self.bin / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-W", "ignore", *args)


def _check(run: subprocess.CompletedProcess, what: str) -> None:
    assert run.returncode == 0, f"{what} failed ({run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"


def _pip(python: Path | str, *args: str) -> None:
    run = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=900)
    _check(run, f"pip {' '.join(args[:2])}")


@pytest.fixture(scope="session")
def consumer(tmp_path_factory) -> Consumer:
    home = tmp_path_factory.mktemp("consumer")
    assert ROOT not in home.parents
    source = home / "backoffice-source"
    shutil.copytree(ROOT, source, ignore=NOT_BUILT)  # built from a copy: a build leaves build/ and *.egg-info behind
    _pip(sys.executable, "wheel", "--no-deps", str(source), "-w", str(home / "dist"))
    [wheel] = (home / "dist").glob("*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=300)
    python = home / "venv" / "bin" / "python"
    _pip(python, "install", "-c", str(ROOT / "constraints.txt"), f"{wheel}[pytest]")  # the plugin's extra
    project = home / "consumer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    _pip(python, "install", "--no-deps", str(project))
    return Consumer(home, python.parent, project)


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
