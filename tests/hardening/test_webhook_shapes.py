"""Issue 12, item 4: a correctly signed WhatsApp webhook whose fields have the wrong type was a 500 halfway through
(int('abc'), a string's .get). gateway.yaml's WebhookDelivery declares the shape the gateway reads, so it is a 400
(Meta does not redeliver a 4xx), nothing is stored, and the log says which field was wrong."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import logging

import pytest

SECRET = "5f3c9a1e7b2d4c6e8f0a1b2c3d4e5f60"  # the simulator's seeded app secret, the gateway's default
DEFAULT_NUMBER_ID = "106540352242922"
WA_ID = "573001234567"

GOOD = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": "573112000000", "phone_number_id": DEFAULT_NUMBER_ID},
                        "contacts": [{"wa_id": WA_ID, "profile": {"name": "Ana"}}],
                        "messages": [
                            {
                                "from": WA_ID,
                                "id": "wamid.HARDENING1",
                                "timestamp": "1764835200",
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


def _value(payload: dict) -> dict:
    return payload["entry"][0]["changes"][0]["value"]


def _broken(change) -> dict:
    payload = copy.deepcopy(GOOD)
    change(_value(payload))
    return payload


def _post(gateway_client, payload: dict):
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return gateway_client.post(
        "/whatsapp/webhook",
        content=raw,
        token=None,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )


CASES = {
    "timestamp not digits": (lambda v: v["messages"][0].update(timestamp="abc"), "timestamp"),
    "timestamp beyond any date": (lambda v: v["messages"][0].update(timestamp="99999999999999999999"), "timestamp"),
    "messages an object": (lambda v: v.update(messages=v["messages"][0]), "messages"),
    "a contact a string": (lambda v: v.update(contacts=[WA_ID]), "contacts"),
    "metadata a string": (lambda v: v.update(metadata=DEFAULT_NUMBER_ID), "metadata"),
    "a status timestamp not digits": (
        lambda v: v.update(statuses=[{"id": "wamid.X", "status": "read", "timestamp": "ayer"}]),
        "timestamp",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_signed_webhook_with_a_wrongly_typed_field_is_a_400_and_stores_nothing(gateway_client, caplog, name):
    change, field = CASES[name]
    caplog.set_level(logging.WARNING)
    answer = _post(gateway_client, _broken(change))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    detail = answer.json()["detail"]
    assert field in detail, detail
    assert gateway_client.get("/conversations").json()["total"] == 0
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("/whatsapp/webhook" in line and field in line for line in logged), logged


def test_the_same_webhook_well_typed_is_taken(gateway_client):
    answer = _post(gateway_client, GOOD)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"messages": 1, "statuses": 0, "duplicates": 0}
    [conversation] = gateway_client.get("/conversations").json()["conversations"]
    assert conversation["entry"] == "hashtag"
