"""The case panel's routes without a browser (a requests session signed in through the loopback shortcut): the
callback picker offers only Ley 2300 contact hours, a moment outside them comes back as a readable Spanish 422
naming the next allowed moment, a typification sent twice is one job in RR, callbacks are recorded and listed, a
conversation ends with no case for a reason, and every case action needs the session's CSRF token.

The sandbox's clock is held at the default world's reference moment, Wed 4 Nov 2026 08:00 Bogotá, which the
expected moments are worked out from."""

from __future__ import annotations

import datetime as dt
import html
import re

import requests

from claro_backoffice.console.case_view import callback_slots, timeline
from claro_backoffice.core.timezone import BOGOTA
from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation
from tests.console.test_csrf import csrf_of, first_advisor

ADVISOR = {"Authorization": "Bearer dev-asesor"}


class Desk:
    """One signed-in advisor's console session, with the conversation of `scenario` taken and identified."""

    def __init__(self, server, sandbox: str, scenario: str = "unrecognised-charge") -> None:
        self.base, self.sandbox = server.base, sandbox
        self.api = {**ADVISOR, "X-Sandbox": sandbox}
        loaded = load_scenario(server, sandbox, scenario)
        self.customer, self.expected = loaded["customer"], loaded["expected"]
        frozen = requests.post(  # a sandbox's clock runs with real time: held still, every moment is known
            f"{self.base}/api/v1/admin/clock",
            json={"set": "2026-11-04T08:00:00-05:00", "frozen": True},
            headers={"Authorization": "Bearer dev-admin", "X-Sandbox": sandbox},
            timeout=120,
        )
        assert frozen.status_code == 200, frozen.text
        self.browser = requests.Session()
        page = self.browser.get(f"{self.base}/console/signin", timeout=60)
        signed = self.browser.post(
            f"{self.base}/console/signin/dev",
            data={"advisor": first_advisor(page), "sandbox": sandbox, "csrf_token": csrf_of(page)},
            timeout=60,
        )
        self.csrf = csrf_of(signed)
        queue_a_conversation(self.base, sandbox, self.customer["phone"]["waId"])
        [waiting] = self.gw("GET", "/conversations", params={"status": "queued"})["conversations"]
        self.conversation = waiting["id"]
        self.post(f"/queue/{self.conversation}/take", {})
        document = self.customer["document"]
        self.post(
            f"/chats/{self.conversation}/identity",
            {"documentType": document["type"], "documentNumber": document["number"]},
        )

    def gw(self, method: str, path: str, **kw) -> dict:
        answer = requests.request(method, f"{self.base}/api/v1{path}", headers=self.api, timeout=60, **kw)
        assert answer.status_code < 300, answer.text
        return answer.json()

    def post(self, path: str, form: dict, expect: int = 200) -> requests.Response:
        answer = self.browser.post(f"{self.base}/console{path}", data=form | {"csrf_token": self.csrf}, timeout=60)
        assert answer.status_code == expect, answer.text[-2000:]
        return answer

    def open_case(self, on: str | None = None) -> str:
        form = {
            "customerId": self.customer["customerId"],
            "on": on or f"account:{self.customer['accountId']}",
            "category": self.expected["category"],
            "product": self.expected["product"],
            "description": "Cobro no reconocido en la factura",
        }
        self.post(f"/chats/{self.conversation}/case", form)
        return self.gw("GET", f"/conversations/{self.conversation}")["cases"][-1]

    def typify(self, case_id: str, notes: str = "Cobro no reconocido.") -> requests.Response:
        form = {"code": self.expected["typificationCode"], "resolvedFirstContact": "no", "notes": notes}
        return self.post(f"/chats/{self.conversation}/case/{case_id}/typification", form)


def _options(page: str, test_id: str) -> list[str]:
    select = re.search(rf'data-testid="{test_id}">(.*?)</select>', page, re.S)
    assert select, test_id
    return [
        html.unescape(label)
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select.group(1))
    ]


def test_the_callback_picker_offers_only_contact_hours_from_the_sandbox_clock(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    assert desk.gw("GET", "/conversations", params={"status": "queued"})["asOf"] == "2026-11-04T08:00:00-05:00"
    case_id = desk.open_case()
    page = desk.typify(case_id).text
    offered = _options(page, "close-callback")
    # From Wed 08:00, four days: Wed 09..18 (10), Thu 07..18 (12), Fri 07..18 (12), Sat 08..14 (7), Sunday none.
    assert len(offered) == 10 + 12 + 12 + 7
    assert offered[0] == "mié 4 nov 2026, 09:00" and offered[9] == "mié 4 nov 2026, 18:00"
    assert offered[10] == "jue 5 nov 2026, 07:00" and offered[-1] == "sáb 7 nov 2026, 14:00"
    assert not any(o.startswith("dom") for o in offered)


def test_callback_slots_skip_sundays_and_holidays():
    # Sat 14 Nov 2026 14:30: 15:00 is already closed on a Saturday; Sun 15 never; Mon 16 Nov is a holiday
    # (Independencia de Cartagena, moved to Monday); so the next moment is Tue 17 Nov 07:00.
    slots = callback_slots(dt.datetime(2026, 11, 14, 14, 30, tzinfo=BOGOTA), days=4)
    assert slots[0]["value"] == "2026-11-17T07:00:00-05:00" and slots[0]["label"] == "mar 17 nov 2026, 07:00"


def test_a_callback_outside_contact_hours_is_refused_readably(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    case_id = desk.open_case()
    desk.typify(case_id)
    desk.post(f"/chats/{desk.conversation}/case/{case_id}/pqr", {"description": "Cobro no reconocido"})
    form = {
        "outcome": "followUp",
        "followUpType": "PQR",
        "callbackAt": "2026-11-08T10:00:00-05:00",  # a Sunday
        "nothingPending": "yes",
    }
    refused = desk.post(f"/chats/{desk.conversation}/case/{case_id}/close", form, expect=422)
    [error] = re.findall(r'data-testid="case-error">([^<]+)<', refused.text)
    error = html.unescape(error)
    assert "fuera del horario de contacto de la Ley 2300" in error
    assert "El próximo momento permitido es lun 9 nov 2026, 07:00." in error
    assert desk.gw("GET", f"/cases/{case_id}")["status"] == "typified"  # nothing closed
    assert 'value="followUp" data-testid="close-outcome-followup" checked' in refused.text  # the choice stays


def test_a_typification_sent_twice_is_one_marking_in_rr(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    case_id = desk.open_case()
    desk.typify(case_id, "Cliente no reconoce el cargo.")
    again = desk.typify(case_id, "Cliente no reconoce el cargo.")  # a double click, a reload
    assert 'data-testid="case-error"' not in again.text
    rr = f"{desk.base}/mocks/rr/accounts/{desk.customer['accountId']}/markings"
    markings = requests.get(rr, headers={"X-Sandbox": sandbox}, timeout=60).json()["markings"]
    assert len([m for m in markings if m["code"] == desk.expected["typificationCode"]]) == 1


def test_callbacks_are_recorded_and_listed(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    case_id = desk.open_case()
    desk.typify(case_id)
    desk.post(f"/chats/{desk.conversation}/case/{case_id}/pqr", {"description": "Cobro no reconocido"})
    close = {
        "outcome": "followUp",
        "followUpType": "PQR",
        "callbackAt": "2026-11-05T10:00:00-05:00",
        "nothingPending": "yes",
    }
    desk.post(f"/chats/{desk.conversation}/case/{case_id}/close", close)
    attempt = {
        "reached": "no",
        "outcome": "noAnswer",
        "notes": "Buzón de voz",
        "nextCallbackAt": "2026-11-06T09:00:00-05:00",
    }
    page = desk.post(f"/chats/{desk.conversation}/case/{case_id}/callbacks", attempt).text
    assert "mié 4 nov 2026, 08:00 · sin contacto · No contestó · Buzón de voz" in html.unescape(page)
    case = desk.gw("GET", f"/cases/{case_id}")
    assert [(c["reached"], c["outcome"]) for c in case["callbacks"]] == [(False, "noAnswer")]
    assert case["callbackAt"] == "2026-11-06T09:00:00-05:00"
    # The close-out while the PQR is unanswered: refused, said in Spanish.
    out = {"reached": "yes", "outcome": "solved", "closeOut": "yes"}
    refused = desk.post(f"/chats/{desk.conversation}/case/{case_id}/callbacks", out, expect=422)
    assert "la PQR del caso aún no tiene respuesta" in html.unescape(refused.text)


def test_a_conversation_ends_without_a_case_for_a_reason(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    case_id = desk.open_case()
    # With a case open the form is not offered, and the gateway's refusal is said in Spanish.
    refused = desk.post(f"/chats/{desk.conversation}/end", {"reason": "informationOnly"}, expect=409)
    assert "hay casos abiertos o tipificados" in html.unescape(refused.text)
    assert 'data-testid="end-form"' not in refused.text
    assert desk.gw("GET", f"/cases/{case_id}")["status"] == "open"


def test_ending_without_a_case_sends_the_closing_script(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    page = desk.browser.get(f"{desk.base}/console/chats/{desk.conversation}", timeout=60).text
    assert 'data-testid="end-form"' in page
    desk.post(f"/chats/{desk.conversation}/end", {"reason": "nope"}, expect=422)
    ended = desk.post(f"/chats/{desk.conversation}/end", {"reason": "informationOnly"})
    assert f"/console/chats/{desk.conversation}#" in ended.url
    conversation = desk.gw("GET", f"/conversations/{desk.conversation}")
    assert (conversation["status"], conversation["closeReason"], conversation["cases"]) == (
        "closed",
        "informationOnly",
        [],
    )
    assert "fue un gusto atenderte" in conversation["messages"][-1]["content"]


def test_case_actions_need_the_csrf_token(console_server, sandbox):
    desk = Desk(console_server, sandbox)
    form = {
        "customerId": desk.customer["customerId"],
        "on": f"account:{desk.customer['accountId']}",
        "category": "PQR",
        "product": "aplicaciones",
        "description": "Cobro no reconocido",
    }
    refused = desk.browser.post(f"{desk.base}/console/chats/{desk.conversation}/case", data=form, timeout=60)
    assert refused.status_code == 403
    assert desk.gw("GET", f"/conversations/{desk.conversation}")["cases"] == []


def test_the_same_typification_on_the_next_case_of_the_chat_is_its_own(console_server, sandbox):
    """The key follows the content *per case*: the customer's "sí" to "¿Hay algo más?" opens a second case, and the
    same code and notes typify it too (not a replay of the first case's answer)."""
    desk = Desk(console_server, sandbox)
    first = desk.open_case()
    desk.typify(first, "Cliente no reconoce el cargo.")
    desk.post(f"/chats/{desk.conversation}/case/{first}/pqr", {"description": "Cobro no reconocido"})
    close = {
        "outcome": "followUp",
        "followUpType": "PQR",
        "callbackAt": "2026-11-05T10:00:00-05:00",
        "nothingPending": "yes",
    }
    desk.post(f"/chats/{desk.conversation}/case/{first}/close", close)
    meta = f"{desk.base}/mocks/meta/simulator/customers/{desk.customer['phone']['waId']}/messages"
    said = requests.post(meta, json={"text": "Sí"}, headers={"X-Sandbox": sandbox}, timeout=60)
    assert said.status_code == 201, said.text
    assert desk.gw("GET", f"/conversations/{desk.conversation}")["status"] == "assigned"
    second = desk.open_case()
    assert second != first
    page = desk.typify(second, "Cliente no reconoce el cargo.")
    assert 'data-testid="case-error"' not in page.text
    assert desk.gw("GET", f"/cases/{second}")["status"] == "typified"


def test_a_case_on_a_mobile_line_counts_notes_against_ac_500(console_server, sandbox):
    desk = Desk(console_server, sandbox, "volte-not-active")
    msisdn = desk.customer["msisdn"]
    case_id = desk.open_case(on=f"line:{msisdn}")
    case = desk.gw("GET", f"/cases/{case_id}")
    assert (case["accountSystem"], case["msisdn"]) == ("ac", msisdn)
    page = html.unescape(desk.browser.get(f"{desk.base}/console/chats/{desk.conversation}", timeout=60).text)
    notes = re.search(r'<textarea id="typ-notes"[^>]*>', page)
    assert notes and 'maxlength="500"' in notes.group(0) and 'data-limit="500"' in notes.group(0)
    assert "0 / 500 caracteres (AC, máximo)." in page
    # The catalogue offered is the case's: SOPORTE codes for voz (and general ones), nothing else.
    codes = _options(page, "typify-code")
    assert codes and all(c.startswith("SOP-") for c in codes), codes


def test_the_timeline_reads_in_spanish_with_the_date_once_the_case_spans_days():
    case = {
        "timeline": [
            {"at": "2026-11-04T08:00:00-05:00", "kind": "step", "action": "opened", "outcome": "open"},
            {"at": "2026-11-04T13:05:00Z", "kind": "call", "system": "rr", "action": "POST /x", "outcome": "201"},
            {"at": "2026-11-04T08:10:00-05:00", "kind": "step", "action": "pqr filed", "outcome": "4115"},
            {
                "at": "2026-11-04T08:11:00-05:00",
                "kind": "step",
                "action": "cun marked",
                "outcome": "4115",
                "detail": "ac-tickler-cun 3",
            },
            {
                "at": "2026-11-05T10:00:00-05:00",
                "kind": "step",
                "action": "closed with the customer",
                "outcome": "followUp",
            },
        ]
    }
    assert [(r["when"], r["what"], r["result"]) for r in timeline(case)] == [
        ("08:00", "Caso abierto", ""),
        ("08:05", "Llamada a RR: POST /x", "respuesta 201"),
        ("08:10", "PQR radicada, CUN", "4115"),
        ("08:11", "CUN marcado en AC (marcación de seguimiento)", "4115"),
        ("5 nov 2026, 10:00", "Cerrado con el cliente", "En seguimiento"),
    ]
