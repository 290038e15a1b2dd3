"""GET /indicators through the HTTP API: roles, the window's rules, the shape on an empty CRM, Almabi's failures.
The indicators' values are checked in tests/flow/test_indicators_week.py and tests/unit/test_indicators.py."""

from __future__ import annotations

WEEK = {"from": "2026-10-26", "to": "2026-11-01"}
NAMES = ["PUNTUALIDAD", "NPS", "FCR", "AUSENTISMO", "ROTACIÓN"]


def test_an_empty_operation_has_no_crm_values_but_almabis(gateway_client):
    body = gateway_client.get("/indicators", params=WEEK, token="dev-supervisor").json()
    assert [i["indicator"] for i in body["indicators"]] == NAMES
    punctuality, nps, fcr, absent, rotation = body["indicators"]
    for indicator in (punctuality, nps, fcr):
        assert (indicator["numerator"], indicator["denominator"], indicator["value"]) == (0, 0, None)
        assert indicator["byAdvisor"] == [] and indicator["byDay"] == [] and indicator["definition"]
    assert fcr["repeatWindowDays"] == 7 and fcr["repeatRate"]["value"] is None
    assert absent["denominator"] > 0 and [d["date"] for d in absent["byDay"]][0] == "2026-10-26"
    assert rotation["denominator"] > 0 and body["advisors"] is None


def test_a_team_lists_its_advisors_from_almabi(gateway_client):
    body = gateway_client.get("/indicators", params=WEEK | {"team": "TEAM04"}, token="dev-coordinador").json()
    raw = (
        gateway_client.backoffice.client("almabi")
        .get("/agents", params={"team_id": "TEAM04", "role": "asesor"})
        .json()["agents"]
    )
    assert body["advisors"] == sorted(a["username"] for a in raw) and "asesor.premium03" in body["advisors"]
    assert body["teamId"] == "TEAM04"


def test_roles_and_windows(gateway_client):
    assert gateway_client.get("/indicators", params=WEEK, token="dev-asesor").status_code == 403
    assert gateway_client.get("/indicators", params=WEEK, token=None).status_code == 401
    reversed_ = gateway_client.get(
        "/indicators", params={"from": "2026-11-01", "to": "2026-10-26"}, token="dev-gerente"
    )
    assert reversed_.status_code == 422 and "before it starts" in reversed_.json()["detail"]
    long = gateway_client.get("/indicators", params={"from": "2026-01-01", "to": "2026-11-01"}, token="dev-gerente")
    assert long.status_code == 422 and "longer than 62 days" in long.json()["detail"]
    unknown = gateway_client.get("/indicators", params=WEEK | {"team": "TEAM99"}, token="dev-gerente")
    assert unknown.status_code == 404 and unknown.json()["system"] == "almabi"


def test_almabi_timing_out_is_a_504_naming_it(gateway_client):
    gateway_client.post("/admin/faults", json={"system": "almabi", "kind": "timeout"})
    response = gateway_client.get("/indicators", params=WEEK, token="dev-supervisor")
    assert response.status_code == 504 and response.json()["system"] == "almabi"
