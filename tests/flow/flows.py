"""Whole cases of the scenarios (scenarios/*.yaml), from the customer's first WhatsApp message to the survey and,
for a follow-up, the callback close-out; transport-agnostic (tests/flow/driver.py), so the same functions run
in-process and over real HTTP. Each scenario's handling is in tests/flow/handling.py; every time is the sandbox's
frozen virtual clock, starting Wednesday 4 Nov 2026 09:00 Bogotá."""

from __future__ import annotations

import dataclasses

from tests.flow.driver import Driver
from tests.support.advisors import active_asesor

START = "2026-11-04T09:00:00-05:00"
CALLBACK = "2026-11-05T10:00:00-05:00"  # Thursday, inside contact hours


@dataclasses.dataclass
class Run:
    """One scenario in flight: its sandbox's driver, what loading it answered, the conversation and the case."""

    d: Driver
    name: str
    loaded: dict
    wa_id: str
    conversation: str = ""
    case: str = ""
    advisor: str = ""  # the Almabi login of the asesor who took the conversation

    @property
    def expected(self) -> dict:
        return self.loaded["expected"]

    @property
    def customer(self) -> dict:
        return self.loaded["customer"]

    def gw(self, method: str, path: str, status: int = 200, **kw) -> dict:
        """A gateway call made for the case (X-Case-Id), that must answer `status`."""
        return self.d.ok(method, path, status, case=self.case or None, **kw)


def new_sandbox(d: Driver, name: str) -> Driver:
    d.ok("POST", "/admin/sandboxes", 201, json={"name": name}, headers={"X-Sandbox": name})  # as a router needs
    return d.in_sandbox(name)


def start(d: Driver, name: str) -> Run:
    """Load the scenario, play the customer up to the queue, assign, validate the document, open the case."""
    d.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
    loaded = d.ok("POST", f"/admin/scenarios/{name}")
    assert all(r["outcome"] == "applied" for r in loaded["results"]), loaded["results"]
    run = Run(d, name, loaded, loaded["customer"]["phone"]["waId"])
    chat = loaded["chat"]
    for text in chat[:3]:  # greeting, consent, "SI" to an advisor
        d.say(run.wa_id, text)
    queued = d.ok("GET", "/conversations", params={"status": "queued"})["conversations"]
    [conversation] = [c for c in queued if c["waId"] == run.wa_id]
    run.conversation = conversation["id"]
    advisor = active_asesor(d, 4)  # a real asesor of the sandbox's Almabi
    run.advisor = advisor["username"]
    assigned = d.ok("POST", f"/conversations/{run.conversation}/assign", json={"advisor": run.advisor})
    assert assigned["status"] == "assigned"
    welcome = d.received(run.wa_id)[-1]  # personalised: the customer's name, the asesor's first name
    assert run.customer["name"].split(" ")[0] in welcome and f"Te saluda {advisor['firstName']}," in welcome
    for text in chat[3:]:
        d.say(run.wa_id, text)
    d.ok(
        "POST",
        f"/conversations/{run.conversation}/identity",
        json={"documentNumber": run.customer["document"]["number"]},
    )
    body = {
        "conversationId": run.conversation,
        "customerId": run.customer["customerId"],
        "category": run.expected["category"],
        "product": run.expected["product"],
        "description": chat[3],
    }
    for key in ("accountId", "msisdn"):
        if loaded["customer"].get(key):
            body[key] = loaded["customer"][key]
    case = d.ok("POST", "/cases", 201, json=body)
    run.case = case["id"]
    return run


def typify(run: Run, notes: str, resolved_first_contact: bool) -> dict:
    body = {"code": run.expected["typificationCode"], "notes": notes, "resolvedFirstContact": resolved_first_contact}
    typed = run.d.ok(
        "POST", f"/cases/{run.case}/typification", json=body, headers={"Idempotency-Key": f"flow-{run.name}"}
    )
    assert typed["status"] == "typified" and typed["typification"]["code"] == run.expected["typificationCode"]
    return typed


def close(run: Run) -> dict:
    """Close with the customer as the scenario expects; "¿Hay algo más?" is asked, the customer says no, the closing
    script and the survey invitation go out and the customer answers 9."""
    expected = run.expected
    body = {"outcome": expected["outcome"], "nothingPending": True}
    if expected["outcome"] == "followUp":
        body |= {"followUpType": expected["followUpType"], "callbackAt": CALLBACK}
    closed = run.d.ok("POST", f"/cases/{run.case}/close", json=body)
    assert closed["status"] == expected["outcome"] and closed["survey"] is None  # not yet: "¿algo más?" first
    assert "¿Hay algo más" in run.d.received(run.wa_id)[-1]
    assert run.d.ok("GET", f"/conversations/{run.conversation}")["status"] == "closingQuestion"
    run.d.say(run.wa_id, "No, gracias")
    closing, survey = run.d.received(run.wa_id)[-2:]
    assert "fue un gusto atenderte" in closing and "0 a 10" in survey
    conversation = run.d.ok("GET", f"/conversations/{run.conversation}")
    assert conversation["status"] == "closed" and conversation["closeReason"] == "nothingMore"
    run.d.say(run.wa_id, "9")
    case = run.d.ok("GET", f"/cases/{run.case}")
    assert case["survey"]["score"] == 9 and case["survey"]["channel"] == "whatsapp"
    return case


def close_out(run: Run) -> dict:
    """A follow-up: the callback the next day reaches the customer and closes the case (cierre posterior)."""
    if run.expected["outcome"] != "followUp":
        return run.d.ok("GET", f"/cases/{run.case}")
    queue = run.d.ok("GET", "/cases", params={"status": "followUp", "followUpType": run.expected["followUpType"]})
    assert [c["id"] for c in queue["cases"]] == [run.case]
    run.d.ok("POST", "/admin/clock", json={"set": "2026-11-05T10:05:00-05:00", "frozen": True})
    if run.expected["followUpType"] == "PQR":  # a case is closed out only once its PQR is answered
        pqrs = run.d.ok("GET", "/pqrs", params={"customerId": run.customer["customerId"]})
        [pqr] = [p for p in pqrs if p["relatedEntity"][0]["id"] == run.case]
        answer = {"answer": "Se verificó el cobro y se reversa en la próxima factura.", "favourable": True}
        run.d.ok("POST", f"/pqrs/{pqr['id']}/answer", json=answer)
    run.d.ok("POST", f"/cases/{run.case}/callbacks", 201, json={"reached": True, "outcome": "solved", "closeOut": True})
    case = run.d.ok("GET", f"/cases/{run.case}")
    assert case["status"] == "closed" and case["closedOutAt"]
    return case


def check_registered(run: Run, case: dict, cun: str | None = None) -> None:
    """The typification is in the customer's system: an RR marking (home) or an AC tickler (mobile)."""
    code, account = run.expected["typificationCode"], case["accountId"]
    if case["accountSystem"] == "rr":
        found = [m for m in run.d.mock("rr", f"/accounts/{account}/markings")["markings"] if m["code"] == code]
    else:
        found = [
            t
            for t in run.d.mock("ac", f"/accounts/{account}/ticklers")["ticklers"]
            if t["code"] == code and t["advisor"] == run.advisor
        ]
    assert len(found) == 1, found
    assert found[0]["cun"] == cun
    assert found[0]["resolved_first_contact"] == case["typification"]["resolvedFirstContact"]


def steps(case: dict) -> list[str]:
    return [t["action"] for t in case["timeline"] if t["kind"] == "step"]


def called(case: dict, system: str) -> list[str]:
    return [t["action"] for t in case["timeline"] if t["kind"] == "call" and t.get("system") == system]


def check_guided(run: Run, case: dict) -> None:
    """The advisor's guide for the scenario's symptom (GET /guides/{symptom}) lists every back-office system the
    handling called for the case (the channel, Meta, is not the guide's), for the case's kind of account."""
    guide = run.d.ok("GET", f"/guides/{run.expected['symptom']}")
    line = "hogar" if case["accountSystem"] == "rr" else "movil"
    listed = {s["system"] for s in guide["steps"] if s["line"] in (None, line)}
    made = {t["system"] for t in case["timeline"] if t["kind"] == "call" and t.get("system") not in (None, "meta")}
    assert made <= listed, f"case {run.case} called {made - listed}: not in the guide '{guide['symptom']}'"


def play(d: Driver, name: str, handle, after=None) -> dict:
    """The whole case: start, the scenario's handling (which typifies), close, survey, close-out, the checks;
    `after(run, case)` checks what happens once the case is closed out."""
    run = start(d, name)
    cun = handle(run)
    case = close(run)
    check_registered(run, case, cun)
    final = close_out(run)
    for system in run.expected["systems"]:  # every system the scenario expects consulted was, for this case
        assert called(final, system), f"no call to {system} in case {run.case}'s timeline"
    assert steps(final)[0] == "opened" and "typified" in steps(final)
    check_guided(run, final)
    if after:
        after(run, final)
    return final
