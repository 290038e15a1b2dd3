"""Every gateway operation, against every system it depends on, with that system made to time out, refuse, fail or
answer garbage: the answer is the documented problem+json naming the system, or a 2xx that names it in `degraded`
or `X-Degraded-Systems`. Which systems an operation depends on is read from the calls the back office saw during a
normal run of the operation's spec example, never listed by hand, so new operations are covered as they are added.

The CRM's operations act on state of their own (a conversation, a case, a PQR): `PLANT` writes what each example
needs first, so the example takes its normal path and makes its downstream call. The operations that call no
system even then are listed by name in `NO_SYSTEM`, and checked to answer 2xx without calling any."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid

import pytest

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path
from tests.support.cases import plant_contract_state

FAILURES = {"timeout": 504, "refused": 503, "error": 502, "malformed": 502}
_METHODS = ("get", "post", "put", "patch", "delete")
_IMPLICIT_HEADERS = {"X-Sandbox", "Authorization"}

# The operations that call no back-office system even with their state planted: the CRM's own reads and writes.
NO_SYSTEM = frozenset(
    {
        "pqrs.create_pqr",
        "pqrs.list_pqrs",
        "pqrs.get_pqr",
        "pqrs.declare_pqr_evidence",
        "pqrs.answer_pqr",
        "pqrs.appeal_pqr",
        "whatsapp.verify_webhook",
        "whatsapp.verify_sandbox_webhook",
        "conversations.list_conversations",
        "conversations.get_conversation",
        "cases.list_typifications",
        "guides.list_guides",
        "guides.get_guide",
        "cases.list_cases",
        "cases.get_case",
        "cases.add_case_callback",
        "cases.answer_case_survey",
        "adjustments.list_case_adjustments",
        "practices.get_catalogue",
        "improvement.list_ideas",
        "improvement.get_idea",
        "improvement.get_barometer",
        "me.who_am_i",
    }
)


def _example(parameter: dict):
    if "example" in parameter:
        return parameter["example"]
    schema = parameter.get("schema", {})
    return schema.get("example", schema.get("default"))


def _operations() -> list[dict]:
    spec = safe_load(spec_path().read_text(encoding="utf-8"))
    components = spec.get("components", {})
    found = []
    for template, item in spec["paths"].items():
        # health and readiness report failures: test_health.py; training prepares sandboxes through the systems'
        # control APIs, which this walk does not count: tests/training/test_training_failures.py
        if template.startswith(("/admin", "/health", "/training")):
            continue
        for method, op in item.items():
            if method not in _METHODS:
                continue
            params = [
                components["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                for p in item.get("parameters", []) + op.get("parameters", [])
            ]
            path = template
            query, headers = {}, {}
            for p in params:
                value = _example(p)
                if p["in"] == "path":
                    path = path.replace("{" + p["name"] + "}", str(value))
                elif p["in"] == "query" and value is not None and (p.get("required") or "example" in p):
                    query[p["name"]] = value
                elif p["in"] == "header" and p.get("required") and p["name"] not in _IMPLICIT_HEADERS:
                    headers[p["name"]] = str(value)
            body = None
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if "example" in content:
                body = content["example"]
            elif content.get("examples"):
                body = next(iter(content["examples"].values()))["value"]
            elif op.get("requestBody", {}).get("required"):
                body = _from_property_examples(content.get("schema", {}))
            found.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "query": query,
                    "headers": headers,
                    "body": body,
                    "role": op.get("x-roles", ["admin"])[0],
                    "documented": {int(code) for code in op["responses"] if re.fullmatch(r"\d{3}", code)},
                }
            )
    return found


def _from_property_examples(schema: dict) -> dict:
    """A body with no example of its own: each required property's example."""
    properties = schema.get("properties", {})
    return {name: properties[name]["example"] for name in schema.get("required", []) if "example" in properties[name]}


OPERATIONS = _operations()
BY_ID = {op["id"]: op for op in OPERATIONS}


# ---- the state each CRM example acts on (the ids in gateway.yaml's examples) -----------------------------------
def _contract_state(gateway_client):
    """CNV-000001 (assigned, identity validated), CNV-000002 (queued), CAS-000001 open, CAS-000002 typified,
    CAS-000003 in follow-up, CAS-000004 closed with its survey pending, CNV-000003 (assigned, no case)
    (tests/support/cases.py)."""
    plant_contract_state(gateway_client.app.runtime)


def _last_open_case(gateway_client):
    """CAS-000002 is the last case of CNV-000001 still being handled: closing it says goodbye through Meta."""
    _contract_state(gateway_client)
    with gateway_client.app.runtime.crm.write("default") as db:
        db.execute(
            "UPDATE cases SET status = 'closed', outcome = 'closed', closed_at = created_at WHERE id = 'CAS-000001'"
        )


def _filed_pqr(gateway_client):
    """PQR-000001 filed on CAS-000001."""
    _contract_state(gateway_client)
    _ok(gateway_client, BY_ID["pqrs.create_pqr"])


def _answered_pqr(gateway_client):
    """PQR-000001 answered, not in the customer's favour: a recurso can be filed against it."""
    _filed_pqr(gateway_client)
    _ok(gateway_client, BY_ID["pqrs.answer_pqr"])


def _raised(operation_id: str):
    def plant(gateway_client):
        _ok(gateway_client, BY_ID[operation_id])

    return plant


PLANT = {
    "pqrs.create_pqr": _contract_state,
    "pqrs.list_pqrs": _filed_pqr,
    "pqrs.get_pqr": _filed_pqr,
    "pqrs.declare_pqr_evidence": _filed_pqr,
    "pqrs.answer_pqr": _filed_pqr,
    "pqrs.appeal_pqr": _answered_pqr,
    "conversations.list_conversations": _contract_state,
    "conversations.get_conversation": _contract_state,
    "conversations.assign_conversation": _contract_state,
    "conversations.send_conversation_message": _contract_state,
    "conversations.close_conversation": _contract_state,
    "conversations.validate_conversation_identity": _contract_state,
    "cases.list_cases": _contract_state,
    "cases.create_case": _contract_state,
    "cases.get_case": _contract_state,
    "cases.typify_case": _contract_state,
    "cases.close_case": _last_open_case,
    "cases.add_case_callback": _contract_state,
    "cases.answer_case_survey": _contract_state,
    "adjustments.create_case_adjustment": _contract_state,
    "adjustments.list_case_adjustments": _contract_state,
    "trouble_tickets.create_trouble_ticket": _contract_state,
    "improvement.get_idea": _raised("improvement.raise_idea"),
    "improvement.get_barometer": _raised("improvement.create_barometer"),
}


def _first_message(gateway_client) -> dict:
    """Meta's delivery of a customer's first message to the default sandbox's business number, signed with the
    app secret as Meta signs it: the bot answers through Meta (the example has no body: it is Meta's to send)."""
    runtime = gateway_client.app.runtime
    sent = int(runtime.clocks.now("default").timestamp())
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "573112000000",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [{"profile": {"name": "Ana"}, "wa_id": "573001234568"}],
                                "messages": [
                                    {
                                        "from": "573001234568",
                                        "id": f"wamid.{uuid.uuid4().hex}",
                                        "timestamp": str(sent),
                                        "type": "text",
                                        "text": {"body": "#soyclientepremium"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = hmac.new(runtime.settings.whatsapp_app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return {
        "content": raw,
        "headers": {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"},
    }


REQUEST = {"whatsapp.receive_webhook": _first_message, "whatsapp.receive_sandbox_webhook": _first_message}


def _prepare(gateway_client, op) -> dict:
    """The request's arguments, made before any fault is planted (Meta's delivery reads the sandbox's clock)."""
    # A key of its own for every run: a repeated Idempotency-Key would replay the first answer, not call again.
    headers = {k: f"{v}-{uuid.uuid4().hex[:8]}" if k == "Idempotency-Key" else v for k, v in op["headers"].items()}
    made = REQUEST[op["id"]](gateway_client) if op["id"] in REQUEST else {"json": op["body"]}
    return {
        "params": op["query"],
        "token": f"dev-{op['role']}",
        **made,
        "headers": {**headers, **made.get("headers", {})},
    }


def _run(gateway_client, op, prepared: dict | None = None):
    return gateway_client.request(op["method"], op["path"], **(prepared or _prepare(gateway_client, op)))


def _ok(gateway_client, op):
    response = _run(gateway_client, op)
    assert response.status_code < 300, f"planting with {op['id']}: {response.status_code} {response.text}"
    return response


def _fresh(gateway_client, op=None):
    gateway_client.post("/admin/sandboxes/default/reset")
    gateway_client.app.runtime.backoffice.reset_breakers()
    gateway_client.backoffice.accept()
    if op and op["id"] in PLANT:
        PLANT[op["id"]](gateway_client)


def _called(gateway_client, op) -> tuple[object, set[str]]:
    """The example's answer and the systems it called: their business APIs, as their journals record them (not
    the control API the gateway reads sandbox clocks from, nor Meta's webhooks back to the gateway)."""
    prepared = _prepare(gateway_client, op)
    before = len(gateway_client.backoffice.calls)
    response = _run(gateway_client, op, prepared)
    return response, {
        c.system
        for c in gateway_client.backoffice.calls[before:]
        if c.system != "gateway" and not c.path.startswith("/__admin/")
    }


def _dependencies(gateway_client, op) -> set[str]:
    _fresh(gateway_client, op)
    response, systems = _called(gateway_client, op)
    assert response.status_code < 500, f"{op['id']}: the normal run of its example failed: {response.text}"
    if op["id"] in PLANT:
        assert response.status_code < 300, f"{op['id']}: the planted state does not fit: {response.text}"
    return systems


def test_the_list_of_operations_that_call_no_system_names_real_operations():
    assert NO_SYSTEM <= set(BY_ID), NO_SYSTEM - set(BY_ID)


@pytest.mark.parametrize("op", OPERATIONS, ids=[o["id"] for o in OPERATIONS])
def test_every_dependency_failure_is_named(gateway_client, op):
    systems = _dependencies(gateway_client, op)
    if op["id"] in NO_SYSTEM:
        assert systems == set(), f"{op['id']} is listed in NO_SYSTEM but called {sorted(systems)}"
        return
    assert systems, (
        f"{op['id']}'s example called no back-office system: plant the state it needs in PLANT, or "
        "name it in NO_SYSTEM if it never calls one"
    )
    for system in sorted(systems):
        for failure, status in FAILURES.items():
            _fresh(gateway_client, op)
            prepared = _prepare(gateway_client, op)
            if failure == "refused":
                gateway_client.backoffice.refuse(system)
            else:
                rule = {"system": system, "kind": failure} | ({"status": 500} if failure == "error" else {})
                assert gateway_client.post("/admin/faults", json=rule).status_code == 201
            response = _run(gateway_client, op, prepared)
            where = f"{op['id']} with {system} {failure}"
            assert response.status_code != 500, f"{where}: {response.text}"
            assert response.status_code in op["documented"], f"{where}: undocumented {response.status_code}"
            if response.status_code < 300:
                body = response.json()
                views = body if isinstance(body, list) else [body]
                named = {d["system"] for v in views for d in v.get("degraded", [])}
                header = response.headers.get("X-Degraded-Systems", "")
                assert system in named or system in header, f"{where}: a 2xx must list {system} as degraded"
            else:
                assert response.headers["content-type"].startswith("application/problem+json"), where
                problem = response.json()
                assert (response.status_code, problem.get("system")) == (status, system), f"{where}: {problem}"
    _fresh(gateway_client)
