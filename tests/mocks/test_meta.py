"""Meta (WhatsApp Business Cloud API) through HTTP: sends and their records, the 24-hour window on the virtual
clock, templates, Meta's error shapes and auth, and the simulator's signed webhook deliveries (captured in-process
with `responses`): customers' messages and taps, statuses in any order, redelivery, failures, verification, reset."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re

import pytest
import requests
import responses

from claro_backoffice.world.phones import to_wa_id
from tests.support.mocks import TEST_GATEWAY_URL

PNID, WABA = "106540352242922", "102290129340398"
TOKEN = "EAAGClaroPremiumSimuladorAccessToken2026"
SECRET = "5f3c9a1e7b2d4c6e8f0a1b2c3d4e5f60"
HOOK = TEST_GATEWAY_URL + "/whatsapp/webhook"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEND = f"/v20.0/{PNID}/messages"
# Customers of the default world with a seeded history, checked in test_seeded_histories_match_the_world.
FRANCISCO = "573130568954"  # CUS00000003, wrote at 07:40 on the reference day: window open
FREDY = "573228057074"  # CUS00000048, wrote three days before: window closed
# The bot's "¿Deseas hablar con un asesor?" (buttons asesor_si / asesor_no) to Francisco, and his first message.
QUESTION = "wamid.HBgMNTczMTMwNTY4OTU0FQIAERgURTIyNDU0QjU3NUFGMDY5Mzk5RDMA"
FRANCISCO_HOLA = "wamid.HBgMNTczMTMwNTY4OTU0FQIAEhgUMkY1OUJCMjQxRkU3NkYwQ0UzM0YA"
WAMID = re.compile(r"^wamid\.[A-Za-z0-9+/=]+$")


@pytest.fixture
def c(mock_client):
    return mock_client("meta")


class Receiver:
    """The gateway's webhook, in-process: keeps every request (raw body and headers) and answers `status`, or
    raises `error` as the connection would."""

    def __init__(self):
        self.status, self.error, self.calls = 200, None, []

    def __call__(self, request):
        self.calls.append(request)
        return self.error if self.error is not None else (self.status, {}, '{"status": "received"}')

    def payloads(self) -> list[dict]:
        return [json.loads(r.body) for r in self.calls]

    def value(self, n: int = -1) -> dict:
        return self.payloads()[n]["entry"][0]["changes"][0]["value"]


@pytest.fixture
def hook():
    receiver = Receiver()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_callback(responses.POST, HOOK, callback=receiver, content_type=None)
        yield receiver


def freeze(c) -> dt.datetime:
    return dt.datetime.fromisoformat(c.post("/__admin/clock", json={"frozen": True}).json()["now"])


def advance(c, duration: str) -> None:
    assert c.post("/__admin/clock", json={"advance": duration}).status_code == 200


def text(to: str, body: str = "Hola, ¿en qué te puedo ayudar?") -> dict:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": body},
    }


def template(to: str, name: str, values: list[str], language: str = "es_CO", more=()) -> dict:
    components = [{"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}, *more]
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
    }


def send(c, body: dict) -> dict:
    response = c.post(SEND, json=body, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def meta_error(response, status: int, code: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")  # Meta's shape, not problem+json
    error = response.json()["error"]
    assert error["code"] == code and error["fbtrace_id"] and error["type"]
    for fragment in fragments:
        assert fragment in json.dumps(error, ensure_ascii=False), error
    return error


def problem(response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    for fragment in fragments:
        assert fragment in body["detail"], body["detail"]
    return body


def conversation(c, wa_id: str) -> dict:
    response = c.get(f"/simulator/customers/{wa_id}/conversation")
    assert response.status_code == 200, response.text
    return response.json()


def message(c, wa_id: str, wamid: str) -> dict:
    return next(m for m in conversation(c, wa_id)["messages"] if m["wamid"] == wamid)


def customer_says(c, wa_id: str, **body) -> dict:
    response = c.post(f"/simulator/customers/{wa_id}/messages", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def signature_ok(request, secret: str = SECRET) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected)


# ---- the world -------------------------------------------------------------------------------------------------
def test_every_party_is_a_whatsapp_customer(c, world):
    body = c.get("/simulator/customers", params={"limit": 500}).json()
    by_wa = {p["wa_id"]: p for p in body["customers"]}
    assert body["total"] == len(world.tables["parties"]) == len(by_wa)
    for party in world.tables["parties"]:
        profile = by_wa[to_wa_id(party["contact_mobile"])]
        assert profile["customer_id"] == party["customer_id"]
        expected = (
            f"{party['first_name']} {party['last_name'].split(' ')[0]}"
            if party["first_name"]
            else party["business_name"]
        )
        assert profile["profile_name"] == expected
    one = c.get("/simulator/customers", params={"customer_id": "CUS00000003"}).json()
    assert one == {
        "customers": [{"wa_id": FRANCISCO, "profile_name": "Francisco Calderón", "customer_id": "CUS00000003"}],
        "total": 1,
    }


def test_seeded_histories_match_the_world(c, world):
    parties = world.index("parties", "customer_id")
    assert to_wa_id(parties["CUS00000003"]["contact_mobile"]) == FRANCISCO
    assert to_wa_id(parties["CUS00000048"]["contact_mobile"]) == FREDY
    freeze(c)
    francisco = conversation(c, FRANCISCO)
    assert francisco["customer_id"] == "CUS00000003" and francisco["profile_name"] == "Francisco Calderón"
    assert [(m["direction"], m["type"], m["text"]) for m in francisco["messages"]] == [
        ("inbound", "text", "Hola, buenos días"),
        ("outbound", "interactive", "¡Hola Francisco! Bienvenido a Claro Premium. ¿Deseas hablar con un asesor?"),
        ("inbound", "interactive", "Sí"),
    ]
    assert francisco["messages"][0]["wamid"] == FRANCISCO_HOLA and francisco["messages"][1]["wamid"] == QUESTION
    assert [s["status"] for s in francisco["messages"][1]["statuses"]] == ["sent", "delivered", "read"]
    assert francisco["window"] == {
        "open": True,
        "last_customer_message_at": "2026-11-04T07:40:40-05:00",
        "closes_at": "2026-11-05T07:40:40-05:00",
    }
    fredy = conversation(c, FREDY)
    assert fredy["window"]["open"] is False and len(fredy["messages"]) == 9
    assert fredy["messages"][-2]["template"] == {"name": "encuesta_satisfaccion", "language": "es_CO"}
    problem(c.get("/simulator/customers/4915112345678/conversation"), 404, "4915112345678")


def test_business_number_and_templates(c):
    numbers = c.get("/simulator/business-numbers").json()["business_numbers"]
    assert [
        (n["phone_number_id"], n["phone_number"], n["display_phone_number"], n["waba_id"], n["webhook_url"])
        for n in numbers
    ] == [(PNID, "573112000000", "+57 311 2000000", WABA, HOOK)]
    listed = c.get(f"/v20.0/{WABA}/message_templates", headers=AUTH).json()["data"]
    assert {(t["name"], t["language"], t["status"]) for t in listed} == {
        ("bienvenida_premium", "es_CO", "APPROVED"),
        ("bienvenida_premium", "es", "APPROVED"),
        ("seguimiento_caso", "es_CO", "APPROVED"),
        ("encuesta_satisfaccion", "es_CO", "APPROVED"),
        ("recordatorio_visita", "es_CO", "APPROVED"),
        ("promocion_fibra_900", "es_CO", "REJECTED"),
    }
    visit = c.get(
        f"/v20.0/{WABA}/message_templates", params={"name": "recordatorio_visita", "access_token": TOKEN}
    ).json()["data"]
    assert len(visit) == 1 and visit[0]["category"] == "UTILITY"
    assert visit[0]["components"][1] == {
        "type": "BUTTONS",
        "buttons": [
            {"type": "QUICK_REPLY", "text": "Confirmar visita"},
            {"type": "QUICK_REPLY", "text": "Reprogramar"},
        ],
    }
    assert visit[0]["components"][0]["text"].count("{{") == 4
    meta_error(c.get(f"/v20.0/{WABA}/message_templates"), 401, 190)
    meta_error(c.get("/v20.0/999999999/message_templates", headers=AUTH), 404, 100, "999999999")


# ---- sending ---------------------------------------------------------------------------------------------------
def test_text_inside_the_window_is_accepted_and_recorded(c):
    now = freeze(c)
    answer = send(c, text("3130568954", "Hola Francisco, te saluda Andrea de Claro Premium."))
    assert answer["messaging_product"] == "whatsapp"
    assert answer["contacts"] == [{"input": "3130568954", "wa_id": FRANCISCO}]
    wamid = answer["messages"][0]["id"]
    assert WAMID.match(wamid) and "message_status" not in answer["messages"][0]
    sent = message(c, FRANCISCO, wamid)
    assert (sent["direction"], sent["type"], sent["text"], sent["status"], sent["error"]) == (
        "outbound",
        "text",
        "Hola Francisco, te saluda Andrea de Claro Premium.",
        "accepted",
        None,
    )
    assert sent["created_at"] == now.replace(microsecond=0).isoformat()
    assert sent["timestamp"] == str(int(now.timestamp())) and sent["statuses"] == []
    assert sent["content"] == {"type": "text", "text": {"body": "Hola Francisco, te saluda Andrea de Claro Premium."}}


def test_free_form_fails_131047_once_24_hours_pass_and_templates_still_go(c, hook):
    freeze(c)
    customer_says(c, FREDY, text="Hola, sigo sin factura")
    advance(c, "PT23H59M59S")
    inside = send(c, text(FREDY))["messages"][0]["id"]
    assert message(c, FREDY, inside)["status"] == "accepted"
    advance(c, "PT1S")
    outside = send(c, text(FREDY))["messages"][0]["id"]  # Meta accepts it, then reports the failure
    failed = message(c, FREDY, outside)
    assert failed["status"] == "failed" and failed["error"]["code"] == 131047
    assert failed["error"]["title"] == "Re-engagement message"
    assert conversation(c, FREDY)["window"]["open"] is False
    assert len(hook.calls) == 1  # statuses wait for the simulator (no auto_statuses)
    report = c.post(f"/simulator/messages/{outside}/statuses", json={"status": "failed"})
    assert report.status_code == 201, report.text
    status = hook.value()["statuses"][0]
    assert (status["id"], status["status"], status["recipient_id"]) == (outside, "failed", FREDY)
    assert status["errors"][0]["code"] == 131047 and "24 hours" in status["errors"][0]["error_data"]["details"]
    problem(c.post(f"/simulator/messages/{outside}/statuses", json={"status": "delivered"}), 409, "131047")
    follow_up = send(c, template(FREDY, "seguimiento_caso", ["Fredy", "PQR 2026110400123", "tu factura fue ajustada"]))
    assert follow_up["messages"][0]["message_status"] == "accepted"
    assert message(c, FREDY, follow_up["messages"][0]["id"])["status"] == "accepted"
    interactive = {
        "messaging_product": "whatsapp",
        "to": FREDY,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "¿Te ayudamos?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "si", "title": "Sí"}}]},
        },
    }
    assert message(c, FREDY, send(c, interactive)["messages"][0]["id"])["error"]["code"] == 131047
    customer_says(c, FREDY, text="Sí, cuéntame")  # the customer writes again: the window reopens
    assert message(c, FREDY, send(c, text(FREDY))["messages"][0]["id"])["status"] == "accepted"


def test_window_errors_in_the_response_when_the_number_says_so(c):
    patch = {
        "changes": [
            {
                "table": "business_numbers",
                "update": {"where": {"phone_number_id": PNID}, "set": {"window_errors": "response"}},
            }
        ]
    }
    assert c.post("/__admin/fixtures", json=patch).status_code == 200
    before = len(conversation(c, FREDY)["messages"])
    meta_error(c.post(SEND, json=text(FREDY), headers=AUTH), 400, 131047, "24 hours")
    assert len(conversation(c, FREDY)["messages"]) == before
    send(c, text(FRANCISCO))  # inside the window nothing changes


def test_fixture_plants_a_customer_message_that_opens_the_window(c, world):
    luz = to_wa_id(world.index("parties", "customer_id")["CUS00000001"]["contact_mobile"])
    freeze(c)  # 2026-11-04 08:00
    assert message(c, luz, send(c, text(luz))["messages"][0]["id"])["error"]["code"] == 131047
    planted = {
        "table": "messages",
        "insert": [
            {
                "wamid": "wamid.HBgMNTczMzM5MDk5MzcwFQIAEhgUUExBTlRFRDAwMDAwMDAwMDAwMQA=",
                "phone_number_id": PNID,
                "wa_id": luz,
                "direction": "inbound",
                "type": "text",
                "text": "Hola",
                "content": {"type": "text"},
                "status": "received",
                "created_at": "2026-11-03T09:00:00-05:00",
            }
        ],
    }
    assert c.post("/__admin/fixtures", json={"changes": [planted]}).status_code == 200
    assert conversation(c, luz)["window"] == {
        "open": True,
        "last_customer_message_at": "2026-11-03T09:00:00-05:00",
        "closes_at": "2026-11-04T09:00:00-05:00",
    }
    assert message(c, luz, send(c, text(luz))["messages"][0]["id"])["status"] == "accepted"
    advance(c, "PT1H")
    assert message(c, luz, send(c, text(luz))["messages"][0]["id"])["status"] == "failed"


def test_a_fixed_line_is_not_on_whatsapp(c):
    wamid = send(c, template("576015551234", "bienvenida_premium", ["Luz"]))["messages"][0]["id"]
    assert message(c, "576015551234", wamid)["error"]["code"] == 131026
    meta_error(c.post(SEND, json=text("573112000000"), headers=AUTH), 400, 131021, "573112000000")


def test_template_is_rendered_with_its_parameters(c):
    values = ["Francisco", "5 de noviembre", "9:00 y 11:00", "LLS0000123456"]
    wamid = send(c, template(FRANCISCO, "recordatorio_visita", values))["messages"][0]["id"]
    sent = message(c, FRANCISCO, wamid)
    assert sent["template"] == {"name": "recordatorio_visita", "language": "es_CO"}
    assert sent["text"] == (
        "Hola Francisco, te recordamos la visita técnica de Claro programada para el 5 de "
        "noviembre entre las 9:00 y 11:00 (orden LLS0000123456). Si necesitas reprogramarla, "
        "responde a este mensaje."
    )
    spanish = send(c, template(FRANCISCO, "bienvenida_premium", ["Francisco"], language="es"))
    assert message(c, FRANCISCO, spanish["messages"][0]["id"])["text"].startswith("¡Hola Francisco! Bienvenido a")


def test_template_errors_have_meta_codes(c):
    before = len(conversation(c, FRANCISCO)["messages"])
    meta_error(
        c.post(SEND, json=template(FRANCISCO, "bienvenida", ["x"]), headers=AUTH),
        404,
        132001,
        "template name (bienvenida) does not exist in es_CO",
    )
    meta_error(
        c.post(SEND, json=template(FRANCISCO, "seguimiento_caso", ["a", "b", "c"], language="en_US"), headers=AUTH),
        404,
        132001,
        "does not exist in en_US",
    )
    meta_error(
        c.post(SEND, json=template(FRANCISCO, "promocion_fibra_900", ["a", "b"]), headers=AUTH), 404, 132001, "REJECTED"
    )
    error = meta_error(
        c.post(SEND, json=template(FRANCISCO, "seguimiento_caso", ["Francisco", "PQR 1"]), headers=AUTH),
        400,
        132000,
        "(2)",
        "(3)",
        "seguimiento_caso",
    )
    assert error["message"] == "(#132000) Number of parameters does not match the expected number of params"
    assert error["type"] == "OAuthException" and error["error_data"]["messaging_product"] == "whatsapp"
    bad_type = template(FRANCISCO, "bienvenida_premium", [])
    bad_type["template"]["components"][0]["parameters"] = [{"type": "payload", "payload": "x"}]
    meta_error(c.post(SEND, json=bad_type, headers=AUTH), 400, 131009, "type text")
    bad_button = template(
        FRANCISCO,
        "bienvenida_premium",
        ["Francisco"],
        more=[
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": "0",
                "parameters": [{"type": "payload", "payload": "x"}],
            }
        ],
    )
    meta_error(c.post(SEND, json=bad_button, headers=AUTH), 400, 131009, "index below 0")
    assert len(conversation(c, FRANCISCO)["messages"]) == before


def test_access_token_and_unknown_objects(c):
    meta_error(c.post(SEND, json=text(FRANCISCO)), 401, 190)
    meta_error(
        c.post(SEND, json=text(FRANCISCO), headers={"Authorization": "Bearer EAAGotro"}),
        401,
        190,
        "Invalid OAuth access token",
    )
    assert c.post(SEND, json=text(FRANCISCO), params={"access_token": TOKEN}).status_code == 200
    error = meta_error(
        c.post("/v20.0/123456789012345/messages", json=text(FRANCISCO), headers=AUTH), 404, 100, "123456789012345"
    )
    assert error["error_subcode"] == 33 and error["type"] == "GraphMethodException"
    body = problem(
        c.post(SEND, json={"messaging_product": "whatsapp", "to": FRANCISCO, "type": "text"}, headers=AUTH), 400
    )
    assert body["title"] == "Bad Request"
    assert c.post("/v20/106540352242922/messages", json=text(FRANCISCO), headers=AUTH).status_code == 400


def test_marking_a_customer_message_read(c, hook):
    freeze(c)
    assert send(c, {"messaging_product": "whatsapp", "status": "read", "message_id": FRANCISCO_HOLA}) == {
        "success": True
    }
    assert message(c, FRANCISCO, FRANCISCO_HOLA)["read_by_business_at"] == "2026-11-04T07:40:02-05:00"  # seeded
    hola = customer_says(c, FRANCISCO, text="¿Hay alguien?")["message"]["wamid"]
    assert message(c, FRANCISCO, hola)["read_by_business_at"] is None
    send(c, {"messaging_product": "whatsapp", "status": "read", "message_id": hola})
    assert message(c, FRANCISCO, hola)["read_by_business_at"] == c.get("/__admin/clock").json()["now"][:19] + "-05:00"
    meta_error(
        c.post(SEND, json={"messaging_product": "whatsapp", "status": "read", "message_id": QUESTION}, headers=AUTH),
        404,
        100,
        QUESTION,
    )


# ---- the customer's side and the webhook ----------------------------------------------------------------------
def test_customer_message_is_delivered_as_meta_sends_it(c, hook):
    now = freeze(c)
    answer = customer_says(c, FRANCISCO, text="Tengo intermitencia en el internet desde ayer")
    assert len(hook.calls) == 1
    request = hook.calls[0]
    assert request.url == HOOK and request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Sandbox"] == "default" and signature_ok(request)
    legacy = hmac.new(SECRET.encode(), request.body, hashlib.sha1).hexdigest()
    assert request.headers["X-Hub-Signature"] == "sha1=" + legacy
    payload = json.loads(request.body)
    assert payload["object"] == "whatsapp_business_account"
    entry = payload["entry"][0]
    assert entry["id"] == WABA and entry["changes"][0]["field"] == "messages"
    value = entry["changes"][0]["value"]
    assert value["messaging_product"] == "whatsapp"
    assert value["metadata"] == {"display_phone_number": "573112000000", "phone_number_id": PNID}
    assert value["contacts"] == [{"profile": {"name": "Francisco Calderón"}, "wa_id": FRANCISCO}]
    sent = value["messages"][0]
    assert sent == {
        "from": FRANCISCO,
        "id": answer["message"]["wamid"],
        "timestamp": str(int(now.timestamp())),
        "text": {"body": "Tengo intermitencia en el internet desde ayer"},
        "type": "text",
    }
    delivery = answer["delivery"]
    assert (delivery["outcome"], delivery["status_code"], delivery["kind"], delivery["signature"]) == (
        "delivered",
        200,
        "message",
        "valid",
    )
    assert delivery["response_excerpt"] == '{"status": "received"}' and delivery["payload"] == payload
    assert message(c, FRANCISCO, sent["id"])["status"] == "received"


def test_non_ascii_text_is_signed_over_the_raw_bytes(c, hook):
    customer_says(c, FRANCISCO, text="Sí, Señor: ¿qué pasó con mi módem? 📶")
    escaped = hook.calls[-1]
    assert signature_ok(escaped)
    assert b"S\\u00ed, Se\\u00f1or" in escaped.body and escaped.body.isascii()  # Meta escapes non-ASCII
    assert (
        json.loads(escaped.body)["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"]
        == "Sí, Señor: ¿qué pasó con mi módem? 📶"
    )
    # A receiver that re-serialises the JSON instead of hashing the raw bytes gets another signature.
    reserialised = json.dumps(json.loads(escaped.body), ensure_ascii=False).encode()
    assert (
        "sha256=" + hmac.new(SECRET.encode(), reserialised, hashlib.sha256).hexdigest()
        != escaped.headers["X-Hub-Signature-256"]
    )
    settings = c.patch(f"/simulator/business-numbers/{PNID}/settings", json={"escape_unicode": False})
    assert settings.status_code == 200 and settings.json()["escape_unicode"] is False
    customer_says(c, FRANCISCO, text="Sí, Señor", profile_name="Pacho Calderón")
    raw = hook.calls[-1]
    assert "Sí, Señor".encode() in raw.body and "Pacho Calderón".encode() in raw.body
    assert signature_ok(raw)
    assert conversation(c, FRANCISCO)["profile_name"] == "Pacho Calderón"


def test_wrong_or_missing_signature_on_request(c, hook):
    bad = customer_says(c, FRANCISCO, text="firma mala", signature="invalid")
    assert bad["delivery"]["signature"] == "invalid"
    assert hook.calls[-1].headers["X-Hub-Signature-256"].startswith("sha256=") and not signature_ok(hook.calls[-1])
    customer_says(c, FRANCISCO, text="sin firma", signature="missing")
    assert "X-Hub-Signature-256" not in hook.calls[-1].headers and "X-Hub-Signature" not in hook.calls[-1].headers


def test_app_secret_change_signs_with_the_new_secret(c, hook):
    changed = c.patch(f"/simulator/business-numbers/{PNID}/settings", json={"app_secret": "otro-secreto"})
    assert changed.json()["app_secret"] == "otro-secreto"
    customer_says(c, FRANCISCO, text="Hola")
    assert signature_ok(hook.calls[-1], "otro-secreto") and not signature_ok(hook.calls[-1])


def test_button_tap_on_an_interactive_message(c, hook):
    freeze(c)
    tap = customer_says(c, FRANCISCO, button_reply={"context_wamid": QUESTION, "title": "No"})
    value = hook.value()
    got = value["messages"][0]
    assert got["type"] == "interactive" and got["context"] == {"from": "573112000000", "id": QUESTION}
    assert got["interactive"] == {"type": "button_reply", "button_reply": {"id": "asesor_no", "title": "No"}}
    assert tap["message"]["text"] == "No" and tap["message"]["context_wamid"] == QUESTION
    body = problem(
        c.post(
            f"/simulator/customers/{FRANCISCO}/messages",
            json={"button_reply": {"context_wamid": QUESTION, "id": "tal_vez"}},
        ),
        422,
        "asesor_si (Sí)",
        "asesor_no (No)",
    )
    assert body["type"].endswith("unknown-button")
    problem(
        c.post(f"/simulator/customers/{FRANCISCO}/messages", json={"button_reply": {"context_wamid": QUESTION}}),
        422,
        "neither id nor title",
    )
    problem(
        c.post(
            f"/simulator/customers/{FREDY}/messages",
            json={"button_reply": {"context_wamid": QUESTION, "id": "asesor_si"}},
        ),
        404,
        QUESTION,
        FREDY,
    )
    plain = send(c, text(FRANCISCO))["messages"][0]["id"]
    problem(
        c.post(
            f"/simulator/customers/{FRANCISCO}/messages", json={"button_reply": {"context_wamid": plain, "id": "x"}}
        ),
        422,
        "no reply buttons",
    )
    problem(
        c.post(
            f"/simulator/customers/{FRANCISCO}/messages",
            json={"button_reply": {"context_wamid": FRANCISCO_HOLA, "id": "x"}},
        ),
        422,
        "customer",
    )
    quoted = customer_says(c, FRANCISCO, text="¿Y esto?", context_wamid=plain)
    assert hook.value()["messages"][0]["context"] == {"from": "573112000000", "id": plain}
    assert quoted["message"]["context_wamid"] == plain


def test_quick_reply_on_a_template_arrives_as_a_button(c, hook):
    body = template(
        FREDY,
        "seguimiento_caso",
        ["Fredy", "PQR 2026110400123", "tu factura fue ajustada"],
        more=[
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": "0",
                "parameters": [{"type": "payload", "payload": "CONTINUAR-PQR-2026110400123"}],
            }
        ],
    )
    wamid = send(c, body)["messages"][0]["id"]
    customer_says(c, FREDY, button_reply={"context_wamid": wamid, "title": "Sí, continuar"})
    got = hook.value()["messages"][0]
    assert got["type"] == "button" and got["button"] == {
        "payload": "CONTINUAR-PQR-2026110400123",
        "text": "Sí, continuar",
    }
    customer_says(c, FREDY, button_reply={"context_wamid": wamid, "title": "No, gracias"})
    assert hook.value()["messages"][0]["button"] == {
        "payload": "No, gracias",
        "text": "No, gracias",
    }  # no payload given for that button: its text
    assert conversation(c, FREDY)["window"]["open"] is True  # tapping is the customer writing


def test_a_failed_message_has_no_button_to_tap(c, hook):
    survey = {
        "messaging_product": "whatsapp",
        "to": FREDY,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "¿Seguimos?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "si", "title": "Sí"}}]},
        },
    }
    wamid = send(c, survey)["messages"][0]["id"]  # outside Fredy's window: failed
    problem(
        c.post(f"/simulator/customers/{FREDY}/messages", json={"button_reply": {"context_wamid": wamid, "id": "si"}}),
        422,
        "never reached",
    )


def test_statuses_in_any_order(c, hook):
    start = freeze(c)
    wamid = send(c, text(FRANCISCO))["messages"][0]["id"]
    for status, later in (("read", "PT10S"), ("delivered", "PT5S"), ("sent", "PT1S")):
        advance(c, later)
        answer = c.post(f"/simulator/messages/{wamid}/statuses", json={"status": status})
        assert answer.status_code == 201, answer.text
        assert answer.json()["message"]["status"] == status
    statuses = [hook.value(n)["statuses"][0] for n in range(len(hook.calls))]
    assert [s["status"] for s in statuses] == ["read", "delivered", "sent"]
    assert all(s["id"] == wamid and s["recipient_id"] == FRANCISCO for s in statuses)
    assert [int(s["timestamp"]) - int(start.timestamp()) for s in statuses] == [10, 15, 16]
    assert statuses[0]["pricing"] == {"billable": False, "pricing_model": "PMP", "category": "service"}
    assert all(signature_ok(r) for r in hook.calls)
    recorded = message(c, FRANCISCO, wamid)
    assert [s["status"] for s in recorded["statuses"]] == ["read", "delivered", "sent"]
    listed = c.get("/simulator/deliveries", params={"wamid": wamid}).json()["deliveries"]
    deliveries = [d["delivery_id"] for d in listed]
    assert [s["delivery_id"] for s in recorded["statuses"]] == sorted(deliveries)
    assert c.post(f"/simulator/messages/{wamid}/statuses", json={"status": "delivered"}).status_code == 201  # again
    problem(c.post(f"/simulator/messages/{wamid}/statuses", json={"status": "failed"}), 409, "already")
    problem(
        c.post(f"/simulator/messages/{wamid}/statuses", json={"status": "read", "error_code": 131026}), 422, "failed"
    )
    problem(c.post(f"/simulator/messages/{FRANCISCO_HOLA}/statuses", json={"status": "read"}), 422, "customer")
    problem(c.post("/simulator/messages/wamid.HBgMNTczMDAwMDAwMDAw/statuses", json={"status": "read"}), 404)


def test_failure_with_a_chosen_error_code(c, hook):
    wamid = send(c, text(FRANCISCO))["messages"][0]["id"]
    c.post(f"/simulator/messages/{wamid}/statuses", json={"status": "sent"})
    answer = c.post(f"/simulator/messages/{wamid}/statuses", json={"status": "failed", "error_code": 131049})
    assert answer.status_code == 201
    assert answer.json()["status"]["errors"][0]["code"] == 131049 and "pricing" not in answer.json()["status"]
    assert message(c, FRANCISCO, wamid)["error"]["code"] == 131049


def test_auto_statuses_follow_each_send(c, hook):
    settings = c.patch(f"/simulator/business-numbers/{PNID}/settings", json={"auto_statuses": ["sent", "delivered"]})
    assert settings.json()["auto_statuses"] == ["sent", "delivered"]
    wamid = send(c, template(FREDY, "encuesta_satisfaccion", ["Fredy"]))["messages"][0]["id"]
    statuses = [hook.value(n)["statuses"][0] for n in range(len(hook.calls))]
    assert [(s["id"], s["status"]) for s in statuses] == [(wamid, "sent"), (wamid, "delivered")]
    assert statuses[0]["pricing"]["category"] == "utility" and statuses[0]["pricing"]["billable"] is True
    assert message(c, FREDY, wamid)["status"] == "delivered"
    failed = send(c, text(FREDY))["messages"][0]["id"]  # outside the window: only `failed` follows
    last = hook.value()["statuses"][0]
    assert (last["id"], last["status"], last["errors"][0]["code"], len(hook.calls)) == (failed, "failed", 131047, 3)


def test_redelivery_repeats_the_same_body_and_wamid(c, hook):
    first = customer_says(c, FRANCISCO, text="Hola")
    again = c.post(f"/simulator/deliveries/{first['delivery']['delivery_id']}/redeliver")
    assert again.status_code == 201, again.text
    repeated = again.json()
    assert repeated["redelivery_of"] == first["delivery"]["delivery_id"]
    assert repeated["delivery_id"] > first["delivery"]["delivery_id"] and repeated["wamid"] == first["message"]["wamid"]
    assert hook.calls[0].body == hook.calls[1].body and signature_ok(hook.calls[1])
    assert hook.calls[0].headers["X-Hub-Signature-256"] == hook.calls[1].headers["X-Hub-Signature-256"]
    assert len([m for m in conversation(c, FRANCISCO)["messages"] if m["text"] == "Hola"]) == 1
    seeded = c.post("/simulator/deliveries/1/redeliver").json()  # Francisco's "Hola, buenos días" at 07:40
    assert seeded["payload"]["entry"][0]["changes"][0]["value"]["messages"][0]["id"] == FRANCISCO_HOLA
    problem(c.post("/simulator/deliveries/999999/redeliver"), 404, "999999")


def test_delivery_failures_are_recorded_not_swallowed(c, hook):
    hook.status = 500
    rejected = customer_says(c, FRANCISCO, text="¿Hola?")["delivery"]
    assert (rejected["outcome"], rejected["status_code"], rejected["error"]) == ("rejected", 500, None)
    hook.error = requests.ConnectionError("Connection refused")
    unreachable = customer_says(c, FRANCISCO, text="¿Alguien?")["delivery"]
    assert unreachable["outcome"] == "unreachable" and unreachable["status_code"] is None
    assert "Connection refused" in unreachable["error"]
    hook.error = requests.ReadTimeout("read timed out")
    timeout = c.post(f"/simulator/messages/{QUESTION}/statuses", json={"status": "read"}).json()["delivery"]
    assert timeout["outcome"] == "timeout" and "ReadTimeout" in timeout["error"]
    listed = c.get("/simulator/deliveries", params={"wa_id": FRANCISCO, "limit": 3}).json()["deliveries"]
    assert [d["outcome"] for d in listed] == ["timeout", "unreachable", "rejected"]
    assert [
        d["delivery_id"] for d in c.get("/simulator/deliveries", params={"outcome": "rejected"}).json()["deliveries"]
    ] == [rejected["delivery_id"]]
    hook.error, hook.status = None, 200
    retried = c.post(f"/simulator/deliveries/{unreachable['delivery_id']}/redeliver").json()
    assert retried["outcome"] == "delivered"


def test_unreachable_webhook_is_reported_with_a_2xx(c):
    hook = c.patch(
        f"/simulator/business-numbers/{PNID}/settings",
        json={"webhook_url": "http://127.0.0.1:9/webhook", "webhook_timeout_seconds": 0.5},
    )
    assert hook.json()["webhook_url"] == "http://127.0.0.1:9/webhook"
    answer = c.post(f"/simulator/customers/{FRANCISCO}/messages", json={"text": "Hola"})
    assert answer.status_code == 201
    assert answer.json()["delivery"]["outcome"] == "unreachable"
    assert answer.json()["delivery"]["url"] == "http://127.0.0.1:9/webhook"


def test_webhook_verification(c):
    def gateway(request):
        query = dict(p.split("=", 1) for p in request.url.split("?", 1)[1].split("&"))
        if query["hub.mode"] == "subscribe" and query["hub.verify_token"] == "claro-premium-verify-token":
            return 200, {}, query["hub.challenge"]
        return 403, {}, "forbidden"

    with responses.RequestsMock() as mocked:
        mocked.add_callback(responses.GET, re.compile(re.escape(HOOK) + r"\?.*"), callback=gateway)
        good = c.get("/simulator/webhook-verification", params={"challenge": "1158201444"}).json()
        wrong = c.get("/simulator/webhook-verification", params={"verify_token": "otro"}).json()
    assert (good["verified"], good["status_code"], good["response_excerpt"], good["challenge"]) == (
        True,
        200,
        "1158201444",
        "1158201444",
    )
    assert good["verify_token"] == "claro-premium-verify-token" and good["url"] == HOOK
    assert (wrong["verified"], wrong["status_code"], wrong["verify_token"]) == (False, 403, "otro")
    problem(c.get("/simulator/webhook-verification", params={"phone_number_id": "999999"}), 404, "999999")


def test_a_stranger_can_write_too(c, hook):
    answer = customer_says(c, "573001112233", text="#soyclientepremium", profile_name="Ana")
    assert hook.value()["contacts"][0] == {"profile": {"name": "Ana"}, "wa_id": "573001112233"}
    stranger = conversation(c, "573001112233")
    assert (stranger["customer_id"], stranger["profile_name"], stranger["window"]["open"]) == (None, "Ana", True)
    assert [m["wamid"] for m in stranger["messages"]] == [answer["message"]["wamid"]]
    problem(c.post("/simulator/customers/573112000000/messages", json={"text": "yo"}), 422, "business number")
    problem(
        c.post(f"/simulator/customers/{FRANCISCO}/messages", json={"text": "x", "phone_number_id": "999999"}),
        404,
        "999999",
    )
    assert c.post(f"/simulator/customers/{FRANCISCO}/messages", json={}).status_code == 400


def test_settings_changes_and_reset_restores_everything(c, hook):
    changed = c.patch(
        f"/simulator/business-numbers/{PNID}/settings",
        json={"webhook_url": "http://gateway.local/api/v1/whatsapp/webhook", "verify_token": "nuevo"},
    ).json()
    assert (changed["webhook_url"], changed["verify_token"]) == (
        "http://gateway.local/api/v1/whatsapp/webhook",
        "nuevo",
    )
    problem(c.patch("/simulator/business-numbers/999999/settings", json={"verify_token": "x"}), 404, "999999")
    fixture_only = c.patch(f"/simulator/business-numbers/{PNID}/settings", json={"window_errors": "response"})
    assert fixture_only.status_code == 400
    send(c, text(FRANCISCO))
    before = len(c.get("/simulator/deliveries", params={"limit": 500}).json()["deliveries"])
    c.patch(f"/simulator/business-numbers/{PNID}/settings", json={"webhook_url": HOOK})
    customer_says(c, FRANCISCO, text="Hola")
    assert len(conversation(c, FRANCISCO)["messages"]) == 5
    assert c.post("/__admin/reset").status_code == 200
    assert len(conversation(c, FRANCISCO)["messages"]) == 3
    assert len(c.get("/simulator/deliveries", params={"limit": 500}).json()["deliveries"]) == before == 22
    number = c.get("/simulator/business-numbers").json()["business_numbers"][0]
    assert (number["webhook_url"], number["verify_token"]) == (HOOK, "claro-premium-verify-token")
