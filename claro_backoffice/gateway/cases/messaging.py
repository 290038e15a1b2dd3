"""Outbound WhatsApp messages (bot and advisor) and their fate: each is sent through Meta with no CRM transaction
open (Meta may deliver a status webhook before its send answers), then recorded as a TMF681 communication message
whose state follows the status webhooks, whatever order they arrive in.

TMF681 states: inProgress once Meta accepted it (and while only `sent`), completed when delivered or read,
failed when Meta reports a failure (e.g. 131047 outside the 24-hour window).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.backoffice.meta import MetaAdapter
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, insert, row, rows
from claro_backoffice.gateway.errors import DownstreamError

WINDOW = dt.timedelta(hours=24)
RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3}
STATE = {
    "accepted": "inProgress",
    "sent": "inProgress",
    "delivered": "completed",
    "read": "completed",
    "failed": "failed",
}


def window_open(conversation: dict, now: dt.datetime) -> bool:
    last = conversation.get("last_customer_message_at")
    if not last:
        return False
    return now - dt.datetime.fromisoformat(last) < WINDOW


def furthest(statuses: list[dict]) -> dict | None:
    """The status that tells the message's fate: a failure wins, then read > delivered > sent."""
    failed = [s for s in statuses if s["status"] == "failed"]
    if failed:
        return failed[0]
    known = [s for s in statuses if s["status"] in RANK]
    return max(known, key=lambda s: RANK[s["status"]]) if known else None


class Messenger:
    def __init__(self, crm: CrmStore, clocks: Clocks, meta: MetaAdapter, ctx: CallContext, phone_number_id: str):
        self.crm, self.clocks, self.meta, self.ctx = crm, clocks, meta, ctx
        self.sandbox = ctx.sandbox
        self.phone_number_id = phone_number_id

    def send(
        self,
        conversation: dict,
        author: str,
        text: str | None,
        *,
        buttons: list[tuple[str, str]] | None = None,
        template: str | None = None,
        values: list[str] | None = None,
        case_id: str | None = None,
        quiet: bool = False,
    ) -> dict:
        """Send and record one message. quiet=True (the bot answering a webhook) records a Meta failure as a failed
        message instead of raising it: the customer's message is already safely stored."""
        to = conversation["wa_id"]
        error = None
        wamid = None
        try:
            if template:
                wamid = self.meta.send_template(self.ctx, self.phone_number_id, to, template, values or [])
            elif buttons:
                assert text is not None  # only a template goes without text of its own
                wamid = self.meta.send_buttons(self.ctx, self.phone_number_id, to, text, buttons)
            else:
                assert text is not None
                wamid = self.meta.send_text(self.ctx, self.phone_number_id, to, text)
        except DownstreamError as exc:
            if not quiet:
                raise
            error = exc.detail
        kind = "template" if template else "interactive" if buttons else "text"
        with self.crm.write(self.sandbox) as db:
            return self.record(
                db, conversation["id"], author, kind, text, wamid=wamid, template=template, case_id=case_id, error=error
            )

    def record(
        self,
        db: sqlite_utils.Database,
        conversation_id: str,
        author: str,
        kind: str,
        text: str | None,
        *,
        wamid: str | None,
        template: str | None = None,
        case_id: str | None = None,
        error: str | None = None,
    ) -> dict:
        now = self.clocks.now(self.sandbox).isoformat()
        message = {
            "id": next_id(db, "MSG"),
            "conversation_id": conversation_id,
            "wamid": wamid,
            "direction": "outbound",
            "author": author,
            "kind": kind,
            "text": text,
            "template": template,
            "case_id": case_id,
            "state": "failed" if error else "inProgress",
            "whatsapp_status": "failed" if error else "accepted",
            "error": error,
            "sent_at": now,
            "status_at": now,
        }
        insert(db, "messages", message)
        if wamid:
            apply_statuses(db, wamid)
        recorded = row(db.execute("SELECT * FROM messages WHERE id = ?", [message["id"]]))
        assert recorded is not None  # inserted just above, in this transaction
        return recorded


def record_status(db: sqlite_utils.Database, status: dict) -> None:
    """One status object of a webhook (sent | delivered | read | failed, any order, repeats ignored)."""
    at = dt.datetime.fromtimestamp(int(status.get("timestamp") or 0), BOGOTA).isoformat()
    errors = status.get("errors")
    db.execute(
        "INSERT OR IGNORE INTO message_statuses (wamid, status, at, error) VALUES (?, ?, ?, ?)",
        [status["id"], status["status"], at, json.dumps(errors, ensure_ascii=False) if errors else None],
    )
    apply_statuses(db, status["id"])


def apply_statuses(db: sqlite_utils.Database, wamid: str) -> None:
    seen = rows(db.execute("SELECT status, at, error FROM message_statuses WHERE wamid = ?", [wamid]))
    best = furthest(seen)
    if best is None:
        return
    error = None
    if best["error"]:
        first = (json.loads(best["error"]) or [{}])[0]
        error = f"{first.get('code')}: {first.get('title') or first.get('message')}"
    db.execute(
        "UPDATE messages SET whatsapp_status = ?, state = ?, status_at = ?, error = COALESCE(?, error) "
        "WHERE wamid = ? AND direction = 'outbound'",
        [best["status"], STATE[best["status"]], best["at"], error, wamid],
    )
