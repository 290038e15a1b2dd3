"""The package as a user gets it: built from a copy of this checkout and installed into a virtual environment of
its own (tests/package/conftest.py makes both once per session)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a build never needs: the repository's history and local state. tests/, benchmarks/ and examples/ stay: the
# sdist's MANIFEST.in has to leave them out by itself.
NOT_BUILT = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", "*_cache", ".hypothesis", ".schemathesis",
    "browser-artifacts", ".deps", ".prism", "node_modules",
)  # fmt: skip


def run_checked(command: list[str], timeout: float = 900, **kw) -> subprocess.CompletedProcess[str]:
    """`command` run to its end; a failure fails the test with the tail of what it wrote."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kw)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@dataclasses.dataclass(frozen=True)
class Installed:
    home: Path  # the temporary folder, outside the repository
    dist: Path  # the sdist and the wheel
    venv: Path  # the virtual environment the wheel (and its [pytest] extra) is installed in

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def user_env(self) -> dict[str, str]:
        """The environment of a user's shell: this environment's scripts first on PATH, no PYTHONPATH to this
        checkout, nothing pointing the back office elsewhere, nothing pytest(-xdist) set for this test's worker."""
        keep = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GATEWAY_URL", "VIRTUAL_ENV")}
        keep = {k: v for k, v in keep.items() if not k.startswith(("BACKOFFICE_", "CLARO_BACKOFFICE_", "PYTEST_"))}
        return {**keep, "PATH": f"{self.bin}{os.pathsep}{keep.get('PATH', '')}"}


def build(home: Path) -> Path:
    """The sdist and the wheel (`python -m build`: the wheel from the sdist, so both carry the data) in home/dist,
    built from a copy in home/source: a build leaves build/ and *.egg-info in its source, and an egg-info in the
    checkout would be an installed `claro-backoffice` for every process started there."""
    assert ROOT not in home.parents
    source = home / "source"
    shutil.copytree(ROOT, source, ignore=NOT_BUILT)
    run_checked([sys.executable, "-m", "build", "--outdir", str(home / "dist"), str(source)])
    return home / "dist"


def install(dist: Path) -> Installed:
    """The wheel in dist with its `[pytest]` extra (the plugin's) installed into a fresh virtual environment beside
    it, its dependencies from the package index pinned by constraints.txt."""
    home = dist.parent
    installed = Installed(home, dist, home / "venv")
    run_checked([sys.executable, "-m", "venv", str(installed.venv)], timeout=300)
    [wheel] = dist.glob("*.whl")
    run_checked(
        [str(installed.python), "-m", "pip", "install", "--quiet", "--no-compile"]
        + ["-c", str(ROOT / "constraints.txt"), f"{wheel}[pytest]"]
    )
    return installed
