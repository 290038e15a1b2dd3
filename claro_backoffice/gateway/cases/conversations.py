"""Conversations as the advisor works them: the queue, taking one (the personalised welcome goes out), writing
to the customer (free-form inside the 24-hour window, an approved template outside it), and validating the
customer's document, which is what lets a case be opened for that customer.

A queued conversation nobody took within CONVERSATION_ABANDON_MINUTES counts as abandoned (closed at the end of
that wait); this, and the timed ends of ending.py, are applied whenever conversations are read or changed. The
advisor ends a conversation with no case open with a reason (ending.REASONS).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import sqlite_utils

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases import bot
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.ending import (
    REASONS,
    TAKEN,
    Endings,
    Farewell,
    Timers,
    claim,
    open_cases,
    pending_survey,
    say_farewell,
)
from claro_backoffice.gateway.cases.messaging import Messenger, window_open
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.domain_errors import Conflict, NotFound, RuleBroken
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.services.agents import active_asesor
from claro_backoffice.gateway.services.customer360 import Customer360
from claro_backoffice.gateway.services.fanout import all_failed
from claro_backoffice.world.identifiers import document_problem

STATUSES = ("consent", "advisorQuestion", "queued", "assigned", "closingQuestion", "closed", "abandoned")


def expire_queue(db: sqlite_utils.Database, now: dt.datetime, minutes: int) -> None:
    limit = now - dt.timedelta(minutes=minutes)
    for found in rows(db.execute("SELECT id, advisor_requested_at FROM conversations WHERE status = 'queued'")):
        requested = dt.datetime.fromisoformat(found["advisor_requested_at"])
        if requested <= limit:
            db.execute(
                "UPDATE conversations SET status = 'abandoned', close_reason = 'abandoned', closed_at = ? WHERE id = ?",
                [(requested + dt.timedelta(minutes=minutes)).isoformat(), found["id"]],
            )


def load_conversation(db: sqlite_utils.Database, conversation_id: str) -> dict:
    found = row(db.execute("SELECT * FROM conversations WHERE id = ?", [conversation_id]))
    if found is None:
        raise NotFound(
            f"conversation {conversation_id} does not exist in this sandbox; GET /conversations lists them",
            "conversation-not-found",
        )
    return found


class Conversations:
    def __init__(
        self,
        ctx: CallContext,
        base: str,
        *,
        crm: CrmStore,
        clocks: Clocks,
        backoffice: Backoffice,
        executor: ThreadPoolExecutor,
        business_number: str,
        abandon_minutes: int,
        timers: Timers,
    ):
        self.ctx, self.base = ctx, base
        self.crm, self.clocks, self.backoffice, self.executor = crm, clocks, backoffice, executor
        self.abandon_minutes = abandon_minutes
        self.sandbox = ctx.sandbox
        self.messenger = Messenger(crm, clocks, backoffice.meta, ctx, business_number)
        self.endings = Endings(crm, clocks, self.messenger, timers)
        self.degraded: list[str] = []  # systems the customer lookup went without (X-Degraded-Systems)

    def now(self) -> dt.datetime:
        return self.clocks.now(self.sandbox)

    def _expired(self) -> None:
        now = self.now()
        with self.crm.write(self.sandbox) as db:
            expire_queue(db, now, self.abandon_minutes)
        self.endings.sweep()

    # ---- reading -------------------------------------------------------------------------------------------------
    def list(
        self, status: str | list[str] | None = None, customer_id: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict:
        """status: one, or several (any of them)."""
        self._expired()
        where: list[str] = []
        args: list[str] = []
        statuses = [status] if isinstance(status, str) else list(dict.fromkeys(status or []))
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            args.extend(statuses)
        if customer_id:
            where.append("customer_id = ?")
            args.append(customer_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.crm.read(self.sandbox) as db:
            total = db.execute(f"SELECT COUNT(*) FROM conversations {clause}", args).fetchone()[0]
            found = rows(
                db.execute(
                    f"SELECT * FROM conversations {clause} ORDER BY created_at, id LIMIT ? OFFSET ?",
                    [*args, limit, offset],
                )
            )
            return {
                "conversations": [self.view(db, c, messages=False) for c in found],
                "total": total,
                "asOf": self.now().isoformat(),  # the sandbox's now: waiting times are read against it
            }

    def get(self, conversation_id: str) -> dict:
        self._expired()
        with self.crm.read(self.sandbox) as db:
            return self.view(db, load_conversation(db, conversation_id))

    def view(self, db: sqlite_utils.Database, c: dict, messages: bool = True) -> dict:
        now = self.now()
        view = {
            "id": c["id"],
            "href": f"{self.base}/conversations/{c['id']}",
            "waId": c["wa_id"],
            "businessPhoneNumberId": c["phone_number_id"],
            "status": c["status"],
            "entry": c["entry"],
            "customerId": c["customer_id"],
            "profileName": c["profile_name"],
            "consent": None
            if c["consent_given"] is None
            else {
                "given": bool(c["consent_given"]),
                "at": c["consent_at"],
                "channel": c["consent_channel"],
                "purpose": c["consent_purpose"],
            },
            "advisorRequestedAt": c["advisor_requested_at"],
            "assignedAt": c["assigned_at"],
            "advisor": c["advisor"],
            "firstAdvisorMessageAt": c["first_advisor_message_at"],
            "document": None
            if not c["document_validated_at"]
            else {
                "documentType": c["document_type"],
                "documentNumber": c["document_number"],
                "validatedAt": c["document_validated_at"],
            },
            "lastCustomerMessageAt": c["last_customer_message_at"],
            "windowOpen": window_open(c, now),
            "createdAt": c["created_at"],
            "closedAt": c["closed_at"],
            "closeReason": c["close_reason"],
            "cases": [
                r[0] for r in db.execute("SELECT id FROM cases WHERE conversation_id = ? ORDER BY id", [c["id"]])
            ],
            "@type": "Conversation",
        }
        if messages:
            view["messages"] = [
                message_view(m, self.base)
                for m in rows(
                    db.execute(
                        "SELECT m.*, b.button_id FROM messages m LEFT JOIN button_replies b ON b.message_id = m.id "
                        "WHERE m.conversation_id = ? ORDER BY m.sent_at, m.id",
                        [c["id"]],
                    )
                )
            ]
        return view

    # ---- the advisor ---------------------------------------------------------------------------------------------
    def assign(self, conversation_id: str, advisor: str) -> dict:
        """`advisor`: the Almabi login of an active asesor (services/agents.py), who greets with their first name."""
        self._expired()
        with self.crm.read(self.sandbox) as db:
            conversation = load_conversation(db, conversation_id)
        if conversation["status"] != "queued":
            raise Conflict(
                f"conversation {conversation_id} is {conversation['status']}: only a queued "
                "conversation (the customer asked for an advisor) can be taken",
                "conversation-state",
                conversationStatus=conversation["status"],
            )
        agent = active_asesor(self.backoffice, self.ctx, advisor)  # 422 for anyone else; Almabi down: 502-504
        name = bot.address(conversation["profile_name"], conversation["document_type"]) or "cliente"
        text = bot.ADVISOR_WELCOME.format(name=name, advisor=agent["firstName"])  # "Te saluda Laura", not a login
        sent = self.messenger.send(conversation, "advisor", text)  # Meta's failure leaves it queued
        with self.crm.write(self.sandbox) as db:
            db.execute(
                "UPDATE conversations SET status = 'assigned', advisor = ?, assigned_at = ?, "
                "first_advisor_message_at = ? WHERE id = ? AND status = 'queued'",
                [advisor, sent["sent_at"], sent["sent_at"], conversation_id],
            )
            return self.view(db, load_conversation(db, conversation_id))

    def close(self, conversation_id: str, reason: str) -> dict:
        """The advisor ends a conversation with no case open (the customer only asked something, or stopped
        answering, ...): the closing script goes out, and the survey of its last case when it had one. Sent before
        anything is stored, as the welcome is: Meta's failure leaves the conversation as it was."""
        self._expired()
        with self.crm.read(self.sandbox) as db:
            conversation = load_conversation(db, conversation_id)
            still_open = open_cases(db, conversation_id)
            survey_case = pending_survey(db, conversation_id)
        if reason not in REASONS:
            raise RuleBroken(
                f"'{reason}' is not a reason to end a conversation; the reasons are: "
                + "; ".join(f"{k} ({v})" for k, v in REASONS.items()),
                "unknown-close-reason",
            )
        if conversation["status"] not in TAKEN:
            raise Conflict(
                f"conversation {conversation_id} is {conversation['status']}: only a conversation an advisor "
                "took is ended by the advisor",
                "conversation-state",
                conversationStatus=conversation["status"],
            )
        if still_open:
            raise Conflict(
                f"conversation {conversation_id} has cases open ({', '.join(still_open)}): close them with the "
                "customer (POST /cases/{caseId}/close), which asks whether there is anything else",
                "cases-open",
            )
        now = self.now()
        say_farewell(self.messenger, Farewell(conversation, survey_case), now, quiet=False)
        with self.crm.write(self.sandbox) as db:
            if claim(db, conversation_id, reason, now, now) is None:
                current = load_conversation(db, conversation_id)["status"]
                raise Conflict(
                    f"conversation {conversation_id} ended meanwhile (it is {current})",
                    "conversation-state",
                    conversationStatus=current,
                )
            return self.view(db, load_conversation(db, conversation_id))

    def write(self, conversation_id: str, body: dict) -> dict:
        self._expired()  # a conversation whose wait is over ended: the advisor's message must not revive it
        with self.crm.read(self.sandbox) as db:
            conversation = load_conversation(db, conversation_id)
        template, text = body.get("template"), body.get("text")
        if bool(template) == bool(text):
            raise RuleBroken(
                f"give either text (free-form) or template (with values), not {'both' if text else 'neither'}",
                "message-content",
            )
        case_id = body.get("caseId")
        if template:
            sent = self.messenger.send(
                conversation, "advisor", None, template=template, values=body.get("values") or [], case_id=case_id
            )
        else:
            if conversation["status"] not in TAKEN:
                raise Conflict(
                    f"conversation {conversation_id} is {conversation['status']}: free-form messages "
                    "go to a conversation an advisor took; use an approved template (e.g. "
                    "seguimiento_caso) to reach the customer otherwise",
                    "conversation-state",
                )
            if not window_open(conversation, self.now()):
                raise Conflict(
                    f"the customer's last message was more than 24 hours ago "
                    f"({conversation['last_customer_message_at']}): outside the window only an "
                    "approved template may be sent",
                    "outside-window",
                )
            sent = self.messenger.send(conversation, "advisor", text, case_id=case_id)
        return message_view(sent, self.base)

    def validate_identity(self, conversation_id: str, document_type: str | None, document_number: str) -> dict:
        self._expired()
        with self.crm.read(self.sandbox) as db:
            conversation = load_conversation(db, conversation_id)
        if conversation["status"] != "assigned":
            raise Conflict(
                f"conversation {conversation_id} is {conversation['status']}: the advisor validates "
                "the customer's document in a conversation they took",
                "conversation-state",
            )
        if not conversation["consent_given"]:
            raise Conflict(
                "the customer did not consent to the processing of personal data (Ley 1581): no "
                "document can be captured",
                "no-consent",
            )
        problem = document_problem(document_type, document_number)
        if problem:  # checked here, not left to RR/AC, whose own checks differ and whose 400 is not the advisor's
            raise RuleBroken(problem, "invalid-document")
        views, degraded = Customer360(self.backoffice, self.executor).search(
            self.ctx, self.base, document_type=document_type, document_number=document_number
        )
        self.degraded = [d["system"] for d in degraded]
        if not views and degraded:  # the customer may be in the system that did not answer: say which failed
            raise all_failed([DownstreamError(d["system"], d["reason"], d["status"], d["detail"]) for d in degraded])
        if not views:
            raise RuleBroken(
                f"no customer with document {document_type or ''} {document_number} in RR or AC: "
                "check the number with the customer",
                "document-not-found",
            )
        customer = views[0]
        with self.crm.write(self.sandbox) as db:
            db.execute(
                "UPDATE conversations SET customer_id = ?, document_type = ?, document_number = ?, "
                "document_validated_at = ? WHERE id = ?",
                [
                    customer["customerId"],
                    customer["identity"]["documentType"],
                    document_number,
                    self.now().isoformat(),
                    conversation_id,
                ],
            )
            view = self.view(db, load_conversation(db, conversation_id))
        return view | {
            "customer": {
                "id": customer["customerId"],
                "name": customer["name"],
                "premium": customer["premium"],
                "accounts": [a["id"] for a in customer["account"]],
                "mobileLines": [line["msisdn"] for line in customer["mobileLines"]],
            }
        }


def message_view(m: dict, base: str) -> dict:
    """A TMF681 CommunicationMessage (outbound) or the customer's message (inbound)."""
    view = {
        "id": m["id"],
        "href": f"{base}/conversations/{m['conversation_id']}#{m['id']}",
        "conversationId": m["conversation_id"],
        "direction": m["direction"],
        "author": m["author"],
        "messageType": "whatsapp",
        "kind": m["kind"],
        "content": m["text"],
        "buttonId": m.get("button_id"),
        "template": m["template"],
        # Absent, not null, when the message belongs to no case: schemathesis 4.32 follows a conversation's
        # messages[*].caseId to the case operations and picked a null one as the string "None" (a 400 it then
        # reported as a rejected valid request).
        **({"caseId": m["case_id"]} if m["case_id"] is not None else {}),
        "state": m["state"],
        "whatsappStatus": m["whatsapp_status"],
        "wamid": m["wamid"],
        "error": m["error"],
        "sendTime": m["sent_at"],
        "statusTime": m["status_at"],
        "@type": "CommunicationMessage",
        "@baseType": "CommunicationMessage",
    }
    return view
