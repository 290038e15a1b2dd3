"""PQRs over the gateway: filing with a CUN and due date, evidence gathering, answer, silencio administrativo
positivo, recursos; the CUN never repeated across sandboxes and resets. Times are driven by POST /admin/clock.

Cases are planted straight into the CRM (`plant_case`) until POST /cases exists: switch to the API then."""

from __future__ import annotations

import re

import pytest

from claro_backoffice.gateway.cases.ids import next_id

CUSTOMER, ACCOUNT = "CUS00000003", "46271064"
FILED = "2025-12-22T10:30:00-05:00"  # a Monday: due Thu 15-Jan-2026
FIRST_DUE = "2026-01-15T23:59:59-05:00"


def plant_case(client, sandbox: str = "default", *, status: str = "open", resolved_first_contact=None) -> str:
    """A conversation and a case written directly into the sandbox's CRM (columns of schema/10 and 20)."""
    runtime = client.app.runtime
    now = runtime.clocks.now(sandbox).isoformat()
    with runtime.crm.write(sandbox) as db:
        conversation, case = next_id(db, "CNV"), next_id(db, "CAS")
        db.execute(
            "INSERT INTO conversations (id, wa_id, phone_number_id, customer_id, entry, status, created_at) "
            "VALUES (?, '573236671972', '573112000000', ?, 'base', 'assigned', ?)",
            [conversation, CUSTOMER, now],
        )
        typified = status != "open"
        db.execute(
            "INSERT INTO cases (id, conversation_id, customer_id, account_id, account_system, category, "
            "product, description, status, typification_code, resolved_first_contact, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'rr', 'PQR', 'tv', 'Cobro no reconocido en la factura', ?, ?, ?, ?, ?)",
            [
                case,
                conversation,
                CUSTOMER,
                ACCOUNT,
                status,
                "UCC-FAC-01" if typified else None,
                resolved_first_contact,
                now,
                now,
            ],
        )
    return case


def set_clock(client, when: str, sandbox: str | None = None):
    answer = client.post("/admin/clock", json={"set": when, "frozen": True}, sandbox=sandbox)
    assert answer.status_code == 200, answer.text


def file_pqr(client, case_id: str, sandbox: str | None = None, **extra) -> dict:
    answer = client.post(
        f"/cases/{case_id}/pqr", json={"description": "Cargo no reconocido de 45.900", **extra}, sandbox=sandbox
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture
def filed(gateway_client):
    set_clock(gateway_client, FILED)
    case = plant_case(gateway_client)
    return case, file_pqr(gateway_client, case, requestedBy="Ana María Rojas")


def test_a_pqr_gets_a_cun_and_is_due_15_business_days_after_filing(gateway_client, filed):
    case, pqr = filed
    assert re.fullmatch(r"41152025\d{10}", pqr["cun"]) and pqr["externalId"] == pqr["cun"]
    assert pqr["@type"] == "TroubleTicket" and pqr["ticketType"] == "complaint" and pqr["status"] == "acknowledged"
    assert pqr["creationDate"] == pqr["filedAt"] == FILED
    assert pqr["dueDate"] == pqr["requestedResolutionDate"] == pqr["firstDueDate"] == FIRST_DUE
    assert pqr["relatedEntity"][0]["id"] == case and pqr["relatedEntity"][0]["role"] == "case"
    assert pqr["relatedParty"][0]["id"] == CUSTOMER
    assert pqr["relatedParty"][1] == {"name": "Ana María Rojas", "role": "requester", "@referredType": "Individual"}
    assert pqr["overdue"] is False and pqr["appeals"] == [] and "silencioAdministrativoPositivo" not in pqr
    assert gateway_client.get(f"/pqrs/{pqr['id']}").json() == pqr
    listed = gateway_client.get("/pqrs", params={"customerId": CUSTOMER})
    assert [p["id"] for p in listed.json()] == [pqr["id"]] and listed.headers["X-Total-Count"] == "1"
    assert gateway_client.get("/pqrs", params={"customerId": "CUS00000004"}).json() == []
    with gateway_client.app.runtime.crm.read("default") as db:
        step = db.execute("SELECT action, outcome FROM case_timeline WHERE case_id = ?", [case]).fetchall()
    assert step == [("pqr filed", pqr["cun"])]


def test_one_pqr_per_case_and_none_for_a_case_solved_at_first_contact_or_closed(gateway_client, filed):
    case, pqr = filed
    again = gateway_client.post(f"/cases/{case}/pqr", json={"description": "otra vez"})
    assert again.status_code == 409 and pqr["cun"] in again.json()["detail"]
    solved = plant_case(gateway_client, status="typified", resolved_first_contact=1)
    refused = gateway_client.post(f"/cases/{solved}/pqr", json={"description": "x"})
    assert refused.status_code == 409 and "resolved at first contact" in refused.json()["detail"]
    closed = plant_case(gateway_client, status="closed", resolved_first_contact=0)
    refused = gateway_client.post(f"/cases/{closed}/pqr", json={"description": "x"})
    assert refused.status_code == 409 and "it is closed" in refused.json()["detail"]
    assert gateway_client.post("/cases/CAS-999999/pqr", json={"description": "x"}).status_code == 404
    assert gateway_client.post(f"/cases/{case}/pqr", json={}).status_code == 400
    assert gateway_client.get("/pqrs/PQR-999999").status_code == 404


def test_unanswered_past_the_due_date_silencio_administrativo_positivo_stands(gateway_client, filed):
    _, pqr = filed
    set_clock(gateway_client, "2026-01-15T23:59:00-05:00")
    assert "silencioAdministrativoPositivo" not in gateway_client.get(f"/pqrs/{pqr['id']}").json()
    set_clock(gateway_client, "2026-01-16T08:00:00-05:00")
    late = gateway_client.get(f"/pqrs/{pqr['id']}").json()
    assert late["overdue"] is True and late["status"] == "acknowledged"
    assert late["silencioAdministrativoPositivo"] == {"since": FIRST_DUE, "effectiveBy": "2026-01-18T23:59:59-05:00"}
    assert [p["id"] for p in gateway_client.get("/pqrs", params={"overdue": "true"}).json()] == [pqr["id"]]
    assert gateway_client.get("/pqrs", params={"overdue": "false"}).json() == []
    answered = gateway_client.post(
        f"/pqrs/{pqr['id']}/answer", json={"answer": "Se anula el cargo", "favourable": True}
    )
    body = answered.json()
    assert answered.status_code == 200 and body["status"] == "resolved" and body["answer"]["onTime"] is False
    assert "silencio administrativo positivo stands" in body["warning"] and "2026-01-18T23:59:59" in body["warning"]
    assert body["silencioAdministrativoPositivo"]["since"] == FIRST_DUE and body["overdue"] is False
    again = gateway_client.post(f"/pqrs/{pqr['id']}/answer", json={"answer": "otra", "favourable": False})
    assert again.status_code == 409 and "already answered" in again.json()["detail"]


def test_evidence_gathering_extends_the_due_date_once_and_only_before_it(gateway_client, filed):
    _, pqr = filed
    set_clock(gateway_client, "2026-01-15T20:00:00-05:00")
    declared = gateway_client.post(f"/pqrs/{pqr['id']}/evidence", json={"reason": "detalle de activación"})
    body = declared.json()
    assert declared.status_code == 200 and body["status"] == "inProgress"
    assert body["evidenceGathering"]["extendedDueDate"] == "2026-02-05T23:59:59-05:00"
    assert body["dueDate"] == body["requestedResolutionDate"] == "2026-02-05T23:59:59-05:00"
    assert body["firstDueDate"] == FIRST_DUE
    twice = gateway_client.post(f"/pqrs/{pqr['id']}/evidence", json={"reason": "más"})
    assert twice.status_code == 409 and "only once" in twice.json()["detail"]
    set_clock(gateway_client, "2026-01-20T09:00:00-05:00")  # past the first due date, before the extended one
    now = gateway_client.get(f"/pqrs/{pqr['id']}").json()
    assert now["overdue"] is False and "silencioAdministrativoPositivo" not in now
    answered = gateway_client.post(f"/pqrs/{pqr['id']}/answer", json={"answer": "ok", "favourable": False}).json()
    assert answered["answer"]["onTime"] is True and "warning" not in answered
    assert "silencioAdministrativoPositivo" not in answered and answered["status"] == "resolved"
    other = file_pqr(gateway_client, plant_case(gateway_client))  # filed 20-Jan: due Tue 10-Feb-2026
    assert other["dueDate"] == "2026-02-10T23:59:59-05:00"
    set_clock(gateway_client, "2026-02-11T00:00:00-05:00")
    too_late = gateway_client.post(f"/pqrs/{other['id']}/evidence", json={"reason": "x"})
    assert too_late.status_code == 409 and "has passed" in too_late.json()["detail"]


def test_recursos_reuse_the_cun_reposicion_before_apelacion_within_the_window(gateway_client, filed):
    _, pqr = filed
    url = f"/pqrs/{pqr['id']}/appeals"
    early = gateway_client.post(url, json={"type": "reposicion", "reason": "x"})
    assert early.status_code == 409 and "no answer yet" in early.json()["detail"]
    set_clock(gateway_client, "2026-01-09T10:00:00-05:00")
    answered = gateway_client.post(f"/pqrs/{pqr['id']}/answer", json={"answer": "Cargo válido", "favourable": False})
    assert answered.json()["appealDeadline"] == "2026-01-26T23:59:59-05:00"  # 10 business days, 12-Jan holiday
    first = gateway_client.post(url, json={"type": "apelacion", "reason": "x"})
    assert first.status_code == 409 and "reposición first" in first.json()["detail"]
    reposicion = gateway_client.post(url, json={"type": "reposicion", "reason": "No solicité el paquete"})
    assert reposicion.status_code == 201
    assert reposicion.json()["appeals"] == [
        {
            "type": "reposicion",
            "filedAt": "2026-01-09T10:00:00-05:00",
            "reason": "No solicité el paquete",
            "cun": pqr["cun"],
        }
    ]
    set_clock(gateway_client, "2026-01-26T18:00:00-05:00")
    apelacion = gateway_client.post(url, json={"type": "apelacion", "reason": "A la SIC"})
    assert apelacion.status_code == 201 and [a["type"] for a in apelacion.json()["appeals"]] == [
        "reposicion",
        "apelacion",
    ]
    assert {a["cun"] for a in apelacion.json()["appeals"]} == {pqr["cun"]} and apelacion.json()["externalId"] == pqr[
        "cun"
    ]
    again = gateway_client.post(url, json={"type": "reposicion", "reason": "x"})
    assert again.status_code == 409 and "already has a recurso" in again.json()["detail"]
    set_clock(gateway_client, "2026-02-27T10:00:00-05:00")
    assert gateway_client.get(f"/pqrs/{pqr['id']}").json()["status"] == "resolved"  # a recurso keeps it open


def test_no_recurso_after_the_window_or_against_a_favourable_answer(gateway_client, filed):
    _, pqr = filed
    other = file_pqr(gateway_client, plant_case(gateway_client))
    set_clock(gateway_client, "2026-01-09T10:00:00-05:00")
    gateway_client.post(f"/pqrs/{pqr['id']}/answer", json={"answer": "Cargo válido", "favourable": False})
    gateway_client.post(f"/pqrs/{other['id']}/answer", json={"answer": "Se anula", "favourable": True})
    favourable = gateway_client.post(f"/pqrs/{other['id']}/appeals", json={"type": "reposicion", "reason": "x"})
    assert favourable.status_code == 409 and "in the customer's favour" in favourable.json()["detail"]
    set_clock(gateway_client, "2026-01-27T00:00:00-05:00")
    late = gateway_client.post(f"/pqrs/{pqr['id']}/appeals", json={"type": "reposicion", "reason": "x"})
    assert late.status_code == 409 and "ended at 2026-01-26T23:59:59-05:00" in late.json()["detail"]
    assert gateway_client.get(f"/pqrs/{pqr['id']}").json()["status"] == "closed"
    assert [p["id"] for p in gateway_client.get("/pqrs", params={"status": "closed"}).json()] == sorted(
        [pqr["id"], other["id"]], reverse=True
    )
    assert gateway_client.get("/pqrs", params={"status": "resolved"}).json() == []


def test_the_cun_is_never_repeated_across_sandboxes_and_resets(gateway_client):
    sandbox = "pqr-cun"
    assert gateway_client.post("/admin/sandboxes", json={"name": sandbox}).status_code == 201
    try:
        cuns = [file_pqr(gateway_client, plant_case(gateway_client))["cun"]]
        cuns.append(file_pqr(gateway_client, plant_case(gateway_client, sandbox), sandbox=sandbox)["cun"])
        assert gateway_client.post("/admin/sandboxes/default/reset").status_code == 200
        assert gateway_client.post(f"/admin/sandboxes/{sandbox}/reset").status_code == 200
        again = file_pqr(gateway_client, plant_case(gateway_client))
        assert again["id"] == "PQR-000001"  # the sandbox's own ids start over after a reset; the CUN does not
        cuns.append(again["cun"])
        cuns.append(file_pqr(gateway_client, plant_case(gateway_client, sandbox), sandbox=sandbox)["cun"])
    finally:
        gateway_client.delete(f"/admin/sandboxes/{sandbox}")
    assert len(set(cuns)) == 4 and [int(c[8:]) for c in cuns] == sorted(int(c[8:]) for c in cuns)
