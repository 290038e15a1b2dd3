"""AC: mobile subscribers and accounts, lines (plan, SIM, device, status), the mobile plan catalogue, line status
changes (suspension and reactivation) and ticklers (the notes an advisor leaves on an account with control+shift+t).

Line statuses: `activa`; `suspendida` with a reason (`mora` by billing; `solicitud_cliente`, `hurto` or `perdida` by
an advisor); `bloqueada` (reason `fraude`, set by Claro's security area: only planted through fixtures here).
Status rules:
- only an `activa` line can be suspended (409 otherwise);
- reactivating an `activa` line is a 409; a `bloqueada` line or one suspended for `mora` can't be reactivated by an
  advisor (422: the fraud area through DIME, or billing once the debt is paid);
- a line suspended for `hurto` or `perdida` comes back only with a SIM replacement: the new SIM's `iccid` (422 without
  it or when it is the current one; 409 when another line has it).
Each change is recorded in the line's status history and emitted on the event log as `line.status_changed` (key: the
msisdn) for the systems that act on a line's status.

LIMITATIONS (where this mock departs from the real AC):
- AC is a CRM screen; this is a JSON API over the same concepts, with snake_case fields.
- A tickler's text holds at most TICKLER_TEXT_LIMIT characters (UNVERIFIED: the real limit is not documented).
- VoLTE state, Familia y Amigos numbers and Datos Compartidos quotas live in PortalPAC: AC shows only what the plan
  allows (volte_allowed, friends_and_family_max, shared_data_gb).
- Status changes take effect at once; the real network provisioning (HLR/HSS) takes minutes. Mora suspensions and
  their lifting by payment are not simulated (no billing here). The new SIM's ICCID check digit is not verified.
- No sales, portability, plan changes, new lines or prepaid balances (CMAX): out of scope or other mocks.
- Adjustment requests (ajustes) are registered here for postpaid accounts (a prepaid account has no invoice to
  credit: 422); the invoice lives in Paradigma, which an approved adjustment reaches through the sandbox's event log
  (`adjustment.approved`); `invoice_id` is not checked against it. Up to 50.000 COP (mocks/kit/adjustments.py
  AUTO_APPROVE_LIMIT) they are approved at once, larger ones wait for a supervisor (UNVERIFIED approval matrix).
"""

from __future__ import annotations

from claro_backoffice.mocks.kit.adjustments import AdjustmentLedger
from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world.identifiers import CUENTA_MATRIZ, RR_ACCOUNT
from claro_backoffice.world.phones import is_claro_range

TICKLER_TEXT_LIMIT = 500
MOBILE_LINES = ("movil", "ambos")
ADVISOR_SUSPENSION_REASONS = ("solicitud_cliente", "hurto", "perdida")
SIM_REPLACEMENT_REASONS = ("hurto", "perdida")
_PLAN_FIELDS = (
    "plan_code",
    "name",
    "line_type",
    "data_gb",
    "minutes",
    "sms",
    "friends_and_family_max",
    "volte_allowed",
    "shared_data_gb",
    "monthly_fee",
)


class ACBackend:
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

    def find_subscribers(self, document_type=None, document_number=None, msisdn=None) -> list[dict]:
        if msisdn:
            rows = _rows(
                self.db.execute(
                    "SELECT * FROM subscribers WHERE contact_mobile = ? OR customer_id IN "
                    "(SELECT customer_id FROM lines WHERE msisdn = ?) ORDER BY customer_id",
                    [msisdn, msisdn],
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
            raise not_found(
                f"customer {customer_id} has no mobile (AC) subscription; a home customer is in RR",
                "subscriber-not-found",
            )
        return self._subscriber_view(rows[0])

    def subscriber_accounts(self, customer_id: str) -> list[dict]:
        return [self.get_account(n) for n in self.get_subscriber(customer_id)["accounts"]]

    # ---- accounts -------------------------------------------------------------------------------------------
    def _account_row(self, account_number: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not rows:
            hint = ""
            if CUENTA_MATRIZ.match(account_number):
                hint = " (8 digits starting with 9 is an RR cuenta matriz, a building's parent account)"
            elif RR_ACCOUNT.match(account_number):
                hint = " (8 digits is an RR home account number: look it up in RR; AC accounts have 10 digits)"
            raise not_found(f"account {account_number} does not exist in AC{hint}", "account-not-found")
        return rows[0]

    def get_account(self, account_number: str) -> dict:
        account = self._account_row(account_number)
        account["lines"] = self.lines(account_number)
        return account

    def lines(self, account_number: str, status: str | None = None) -> list[dict]:
        self._account_row(account_number)
        return [
            self._line_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM lines WHERE account_number = ? AND (? IS NULL OR status = ?) ORDER BY "
                    "activation_date, msisdn",
                    [account_number, status, status],
                )
            )
        ]

    # ---- plans ----------------------------------------------------------------------------------------------
    @staticmethod
    def _plan_view(row: dict) -> dict:
        return {f: row[f] for f in _PLAN_FIELDS} | {"volte_allowed": bool(row["volte_allowed"])}

    def plans(self, line_type=None) -> list[dict]:
        return [
            self._plan_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM plans WHERE ? IS NULL OR line_type = ? ORDER BY line_type, monthly_fee DESC, "
                    "plan_code",
                    [line_type, line_type],
                )
            )
        ]

    def get_plan(self, plan_code: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM plans WHERE plan_code = ?", [plan_code]))
        if not rows:
            raise not_found(
                f"plan {plan_code} is not in AC's mobile plan catalogue; GET /plans lists them", "plan-not-found"
            )
        return self._plan_view(rows[0])

    # ---- lines ------------------------------------------------------------------------------------------------
    def _line_view(self, row: dict) -> dict:
        view = {k: v for k, v in row.items() if k != "plan_code"}
        view["volte_capable"] = bool(row["volte_capable"])
        view["plan"] = self.get_plan(row["plan_code"])
        return view

    def _line_row(self, msisdn: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM lines WHERE msisdn = ?", [msisdn]))
        if not rows:
            hint = (
                ""
                if is_claro_range(msisdn)
                else (
                    " (it is outside Claro's ranges 310-314 and 320-323: probably another operator's line, unless it "
                    "was ported to Claro)"
                )
            )
            raise not_found(f"msisdn {msisdn} is not a line of any AC account{hint}", "line-not-found")
        return rows[0]

    def get_line(self, msisdn: str) -> dict:
        return self._line_view(self._line_row(msisdn))

    def status_history(self, msisdn: str) -> list[dict]:
        self._line_row(msisdn)
        return _rows(
            self.db.execute(
                "SELECT * FROM line_status_changes WHERE msisdn = ? ORDER BY changed_at DESC, change_id DESC", [msisdn]
            )
        )

    def suspend_line(self, msisdn: str, body: dict) -> dict:
        line = self._line_row(msisdn)
        if line["status"] != "activa":
            why = f" ({line['suspension_reason']})" if line["suspension_reason"] else ""
            since = f" since {line['suspended_at']}" if line["suspended_at"] else ""
            raise conflict(
                f"line {msisdn} is {line['status']}{why}{since}: only an activa line can be suspended",
                "line-not-active",
                line_status=line["status"],
            )
        reason = body["reason"]
        if reason not in ADVISOR_SUSPENSION_REASONS:  # the spec's enum already says so; kept for direct callers
            raise unprocessable(
                f"an advisor suspends a line for {', '.join(ADVISOR_SUSPENSION_REASONS)}, not {reason}",
                "suspension-reason",
            )
        return self._change_status(line, "suspendida", reason, body["advisor"], line["iccid"])

    def reactivate_line(self, msisdn: str, body: dict) -> dict:
        line = self._line_row(msisdn)
        status, reason = line["status"], line["suspension_reason"]
        if status == "activa":
            raise conflict(
                f"line {msisdn} is already activa: there is nothing to reactivate",
                "line-already-active",
                line_status=status,
            )
        if status == "bloqueada":
            raise unprocessable(
                f"line {msisdn} is bloqueada ({reason or 'fraude'}) by Claro's security area: an "
                "advisor can't lift it; escalate the case to the fraud area through DIME",
                "line-blocked",
                line_status=status,
            )
        if reason == "mora":
            raise unprocessable(
                f"line {msisdn} is suspended for mora (overdue balance): billing reactivates it once "
                "the debt is paid; check the invoices in Paradigma and the credits in ASCARD",
                "suspended-for-debt",
                line_status=status,
            )
        iccid = line["iccid"]
        if reason in SIM_REPLACEMENT_REASONS:
            iccid = body.get("iccid")
            if not iccid:
                raise unprocessable(
                    f"line {msisdn} was suspended for {reason}: reactivating it needs a SIM replacement "
                    "(reposición de SIM); give the new SIM's iccid",
                    "sim-replacement-required",
                )
            if iccid == line["iccid"]:
                raise unprocessable(
                    f"iccid {iccid} is the SIM reported for {reason} on line {msisdn}: give the new SIM's iccid",
                    "sim-replacement-required",
                )
            other = self.db.execute("SELECT msisdn FROM lines WHERE iccid = ?", [iccid]).fetchone()
            if other:
                raise conflict(f"iccid {iccid} is already the SIM of line {other[0]}", "iccid-in-use")
        return self._change_status(line, "activa", None, body["advisor"], iccid)

    def _change_status(self, line: dict, status: str, reason: str | None, advisor: str, iccid: str) -> dict:
        now = self.s.now().isoformat()
        suspended_at = now if status != "activa" else None
        self.db.execute(
            "UPDATE lines SET status = ?, suspension_reason = ?, suspended_at = ?, iccid = ? WHERE msisdn = ?",
            [status, reason, suspended_at, iccid, line["msisdn"]],
        )
        self.db.execute(
            "INSERT INTO line_status_changes (msisdn, status, reason, advisor, iccid, changed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [line["msisdn"], status, reason, advisor, iccid, now],
        )
        self.db.conn.commit()
        self.s.emit(
            "line.status_changed",
            line["msisdn"],
            {
                "msisdn": line["msisdn"],
                "account_number": line["account_number"],
                "customer_id": line["customer_id"],
                "status": status,
                "previous_status": line["status"],
                "reason": reason,
                "iccid": iccid,
                "changed_at": now,
            },
        )
        return self.get_line(line["msisdn"])

    # ---- ticklers -------------------------------------------------------------------------------------------
    def typifications(self, category=None, product=None) -> list[dict]:
        return _rows(
            self.db.execute(
                "SELECT * FROM typifications WHERE line IN (?, ?) AND (? IS NULL OR category = ?) AND "
                "(? IS NULL OR product = ?) ORDER BY code",
                [*MOBILE_LINES, category, category, product, product],
            )
        )

    @staticmethod
    def _tickler_view(row: dict) -> dict:
        return dict(row, resolved_first_contact=bool(row["resolved_first_contact"]))

    def ticklers(self, account_number: str, msisdn: str | None = None) -> list[dict]:
        self._account_row(account_number)
        return [
            self._tickler_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM ticklers WHERE account_number = ? AND (? IS NULL OR msisdn = ?) "
                    "ORDER BY created_at DESC, tickler_id DESC",
                    [account_number, msisdn, msisdn],
                )
            )
        ]

    def add_tickler(self, account_number: str, body: dict, msisdn: str | None) -> dict:
        self._account_row(account_number)
        rows = _rows(self.db.execute("SELECT * FROM typifications WHERE code = ?", [body["code"]]))
        if not rows:
            raise unprocessable(
                f"typification {body['code']} is not in the catalogue; GET /typifications lists the mobile codes",
                "unknown-typification",
            )
        code = rows[0]
        if code["line"] not in MOBILE_LINES:
            raise unprocessable(
                f"typification {code['code']} is a home ({code['line']}) code: register it in RR with "
                "F22, not as an AC tickler; GET /typifications lists the mobile codes",
                "not-a-mobile-typification",
            )
        text = body["text"]
        if len(text) > TICKLER_TEXT_LIMIT:
            raise unprocessable(
                f"text is {len(text)} characters and an AC tickler holds {TICKLER_TEXT_LIMIT}: "
                "summarise it, or leave the rest in a second tickler",
                "text-too-long",
                limit=TICKLER_TEXT_LIMIT,
            )
        if msisdn is not None:
            owner = self.db.execute("SELECT account_number FROM lines WHERE msisdn = ?", [msisdn]).fetchone()
            if owner is None or owner[0] != account_number:
                where = f"it belongs to account {owner[0]}" if owner else "it is not a line in AC"
                raise unprocessable(
                    f"msisdn {msisdn} is not a line of account {account_number}: {where}", "line-not-in-account"
                )
        first_contact = bool(body.get("resolved_first_contact", False))
        if first_contact and body.get("cun"):
            raise unprocessable(
                "a case resolved at first contact has no CUN: send resolved_first_contact false with "
                "the CUN of the PQR, or no cun",
                "cun-with-first-contact",
            )
        row = {
            "account_number": account_number,
            "msisdn": msisdn,
            "code": code["code"],
            "description": code["description"],
            "category": code["category"],
            "text": text,
            "advisor": body["advisor"],
            "resolved_first_contact": int(first_contact),
            "cun": body.get("cun"),
            "created_at": self.s.now().isoformat(),
        }
        cursor = self.db.execute(
            f"INSERT INTO ticklers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        self.db.conn.commit()
        return self._tickler_view(dict(row, tickler_id=cursor.lastrowid))

    # ---- adjustments (ajustes) ----------------------------------------------------------------------------------
    def adjustments(self) -> AdjustmentLedger:
        return AdjustmentLedger(self.s, "AC", "AJC")

    def request_adjustment(self, account_number: str, body: dict) -> dict:
        account = self._account_row(account_number)
        if account["billing_type"] == "prepago":
            raise unprocessable(
                f"account {account_number} is prepaid: it has no invoice to credit; a prepaid "
                "balance is corrected in CMAX",
                "prepaid-account",
            )
        return self.adjustments().request(account, body)

    def list_adjustments(self, account_number: str, status: str | None = None) -> list[dict]:
        self._account_row(account_number)
        return self.adjustments().list(account_number, status)
