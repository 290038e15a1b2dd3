"""Reception (SMCC): Meta's webhook in, the bot's dialogue out.

A customer in the premium base starts with any message; anyone else needs one of the hashtags, or gets a polite
pointer to the regular channels. Then consent (Ley 1581: time, channel and purpose recorded; declined -> a polite
close and nothing of the customer kept: see _forget), then "¿deseas un asesor?": SI queues the conversation
(advisorRequestedAt is the moment of that message), NO closes it. While queued or assigned, the customer's messages
wait for the advisor. Asked "¿Hay algo más?" (closingQuestion, ending.py), "no" ends the conversation with the
closing script and the survey; anything else gives it back to the advisor, in the same conversation. A reply of
0–10 while a survey is pending is the survey's answer.

Each inbound message is stored once (its wamid), in one transaction with the conversation's change, before the
bot answers; the bot's answer goes out afterwards (messaging.py).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import TypedDict

import sqlite_utils

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases import bot
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.conversations import expire_queue, load_conversation
from claro_backoffice.gateway.cases.ending import Endings, Farewell, Timers, claim, say_farewell
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.messaging import Messenger, record_status
from claro_backoffice.gateway.cases.store import CrmStore, insert, row
from claro_backoffice.gateway.services.customer360 import Customer360
from claro_backoffice.world.phones import InvalidPhone, normalise_phone

ACTIVE = ("consent", "advisorQuestion", "queued", "assigned", "closingQuestion")


class SendOptions(TypedDict, total=False):
    """How a bot reply goes out beyond its text (Messenger.send's keywords)."""

    buttons: list[tuple[str, str]]


Replies = list[tuple[str, SendOptions]]  # what the bot answers, sent once the customer's message is stored


def inbound_text(message: dict) -> str:
    """What the bot decides on: the typed text, or a tapped button's id (its title may change, its id does not)."""
    if message.get("type") == "text":
        return (message.get("text") or {}).get("body") or ""
    button_id, title = tapped(message)
    return button_id or title or ""


def tapped(message: dict) -> tuple[str | None, str | None]:
    """(id, title) of the button a customer tapped (a template's quick reply or an interactive reply), else
    (None, None)."""
    kind = message.get("type")
    if kind == "button":
        button = message.get("button") or {}
        return button.get("payload") or None, button.get("text") or None
    if kind == "interactive":
        reply = message.get("interactive") or {}
        reply = reply.get("button_reply") or reply.get("list_reply") or {}
        return reply.get("id") or None, reply.get("title") or None
    return None, None


class Reception:
    def __init__(
        self,
        sandbox: str,
        request_id: str | None = None,
        *,
        crm: CrmStore,
        clocks: Clocks,
        backoffice: Backoffice,
        executor: ThreadPoolExecutor,
        business_number: str,
        abandon_minutes: int,
        timers: Timers,
    ):
        self.crm, self.clocks, self.backoffice, self.executor = crm, clocks, backoffice, executor
        self.abandon_minutes = abandon_minutes
        self.ctx = CallContext(sandbox, request_id)
        self.sandbox = sandbox
        self.messenger = Messenger(crm, clocks, backoffice.meta, self.ctx, business_number)
        self.endings = Endings(crm, clocks, self.messenger, timers)
        self.degraded: list[str] = []  # systems that failed while a delivery was taken anyway (X-Degraded-Systems)

    # ---- one webhook change ------------------------------------------------------------------------------------
    def take(self, value: dict) -> dict:
        counts = {"messages": 0, "statuses": 0, "duplicates": 0}
        profiles = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []}
        for message in value.get("messages") or []:
            taken = self.message(message, profiles.get(message.get("from")))
            counts["messages" if taken else "duplicates"] += 1
        statuses = [s for s in value.get("statuses") or [] if s.get("id") and s.get("status")]
        if statuses:
            with self.crm.write(self.sandbox) as db:
                for status in statuses:
                    record_status(db, status)
            counts["statuses"] += len(statuses)
        return counts

    def message(self, message: dict, profile_name: str | None) -> bool:
        """False when this wamid was taken before (Meta repeats deliveries). The shape (an `id` and a `from`, a
        timestamp of digits) is gateway.yaml's WebhookDelivery, which connexion checked."""
        wamid, wa_id = message["id"], message["from"]
        text = inbound_text(message)
        button_id, title = tapped(message)
        at = dt.datetime.fromtimestamp(int(message.get("timestamp") or 0), BOGOTA)
        self.endings.sweep()  # a conversation whose wait is over ended before this message: it starts a new one
        with self.crm.read(self.sandbox) as db:
            if db.execute("SELECT 1 FROM inbound_seen WHERE wamid = ?", [wamid]).fetchone():
                return False
            answers_survey = self._pending_survey(db, wa_id) is not None and bot.survey_score(text) is not None
            starting = self._active(db, wa_id) is None and not answers_survey
        premium = self._premium(wa_id) if starting else None  # before the write: it calls RR and AC
        replies: Replies = []
        ended: list[Farewell] = []
        with self.crm.write(self.sandbox) as db:
            if db.execute("SELECT 1 FROM inbound_seen WHERE wamid = ?", [wamid]).fetchone():
                return False
            db.execute("INSERT INTO inbound_seen (wamid, at) VALUES (?, ?)", [wamid, at.isoformat()])
            expire_queue(db, self.clocks.now(self.sandbox), self.abandon_minutes)
            conversation, case_id = self._route(db, wa_id, text, at, premium, profile_name, replies, ended)
            if conversation["close_reason"] == "consentDeclined":
                # The "no" itself is not kept either; the polite close still needs the number, held in memory.
                db.execute("INSERT OR IGNORE INTO erased_wamids (wamid) VALUES (?)", [wamid])
                _forget(db, conversation["id"])
            else:
                stored = next_id(db, "MSG")
                insert(
                    db,
                    "messages",
                    {
                        "id": stored,
                        "conversation_id": conversation["id"],
                        "wamid": wamid,
                        "direction": "inbound",
                        "author": "customer",
                        "kind": message.get("type") or "text",
                        "text": title or text,  # what the customer saw and tapped, as the advisor should read it
                        "case_id": case_id,
                        "state": "completed",
                        "sent_at": at.isoformat(),
                        "status_at": at.isoformat(),
                    },
                )
                if button_id:
                    db.execute("INSERT INTO button_replies (message_id, button_id) VALUES (?, ?)", [stored, button_id])
                db.execute(
                    "UPDATE conversations SET last_customer_message_at = ? WHERE id = ?",
                    [at.isoformat(), conversation["id"]],
                )
                conversation = load_conversation(db, conversation["id"])
        if conversation["close_reason"] == "consentDeclined":
            for text_out, options in replies:
                self._send_and_forget(conversation, text_out, options)
            return True
        sent = [
            self.messenger.send(conversation, "bot", text_out, quiet=True, **options) for text_out, options in replies
        ]
        for farewell in ended:  # the "no" to "¿Hay algo más?": with the customer's message just stored (the window)
            sent += say_farewell(self.messenger, Farewell(conversation, farewell.survey_case), at)
        if any(m["state"] == "failed" for m in sent) and "meta" not in self.degraded:
            self.degraded.append("meta")
        return True

    def _send_and_forget(self, conversation: dict, text: str, options: SendOptions) -> None:
        """The polite close to a customer who declined: sent, then its record erased but for its wamid (so that
        what the gateway reads back from Meta about it can be hidden too)."""
        sent = self.messenger.send(conversation, "bot", text, quiet=True, **options)
        if sent["state"] == "failed" and "meta" not in self.degraded:
            self.degraded.append("meta")
        with self.crm.write(self.sandbox) as db:
            _forget(db, conversation["id"])

    # ---- the dialogue --------------------------------------------------------------------------------------------
    def _route(
        self,
        db: sqlite_utils.Database,
        wa_id: str,
        text: str,
        at: dt.datetime,
        premium: dict | None,
        profile_name: str | None,
        replies: Replies,
        ended: list[Farewell],
    ) -> tuple[dict, str | None]:
        survey = self._pending_survey(db, wa_id)
        score = bot.survey_score(text)
        if survey is not None and score is not None:
            db.execute(
                "UPDATE cases SET survey_score = ?, survey_channel = 'whatsapp', survey_at = ?, updated_at = ? "
                "WHERE id = ?",
                [score, at.isoformat(), at.isoformat(), survey["id"]],
            )
            replies.append((bot.SURVEY_THANKS, {}))
            return load_conversation(db, survey["conversation_id"]), survey["id"]
        conversation = self._active(db, wa_id)
        if conversation is None:
            return self._start(db, wa_id, text, at, premium, replies), None
        status = conversation["status"]
        said = bot.answer(text)
        changes: dict[str, object] = {}
        if status == "consent":
            if said is True:
                changes = {
                    "consent_given": 1,
                    "consent_at": at.isoformat(),
                    "consent_channel": "whatsapp",
                    "consent_purpose": bot.CONSENT_PURPOSE,
                    "profile_name": profile_name,
                    "status": "advisorQuestion",
                }
                replies.append((bot.ASK_ADVISOR, {"buttons": bot.ADVISOR_BUTTONS}))
            elif said is False:
                changes = {
                    "consent_given": 0,
                    "consent_at": at.isoformat(),  # the anonymous record: declined at, on this channel
                    "consent_channel": "whatsapp",
                    "status": "closed",
                    "close_reason": "consentDeclined",
                    "closed_at": at.isoformat(),
                    "customer_id": None,
                }
                replies.append((bot.CONSENT_DECLINED, {}))
            else:
                replies.append((bot.REPEAT_CONSENT, {"buttons": bot.CONSENT_BUTTONS}))
        elif status == "advisorQuestion":
            if said is True:
                changes = {"status": "queued", "advisor_requested_at": at.isoformat()}
                replies.append((bot.QUEUED, {}))
            elif said is False:
                changes = {"status": "closed", "close_reason": "advisorDeclined", "closed_at": at.isoformat()}
                replies.append((bot.ADVISOR_DECLINED, {}))
            else:
                replies.append((bot.REPEAT_ADVISOR, {"buttons": bot.ADVISOR_BUTTONS}))
        elif status == "closingQuestion":
            if said is False:
                farewell = claim(db, conversation["id"], "nothingMore", at, at)
                if farewell is not None:
                    ended.append(farewell)
                    conversation = farewell.conversation
            else:  # "sí", or the customer goes on with something: the advisor's again, in this same conversation
                changes = {"status": "assigned"}
        if changes:
            db.execute(
                f"UPDATE conversations SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                [*changes.values(), conversation["id"]],
            )
            conversation = conversation | changes
        open_case = db.execute(
            "SELECT id FROM cases WHERE conversation_id = ? AND status IN ('open', 'typified') "
            "ORDER BY created_at DESC LIMIT 1",
            [conversation["id"]],
        ).fetchone()
        return conversation, open_case[0] if open_case else None

    def _start(
        self, db: sqlite_utils.Database, wa_id: str, text: str, at: dt.datetime, premium: dict | None, replies: Replies
    ) -> dict:
        entry = "base" if premium else "hashtag" if bot.has_hashtag(text) else "refused"
        conversation_id = next_id(db, "CNV")
        conversation = {
            "id": conversation_id,
            "wa_id": wa_id,
            "phone_number_id": self.messenger.phone_number_id,
            "customer_id": premium["customerId"] if premium else None,
            # the holder's document type as RR/AC hold it (shown once validated), so a company is addressed as one
            "document_type": premium["identity"]["documentType"] if premium else None,
            "entry": entry,
            "status": "consent" if entry != "refused" else "closed",
            "close_reason": "notPremium" if entry == "refused" else None,
            "closed_at": at.isoformat() if entry == "refused" else None,
            "created_at": at.isoformat(),
        }
        insert(db, "conversations", conversation)
        if entry == "refused":
            replies.append((bot.NOT_PREMIUM, {}))
        else:
            replies.append(
                (
                    bot.WELCOME.format(name="", purpose=bot.CONSENT_PURPOSE[0].lower() + bot.CONSENT_PURPOSE[1:]),
                    {"buttons": bot.CONSENT_BUTTONS},
                )
            )
        return load_conversation(db, conversation_id)

    @staticmethod
    def _active(db: sqlite_utils.Database, wa_id: str) -> dict | None:
        return row(
            db.execute(
                f"SELECT * FROM conversations WHERE wa_id = ? AND status IN ({', '.join('?' * len(ACTIVE))}) "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                [wa_id, *ACTIVE],
            )
        )

    @staticmethod
    def _pending_survey(db: sqlite_utils.Database, wa_id: str) -> dict | None:
        return row(
            db.execute(
                "SELECT cases.id, cases.conversation_id FROM cases JOIN conversations ON conversations.id = "
                "cases.conversation_id WHERE conversations.wa_id = ? AND cases.survey_requested_at IS NOT NULL AND "
                "cases.survey_score IS NULL ORDER BY cases.survey_requested_at DESC LIMIT 1",
                [wa_id],
            )
        )

    def _premium(self, wa_id: str) -> dict | None:
        """The Customer360 view of a premium customer whose contact number or line this is (RR and AC), else None.
        When neither system answers, their failure is the webhook's answer (503/504 naming them): nothing is stored
        and Meta's redelivery of the same message goes through once they are back."""
        try:
            phone = normalise_phone(wa_id)
        except InvalidPhone:
            return None
        views, degraded = Customer360(self.backoffice, self.executor).search(self.ctx, "", phone=phone)
        self.degraded += [d["system"] for d in degraded if d["system"] not in self.degraded]
        return next((v for v in views if v.get("premium")), None)


def _forget(db: sqlite_utils.Database, conversation_id: str) -> None:
    """Habeas Data (Ley 1581): a customer who declined consent leaves only an anonymous record (declined at,
    entry path) for reporting. Every message goes (its wamid is kept, alone, in erased_wamids: Meta's opaque id,
    which lets the gateway hide Meta's own record of those messages), and so do the number and any name."""
    db.execute(
        "INSERT OR IGNORE INTO erased_wamids (wamid) SELECT wamid FROM messages "
        "WHERE conversation_id = ? AND wamid IS NOT NULL",
        [conversation_id],
    )
    db.execute(
        "DELETE FROM button_replies WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?)",
        [conversation_id],
    )
    db.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
    db.execute(
        "UPDATE conversations SET wa_id = '', profile_name = NULL, customer_id = NULL, document_type = NULL, "
        "document_number = NULL, document_validated_at = NULL, last_customer_message_at = NULL WHERE id = ?",
        [conversation_id],
    )
