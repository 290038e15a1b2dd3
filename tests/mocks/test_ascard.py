"""ASCARD through HTTP: credits as the world says, installments agreeing with the world's invoices, installments
falling overdue on the virtual clock, an overdue installment planted by fixture, payments (overdue first, partial
abono, limits), reset."""

from __future__ import annotations

import re

import pytest

PROBLEM = "application/problem+json"
CUOTA = re.compile(r"^Cuota (\d+) financiación (.+)$")


def _credit(world, **match):
    return next(c for c in world.tables["credits"] if all(c[k] == v for k, v in match.items()))


def _installments(world, credit_id):
    return [i for i in world.tables["credit_installments"] if i["credit_id"] == credit_id]


def _problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


def _set_clock(c, when: str):
    response = c.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


# ---- consistency with the world -------------------------------------------------------------------------------
def test_every_credit_reads_as_the_world_says_at_the_reference_date(mock_client, world):
    c = mock_client("ascard")
    assert world.tables["credits"]
    for credit in world.tables["credits"]:
        body = c.get(f"/credits/{credit['credit_id']}").json()
        for field in (
            "customer_id",
            "account_number",
            "system",
            "product",
            "imei",
            "principal",
            "installment_amount",
            "start_date",
            "installments_paid",
            "installments_overdue",
            "outstanding_balance",
            "status",
            "payment_behaviour",
        ):
            assert body[field] == credit[field], (credit["credit_id"], field)
        assert body["installment_count"] == credit["installments"] == len(body["installments"])
        assert body["product_line"] == {"rr": "hogar", "ac": "movil"}[credit["system"]]
        world_schedule = [
            (i["number"], i["due_date"], i["amount"], i["status"], i["paid_at"])
            for i in _installments(world, credit["credit_id"])
        ]
        assert [
            (i["number"], i["due_date"], i["amount"], i["status"], i["paid_at"]) for i in body["installments"]
        ] == world_schedule


def test_installments_agree_with_the_worlds_invoice_lines(mock_client, world):
    c = mock_client("ascard")
    invoices = {i["invoice_id"]: i for i in world.tables["invoices"]}
    credits_by_account = {}
    for credit in world.tables["credits"]:
        credits_by_account.setdefault(credit["account_number"], []).append(credit)
    checked, schedules = 0, {}
    for line in world.tables["invoice_lines"]:
        match = CUOTA.match(line["description"])
        if not match:
            continue
        invoice = invoices[line["invoice_id"]]
        credit = next(cr for cr in credits_by_account[invoice["account_number"]] if cr["product"] == match[2])
        if credit["credit_id"] not in schedules:
            schedules[credit["credit_id"]] = {
                i["number"]: i for i in c.get(f"/credits/{credit['credit_id']}/installments").json()["installments"]
            }
        billed = schedules[credit["credit_id"]][int(match[1])]
        assert billed["amount"] == line["amount"]
        assert billed["invoice_id"] == invoice["invoice_id"]
        assert invoice["issue_date"] <= billed["due_date"]
        assert invoice["customer_id"] == credit["customer_id"]
        checked += 1
    assert checked >= 20, "the world's invoices should bill many installments"


def test_customer_and_account_credits(mock_client, world):
    c = mock_client("ascard")
    credit = _credit(world, system="ac")
    body = c.get(f"/customers/{credit['customer_id']}/credits").json()
    assert credit["credit_id"] in [cr["credit_id"] for cr in body["credits"]]
    assert {cr["customer_id"] for cr in body["credits"]} == {credit["customer_id"]}
    account = c.get(f"/accounts/{credit['account_number']}/credits").json()
    assert (account["system"], account["product_line"], account["customer_id"]) == (
        "ac",
        "movil",
        credit["customer_id"],
    )
    assert credit["credit_id"] in [cr["credit_id"] for cr in account["credits"]]
    home = _credit(world, system="rr")
    assert c.get(f"/accounts/{home['account_number']}/credits").json()["product_line"] == "hogar"

    with_credit = {cr["customer_id"] for cr in world.tables["credits"]}
    nobody = next(p["customer_id"] for p in world.tables["parties"] if p["customer_id"] not in with_credit)
    assert c.get(f"/customers/{nobody}/credits").json()["credits"] == []
    summary = c.get(f"/customers/{nobody}/payment-behaviour").json()
    assert (summary["status"], summary["payment_behaviour"], summary["credits_total"]) == (
        "sin_creditos",
        "sin_historial",
        0,
    )
    _problem(c.get("/customers/CUS99999999/credits"), 404, "CUS99999999", "ASCARD")
    _problem(c.get("/accounts/89999999/credits"), 404, "89999999")
    _problem(c.get("/credits/CRD999999999"), 404, "CRD999999999")
    assert c.get("/credits/CRD12/installments").status_code == 400
    assert c.get(f"/credits/{credit['credit_id']}/installments?status=late").status_code == 400


def test_payment_behaviour_summary_of_a_customer_in_arrears(mock_client, world):
    c = mock_client("ascard")
    credit = _credit(world, status="en_mora")
    summary = c.get(f"/customers/{credit['customer_id']}/payment-behaviour").json()
    assert summary["status"] == "en_mora"
    assert summary["payment_behaviour"] == credit["payment_behaviour"]
    assert summary["installments_overdue"] >= credit["installments_overdue"]
    assert summary["overdue_amount"] >= credit["installments_overdue"] * credit["installment_amount"]


# ---- time and fixtures ----------------------------------------------------------------------------------------
def test_pending_installment_reads_overdue_once_its_due_date_passes(mock_client, world):
    c = mock_client("ascard")
    credit = next(
        cr
        for cr in world.tables["credits"]
        if cr["status"] == "al_dia" and any(i["status"] == "pending" for i in _installments(world, cr["credit_id"]))
    )
    upcoming = next(i for i in _installments(world, credit["credit_id"]) if i["status"] == "pending")
    url = f"/credits/{credit['credit_id']}"
    assert c.get(url).json()["next_due_date"] == upcoming["due_date"]

    _set_clock(c, f"{upcoming['due_date']}T23:59:00-05:00")
    assert c.get(url).json()["status"] == "al_dia"
    _set_clock(c, f"{upcoming['due_date']}T23:59:00-05:00")
    c.post("/__admin/clock", json={"advance": "PT2M"})
    body = c.get(url).json()
    assert (body["status"], body["payment_behaviour"], body["installments_overdue"], body["days_past_due"]) == (
        "en_mora",
        "mora_30",
        1,
        1,
    )
    overdue = c.get(f"{url}/installments?status=overdue").json()["installments"]
    assert [(i["number"], i["amount_due"]) for i in overdue] == [(upcoming["number"], upcoming["amount"])]


def test_fixture_plants_an_overdue_installment(mock_client, world):
    c = mock_client("ascard")
    credit = next(cr for cr in world.tables["credits"] if cr["status"] == "al_dia" and cr["installments_paid"] > 0)
    last_paid = max(i["number"] for i in _installments(world, credit["credit_id"]) if i["status"] == "paid")
    response = c.post(
        "/__admin/fixtures",
        json={
            "description": "cuota vencida",
            "changes": [
                {
                    "table": "installments",
                    "update": {
                        "where": {"credit_id": credit["credit_id"], "number": last_paid},
                        "set": {"status": "overdue", "amount_paid": 0, "paid_at": None},
                    },
                }
            ],
        },
    )
    assert response.status_code == 200 and response.json()["applied"][0]["rows"] == 1
    body = c.get(f"/credits/{credit['credit_id']}").json()
    assert (body["status"], body["payment_behaviour"], body["installments_overdue"]) == ("en_mora", "mora_30", 1)
    assert body["outstanding_balance"] == credit["outstanding_balance"] + credit["installment_amount"]
    assert c.get(f"/customers/{credit['customer_id']}/payment-behaviour").json()["status"] == "en_mora"


# ---- payments -------------------------------------------------------------------------------------------------
def test_payment_covers_overdue_first_and_keeps_a_partial_abono(mock_client, world):
    c = mock_client("ascard")
    credit = next(cr for cr in world.tables["credits"] if cr["installments_overdue"] >= 2)
    overdue = [i for i in _installments(world, credit["credit_id"]) if i["status"] == "overdue"]
    amount = credit["installment_amount"]
    response = c.post(
        f"/credits/{credit['credit_id']}/payments",
        json={"amount": amount + 1000, "channel": "pse", "advisor": "asesor.premium01"},
    )
    assert response.status_code == 201, response.text
    payment = response.json()
    assert payment["allocations"] == [
        {"number": overdue[0]["number"], "applied": amount, "installment_status": "paid"},
        {"number": overdue[1]["number"], "applied": 1000, "installment_status": "overdue"},
    ]
    assert payment["credit"]["installments_overdue"] == credit["installments_overdue"] - 1
    assert payment["credit"]["outstanding_balance"] == credit["outstanding_balance"] - amount - 1000
    second = {i["number"]: i for i in c.get(f"/credits/{credit['credit_id']}/installments").json()["installments"]}
    assert (second[overdue[1]["number"]]["amount_paid"], second[overdue[1]["number"]]["status"]) == (1000, "overdue")
    listed = c.get(f"/credits/{credit['credit_id']}/payments").json()["payments"]
    assert listed[0]["payment_id"] == payment["payment_id"] and listed[0]["registered_by"] == "asesor.premium01"

    rest = sum(i["amount"] for i in overdue[1:]) - 1000
    after = c.post(f"/credits/{credit['credit_id']}/payments", json={"amount": rest, "channel": "efecty"}).json()
    assert (after["credit"]["status"], after["credit"]["payment_behaviour"]) == ("al_dia", "regular")

    assert c.post("/__admin/reset").status_code == 200
    body = c.get(f"/credits/{credit['credit_id']}").json()
    assert (body["installments_overdue"], body["outstanding_balance"]) == (
        credit["installments_overdue"],
        credit["outstanding_balance"],
    )
    assert payment["payment_id"] not in [
        p["payment_id"] for p in c.get(f"/credits/{credit['credit_id']}/payments").json()["payments"]
    ]


def test_paying_it_all_then_paying_again_is_a_conflict(mock_client, world):
    c = mock_client("ascard")
    credit = min(
        (cr for cr in world.tables["credits"] if cr["outstanding_balance"] >= 1000),
        key=lambda cr: cr["outstanding_balance"],
    )
    url = f"/credits/{credit['credit_id']}/payments"
    body = _problem(
        c.post(url, json={"amount": credit["outstanding_balance"] + 1, "channel": "pse"}),
        409,
        str(credit["outstanding_balance"]),
        credit["credit_id"],
    )
    assert body["outstanding_balance"] == credit["outstanding_balance"]
    paid = c.post(url, json={"amount": credit["outstanding_balance"], "channel": "factura"}).json()
    assert (paid["credit"]["status"], paid["credit"]["outstanding_balance"], paid["credit"]["next_due_date"]) == (
        "pagado",
        0,
        None,
    )
    _problem(c.post(url, json={"amount": 1000, "channel": "pse"}), 409, "paid in full")


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 999, "channel": "pse"},
        {"amount": 20000001, "channel": "pse"},
        {"amount": 5000},
        {"amount": 5000, "channel": "cheque"},
        {"amount": "5000", "channel": "pse"},
    ],
)
def test_payment_bad_input_is_a_400(mock_client, world, body):
    c = mock_client("ascard")
    credit = world.tables["credits"][0]["credit_id"]
    assert c.post(f"/credits/{credit}/payments", json=body).status_code == 400


def test_payment_not_json_is_a_415_and_unknown_credit_a_404(mock_client, world):
    c = mock_client("ascard")
    credit = world.tables["credits"][0]["credit_id"]
    response = c.post(f"/credits/{credit}/payments", content="amount=5000", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    _problem(c.post("/credits/CRD999999999/payments", json={"amount": 5000, "channel": "pse"}), 404, "CRD999999999")
