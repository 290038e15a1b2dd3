"""Escalations to DIME as TMF621 trouble tickets, through the gateway: created, read back from DIME itself, listed
by customer; DIME's refusals keep their status and detail; a failing DIME is a 504/503/502 naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

from tests.support.cases import plant_case

ASESOR = "dev-asesor"
TMF621 = (
    Path(__file__).resolve().parents[2]
    / "claro_backoffice"
    / "openapi"
    / "tmf"
    / "TMF621-TroubleTicket-v4.0.0.swagger.json"
)


def tmf621_errors(instance: dict) -> list[str]:
    definitions = json.loads(TMF621.read_text(encoding="utf-8"))["definitions"]
    validator = Draft4Validator(
        {"$ref": "#/definitions/TroubleTicket", "definitions": definitions}, format_checker=FormatChecker()
    )
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance)]


def ticket(
    case="CASO-2026-910001",
    customer="CUS00000003",
    account="46271064",
    area="SOPN2",
    typification="SOP-INT-01",
    **extra,
) -> dict:
    entities = [{"id": case, "role": "case", "@referredType": "Case"}]
    entities += [{"id": account, "role": "account", "@referredType": "BillingAccount"}] if account else []
    return {
        "@type": "Escalation",
        "description": "Módem sin sincronía tras reinicio; se requiere nivel 2.",
        "areaCode": area,
        "typificationCode": typification,
        "relatedEntity": entities,
        "relatedParty": [
            {"id": customer, "role": "customer", "@referredType": "Customer"},
            {"id": "asesor.premium07", "role": "advisor", "@referredType": "Individual"},
        ],
        "attachment": [
            {"name": "diagnostico.txt", "description": "Niveles de potencia fuera de rango."},
            {"name": "captura.png", "url": "https://evidencias.claro.com.co/dime/x/captura.png"},
        ],
    } | extra


def test_an_escalation_is_created_in_dime_and_read_back(gateway_client, world):
    home = next(a for a in world.tables["home_accounts"] if a["account_number"] == "46271064")
    case_id = plant_case(gateway_client.app.runtime, customer_id=home["customer_id"])
    response = gateway_client.post(
        "/troubleTicket", token=ASESOR, json=ticket(case_id, home["customer_id"]), headers={"X-Case-Id": case_id}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "acknowledged" and created["ticketType"] == "request"
    assert created["severity"] == "major" and created["slaHours"] == 24  # SOPN2 answers in 24 business hours
    assert response.headers["Location"] == created["href"] and created["href"].endswith(
        f"/troubleTicket/{created['id']}"
    )
    assert {(e["role"], e["id"]) for e in created["relatedEntity"]} == {("case", case_id), ("account", "46271064")}
    assert [(p["role"], p["id"]) for p in created["relatedParty"]] == [
        ("customer", home["customer_id"]),
        ("advisor", "asesor.premium07"),
    ]
    # DIME itself holds what the gateway sent, and the gateway forwarded the case header.
    record = gateway_client.backoffice.client("dime").get(f"/escalations/{created['id']}").json()
    assert record["case_id"] == case_id and record["customer_id"] == home["customer_id"]
    assert record["area_code"] == "SOPN2" and record["typification_code"] == "SOP-INT-01"
    assert record["evidence"] == [
        {"name": "diagnostico.txt", "text": "Niveles de potencia fuera de rango."},
        {"name": "captura.png", "url": "https://evidencias.claro.com.co/dime/x/captura.png"},
    ]
    assert created["expectedResolutionDate"] == record["due_at"]
    [post] = gateway_client.backoffice.calls_to("dime", "POST")
    assert post.headers["X-Case-Id"] == case_id
    # GET by id answers the same ticket, with its evidence and history.
    again = gateway_client.get(f"/troubleTicket/{created['id']}", token=ASESOR).json()
    assert again == created
    assert [a["attachmentType"] for a in again["attachment"]] == ["text", "link"]
    assert [s["status"] for s in again["statusChange"]] == ["acknowledged"]
    assert tmf621_errors(again) == []


def test_a_seeded_escalation_maps_its_dime_fields(gateway_client):
    record = gateway_client.backoffice.client("dime").get("/escalations/ESC00000022").json()
    view = gateway_client.get("/troubleTicket/ESC00000022", token=ASESOR).json()
    assert view["status"] == record["state"] and view["areaCode"] == record["area_code"]
    assert view["expectedResolutionDate"] == record["due_at"] and view["overdue"] is record["overdue"]
    assert [s["status"] for s in view["statusChange"]] == [h["to_state"] for h in record["state_history"]]
    assert view["relatedParty"][0]["id"] == record["customer_id"]
    assert view["@type"] == "Escalation" and view["@baseType"] == "TroubleTicket"
    assert tmf621_errors(view) == []


def _case(client, customer: str = "CUS00000003") -> str:
    return plant_case(client.app.runtime, customer_id=customer)


def test_a_customers_escalations_are_listed_newest_first(gateway_client):
    created = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(_case(gateway_client))).json()
    response = gateway_client.get("/troubleTicket", token=ASESOR, params={"customerId": "CUS00000003"})
    assert response.status_code == 200, response.text
    page = gateway_client.backoffice.client("dime").get("/escalations", params={"customer_id": "CUS00000003"}).json()
    tickets = response.json()
    assert [t["id"] for t in tickets] == [e["escalation_id"] for e in page["escalations"]]
    assert tickets[0]["id"] == created["id"] and all(t["relatedParty"][0]["id"] == "CUS00000003" for t in tickets)
    assert response.headers["X-Total-Count"] == str(page["total"])
    only = gateway_client.get(
        "/troubleTicket", token=ASESOR, params={"customerId": "CUS00000003", "status": "resolved"}
    ).json()
    assert created["id"] not in [t["id"] for t in only]


def test_dime_refusals_keep_their_status_and_detail(gateway_client, world):
    other = next(a["account_number"] for a in world.tables["home_accounts"] if a["customer_id"] != "CUS00000003")
    case_id = _case(gateway_client)
    foreign = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(case_id, account=other))
    assert foreign.status_code == 404 and foreign.json()["system"] == "dime" and other in foreign.json()["detail"]
    wrong_area = gateway_client.post(
        "/troubleTicket", token=ASESOR, json=ticket(case_id, area="FACT")
    )  # FACT: no SOPORTE
    assert wrong_area.status_code == 422 and wrong_area.json()["system"] == "dime"
    assert "SOPN2" in wrong_area.json()["detail"]  # DIME names the areas that handle the category
    assert gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(case_id)).status_code == 201
    again = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(case_id))
    assert again.status_code == 409 and again.json()["system"] == "dime"
    missing = gateway_client.get("/troubleTicket/ESC09999999", token=ASESOR)
    assert missing.status_code == 404 and missing.json()["system"] == "dime"
    assert "ESC09999999" in missing.json()["detail"]


def test_roles_that_dont_add_up_are_a_422_before_dime_is_called(gateway_client):
    assert gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(account=None)).status_code == 400
    body = ticket()
    body["relatedEntity"] = [body["relatedEntity"][0], body["relatedEntity"][0]]  # two cases, no account/line
    response = gateway_client.post("/troubleTicket", token=ASESOR, json=body)
    assert response.status_code == 422 and "account" in response.json()["detail"]
    body["relatedEntity"].append(ticket()["relatedEntity"][1])
    response = gateway_client.post("/troubleTicket", token=ASESOR, json=body)
    assert response.status_code == 422 and "exactly one case" in response.json()["detail"]
    body = ticket()
    body["relatedParty"] = [body["relatedParty"][1], body["relatedParty"][1]]
    response = gateway_client.post("/troubleTicket", token=ASESOR, json=body)
    assert response.status_code == 422 and "customer" in response.json()["detail"]
    assert gateway_client.backoffice.calls_to("dime") == []


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/troubleTicket"),
        ("GET", "/troubleTicket/ESC00000022"),
        ("GET", "/troubleTicket?customerId=CUS00000176"),
    ],
)
def test_a_dime_timeout_is_a_504_naming_dime(gateway_client, method, path):
    fault = gateway_client.post("/admin/faults", json={"system": "dime", "kind": "timeout", "path": "/escalations*"})
    assert fault.status_code == 201, fault.text
    response = gateway_client.request(
        method, path, token=ASESOR, json=ticket(_case(gateway_client)) if method == "POST" else None
    )
    assert response.status_code == 504, response.text
    assert response.json()["system"] == "dime" and "dime" in response.json()["detail"]
    calls = [c for c in gateway_client.backoffice.calls_to("dime", method) if c.path.startswith("/escalations")]
    assert len(calls) == (1 if method == "POST" else 3)  # a POST is never retried; a GET twice more


def test_an_escalation_belongs_to_a_case_of_the_sandbox_and_shows_in_its_timeline(gateway_client):
    missing = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket("CAS-999999"))
    assert missing.status_code == 404 and missing.json()["type"].endswith("/case-not-found")
    assert "CAS-999999" in missing.json()["detail"]
    someone_elses = _case(gateway_client, customer="CUS00000004")
    refused = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(someone_elses))
    assert refused.status_code == 422 and "CUS00000004" in refused.json()["detail"]
    case_id = _case(gateway_client)
    other = _case(gateway_client)
    crossed = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(case_id), headers={"X-Case-Id": other})
    assert crossed.status_code == 422 and other in crossed.json()["detail"]
    assert gateway_client.backoffice.calls_to("dime") == []  # all refused before DIME was asked
    # Without X-Case-Id the ticket still lands in its case's timeline: DIME's call and the step naming it.
    created = gateway_client.post("/troubleTicket", token=ASESOR, json=ticket(case_id))
    assert created.status_code == 201, created.text
    [post] = gateway_client.backoffice.calls_to("dime", "POST")
    assert post.headers["X-Case-Id"] == case_id
    timeline = gateway_client.get(f"/cases/{case_id}", token=ASESOR).json()["timeline"]
    assert [(t["kind"], t.get("system"), t["action"], t["outcome"]) for t in timeline] == [
        ("call", "dime", "POST /escalations", "201"),
        ("step", None, "escalated", created.json()["id"]),
    ]
