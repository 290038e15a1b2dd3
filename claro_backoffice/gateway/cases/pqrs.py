"""PQRs (Res. CRC 5050/2016, arts. 2.1.24.x): a complaint filed for a case not solved at first contact, shaped as
a TMF621 troubleTicket (`ticketType` complaint, `externalId` the CUN).

Rules:
- One PQR per case, on an open or typified case whose typification does not say "resolved at first contact".
- Due 15 business days after filing (core/calendar.py; Saturdays per PQR_COUNT_SATURDAYS); evidence
  gathering ("pruebas") declared before that due date extends it once by 15 business days counted from it.
- Unanswered when the (possibly extended) due date passes: silencio administrativo positivo (SAP); the customer's
  request must take effect within 72 h of the due date. A late answer is recorded, and SAP stands.
- Recursos reuse the CUN: a reposición, then (SIC's second instance) an apelación, both within PQR_APPEAL_DAYS
  business days after the answer, and only against an answer that was not favourable.
- A PQR filed after typification adds a follow-up F22 marking (RR) or tickler (AC) carrying the CUN, after the
  PQR is stored; the typification's marking is never edited (markings are a history).
- Status (TMF621), evaluated against the sandbox clock when read: acknowledged at filing, inProgress once
  evidence gathering is declared, resolved when answered, closed once the appeal window ends with no recurso.

LIMITATIONS: the answer to a recurso is not modelled (a PQR with a recurso stays resolved); the customer being
told of the extension is taken as part of declaring it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlite_utils

from claro_backoffice.core.calendar import pqr_due
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.cases import actors
from claro_backoffice.gateway.cases.actors import acting
from claro_backoffice.gateway.cases.casefile import load_case, require_state
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.cun import allocate_cun
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.domain_errors import Conflict, NotFound
from claro_backoffice.gateway.settings import GatewaySettings

PQR_BUSINESS_DAYS = 15
EVIDENCE_BUSINESS_DAYS = 15
SAP_EFFECT = dt.timedelta(hours=72)
APPEAL_TYPES = ("reposicion", "apelacion")
# A PQR with who answered it (schema/70-acted-by.sql)
_SELECT = (
    "SELECT *, (SELECT actor FROM acted_by WHERE subject = pqrs.id AND action = 'answered') AS answered_by FROM pqrs"
)
CHANNEL = {"id": "whatsapp-premium", "name": "WhatsApp Premium", "@referredType": "Channel"}


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _maybe_at(text: str | None) -> dt.datetime | None:
    return _at(text) if text else None


class Pqrs:
    def __init__(
        self,
        crm: CrmStore,
        clocks: Clocks,
        settings: GatewaySettings,
        backoffice: Backoffice | None = None,
        ctx: CallContext | None = None,
    ):
        """backoffice and ctx: for the follow-up marking of a PQR filed after typification (`file`)."""
        self.crm, self.clocks, self.settings = crm, clocks, settings
        self.backoffice, self.ctx = backoffice, ctx

    # ---- reading ------------------------------------------------------------------------------------------
    def _load(self, db: sqlite_utils.Database, pqr_id: str) -> dict:
        found = row(db.execute(f"{_SELECT} WHERE id = ?", [pqr_id]))
        if found is None:
            raise NotFound(f"PQR {pqr_id} does not exist in this sandbox; GET /pqrs lists them", "pqr-not-found")
        return found

    def _appeals(self, db: sqlite_utils.Database, pqr_id: str) -> list[dict]:
        return rows(db.execute("SELECT * FROM pqr_appeals WHERE pqr_id = ? ORDER BY filed_at, type", [pqr_id]))

    def appeal_deadline(self, pqr: dict) -> dt.datetime | None:
        if not pqr["answered_at"]:
            return None
        return pqr_due(
            _at(pqr["answered_at"]), max(1, self.settings.pqr_appeal_days), self.settings.pqr_count_saturdays
        )

    def shape(self, pqr: dict, appeals: list[dict], now: dt.datetime, base: str) -> dict:
        due = _at(pqr["extended_due_at"] or pqr["due_at"])
        answered = _maybe_at(pqr["answered_at"])
        deadline = self.appeal_deadline(pqr)  # None exactly while unanswered
        late = answered is not None and answered > due
        if deadline is None:
            status = "inProgress" if pqr["evidence_declared_at"] else "acknowledged"
        else:
            status = "closed" if now > deadline and not appeals else "resolved"
        ticket = {
            "id": pqr["id"],
            "href": f"{base}/pqrs/{pqr['id']}",
            "@type": "TroubleTicket",
            "name": f"PQR {pqr['cun']}",
            "description": pqr["description"],
            "ticketType": "complaint",
            "externalId": pqr["cun"],
            "status": status,
            "channel": CHANNEL,
            "creationDate": pqr["filed_at"],
            "lastUpdate": pqr["updated_at"],
            "requestedResolutionDate": due.isoformat(),
            "relatedEntity": [
                {
                    "id": pqr["case_id"],
                    "href": f"{base}/cases/{pqr['case_id']}",
                    "role": "case",
                    "@referredType": "Case",
                }
            ],
            "relatedParty": [
                {
                    "id": pqr["customer_id"],
                    "href": f"{base}/customers/{pqr['customer_id']}",
                    "role": "customer",
                    "@referredType": "Customer",
                }
            ],
            "cun": pqr["cun"],
            "filedAt": pqr["filed_at"],
            "dueDate": due.isoformat(),
            "firstDueDate": pqr["due_at"],
            "overdue": answered is None and now > due,
            "appeals": [
                {"type": a["type"], "filedAt": a["filed_at"], "reason": a["reason"], "cun": pqr["cun"]} for a in appeals
            ],
        }
        if pqr["requested_by"]:
            ticket["relatedParty"].append(
                {"name": pqr["requested_by"], "role": "requester", "@referredType": "Individual"}
            )
        if pqr["evidence_declared_at"]:
            ticket["evidenceGathering"] = {
                "declaredAt": pqr["evidence_declared_at"],
                "extendedDueDate": pqr["extended_due_at"],
            }
            if pqr["evidence_reason"]:
                ticket["evidenceGathering"]["reason"] = pqr["evidence_reason"]
        if deadline is not None:  # answered
            ticket["resolutionDate"] = pqr["answered_at"]
            ticket["answer"] = {
                "text": pqr["answer"],
                "favourable": bool(pqr["favourable"]),
                "answeredAt": pqr["answered_at"],
                "answeredBy": pqr.get("answered_by"),
                "onTime": not late,
            }
            ticket["appealDeadline"] = deadline.isoformat()
        if late or (answered is None and now > due):
            ticket["silencioAdministrativoPositivo"] = {
                "since": due.isoformat(),
                "effectiveBy": (due + SAP_EFFECT).isoformat(),
            }
        return ticket

    def get(self, sandbox: str, pqr_id: str, base: str) -> dict:
        now = self.clocks.now(sandbox)
        with self.crm.read(sandbox) as db:
            pqr = self._load(db, pqr_id)
            return self.shape(pqr, self._appeals(db, pqr_id), now, base)

    def find(
        self,
        sandbox: str,
        base: str,
        status: str | None = None,
        overdue: bool | None = None,
        customer_id: str | None = None,
    ) -> list[dict]:
        """Newest first; status and overdue are evaluated now, so they are filtered after shaping."""
        now = self.clocks.now(sandbox)
        with self.crm.read(sandbox) as db:
            sql, args = _SELECT, []
            if customer_id:
                sql, args = sql + " WHERE customer_id = ?", [customer_id]
            found = rows(db.execute(sql + " ORDER BY filed_at DESC, id DESC", args))
            tickets = [self.shape(p, self._appeals(db, p["id"]), now, base) for p in found]
        return [
            t
            for t in tickets
            if (status is None or t["status"] == status) and (overdue is None or t["overdue"] == overdue)
        ]

    # ---- writing ------------------------------------------------------------------------------------------
    def file(
        self, sandbox: str, case_id: str, body: dict, base: str, filed_by: str | None = None, user: str | None = None
    ) -> dict:
        """A PQR filed after typification also leaves a follow-up marking (RR) or tickler (AC) carrying the CUN:
        markings are a history, the typification's stays as it was. A retry after that write failed gets the
        409 pqr-exists, and the missing marking is made first. `filed_by` is the token's role, `user` its user:
        the follow-up marking is written as them, else as the case's advisor (422 when neither is known)."""
        now = self.clocks.now(sandbox)
        with self.crm.write(sandbox) as db:
            case = load_case(db, case_id)
            require_state(case, ("open", "typified"), "given a PQR")
            if case["resolved_first_contact"]:
                raise Conflict(
                    f"case {case_id} was typified as resolved at first contact "
                    f"({case['typification_code']}): a case solved at first contact has no PQR and "
                    "no CUN",
                    "pqr-first-contact",
                    caseId=case_id,
                )
            # the follow-up marking's author, known before anything is stored
            marker = acting(user, case, None, "write the PQR's marking") if case["status"] == "typified" else None
            existing = row(db.execute("SELECT id, cun FROM pqrs WHERE case_id = ?", [case_id]))
            if existing is None:
                pqr_id = self._insert(db, sandbox, case, body, now, filed_by)
                ticket = self.shape(self._load(db, pqr_id), [], now, base)
        if existing is not None:
            self._mark_cun(case, existing["id"], existing["cun"], marker)
            raise Conflict(
                f"case {case_id} already has PQR {existing['id']} with CUN {existing['cun']}: "
                "one PQR per case (a recurso reuses that CUN: POST /pqrs/{id}/appeals)".replace("{id}", existing["id"]),
                "pqr-exists",
                pqrId=existing["id"],
                cun=existing["cun"],
            )
        self._mark_cun(case, pqr_id, ticket["cun"], marker)
        return ticket

    def _insert(
        self, db: sqlite_utils.Database, sandbox: str, case: dict, body: dict, now: dt.datetime, filed_by: str | None
    ) -> str:
        cun = allocate_cun(self.crm, self.settings, now, sandbox=sandbox)
        pqr_id = next_id(db, "PQR")
        due = pqr_due(now, PQR_BUSINESS_DAYS, self.settings.pqr_count_saturdays)
        db.execute(
            "INSERT INTO pqrs (id, case_id, customer_id, cun, description, requested_by, filed_by, "
            "filed_at, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                pqr_id,
                case["id"],
                case["customer_id"],
                cun,
                body["description"],
                body.get("requestedBy"),
                filed_by,
                now.isoformat(),
                due.isoformat(),
                now.isoformat(),
            ],
        )
        CaseTimeline(self.crm, self.clocks).add(
            sandbox, case["id"], "step", "pqr filed", cun, detail=f"{pqr_id} due {due.isoformat()}", db=db
        )
        return pqr_id

    def _mark_cun(self, case: dict, pqr_id: str, cun: str, advisor: str | None) -> None:
        """The follow-up marking (RR) or tickler (AC) with the CUN, once, for a case typified before the PQR
        (a PQR filed first reaches the typification's own marking). Recorded as a typification step so that it
        is made once; its Idempotency-Key (case, step) makes a repeat after a crash answer the first write."""
        if case["status"] != "typified" or self.backoffice is None or self.ctx is None:
            return
        typified = "rr-marking" if case["account_system"] == "rr" else "ac-tickler"
        step = f"{typified}-cun"
        with self.crm.read(self.ctx.sandbox) as db:
            done = {
                r[0]
                for r in db.execute(
                    "SELECT step FROM typification_steps WHERE case_id = ? AND step IN (?, ?)",
                    [case["id"], typified, step],
                )
            }
        if typified not in done or step in done or advisor is None:  # no marking to follow up, or made already
            return
        ctx = dataclasses.replace(self.ctx, case_id=case["id"])
        key = write_key(case["id"], "pqr", step)
        notes = f"Seguimiento: PQR {pqr_id} radicada con CUN {cun}."
        if case["account_system"] == "rr":
            reference = self.backoffice.rr.create_marking(
                ctx, case["account_id"], case["typification_code"], advisor, notes, False, cun, key=key
            )["markingId"]
        else:
            reference = self.backoffice.ac.create_tickler(
                ctx, case["account_id"], case["typification_code"], notes, advisor, case["msisdn"], False, cun, key=key
            )["ticklerId"]
        with self.crm.write(self.ctx.sandbox) as db:
            db.execute(
                "INSERT OR IGNORE INTO typification_steps (case_id, step, system, reference, at) VALUES "
                "(?, ?, ?, ?, ?)",
                [
                    case["id"],
                    step,
                    case["account_system"],
                    str(reference),
                    self.clocks.now(self.ctx.sandbox).isoformat(),
                ],
            )
            CaseTimeline(self.crm, self.clocks).add(
                self.ctx.sandbox, case["id"], "step", "cun marked", cun, detail=f"{step} {reference}", db=db
            )

    def declare_evidence(self, sandbox: str, pqr_id: str, body: dict, base: str) -> dict:
        now = self.clocks.now(sandbox)
        with self.crm.write(sandbox) as db:
            pqr = self._load(db, pqr_id)
            if pqr["evidence_declared_at"]:
                raise Conflict(
                    f"PQR {pqr_id}: evidence gathering was already declared at "
                    f"{pqr['evidence_declared_at']}; the due date can be extended only once (now "
                    f"{pqr['extended_due_at']})",
                    "pqr-evidence",
                    pqrId=pqr_id,
                )
            if pqr["answered_at"]:
                raise Conflict(
                    f"PQR {pqr_id} was already answered at {pqr['answered_at']}: there is nothing "
                    "left to gather evidence for",
                    "pqr-evidence",
                    pqrId=pqr_id,
                )
            if now > _at(pqr["due_at"]):
                raise Conflict(
                    f"PQR {pqr_id}: its due date {pqr['due_at']} has passed; evidence gathering "
                    "extends it only when declared (and told to the customer) before that date",
                    "pqr-evidence",
                    pqrId=pqr_id,
                )
            extended = pqr_due(_at(pqr["due_at"]), EVIDENCE_BUSINESS_DAYS, self.settings.pqr_count_saturdays)
            db.execute(
                "UPDATE pqrs SET evidence_declared_at = ?, evidence_reason = ?, extended_due_at = ?, "
                "updated_at = ? WHERE id = ?",
                [now.isoformat(), body.get("reason"), extended.isoformat(), now.isoformat(), pqr_id],
            )
            CaseTimeline(self.crm, self.clocks).add(
                sandbox,
                pqr["case_id"],
                "step",
                "pqr evidence gathering",
                pqr["cun"],
                detail=f"due {extended.isoformat()}",
                db=db,
            )
            return self.shape(self._load(db, pqr_id), self._appeals(db, pqr_id), now, base)

    def answer(self, sandbox: str, pqr_id: str, body: dict, base: str) -> dict:
        now = self.clocks.now(sandbox)
        with self.crm.write(sandbox) as db:
            pqr = self._load(db, pqr_id)
            if pqr["answered_at"]:
                raise Conflict(
                    f"PQR {pqr_id} was already answered at {pqr['answered_at']}; the customer can "
                    "file a recurso (POST /pqrs/{id}/appeals)".replace("{id}", pqr_id),
                    "pqr-answered",
                    pqrId=pqr_id,
                )
            db.execute(
                "UPDATE pqrs SET answer = ?, favourable = ?, answered_at = ?, updated_at = ? WHERE id = ?",
                [body["answer"], int(body["favourable"]), now.isoformat(), now.isoformat(), pqr_id],
            )
            actors.record(db, pqr_id, "answered", body.get("answeredBy"), now.isoformat())
            due = _at(pqr["extended_due_at"] or pqr["due_at"])
            outcome = "favourable" if body["favourable"] else "not favourable"
            CaseTimeline(self.crm, self.clocks).add(
                sandbox, pqr["case_id"], "step", "pqr answered", f"{outcome}{' (late)' if now > due else ''}", db=db
            )
            ticket = self.shape(self._load(db, pqr_id), self._appeals(db, pqr_id), now, base)
        if now > due:
            sap = ticket["silencioAdministrativoPositivo"]
            ticket["warning"] = (
                f"answered after the due date {due.isoformat()}: the answer is recorded, but "
                "silencio administrativo positivo stands; the customer's request must take effect "
                f"by {sap['effectiveBy']}"
            )
        return ticket

    def appeal(self, sandbox: str, pqr_id: str, body: dict, base: str) -> dict:
        now = self.clocks.now(sandbox)
        kind = body["type"]
        with self.crm.write(sandbox) as db:
            pqr = self._load(db, pqr_id)
            if not pqr["answered_at"]:
                raise Conflict(
                    f"PQR {pqr_id} has no answer yet: a recurso is filed against the answer "
                    "(POST /pqrs/{id}/answer first)".replace("{id}", pqr_id),
                    "pqr-appeal",
                    pqrId=pqr_id,
                )
            if pqr["favourable"]:
                raise Conflict(
                    f"PQR {pqr_id} was answered in the customer's favour: there is nothing to appeal",
                    "pqr-appeal",
                    pqrId=pqr_id,
                )
            deadline = self.appeal_deadline(pqr)
            assert deadline is not None  # answered_at checked above
            if now > deadline:
                raise Conflict(
                    f"PQR {pqr_id}: the window for a recurso ended at {deadline.isoformat()} "
                    f"({self.settings.pqr_appeal_days} business days after the answer)",
                    "pqr-appeal",
                    pqrId=pqr_id,
                )
            filed = {a["type"]: a for a in self._appeals(db, pqr_id)}
            if kind in filed:
                raise Conflict(
                    f"PQR {pqr_id} already has a recurso de {_spanish(kind)} (filed "
                    f"{filed[kind]['filed_at']}, CUN {pqr['cun']})",
                    "pqr-appeal",
                    pqrId=pqr_id,
                )
            if kind == "apelacion" and "reposicion" not in filed:
                raise Conflict(
                    f"PQR {pqr_id}: an apelación (the SIC's second instance) needs a recurso de reposición first",
                    "pqr-appeal",
                    pqrId=pqr_id,
                )
            db.execute(
                "INSERT INTO pqr_appeals (pqr_id, type, reason, filed_at) VALUES (?, ?, ?, ?)",
                [pqr_id, kind, body["reason"], now.isoformat()],
            )
            db.execute("UPDATE pqrs SET updated_at = ? WHERE id = ?", [now.isoformat(), pqr_id])
            CaseTimeline(self.crm, self.clocks).add(
                sandbox, pqr["case_id"], "step", f"pqr {kind} filed", pqr["cun"], db=db
            )
            return self.shape(self._load(db, pqr_id), self._appeals(db, pqr_id), now, base)


def _spanish(kind: str) -> str:
    return {"reposicion": "reposición", "apelacion": "apelación"}[kind]
