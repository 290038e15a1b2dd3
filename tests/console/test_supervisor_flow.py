"""The supervision screens in a real browser, by clicks and typing only: a supervisor signs in with the shortcut,
approves one adjustment request and rejects another with a reason (the second from the keyboard alone); the
gateway then shows both decided by that supervisor. The indicators page for a window and team shows the figures
`GET /indicators` gives, and AUSENTISMO is checked by hand against Almabi's attendance. Each screen passes axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from claro_backoffice.console.kpi import figure, number
from tests.console.accessibility import assert_accessible
from tests.console.backoffice_state import (
    SUPERVISOR,
    adjustment,
    agents,
    hold_practices,
    open_home_case,
    pending,
    request_adjustment,
    sandbox_now,
)

pytestmark = pytest.mark.browser
WAIT_MS = 20_000


def _get(base: str, sandbox: str, path: str, **params) -> dict:
    answer = requests.get(
        f"{base}/api/v1{path}", params=params, headers={**SUPERVISOR, "X-Sandbox": sandbox}, timeout=120
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_supervisor_decides_adjustments_and_reads_the_indicators(page: Page, console_server, sandbox):
    base = console_server.base
    case = open_home_case(console_server, sandbox)
    first = request_adjustment(console_server, sandbox, case["id"], 145_000, "Cobro de HBO Max no contratado")
    second = request_adjustment(console_server, sandbox, case["id"], 62_300, "Reconexión cobrada sin suspensión")
    [asesor] = [a for a in agents(base, sandbox, "asesor") if a["username"] == case["advisorLogin"]]
    [supervisor] = [a for a in agents(base, sandbox, "supervisor") if a["teamId"] == asesor["teamId"]]
    login = supervisor["username"]

    page.goto(f"{base}/console/signin")
    page.get_by_test_id("dev-signin-advisor").select_option(login)
    page.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    page.get_by_test_id("dev-signin-submit").click()
    expect(page).to_have_url(re.compile(r"/console/supervisor/adjustments$"))
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(login)
    waiting = pending(console_server, sandbox)  # with the ones a fresh sandbox has, made in RR and AC directly
    assert {first["id"], second["id"]} <= {a["id"] for a in waiting}
    cards = page.get_by_test_id("adjustment")
    expect(cards).to_have_count(len(waiting))
    one = page.locator(f"[data-testid=adjustment][data-adjustment-id={first['id']}]")
    expect(one.get_by_test_id("adjustment-amount")).to_have_text("$ 145.000")
    assert_accessible(page, "supervision: adjustments")

    one.get_by_test_id("adjustment-decision-reason").fill("Se confirma que el cliente no contrató HBO Max")
    one.get_by_test_id("adjustment-approve").click()
    expect(page.get_by_test_id("adjustments-notice")).to_have_text(f"Ajuste {first['id']} aprobado ($ 145.000).")
    expect(cards).to_have_count(len(waiting) - 1)

    # The keyboard alone: type the reason, Tab past «Aprobar» to «Rechazar», Enter.
    other = page.locator(f"[data-testid=adjustment][data-adjustment-id={second['id']}]")
    other.get_by_test_id("adjustment-decision-reason").focus()
    page.keyboard.type("La cuenta sí estuvo suspendida por mora")
    page.keyboard.press("Tab")
    expect(other.get_by_test_id("adjustment-approve")).to_be_focused()
    page.keyboard.press("Tab")
    expect(other.get_by_test_id("adjustment-reject")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("adjustments-notice")).to_have_text(f"Ajuste {second['id']} rechazado ($ 62.300).")
    expect(cards).to_have_count(len(waiting) - 2)
    for decided, status in ((first, "approved"), (second, "rejected")):
        row = page.locator(f"[data-testid=adjustment-decided][data-adjustment-id={decided['id']}]")
        expect(row).to_have_attribute("data-status", status)
        expect(row).to_contain_text(login)
    assert_accessible(page, "supervision: adjustments decided")

    approved, rejected = (
        adjustment(console_server, sandbox, first["id"]),
        adjustment(console_server, sandbox, second["id"]),
    )
    assert (approved["status"], approved["decidedBy"]) == ("approved", login)
    assert approved["decisionNotes"] == "Se confirma que el cliente no contrató HBO Max"
    assert (rejected["status"], rejected["decidedBy"]) == ("rejected", login)
    assert rejected["decisionNotes"] == "La cuenta sí estuvo suspendida por mora"

    page.get_by_test_id("tab-followups").click()
    expect(page.get_by_test_id("followups-overdue-empty")).to_be_visible()
    assert_accessible(page, "supervision: follow-ups")

    # The indicators of the week up to the sandbox's today, for the supervisor's team.
    today = dt.date.fromisoformat(sandbox_now(console_server, sandbox)[:10])
    start, end = (today - dt.timedelta(days=6)).isoformat(), today.isoformat()
    page.get_by_test_id("tab-indicators").click()
    page.get_by_test_id("indicators-from").fill(start)
    page.get_by_test_id("indicators-to").fill(end)
    page.get_by_test_id("indicators-team").select_option(supervisor["teamId"])
    page.get_by_test_id("indicators-submit").click()
    expect(page).to_have_url(re.compile(rf"from={start}&to={end}&team={supervisor['teamId']}"))
    report = _get(base, sandbox, "/indicators", **{"from": start, "to": end, "team": supervisor["teamId"]})
    for item in report["indicators"]:
        card = page.locator(f"[data-testid=indicator][data-indicator='{item['indicator']}']")
        expect(card.get_by_test_id("indicator-value")).to_have_text(figure(item["indicator"], item["value"]))
        expect(card.get_by_test_id("indicator-numerator")).to_have_text(number(item["numerator"]))
        expect(card.get_by_test_id("indicator-denominator")).to_have_text(number(item["denominator"]))
        if item.get("byDay"):  # a bar for each of the window's 7 days, with the API's value on the days it has one
            chart = page.locator(f"[data-testid=indicator-chart][data-indicator='{item['indicator']}']")
            expect(chart.locator("rect.bar")).to_have_count(7)
            for day in item["byDay"]:
                bar = chart.locator(f"rect.bar[data-date='{day['date']}']")
                expect(bar).to_have_attribute("data-value", "" if day["value"] is None else f"{day['value']:g}")

    # By hand from Almabi's attendance: AUSENTISMO = the team's absent asesor shifts ÷ its scheduled asesor shifts.
    shifts = _get(base, sandbox, "/workforce/attendance", **{"from": start, "to": end, "team": supervisor["teamId"]})
    mine = [r for r in shifts["records"] if r["role"] == "asesor"]
    absent = sum(r["status"] == "absent" for r in mine)
    assert mine, "the team has asesor shifts in the window"
    ausentismo = page.locator("[data-testid=indicator][data-indicator='AUSENTISMO']")
    expect(ausentismo.get_by_test_id("indicator-numerator")).to_have_text(str(absent))
    expect(ausentismo.get_by_test_id("indicator-denominator")).to_have_text(str(len(mine)))
    expect(ausentismo.get_by_test_id("indicator-value")).to_have_text(
        figure("AUSENTISMO", round(100 * absent / len(mine), 2))
    )
    # ... and PUNTUALIDAD of the conversation this test had taken at once: 1 of 1 for its asesor.
    row = page.locator(f"[data-testid=indicators-advisor][data-advisor='{asesor['username']}']")
    expect(row.locator("td[data-indicator=PUNTUALIDAD]")).to_have_text("100 % (1 / 1)")
    assert_accessible(page, "supervision: indicators")

    held = hold_practices(console_server, sandbox, login, "supervisor")
    page.get_by_test_id("tab-practices").click()
    adherence = _get(base, sandbox, "/practices/adherence")
    [mine] = [leader for leader in adherence["leaders"] if leader["username"] == login]
    assert mine["achieved"] >= 1 and len(held) >= 1  # what this test recorded counts this week
    row = page.locator(f"[data-testid=practices-leader][data-username='{login}']")
    expect(row.get_by_test_id("practices-leader-adherence")).to_have_text(figure("", mine["adherence"]))
    expect(row).to_contain_text(f"{mine['goal']}")
    expect(page.get_by_test_id("practices-leader")).to_have_count(len(adherence["leaders"]))
    expect(page.get_by_test_id("practices-total")).to_contain_text(f"{adherence['achieved']} de {adherence['goal']}")
    assert_accessible(page, "supervision: practices")
