"""The practice customer of a sandbox: started from a scenario's `practice` section, it watches what the business
says to the scenario's customer (the bot's and the advisor's messages) and what the advisor does in the back office
for that customer's cases (the case timeline: calls made with X-Case-Id, typification, close, …), and answers by
the scenario's rules, each line due a few seconds of the sandbox's virtual time later. It writes through Meta's
simulator, exactly as a person on the customer's phone would, so the line reaches the gateway as a signed webhook.

Time moves only with the sandbox's clock, and nothing runs in the background: `catch_up()` looks at what happened
since it last looked, schedules the answers, and says every line that is due, oldest first. The conversation reads
an advisor's screen polls (GET /conversations, GET /conversations/{id}) and GET /admin/practice call it, so a line
appears at the first of those reads at or after its due moment; with a frozen clock, advancing it (POST
/admin/clock) is what lets the customer answer. The same advisor actions, read the same way, give the same
conversation.

One line is in flight at a time per sandbox (`sending`, claimed in a write transaction): concurrent reads never say
a line twice or out of order. A line Meta refused stays pending and is tried again at the next read. A line
answering a chat that ended before it was due is dropped (a customer's message after the goodbye would open a new
chat), but for a survey score.

LIMITATIONS: a line is stamped with the moment it is said (the read that found it due), not its due moment; a
process that dies between claiming a line and hearing Meta's answer leaves it `sending` (stop and start again).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.backoffice.meta import MetaAdapter
from claro_backoffice.gateway.cases import bot
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.practice import rules

MAX_LINES_PER_CATCH_UP = 50  # a bound, not a rule: each answer to an answer needs the clock to move again


class PracticeCustomer:
    def __init__(self, crm: CrmStore, clocks: Clocks, meta: MetaAdapter, ctx: CallContext, phone_number_id: str):
        self.crm, self.clocks, self.meta, self.ctx = crm, clocks, meta, ctx
        self.sandbox = ctx.sandbox
        self.phone_number_id = phone_number_id

    # ---- starting and stopping --------------------------------------------------------------------------------------
    def start(self, scenario: dict) -> dict:
        """The scenario's customer starts writing: its opening lines are due at once, one delay apart."""
        customer = scenario["customer"]
        script = rules.filled(scenario["practice"], customer)
        now = self.clocks.now(self.sandbox)
        delay = dt.timedelta(seconds=script.get("delaySeconds", rules.DEFAULT_DELAY))
        with self.crm.write(self.sandbox) as db:
            self._forget(db)
            db.execute(
                "INSERT INTO practice (id, scenario, wa_id, script, started_at, message_cursor, timeline_cursor) "
                "VALUES (1, ?, ?, ?, ?, (SELECT COALESCE(MAX(rowid), 0) FROM messages), "
                "(SELECT COALESCE(MAX(seq), 0) FROM case_timeline))",
                [scenario["name"], "57" + str(customer["phone"]), json.dumps(script), now.isoformat()],
            )
            for i, text in enumerate(script[rules.OPENING]):
                self._schedule(db, rules.OPENING, None, text, now + delay * i)
        self.catch_up()
        return self.view()

    def stop(self) -> dict:
        with self.crm.write(self.sandbox) as db:
            self._forget(db)
        return self.view()

    @staticmethod
    def _forget(db: sqlite_utils.Database) -> None:
        for table in ("practice", "practice_lines", "practice_fired"):
            db.execute(f"DELETE FROM {table}")

    # ---- the loop ------------------------------------------------------------------------------------------------
    def catch_up(self) -> None:
        """Answer what happened since the last look, then say each line that is due, one at a time."""
        with self.crm.read(self.sandbox) as db:
            if db.execute("SELECT 1 FROM practice").fetchone() is None:
                return  # the usual case: no write transaction for a sandbox nobody practises in
        for _ in range(MAX_LINES_PER_CATCH_UP):
            now = self.clocks.now(self.sandbox)
            with self.crm.write(self.sandbox) as db:
                practice = row(db.execute("SELECT * FROM practice WHERE id = 1"))
                if practice is None:
                    return
                self._observe(db, practice)
                if db.execute("SELECT 1 FROM practice_lines WHERE state = 'sending'").fetchone():
                    return  # another request is saying a line: it will go on from there
                line = row(
                    db.execute(
                        "SELECT * FROM practice_lines WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, seq "
                        "LIMIT 1",
                        [now.isoformat()],
                    )
                )
                if line is None:
                    return
                if _chat_ended(db, line):
                    db.execute("UPDATE practice_lines SET state = 'dropped' WHERE seq = ?", [line["seq"]])
                    continue
                db.execute("UPDATE practice_lines SET state = 'sending' WHERE seq = ?", [line["seq"]])
            if not self._say(practice["wa_id"], line):
                return

    def _say(self, wa_id: str, line: dict) -> bool:
        """Through Meta's simulator (a signed webhook to the gateway follows); False when Meta could not be reached."""
        try:
            sent = self.meta.customer_says(self.ctx, wa_id, line["text"], self.phone_number_id)
        except DownstreamError:
            with self.crm.write(self.sandbox) as db:
                db.execute("UPDATE practice_lines SET state = 'pending' WHERE seq = ?", [line["seq"]])
            return False
        with self.crm.write(self.sandbox) as db:
            db.execute(
                "UPDATE practice_lines SET state = 'said', said_at = ?, wamid = ?, delivery_status = ? WHERE seq = ?",
                [
                    self.clocks.now(self.sandbox).isoformat(),
                    sent["message"]["wamid"],
                    sent["delivery"].get("status_code"),
                    line["seq"],
                ],
            )
        return True

    def _observe(self, db: sqlite_utils.Database, practice: dict) -> None:
        """The business's messages to the customer and the steps of the customer's cases since the cursors, in the
        order they happened (by their virtual time; a tie keeps each stream's order, steps first), each answered."""
        script = json.loads(practice["script"])
        messages = rows(
            db.execute(
                "SELECT m.rowid AS seq, m.author, COALESCE(m.text, m.template, '') AS text, m.sent_at AS at, "
                "m.conversation_id "
                "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                "WHERE c.wa_id = ? AND m.direction = 'outbound' AND m.rowid > ? ORDER BY m.rowid",
                [practice["wa_id"], practice["message_cursor"]],
            )
        )
        steps = rows(
            db.execute(
                "SELECT t.seq, t.at, t.kind, t.system, t.action, t.outcome, k.conversation_id FROM case_timeline t "
                "JOIN cases k ON k.id = t.case_id JOIN conversations c ON c.id = k.conversation_id "
                "WHERE c.wa_id = ? AND t.seq > ? ORDER BY t.seq",
                [practice["wa_id"], practice["timeline_cursor"]],
            )
        )
        if not messages and not steps:
            return
        events: list[tuple[dt.datetime, int, int, str, rules.Event]] = []
        for m in messages:
            at = dt.datetime.fromisoformat(m["at"])
            events.append((at, 1, m["seq"], m["conversation_id"], rules.Event(at, m["text"], said_by=m["author"])))
        for s in steps:
            at = dt.datetime.fromisoformat(s["at"])
            event = rules.step_event(at, s["kind"], s["system"], s["action"], s["outcome"])
            if event is not None:
                events.append((at, 0, s["seq"], s["conversation_id"], event))
        fired = {r["rule"]: r["times"] for r in rows(db.execute("SELECT rule, times FROM practice_fired"))}
        for _, _, _, conversation_id, event in sorted(events, key=lambda e: e[:3]):
            reply = rules.respond(script, event, fired)
            if reply is None:
                continue
            fired[reply.rule] = fired.get(reply.rule, 0) + 1
            db.execute(
                "INSERT INTO practice_fired (rule, times) VALUES (?, 1) "
                "ON CONFLICT (rule) DO UPDATE SET times = times + 1",
                [reply.rule],
            )
            for i, text in enumerate(reply.lines):
                due = event.at + dt.timedelta(seconds=reply.delay * (i + 1))
                self._schedule(db, reply.rule, event.describe(), text, due, conversation_id)
        db.execute(
            "UPDATE practice SET message_cursor = ?, timeline_cursor = ? WHERE id = 1",
            [
                max([m["seq"] for m in messages], default=practice["message_cursor"]),
                max([s["seq"] for s in steps], default=practice["timeline_cursor"]),
            ],
        )

    @staticmethod
    def _schedule(
        db: sqlite_utils.Database,
        rule: str,
        answering: str | None,
        text: str,
        due: dt.datetime,
        conversation_id: str | None = None,
    ) -> None:
        db.execute(
            "INSERT INTO practice_lines (rule, answering, conversation_id, text, due_at, state) "
            "VALUES (?, ?, ?, ?, ?, 'pending')",
            [rule, answering, conversation_id, text, due.isoformat()],
        )

    # ---- what a trainer sees ---------------------------------------------------------------------------------------
    def view(self) -> dict:
        with self.crm.read(self.sandbox) as db:
            practice = row(db.execute("SELECT scenario, wa_id, started_at FROM practice WHERE id = 1"))
            lines = rows(db.execute("SELECT * FROM practice_lines ORDER BY seq"))
            fired = rows(db.execute("SELECT rule, times FROM practice_fired ORDER BY rule"))
        if practice is None:
            return {"active": False, "lines": [], "fired": {}}
        return {
            "active": True,
            "scenario": practice["scenario"],
            "waId": practice["wa_id"],
            "startedAt": practice["started_at"],
            "lines": [
                {
                    k: v
                    for k, v in {
                        "seq": line["seq"],
                        "rule": line["rule"],
                        "answering": line["answering"],
                        "text": line["text"],
                        "dueAt": line["due_at"],
                        "state": line["state"],
                        "saidAt": line["said_at"],
                        "wamid": line["wamid"],
                        "deliveryStatus": line["delivery_status"],
                    }.items()
                    if v is not None
                }
                for line in lines
            ],
            "fired": {f["rule"]: f["times"] for f in fired},
        }


def _chat_ended(db: sqlite_utils.Database, line: dict) -> bool:
    """A line answering a chat that has ended since is not said (it would open a new chat with the bot), except a
    0-10 answer to that chat's pending survey, which is how a survey is answered."""
    if not line["conversation_id"]:
        return False
    found = db.execute("SELECT status FROM conversations WHERE id = ?", [line["conversation_id"]]).fetchone()
    if found is None or found[0] not in ("closed", "abandoned"):
        return False
    survey = db.execute(
        "SELECT 1 FROM cases WHERE conversation_id = ? AND survey_requested_at IS NOT NULL AND survey_score IS NULL",
        [line["conversation_id"]],
    ).fetchone()
    return not (survey and bot.survey_score(line["text"]) is not None)
