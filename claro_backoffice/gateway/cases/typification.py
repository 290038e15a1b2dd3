"""Typifying a case: the marking in RR (F22) for a home account or a tickler in AC for a mobile one, stating
whether it was solved at first contact or which CUN the PQR got; notes beyond RR's 250 characters go whole into
the account's ESTRATEGICOS folder (created when missing) and the marking says so.

Each step is recorded once it succeeded, in its own transaction: a retry (same Idempotency-Key) after a partial
failure does only the steps still missing, and a complete answer is replayed as it was. The record lives in the
gateway's store, the write in the system's: a crash between the two can't be closed by a transaction, so every
write carries its own Idempotency-Key from the case and the step (`CAS-000123:typify:rr-marking`) and the
system answers a repeat with what it did the first time instead of doing it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlite_utils

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.backoffice.rr import RRAdapter
from claro_backoffice.gateway.cases import idempotency
from claro_backoffice.gateway.cases.actors import acting
from claro_backoffice.gateway.cases.casefile import case_cun, load_case, require_state
from claro_backoffice.gateway.cases.cases import Cases
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import Conflict, RuleBroken
from claro_backoffice.gateway.errors import DownstreamError

RR_NOTES_MAX = 250
AC_TEXT_MAX = 500
FOLDER = "ESTRATEGICOS"
OPERATION = "typification"


class Typification:
    def __init__(
        self,
        ctx: CallContext,
        cases: Cases,
        *,
        crm: CrmStore,
        clocks: Clocks,
        backoffice: Backoffice,
        typifications: dict,
        repeat_window_days: int,
    ):
        self.ctx, self.cases = ctx, cases
        self.crm, self.clocks, self.backoffice = crm, clocks, backoffice
        self.typifications, self.repeat_window_days = typifications, repeat_window_days
        self.sandbox = ctx.sandbox
        self.timeline = CaseTimeline(crm, clocks)

    def register(self, case_id: str, body: dict, key: str) -> tuple[dict, int]:
        now = self.clocks.now(self.sandbox).isoformat()
        request = {"caseId": case_id, **body}
        with self.crm.write(self.sandbox) as db:
            replayed = idempotency.replay(db, OPERATION, key, request)
            if replayed is not None:
                return replayed[1], replayed[0]
            case = load_case(db, case_id)
            require_state(case, ("open",), "typified")
            # Refusals come before the key is taken, so a corrected request may reuse it.
            entry = self._entry(case, body["code"])
            notes = body.get("notes") or ""
            rfc = bool(body["resolvedFirstContact"])
            cun = case_cun(db, case_id)
            if rfc and cun:
                raise Conflict(
                    f"case {case_id} has a PQR (CUN {cun}): it was not solved at first contact", "case-has-pqr"
                )
            if case["account_system"] == "ac" and len(notes) > AC_TEXT_MAX:
                raise RuleBroken(
                    f"AC ticklers take at most {AC_TEXT_MAX} characters of notes ({len(notes)} given)", "notes-too-long"
                )
            advisor = acting(body.get("advisor"), case, "advisor", "typify it")
            idempotency.begin(db, OPERATION, key, request, now)
        if case["account_system"] == "rr":
            self._rr(case, entry, notes, rfc, cun, advisor)
        else:
            self._step(
                case,
                "ac-tickler",
                "ac",
                lambda key: self.backoffice.ac.create_tickler(
                    self._ctx(case),
                    case["account_id"],
                    entry["code"],
                    notes or entry["description"],
                    advisor,
                    case["msisdn"],
                    rfc,
                    cun,
                    key=key,
                )["ticklerId"],
            )
        with self.crm.write(self.sandbox) as db:
            case = load_case(db, case_id)
            repeat = self._repeat_of(db, case, entry["code"])
            db.execute(
                "UPDATE cases SET status = 'typified', typification_code = ?, typification_notes = ?, "
                "resolved_first_contact = ?, typified_at = ?, repeat_of = ?, updated_at = ? WHERE id = ?",
                [entry["code"], notes, int(rfc), now, repeat, now, case_id],
            )
            self.timeline.add(
                self.sandbox,
                case_id,
                "step",
                "typified",
                entry["code"],
                db=db,
                detail=(
                    "solved at first contact"
                    if rfc
                    else "not solved at first contact" + (f"; CUN {cun}" if cun else "")
                ),
            )
            answer = self.cases.view(db, load_case(db, case_id))
            idempotency.finish(db, OPERATION, key, 200, answer)
        return answer, 200

    def _ctx(self, case: dict) -> CallContext:
        return type(self.ctx)(self.ctx.sandbox, self.ctx.request_id, case["id"])

    def _entry(self, case: dict, code: str) -> dict:
        entry = self.typifications.get(code)
        if entry is None:
            raise RuleBroken(
                f"typification {code} is not in the catalogue (GET /typifications)", "unknown-typification"
            )
        line = "hogar" if case["account_system"] == "rr" else "movil"
        if entry["line"] not in (line, "ambos"):
            raise RuleBroken(
                f"typification {code} is for {entry['line']} accounts; case {case['id']} is on a {line} account",
                "typification-line",
            )
        return entry

    def _rr(self, case: dict, entry: dict, notes: str, rfc: bool, cun: str | None, advisor: str) -> None:
        rr, ctx, account = self.backoffice.rr, self._ctx(case), case["account_id"]
        marking_notes = notes
        if len(notes) > RR_NOTES_MAX:
            suffix = f" … (nota completa en carpeta {FOLDER})"
            marking_notes = notes[: RR_NOTES_MAX - len(suffix)].rstrip() + suffix
            self._step(case, "rr-folder", "rr", lambda key: self._folder(rr, ctx, account, advisor, key))
            self._step(
                case,
                "rr-folder-note",
                "rr",
                lambda key: str(rr.add_folder_note(ctx, account, FOLDER, notes, advisor, key=key)["noteId"]),
            )
        self._step(
            case,
            "rr-marking",
            "rr",
            lambda key: str(
                rr.create_marking(ctx, account, entry["code"], advisor, marking_notes, rfc, cun, key=key)["markingId"]
            ),
        )

    @staticmethod
    def _folder(rr: RRAdapter, ctx: CallContext, account: str, advisor: str, key: str) -> str:
        if any(f["name"] == FOLDER for f in rr.folders(ctx, account)):
            return FOLDER
        try:
            rr.create_folder(ctx, account, FOLDER, advisor, key=key)
        except DownstreamError as exc:
            if exc.status != 409:
                raise
        return FOLDER

    def _step(self, case: dict, step: str, system: str, action: Callable[[str], object]) -> None:
        """action(key) makes the step's write in the system under the step's Idempotency-Key."""
        with self.crm.read(self.sandbox) as db:
            if db.execute(
                "SELECT 1 FROM typification_steps WHERE case_id = ? AND step = ?", [case["id"], step]
            ).fetchone():
                return
        reference = action(write_key(case["id"], "typify", step))
        self._record_step(case, step, system, reference)

    def _record_step(self, case: dict, step: str, system: str, reference: object) -> None:
        with self.crm.write(self.sandbox) as db:
            db.execute(
                "INSERT OR IGNORE INTO typification_steps (case_id, step, system, reference, at) VALUES "
                "(?, ?, ?, ?, ?)",
                [case["id"], step, system, str(reference), self.clocks.now(self.sandbox).isoformat()],
            )

    def _repeat_of(self, db: sqlite_utils.Database, case: dict, code: str) -> str | None:
        since = (dt.datetime.fromisoformat(case["created_at"]) - dt.timedelta(days=self.repeat_window_days)).isoformat()
        found = db.execute(
            "SELECT id FROM cases WHERE customer_id = ? AND id != ? AND typification_code = ? AND "
            "created_at >= ? AND created_at <= ? ORDER BY created_at DESC LIMIT 1",
            [case["customer_id"], case["id"], code, since, case["created_at"]],
        ).fetchone()
        return found[0] if found else None
