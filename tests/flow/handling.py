"""What the advisor does for each scenario through the gateway (with X-Case-Id), typification included, and the check
of each system's resulting state. Each handler returns the CUN when the case got a PQR (the marking carries it)."""

from __future__ import annotations

from tests.flow.flows import Run, typify
from tests.support.advisors import active_leader


def massive_outage(run: Run) -> None:
    """An AVISO on the node: the customer is told, no visit is booked, follow-up until the network is back."""
    account, aviso = run.customer["accountId"], run.expected["aviso"]
    lls_before = run.d.mock("rr", f"/accounts/{account}/lls")["lls"]
    diagnosis = run.gw("POST", "/homeDiagnostics", json={"accountId": account, "service": "internet"})
    assert diagnosis["aviso"] == aviso
    assert diagnosis["suggestedTypification"]["code"] == run.expected["typificationCode"]
    problems = run.gw("GET", "/serviceProblem", params={"accountId": account})
    assert str(aviso) in [p["id"] for p in problems]
    typify(run, f"Falla masiva en el nodo: AVISO {aviso}. Se informa al cliente; no se agenda visita.", False)
    assert run.d.mock("rr", f"/accounts/{account}/lls")["lls"] == lls_before  # no visit: no new LLS


def modem_without_sync(run: Run) -> None:
    """A single fault (modem offline, no AVISO): a visit booked in Gestión appears as an LLS in RR."""
    account = run.customer["accountId"]
    diagnosis = run.gw("POST", "/homeDiagnostics", json={"accountId": account, "service": "internet"})
    assert diagnosis["modem"]["status"] == "offline" and diagnosis["aviso"] is None and diagnosis["incidents"] == []
    slots = run.gw("POST", "/searchTimeSlot", json={"accountId": account})
    assert slots["searchResult"] == "success", slots
    slot = slots["availableTimeSlot"][0]["validFor"]
    visit = run.gw(
        "POST",
        "/appointment",
        201,
        json={
            "@type": "TechnicalVisit",
            "validFor": slot,
            "description": "Módem sin sincronía tras diagnóstico",
            "relatedEntity": [{"id": account, "role": "account", "@referredType": "BillingAccount"}],
            "relatedParty": [{"id": run.advisor, "role": "advisor", "@referredType": "Individual"}],
            "contactMedium": [
                {"mediumType": "phone", "characteristic": {"phoneNumber": run.customer["phone"]["national"]}}
            ],
        },
    )
    assert visit["status"] == "confirmed" and visit["llsId"]
    lls = {o["lls_id"]: o for o in run.d.mock("rr", f"/accounts/{account}/lls")["lls"]}
    assert lls[visit["llsId"]]["appointment_id"] == visit["id"]
    assert lls[visit["llsId"]]["slot_start"][:16] == slot["startDateTime"][:16]
    typify(run, f"Módem sin sincronía, sin AVISO. Visita {visit['id']} agendada, LLS {visit['llsId']}.", False)


def unrecognised_charge(run: Run) -> str:
    """A charge the customer does not recognise, not solved now: a PQR with its CUN, due in 15 business days."""
    account = run.customer["accountId"]
    bill = run.gw("GET", "/customerBill/FV0000000018")
    assert bill["billingAccount"]["id"] == account
    pqr = run.gw(
        "POST",
        f"/cases/{run.case}/pqr",
        201,
        json={
            "description": "Reclamo por cobro de Claro Música Premium que el cliente no reconoce en la factura "
            "FV0000000018."
        },
    )
    cun = pqr["externalId"]
    assert cun.isdigit() and pqr["status"] == "acknowledged"
    # Filed Wed 4 Nov 2026: day 1 is Thu 5 Nov; Mon 16 Nov is a holiday (Independencia de Cartagena).
    assert pqr["requestedResolutionDate"].startswith("2026-11-26T23:59:59")
    typify(run, f"Cliente no reconoce cobro de Claro Música en la factura FV0000000018. PQR con CUN {cun}.", False)
    return cun


def digital_invoice(run: Run) -> None:
    """The invoice by e-mail from the next issue date (Paradigma)."""
    account, email = run.customer["accountId"], "cliente.premium@example.com"
    changed = run.gw("PUT", f"/billingAccounts/{account}/billDelivery", json={"mode": "digital", "email": email})
    delivery = run.d.mock("paradigma", f"/accounts/{account}/delivery")
    assert delivery["pending_change"]["mode"] == "digital" and delivery["pending_change"]["email"] == email
    assert changed["effectiveFrom"] == delivery["pending_change"]["effective_from"]
    typify(run, f"Cambio a factura digital al correo {email} desde la próxima factura.", True)


def volte(run: Run) -> None:
    """VoLTE installed in PortalPAC: pending, active 15 minutes later."""
    msisdn = run.customer["msisdn"]
    assert run.d.mock("portalpac", f"/lines/{msisdn}/volte")["status"] == "inactive"
    installed = run.gw("PUT", f"/lines/{msisdn}/volte", 202)
    assert installed["status"] == "pending" and installed["volteCapable"] and installed["volteAllowed"]
    run.d.ok("POST", "/admin/clock", json={"advance": "PT16M"})
    assert run.d.mock("portalpac", f"/lines/{msisdn}/volte")["status"] == "active"
    run.gw("GET", f"/lines/{msisdn}/provisioning")
    typify(run, "VoLTE inactivo en PortalPAC; se instala y queda activo. Seguimiento de calidad de llamadas.", False)


def prepaid_recharge(run: Run) -> None:
    """CMAX shows the recharge not applied; the advisor re-applies it through the gateway, for the case."""
    msisdn, reference = run.customer["msisdn"], "RC2079990001"
    before = run.gw("GET", f"/lines/{msisdn}/provisioning")["balance"]
    assert before["unappliedRecharges"] == 1, before
    recharge = run.gw("POST", f"/lines/{msisdn}/recharges/{reference}/reapply", json={"advisor": run.advisor})
    assert recharge["status"] == "applied" and recharge["reappliedBy"] == run.advisor
    assert recharge["balanceAfter"] == before["mainBalance"] + 20000
    after = run.gw("GET", f"/lines/{msisdn}/provisioning")["balance"]
    assert after["unappliedRecharges"] == 0 and after["mainBalance"] == before["mainBalance"] + 20000
    timeline = run.d.ok("GET", f"/cases/{run.case}")["timeline"]
    assert any(t.get("system") == "cmax" and t["action"] == f"POST /recharges/{reference}/reapply" for t in timeline)
    typify(run, f"Recarga {reference} por PSE no aplicada en CMAX; se reaplica y el saldo queda acreditado.", True)


def no_coverage(run: Run) -> None:
    """The home cell is in outage (SARA, CCI) with an AVISO: the failed attempts name it; follow-up until it is back."""
    msisdn, aviso = run.customer["msisdn"], run.expected["aviso"]
    usage = run.gw(
        "GET", f"/lines/{msisdn}/usage", params={"from": "2026-11-04T05:00:00-05:00", "to": "2026-11-04T09:00:00-05:00"}
    )
    cell = usage["homeCellId"]
    assert cell.startswith("MED0002"), usage
    problems = run.gw("GET", "/serviceProblem", params={"cellId": cell})
    assert [p["id"] for p in problems] == [str(aviso)] and problems[0]["status"] == "inProgress"
    coverage = run.gw("GET", "/coverage", params={"cellId": cell})
    assert {c["state"] for c in coverage["cells"]} == {"outage"}, coverage
    typify(run, f"Sin cobertura en casa: celda {cell} en falla, AVISO {aviso}.", False)


def device_financing(run: Run) -> None:
    """ASCARD: the credit and its overdue installment."""
    credits = run.gw("GET", f"/customers/{run.customer['customerId']}/credits")
    credit = next(c for c in credits["credits"] if c["id"] == run.expected["creditId"])
    assert credits["inArrears"] >= 1 and credits["overdueAmount"]["value"] > 0, credits
    assert credit["status"] == "en_mora" and credit["overdueAmount"]["value"] > 0
    typify(run, f"Se informa el estado del crédito {credit['id']} y la cuota vencida.", True)


def shared_data(run: Run) -> None:
    """The line's Datos Compartidos quota corrected in PortalPAC."""
    msisdn, account = run.customer["msisdn"], run.customer["accountId"]
    corrected = run.gw("PUT", f"/lines/{msisdn}/sharedData", json={"quotaGb": 10})
    quotas = {q["msisdn"]: q["quota_gb"] for q in run.d.mock("portalpac", f"/accounts/{account}/shared-data")["lines"]}
    assert quotas[msisdn] == 10 and corrected
    typify(run, "Se corrige la cuota de datos compartidos de la línea 3236530642 a 10 GB.", True)


def billing_adjustment(run: Run) -> None:
    """A duplicated charge: an adjustment in RR approved by a supervisor, escalated to DIME's billing area; the
    credit appears on the account's next Paradigma invoice."""
    account, amount = run.customer["accountId"], run.expected["adjustment"]
    bill = run.gw("GET", "/customerBill/FV0000000066")
    assert bill["amountDue"]["value"] == 339700 and bill["billingAccount"]["id"] == account
    made = run.gw(
        "POST",
        f"/cases/{run.case}/adjustments",
        201,
        json={"amount": amount, "reason": "Cobro duplicado del Internet Fibra 900 Mbps", "invoiceId": "FV0000000066"},
    )
    assert made["status"] == "pending" and made["system"] == "rr"
    approved = run.d.ok(
        "POST",
        f"/adjustments/{made['id']}/approve",
        token="dev-supervisor",
        json={"supervisor": active_leader(run.d)["username"], "notes": "Cobro duplicado verificado"},
    )
    assert approved["status"] == "approved"
    ticket = run.gw(
        "POST",
        "/troubleTicket",
        201,
        json={
            "@type": "Escalation",
            "description": f"Seguimiento del ajuste {made['id']} por cobro duplicado.",
            "areaCode": "FACT",
            "typificationCode": run.expected["typificationCode"],
            "relatedEntity": [
                {"id": run.case, "role": "case", "@referredType": "Case"},
                {"id": account, "role": "account", "@referredType": "BillingAccount"},
            ],
            "relatedParty": [
                {"id": run.customer["customerId"], "role": "customer", "@referredType": "Customer"},
                {"id": run.advisor, "role": "advisor", "@referredType": "Individual"},
            ],
        },
    )
    assert ticket["status"] == "acknowledged" and ticket["areaCode"] == "FACT"
    tickets = run.d.ok("GET", "/troubleTicket", params={"customerId": run.customer["customerId"]})
    assert ticket["id"] in [t["id"] for t in tickets]
    typify(run, f"Ajuste {made['id']} por {amount} COP aprobado; escalado a FACT ({ticket['id']}).", False)


def invoice_credit(run: Run, case: dict) -> None:
    """After the close-out: on the account's next issue date Paradigma issues the invoice with the credit."""
    account, amount = run.customer["accountId"], run.expected["adjustment"]
    [adjustment] = run.gw("GET", f"/cases/{run.case}/adjustments")["adjustments"]
    preview = run.d.mock("paradigma", f"/accounts/{account}/next-invoice")
    assert [(ln["adjustment_id"], ln["amount"]) for ln in preview["lines"] if ln["kind"] == "credit"] == [
        (adjustment["id"], -amount)
    ]
    run.d.ok("POST", "/admin/clock", json={"set": f"{preview['issue_date']}T08:00:00-05:00", "frozen": True})
    issued = run.d.mock("paradigma", f"/accounts/{account}/invoices")["invoices"][0]
    assert issued["issue_date"] == preview["issue_date"] and issued["amount"] == preview["amount"]
    lines = run.d.mock("paradigma", f"/invoices/{issued['invoice_id']}")["lines"]
    assert [(ln["adjustment_id"], ln["amount"]) for ln in lines if ln["kind"] == "credit"] == [
        (adjustment["id"], -amount)
    ]
    steps = [(t["action"], t["outcome"]) for t in case["timeline"] if t["kind"] == "step"]
    assert ("adjustmentRequested", "pending") in steps and ("adjustmentApproved", "approved") in steps


HANDLERS = {
    "massive-internet-outage": massive_outage,
    "modem-without-sync": modem_without_sync,
    "unrecognised-charge": unrecognised_charge,
    "digital-invoice-request": digital_invoice,
    "volte-not-active": volte,
    "prepaid-recharge-not-applied": prepaid_recharge,
    "no-coverage-at-home": no_coverage,
    "device-financing-question": device_financing,
    "shared-data-quota-correction": shared_data,
    "billing-error-adjustment": billing_adjustment,
}
AFTER = {"billing-error-adjustment": invoice_credit}  # checks once the case is closed out
