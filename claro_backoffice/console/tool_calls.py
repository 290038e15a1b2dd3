"""The Tools panel's calls: one gateway operation each, given the advisor's form, the open case (or None), the
conversation and the signed-in advisor. A form the console can tell is incomplete is `Refused` in Spanish before
any system is asked; everything else is the gateway's (and the system's) to judge."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from claro_backoffice.console import formatting
from claro_backoffice.console.client import Gateway

ACCOUNT = re.compile(r"^[0-9]{8,10}$")
MSISDN = re.compile(r"^3[0-9]{9}$")
CELL = re.compile(r"^[A-Za-z0-9-]{3,40}$")


class Refused(Exception):
    """The form cannot be sent as it is (told to the advisor in Spanish; no system is asked)."""


Call = Callable[[Gateway, dict, "dict | None", dict, "str | None"], Any]


@dataclasses.dataclass(frozen=True)
class Tool:
    title: str
    line: str  # "home" (RR accounts) or "mobile" (AC lines)
    call: Call
    needs_case: bool = False


def _account(form: dict, case: dict | None) -> str:
    account = form.get("accountId") or (case or {}).get("accountId") or ""
    if not ACCOUNT.match(account):
        raise Refused("Elige la cuenta de hogar del cliente.")
    return account


def _msisdn(form: dict, case: dict | None) -> str:
    msisdn = form.get("msisdn") or (case or {}).get("msisdn") or ""
    if not MSISDN.match(msisdn):
        raise Refused("Elige la línea móvil del cliente.")
    return msisdn


def _cell(form: dict) -> str:
    cell = form.get("cellId", "")
    if not CELL.match(cell):
        raise Refused("Escribe el código de la celda (por ejemplo, el que muestra el consumo de la línea).")
    return cell


def diagnostics(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    return gw.post(
        "/homeDiagnostics", {"accountId": _account(form, case), "service": form.get("service") or "internet"}
    )


def avisos(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    return {"accountId": _account(form, case), "avisos": gw.get("/serviceProblem", accountId=_account(form, case))}


def raise_aviso(gw: Gateway, form: dict, case: dict | None, _c: dict, advisor: str | None) -> Any:
    """A home fault escalated in Diagnosticador: a new AVISO, or the account associated to an open one."""
    description = form.get("description", "")
    if not description:
        raise Refused("Describe la falla que reporta el cliente.")
    body = {
        "accountId": _account(form, case),
        "faultType": "massive" if form.get("faultType") == "massive" else "single",
        "service": form.get("service") or "internet",
        "description": description[:500],
        "advisor": advisor or (case or {}).get("advisor") or "",
    }
    return gw.post("/serviceProblem", body)


def slots(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    return gw.post("/searchTimeSlot", {"accountId": _account(form, case)})


def book(gw: Gateway, form: dict, case: dict | None, conversation: dict, advisor: str | None) -> Any:
    account = _account(form, case)
    start, end = form.get("start", ""), form.get("end", "")
    if not (formatting.moment(start) and formatting.moment(end)):
        raise Refused("Elige una franja de las que ofrece la búsqueda.")
    phone = re.sub(r"\D", "", form.get("phone") or conversation.get("waId") or "")
    phone = phone[2:] if len(phone) == 12 and phone.startswith("57") else phone
    if not MSISDN.match(phone):
        raise Refused("Escribe el celular de quien recibe al técnico (10 dígitos).")
    body: dict = {
        "@type": "TechnicalVisit",
        "validFor": {"startDateTime": start, "endDateTime": end},
        "description": form.get("description") or (case or {}).get("description") or "Visita técnica",
        "relatedEntity": [{"id": account, "role": "account", "@referredType": "BillingAccount"}],
        "contactMedium": [{"mediumType": "phone", "characteristic": {"phoneNumber": phone}}],
    }
    if advisor:
        body["relatedParty"] = [{"id": advisor, "role": "advisor", "@referredType": "Individual"}]
    return gw.post("/appointment", body)


def cancel_visit(gw: Gateway, form: dict, _case: dict | None, _c: dict, _a: str | None) -> Any:
    visit = form.get("visitId", "")
    if not re.match(r"^APT[0-9]{8}$", visit):
        raise Refused("Elige la visita que el cliente quiere cancelar.")
    reason = form.get("reason", "")
    if len(reason) < 5:
        raise Refused("Escribe por qué se cancela la visita (al menos 5 caracteres).")
    return gw.send("PATCH", f"/appointment/{visit}", {"status": "cancelled", "cancellationReason": reason})


def adjustment(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    assert case is not None  # needs_case
    amount = re.sub(r"[\s$.]", "", form.get("amount", ""))
    if not amount.isdigit() or int(amount) < 1:
        raise Refused("Escribe el valor del ajuste en pesos, sin decimales (por ejemplo 45900).")
    reason = form.get("reason", "")
    if len(reason) < 5:
        raise Refused("Escribe el motivo del ajuste (al menos 5 caracteres).")
    body: dict = {"amount": int(amount), "reason": reason}
    if form.get("invoiceId"):
        body["invoiceId"] = form["invoiceId"]
    return gw.post(f"/cases/{case['id']}/adjustments", body)


def bills(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    return gw.get("/customerBill", billingAccountId=_account(form, case), limit=6)


def bill_delivery(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    account = _account(form, case)
    if form.get("mode") == "digital":
        if "@" not in form.get("email", ""):
            raise Refused("Para la factura digital escribe el correo del cliente.")
        return gw.send("PUT", f"/billingAccounts/{account}/billDelivery", {"mode": "digital", "email": form["email"]})
    return gw.send("PUT", f"/billingAccounts/{account}/billDelivery", {"mode": "physical"})


def credits(gw: Gateway, _f: dict, case: dict | None, conversation: dict, _a: str | None) -> Any:
    customer = (case or {}).get("customerId") or conversation.get("customerId")
    if not customer:
        raise Refused("Valida primero la identidad del cliente.")
    return gw.get(f"/customers/{customer}/credits")


def provisioning(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    return gw.get(f"/lines/{_msisdn(form, case)}/provisioning")


def usage(gw: Gateway, form: dict, case: dict | None, conversation: dict, _a: str | None) -> Any:
    """The day before the customer's last message (the console has no clock of the sandbox's own)."""
    last = formatting.moment(conversation.get("lastCustomerMessageAt") or conversation.get("createdAt"))
    if last is None:
        raise Refused("La conversación aún no tiene mensajes del cliente.")
    start = (last - dt.timedelta(hours=24)).replace(minute=0, second=0, microsecond=0)
    end = last.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    found = gw.get(
        f"/lines/{_msisdn(form, case)}/usage", **{"from": start.isoformat(), "to": end.isoformat(), "pageSize": 200}
    )
    return {"msisdn": _msisdn(form, case), "from": start.isoformat(), "to": end.isoformat(), "usage": found}


def coverage(gw: Gateway, form: dict, _case: dict | None, _c: dict, _a: str | None) -> Any:
    cell = _cell(form)
    return {
        "cellId": cell,
        "coverage": gw.get("/coverage", cellId=cell),
        "avisos": gw.get("/serviceProblem", cellId=cell),
    }


def reapply(gw: Gateway, form: dict, case: dict | None, _c: dict, advisor: str | None) -> Any:
    reference = form.get("reference", "").upper()
    if not re.match(r"^RC[0-9]{10}$", reference):
        raise Refused("Escribe la referencia de la recarga que el cliente reporta (RC y 10 dígitos).")
    return gw.post(f"/lines/{_msisdn(form, case)}/recharges/{reference}/reapply", {"advisor": advisor or ""})


def volte(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    method = "DELETE" if form.get("action") == "uninstall" else "PUT"
    return gw.send(method, f"/lines/{_msisdn(form, case)}/volte")


def friends(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    """Familia y Amigos: the list, or add / remove a number and the updated list."""
    msisdn = _msisdn(form, case)
    number = re.sub(r"\D", "", form.get("number", ""))
    if form.get("action") in ("add", "remove") and not re.match(r"^(57)?(3[0-9]{9}|60[1245678][0-9]{7})$", number):
        raise Refused("Escribe el número de Familia y Amigos: un celular de 10 dígitos o un fijo 60X XXX XXXX.")
    if form.get("action") == "add":
        return gw.post(f"/lines/{msisdn}/friendsAndFamily", {"number": number})
    if form.get("action") == "remove":
        return gw.send("DELETE", f"/lines/{msisdn}/friendsAndFamily/{number}")
    return gw.get(f"/lines/{msisdn}/friendsAndFamily")


def shared_data(gw: Gateway, form: dict, case: dict | None, _c: dict, _a: str | None) -> Any:
    quota = form.get("quotaGb", "")
    if not quota.isdigit() or int(quota) > 500:
        raise Refused("Escribe la cuota de Datos Compartidos en GB enteros (0 a 500).")
    return gw.send("PUT", f"/lines/{_msisdn(form, case)}/sharedData", {"quotaGb": int(quota)})


def escalate(gw: Gateway, form: dict, case: dict | None, _c: dict, advisor: str | None) -> Any:
    """DIME: the case, its account or line, the customer and the advisor; the typification the case carries."""
    assert case is not None  # needs_case
    area = form.get("areaCode", "").upper()
    if not re.match(r"^[A-Z0-9]{2,10}$", area):
        raise Refused("Elige el área resolutora de DIME.")
    code = form.get("typificationCode") or ((case.get("typification") or {}).get("code")) or ""
    if not re.match(r"^[A-Z]{3}-[A-Z0-9]{2,3}-[0-9]{2}$", code):
        raise Refused("Escribe el código de tipificación (por ejemplo SOP-INT-01) o tipifica el caso primero.")
    description = form.get("description", "")
    if not description:
        raise Refused("Describe qué debe revisar el área resolutora.")
    entities = [{"id": case["id"], "role": "case", "@referredType": "Case"}]
    if case.get("msisdn"):
        entities.append({"id": case["msisdn"], "role": "line", "@referredType": "MobileLine"})
    else:
        entities.append({"id": case["accountId"], "role": "account", "@referredType": "BillingAccount"})
    body: dict = {
        "@type": "Escalation",
        "description": description,
        "areaCode": area,
        "typificationCode": code,
        "relatedEntity": entities,
        "relatedParty": [
            {"id": case["customerId"], "role": "customer", "@referredType": "Customer"},
            {"id": advisor or case.get("advisor") or "", "role": "advisor", "@referredType": "Individual"},
        ],
    }
    if form.get("evidence"):
        body["attachment"] = [{"name": "nota_asesor.txt", "description": form["evidence"]}]
    return gw.post("/troubleTicket", body)


TOOLS: dict[str, Tool] = {
    "diagnostics": Tool("Diagnóstico del módem (Diagnosticador)", "home", diagnostics),
    "avisos": Tool("AVISOs de la cuenta (fallas masivas e individuales)", "home", avisos),
    "raiseAviso": Tool("Escalar falla y generar AVISO (Diagnosticador)", "home", raise_aviso),
    "slots": Tool("Franjas para visita técnica (Módulo de Gestión)", "home", slots),
    "book": Tool("Agendar visita técnica", "home", book, needs_case=True),
    "cancelVisit": Tool("Cancelar la visita técnica", "home", cancel_visit),
    "bills": Tool("Facturas (Paradigma)", "home", bills),
    "billDelivery": Tool("Envío de la factura (PortalPAC)", "home", bill_delivery),
    "credits": Tool("Créditos del cliente (ASCARD)", "home", credits),
    "adjustment": Tool("Solicitar un ajuste", "case", adjustment, needs_case=True),
    "provisioning": Tool("Aprovisionamiento y saldo de la línea (CMAX)", "mobile", provisioning),
    "usage": Tool("Consumo de la línea, últimas 24 h (CCI)", "mobile", usage),
    "coverage": Tool("Cobertura e incidentes de una celda (SARA)", "mobile", coverage),
    "reapply": Tool("Reaplicar una recarga (CMAX)", "mobile", reapply, needs_case=True),
    "volte": Tool("VoLTE (PortalPAC)", "mobile", volte),
    "friends": Tool("Familia y Amigos (PortalPAC)", "mobile", friends),
    "sharedData": Tool("Datos Compartidos (PortalPAC)", "mobile", shared_data),
    "escalate": Tool("Escalar a DIME", "case", escalate, needs_case=True),
}
