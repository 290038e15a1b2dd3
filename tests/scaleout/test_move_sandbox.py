"""Moving a sandbox to another replica, the README's way ("Scaling out"): the old owner stopped, its files exported
(deploy/sandbox-files.sh), the sandbox created on the new owner with the same seed, that replica stopped, the files
imported, started again: the sandbox's cases, its PQR's CUN, its systems' data and its virtual clock came along."""

from __future__ import annotations

import subprocess

import pytest
import requests

from tests.flow.driver import OverHttp
from tests.flow.flows import START, new_sandbox, start
from tests.scaleout.router import ROOT
from tests.support.server import running_server

pytestmark = pytest.mark.scaleout

SANDBOX = "aula-7--ana"
SCRIPT = ROOT / "deploy" / "sandbox-files.sh"
ADMIN = {"Authorization": "Bearer dev-admin"}


def _files(action: str, var, archive) -> None:
    done = subprocess.run(["sh", str(SCRIPT), action, SANDBOX, str(var), str(archive)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_sandbox_moved_as_files_keeps_its_cases_cun_data_and_clock(tmp_path):
    old, new, archive = tmp_path / "old", tmp_path / "new", tmp_path / f"{SANDBOX}.tar.gz"
    with running_server(old, env={"REPLICA_ID": "r1"}) as server, requests.Session() as session:
        d = new_sandbox(OverHttp(server.base, session=session), SANDBOX)
        run = start(d, "unrecognised-charge")
        pqr = run.gw("POST", f"/cases/{run.case}/pqr", 201, json={"description": "Cobro no reconocido en la factura"})
        [listed] = [s for s in d.ok("GET", "/admin/sandboxes")["sandboxes"] if s["name"] == SANDBOX]
        chat = d.received(run.wa_id)  # Meta's side: what the customer was sent
        assert chat
        assert server.stop() == 0
    _files("export", old / "var", archive)

    with running_server(new, env={"REPLICA_ID": "r2"}) as server:
        created = requests.post(
            f"{server.base}/api/v1/admin/sandboxes",
            json={"name": SANDBOX, "seed": listed["seed"]},
            headers=ADMIN | {"X-Sandbox": SANDBOX},
            timeout=120,
        )
        assert created.status_code == 201, created.text
        assert server.stop() == 0
    _files("import", new / "var", archive)

    with running_server(new, env={"REPLICA_ID": "r2"}) as server, requests.Session() as session:
        d = OverHttp(server.base, session=session).in_sandbox(SANDBOX)
        case = d.ok("GET", f"/cases/{run.case}")
        assert case["customerId"] == run.customer["customerId"]
        assert d.ok("GET", f"/pqrs/{pqr['id']}")["externalId"] == pqr["externalId"]  # the CUN r1 gave it
        assert d.received(run.wa_id) == chat
        clocks = d.ok("GET", "/admin/clock")["clocks"]
        assert {c["now"][:16] for c in clocks} == {START[:16]}  # every system's frozen clock, as set on r1
