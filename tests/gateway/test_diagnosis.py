"""Diagnosis through the gateway: POST /homeDiagnostics (Diagnosticador), GET/POST /serviceProblem (TMF656 AVISOs
from Diagnosticador and SARA), GET /coverage (SARA), GET /lines/{msisdn}/provisioning (CMAX) and
/lines/{msisdn}/usage (CCI), checked against the world and the mocks' state; one failure mapping per operation."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

ASESOR = "dev-asesor"
HOME, NODE, AVISO = "46271064", "BOG-N002", 5100002  # the default world: an FTTH account on a node with an AVISO
CELL, SITE, CELL_AVISO = "BOG0003-1", "BOG0003", 5100003
LINE = "3236671972"
TMF656 = (
    Path(__file__).resolve().parents[2]
    / "claro_backoffice"
    / "openapi"
    / "tmf"
    / "TMF656-ServiceProblem-v4.0.0.swagger.json"
)


@functools.cache
def _tmf656() -> Draft4Validator:
    document = json.loads(TMF656.read_text(encoding="utf-8"))
    return Draft4Validator({"$ref": "#/definitions/ServiceProblem", "definitions": document["definitions"]})


def tmf656_errors(instance: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in _tmf656().iter_errors(instance)]


def _timeout(gateway_client, system: str, path: str = "*", method: str = "*"):
    rule = {"system": system, "kind": "timeout", "path": path, "method": method}
    assert gateway_client.post("/admin/faults", json=rule).status_code == 201


def _assert_problem(response, status: int, system: str, *words: str):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["system"] == system
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


def _world_account(world, number: str) -> dict:
    return next(a for a in world.tables["home_accounts"] if a["account_number"] == number)


def _aviso_of(problem: dict) -> int:
    [ext] = [e for e in problem["externalIdentifier"] if e["externalIdentifierType"] == "aviso"]
    [char] = [c for c in problem["characteristic"] if c["name"] == "aviso"]
    assert ext["id"] == problem["id"] == str(char["value"])
    return char["value"]


@pytest.fixture(scope="module")
def quiet_account(world):
    """An active home account with internet on a node without any world incident (a new AVISO is possible)."""
    busy = {i["node"] for i in world.tables["incidents"] if i["node"]}
    internet = {s["account_number"] for s in world.tables["home_services"] if s["service_type"] == "internet"}
    return next(
        a
        for a in world.tables["home_accounts"]
        if a["status"] == "activo" and a["node"] not in busy and a["account_number"] in internet
    )


# ---- POST /homeDiagnostics -------------------------------------------------------------------------------------
def test_home_diagnostic_reports_the_massive_aviso_and_its_typification(gateway_client, world):
    response = gateway_client.post("/homeDiagnostics", token=ASESOR, json={"accountId": HOME})
    assert response.status_code == 200, response.text
    view = response.json()
    account = _world_account(world, HOME)
    assert (view["accountId"], view["customerId"], view["node"]) == (HOME, account["customer_id"], account["node"])
    assert view["accountState"] == "Active" and view["service"] == "internet" and view["navigationEnabled"] is True
    assert view["modem"]["status"] == "offline", "the node's outage leaves the modem without sync"
    assert view["suggestedTypification"]["code"] == "SOP-INT-04" and view["aviso"] == AVISO
    world_open = {i["aviso"] for i in world.tables["incidents"] if i["node"] == NODE and not i["resolved_at"]}
    assert {_aviso_of(p) for p in view["incidents"]} == world_open == {AVISO}
    assert all(tmf656_errors(p) == [] for p in view["incidents"])
    assert view["incidents"][0]["status"] == "inProgress"
    assert any(str(AVISO) in finding for finding in view["findings"])


def test_home_diagnostic_of_a_suspended_account_suggests_no_typification(gateway_client, world):
    number = next(a["account_number"] for a in world.tables["home_accounts"] if a["status"] == "suspendido")
    view = gateway_client.post("/homeDiagnostics", token=ASESOR, json={"accountId": number}).json()
    assert view["accountState"] == "Suspended" and view["navigationEnabled"] is False
    assert view["suggestedTypification"] is None


def test_home_diagnostic_of_an_unknown_account_is_diagnosticadors_404(gateway_client):
    response = gateway_client.post("/homeDiagnostics", token=ASESOR, json={"accountId": "12345678"})
    _assert_problem(response, 404, "diagnosticador", "12345678")


def test_home_diagnostic_timeout_is_a_504_naming_diagnosticador(gateway_client):
    _timeout(gateway_client, "diagnosticador", "/accounts/*/modem-check")
    _assert_problem(
        gateway_client.post("/homeDiagnostics", token=ASESOR, json={"accountId": HOME}), 504, "diagnosticador"
    )


# ---- GET /serviceProblem ---------------------------------------------------------------------------------------
def test_service_problems_of_an_account_and_of_its_node_are_tmf656(gateway_client):
    by_account = gateway_client.get("/serviceProblem", token=ASESOR, params={"accountId": HOME}).json()
    by_node = gateway_client.get("/serviceProblem", token=ASESOR, params={"node": NODE}).json()
    assert [_aviso_of(p) for p in by_account] == [_aviso_of(p) for p in by_node] == [AVISO]
    problem = by_node[0]
    assert tmf656_errors(problem) == []
    assert problem["@type"] == "ServiceProblem" and problem["href"].endswith(f"/serviceProblem/{AVISO}")
    assert problem["category"] == "massive" and problem["originatingSystem"] == "diagnosticador"
    assert problem["affectedResource"] == [{"id": NODE, "name": f"Nodo {NODE}", "@referredType": "Node"}]
    assert problem["expectedResolutionDate"] == "2026-11-05T00:00:00-05:00"


def test_service_problems_of_a_cell_come_from_sara(gateway_client, world):
    problems = gateway_client.get("/serviceProblem", token=ASESOR, params={"cellId": CELL}).json()
    [problem] = problems
    world_incident = next(i for i in world.tables["incidents"] if i["aviso"] == CELL_AVISO)
    assert world_incident["site_id"] == SITE and _aviso_of(problem) == CELL_AVISO
    assert problem["originatingSystem"] == "sara" and problem["status"] == world_incident["state"]
    assert {"id": CELL, "name": f"Celda {CELL}", "@referredType": "Cell"} in problem["affectedResource"]
    assert tmf656_errors(problem) == []
    quiet = next(
        c["cell_id"]
        for c in world.tables["cells"]
        if not any(i["site_id"] == c["site_id"] for i in world.tables["incidents"])
    )
    assert gateway_client.get("/serviceProblem", token=ASESOR, params={"cellId": quiet}).json() == []


@pytest.mark.parametrize("params", [{}, {"accountId": HOME, "node": NODE}, {"node": NODE, "cellId": CELL}])
def test_service_problem_search_needs_exactly_one_criterion(gateway_client, params):
    _problem = gateway_client.get("/serviceProblem", token=ASESOR, params=params)
    assert _problem.status_code == 422 and "exactly one" in _problem.json()["detail"]
    assert gateway_client.backoffice.calls == []


def test_unknown_node_and_cell_are_404s_naming_the_system(gateway_client):
    _assert_problem(
        gateway_client.get("/serviceProblem", token=ASESOR, params={"node": "ZZZ-N999"}),
        404,
        "diagnosticador",
        "ZZZ-N999",
    )
    _assert_problem(
        gateway_client.get("/serviceProblem", token=ASESOR, params={"cellId": "ZZZ9999-1"}), 404, "sara", "ZZZ9999-1"
    )


def test_service_problem_list_timeout_is_a_504_naming_sara(gateway_client):
    _timeout(gateway_client, "sara")
    _assert_problem(gateway_client.get("/serviceProblem", token=ASESOR, params={"cellId": CELL}), 504, "sara")


def test_one_service_problem_by_aviso_from_either_system(gateway_client):
    home = gateway_client.get(f"/serviceProblem/{AVISO}", token=ASESOR).json()
    mobile = gateway_client.get(f"/serviceProblem/{CELL_AVISO}", token=ASESOR).json()
    assert (home["originatingSystem"], mobile["originatingSystem"]) == ("diagnosticador", "sara")
    assert _aviso_of(home) == AVISO and _aviso_of(mobile) == CELL_AVISO
    _assert_problem(gateway_client.get("/serviceProblem/9999999", token=ASESOR), 404, "diagnosticador,sara", "9999999")


# ---- POST /serviceProblem --------------------------------------------------------------------------------------
def test_escalating_a_single_fault_creates_an_aviso_in_diagnosticador(gateway_client, quiet_account):
    number = quiet_account["account_number"]
    body = {
        "accountId": number,
        "faultType": "single",
        "service": "internet",
        "advisor": "asesor.premium01",
        "description": "Sin navegación desde ayer",
    }
    response = gateway_client.post("/serviceProblem", token=ASESOR, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == created["href"] and tmf656_errors(created) == []
    aviso = _aviso_of(created)
    assert aviso > max(AVISO, CELL_AVISO) and created["status"] == "acknowledged" and created["category"] == "single"
    assert {"name": "associated", "valueType": "boolean", "value": False} in created["characteristic"]
    assert created["originatorParty"]["id"] == "asesor.premium01"
    assert {r["id"] for r in created["affectedResource"]} == {quiet_account["node"], number}
    # the mock holds it: read back from Diagnosticador itself and through the gateway
    stored = gateway_client.backoffice.client("diagnosticador").get(f"/avisos/{aviso}").json()
    assert stored["account_number"] == number and stored["description"] == body["description"]
    assert gateway_client.get(f"/serviceProblem/{aviso}", token=ASESOR).json()["id"] == str(aviso)
    listed = gateway_client.get("/serviceProblem", token=ASESOR, params={"accountId": number}).json()
    assert str(aviso) in [p["id"] for p in listed]
    again = gateway_client.post("/serviceProblem", token=ASESOR, json=body)
    assert again.status_code == 200 and again.json()["id"] == str(aviso), "the same fault joins its open AVISO"


def test_escalating_on_a_node_with_an_open_aviso_associates_the_account(gateway_client):
    body = {"accountId": HOME, "faultType": "massive", "service": "internet", "advisor": "asesor.premium01"}
    response = gateway_client.post("/serviceProblem", token=ASESOR, json=body)
    assert response.status_code == 200 and "Location" not in response.headers
    problem = response.json()
    assert _aviso_of(problem) == AVISO
    assert {"name": "associated", "valueType": "boolean", "value": True} in problem["characteristic"]
    [accounts] = [c["value"] for c in problem["characteristic"] if c["name"] == "associatedAccounts"]
    assert HOME in accounts


def test_escalating_for_a_suspended_account_is_diagnosticadors_409(gateway_client, world):
    number = next(a["account_number"] for a in world.tables["home_accounts"] if a["status"] == "suspendido")
    body = {"accountId": number, "faultType": "single", "service": "internet", "advisor": "asesor.premium01"}
    _assert_problem(gateway_client.post("/serviceProblem", token=ASESOR, json=body), 409, "diagnosticador", number)


def test_escalation_timeout_is_a_504_and_is_not_retried(gateway_client, quiet_account):
    _timeout(gateway_client, "diagnosticador", "/avisos", "POST")
    body = {
        "accountId": quiet_account["account_number"],
        "faultType": "single",
        "service": "internet",
        "advisor": "asesor.premium01",
    }
    _assert_problem(gateway_client.post("/serviceProblem", token=ASESOR, json=body), 504, "diagnosticador")
    assert [
        c.path
        for c in gateway_client.backoffice.calls_to("diagnosticador", "POST")
        if not c.path.startswith("/__admin")
    ] == ["/avisos"]
