"""Paradigma through HTTP: invoices as the world has them, TMF678 states and overdue on the virtual clock, delivery
changes effective from the next issue date, the billing run, and approved adjustments arriving through the event
log as credits."""

from __future__ import annotations

import re

import pytest

from claro_backoffice.mocks.kit.events import EventLog

DIGITAL = "46271064"  # RR, cycle 22, digital to franciscocalderon954@yahoo.com; FV0000000007-09
PHYSICAL = "4985774199"  # AC postpago, cycle 15, physical; FV0000000004-06
FINANCED = "86663606"  # RR, cycle 22, router financed in 24 installments (23 due 2026-11-05, 24 due 2026-12-05)
TEST_SOURCE = "test-casos"


def set_clock(client, when: str):
    response = client.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


def problem(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["detail"]


@pytest.fixture
def paradigma(mock_client):
    return mock_client("paradigma")


@pytest.fixture
def adjustments(var_dir):
    """Append approved adjustments as the case flow will; withdrawn afterwards (a reset of Paradigma keeps them)."""
    log = EventLog(var_dir / "events" / "default.sqlite")

    def approve(account_number, adjustment_id, amount, approved_at, description="Ajuste por falla en el servicio"):
        payload = {
            "adjustment_id": adjustment_id,
            "account_number": account_number,
            "amount": amount,
            "description": description,
            "approved_at": approved_at,
        }
        return log.append(TEST_SOURCE, "adjustment.approved", account_number, payload, approved_at)

    yield approve
    log.withdraw(TEST_SOURCE)


def newest(client, account_number) -> dict:
    return client.get(f"/accounts/{account_number}/invoices", params={"limit": 1}).json()["invoices"][0]


# ---- invoices -----------------------------------------------------------------------------------------------------
def test_invoices_are_the_worlds_newest_first(paradigma, world):
    expected = sorted(
        (i for i in world.tables["invoices"] if i["account_number"] == DIGITAL),
        key=lambda i: i["issue_date"],
        reverse=True,
    )
    page = paradigma.get(f"/accounts/{DIGITAL}/invoices").json()
    assert (page["customer_id"], page["total"]) == ("CUS00000003", 3)
    keys = ("invoice_id", "period", "issue_date", "due_date", "amount", "state", "customer_id")
    assert [{k: i[k] for k in keys} for i in page["invoices"]] == [{k: i[k] for k in keys} for i in expected]
    assert page["pending_credits"] == [] and page["pending_credit_total"] == 0


def test_invoice_detail_has_the_worlds_lines_and_a_pdf_when_digital(paradigma, world):
    invoice = paradigma.get("/invoices/FV0000000009").json()
    lines = [
        (ln["description"], ln["amount"]) for ln in world.tables["invoice_lines"] if ln["invoice_id"] == "FV0000000009"
    ]
    assert [(ln["description"], ln["amount"]) for ln in invoice["lines"]] == lines
    assert sum(a for _, a in lines) == invoice["amount"] == 129800
    assert invoice["pdf_url"] == "https://facturas.claro.com.co/hogar/46271064/FV0000000009.pdf"
    assert (invoice["delivery_mode"], invoice["delivery_email"]) == ("digital", "franciscocalderon954@yahoo.com")
    physical = paradigma.get("/invoices/FV0000000006").json()
    assert (physical["delivery_mode"], physical["pdf_url"], physical["delivery_email"]) == ("physical", None, None)
    assert physical["delivery_address"].startswith("Carrera 50U # 9O-34")


def test_state_filter_and_paging(paradigma):
    settled = paradigma.get(f"/accounts/{DIGITAL}/invoices", params={"state": "settled"}).json()
    assert [i["invoice_id"] for i in settled["invoices"]] == ["FV0000000008", "FV0000000007"]
    second = paradigma.get(f"/accounts/{DIGITAL}/invoices", params={"limit": 1, "offset": 1}).json()
    assert ([i["invoice_id"] for i in second["invoices"]], second["total"]) == (["FV0000000008"], 3)
    problem(paradigma.get(f"/accounts/{DIGITAL}/invoices", params={"limit": 37}), 400)
    problem(paradigma.get(f"/accounts/{DIGITAL}/invoices", params={"state": "paid"}), 400)


def test_partially_paid_invoice_shows_its_balance_and_is_overdue(paradigma):
    invoice = paradigma.get("/invoices/FV0000000068").json()  # due 2026-10-07
    assert invoice["state"] == "partiallyPaid"
    assert 0 < invoice["amount_paid"] < invoice["amount"]
    assert invoice["balance_due"] == invoice["amount"] - invoice["amount_paid"]
    assert invoice["overdue"] is True


def test_overdue_follows_the_virtual_clock(paradigma):
    assert paradigma.get("/invoices/FV0000000009").json()["overdue"] is False  # sent, due 2026-11-06
    set_clock(paradigma, "2026-11-06T18:00:00-05:00")
    assert paradigma.get("/invoices/FV0000000009").json()["overdue"] is False  # due today: not yet
    set_clock(paradigma, "2026-11-07T08:00:00-05:00")
    assert paradigma.get("/invoices/FV0000000009").json()["overdue"] is True
    assert paradigma.get("/invoices/FV0000000008").json()["overdue"] is False  # settled never is


def test_fixture_plants_a_partial_payment(paradigma):
    patch = {
        "changes": [
            {
                "table": "invoices",
                "update": {
                    "where": {"invoice_id": "FV0000000009"},
                    "set": {"state": "partiallyPaid", "amount_paid": 50000},
                },
            }
        ]
    }
    assert paradigma.post("/__admin/fixtures", json=patch).status_code == 200
    set_clock(paradigma, "2026-11-10T08:00:00-05:00")
    invoice = paradigma.get("/invoices/FV0000000009").json()
    assert (invoice["state"], invoice["balance_due"], invoice["overdue"]) == ("partiallyPaid", 79800, True)


def test_unknown_and_prepaid_accounts_are_404s(paradigma):
    assert "12345678" in problem(paradigma.get("/accounts/12345678/invoices"), 404)
    assert "prepaid" in problem(paradigma.get("/accounts/1523884606/invoices"), 404)
    assert "FV0999999999" in problem(paradigma.get("/invoices/FV0999999999"), 404)
    problem(paradigma.get("/accounts/1523884606/delivery"), 404)


# ---- delivery -----------------------------------------------------------------------------------------------------
def test_delivery_is_the_worlds(paradigma, world):
    for row in world.tables["bill_delivery"][:20]:
        got = paradigma.get(f"/accounts/{row['account_number']}/delivery").json()
        assert (got["mode"], got["email"], got["pending_change"]) == (row["mode"], row["email"], None)
    home = next(a for a in world.tables["home_accounts"] if a["account_number"] == DIGITAL)
    got = paradigma.get(f"/accounts/{DIGITAL}/delivery").json()
    assert (got["address"], got["billing_cycle"], got["next_issue_date"]) == (home["address"], 22, "2026-11-22")


def test_mailing_addresses_of_customers_without_a_home_read_like_their_citys(paradigma, world):
    """Paradigma makes up a mailing address for a postpaid customer without a home account: a plate of two digits or
    more, and Sur/Este only in a city whose grid has them (Bogotá both, Medellín Sur)."""
    quadrants = {"Bogotá, D.C.": {"Sur", "Este"}, "Medellín": {"Sur"}}
    homes = {a["customer_id"] for a in world.tables["home_accounts"]}
    postpaid = [
        a["account_number"]
        for a in world.tables["mobile_accounts"]
        if a["billing_type"] == "postpago" and a["customer_id"] not in homes
    ]
    assert len(postpaid) > 20
    wrong = []
    for account in postpaid:
        got = paradigma.get(f"/accounts/{account}/delivery").json()
        plate = re.search(r"# [0-9]+[A-Z]?-([0-9]+)", got["address"])
        words = {w for w in got["address"].split(" ") if w in ("Sur", "Este")}
        if not plate or len(plate[1]) < 2 or not words <= quadrants.get(got["municipality"], set()):
            wrong.append((got["address"], got["municipality"]))
    assert wrong == []


def test_change_takes_effect_from_the_next_issue_date(paradigma):
    set_clock(paradigma, "2026-11-04T10:00:00-05:00")
    response = paradigma.put(
        f"/accounts/{PHYSICAL}/delivery",
        json={"mode": "digital", "email": "Fredy.Leal@Une.net.co", "advisor": "asesor.premium01"},
    )
    assert response.status_code == 200, response.text
    change = response.json()
    assert change["effective_from"] == "2026-11-15"
    assert "15/11/2026" in change["message"] and "fredy.leal@une.net.co" in change["message"]
    assert (change["mode"], change["pending_change"]["mode"], change["pending_change"]["email"]) == (
        "physical",
        "digital",
        "fredy.leal@une.net.co",
    )
    set_clock(paradigma, "2026-11-14T23:59:00-05:00")
    assert paradigma.get(f"/accounts/{PHYSICAL}/delivery").json()["pending_change"]["effective_from"] == "2026-11-15"
    set_clock(paradigma, "2026-11-15T00:01:00-05:00")
    now = paradigma.get(f"/accounts/{PHYSICAL}/delivery").json()
    assert (now["mode"], now["email"], now["pending_change"]) == ("digital", "fredy.leal@une.net.co", None)
    issued = newest(paradigma, PHYSICAL)  # the billing run issued the 15 November invoice
    assert (issued["issue_date"], issued["period"], issued["due_date"]) == ("2026-11-15", "2026-11", "2026-11-30")
    assert (issued["state"], issued["amount"], issued["delivery_mode"]) == ("sent", 129900, "digital")
    assert issued["pdf_url"] == f"https://facturas.claro.com.co/movil/{PHYSICAL}/{issued['invoice_id']}.pdf"
    assert paradigma.get(f"/invoices/{issued['invoice_id']}").json()["delivery_email"] == "fredy.leal@une.net.co"


def test_a_request_on_the_issue_day_waits_for_the_next_cycle(paradigma):
    set_clock(paradigma, "2026-11-22T09:00:00-05:00")
    change = paradigma.put(f"/accounts/{DIGITAL}/delivery", json={"mode": "physical"}).json()
    assert change["effective_from"] == "2026-12-22"
    assert newest(paradigma, DIGITAL)["delivery_mode"] == "digital"  # today's invoice went out digitally


def test_a_new_request_replaces_the_pending_one_and_the_current_mode_cancels_it(paradigma):
    paradigma.put(f"/accounts/{PHYSICAL}/delivery", json={"mode": "digital", "email": "a@correo.com"})
    second = paradigma.put(f"/accounts/{PHYSICAL}/delivery", json={"mode": "digital", "email": "b@correo.com"}).json()
    assert second["pending_change"]["email"] == "b@correo.com"
    cancel = paradigma.put(f"/accounts/{PHYSICAL}/delivery", json={"mode": "physical"})
    assert cancel.status_code == 200
    assert (cancel.json()["effective_from"], cancel.json()["pending_change"]) == (None, None)
    assert "cancela" in cancel.json()["message"]
    detail = problem(paradigma.put(f"/accounts/{PHYSICAL}/delivery", json={"mode": "physical"}), 409)
    assert PHYSICAL in detail and "physical" in detail


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "digital"},  # e-mail required
        {"mode": "physical", "email": "a@correo.com"},  # no e-mail on a physical delivery
        {"mode": "digital", "email": "not-an-email"},
        {"mode": "paper"},
    ],
)
def test_delivery_requests_outside_the_schema_are_400s(paradigma, body):
    problem(paradigma.put(f"/accounts/{PHYSICAL}/delivery", json=body), 400)


def test_reset_undoes_changes_and_issued_invoices(paradigma):
    set_clock(paradigma, "2026-12-01T08:00:00-05:00")
    paradigma.put(f"/accounts/{PHYSICAL}/delivery", json={"mode": "digital", "email": "a@correo.com"})
    assert newest(paradigma, PHYSICAL)["issue_date"] == "2026-11-15"
    paradigma.post("/__admin/reset")
    assert paradigma.get(f"/accounts/{PHYSICAL}/delivery").json()["pending_change"] is None
    assert newest(paradigma, PHYSICAL)["invoice_id"] == "FV0000000006"


# ---- next invoice, installments and the billing run ---------------------------------------------------------------
def test_next_invoice_preview_has_recurring_charges_and_the_installment_due(paradigma, world):
    preview = paradigma.get(f"/accounts/{FINANCED}/next-invoice").json()
    assert (preview["issue_date"], preview["period"], preview["due_date"]) == ("2026-11-22", "2026-11", "2026-12-07")
    last = max((i for i in world.tables["invoices"] if i["account_number"] == FINANCED), key=lambda i: i["issue_date"])
    charges = [
        (ln["description"], ln["amount"])
        for ln in world.tables["invoice_lines"]
        if ln["invoice_id"] == last["invoice_id"] and not ln["description"].startswith("Cuota ")
    ]
    assert [(ln["description"], ln["amount"]) for ln in preview["lines"] if ln["kind"] == "charge"] == charges
    assert [(ln["description"], ln["amount"]) for ln in preview["lines"] if ln["kind"] == "installment"] == [
        ("Cuota 24 financiación Router Wi-Fi 6 Claro", 16246)
    ]
    assert preview["amount"] == sum(a for _, a in charges) + 16246


def test_billing_run_stops_installments_when_the_credit_ends(paradigma):
    set_clock(paradigma, "2026-12-22T08:00:00-05:00")
    invoices = paradigma.get(f"/accounts/{FINANCED}/invoices", params={"limit": 2}).json()["invoices"]
    assert [i["issue_date"] for i in invoices] == ["2026-12-22", "2026-11-22"]
    kinds = [[ln["kind"] for ln in paradigma.get(f"/invoices/{i['invoice_id']}").json()["lines"]] for i in invoices]
    assert "installment" not in kinds[0] and "installment" in kinds[1]


# ---- adjustments from the event log -------------------------------------------------------------------------------
def test_an_approved_adjustment_is_credited_on_the_next_invoice(paradigma, adjustments):
    adjustments(DIGITAL, "ADJ-0001", 30000, "2026-11-04T09:00:00-05:00")
    page = paradigma.get(f"/accounts/{DIGITAL}/invoices").json()
    assert [(c["adjustment_id"], c["pending_amount"]) for c in page["pending_credits"]] == [("ADJ-0001", 30000)]
    assert page["pending_credit_total"] == 30000
    preview = paradigma.get(f"/accounts/{DIGITAL}/next-invoice").json()
    credit = [ln for ln in preview["lines"] if ln["kind"] == "credit"]
    assert [(ln["amount"], ln["adjustment_id"]) for ln in credit] == [(-30000, "ADJ-0001")]
    assert (preview["charges_total"], preview["credits_total"], preview["amount"]) == (129800, -30000, 99800)

    set_clock(paradigma, "2026-11-22T08:00:00-05:00")
    issued = newest(paradigma, DIGITAL)
    assert (issued["issue_date"], issued["amount"]) == ("2026-11-22", 99800)
    lines = paradigma.get(f"/invoices/{issued['invoice_id']}").json()["lines"]
    assert lines[-1]["description"] == "Ajuste ADJ-0001: Ajuste por falla en el servicio"
    assert (lines[-1]["amount"], lines[-1]["kind"]) == (-30000, "credit")
    assert paradigma.get(f"/accounts/{DIGITAL}/invoices").json()["pending_credits"] == []
    assert paradigma.get(f"/accounts/{DIGITAL}/next-invoice").json()["amount"] == 129800


def test_a_credit_larger_than_the_invoice_is_carried_forward(paradigma, adjustments):
    adjustments(DIGITAL, "ADJ-0002", 200000, "2026-11-04T09:00:00-05:00")
    preview = paradigma.get(f"/accounts/{DIGITAL}/next-invoice").json()
    assert (preview["amount"], preview["credits_total"], preview["credit_carried_forward"]) == (0, -129800, 70200)
    set_clock(paradigma, "2026-11-23T08:00:00-05:00")
    issued = newest(paradigma, DIGITAL)
    assert (issued["amount"], issued["state"], issued["overdue"]) == (0, "settled", False)
    page = paradigma.get(f"/accounts/{DIGITAL}/invoices").json()
    assert [(c["applied_amount"], c["pending_amount"]) for c in page["pending_credits"]] == [(129800, 70200)]
    set_clock(paradigma, "2026-12-22T08:00:00-05:00")
    assert newest(paradigma, DIGITAL)["amount"] == 129800 - 70200
    assert paradigma.get(f"/accounts/{DIGITAL}/invoices").json()["pending_credits"] == []


def test_an_adjustment_approved_after_the_issue_date_waits_a_cycle(paradigma, adjustments):
    adjustments(DIGITAL, "ADJ-0003", 10000, "2026-11-22T10:00:00-05:00")
    set_clock(paradigma, "2026-11-22T12:00:00-05:00")
    assert newest(paradigma, DIGITAL)["amount"] == 129800  # issued at the start of the day
    assert paradigma.get(f"/accounts/{DIGITAL}/next-invoice").json()["issue_date"] == "2026-12-22"
    assert paradigma.get(f"/accounts/{DIGITAL}/next-invoice").json()["amount"] == 119800


def test_malformed_or_repeated_adjustment_events_are_ignored(paradigma, adjustments):
    adjustments(DIGITAL, "ADJ-0004", -5000, "2026-11-04T09:00:00-05:00")
    adjustments(DIGITAL, "ADJ-0005", 5000, "ayer")
    adjustments(DIGITAL, "ADJ-0006", 7000, "2026-11-04T09:00:00-05:00")
    adjustments(DIGITAL, "ADJ-0006", 7000, "2026-11-04T09:00:00-05:00")
    page = paradigma.get(f"/accounts/{DIGITAL}/invoices").json()
    assert [(c["adjustment_id"], c["amount"]) for c in page["pending_credits"]] == [("ADJ-0006", 7000)]
    assert paradigma.get(f"/accounts/{PHYSICAL}/invoices").json()["pending_credits"] == []
