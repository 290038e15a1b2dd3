"""Who decides an adjustment: named in the body (a token without a user), they must be an active Almabi leader of
the sandbox (supervisor, coordinador, gerente), as taking a conversation needs an active asesor."""

from __future__ import annotations

from tests.support.advisors import active_asesor, active_leader
from tests.support.cases import plant_case


def test_only_an_active_almabi_leader_named_in_the_body_decides(gateway_client):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    made = gw.post(f"/cases/{case_id}/adjustments", json={"amount": 99900, "reason": "Cobro duplicado"})
    assert made.status_code == 201 and made.json()["status"] == "pending", made.text
    approve = f"/adjustments/{made.json()['id']}/approve"
    asesor, coordinador = active_asesor(gw)["username"], active_leader(gw, "coordinador")["username"]
    refusals = {"nadie.existe": "unknown-agent", asesor: "not-a-leader"}
    for login, kind in refusals.items():
        answer = gw.post(approve, json={"supervisor": login}, token="dev-supervisor")  # a token without a user
        assert answer.status_code == 422, (login, answer.text)
        assert answer.json()["type"].endswith(f"/{kind}") and login in answer.json()["detail"]
    assert gw.get(f"/adjustments/{made.json()['id']}").json()["status"] == "pending"
    approved = gw.post(approve, json={"supervisor": coordinador}, token="dev-supervisor")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["decidedBy"] == coordinador
