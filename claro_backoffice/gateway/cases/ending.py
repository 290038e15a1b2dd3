"""How a conversation the advisor took ends (procedure, section 5: "confirmará que no existan más solicitudes por
parte del cliente, y de ser necesario las gestionará en el mismo chat ... brindará guion establecido para
finalización del chat, invitará al cliente a contestar la encuesta").

- Its last open case closed with the customer, the advisor tells the resolution and asks "¿Hay algo más en lo que
  pueda ayudarte?" (closing.py): the conversation is `closingQuestion`, still the advisor's. The customer's "sí", or
  anything but a "no", gives it back to the advisor (`assigned`: another case in the same chat, no new consent);
  "no" ends it (`nothingMore`); no answer within CLOSING_QUESTION_MINUTES of the advisor's last message ends it
  too (`closingUnanswered`, closed at the end of that wait).
- With no case open, the advisor ends it with one of REASONS (POST /conversations/{id}/close).
- Taken, with no case open, and the customer silent for CONVERSATION_INACTIVITY_MINUTES after the advisor's last
  message (the welcome counts): it ends (`inactivity`, closed at the end of that wait). A conversation with an open
  case stays with the advisor, who closes the case (in follow-up when the customer went silent).

Every end sends the closing script and, when the conversation had a case closed with the customer whose survey was
not sent yet, the survey invitation for the last such case (a conversation without a case has no survey: NPS is
per case). Outside the 24-hour window only the survey goes, as a template. The timed ends are applied, like the
queue's abandonment, whenever conversations are read or changed (`Endings.sweep`): each end is claimed in a
transaction (the status changes) before its messages go out, so two readers never send them twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlite_utils

from claro_backoffice.gateway.cases import bot
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.messaging import Messenger, window_open
from claro_backoffice.gateway.cases.store import CrmStore, row, rows

# The advisor's reasons to end a conversation with no case open (POST /conversations/{id}/close).
REASONS = {
    "informationOnly": "the customer only asked for information: nothing to register as a case",
    "customerUnresponsive": "the customer stopped answering",
    "nothingMore": "the customer has nothing else (the closing question answered in their own words)",
    "otherChannel": "the request belongs to another channel, where the customer was pointed",
}
TAKEN = ("assigned", "closingQuestion")  # the advisor has it


@dataclasses.dataclass(frozen=True)
class Timers:
    """The timed ends, in minutes (GatewaySettings)."""

    closing_question: int
    inactivity: int


@dataclasses.dataclass(frozen=True)
class Farewell:
    """A conversation just ended: what is left is to tell the customer."""

    conversation: dict
    survey_case: str | None


def open_cases(db: sqlite_utils.Database, conversation_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM cases WHERE conversation_id = ? AND status IN ('open', 'typified') ORDER BY id",
            [conversation_id],
        )
    ]


def pending_survey(db: sqlite_utils.Database, conversation_id: str) -> str | None:
    """The conversation's last case closed with the customer whose survey was not sent yet (the one it asks about)."""
    found = db.execute(
        "SELECT id FROM cases WHERE conversation_id = ? AND closed_at IS NOT NULL AND survey_requested_at IS NULL "
        "ORDER BY closed_at DESC, id DESC LIMIT 1",
        [conversation_id],
    ).fetchone()
    return found[0] if found else None


def claim(
    db: sqlite_utils.Database, conversation_id: str, reason: str, closed_at: dt.datetime, now: dt.datetime
) -> Farewell | None:
    """End a conversation the advisor has (None when it was not theirs any more: someone else ended it); the survey
    is requested for its last case closed with the customer that has none yet."""
    ended = db.execute(
        "UPDATE conversations SET status = 'closed', close_reason = ?, closed_at = ? "
        f"WHERE id = ? AND status IN ({', '.join('?' * len(TAKEN))})",
        [reason, closed_at.isoformat(), conversation_id, *TAKEN],
    )
    if ended.rowcount == 0:
        return None
    survey = pending_survey(db, conversation_id)
    if survey is not None:
        db.execute(
            "UPDATE cases SET survey_requested_at = ?, updated_at = ? WHERE id = ?",
            [now.isoformat(), now.isoformat(), survey],
        )
    conversation = row(db.execute("SELECT * FROM conversations WHERE id = ?", [conversation_id]))
    assert conversation is not None  # just updated, in this transaction
    return Farewell(conversation, survey)


def say_farewell(messenger: Messenger, farewell: Farewell, now: dt.datetime, quiet: bool = True) -> list[dict]:
    """The closing script (the advisor's) and the survey invitation; outside the 24-hour window the survey alone,
    as the approved template. quiet: a Meta failure is recorded as a failed message (the end is already stored)."""
    conversation, case_id = farewell.conversation, farewell.survey_case
    name = bot.address(conversation["profile_name"], conversation["document_type"]) or "Cliente"
    sent = []
    if window_open(conversation, now):
        sent.append(
            messenger.send(conversation, "advisor", bot.CLOSING.format(name=name), case_id=case_id, quiet=quiet)
        )
        if case_id:
            sent.append(messenger.send(conversation, "bot", bot.SURVEY.format(name=name), case_id=case_id, quiet=quiet))
    elif case_id:
        sent.append(
            messenger.send(
                conversation, "bot", None, template="encuesta_satisfaccion", values=[name], case_id=case_id, quiet=quiet
            )
        )
    return sent


def _due(db: sqlite_utils.Database, now: dt.datetime, timers: Timers) -> list[tuple[str, str, dt.datetime]]:
    """(conversation, reason, when it ended) for each conversation whose closing question or inactivity wait is over:
    no case open, and the advisor's last message (the last one Meta took: a failed one never reached the customer)
    is the chat's last word. Messages are ordered as stored (a frozen clock gives them all the same time)."""
    found = rows(
        db.execute(
            "SELECT c.id, c.status, (SELECT MAX(m.rowid) FROM messages m WHERE m.conversation_id = c.id AND "
            "m.direction = 'outbound' AND m.author = 'advisor' AND m.state != 'failed') AS advisor_said, "
            "(SELECT MAX(m.rowid) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound') "
            "AS customer_said, (SELECT COUNT(*) FROM cases k WHERE k.conversation_id = c.id AND "
            f"k.status IN ('open', 'typified')) AS open_cases FROM conversations c WHERE c.status IN "
            f"({', '.join('?' * len(TAKEN))})",
            list(TAKEN),
        )
    )
    due = []
    for c in found:
        if c["advisor_said"] is None or c["open_cases"] or (c["customer_said"] or 0) > c["advisor_said"]:
            continue
        said = db.execute("SELECT sent_at FROM messages WHERE rowid = ?", [c["advisor_said"]]).fetchone()[0]
        if c["status"] == "closingQuestion":
            reason, minutes = "closingUnanswered", timers.closing_question
        else:
            reason, minutes = "inactivity", timers.inactivity
        ends = dt.datetime.fromisoformat(said) + dt.timedelta(minutes=minutes)
        if ends <= now:
            due.append((c["id"], reason, ends))
    return due


class Endings:
    def __init__(self, crm: CrmStore, clocks: Clocks, messenger: Messenger, timers: Timers):
        self.crm, self.clocks, self.messenger, self.timers = crm, clocks, messenger, timers
        self.sandbox = messenger.sandbox

    def sweep(self) -> None:
        """Apply the timed ends due at the sandbox's now (the unanswered closing question, the customer's inactivity;
        the queue's abandonment is conversations.expire_queue), then tell the customers whose conversation ended."""
        now = self.clocks.now(self.sandbox)
        with self.crm.write(self.sandbox) as db:
            ended = [claim(db, cid, reason, at, now) for cid, reason, at in _due(db, now, self.timers)]
        for farewell in ended:
            if farewell is not None:
                say_farewell(self.messenger, farewell, now)
