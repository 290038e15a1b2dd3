"""DIME: escalations of a case to Claro's resolver areas, each area with an SLA in business hours.

An escalation follows TMF621 troubleTicket states:
    acknowledged -> inProgress | rejected | cancelled
    inProgress   -> pending | resolved | rejected | cancelled
    pending      -> inProgress | cancelled
    resolved     -> closed | inProgress (the advisor reopens it: the customer does not accept the answer)
    rejected     -> closed
    closed, cancelled: final
`resolved` and `rejected` carry the area's answer. The due date is the creation time plus the area's SLA in
business hours (Mon-Fri 07:00-19:00 America/Bogota, Colombian holidays excluded); `overdue` compares it with the
sandbox's virtual clock while the escalation waits for an answer.

LIMITATIONS (where this mock departs from the real DIME):
- DIME is a web tool for people; this is a JSON API over the same concepts, with snake_case fields.
- The SLA clock does not stop while an escalation is `pending` (real areas may pause it); a reopened escalation
  keeps its original due date.
- Evidence is a name with a link or a short text; no files are uploaded or stored.
- The customer directory DIME checks against (customers, accounts, lines) is the world's, as seeded: customers or
  lines created later in other systems are unknown here.
- Each change is published on the sandbox's event log (`escalation.created`, `escalation.<state>`, keyed by
  case_id) so the case flow can follow up; the real DIME notifies by e-mail.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.dime.business_time import add_business_hours
from claro_backoffice.mocks.dime.seed import ESCALATION_PREFIX
from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import rows as _rows

TRANSITIONS = {
    "acknowledged": ("inProgress", "rejected", "cancelled"),
    "inProgress": ("pending", "resolved", "rejected", "cancelled"),
    "pending": ("inProgress", "cancelled"),
    "resolved": ("closed", "inProgress"),
    "rejected": ("closed",),
    "closed": (),
    "cancelled": (),
}
WAITING = ("acknowledged", "inProgress", "pending")
ANSWERED = ("resolved", "rejected")
FINAL = ("closed", "cancelled")


class DimeBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db

    def _now(self) -> dt.datetime:
        return self.s.now().replace(microsecond=0)

    # ---- areas --------------------------------------------------------------------------------------------------
    @staticmethod
    def _area_view(row: dict) -> dict:
        return dict(row, categories=[c for c in row["categories"].split(",") if c])

    def areas(self, category: str | None = None) -> list[dict]:
        rows = [self._area_view(r) for r in _rows(self.db.execute("SELECT * FROM areas ORDER BY area_code"))]
        return [r for r in rows if category is None or category in r["categories"]]

    def area(self, area_code: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM areas WHERE area_code = ?", [area_code]))
        if not rows:
            known = ", ".join(a["area_code"] for a in self.areas())
            raise not_found(
                f"resolver area {area_code} does not exist in DIME; the areas are {known}", "area-not-found"
            )
        return self._area_view(rows[0])

    def _typification(self, code: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM typifications WHERE code = ?", [code]))
        if not rows:
            raise not_found(
                f"typification {code} does not exist in DIME's catalogue (the UCC / T&D codes)",
                "typification-not-found",
            )
        return rows[0]

    # ---- the customer the escalation is about ---------------------------------------------------------------------
    def _check_customer(self, body: dict) -> tuple[str, str | None, str]:
        """(account_number, msisdn, line of business) after checking they belong to the customer."""
        customer_id = body["customer_id"]
        if not self.db.execute("SELECT 1 FROM customers WHERE customer_id = ?", [customer_id]).fetchone():
            raise not_found(f"customer {customer_id} does not exist in DIME's customer directory", "customer-not-found")
        msisdn, account_number = body.get("msisdn"), body.get("account_number")
        if msisdn:
            line = self.db.execute(
                "SELECT account_number, customer_id FROM lines WHERE msisdn = ?", [msisdn]
            ).fetchone()
            if line is None:
                raise not_found(f"mobile line {msisdn} does not exist in DIME's customer directory", "line-not-found")
            if line[1] != customer_id:
                raise not_found(
                    f"customer {customer_id} has no mobile line {msisdn} in DIME's customer directory "
                    "(it belongs to another customer)",
                    "line-not-of-customer",
                )
            if account_number and account_number != line[0]:
                raise not_found(
                    f"account {account_number} has no mobile line {msisdn} in DIME's customer directory "
                    f"(the line is on account {line[0]})",
                    "line-not-on-account",
                )
            account_number = line[0]
        account = self.db.execute(
            "SELECT customer_id, line FROM accounts WHERE account_number = ?", [account_number]
        ).fetchone()
        if account is None:
            raise not_found(
                f"account {account_number} does not exist in DIME's customer directory", "account-not-found"
            )
        if account[0] != customer_id:
            raise not_found(
                f"customer {customer_id} has no account {account_number} in DIME's customer directory "
                "(it belongs to another customer)",
                "account-not-of-customer",
            )
        return account_number, msisdn, account[1]

    # ---- escalations ----------------------------------------------------------------------------------------------
    def create(self, body: dict) -> dict:
        area = self.area(body["area_code"])
        code = self._typification(body["typification_code"])
        account_number, msisdn, line = self._check_customer(body)
        if code["category"] not in area["categories"]:
            handlers = ", ".join(a["area_code"] for a in self.areas(code["category"]))
            raise unprocessable(
                f"DIME area {area['area_code']} ({area['name']}) handles {', '.join(area['categories'])} cases, and "
                f"typification {code['code']} is {code['category']}: escalate it to one of {handlers}",
                "area-does-not-handle-category",
                handled_by=handlers.split(", "),
            )
        if code["line"] not in (line, "ambos"):
            raise unprocessable(
                f"DIME: typification {code['code']} is for {code['line']} customers and account "
                f"{account_number} is a {line} account",
                "typification-line-mismatch",
            )
        now = self._now()
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            open_one = conn.execute(
                f"SELECT escalation_id, state FROM escalations WHERE case_id = ? AND area_code = ? AND state IN "
                f"({', '.join('?' * len(WAITING))})",
                [body["case_id"], area["area_code"], *WAITING],
            ).fetchone()
            if open_one:
                raise conflict(
                    f"DIME: case {body['case_id']} already has escalation {open_one[0]} open with area "
                    f"{area['area_code']} (state {open_one[1]}): add a note to it instead",
                    "escalation-already-open",
                    escalation_id=open_one[0],
                )
            last = conn.execute(
                "SELECT MAX(escalation_id) FROM escalations WHERE escalation_id GLOB ?",
                [ESCALATION_PREFIX + "[0-9]" * 8],
            ).fetchone()[0]
            escalation_id = f"{ESCALATION_PREFIX}{(int(last[len(ESCALATION_PREFIX) :]) if last else 0) + 1:08d}"
            row = {
                "escalation_id": escalation_id,
                "case_id": body["case_id"],
                "customer_id": body["customer_id"],
                "account_number": account_number,
                "msisdn": msisdn,
                "area_code": area["area_code"],
                "typification_code": code["code"],
                "category": code["category"],
                "cun": body.get("cun"),
                "description": body["description"],
                "advisor": body["advisor"],
                "state": "acknowledged",
                "sla_hours": area["sla_hours"],
                "created_at": now.isoformat(),
                "updated_at": now.isoformat(),
                "due_at": add_business_hours(now, area["sla_hours"]).isoformat(),
                "answer": None,
                "answered_by": None,
                "answered_at": None,
                "closed_at": None,
            }
            self._insert(conn, "escalations", row)
            for position, item in enumerate(body.get("evidence") or [], start=1):
                self._insert(
                    conn,
                    "evidence",
                    {
                        "escalation_id": escalation_id,
                        "position": position,
                        "name": item["name"],
                        "url": item.get("url"),
                        "text": item.get("text"),
                    },
                )
            self._insert(
                conn,
                "state_changes",
                {
                    "escalation_id": escalation_id,
                    "from_state": None,
                    "to_state": "acknowledged",
                    "at": now.isoformat(),
                    "actor": body["advisor"],
                    "comment": None,
                },
            )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        view = self.get(escalation_id)
        self.s.emit("escalation.created", body["case_id"], self._event(view))
        return view

    @staticmethod
    def _insert(conn, table: str, row: dict) -> int:
        return conn.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        ).lastrowid

    @staticmethod
    def _event(view: dict) -> dict:
        keys = (
            "escalation_id",
            "case_id",
            "customer_id",
            "account_number",
            "area_code",
            "typification_code",
            "state",
            "due_at",
            "answer",
        )
        return {k: view[k] for k in keys}

    def _row(self, escalation_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM escalations WHERE escalation_id = ?", [escalation_id]))
        if not rows:
            raise not_found(f"escalation {escalation_id} does not exist in DIME", "escalation-not-found")
        return rows[0]

    def _view(self, row: dict, full: bool) -> dict:
        now = self.s.now()
        due = dt.datetime.fromisoformat(row["due_at"])
        view = dict(row)
        view["ticket_type"] = "complaint" if row["category"] == "PQR" else "request"
        view["overdue"] = row["state"] in WAITING and now > due
        view["sla_met"] = (dt.datetime.fromisoformat(row["answered_at"]) <= due) if row["answered_at"] else None
        view["allowed_transitions"] = list(TRANSITIONS.get(row["state"], ()))
        area = self.db.execute("SELECT name FROM areas WHERE area_code = ?", [row["area_code"]]).fetchone()
        view["area_name"] = area[0] if area else None
        if full:
            view["evidence"] = [
                {k: v for k, v in e.items() if k in ("name", "url", "text") and v is not None}
                for e in _rows(
                    self.db.execute(
                        "SELECT * FROM evidence WHERE escalation_id = ? ORDER BY position", [row["escalation_id"]]
                    )
                )
            ]
            view["notes"] = _rows(
                self.db.execute(
                    "SELECT note_id, text, author, created_at FROM notes WHERE escalation_id = ? ORDER BY note_id",
                    [row["escalation_id"]],
                )
            )
            view["state_history"] = _rows(
                self.db.execute(
                    "SELECT from_state, to_state, at, actor, comment FROM state_changes WHERE escalation_id = ? "
                    "ORDER BY change_id",
                    [row["escalation_id"]],
                )
            )
        return view

    def get(self, escalation_id: str) -> dict:
        return self._view(self._row(escalation_id), full=True)

    def search(self, filters: dict, overdue: bool | None, limit: int, offset: int) -> dict:
        where = [f"{column} = ?" for column, value in filters.items() if value is not None]
        args = [value for value in filters.values() if value is not None]
        rows = _rows(
            self.db.execute(
                f"SELECT * FROM escalations{' WHERE ' + ' AND '.join(where) if where else ''} "
                "ORDER BY created_at DESC, escalation_id DESC",
                args,
            )
        )
        views = [self._view(r, full=False) for r in rows]
        if overdue is not None:
            views = [v for v in views if v["overdue"] == overdue]
        return {"escalations": views[offset : offset + limit], "total": len(views), "limit": limit, "offset": offset}

    def add_note(self, escalation_id: str, body: dict) -> dict:
        row = self._row(escalation_id)
        if row["state"] in FINAL:
            raise conflict(
                f"DIME escalation {escalation_id} is {row['state']}: it takes no more notes; open a new "
                "escalation if the case needs more work",
                "escalation-final",
                current_state=row["state"],
            )
        note = {
            "escalation_id": escalation_id,
            "text": body["text"],
            "author": body["author"],
            "created_at": self._now().isoformat(),
        }
        note_id = self._insert(self.db.conn, "notes", note)
        self.db.execute(
            "UPDATE escalations SET updated_at = ? WHERE escalation_id = ?", [note["created_at"], escalation_id]
        )
        self.db.conn.commit()
        return {"note_id": note_id, "text": note["text"], "author": note["author"], "created_at": note["created_at"]}

    def transition(self, escalation_id: str, body: dict) -> dict:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = self._row(escalation_id)
            current, target = row["state"], body["to"]
            allowed = TRANSITIONS.get(current, ())
            if target not in allowed:
                options = ", ".join(allowed) if allowed else "none: it is final"
                raise conflict(
                    f"DIME escalation {escalation_id} is {current} and cannot move to {target}; from "
                    f"{current} it can move to {options}",
                    "illegal-transition",
                    current_state=current,
                    allowed_transitions=list(allowed),
                )
            now = self._now().isoformat()
            actor = body.get("actor")
            changes = {"state": target, "updated_at": now}
            if target in ANSWERED:
                changes.update(answer=body["answer"], answered_by=actor, answered_at=now)
            elif target == "inProgress" and current == "resolved":
                changes.update(answer=None, answered_by=None, answered_at=None)
            if target in FINAL:
                changes["closed_at"] = now
            conn.execute(
                f"UPDATE escalations SET {', '.join(c + ' = ?' for c in changes)} WHERE escalation_id = ?",
                [*changes.values(), escalation_id],
            )
            self._insert(
                conn,
                "state_changes",
                {
                    "escalation_id": escalation_id,
                    "from_state": current,
                    "to_state": target,
                    "at": now,
                    "actor": actor,
                    "comment": body.get("answer") or body.get("note"),
                },
            )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        view = self.get(escalation_id)
        self.s.emit(f"escalation.{target}", row["case_id"], self._event(view))
        return view
