"""Closing a case with the customer, following it up, and the satisfaction survey.

Close (typified cases only, once the advisor confirms nothing else is pending): `closed`, or `followUp` with its
type and a callback inside legal contact hours. Support cases (by their typification code's category)
stay in follow-up even when solved; a case not solved at first contact goes to follow-up (cierre posterior); a
case with a PQR is followed up as PQR. When the conversation has no other case still open, the advisor tells the
resolution and asks "¿Hay algo más en lo que pueda ayudarte?" (the conversation is `closingQuestion`; ending.py
says what follows). Outside the 24-hour window nobody can be asked: the survey invitation goes out as a template and
the conversation ends (`finished`). Callbacks record each attempt, made at the
sandbox's now or a stated time not after it, inside contact hours; a reached callback with `closeOut` is the
procedure's later close-out (cierre posterior), refused while the case's PQR is unanswered. The survey is answered
once (0–10), by the customer's WhatsApp reply or through the API.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from claro_backoffice.core.calendar import contact_hours_error, next_contact_moment
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.backoffice.meta import MetaAdapter
from claro_backoffice.gateway.cases import actors, bot
from claro_backoffice.gateway.cases.casefile import case_cun, load_case, require_state
from claro_backoffice.gateway.cases.cases import Cases
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.conversations import load_conversation
from claro_backoffice.gateway.cases.ending import Farewell, say_farewell
from claro_backoffice.gateway.cases.followups import require_backing
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.messaging import Messenger, window_open
from claro_backoffice.gateway.cases.store import CrmStore, insert, row
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import Conflict, RuleBroken
from claro_backoffice.gateway.services.guides import GuideBook, follow_up_types

RESOLUTION = {
    "closed": "Tu solicitud quedó resuelta.",
    "SOPORTE": "Haremos seguimiento a tu caso de soporte y te contactaremos el {when}.",
    "VISITAS": "Tu visita técnica quedó agendada; te contactaremos el {when} para confirmar que todo "
    "quedó funcionando.",
    "PQR": "Tu PQR quedó radicada con el CUN {cun}; te contactaremos el {when} con la respuesta.",
    "ESCALAMIENTOS": "Escalamos tu caso al área encargada; te contactaremos el {when}.",
}


class Closing:
    def __init__(
        self,
        ctx: CallContext,
        cases: Cases,
        *,
        crm: CrmStore,
        clocks: Clocks,
        meta: MetaAdapter,
        business_number: str,
        guides: GuideBook,
    ):
        self.ctx, self.cases, self.guides = ctx, cases, guides
        self.crm, self.clocks, self.meta, self.business_number = crm, clocks, meta, business_number
        self.sandbox = ctx.sandbox
        self.timeline = CaseTimeline(crm, clocks)

    def now(self) -> dt.datetime:
        return self.clocks.now(self.sandbox)

    def _fitting_follow_up(self, case: dict, follow_up: str | None) -> None:
        """A support code says how its case is followed up (the advisor's guide, world/data/guides.yaml): an
        AVISO or a guided fix is SOPORTE, a booked visit VISITAS, an escalation ESCALAMIENTOS."""
        code = case["typification_code"]
        if not follow_up or (self.cases.typifications.get(code) or {}).get("category") != "SOPORTE":
            return
        fitting = follow_up_types(self.guides, code)
        if fitting and follow_up not in fitting:
            raise RuleBroken(
                f"case {case['id']} is typified {code}: the guide follows it up as {' or '.join(fitting)}, not "
                f"{follow_up} (GET /guides lists each code's followUpType)",
                "follow-up-type-mismatch",
                allowed=fitting,
            )

    def close(self, case_id: str, body: dict) -> dict:
        with self.crm.read(self.sandbox) as db:
            case = load_case(db, case_id)
            require_state(case, ("typified",), "closed")
            conversation = load_conversation(db, case["conversation_id"])
            cun = case_cun(db, case_id)
            if body.get("outcome") == "followUp" and not cun:  # with a PQR the follow-up is PQR (checked below)
                self._fitting_follow_up(case, body.get("followUpType"))
            require_backing(db, case_id, body.get("followUpType") if body.get("outcome") == "followUp" else None)
            others = db.execute(
                "SELECT COUNT(*) FROM cases WHERE conversation_id = ? AND id != ? AND status IN ('open', 'typified')",
                [conversation["id"], case_id],
            ).fetchone()[0]
        if not body.get("nothingPending"):
            raise Conflict(
                f"case {case_id} can't be closed until the advisor confirms with the customer that "
                "nothing else is pending (nothingPending: true)",
                "pending-confirmation",
            )
        outcome, follow_up, callback_at = body["outcome"], body.get("followUpType"), body.get("callbackAt")
        code = case["typification_code"]
        # The typification code's category decides, as the procedure's CRM record does ("cerrado (SAC) o en
        # seguimiento (SOPORTE, …)"): a SAC case typified with a support code is support, and "los casos de soporte
        # se dejan en seguimiento, ya sea que estén solucionados en primer contacto o se le agende visita".
        category = self.cases.typifications.get(code, {}).get("category") or case["category"]
        if outcome == "closed" and category == "SOPORTE":
            raise RuleBroken(
                f"case {case_id} is typified {code} (SOPORTE): support cases stay in follow-up even when solved; "
                "close with outcome followUp, followUpType SOPORTE and a callbackAt",
                "support-follow-up",
            )
        if cun and (outcome != "followUp" or follow_up != "PQR"):
            raise RuleBroken(
                f"case {case_id} has a PQR (CUN {cun}): it is followed up as PQR (outcome followUp, followUpType PQR)",
                "pqr-follow-up",
            )
        # "Si no se logra dar solución en primer contacto se debe garantizar un cierre posterior con el cliente."
        if outcome == "closed" and not case["resolved_first_contact"]:
            raise RuleBroken(
                f"case {case_id} was not solved at first contact (typification {code}): it goes to follow-up "
                "with a callback for the later close-out (outcome followUp, followUpType and callbackAt)",
                "unsolved-follow-up",
            )
        if outcome == "followUp":
            if not follow_up or not callback_at:
                raise RuleBroken("a follow-up needs followUpType and callbackAt", "follow-up-incomplete")
            callback_at = callback_at.astimezone(self.now().tzinfo)
            self._callback_allowed(callback_at)
        elif follow_up or callback_at:
            raise RuleBroken("followUpType and callbackAt go with outcome followUp", "follow-up-unexpected")
        now = self.now().isoformat()
        last = others == 0
        # The question needs the customer reachable (the 24-hour window) and the conversation in the advisor's hands.
        ask = last and conversation["status"] == "assigned" and window_open(conversation, self.now())
        messenger = Messenger(self.crm, self.clocks, self.meta, self.ctx, self.business_number)
        if ask:
            self._anything_else(messenger, conversation, case, outcome, follow_up, callback_at, cun)
        elif last:  # sent before anything is stored: Meta's failure leaves the case as it was
            say_farewell(messenger, Farewell(conversation, case["id"]), self.now(), quiet=False)
        with self.crm.write(self.sandbox) as db:
            db.execute(
                "UPDATE cases SET status = ?, outcome = ?, follow_up_type = ?, callback_at = ?, closed_at = ?, "
                "survey_requested_at = ?, updated_at = ? WHERE id = ?",
                [
                    outcome,
                    outcome,
                    follow_up,
                    callback_at.isoformat() if callback_at else None,
                    now,
                    now if last and not ask else None,
                    now,
                    case_id,
                ],
            )
            if ask:
                db.execute(
                    "UPDATE conversations SET status = 'closingQuestion' WHERE id = ? AND status = 'assigned'",
                    [conversation["id"]],
                )
            elif last:
                db.execute(
                    "UPDATE conversations SET status = 'closed', close_reason = 'finished', closed_at = ? "
                    "WHERE id = ? AND status = 'assigned'",
                    [now, conversation["id"]],
                )
            actors.record(db, case_id, "closed", body.get("closedBy"), now)
            self.timeline.add(
                self.sandbox,
                case_id,
                "step",
                "closed with the customer",
                outcome,
                db=db,
                # a follow-up always has its callbackAt (checked above)
                detail=f"follow-up {follow_up} callback {callback_at.isoformat()}"
                if follow_up and callback_at
                else None,
            )
            return self.cases.view(db, load_case(db, case_id))

    def _callback_allowed(self, callback_at: dt.datetime, field: str = "callbackAt") -> None:
        """A callback is scheduled after this moment (the close, or the callback recorded: the sandbox's now), in
        contact hours."""
        now = self.now()
        if callback_at <= now:
            earliest = next_contact_moment(now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1))
            raise RuleBroken(
                f"{field} {callback_at.isoformat()} is not after now ({now.isoformat()}, the sandbox's clock): the "
                f"earliest allowed moment is {earliest.isoformat()} (the next whole minute in Ley 2300/2023 "
                "contact hours)",
                "callback-in-past",
                earliest=earliest.isoformat(),
            )
        wrong = contact_hours_error(callback_at)
        if wrong:
            raise RuleBroken(wrong, "outside-contact-hours")

    def _anything_else(
        self,
        messenger: Messenger,
        conversation: dict,
        case: dict,
        outcome: str,
        follow_up: str | None,
        callback_at: dt.datetime | None,
        cun: str | None,
    ) -> None:
        """The resolution or follow-up, and whether there is anything else (the advisor's; inside the window)."""
        name = bot.address(conversation["profile_name"], conversation["document_type"]) or "Cliente"
        when = callback_at.strftime("%d/%m/%Y a las %H:%M") if callback_at else ""
        kind = "closed" if outcome == "closed" else follow_up
        assert kind is not None  # a follow-up always has its type (checked in close)
        resolution = RESOLUTION[kind].format(when=when, cun=cun)
        text = bot.ANYTHING_ELSE.format(name=name, resolution=resolution[0].lower() + resolution[1:])  # "Ana, tu ..."
        messenger.send(conversation, "advisor", text, case_id=case["id"])

    # ---- follow-up -----------------------------------------------------------------------------------------------
    def callback(self, case_id: str, body: dict) -> tuple[dict, int]:
        now = self.now()
        at = (body.get("at") or now).astimezone(now.tzinfo)
        with self.crm.write(self.sandbox) as db:
            case = load_case(db, case_id)
            require_state(case, ("followUp",), "called back (only cases in follow-up are)")
            closed_at = dt.datetime.fromisoformat(case["closed_at"]) if case["closed_at"] else None
            self._attempt_allowed(at, now, closed_at)
            reached, close_out = bool(body["reached"]), bool(body.get("closeOut"))
            if close_out and not reached:
                raise RuleBroken(
                    "the close-out (cierre posterior) happens with the customer: reached must be true",
                    "close-out-unreached",
                )
            if close_out:
                self._pqr_answered(db, case_id)
            next_at = body.get("nextCallbackAt")
            if next_at is not None:
                self._callback_allowed(next_at, "nextCallbackAt")
            if not close_out and next_at is None:
                raise RuleBroken(
                    "a callback that does not close the case out needs nextCallbackAt", "next-callback-missing"
                )
            callback = {
                "id": next_id(db, "CBK"),
                "case_id": case_id,
                "at": at.isoformat(),
                "reached": int(reached),
                "outcome": body["outcome"],
                "notes": body.get("notes"),
                "next_callback_at": next_at.isoformat() if next_at else None,
                "closed_out": int(close_out),
                "advisor": body.get("advisor") or case["advisor"],
            }
            insert(db, "callbacks", callback)
            if close_out:
                db.execute(
                    "UPDATE cases SET status = 'closed', closed_out_at = ?, callback_at = NULL, updated_at = ? "
                    "WHERE id = ?",
                    [at.isoformat(), now.isoformat(), case_id],
                )
            else:
                assert next_at is not None  # checked above: a callback that does not close out names the next one
                db.execute(
                    "UPDATE cases SET callback_at = ?, updated_at = ? WHERE id = ?",
                    [next_at.isoformat(), now.isoformat(), case_id],
                )
            self.timeline.add(
                self.sandbox,
                case_id,
                "step",
                "callback",
                body["outcome"],
                db=db,
                detail=("reached" if reached else "not reached") + ("; closed out" if close_out else ""),
            )
            return self.cases.view(db, load_case(db, case_id)), 201

    @staticmethod
    def _attempt_allowed(at: dt.datetime, now: dt.datetime, closed_at: dt.datetime | None) -> None:
        """A callback attempt happened after the case went to follow-up, not in the sandbox's future, and (Ley
        2300/2023) inside contact hours."""
        if closed_at is not None and at < closed_at:
            earliest = next_contact_moment(closed_at)
            raise RuleBroken(
                f"the callback's at {at.isoformat()} is before the case went to follow-up ({closed_at.isoformat()}): "
                f"the earliest allowed moment is {earliest.isoformat()} (in Ley 2300/2023 contact hours)",
                "callback-before-close",
                earliest=earliest.isoformat(),
            )
        if at > now:
            raise RuleBroken(
                f"the callback's at {at.isoformat()} is in the future (the sandbox's now is {now.isoformat()}): "
                "record an attempt once it was made",
                "callback-in-future",
            )
        wrong = contact_hours_error(at)
        if wrong:
            raise RuleBroken(f"the callback attempt can't be made then: {wrong}", "outside-contact-hours")

    @staticmethod
    def _pqr_answered(db: sqlite_utils.Database, case_id: str) -> None:
        """A case with a PQR is closed out only once the PQR is answered: closing it before would leave the PQR
        to fall into silencio administrativo positivo with nobody following the case."""
        pqr = row(db.execute("SELECT id, cun, answered_at FROM pqrs WHERE case_id = ?", [case_id]))
        if pqr is not None and not pqr["answered_at"]:
            raise RuleBroken(
                f"case {case_id}'s PQR {pqr['id']} (CUN {pqr['cun']}) is not answered yet: answer it "
                f"(POST /pqrs/{pqr['id']}/answer) before the close-out; until then record the callback with a "
                "nextCallbackAt",
                "pqr-unanswered",
            )

    def survey(self, case_id: str, score: int) -> dict:
        with self.crm.write(self.sandbox) as db:
            case = load_case(db, case_id)
            if case["survey_score"] is not None:
                raise Conflict(
                    f"case {case_id}'s survey was already answered ({case['survey_score']} at "
                    f"{case['survey_at']}): a survey is answered once",
                    "survey-answered",
                )
            if not case["survey_requested_at"]:
                raise Conflict(
                    f"case {case_id} has no survey invitation: it is sent when the case is closed with the customer",
                    "survey-not-requested",
                )
            now = self.now().isoformat()
            db.execute(
                "UPDATE cases SET survey_score = ?, survey_channel = 'api', survey_at = ?, updated_at = ? WHERE id = ?",
                [score, now, now, case_id],
            )
            return self.cases.view(db, load_case(db, case_id))
