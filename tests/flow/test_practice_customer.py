"""Practice mode through /api/v1 only: a trainee handles `modem-without-sync` against the scenario's scripted
customer, who greets, gives the document only when asked, answers the diagnostics questions, reacts to the back
office (the diagnosis, the visit) and answers the closing question and the survey, each line a delay of virtual
time after what it answers. The same actions give the same conversation, in another sandbox too."""

from __future__ import annotations

import pytest
import requests

from claro_backoffice.gateway.services import scenarios
from tests.flow.driver import InProcess, OverHttp
from tests.flow.flows import CALLBACK, START, new_sandbox
from tests.support.advisors import active_asesor
from tests.support.server import running_server

NAME = "modem-without-sync"


class Trainee:
    """What a trainee's screen does: gateway calls with the trainee's token, reading the chat as a screen polls it."""

    def __init__(self, d):
        self.d, self.conversation, self.case = d, "", ""

    def later(self, seconds: int) -> None:
        """Virtual time passes (the trainer's frozen clock moved), then the screen reads the chat again."""
        self.d.ok("POST", "/admin/clock", json={"advance": f"PT{seconds}S"})
        self.d.ok("GET", "/conversations")

    def chat(self) -> list[tuple[str, str]]:
        messages = self.d.ok("GET", f"/conversations/{self.conversation}")["messages"]
        return [(m["author"], m.get("content") or m.get("template") or "") for m in messages]

    def customer_said(self) -> list[str]:
        return [text for author, text in self.chat() if author == "customer"]

    def write(self, text: str) -> None:
        self.d.ok("POST", f"/conversations/{self.conversation}/messages", 201, json={"text": text})

    def call(self, method: str, path: str, status: int = 200, **kw) -> dict:
        return self.d.ok(method, path, status, case=self.case, **kw)


def practise(d) -> tuple[Trainee, dict]:
    """The whole session; returns the trainee (its conversation and case) and what loading answered."""
    d.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
    loaded = d.ok("POST", f"/admin/scenarios/{NAME}", json={"practice": True})
    customer = loaded["customer"]
    wa_id, document = customer["phone"]["waId"], customer["document"]
    assert [(line["rule"], line["text"], line["state"]) for line in loaded["practice"]["lines"]] == [
        ("opening", "Hola, buenas", "said"),
        ("consent", "Acepto", "pending"),  # the bot's consent question answered, 10 s later
    ]
    t = Trainee(d)
    # The bot asked for consent; the customer accepts 10 s later, then asks for an advisor 10 s after the question.
    assert d.ok("GET", "/conversations", params={"status": "queued"})["conversations"] == []
    t.later(10)
    t.later(10)
    [queued] = [c for c in d.ok("GET", "/conversations", params={"status": "queued"})["conversations"]]
    assert queued["waId"] == wa_id
    t.conversation = queued["id"]
    assert t.customer_said() == ["Hola, buenas", "Acepto", "SI"]

    advisor = active_asesor(d)["username"]
    d.ok("POST", f"/conversations/{t.conversation}/assign", json={"advisor": advisor})  # "¿En qué te puedo ayudar?"
    t.later(19)
    assert len(t.customer_said()) == 3, "the customer answers 20 s after the welcome, not before"
    t.later(1)
    assert t.customer_said()[-1] == "El módem tiene la luz de internet parpadeando y no navego"
    assert not any(document["number"] in text for text in t.customer_said()), "the document is given only when asked"

    t.write("Con gusto te ayudo. ¿Me confirmas tu número de documento, por favor?")
    t.later(20)
    assert t.customer_said()[-1] == f"Claro, es el {document['type']} {document['number']}"
    d.ok("POST", f"/conversations/{t.conversation}/identity", json={"documentNumber": document["number"]})
    case = d.ok(
        "POST",
        "/cases",
        201,
        json={
            "conversationId": t.conversation,
            "customerId": customer["customerId"],
            "accountId": customer["accountId"],
            "category": "SOPORTE",
            "product": "internet",
            "description": t.customer_said()[-2],
        },
    )
    t.case = case["id"]

    t.write("¿Desde cuándo tienes la falla?")
    t.later(20)
    t.write("¿Ya intentaste reiniciar el módem?")
    t.later(20)
    assert t.customer_said()[-2:] == [
        "Desde ayer en la noche",
        "Sí, ya lo desconecté y lo volví a conectar dos veces y sigue igual",
    ]

    diagnosis = t.call("POST", "/homeDiagnostics", json={"accountId": customer["accountId"], "service": "internet"})
    assert diagnosis["modem"]["status"] == "offline"
    t.later(20)  # the customer reacts to the diagnosis being run (a back-office call for the case)
    assert t.customer_said()[-1] == "Quedo atento, ¿qué le aparece?"

    t.write("Tu módem no sincroniza y no hay falla masiva en tu zona. ¿Te agendo una visita técnica?")
    t.later(20)
    assert t.customer_said()[-1] == "Sí, por favor. Puede ser cualquier día en la mañana"
    slot = t.call("POST", "/searchTimeSlot", json={"accountId": customer["accountId"]})["availableTimeSlot"][0]
    visit = t.call(
        "POST",
        "/appointment",
        201,
        json={
            "@type": "TechnicalVisit",
            "validFor": slot["validFor"],
            "description": "Módem sin sincronía tras diagnóstico",
            "relatedEntity": [{"id": customer["accountId"], "role": "account", "@referredType": "BillingAccount"}],
            "relatedParty": [{"id": advisor, "role": "advisor", "@referredType": "Individual"}],
            "contactMedium": [
                {"mediumType": "phone", "characteristic": {"phoneNumber": customer["phone"]["national"]}}
            ],
        },
    )
    t.later(20)
    assert t.customer_said()[-1] == "Perfecto, quedo pendiente de la visita"

    t.call(
        "POST",
        f"/cases/{t.case}/typification",
        json={"code": "SOP-INT-01", "notes": f"Visita {visit['id']}", "resolvedFirstContact": False},
        headers={"Idempotency-Key": f"practice-{d.sandbox}"},
    )
    # Closing the case asks "¿Hay algo más en lo que pueda ayudarte?"; the customer's "no" brings the closing
    # script and the survey, which the customer answers.
    body = {"outcome": "followUp", "followUpType": "VISITAS", "callbackAt": CALLBACK, "nothingPending": True}
    t.call("POST", f"/cases/{t.case}/close", json=body)
    t.later(20)
    assert t.customer_said()[-1] == "No, eso era todo. Muchas gracias"
    t.later(20)
    assert t.customer_said()[-1] == "9"
    assert d.ok("GET", f"/cases/{t.case}")["survey"]["score"] == 9
    state = d.ok("GET", "/admin/practice")
    assert [line["state"] for line in state["lines"] if line["rule"] == "anything-else"] == ["said"]
    return t, loaded


def test_a_trainee_handles_modem_without_sync_against_the_scripted_customer(gateway_client):
    d = new_sandbox(InProcess(gateway_client), "practice-modem")
    try:
        t, _ = practise(d)
        chats = d.ok("GET", "/conversations")["conversations"]
        assert [c["id"] for c in chats] == [t.conversation], "the customer never wrote into a new chat"
    finally:
        assert gateway_client.delete("/admin/sandboxes/practice-modem").status_code == 200


def test_the_same_actions_give_the_same_conversation(gateway_client):
    first = new_sandbox(InProcess(gateway_client), "practice-same-1")
    second = new_sandbox(InProcess(gateway_client), "practice-same-2")
    try:
        one, _ = practise(first)
        two, _ = practise(second)
        a = first.ok("GET", f"/conversations/{one.conversation}")["messages"]
        b = second.ok("GET", f"/conversations/{two.conversation}")["messages"]
        assert [(m["author"], m.get("content"), m["sendTime"]) for m in a] == [
            (m["author"], m.get("content"), m["sendTime"]) for m in b
        ]
        # greeting, consent, SI, problem, document, since when, tried, diagnosis, visit x2, nothing else, survey
        assert len([m for m in a if m["author"] == "customer"]) == 12
    finally:
        for name in ("practice-same-1", "practice-same-2"):
            assert gateway_client.delete(f"/admin/sandboxes/{name}").status_code == 200


def test_a_stopped_practice_customer_says_nothing_more(gateway_client):
    d = new_sandbox(InProcess(gateway_client), "practice-stop")
    try:
        d.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
        started = d.ok("POST", f"/admin/scenarios/{NAME}", json={"practice": True})["practice"]
        assert started["active"] and started["scenario"] == NAME
        stopped = d.ok("DELETE", "/admin/practice")
        assert stopped == {"active": False, "lines": [], "fired": {}}
        d.ok("POST", "/admin/clock", json={"advance": "PT1H"})
        [chat] = d.ok("GET", "/conversations")["conversations"]
        said = [m for m in d.ok("GET", f"/conversations/{chat['id']}")["messages"] if m["author"] == "customer"]
        assert [m["content"] for m in said] == ["Hola, buenas"], "a stopped customer says nothing more"
        assert d.ok("GET", "/admin/practice") == stopped
    finally:
        assert gateway_client.delete("/admin/sandboxes/practice-stop").status_code == 200


def test_the_practice_customer_answers_over_http(tmp_path):
    """`python -m claro_backoffice.serve` on a loopback port: the customer's lines go through Meta's simulator to
    this server's gateway as signed webhooks while the gateway is answering the read that found them due."""
    with running_server(tmp_path) as started, requests.Session() as session:
        d = new_sandbox(OverHttp(started.base, session=session), "practice-http")
        t, _ = practise(d)
        assert d.ok("GET", f"/cases/{t.case}")["survey"]["score"] == 9


CHANNEL_ONLY = {"declines-consent": "closed", "non-premium-without-hashtag": "closed", "abandons-before-advisor": None}


@pytest.fixture
def classroom(gateway_client):
    d = new_sandbox(InProcess(gateway_client), "practice-every")
    yield d
    assert gateway_client.delete("/admin/sandboxes/practice-every").status_code == 200


@pytest.mark.parametrize("name", scenarios.names())
def test_every_scenarios_customer_answers_by_its_rules(classroom, name):
    """Each scenario's customer reaches an advisor (or doesn't, as its situation says), tells the problem its chat
    script tells when welcomed, and gives the document only when asked."""
    d, t = classroom, Trainee(classroom)
    d.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
    loaded = d.ok("POST", f"/admin/scenarios/{name}", json={"reset": True, "practice": True})
    t.later(10)
    t.later(10)
    [chat] = d.ok("GET", "/conversations")["conversations"]
    t.conversation = chat["id"]
    if name in CHANNEL_ONLY:
        assert t.customer_said() == loaded["chat"][: len(t.customer_said())]  # the script's lines, in order
        assert (chat["status"] == "closed") == (CHANNEL_ONLY[name] == "closed"), chat
        return
    assert chat["status"] == "queued" and t.customer_said() == loaded["chat"][:3]
    d.ok("POST", f"/conversations/{t.conversation}/assign", json={"advisor": active_asesor(d)["username"]})
    t.later(20)
    assert t.customer_said()[-1] == loaded["chat"][3]
    assert not any(loaded["customer"]["document"]["number"] in text for text in t.customer_said())
    t.write("¿Me regalas tu número de cédula?")
    t.later(20)
    assert loaded["customer"]["document"]["number"] in t.customer_said()[-1]
