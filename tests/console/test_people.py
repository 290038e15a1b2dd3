"""People by name, not login, and each role's own screens (without a browser): the top bar names the signed-in person
as Almabi has them and their role in Spanish; the chat header and the supervision screens name the asesor; a login
Almabi does not know shows as it is. A leader is not offered the asesor's console (their home is Supervisión), and
only an admin token is offered Práctica. Names are read through the API, never hard-coded."""

from __future__ import annotations

import datetime as dt
import html
import re

import requests

from tests.console.backoffice_state import (
    SUPERVISOR,
    agents,
    follow_up,
    open_home_case,
    request_adjustment,
    sandbox_now,
)
from tests.console.conftest import ADMIN
from tests.console.test_csrf import csrf_of
from tests.console.test_supervisor_routes import shortcut


def topbar(page: requests.Response) -> str:
    found = re.search(r'<header class="topbar".*?</header>', page.text, re.S)
    assert found, page.text[:500]
    return html.unescape(found.group(0))


def who(page: requests.Response) -> str:
    found = re.search(r'data-testid="signed-in-as"[^>]*>(.*?)</span>\s*<form', page.text, re.S)
    assert found
    return re.sub(r"<[^>]+>", "", html.unescape(found.group(1)))


def test_an_asesor_sees_their_name_and_role_and_the_asesor_screens(console_server, sandbox):
    base = console_server.base
    asesor = agents(base, sandbox, "asesor")[0]
    _, page = shortcut(base, sandbox, asesor["username"])
    assert who(page) == f"{asesor['fullName']}, Asesor · sandbox {sandbox}"
    bar = topbar(page)
    assert "Consola del asesor" in bar and 'data-testid="nav-queue"' in bar
    assert 'data-testid="nav-supervisor"' not in bar and 'data-testid="nav-practice"' not in bar


def test_a_leader_is_not_offered_the_asesor_console(console_server, sandbox):
    base = console_server.base
    leader = agents(base, sandbox, "coordinador")[0]
    browser, page = shortcut(base, sandbox, leader["username"])
    assert page.url.endswith("/console/supervisor/adjustments")
    assert who(page) == f"{leader['fullName']}, Coordinador · sandbox {sandbox}"
    bar = topbar(page)
    assert "Consola del asesor" not in bar and "Claro Premium · </span>Supervisión" in bar
    assert 'data-testid="nav-queue"' not in bar and 'data-testid="nav-practice"' not in bar
    assert 'data-testid="nav-supervisor"' in bar
    home = browser.get(f"{base}/console/queue", timeout=60)  # a typed URL: the leader's home instead
    assert home.url.endswith("/console/supervisor/adjustments") and "Consola del asesor" not in topbar(home)


def test_an_unknown_login_shows_as_is_with_the_tokens_role(console_server, sandbox):
    base = console_server.base
    browser = requests.Session()
    form = {
        "token": ADMIN["Authorization"].removeprefix("Bearer "),
        "advisor": "formador.aula",
        "sandbox": sandbox,
        "csrf_token": csrf_of(browser.get(f"{base}/console/signin", timeout=60)),
    }
    page = browser.post(f"{base}/console/signin", data=form, timeout=60)
    assert page.status_code == 200
    assert who(page) == f"formador.aula, Administrador · sandbox {sandbox}"
    assert 'data-testid="nav-practice"' in topbar(page)


def test_the_chat_and_the_supervision_screens_name_the_asesor(console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    request_adjustment(console_server, sandbox, case["id"], 91_000, "Cobro de un servicio no contratado")
    [asesor] = [a for a in agents(base, sandbox, "asesor") if a["username"] == case["advisorLogin"]]

    browser, _ = shortcut(base, sandbox, asesor["username"])
    chat = html.unescape(browser.get(f"{base}/console/chats/{case['conversationId']}", timeout=60).text)
    assert re.search(rf'data-testid="chat-advisor"[^>]*>{re.escape(asesor["fullName"])}</span>', chat)

    leader = agents(base, sandbox, "supervisor")[0]
    supervision, page = shortcut(base, sandbox, leader["username"])
    adjustments = html.unescape(page.text)
    assert f'data-testid="adjustment-advisor">{asesor["fullName"]}</dd>' in adjustments
    assert f">{asesor['username']}<" not in adjustments


def test_the_follow_ups_and_the_practices_read_as_spanish(console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    now = dt.datetime.fromisoformat(sandbox_now(console_server, sandbox))
    follow_up(console_server, sandbox, case["id"], (now + dt.timedelta(hours=2)).isoformat())
    [asesor] = [a for a in agents(base, sandbox, "asesor") if a["username"] == case["advisorLogin"]]
    browser, _ = shortcut(base, sandbox, agents(base, sandbox, "supervisor")[0]["username"])

    followups = html.unescape(browser.get(f"{base}/console/supervisor/followups", timeout=60).text)
    row = re.search(rf'data-case-id="{case["id"]}">(.*?)</tr>', followups, re.S)
    assert row, followups[-2000:]
    assert "<td>Soporte (revisión técnica)</td>" in row.group(1)
    assert f'data-testid="followup-advisor">{asesor["fullName"]}</td>' in row.group(1)

    week = requests.get(
        f"{base}/api/v1/practices/adherence", headers={**SUPERVISOR, "X-Sandbox": sandbox}, timeout=60
    ).json()["week"]  # e.g. 2026-W45
    year, number = week.split("-W")
    practices = html.unescape(browser.get(f"{base}/console/supervisor/practices", timeout=60).text)
    assert f"Semana {int(number)} de {year} (" in practices and week not in practices.split("</form>")[-1]
