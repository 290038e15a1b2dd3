"""Every back-office write of a case is signed by a real user: the token's user, the body's name (a token without
a user), or the case's advisor; with none of them it is a 422 naming what to give, and nothing is written."""

from __future__ import annotations

from tests.support.cases import plant_case


def _case_without_advisor(gateway_client, **kw) -> tuple[str, dict]:
    case_id = plant_case(gateway_client.app.runtime, **kw)
    with gateway_client.app.runtime.crm.write("default") as db:  # a case left with no advisor (data from before)
        db.execute("UPDATE cases SET advisor = NULL WHERE id = ?", [case_id])
    return case_id, gateway_client.get(f"/cases/{case_id}").json()


def _markings(gateway_client, account: str) -> list:
    return gateway_client.backoffice.client("rr").get(f"/accounts/{account}/markings").json()["markings"]


def _code(gateway_client, category: str) -> str:
    catalogue = gateway_client.get("/typifications", params={"category": category}).json()
    return catalogue["typifications"][0]["code"] if isinstance(catalogue, dict) else catalogue[0]["code"]


def test_a_typification_with_nobody_acting_is_a_422_and_no_marking(gateway_client):
    case_id, case = _case_without_advisor(gateway_client, category="SAC")
    assert case["advisor"] is None and case["accountSystem"] == "rr"
    before = _markings(gateway_client, case["accountId"])
    body = {"code": _code(gateway_client, "SAC"), "resolvedFirstContact": True}
    key = {"Idempotency-Key": f"typ-{case_id}"}
    refused = gateway_client.post(f"/cases/{case_id}/typification", json=body, headers=key)  # dev-admin: no user
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("/actor-required") and "give 'advisor'" in refused.json()["detail"]
    assert _markings(gateway_client, case["accountId"]) == before
    # The same key, now naming who acts, goes through (a refusal does not take the key); RR's marking is theirs.
    named = gateway_client.post(f"/cases/{case_id}/typification", json=body | {"advisor": "an.asesor"}, headers=key)
    assert named.status_code == 200, named.text
    [new] = [m for m in _markings(gateway_client, case["accountId"]) if m not in before]
    assert new["advisor"] == "an.asesor"


def test_an_adjustment_with_nobody_acting_is_a_422(gateway_client):
    case_id, case = _case_without_advisor(gateway_client)
    refused = gateway_client.post(f"/cases/{case_id}/adjustments", json={"amount": 10000, "reason": "Cobro doble"})
    assert refused.status_code == 422 and refused.json()["type"].endswith("/actor-required"), refused.text
    assert gateway_client.get(f"/cases/{case_id}/adjustments").json()["total"] == 0


def test_a_pqr_after_typification_with_nobody_acting_is_a_422_before_it_is_filed(gateway_client):
    case_id, case = _case_without_advisor(gateway_client, category="SAC")
    body = {"code": _code(gateway_client, "SAC"), "resolvedFirstContact": False, "advisor": "an.asesor"}
    typed = gateway_client.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": case_id})
    assert typed.status_code == 200, typed.text
    refused = gateway_client.post(f"/cases/{case_id}/pqr", json={"description": "Cobro no reconocido"})
    assert refused.status_code == 422 and refused.json()["type"].endswith("/actor-required"), refused.text
    assert "POST /admin/tokens" in refused.json()["detail"]
    assert gateway_client.get("/pqrs", params={"customerId": case["customerId"]}).json() == []
