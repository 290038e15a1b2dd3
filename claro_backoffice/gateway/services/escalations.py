"""Escalations to DIME's resolver areas as TMF621 trouble tickets, extended (`@type` Escalation).

Request: the case, the account and/or the mobile line are `relatedEntity` items (roles `case`, `account`,
`line`); the customer and the advisor are `relatedParty` items (roles `customer`, `advisor`); the evidence is
`attachment` (a link: `url`; a text: `description`); the CUN is `externalId`; the area and the typification are
the extension fields `areaCode` and `typificationCode`. DIME decides `ticketType` (PQR typifications are
`complaint`, the rest `request`) and the due date (`expectedResolutionDate`: the area's SLA in business hours).

Mapping decisions: DIME has no severity, so `severity` stands for the area's SLA (<= 8 business hours `critical`,
<= 24 `major`, more `minor`); the channel is always WhatsApp Premium (DIME does not record it); the area's answer
is the extension `answer` (+ `answeredBy`, `answeredAt`), its state history `statusChange`.
"""

from __future__ import annotations

import dataclasses

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.cases.casefile import load_case
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.followups import ESCALATED
from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import RuleBroken
from claro_backoffice.gateway.services.shapes import related_customer, schema_location

TYPE = "Escalation"
CHANNEL = {"id": "whatsapp-premium", "name": "WhatsApp Premium", "@referredType": "Channel"}


def severity(sla_hours: int) -> str:
    return "critical" if sla_hours <= 8 else "major" if sla_hours <= 24 else "minor"


def _one(items: list[dict], role: str, what: str, required: bool = True) -> str | None:
    ids = [i["id"] for i in items if i["role"] == role]
    if len(ids) > 1 or (required and not ids):
        raise RuleBroken(f"give exactly one {what} ({role!r} item), not {len(ids)}", "escalation-request")
    return ids[0] if ids else None


def dime_request(body: dict) -> dict:
    """The TMF621 create body -> DIME's EscalationRequest; a 422 when the roles don't add up."""
    entities, parties = body["relatedEntity"], body["relatedParty"]
    account = _one(entities, "account", "billing account", required=False)
    line = _one(entities, "line", "mobile line", required=False)
    if not account and not line:
        raise RuleBroken(
            "relatedEntity needs the billing account ('account') or the mobile line ('line'), or both",
            "escalation-request",
        )
    request = {
        "case_id": _one(entities, "case", "case"),
        "customer_id": _one(parties, "customer", "customer"),
        "area_code": body["areaCode"],
        "typification_code": body["typificationCode"],
        "description": body["description"],
        "advisor": _one(parties, "advisor", "advisor"),
    }
    request |= ({"account_number": account} if account else {}) | ({"msisdn": line} if line else {})
    if body.get("externalId"):
        request["cun"] = body["externalId"]
    evidence = [
        {"name": a["name"], "url": a["url"]} if "url" in a else {"name": a["name"], "text": a["description"]}
        for a in body.get("attachment", [])
    ]
    if evidence:
        request["evidence"] = evidence
    return request


def _attachment(evidence: dict) -> dict:
    if evidence.get("url"):
        return {"name": evidence["name"], "url": evidence["url"], "attachmentType": "link", "@type": "Attachment"}
    return {
        "name": evidence["name"],
        "description": evidence.get("text") or "",
        "attachmentType": "text",
        "mimeType": "text/plain",
        "@type": "Attachment",
    }


def trouble_ticket(esc: dict, base: str) -> dict:
    """A DIME escalation (camelCase, summary or full record) as a TMF621 TroubleTicket extended as Escalation."""
    eid = esc["escalationId"]
    entities = [
        {"id": esc["caseId"], "role": "case", "@referredType": "Case"},
        {
            "id": esc["accountNumber"],
            "href": f"{base}/billingAccounts/{esc['accountNumber']}",
            "role": "account",
            "@referredType": "BillingAccount",
        },
    ]
    if esc.get("msisdn"):
        entities.append({"id": esc["msisdn"], "role": "line", "@referredType": "MobileLine"})
    parties = [
        related_customer(esc["customerId"], None, base),
        {"id": esc["advisor"], "name": esc["advisor"], "role": "advisor", "@referredType": "Individual"},
    ]
    if esc.get("answeredBy"):
        parties.append(
            {"id": esc["answeredBy"], "name": esc["answeredBy"], "role": "resolver", "@referredType": "Individual"}
        )
    history = esc.get("stateHistory") or []
    ticket = {
        "id": eid,
        "href": f"{base}/troubleTicket/{eid}",
        "name": f"{esc.get('areaName') or esc['areaCode']}: {esc['typificationCode']}",
        "description": esc["description"],
        "ticketType": esc["ticketType"],
        "severity": severity(esc["slaHours"]),
        "status": esc["state"],
        "creationDate": esc["createdAt"],
        "lastUpdate": esc["updatedAt"],
        "expectedResolutionDate": esc["dueAt"],
        "channel": CHANNEL,
        "relatedEntity": entities,
        "relatedParty": parties,
    }
    if esc.get("cun"):
        ticket["externalId"] = esc["cun"]
    if esc["state"] in ("resolved", "rejected", "closed") and esc.get("answeredAt"):
        ticket["resolutionDate"] = esc["answeredAt"]
    if history:
        last = history[-1]
        ticket["statusChangeDate"] = last["at"]
        if last.get("comment"):
            ticket["statusChangeReason"] = last["comment"]
        ticket["statusChange"] = [
            {"status": h["toState"], "changeDate": h["at"]}
            | ({"changeReason": h["comment"]} if h.get("comment") else {})
            for h in history
        ]
    if "notes" in esc:
        ticket["note"] = [
            {"id": str(n["noteId"]), "author": n["author"], "date": n["createdAt"], "text": n["text"]}
            for n in esc["notes"]
        ]
    if "evidence" in esc:
        ticket["attachment"] = [_attachment(e) for e in esc["evidence"]]
    ticket.update(
        {
            "areaCode": esc["areaCode"],
            "areaName": esc.get("areaName"),
            "typificationCode": esc["typificationCode"],
            "category": esc["category"],
            "slaHours": esc["slaHours"],
            "overdue": esc["overdue"],
            "slaMet": esc.get("slaMet"),
            "allowedTransitions": esc["allowedTransitions"],
            "answer": esc.get("answer"),
            "answeredBy": esc.get("answeredBy"),
            "answeredAt": esc.get("answeredAt"),
            "closedAt": esc.get("closedAt"),
            "@type": TYPE,
            "@baseType": "TroubleTicket",
            "@schemaLocation": schema_location(base, TYPE),
        }
    )
    return ticket


def create(backoffice: Backoffice, crm: CrmStore, clocks: Clocks, ctx: CallContext, base: str, body: dict) -> dict:
    """An escalation belongs to a case of this sandbox (404 otherwise): DIME's call and the ticket land in the
    case's timeline, which is what a follow-up ESCALAMIENTOS checks (gateway/cases/followups.py)."""
    request = dime_request(body)
    case_id = str(request["case_id"])  # dime_request requires exactly one
    if ctx.case_id and ctx.case_id != case_id:
        raise RuleBroken(
            f"X-Case-Id {ctx.case_id} and the ticket's case {case_id} differ: an escalation belongs to one case",
            "escalation-request",
        )
    with crm.read(ctx.sandbox) as db:
        case = load_case(db, case_id)
    if case["customer_id"] != request["customer_id"]:
        raise RuleBroken(
            f"case {case_id} is customer {case['customer_id']}'s, not {request['customer_id']}'s",
            "escalation-request",
        )
    ctx = dataclasses.replace(ctx, case_id=case_id)
    assert ctx.request_id is not None  # call_context() always sets one: the key is this request's
    key = write_key(case_id, "escalation", ctx.request_id)
    ticket = trouble_ticket(backoffice.dime.create_escalation(ctx, request, key=key), base)
    with crm.write(ctx.sandbox) as db:  # once per ticket: a replayed request (same key) adds no second step
        if not db.execute(
            "SELECT 1 FROM case_timeline WHERE case_id = ? AND kind = 'step' AND action = ? AND outcome = ?",
            [case_id, ESCALATED, ticket["id"]],
        ).fetchone():
            detail = f"{ticket['areaCode']} due {ticket['expectedResolutionDate']}"
            CaseTimeline(crm, clocks).add(ctx.sandbox, case_id, "step", ESCALATED, ticket["id"], detail=detail, db=db)
    return ticket


def get(backoffice: Backoffice, ctx: CallContext, base: str, ticket_id: str) -> dict:
    return trouble_ticket(backoffice.dime.escalation(ctx, ticket_id), base)


def find(
    backoffice: Backoffice, ctx: CallContext, base: str, customer_id: str, status: str | None, limit: int, offset: int
) -> tuple[list, int]:
    page = backoffice.dime.find_escalations(ctx, customer_id=customer_id, state=status, limit=limit, offset=offset)
    return [trouble_ticket(e, base) for e in page["escalations"]], page["total"]
