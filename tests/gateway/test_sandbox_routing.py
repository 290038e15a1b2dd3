"""What a router in front of several replicas needs (README "Scaling out"): every request names its sandbox in a
header or the path. Creating a sandbox takes X-Sandbox and refuses one that is not the body's name; Meta's
deliveries may name their sandbox in the webhook's path instead of X-Sandbox, with the same signature check."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from claro_backoffice.world.channel import business_number
from tests.support.mocks import TEST_GATEWAY_URL

SANDBOX = "aula-9--ana"


@pytest.fixture
def sandbox(gateway_client):
    yield SANDBOX
    gateway_client.delete(f"/admin/sandboxes/{SANDBOX}")


def test_creating_a_sandbox_with_its_name_in_x_sandbox(gateway_client, sandbox):
    created = gateway_client.post("/admin/sandboxes", json={"name": sandbox}, sandbox=sandbox)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == sandbox and {r["outcome"] for r in created.json()["results"]} == {"created"}


def test_x_sandbox_naming_another_sandbox_is_a_422_and_nothing_is_created(gateway_client, sandbox):
    refused = gateway_client.post("/admin/sandboxes", json={"name": sandbox}, sandbox="aula-9--luis")
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert "X-Sandbox 'aula-9--luis' is not the sandbox being created ('aula-9--ana')" in refused.json()["detail"]
    listed = {s["name"] for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]}
    assert sandbox not in listed and "aula-9--luis" not in listed


def _delivery(sandbox: str, text: str) -> dict:
    """A customer's text as Meta delivers it, to the business number of `sandbox`."""
    number = business_number(sandbox)
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": number["display_phone_number"],
                                "phone_number_id": number["phone_number_id"],
                            },
                            "contacts": [{"wa_id": "573001112233", "profile": {"name": "Ana"}}],
                            "messages": [
                                {
                                    "from": "573001112233",
                                    "id": f"wamid.routing-{sandbox}-{len(text)}",
                                    "timestamp": "1764547200",
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def _post(gateway_client, path: str, payload: dict, secret: str | None):
    raw = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return gateway_client.request("POST", path, token=None, content=raw, headers=headers)


def test_a_delivery_to_the_sandbox_path_is_taken_in_that_sandbox(gateway_client, sandbox):
    secret = gateway_client.app.runtime.settings.whatsapp_app_secret
    assert gateway_client.post("/admin/sandboxes", json={"name": sandbox}, sandbox=sandbox).status_code == 201
    taken = _post(gateway_client, f"/whatsapp/webhook/{sandbox}", _delivery(sandbox, "Hola"), secret)
    assert taken.status_code == 200, taken.text
    assert taken.json() == {"messages": 1, "statuses": 0, "duplicates": 0}
    [conversation] = gateway_client.get("/conversations", sandbox=sandbox).json()["conversations"]
    assert conversation["waId"] == "573001112233"
    assert gateway_client.get("/conversations").json()["total"] == 0  # not in default


def test_the_sandbox_path_checks_the_signature_the_sandbox_and_its_number_first(gateway_client, sandbox):
    secret = gateway_client.app.runtime.settings.whatsapp_app_secret
    payload = _delivery(sandbox, "Hola")
    unsigned = _post(gateway_client, f"/whatsapp/webhook/{sandbox}", payload, None)
    assert unsigned.status_code == 401  # before anything about the sandbox is said
    unknown = _post(gateway_client, f"/whatsapp/webhook/{sandbox}", payload, secret)
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("/unknown-sandbox"), unknown.text
    assert gateway_client.post("/admin/sandboxes", json={"name": sandbox}, sandbox=sandbox).status_code == 201
    # default's number at the path of aula-9--ana: refused whole, nothing taken in either sandbox
    elsewhere = _post(gateway_client, f"/whatsapp/webhook/{sandbox}", _delivery("default", "Hola"), secret)
    assert elsewhere.status_code == 422, elsewhere.text
    assert f"is not the business number of sandbox '{sandbox}'" in elsewhere.json()["detail"]
    assert gateway_client.get("/conversations").json()["total"] == 0
    assert gateway_client.get("/conversations", sandbox=sandbox).json()["total"] == 0


def test_meta_delivers_to_a_webhook_url_that_names_the_sandbox(gateway_client, sandbox):
    """Meta's simulator, its number's webhook URL set to the sandbox path: the handshake and a delivery work."""
    assert gateway_client.post("/admin/sandboxes", json={"name": sandbox}, sandbox=sandbox).status_code == 201
    meta, number = gateway_client.backoffice.client("meta"), business_number(sandbox)["phone_number_id"]
    url = f"{TEST_GATEWAY_URL}/whatsapp/webhook/{sandbox}"
    changed = meta.patch(
        f"/simulator/business-numbers/{number}/settings", json={"webhook_url": url}, headers={"X-Sandbox": sandbox}
    )
    assert changed.status_code == 200, changed.text
    verified = meta.get(
        "/simulator/webhook-verification", params={"phone_number_id": number}, headers={"X-Sandbox": sandbox}
    )
    assert verified.status_code == 200 and verified.json()["verified"], verified.text
    sent = meta.post(
        "/simulator/customers/573001112244/messages", json={"text": "Hola"}, headers={"X-Sandbox": sandbox}
    )
    assert sent.status_code == 201 and sent.json()["delivery"]["status_code"] == 200, sent.text
    assert sent.json()["delivery"]["url"] == url
    assert gateway_client.get("/conversations", sandbox=sandbox).json()["total"] == 1
