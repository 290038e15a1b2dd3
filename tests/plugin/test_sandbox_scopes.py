"""The plugin in a user's own pytest run (a child process on test files written here, no conftest): a sandbox per
test by default, per module through the marker or the ini option, each pytest-xdist worker with a back office and
sandboxes of its own, an unknown scope refused."""

from __future__ import annotations

import textwrap

from tests.support.plugin_run import run_pytest

RECORDER = """
import pytest


@pytest.fixture(scope="module")
def seen():
    return []


def _listed(gateway):
    return {s["name"] for s in gateway.get("/admin/sandboxes").json()["sandboxes"]}
"""

PER_TEST = (
    RECORDER
    + """

def test_one(backoffice_sandbox, seen):
    seen.append(backoffice_sandbox)


def test_two(backoffice_sandbox, backoffice_gateway, seen, request):
    if request.config.getini("backoffice_sandbox_scope") == "module":
        assert backoffice_sandbox == seen[0]
    else:  # the first test's sandbox is gone, this one's is there
        assert backoffice_sandbox != seen[0]
        assert backoffice_sandbox in _listed(backoffice_gateway) and seen[0] not in _listed(backoffice_gateway)
"""
)

PER_MODULE = (
    RECORDER
    + """
pytestmark = pytest.mark.backoffice_sandbox(scope="module")


def test_one(backoffice, seen):
    seen.append(backoffice.sandbox)
    backoffice.fault("rr", "error", path="/nothing/*")


def test_two(backoffice, seen):
    assert backoffice.sandbox == seen[0]
    assert [f["path"] for f in backoffice.gateway.get("/admin/faults").json()["faults"]] == ["/nothing/*"]
"""
)

WORKER = """

def test_the_worker_has_its_own(backoffice_sandbox, backoffice_apps, worker_id, tmp_path_factory):
    assert backoffice_sandbox.startswith(f"pytest-{worker_id}-")
    var = tmp_path_factory.getbasetemp()
    assert var.name == f"popen-{worker_id}" and any(var.glob("backoffice*/*"))
    print(f"VAR {worker_id} {var}")
"""


def _write(folder, **files):
    for name, text in files.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(text))


def test_per_test_per_module_and_xdist_workers(tmp_path):
    _write(tmp_path, test_per_test=PER_TEST + WORKER, test_per_module=PER_MODULE + WORKER)
    run = run_pytest(tmp_path, "-n", "2", "--dist", "loadfile", "-rA")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "6 passed" in run.stdout, run.stdout[-2000:]
    # loadfile gives each worker one of the two files: each ran in a var folder of its own
    assert len({line.split()[1] for line in run.stdout.splitlines() if line.startswith("VAR ")}) == 2, run.stdout


def test_the_ini_option_makes_the_sandbox_per_module_and_a_bad_scope_is_refused(tmp_path):
    _write(tmp_path, test_per_test=PER_TEST)
    run = run_pytest(tmp_path, "-o", "backoffice_sandbox_scope=module", "test_per_test.py")
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
    bad = run_pytest(tmp_path, "-o", "backoffice_sandbox_scope=session")
    assert bad.returncode != 0
    assert "backoffice sandbox scope 'session': use one of test, module" in bad.stdout + bad.stderr
