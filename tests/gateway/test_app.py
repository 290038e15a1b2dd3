"""How the gateway is composed: mounted at /api/v1 (spec, Swagger UI, hrefs follow the mount), every operation
resolved, no work at import time."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path


def test_mounted_at_api_v1(gateway_app, backoffice):
    root = Starlette(routes=[Mount("/api/v1", app=gateway_app)])
    with TestClient(root) as client:
        spec = client.get("/api/v1/openapi.json")
        assert spec.status_code == 200 and spec.json()["servers"] == [{"url": "/api/v1"}]
        assert client.get("/api/v1/ui/").status_code == 200
        account = client.get("/api/v1/billingAccounts/20150259", headers={"Authorization": "Bearer dev-asesor"}).json()
        assert account["href"] == "http://testserver/api/v1/billingAccounts/20150259"
        assert (
            account["@schemaLocation"] == "http://testserver/api/v1/openapi.json#/components/schemas/HomeBillingAccount"
        )


def test_every_operation_resolves_to_a_handler():
    raw = safe_load(spec_path().read_text(encoding="utf-8"))
    resolved = set()
    for item in raw["paths"].values():
        for operation in item.values():
            module, function = operation["operationId"].rsplit(".", 1)
            handler = getattr(importlib.import_module(f"claro_backoffice.gateway.api.{module}"), function)
            assert callable(handler) and handler not in resolved, operation["operationId"]
            resolved.add(handler)


ROOT = Path(__file__).resolve().parents[2]
TRIPWIRES = ROOT / "tests" / "support" / "import_tripwires.py"
PACKAGES = tuple(f"claro_backoffice.{name}" for name in ("serve", "gateway", "mocks", "world", "transport"))


def imports_in_a_fresh_interpreter(tmp_path, packages=PACKAGES, root=ROOT) -> dict:
    """Every module of `packages` (under `root`) imported in a new Python with tripwires set
    (tests/support/import_tripwires.py), in an empty working directory with VAR_DIR inside it: what the imports
    did, and the files they left there."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [sys.executable, str(TRIPWIRES), str(root), *packages],
        cwd=cwd,
        check=False,
        env=dict(env, VAR_DIR=str(cwd / "var"), PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["files"] = sorted(str(p.relative_to(cwd)) for p in cwd.rglob("*"))
    return found


def test_importing_the_project_does_no_work(tmp_path):
    """Rule 4: importing the composition root, the gateway, every mock, the world and the transport opens no
    database, socket or Faker, starts no thread, reads no environment variable and writes no file."""
    found = imports_in_a_fresh_interpreter(tmp_path)
    assert {
        "claro_backoffice.serve",
        "claro_backoffice.gateway.app",
        "claro_backoffice.gateway.api.customers",
        "claro_backoffice.mocks.rr.app",
        "claro_backoffice.mocks.kit.store",
        "claro_backoffice.mocks.meta.routes",
        "claro_backoffice.world.build",
        "claro_backoffice.transport.inprocess",
    } <= set(found["modules"])
    assert len(found["modules"]) > 100, "every module, not only the packages"
    assert found["events"] == {"sqlite": [], "socket": [], "faker": [], "thread": [], "env": []}
    assert found["threads_alive"] == [] and found["files"] == []


WORK_AT_IMPORT = """
import os, socket, sqlite3, threading
from pathlib import Path

import faker
import sqlite_utils

VAR = Path(os.environ.get("VAR_DIR", "var"))
VAR.mkdir()
DB = sqlite_utils.Database(VAR / "made-at-import.db")
PROBE = socket.socket()
FAKE = faker.Faker("es_CO")
threading.Thread(target=lambda: None, name="import-worker").start()
if "WORLD_SEED" in os.environ:
    pass
"""


def test_the_tripwires_catch_work_done_at_import(tmp_path):
    """The check above can fail: a module doing each forbidden thing at import sets off each tripwire, through a
    library it calls (sqlite-utils opening the database) as well as directly; the library's own import-time work
    (urllib3 opens a socket when imported) does not."""
    root = tmp_path / "project"
    (root / "busy").mkdir(parents=True)
    (root / "busy" / "__init__.py").write_text("")
    (root / "busy" / "module.py").write_text(WORK_AT_IMPORT)
    (root / "busy" / "quiet.py").write_text("import urllib3\n")
    found = imports_in_a_fresh_interpreter(tmp_path, packages=("busy",), root=root)
    assert found["modules"] == ["busy", "busy.module", "busy.quiet"]
    events = found["events"]
    assert events["env"] == ["VAR_DIR read at busy/module.py:8", "WORLD_SEED read at busy/module.py:14"]
    assert events["sqlite"] == [
        "sqlite3.connect('" + str(tmp_path / "cwd" / "var" / "made-at-import.db") + "',) at busy/module.py:10"
    ]
    assert events["socket"] == ["a socket at busy/module.py:11"]
    assert events["faker"] == ["Faker() at busy/module.py:12"]
    assert events["thread"] == ["thread import-worker started at busy/module.py:13"]
    assert found["files"] == ["var", "var/made-at-import.db"]
