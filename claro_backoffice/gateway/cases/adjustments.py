"""Adjustment requests (ajustes) for a case: registered in RR for a home account or in AC for a mobile one, pending
until a supervisor approves or rejects them (the systems approve small amounts at once); once approved the credit
reaches the account's next Paradigma invoice through the event log (the systems do that, not the gateway).

The request lives in the system under its own id (AJR… in RR, AJC… in AC); the CRM keeps which case asked for it,
and every step (requested, approved, rejected) is a row of the case's timeline. Statuses shown are the system's,
read when listed, so a decision taken in the system itself is seen too.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.cases.actors import acting
from claro_backoffice.gateway.cases.casefile import load_case, require_state
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import NotFound, RuleBroken
from claro_backoffice.gateway.errors import DownstreamError

PREFIX_SYSTEM = {"AJR": "rr", "AJC": "ac"}


class Adjustments:
    def __init__(self, ctx: CallContext, base: str, *, crm: CrmStore, clocks: Clocks, backoffice: Backoffice):
        self.ctx, self.base = ctx, base
        self.crm, self.clocks, self.backoffice = crm, clocks, backoffice
        self.sandbox = ctx.sandbox
        self.timeline = CaseTimeline(crm, clocks)

    def _for_case(self, case_id: str | None) -> CallContext:
        return CallContext(self.ctx.sandbox, self.ctx.request_id, case_id)

    def _request_id(self) -> str:
        """Part of every write's Idempotency-Key: call_context always gives one (generated when absent)."""
        assert self.ctx.request_id is not None
        return self.ctx.request_id

    # ---- requesting ------------------------------------------------------------------------------------------------
    def request(self, case_id: str, body: dict) -> dict:
        with self.crm.read(self.sandbox) as db:
            case = load_case(db, case_id)
        require_state(case, ("open", "typified"), "given an adjustment request")
        advisor = acting(body.get("advisor"), case, "advisor", "request an adjustment")
        if not case["account_id"]:
            raise RuleBroken(f"case {case_id} names no account to credit", "account-missing")
        ctx, invoice_id = self._for_case(case_id), body.get("invoiceId")
        if invoice_id:
            self._check_invoice(ctx, case, invoice_id, body["amount"])
        made = self.backoffice.account_holder(case["account_system"]).request_adjustment(
            ctx,
            case["account_id"],
            body["amount"],
            body["reason"],
            advisor,
            invoice_id,
            case_id,
            key=write_key(case_id, "adjustment", self._request_id()),
        )
        with self.crm.write(self.sandbox) as db:
            if row(db.execute("SELECT id FROM case_adjustments WHERE id = ?", [made["adjustmentId"]])):
                # The system replayed its answer to this request's key: the first attempt recorded it already.
                return self._view(made, case_id, case["account_system"])
            db.table("case_adjustments").insert(
                {
                    "id": made["adjustmentId"],
                    "case_id": case_id,
                    "system": case["account_system"],
                    "account_id": case["account_id"],
                    "amount": made["amount"],
                    "reason": made["reason"],
                    "invoice_id": invoice_id,
                    "status": made["status"],
                    "requested_at": made["requestedAt"],
                    "decided_at": made.get("decidedAt"),
                    "decided_by": made.get("decidedBy"),
                }
            )
            detail = f"{made['amount']} COP on {case['account_system']} account {case['account_id']}"
            self.timeline.add(
                self.sandbox,
                case_id,
                "step",
                "adjustmentRequested",
                made["status"],
                db=db,
                system=case["account_system"],
                detail=f"{made['adjustmentId']}: {detail}"
                + (" (approved at once: within the automatic limit)" if made["autoApproved"] else ""),
            )
        return self._view(made, case_id, case["account_system"])

    def _check_invoice(self, ctx: CallContext, case: dict, invoice_id: str, amount: int) -> None:
        """The invoice corrected must be the account's, and the credit no larger than it."""
        try:
            invoice = self.backoffice.paradigma.invoice(ctx, invoice_id)
        except DownstreamError as exc:
            if exc.status == 404:
                raise RuleBroken(f"invoice {invoice_id} does not exist in Paradigma", "invoice-not-found") from None
            raise
        if invoice["accountNumber"] != case["account_id"]:
            raise RuleBroken(
                f"invoice {invoice_id} is account {invoice['accountNumber']}'s, not case "
                f"{case['id']}'s account {case['account_id']}",
                "invoice-not-of-account",
            )
        if amount > invoice["amount"]:
            raise RuleBroken(
                f"an adjustment of {amount} COP is more than invoice {invoice_id}'s total ({invoice['amount']} COP)",
                "adjustment-exceeds-invoice",
            )

    # ---- reading ---------------------------------------------------------------------------------------------------
    def of_case(self, case_id: str) -> list[dict]:
        with self.crm.read(self.sandbox) as db:
            load_case(db, case_id)
            mine = rows(
                db.execute("SELECT * FROM case_adjustments WHERE case_id = ? ORDER BY requested_at, id", [case_id])
            )
        live = {}
        for system, account in sorted({(m["system"], m["account_id"]) for m in mine}):
            for adjustment in self.backoffice.account_holder(system).adjustments(self.ctx, account):
                live[adjustment["adjustmentId"]] = adjustment
        return [self._view(live[m["id"]], case_id, m["system"]) if m["id"] in live else self._stored(m) for m in mine]

    def listed(self, status: str | None) -> list[dict]:
        """Every request of RR and AC, oldest first, with the case that asked for it when one did."""
        with self.crm.read(self.sandbox) as db:
            cases = {r["id"]: r["case_id"] for r in rows(db.execute("SELECT id, case_id FROM case_adjustments"))}
        found = [
            self._view(a, cases.get(a["adjustmentId"]), system)
            for system in sorted(set(PREFIX_SYSTEM.values()))
            for a in self.backoffice.account_holder(system).all_adjustments(self.ctx, status)
        ]
        return sorted(found, key=lambda a: (a["requestedAt"], a["id"]))

    def get(self, adjustment_id: str) -> dict:
        system = self._system(adjustment_id)
        with self.crm.read(self.sandbox) as db:
            mine = row(db.execute("SELECT case_id FROM case_adjustments WHERE id = ?", [adjustment_id]))
        found = self.backoffice.account_holder(system).adjustment(self.ctx, adjustment_id)
        return self._view(found, mine["case_id"] if mine else None, system)

    @staticmethod
    def _system(adjustment_id: str) -> str:
        system = PREFIX_SYSTEM.get(adjustment_id[:3])
        if system is None:
            raise NotFound(
                f"adjustment {adjustment_id} is no RR (AJR…) or AC (AJC…) adjustment", "adjustment-not-found"
            )
        return system

    # ---- a supervisor's decision -----------------------------------------------------------------------------------
    def decide(self, adjustment_id: str, approve: bool, body: dict) -> dict:
        system = self._system(adjustment_id)
        with self.crm.read(self.sandbox) as db:
            mine = row(db.execute("SELECT * FROM case_adjustments WHERE id = ?", [adjustment_id]))
        case_id = mine["case_id"] if mine else None
        text = body.get("notes") if approve else body.get("reason")
        decided = self.backoffice.account_holder(system).decide_adjustment(
            self._for_case(case_id),
            adjustment_id,
            approve,
            body["supervisor"],
            text,
            key=write_key(adjustment_id, "approve" if approve else "reject", self._request_id()),
        )
        if mine and mine["status"] != decided["status"]:  # not a replay of a decision already recorded
            with self.crm.write(self.sandbox) as db:
                db.execute(
                    "UPDATE case_adjustments SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
                    [decided["status"], decided["decidedAt"], decided["decidedBy"], adjustment_id],
                )
                step = "adjustmentApproved" if approve else "adjustmentRejected"
                what = "credit on the account's next Paradigma invoice" if approve else f"reason: {text}"
                self.timeline.add(
                    self.sandbox,
                    mine["case_id"],
                    "step",
                    step,
                    decided["status"],
                    db=db,
                    system=system,
                    detail=f"{adjustment_id} by {body['supervisor']}: {what}",
                )
        return self._view(decided, case_id, system)

    # ---- shaping ---------------------------------------------------------------------------------------------------
    def _view(self, a: dict, case_id: str | None, system: str) -> dict:
        return {
            "id": a["adjustmentId"],
            "href": f"{self.base}/adjustments/{a['adjustmentId']}",
            "caseId": case_id,
            "system": system,
            "accountId": a["accountNumber"],
            "customerId": a["customerId"],
            "amount": a["amount"],
            "currency": "COP",
            "reason": a["reason"],
            "invoiceId": a.get("invoiceId"),
            "status": a["status"],
            "autoApproved": a["autoApproved"],
            "advisor": a["advisor"],
            "requestedAt": a["requestedAt"],
            "decidedAt": a.get("decidedAt"),
            "decidedBy": a.get("decidedBy"),
            "decisionNotes": a.get("decisionNotes"),
            "@type": "Adjustment",
        }

    def _stored(self, m: dict) -> dict:
        """What the CRM saw last, when the system no longer lists the request (its sandbox was reset)."""
        return {
            "id": m["id"],
            "href": f"{self.base}/adjustments/{m['id']}",
            "caseId": m["case_id"],
            "system": m["system"],
            "accountId": m["account_id"],
            "customerId": None,
            "amount": m["amount"],
            "currency": "COP",
            "reason": m["reason"],
            "invoiceId": m["invoice_id"],
            "status": m["status"],
            "autoApproved": m["decided_by"] == "automatic",
            "advisor": None,
            "requestedAt": m["requested_at"],
            "decidedAt": m["decided_at"],
            "decidedBy": m["decided_by"],
            "decisionNotes": None,
            "@type": "Adjustment",
        }
