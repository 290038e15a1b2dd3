"""Back-office state the supervision tests need, made through the gateway's API as an asesor would (no planting):
a scenario's customer queued, taken by an active asesor, identified, a case opened on their home account, and
adjustment requests above the amount the systems approve by themselves."""

from __future__ import annotations

import requests

from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation

SUPERVISOR = {"Authorization": "Bearer dev-supervisor"}
ASESOR = {"Authorization": "Bearer dev-asesor"}


def api(base: str) -> str:
    return f"{base}/api/v1"


def agents(base: str, sandbox: str, role: str) -> list[dict]:
    """Almabi's active agents of `role`, by login (never a hard-coded one)."""
    answer = requests.get(
        f"{api(base)}/workforce/agents",
        params={"role": role, "status": "active"},
        headers={**SUPERVISOR, "X-Sandbox": sandbox},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return sorted(answer.json(), key=lambda a: a["username"])


def _call(method: str, url: str, sandbox: str, body: dict | None = None, headers: dict | None = None) -> dict:
    answer = requests.request(
        method, url, json=body, headers={**(headers or ASESOR), "X-Sandbox": sandbox}, timeout=120
    )
    assert answer.status_code in (200, 201), f"{method} {url}: {answer.status_code} {answer.text}"
    return answer.json()


def open_home_case(server, sandbox: str, scenario: str = "modem-without-sync") -> dict:
    """A case on the scenario customer's first home account, opened through the API by the first active asesor."""
    base = server.base
    customer = load_scenario(server, sandbox, scenario)["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    queued = _call("GET", f"{api(base)}/conversations?status=queued", sandbox)["conversations"]
    [conversation] = [c for c in queued if c.get("waId", customer["phone"]["waId"]) == customer["phone"]["waId"]]
    advisor = agents(base, sandbox, "asesor")[0]["username"]
    _call("POST", f"{api(base)}/conversations/{conversation['id']}/assign", sandbox, {"advisor": advisor})
    document = customer["document"]
    _call(
        "POST",
        f"{api(base)}/conversations/{conversation['id']}/identity",
        sandbox,
        {"documentType": document["type"], "documentNumber": document["number"]},
    )
    [found] = _call(
        "GET", f"{api(base)}/customers?documentType={document['type']}&documentNumber={document['number']}", sandbox
    )
    account = found["homeAccounts"][0]["id"]
    body = {
        "conversationId": conversation["id"],
        "customerId": found["id"],
        "accountId": account,
        "category": "SAC",
        "product": "internet",
        "description": "Cobros que el cliente no reconoce",
    }
    return _call("POST", f"{api(base)}/cases", sandbox, body) | {"advisorLogin": advisor}


def request_adjustment(server, sandbox: str, case_id: str, amount: int, reason: str) -> dict:
    return _call(
        "POST", f"{api(server.base)}/cases/{case_id}/adjustments", sandbox, {"amount": amount, "reason": reason}
    )


def adjustment(server, sandbox: str, adjustment_id: str) -> dict:
    return _call("GET", f"{api(server.base)}/adjustments/{adjustment_id}", sandbox, headers=SUPERVISOR)


def sandbox_now(server, sandbox: str) -> str:
    """The sandbox's clock, as the gateway reads it (`asOf`)."""
    return _call("GET", f"{api(server.base)}/conversations?limit=1", sandbox)["asOf"]


def follow_up(server, sandbox: str, case_id: str, callback_at: str) -> dict:
    """Typified as a support case not solved at first contact, closed in follow-up with a callback at `callback_at`."""
    typified = requests.post(
        f"{api(server.base)}/cases/{case_id}/typification",
        json={"code": "SOP-INT-02", "notes": "Velocidad baja; se llamará de nuevo.", "resolvedFirstContact": False},
        headers={**ASESOR, "X-Sandbox": sandbox, "Idempotency-Key": f"typ-{case_id}-console"},
        timeout=120,
    )
    assert typified.status_code == 200, typified.text
    body = {"outcome": "followUp", "followUpType": "SOPORTE", "callbackAt": callback_at, "nothingPending": True}
    return _call("POST", f"{api(server.base)}/cases/{case_id}/close", sandbox, body)


def advance_clock(server, sandbox: str, duration: str) -> None:
    answer = requests.post(
        f"{api(server.base)}/admin/clock",
        json={"advance": duration},
        headers={"Authorization": "Bearer dev-admin", "X-Sandbox": sandbox},
        timeout=120,
    )
    assert answer.status_code == 200, answer.text


def pending(server, sandbox: str) -> list[dict]:
    """What waits for a supervisor, as the gateway lists it (RR's and AC's, oldest first)."""
    found = _call("GET", f"{api(server.base)}/adjustments?status=pending", sandbox, headers=SUPERVISOR)
    return found["adjustments"]


def hold_practices(server, sandbox: str, leader: str, role: str) -> list[dict]:
    """Every practice of the catalogue that `role` has a goal for, held by `leader` now (through the API)."""
    catalogue = _call("GET", f"{api(server.base)}/practices/catalogue", sandbox, headers=SUPERVISOR)
    return [
        _call(
            "POST",
            f"{api(server.base)}/practices",
            sandbox,
            {"practiceCode": p["code"], "ledBy": leader, "notes": "Registrada para las pruebas de la consola."},
            headers=SUPERVISOR,
        )
        for p in catalogue
        if role in p["goals"]
    ]
