"""The supervision screens without a browser: only a leader (supervisor, coordinador, gerente) sees them, an asesor
gets a 403 page in Spanish; deciding an adjustment needs the session's CSRF token, acts as the signed-in leader,
and a rejection needs its reason. Adjustments are requested through the API on a case opened through the API."""

from __future__ import annotations

import datetime as dt
import re

import requests

from tests.console.backoffice_state import (
    adjustment,
    advance_clock,
    agents,
    follow_up,
    open_home_case,
    pending,
    request_adjustment,
    sandbox_now,
)
from tests.console.test_csrf import csrf_of


def shortcut(base: str, sandbox: str, login: str) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    token = csrf_of(browser.get(f"{base}/console/signin", timeout=60))
    page = browser.post(
        f"{base}/console/signin/dev", data={"csrf_token": token, "advisor": login, "sandbox": sandbox}, timeout=120
    )
    assert page.status_code == 200, page.text[:800]
    return browser, page


def test_an_asesor_is_refused_the_supervision_screens(console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    made = request_adjustment(console_server, sandbox, case["id"], 90_000, "Cobro de un servicio no contratado")
    asesor = agents(base, sandbox, "asesor")[0]["username"]
    browser, page = shortcut(base, sandbox, asesor)
    assert page.url.endswith("/console/queue") and 'data-testid="nav-supervisor"' not in page.text
    for path in (
        "supervisor",
        "supervisor/adjustments",
        "supervisor/followups",
        "supervisor/indicators",
        "supervisor/practices",
    ):
        refused = browser.get(f"{base}/console/{path}", timeout=60)
        assert refused.status_code == 403, path
        assert "solo la ven supervisores, coordinadores y gerentes" in refused.text
    decide = browser.post(
        f"{base}/console/supervisor/adjustments/{made['id']}/decide",
        data={"csrf_token": csrf_of(page), "decision": "approve", "reason": "Procede"},
        timeout=60,
    )
    assert decide.status_code == 403
    assert adjustment(console_server, sandbox, made["id"])["status"] == "pending"


def test_a_supervisor_approves_and_rejects_as_themself_with_the_csrf_token(console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    first = request_adjustment(console_server, sandbox, case["id"], 120_000, "Cobro duplicado del mes de octubre")
    second = request_adjustment(console_server, sandbox, case["id"], 75_500, "Visita técnica que no se realizó")
    small = request_adjustment(console_server, sandbox, case["id"], 20_000, "Un día sin servicio")
    assert (first["status"], second["status"], small["status"]) == ("pending", "pending", "approved")
    made = (first["id"], second["id"])
    supervisor = agents(base, sandbox, "supervisor")[0]["username"]
    browser, page = shortcut(base, sandbox, supervisor)
    assert page.url.endswith("/console/supervisor/adjustments")
    listed = re.findall(r'data-testid="adjustment" data-adjustment-id="([^"]+)"', page.text)
    assert listed == [a["id"] for a in pending(console_server, sandbox)]
    assert first["id"] in listed and second["id"] in listed and small["id"] not in listed  # approved at once
    assert "$ 120.000" in page.text and "$ 75.500" in page.text
    token = csrf_of(page)
    url = f"{base}/console/supervisor/adjustments/{{}}/decide"

    # Without the token, nothing is decided.
    refused = browser.post(url.format(first["id"]), data={"decision": "approve", "reason": "Procede"}, timeout=60)
    assert refused.status_code == 403
    assert adjustment(console_server, sandbox, first["id"])["status"] == "pending"

    approved = browser.post(
        url.format(first["id"]),
        data={"csrf_token": token, "decision": "approve", "reason": "Cobro duplicado"},
        timeout=60,
    )
    assert approved.status_code == 200 and "Ajuste " + first["id"] + " aprobado ($ 120.000)." in approved.text
    now = adjustment(console_server, sandbox, first["id"])
    assert (now["status"], now["decidedBy"], now["decisionNotes"]) == ("approved", supervisor, "Cobro duplicado")

    # A rejection without its reason is refused (in Spanish) and the request stays pending.
    bare = browser.post(url.format(second["id"]), data={"csrf_token": token, "decision": "reject"}, timeout=60)
    assert bare.status_code == 422 and "escribe el motivo" in bare.text
    assert adjustment(console_server, sandbox, second["id"])["status"] == "pending"
    reason = "La visita sí se realizó según Gestión"
    rejected = browser.post(
        url.format(second["id"]), data={"csrf_token": token, "decision": "reject", "reason": reason}, timeout=60
    )
    assert rejected.status_code == 200 and "rechazado ($ 75.500)" in rejected.text
    now = adjustment(console_server, sandbox, second["id"])
    assert (now["status"], now["decidedBy"], now["decisionNotes"]) == ("rejected", supervisor, reason)
    shown = re.findall(r'data-testid="adjustment" data-adjustment-id="([^"]+)"', rejected.text)
    assert shown == [a["id"] for a in pending(console_server, sandbox)] == [i for i in listed if i not in made]

    # Deciding it again: the system's 409, said in Spanish with the gateway's detail.
    again = browser.post(
        url.format(second["id"]), data={"csrf_token": token, "decision": "approve", "reason": ""}, timeout=60
    )
    assert again.status_code == 409 and "No fue posible aprobar el ajuste" in again.text


def test_signing_in_with_a_leader_token_opens_the_supervision_screens(console_server, sandbox):
    base = console_server.base
    coordinator = agents(base, sandbox, "coordinador")[0]["username"]
    browser = requests.Session()
    token = csrf_of(browser.get(f"{base}/console/signin", timeout=60))
    form = {"csrf_token": token, "token": "dev-coordinador", "advisor": coordinator, "sandbox": sandbox}
    page = browser.post(f"{base}/console/signin", data=form, timeout=60)
    assert page.status_code == 200 and page.url.endswith("/console/supervisor/adjustments")
    assert 'data-testid="nav-supervisor"' in page.text
    # An asesor's token with a leader's login stays an asesor: the token decides what the gateway allows.
    other = requests.Session()
    token = csrf_of(other.get(f"{base}/console/signin", timeout=60))
    form = {"csrf_token": token, "token": "dev-asesor", "advisor": coordinator, "sandbox": sandbox}
    page = other.post(f"{base}/console/signin", data=form, timeout=60)
    assert page.url.endswith("/console/queue")
    assert other.get(f"{base}/console/supervisor/indicators", timeout=60).status_code == 403


def test_a_follow_up_is_due_today_and_then_overdue(console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    now = dt.datetime.fromisoformat(sandbox_now(console_server, sandbox))
    callback = now + dt.timedelta(hours=2)  # the world's morning: within contact hours, the same day
    follow_up(console_server, sandbox, case["id"], callback.isoformat())
    browser, _ = shortcut(base, sandbox, agents(base, sandbox, "gerente")[0]["username"])
    page = browser.get(f"{base}/console/supervisor/followups", timeout=60)
    assert page.status_code == 200
    today, overdue = _section(page.text, "followups-today"), _section(page.text, "followups-overdue")
    assert case["id"] in today and case["id"] not in overdue
    assert f"{callback.hour:02d}:{callback.minute:02d}" in today  # Bogotá time

    advance_clock(console_server, sandbox, "PT2H30M")  # the callback's time passed half an hour ago
    page = browser.get(f"{base}/console/supervisor/followups", timeout=60)
    today, overdue = _section(page.text, "followups-today"), _section(page.text, "followups-overdue")
    assert case["id"] in overdue and case["id"] not in today
    late = re.search(r'class="late">(\d+) min (\d\d) s<', overdue)  # the sandbox's clock keeps running meanwhile
    assert late and 30 <= int(late.group(1)) < 60, overdue


def _section(html: str, testid: str) -> str:
    """The HTML from a follow-up section's heading to the next heading."""
    start = html.index(f'id="{testid}-title"')
    end = html.find("<h2", start)
    return html[start : end if end > 0 else len(html)]


def test_a_window_the_gateway_would_refuse_is_explained_in_spanish(console_server, sandbox):
    base = console_server.base
    browser, _ = shortcut(base, sandbox, agents(base, sandbox, "supervisor")[0]["username"])
    page = f"{base}/console/supervisor/indicators"
    backwards = browser.get(page, params={"from": "2026-11-03", "to": "2026-11-01"}, timeout=60)
    assert backwards.status_code == 422 and "no puede ser anterior" in backwards.text
    too_long = browser.get(page, params={"from": "2026-08-01", "to": "2026-10-31"}, timeout=60)  # 92 days
    assert too_long.status_code == 422 and "máximo 62 días" in too_long.text
    no_team = browser.get(page, params={"from": "2026-11-01", "to": "2026-11-03", "team": "X"}, timeout=60)
    assert no_team.status_code == 422 and "Elige un equipo" in no_team.text
    week = browser.get(f"{base}/console/supervisor/practices", params={"week": "semana 45"}, timeout=60)
    assert week.status_code == 422 and "Elige una semana" in week.text
