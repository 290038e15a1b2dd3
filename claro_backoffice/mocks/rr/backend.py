"""RR (AS400): home subscribers and accounts, services, cable modems, cuentas matriz, LLS orders, F22 markings
and note folders (F7+F6).

LIMITATIONS (where this mock departs from the real RR):
- RR is a green-screen system; this is a JSON API over the same concepts, with snake_case fields.
- A marking's notes hold at most MARKING_NOTES_LIMIT characters (the real field is short too; the exact length is
  not documented): longer notes go to a folder such as ESTRATEGICOS.
- LLS orders booked in Módulo de Gestión appear here through the sandbox's event log, as soon as they are
  booked; the real RR shows them after a batch interface.
- No billing, sales or provisioning transactions: those belong to other mocks or are out of scope. Adjustment
  requests (ajustes) are registered here, but the invoice they credit lives in Paradigma: an approved adjustment
  reaches it through the sandbox's event log (`adjustment.approved`), and `invoice_id` is not checked against it.
- Adjustments up to 50.000 COP (mocks/kit/adjustments.py AUTO_APPROVE_LIMIT) are approved at once; larger ones wait
  for a supervisor's POST /adjustments/{id}/approve or /reject. The real approval matrix is not documented.
"""

from __future__ import annotations

from claro_backoffice.mocks.kit.adjustments import AdjustmentLedger
from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world.identifiers import account_system

MARKING_NOTES_LIMIT = 250
FOLDER_NOTE_LIMIT = 4000
STRATEGIC_FOLDER = "ESTRATEGICOS"


class RRBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db

    # ---- subscribers ------------------------------------------------------------------------------------------
    def _subscriber_view(self, row: dict) -> dict:
        view = dict(row, premium=bool(row["premium"]))
        view["accounts"] = [
            r["account_number"]
            for r in _rows(
                self.db.execute(
                    "SELECT account_number FROM accounts WHERE customer_id = ? ORDER BY account_number",
                    [row["customer_id"]],
                )
            )
        ]
        return view

    def find_subscribers(self, document_type=None, document_number=None, phone=None) -> list[dict]:
        if phone:
            rows = _rows(
                self.db.execute(
                    "SELECT * FROM subscribers WHERE contact_mobile = ? OR customer_id IN (SELECT a.customer_id FROM "
                    "accounts a JOIN services s ON s.account_number = a.account_number WHERE s.fixed_line = ?) "
                    "ORDER BY customer_id",
                    [phone, phone],
                )
            )
        else:
            rows = _rows(
                self.db.execute(
                    "SELECT * FROM subscribers WHERE document_number = ? AND (? IS NULL OR document_type = ?) "
                    "ORDER BY customer_id",
                    [document_number, document_type, document_type],
                )
            )
        return [self._subscriber_view(r) for r in rows]

    def get_subscriber(self, customer_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM subscribers WHERE customer_id = ?", [customer_id]))
        if not rows:
            raise not_found(f"customer {customer_id} has no home (RR) subscription", "subscriber-not-found")
        return self._subscriber_view(rows[0])

    def subscriber_accounts(self, customer_id: str) -> list[dict]:
        self.get_subscriber(customer_id)
        numbers = [
            r["account_number"]
            for r in _rows(
                self.db.execute(
                    "SELECT account_number FROM accounts WHERE customer_id = ? ORDER BY account_number", [customer_id]
                )
            )
        ]
        return [self.get_account(n) for n in numbers]

    # ---- accounts -------------------------------------------------------------------------------------------
    def _account_row(self, account_number: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not rows:
            hint = " (that is an AC mobile account number)" if account_system(account_number) == "ac" else ""
            if account_number.startswith("9") and len(account_number) == 8:
                hint = " (that is a cuenta matriz: GET /cuentas-matriz/{cuenta_matriz})"
            raise not_found(f"account {account_number} does not exist in RR{hint}", "account-not-found")
        return rows[0]

    def get_account(self, account_number: str) -> dict:
        account = self._account_row(account_number)
        account["services"] = self.services(account_number)
        return account

    def services(self, account_number: str) -> list[dict]:
        return _rows(
            self.db.execute("SELECT * FROM services WHERE account_number = ? ORDER BY service_id", [account_number])
        )

    def cable_modem(self, account_number: str) -> dict:
        self._account_row(account_number)
        rows = _rows(self.db.execute("SELECT * FROM cable_modems WHERE account_number = ?", [account_number]))
        if not rows:
            raise not_found(f"account {account_number} has no cable modem (no internet service)", "no-cable-modem")
        return rows[0]

    def cuenta_matriz(self, number: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM cuentas_matriz WHERE cuenta_matriz = ?", [number]))
        if not rows:
            raise not_found(f"cuenta matriz {number} does not exist in RR", "cuenta-matriz-not-found")
        view = rows[0]
        view["accounts"] = [
            r["account_number"]
            for r in _rows(
                self.db.execute(
                    "SELECT account_number FROM accounts WHERE cuenta_matriz = ? ORDER BY account_number", [number]
                )
            )
        ]
        return view

    def account_cuenta_matriz(self, account_number: str) -> dict:
        account = self._account_row(account_number)
        if not account["cuenta_matriz"]:
            raise not_found(
                f"account {account_number} is not part of a cuenta matriz (not in a building or condominium)",
                "no-cuenta-matriz",
            )
        return self.cuenta_matriz(account["cuenta_matriz"])

    # ---- LLS ------------------------------------------------------------------------------------------------
    def lls(self, account_number: str) -> list[dict]:
        """RR's own orders plus those Módulo de Gestión booked (event log: lls.created / lls.updated)."""
        self._account_row(account_number)
        orders = {
            r["lls_id"]: r
            for r in _rows(self.db.execute("SELECT * FROM lls WHERE account_number = ?", [account_number]))
        }
        for event in self.s.events.read("lls.", key=account_number):
            payload = event["payload"]
            merged = dict(orders.get(payload["lls_id"], {}), **payload)
            merged.setdefault("source", event["source"])
            orders[payload["lls_id"]] = merged
        columns = (
            "lls_id",
            "account_number",
            "reason",
            "state",
            "source",
            "slot_start",
            "slot_end",
            "technician",
            "created_at",
            "appointment_id",
        )
        return sorted(
            ({c: o.get(c) for c in columns} for o in orders.values()), key=lambda o: o["slot_start"] or "", reverse=True
        )

    # ---- markings (F22) -----------------------------------------------------------------------------------------
    def add_marking(self, account_number: str, body: dict) -> dict:
        self._account_row(account_number)
        code = self.db.execute("SELECT description FROM typifications WHERE code = ?", [body["code"]]).fetchone()
        if code is None:
            raise unprocessable(
                f"typification {body['code']} is not a home (RR) code; GET /typifications lists them",
                "unknown-typification",
            )
        notes = body.get("notes") or ""
        if len(notes) > MARKING_NOTES_LIMIT:
            raise unprocessable(
                f"notes are {len(notes)} characters and a marking holds {MARKING_NOTES_LIMIT}: put "
                f"the rest in the {STRATEGIC_FOLDER} folder (POST /accounts/{account_number}/folders)",
                "notes-too-long",
                limit=MARKING_NOTES_LIMIT,
            )
        row = {
            "account_number": account_number,
            "code": body["code"],
            "description": code[0],
            "notes": notes,
            "advisor": body["advisor"],
            "resolved_first_contact": int(body.get("resolved_first_contact", False)),
            "cun": body.get("cun"),
            "created_at": self.s.now().isoformat(),
        }
        cursor = self.db.execute(
            f"INSERT INTO markings ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        self.db.conn.commit()
        return self._marking_view(dict(row, marking_id=cursor.lastrowid))

    @staticmethod
    def _marking_view(row: dict) -> dict:
        return dict(row, resolved_first_contact=bool(row["resolved_first_contact"]))

    def markings(self, account_number: str) -> list[dict]:
        self._account_row(account_number)
        return [
            self._marking_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM markings WHERE account_number = ? ORDER BY marking_id DESC", [account_number]
                )
            )
        ]

    def typifications(self, category=None) -> list[dict]:
        return _rows(
            self.db.execute(
                "SELECT * FROM typifications WHERE ? IS NULL OR category = ? ORDER BY code", [category, category]
            )
        )

    # ---- folders (F7+F6) ----------------------------------------------------------------------------------------
    def folders(self, account_number: str) -> list[dict]:
        self._account_row(account_number)
        return _rows(
            self.db.execute(
                "SELECT f.*, (SELECT COUNT(*) FROM folder_notes n WHERE n.account_number = f.account_number AND "
                "n.folder = f.name) AS note_count FROM folders f WHERE account_number = ? ORDER BY name",
                [account_number],
            )
        )

    def create_folder(self, account_number: str, body: dict) -> dict:
        self._account_row(account_number)
        name = body["name"]
        # Two requests may both pass this check: the second one's insert then meets the primary key, which the
        # kit answers with a 409 too (mocks/kit/conflicts.py).
        if self._has_folder(account_number, name):
            raise conflict(f"account {account_number} already has a folder {name}", "folder-exists")
        row = {
            "account_number": account_number,
            "name": name,
            "created_by": body["advisor"],
            "created_at": self.s.now().isoformat(),
        }
        self.db["folders"].insert(row)
        self.db.conn.commit()
        return dict(row, note_count=0)

    def _has_folder(self, account_number: str, name: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM folders WHERE account_number = ? AND name = ?", [account_number, name]
            ).fetchone()
            is not None
        )

    def _folder(self, account_number: str, name: str) -> None:
        self._account_row(account_number)
        if not self._has_folder(account_number, name):
            raise not_found(
                f"account {account_number} has no folder {name}; create it first with "
                f"POST /accounts/{account_number}/folders",
                "folder-not-found",
            )

    def add_note(self, account_number: str, name: str, body: dict) -> dict:
        self._folder(account_number, name)
        row = {
            "account_number": account_number,
            "folder": name,
            "text": body["text"],
            "advisor": body["advisor"],
            "created_at": self.s.now().isoformat(),
        }
        cursor = self.db.execute(
            f"INSERT INTO folder_notes ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        self.db.conn.commit()
        return dict(row, note_id=cursor.lastrowid)

    def notes(self, account_number: str, name: str) -> list[dict]:
        self._folder(account_number, name)
        return _rows(
            self.db.execute(
                "SELECT * FROM folder_notes WHERE account_number = ? AND folder = ? ORDER BY note_id",
                [account_number, name],
            )
        )

    # ---- adjustments (ajustes) ----------------------------------------------------------------------------------
    def adjustments(self) -> AdjustmentLedger:
        return AdjustmentLedger(self.s, "RR", "AJR")

    def request_adjustment(self, account_number: str, body: dict) -> dict:
        return self.adjustments().request(self._account_row(account_number), body)

    def list_adjustments(self, account_number: str, status: str | None = None) -> list[dict]:
        self._account_row(account_number)
        return self.adjustments().list(account_number, status)
