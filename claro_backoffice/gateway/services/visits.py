"""Technical visits in Módulo de Gestión as TMF646: searchTimeSlot and appointments, extended (`@type`
TechnicalVisitSlotSearch, TechnicalVisit). Every visit is an LLS (the maintenance order RR shows).

Mapping decisions: the account is a `relatedEntity` (role `account`; `relatedPlace` with the account number, or a
plain `accountId`, also name it in a search); a search's `requestedTimeSlot` window becomes Gestión's `from` day
and number of `days` (at most 14), and only slots inside the window are answered; the search is not stored (200,
no id or href). An appointment's `validFor.startDateTime` must be the start of an offered slot; an
`endDateTime`, when given, must be its end (slots last 2 h). The LLS and the account are `relatedEntity` items;
the customer, the advisor and the technician `relatedParty` items; the contact phone a `contactMedium`.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.formats import instant
from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.domain_errors import RuleBroken
from claro_backoffice.gateway.services.shapes import related_customer, schema_location

SLOT = dt.timedelta(hours=2)
MAX_DAYS = 14
VISIT, SEARCH = "TechnicalVisit", "TechnicalVisitSlotSearch"


def _account_of(body: dict) -> str:
    named = [e["id"] for e in body.get("relatedEntity", []) if e["role"] == "account"]
    named += [body["relatedPlace"]["id"]] if body.get("relatedPlace") else []
    named += [body["accountId"]] if body.get("accountId") else []
    if len(set(named)) != 1:
        raise RuleBroken(
            "name exactly one home account: accountId, a relatedEntity with role 'account' or "
            f"relatedPlace (got {len(set(named))})",
            "visit-request",
        )
    return named[0]


def _account_ref(account: str, base: str) -> dict:
    return {
        "id": account,
        "href": f"{base}/billingAccounts/{account}",
        "role": "account",
        "@referredType": "BillingAccount",
    }


def _period(start: str, end: str) -> dict:
    return {"startDateTime": start, "endDateTime": end}


# ---- searchTimeSlot ------------------------------------------------------------------------------------------------
def search(backoffice: Backoffice, ctx: CallContext, base: str, body: dict) -> dict:
    account = _account_of(body)
    window = [w["validFor"] for w in body.get("requestedTimeSlot", [])]
    start = end = None
    from_date = days = None
    if window:
        start = instant(window[0]["startDateTime"])
        end = instant(window[0]["endDateTime"])
        if end <= start:
            raise RuleBroken("the requested window ends before it starts", "visit-request")
        first, last = start.astimezone(BOGOTA).date(), (end - dt.timedelta(microseconds=1)).astimezone(BOGOTA).date()
        days = (last - first).days + 1
        if days > MAX_DAYS:
            raise RuleBroken(
                f"the requested window spans {days} days; Módulo de Gestión searches at most {MAX_DAYS}",
                "visit-request",
            )
        from_date = first.isoformat()
    found = backoffice.gestion.slots(ctx, account, from_date, days)
    slots = [
        s
        for s in found["slots"]
        if start is None or end is None or (instant(s["slotStart"]) >= start and instant(s["slotEnd"]) <= end)
    ]
    answer = {
        "status": "done",
        "searchDate": found["now"],
        "searchResult": "success" if slots else "fail",
        "relatedEntity": [_account_ref(account, base)],
        "availableTimeSlot": [
            {
                "validFor": _period(s["slotStart"], s["slotEnd"]),
                "availableTechnicians": s["availableTechnicians"],
                "capacity": s["capacity"],
                "@type": "TimeSlot",
            }
            for s in slots
        ],
        "zoneId": found["zoneId"],
        "earliestStart": found["earliestStart"],
        "leadTimeHours": found["leadTimeHours"],
        "closedDays": found["closedDays"],
        "@type": SEARCH,
        "@baseType": "SearchTimeSlot",
        "@schemaLocation": schema_location(base, SEARCH),
    }
    if window:
        answer["requestedTimeSlot"] = [{"validFor": window[0]}]
    return answer


# ---- appointments -----------------------------------------------------------------------------------------------
def appointment(visit: dict, base: str) -> dict:
    """A Gestión visit (camelCase) as a TMF646 Appointment extended as TechnicalVisit."""
    aid = visit["appointmentId"]
    parties = [
        related_customer(visit["customerId"], None, base),
        {"id": visit["technician"], "name": visit["technician"], "role": "technician", "@referredType": "Individual"},
    ]
    if visit.get("advisor"):
        parties.insert(
            1, {"id": visit["advisor"], "name": visit["advisor"], "role": "advisor", "@referredType": "Individual"}
        )
    view = {
        "id": aid,
        "href": f"{base}/appointment/{aid}",
        "externalId": visit["llsId"],
        "category": "visita técnica",
        "description": visit["reason"],
        "status": visit["state"],
        "validFor": _period(visit["slotStart"], visit["slotEnd"]),
        "creationDate": visit["createdAt"],
        "lastUpdate": visit["updatedAt"],
        "relatedEntity": [
            {"id": visit["llsId"], "role": "lls", "@referredType": "Lls"},
            _account_ref(visit["accountNumber"], base),
        ],
        "relatedParty": parties,
        "contactMedium": (
            [{"mediumType": "phone", "preferred": True, "characteristic": {"phoneNumber": visit["contactPhone"]}}]
            if visit.get("contactPhone")
            else []
        ),
        "llsId": visit["llsId"],
        "node": visit["node"],
        "zoneId": visit["zoneId"],
        "technician": visit["technician"],
        "rescheduleCount": visit["rescheduleCount"],
        "cancellationReason": visit.get("cancellationReason"),
        "source": visit["source"],
        "@type": VISIT,
        "@baseType": "Appointment",
        "@schemaLocation": schema_location(base, VISIT),
    }
    return view


def _slot_start(valid_for: dict) -> str:
    start = instant(valid_for["startDateTime"])
    if "endDateTime" in valid_for and instant(valid_for["endDateTime"]) - start != SLOT:
        raise RuleBroken(
            "validFor must be one 2-hour slot: endDateTime is startDateTime + 2 h (or leave it out)", "visit-request"
        )
    return valid_for["startDateTime"]


def book(backoffice: Backoffice, ctx: CallContext, base: str, body: dict) -> dict:
    [advisor] = [p["id"] for p in body["relatedParty"] if p["role"] == "advisor"]
    request = {
        "account_number": _account_of(body),
        "slot_start": _slot_start(body["validFor"]),
        "reason": body["description"],
        "contact_phone": body["contactMedium"][0]["characteristic"]["phoneNumber"],
        "advisor": advisor,
    }
    assert ctx.request_id is not None  # call_context() always sets one: the key is this request's
    key = write_key(request["account_number"], "visit", ctx.request_id)
    return appointment(backoffice.gestion.create_visit(ctx, request, key=key), base)


def get(backoffice: Backoffice, ctx: CallContext, base: str, appointment_id: str) -> dict:
    return appointment(backoffice.gestion.visit(ctx, appointment_id), base)


def change(backoffice: Backoffice, ctx: CallContext, base: str, appointment_id: str, body: dict) -> dict:
    if body.get("status") == "cancelled":
        request = {"state": "cancelled", "reason": body["cancellationReason"]}
    else:
        request = {"slot_start": _slot_start(body["validFor"])}
    assert ctx.request_id is not None  # call_context() always sets one: the key is this request's
    key = write_key(appointment_id, "change", ctx.request_id)
    return appointment(backoffice.gestion.update_visit(ctx, appointment_id, request, key=key), base)
