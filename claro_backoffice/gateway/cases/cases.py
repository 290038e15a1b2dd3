"""Opening and reading cases. A case belongs to a conversation whose advisor validated the customer's document;
its account (RR home account, AC mobile account) or line must be that customer's. Opening one warns about a
possible repeat (reincidencia): a case of the same customer with the same category and product within the
repeat window; typifying it then records the exact repeat (same typification code) in `repeatOf`."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import sqlite_utils

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases import actors
from claro_backoffice.gateway.cases.casefile import load_case
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.conversations import load_conversation
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, insert, row, rows
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import Conflict, NotFound, RuleBroken
from claro_backoffice.gateway.services.customer360 import Customer360

FIELDS = ("status", "category", "product", "customerId", "conversationId")


class Cases:
    def __init__(
        self,
        ctx: CallContext,
        base: str,
        *,
        crm: CrmStore,
        clocks: Clocks,
        backoffice: Backoffice,
        executor: ThreadPoolExecutor,
        typifications: dict,
        repeat_window_days: int,
    ):
        self.ctx, self.base = ctx, base
        self.crm, self.clocks, self.backoffice, self.executor = crm, clocks, backoffice, executor
        self.typifications, self.repeat_window_days = typifications, repeat_window_days
        self.sandbox = ctx.sandbox
        self.timeline = CaseTimeline(crm, clocks)
        self.degraded: list[str] = []  # systems the customer lookup went without (X-Degraded-Systems)

    def now(self) -> dt.datetime:
        return self.clocks.now(self.sandbox)

    def open(self, body: dict, advisor: str | None = None) -> dict:
        with self.crm.read(self.sandbox) as db:
            conversation = load_conversation(db, body["conversationId"])
        customer_id = body["customerId"]
        if conversation["status"] != "assigned":
            raise Conflict(
                f"conversation {conversation['id']} is {conversation['status']}: cases are opened in a "
                "conversation an advisor took",
                "conversation-state",
            )
        if not conversation["document_validated_at"]:
            raise RuleBroken(
                f"the customer's document was not validated in conversation {conversation['id']}: "
                f"POST /conversations/{conversation['id']}/identity first",
                "document-not-validated",
            )
        if conversation["customer_id"] != customer_id:
            raise RuleBroken(
                f"the document validated in conversation {conversation['id']} is customer "
                f"{conversation['customer_id']}'s, not {customer_id}'s",
                "customer-mismatch",
            )
        account_id, msisdn = body.get("accountId"), body.get("msisdn")
        if not account_id and not msisdn:
            raise RuleBroken(
                "give accountId (RR home or AC mobile account) or msisdn (a mobile line)", "account-missing"
            )
        view = Customer360(self.backoffice, self.executor).get(self.ctx, self.base, customer_id)
        self.degraded = [d["system"] for d in view.get("degraded", [])]
        system, account_id = self._owned(view, customer_id, account_id, msisdn)
        now = self.now().isoformat()
        with self.crm.write(self.sandbox) as db:
            case = {
                "id": next_id(db, "CAS"),
                "conversation_id": conversation["id"],
                "customer_id": customer_id,
                "account_id": account_id,
                "account_system": system,
                "msisdn": msisdn,
                "category": body["category"],
                "product": body["product"],
                "description": body["description"],
                "advisor": conversation["advisor"] or advisor,
                "status": "open",
                "created_at": now,
                "updated_at": now,
            }
            insert(db, "cases", case)
            self.timeline.add(
                self.sandbox,
                case["id"],
                "step",
                "opened",
                "open",
                db=db,
                detail=f"{case['category']} / {case['product']} on {system} account {account_id}",
            )
            warnings = self._possible_repeats(db, case)
            return self.view(db, load_case(db, case["id"])) | {"warnings": warnings}

    @staticmethod
    def _owned(view: dict, customer_id: str, account_id: str | None, msisdn: str | None) -> tuple[str, str]:
        homes = {a["id"] for a in view["homeAccounts"]}
        lines = {line["msisdn"]: line["accountId"] for line in view["mobileLines"]}
        mobiles = set(lines.values()) | {a["id"] for a in view["account"] if a["id"] not in homes}
        if msisdn:
            if msisdn not in lines:
                raise RuleBroken(
                    f"line {msisdn} is not one of customer {customer_id}'s mobile lines", "account-not-owned"
                )
            if account_id and account_id != lines[msisdn]:
                raise RuleBroken(
                    f"line {msisdn} belongs to mobile account {lines[msisdn]}, not {account_id}", "account-not-owned"
                )
            return "ac", lines[msisdn]
        if account_id is not None and account_id in homes:  # (no account's id is None)
            return "rr", account_id
        if account_id is not None and account_id in mobiles:
            return "ac", account_id
        raise RuleBroken(
            f"account {account_id} is not one of customer {customer_id}'s accounts "
            f"(home: {', '.join(sorted(homes)) or 'none'}; mobile: "
            f"{', '.join(sorted(mobiles)) or 'none'})",
            "account-not-owned",
        )

    def _possible_repeats(self, db: sqlite_utils.Database, case: dict) -> list[dict]:
        since = (self.now() - dt.timedelta(days=self.repeat_window_days)).isoformat()
        earlier = rows(
            db.execute(
                "SELECT id, typification_code, created_at, status FROM cases WHERE customer_id = ? AND id != ? AND "
                "category = ? AND product = ? AND created_at >= ? ORDER BY created_at DESC",
                [case["customer_id"], case["id"], case["category"], case["product"], since],
            )
        )
        return [
            {
                "code": "reincidencia",
                "caseId": e["id"],
                "typificationCode": e["typification_code"],
                "createdAt": e["created_at"],
                "message": f"customer {case['customer_id']} had case {e['id']} ({case['category']} / "
                f"{case['product']}) within {self.repeat_window_days} days: possible repeat",
            }
            for e in earlier
        ]

    # ---- reading -------------------------------------------------------------------------------------------------
    def get(self, case_id: str) -> dict:
        with self.crm.read(self.sandbox) as db:
            return self.view(db, load_case(db, case_id))

    def list(
        self,
        status: str | None = None,
        customer_id: str | None = None,
        follow_up_type: str | None = None,
        callback_before: dt.datetime | None = None,
        overdue: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict:
        where: list[str] = []
        args: list[str] = []
        for column, value in (("status", status), ("customer_id", customer_id), ("follow_up_type", follow_up_type)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if callback_before:
            where.append("callback_at IS NOT NULL AND callback_at < ?")
            args.append(callback_before.isoformat())
        if overdue is not None:
            now = self.now().isoformat()
            where.append(
                "status = 'followUp' AND callback_at IS NOT NULL AND callback_at " + ("<" if overdue else ">=")
            )
            where[-1] += " ?"
            args.append(now)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        order = "callback_at, id" if (callback_before or overdue is not None or follow_up_type) else "created_at, id"
        with self.crm.read(self.sandbox) as db:
            total = db.execute(f"SELECT COUNT(*) FROM cases {clause}", args).fetchone()[0]
            found = rows(
                db.execute(f"SELECT * FROM cases {clause} ORDER BY {order} LIMIT ? OFFSET ?", [*args, limit, offset])
            )
            return {"cases": [self.view(db, c, timeline=False) for c in found], "total": total}

    def view(self, db: sqlite_utils.Database, c: dict, timeline: bool = True) -> dict:
        typification = None
        if c["typification_code"]:
            entry = self.typifications.get(c["typification_code"], {})
            typification = {
                "code": c["typification_code"],
                "description": entry.get("description"),
                "notes": c["typification_notes"],
                "resolvedFirstContact": bool(c["resolved_first_contact"]),
                "at": c["typified_at"],
                "steps": rows(
                    db.execute(
                        "SELECT step, system, reference, at FROM typification_steps "
                        "WHERE case_id = ? ORDER BY at, step",
                        [c["id"]],
                    )
                ),
            }
        overdue = bool(c["status"] == "followUp" and c["callback_at"] and c["callback_at"] < self.now().isoformat())
        view = {
            "id": c["id"],
            "href": f"{self.base}/cases/{c['id']}",
            "conversationId": c["conversation_id"],
            "customerId": c["customer_id"],
            "accountId": c["account_id"],
            "accountSystem": c["account_system"],
            "msisdn": c["msisdn"],
            "category": c["category"],
            "product": c["product"],
            "description": c["description"],
            "advisor": c["advisor"],
            "status": c["status"],
            "typification": typification,
            "repeatOf": c["repeat_of"],
            "outcome": c["outcome"],
            "followUpType": c["follow_up_type"],
            "callbackAt": c["callback_at"],
            "overdue": overdue,
            "closedAt": c["closed_at"],
            "closedBy": actors.who(db, c["id"], "closed"),
            "closedOutAt": c["closed_out_at"],
            "survey": None
            if not c["survey_requested_at"]
            else {
                "requestedAt": c["survey_requested_at"],
                "score": c["survey_score"],
                "channel": c["survey_channel"],
                "answeredAt": c["survey_at"],
            },
            "createdAt": c["created_at"],
            "updatedAt": c["updated_at"],
            "@type": "Case",
        }
        if timeline:
            view["callbacks"] = [
                {
                    "id": k["id"],
                    "at": k["at"],
                    "reached": bool(k["reached"]),
                    "outcome": k["outcome"],
                    "notes": k["notes"],
                    "nextCallbackAt": k["next_callback_at"],
                    "closedOut": bool(k["closed_out"]),
                    "advisor": k["advisor"],
                }
                for k in rows(db.execute("SELECT * FROM callbacks WHERE case_id = ? ORDER BY at, id", [c["id"]]))
            ]
            view["timeline"] = self.timeline.of(db, c["id"])
        return view


def check_case_header(crm: CrmStore, ctx: CallContext) -> None:
    """An X-Case-Id must name a case of the sandbox: a call is never recorded against a case that isn't there."""
    if ctx.case_id and crm.exists(ctx.sandbox):
        with crm.read(ctx.sandbox) as db:
            if row(db.execute("SELECT id FROM cases WHERE id = ?", [ctx.case_id])) is not None:
                return
    if ctx.case_id:
        raise NotFound(f"X-Case-Id {ctx.case_id} is not a case of sandbox '{ctx.sandbox}'", "case-not-found")
