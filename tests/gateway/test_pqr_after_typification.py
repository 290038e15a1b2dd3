"""A PQR filed after the case was typified: the CUN reaches RR's F22 markings (home) or AC's ticklers (mobile)
through a new follow-up marking; the typification's own marking stays as it was (markings are a history)."""

from __future__ import annotations

import pytest

from tests.support.cases import plant_case

HOME = ("CUS00000003", "46271064", "rr")
MOBILE = ("CUS00000032", "7264934899", "ac")


def _typified_then_filed(client, customer: str, account: str, system: str) -> tuple[str, dict]:
    case_id = plant_case(client.app.runtime, customer_id=customer, account_id=account, system=system, category="SAC")
    body = {"code": "SAC-FAC-04", "notes": "Cliente no reconoce un cobro.", "resolvedFirstContact": False}
    typed = client.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": f"typ-{case_id}"})
    assert typed.status_code == 200, typed.text
    filed = client.post(f"/cases/{case_id}/pqr", json={"description": "Cobro no reconocido de 45.900"})
    assert filed.status_code == 201, filed.text
    return case_id, filed.json()


@pytest.mark.parametrize(("customer", "account", "system"), [HOME, MOBILE], ids=["rr-marking", "ac-tickler"])
def test_a_pqr_filed_after_typification_leaves_a_follow_up_marking_with_the_cun(
    gateway_client, customer, account, system
):
    case_id, pqr = _typified_then_filed(gateway_client, customer, account, system)
    mock = gateway_client.backoffice.client(system)
    what = "markings" if system == "rr" else "ticklers"
    ours = [
        m for m in mock.get(f"/accounts/{account}/{what}").json()[what] if m["code"] == "SAC-FAC-04"
    ]  # newest first
    assert len(ours) == 2, ours
    follow_up, typification = ours
    assert typification.get("cun") is None  # the typification's marking is left as it was
    assert follow_up["cun"] == pqr["cun"] and pqr["id"] in follow_up["notes" if system == "rr" else "text"]
    assert follow_up["resolved_first_contact"] is False
    case = gateway_client.get(f"/cases/{case_id}").json()
    steps = [(t["action"], t.get("outcome")) for t in case["timeline"] if t["kind"] == "step"]
    assert ("cun marked", pqr["cun"]) in steps
    # A retry of the filing is the usual 409 and writes no second marking.
    again = gateway_client.post(f"/cases/{case_id}/pqr", json={"description": "otra vez"})
    assert again.status_code == 409
    assert len([m for m in mock.get(f"/accounts/{account}/{what}").json()[what] if m["code"] == "SAC-FAC-04"]) == 2


def test_a_failed_follow_up_marking_is_made_by_the_retry_once(gateway_client):
    customer, account, system = HOME
    case_id = plant_case(gateway_client.app.runtime, customer_id=customer, account_id=account, category="SAC")
    body = {"code": "SAC-FAC-04", "notes": "Cliente no reconoce un cobro.", "resolvedFirstContact": False}
    typed = gateway_client.post(
        f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": f"typ-{case_id}"}
    )
    assert typed.status_code == 200, typed.text
    rule = {"system": "rr", "kind": "error", "status": 500, "method": "POST", "path": "/accounts/*/markings"}
    assert gateway_client.post("/admin/faults", json=rule | {"count": 1}).status_code == 201
    failed = gateway_client.post(f"/cases/{case_id}/pqr", json={"description": "Cobro no reconocido"})
    assert failed.status_code == 502 and failed.json()["system"] == "rr"
    rr = gateway_client.backoffice.client("rr")

    def with_cun() -> list:
        return [m for m in rr.get(f"/accounts/{account}/markings").json()["markings"] if m.get("cun")]

    assert with_cun() == []
    # The PQR stands; the retry names it and makes the missing marking, once.
    [pqr] = gateway_client.get("/pqrs", params={"customerId": customer}).json()
    for _ in range(2):
        again = gateway_client.post(f"/cases/{case_id}/pqr", json={"description": "Cobro no reconocido"})
        assert again.status_code == 409 and again.json()["cun"] == pqr["cun"]
    assert [m["cun"] for m in with_cun()] == [pqr["cun"]]
