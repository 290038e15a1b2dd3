"""What customers owe: device credits (ASCARD) and the last invoices of each postpaid account (Paradigma).

An installment due in a billing period shows up as a line of that period's invoice, so both systems agree.
"""

from __future__ import annotations

import datetime as dt
import random

INVOICE_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def make_credit(
    rng: random.Random,
    credit_number: int,
    account_number: str,
    system: str,
    customer_id: str,
    device_model: str,
    price: int,
    reference: dt.date,
    imei: str | None,
) -> tuple[dict, list[dict]]:
    """A device credit and its installment schedule; ~12% are behind on 1-3 installments."""
    count = rng.choice((12, 24, 36))
    elapsed = rng.randrange(1, count)
    start = add_months(reference.replace(day=5), -elapsed)
    overdue = rng.choice((1, 1, 2, 3)) if rng.random() < 0.12 else 0
    amount = round(price / count)
    credit_id = f"CRD{credit_number:09d}"
    installments = []
    for n in range(1, count + 1):
        due = add_months(start, n)
        if due > reference:
            status = "pending"
        elif n > elapsed - overdue:
            status = "overdue"
        else:
            status = "paid"
        installments.append(
            {
                "credit_id": credit_id,
                "number": n,
                "due_date": due.isoformat(),
                "amount": amount,
                "status": status,
                "paid_at": (due - dt.timedelta(days=rng.randrange(0, 6))).isoformat() if status == "paid" else None,
            }
        )
    n_overdue = sum(1 for i in installments if i["status"] == "overdue")
    credit = {
        "credit_id": credit_id,
        "customer_id": customer_id,
        "account_number": account_number,
        "system": system,
        "product": device_model,
        "imei": imei,
        "principal": price,
        "installments": count,
        "installment_amount": amount,
        "start_date": start.isoformat(),
        "installments_paid": sum(1 for i in installments if i["status"] == "paid"),
        "installments_overdue": n_overdue,
        "outstanding_balance": amount * sum(1 for i in installments if i["status"] != "paid"),
        "status": "en_mora" if n_overdue else "al_dia",
        "payment_behaviour": ("mora_60" if n_overdue >= 2 else "mora_30")
        if n_overdue
        else rng.choice(("excelente", "excelente", "bueno")),
    }
    return credit, installments


def make_invoices(
    rng: random.Random,
    account_number: str,
    system: str,
    customer_id: str,
    cycle: int,
    charges: list[tuple[str, int]],
    installments: list[tuple[str, dict]],
    reference: dt.date,
    counter: list[int],
) -> tuple[list[dict], list[dict]]:
    """The last INVOICE_MONTHS invoices. The newest may still be unpaid; older ones are settled, except ~5%."""
    invoices, lines = [], []
    for back in range(INVOICE_MONTHS, 0, -1):
        issue = add_months(
            reference.replace(day=cycle if cycle <= 28 else 28), -back + (1 if cycle <= reference.day else 0)
        )
        if issue > reference:
            continue
        due = issue + dt.timedelta(days=15)
        period = (issue - dt.timedelta(days=1)).strftime("%Y-%m")
        counter[0] += 1
        invoice_id = f"FV{counter[0]:010d}"
        items = list(charges)
        billed = []
        for label, inst in installments:
            if issue <= dt.date.fromisoformat(inst["due_date"]) < add_months(issue, 1):
                items.append((f"Cuota {inst['number']} financiación {label}", inst["amount"]))
                billed.append(inst)
        total = sum(amount for _, amount in items)
        if due >= reference:
            state = "sent"
        elif back == 1 and rng.random() < 0.15:
            state = "partiallyPaid" if rng.random() < 0.4 else "sent"
        else:
            state = "settled" if rng.random() > 0.05 else "partiallyPaid"
        # ASCARD and Paradigma must agree: an invoice carrying an overdue installment was not paid, and one whose
        # installments were all paid was not left unpaid.
        if any(inst["status"] == "overdue" for inst in billed):
            state = "sent"
        elif billed and due < reference and state == "sent" and all(i["status"] == "paid" for i in billed):
            state = "partiallyPaid"
        invoices.append(
            {
                "invoice_id": invoice_id,
                "account_number": account_number,
                "system": system,
                "customer_id": customer_id,
                "period": period,
                "issue_date": issue.isoformat(),
                "due_date": due.isoformat(),
                "amount": total,
                "currency": "COP",
                "state": state,
            }
        )
        for n, (description, amount) in enumerate(items, start=1):
            lines.append({"invoice_id": invoice_id, "line_number": n, "description": description, "amount": amount})
    return invoices, lines
