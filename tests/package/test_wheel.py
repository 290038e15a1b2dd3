"""The package from outside (issue 17): the sdist and the wheel built from this checkout with `python -m build`
(the wheel from the sdist, so both carry the data), the wheel installed into a fresh virtual environment in a
temporary folder (both once per session, shared with test_example_project.py: conftest.py), and `python -m
claro_backoffice.serve` started there from an empty folder: it serves the gateway, Swagger UI, the console and the
shipped scenarios with no file of this checkout, and keeps its state in ./var of that folder."""

from __future__ import annotations

import email
import re
import tarfile
import zipfile
from pathlib import Path

import requests

from tests.support.built_package import run_checked
from tests.support.server import running_server

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "claro_backoffice"
VERSION = "0.2.0"
ADMIN = {"Authorization": "Bearer dev-admin"}
ADVISOR = {"Authorization": "Bearer dev-asesor"}


def _checkout_files() -> list[str]:
    """Every file of the package in this checkout (code and data), as a path inside the package's root."""
    return sorted(
        p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def test_the_wheel_carries_the_code_and_every_data_file_and_nothing_else(package_dist):
    [wheel] = package_dist.glob("*.whl")
    assert wheel.name == f"claro_backoffice-{VERSION}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    missing = sorted(set(_checkout_files()) - set(names))
    assert missing == [], f"in the checkout but not in the wheel: {missing}"
    tops = {n.split("/")[0] for n in names}
    assert tops == {"claro_backoffice", f"claro_backoffice-{VERSION}.dist-info"}, tops  # no tests/, no top-level core
    for data in (
        "claro_backoffice/openapi/gateway.yaml",
        "claro_backoffice/openapi/mocks/rr.yaml",
        "claro_backoffice/openapi/mocks/admin.yaml",
        "claro_backoffice/scenarios/scenario.schema.json",
        "claro_backoffice/world/data/municipalities.yaml",
        "claro_backoffice/world/data/rubric.yaml",
        "claro_backoffice/gateway/training/rubric.schema.json",
        "claro_backoffice/console/templates/base.html",
        "claro_backoffice/console/static/console.js",
        "claro_backoffice/console/static/console.css",
        "claro_backoffice/py.typed",  # users' type checkers read the plugin's and the package's annotations
    ):
        assert data in names, data
    assert len([n for n in names if re.fullmatch(r"claro_backoffice/scenarios/[a-z0-9-]+\.yaml", n)]) >= 13
    assert len([n for n in names if n.startswith("claro_backoffice/gateway/cases/schema/") and n.endswith(".sql")]) > 1
    assert len([n for n in names if n.startswith("claro_backoffice/openapi/tmf/") and n.endswith(".json")]) >= 4
    metadata = email.message_from_bytes(zipfile.ZipFile(wheel).read(f"claro_backoffice-{VERSION}.dist-info/METADATA"))
    assert (metadata["Name"], metadata["Version"]) == ("claro-backoffice", VERSION)
    assert {"pytest", "contract", "test"} <= set(metadata.get_all("Provides-Extra"))
    requires = metadata.get_all("Requires-Dist")
    assert any(r.startswith("schemathesis") and "extra == " in r for r in requires)  # not in the base install
    assert not any(r.startswith("schemathesis") and "extra" not in r for r in requires)


def test_the_sdist_carries_the_package_its_data_and_the_changelog(package_dist):
    [sdist] = package_dist.glob("*.tar.gz")
    assert sdist.name == f"claro_backoffice-{VERSION}.tar.gz"
    prefix = f"claro_backoffice-{VERSION}/"
    names = {n.removeprefix(prefix) for n in tarfile.open(sdist).getnames()}
    missing = sorted(set(_checkout_files()) - names)
    assert missing == [], f"in the checkout but not in the sdist: {missing}"
    assert {"pyproject.toml", "README.md", "CHANGELOG.md"} <= names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_the_installed_wheel_serves_from_an_empty_folder(package_installed, tmp_path):
    installed = package_installed.python
    empty = tmp_path / "empty"
    empty.mkdir()
    where = run_checked([str(installed), "-c", "import claro_backoffice; print(claro_backoffice.__file__)"], cwd=empty)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent.parent), where.stdout  # the venv's, not ours
    # VAR_DIR empty: the default, ./var of the working directory; PYTHONPATH empty: nothing of this checkout.
    env = {"VAR_DIR": "", "PYTHONPATH": ""}
    with running_server(tmp_path / "run", env=env, python=str(installed), cwd=empty) as server:
        base = server.base + "/api/v1"
        health = requests.get(base + "/health", timeout=60)
        assert health.status_code == 200 and health.json()["status"] == "pass", health.text

        ui = requests.get(base + "/ui/", timeout=60)
        assert ui.status_code == 200 and "swagger-ui" in ui.text
        assert requests.get(base + "/openapi.json", timeout=60).json()["servers"][0]["url"] == "/api/v1"
        assert requests.get(server.base + "/mocks/rr/ui/", timeout=60).status_code == 200

        signin = requests.get(server.base + "/console/", timeout=60)  # redirected to the sign-in page
        assert signin.status_code == 200 and "<form" in signin.text, signin.text[:500]
        assets = re.findall(r'(?:href|src)="(/console/static/[^"?]+)', signin.text)
        assert {a.rsplit("/", 1)[1] for a in assets} >= {"console.css", "console.js"}, assets
        for asset in assets:
            assert requests.get(server.base + asset, timeout=60).status_code == 200, asset

        created = requests.post(base + "/admin/sandboxes", json={"name": "pkg"}, headers=ADMIN, timeout=120)
        assert created.status_code == 201, created.text
        sandbox = {"X-Sandbox": "pkg"}
        listed = requests.get(base + "/admin/scenarios", headers={**ADMIN, **sandbox}, timeout=60).json()
        shipped = sorted(s["name"] for s in listed["scenarios"] if s["source"] == "repository")
        assert len(shipped) >= 13, listed
        loaded = requests.post(
            f"{base}/admin/scenarios/{shipped[0]}", json={"reset": True}, headers={**ADMIN, **sandbox}, timeout=120
        )
        assert loaded.status_code == 200, loaded.text
        customer = loaded.json()["customer"]

        found = requests.get(
            base + "/customers",
            params={"documentNumber": customer["document"]["number"]},
            headers={**ADVISOR, **sandbox},
            timeout=60,
        )
        assert found.status_code == 200, found.text
        assert [c["id"] for c in found.json()] == [customer["customerId"]]
        assert server.stop() == 0, server.log_tail()

    assert sorted(p.name for p in empty.iterdir()) == ["var"]
    assert (empty / "var" / "rr" / "sandboxes" / "pkg.sqlite").is_file()  # the sandbox it made, in ./var
