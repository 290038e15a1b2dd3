"""CMAX: the prepaid provisioning of every active line (postpaid, prepaid, business): main balance, bundles
(paquetes) and their expiry, recharges (including those never applied) and the services provisioned on the
platform (voz, datos, sms, volte, roaming).

Rules:
- A bundle is `expired` once the sandbox's clock reaches its `expires_at`, `consumed` when every allowance it has
  is used up, otherwise `active`. Nothing is stored for that: it is read against session().now().
- A new recharge is applied to the main balance at once, unless the line's `recharge_outcome` (a fixture sets it)
  says the platform leaves it `pending` or `not_applied`.
- Re-applying a recharge: `not_applied` -> `applied` with the balance credited; `applied` or `pending` -> 409.
- Buying a bundle: a prepaid line pays from its main balance (409 when it is short); a postpaid line's bundle is
  charged to the account's next invoice (event `bundle.purchased`, key = account number, for Paradigma).
- A line that is not `activa` (suspendida, or bloqueada in AC) refuses recharges, re-applies and purchases (422)
  and its services all read `barred`.
- Other systems, through the event log (key = msisdn): the newest `line.status_changed` from AC gives the line's
  status, suspension reason and SIM (iccid); the newest `volte.*` from PortalPAC gives VoLTE: `pending` until
  the request's `effective_at` on the virtual clock, then `active` (install) or `inactive` (uninstall).

LIMITATIONS (where this mock departs from the real CMAX):
- Balances and bundles do not drain with traffic: usage is a seeded snapshot (CCI holds the traffic records).
- `pending` recharges never settle by themselves; a fixture moves them (update recharges.status).
- One main balance in COP; no promotional balances, bonus expiry, or loans (préstamo de saldo).
- Provisioning is read-only: a service in `error` is escalated, not repaired, from here.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import immediate
from claro_backoffice.mocks.kit.sql import rows as _rows

SERVICES = ("voz", "datos", "sms", "volte", "roaming")
OUTCOMES = ("applied", "pending", "not_applied")
APN = "internet.comcel.com.co"
ACTIVE = "activa"
_VOLTE_TARGET = {"pending": "active", "pending_removal": "inactive", "active": "active", "inactive": "inactive"}


def _moment(text: str | None, tz) -> dt.datetime | None:
    """An ISO-8601 moment (Bogotá time when it has no offset, as a fixture may plant it); None if unreadable."""
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=tz)


class CMAXBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()

    def _write(self):
        return immediate(self.db)

    # ---- lines ----------------------------------------------------------------------------------------------
    def _line(self, msisdn: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM lines WHERE msisdn = ?", [msisdn]))
        if not rows:
            raise not_found(
                f"line {msisdn} is not provisioned in CMAX (not a Claro mobile line of this world)", "line-not-found"
            )
        line = rows[0]
        changes = self.s.events.read("line.status_changed", key=msisdn)
        if changes:
            latest = changes[-1]["payload"]
            line.update(status=latest.get("status") or line["status"], suspension_reason=latest.get("reason"))
            if latest.get("iccid") and latest["iccid"] != line["iccid"]:
                line.update(iccid=latest["iccid"], imsi="732101" + latest["iccid"][7:16])
        return line

    def _active_line(self, line: dict, action: str) -> None:
        if line["status"] != ACTIVE:
            reason = f" ({line['suspension_reason']})" if line["suspension_reason"] else ""
            raise unprocessable(
                f"line {line['msisdn']} is {line['status']}{reason} in CMAX: {action} is refused "
                "until the line is reactivated (AC)",
                "line-suspended",
                line_status=line["status"],
            )

    def balance(self, msisdn: str) -> dict:
        line = self._line(msisdn)
        last = _rows(
            self.db.execute(
                "SELECT * FROM recharges WHERE msisdn = ? AND status = 'applied' "
                "ORDER BY COALESCE(applied_at, requested_at) DESC LIMIT 1",
                [msisdn],
            )
        )
        unapplied = self.db.execute(
            "SELECT COUNT(*) FROM recharges WHERE msisdn = ? AND status = 'not_applied'", [msisdn]
        ).fetchone()[0]
        view = {
            "msisdn": msisdn,
            "customer_id": line["customer_id"],
            "account_number": line["account_number"],
            "line_type": line["line_type"],
            "segment": line["segment"],
            "plan_code": line["plan_code"],
            "plan_name": line["plan_name"],
            "line_status": line["status"],
            "main_balance": line["main_balance"],
            "currency": "COP",
            "active_bundles": sum(1 for b in self.bundles(msisdn) if b["status"] == "active"),
            "unapplied_recharges": unapplied,
            "checked_at": self.now.isoformat(),
        }
        if last:
            view["last_recharge"] = self._recharge_view(last[0])
        return view

    # ---- bundles --------------------------------------------------------------------------------------------
    def _bundle_view(self, row: dict) -> dict:
        unlimited = row["data_mb"] is not None and row["data_mb"] < 0
        data = None if unlimited else row["data_mb"]
        allowances = [
            (total, used or 0)
            for total, used in (
                (data, row["data_used_mb"]),
                (row["minutes"], row["minutes_used"]),
                (row["sms"], row["sms_used"]),
            )
            if total
        ]
        expires = _moment(row["expires_at"], self.now.tzinfo)
        if expires is None or expires <= self.now:
            status = "expired"
        elif allowances and not unlimited and all(used >= total for total, used in allowances):
            status = "consumed"
        else:
            status = "active"
        return {
            "bundle_id": row["bundle_id"],
            "msisdn": row["msisdn"],
            "offer_code": row["offer_code"],
            "name": row["name"],
            "status": status,
            "source": row["source"],
            "price": row["price"],
            "activated_at": row["activated_at"],
            "expires_at": row["expires_at"],
            "data_unlimited": unlimited,
            "data_mb": data,
            "data_used_mb": row["data_used_mb"] or 0,
            "data_remaining_mb": max(0, data - (row["data_used_mb"] or 0)) if data else None,
            "minutes": row["minutes"],
            "minutes_used": row["minutes_used"] or 0,
            "sms": row["sms"],
            "sms_used": row["sms_used"] or 0,
        }

    def bundles(self, msisdn: str, status: str | None = None) -> list[dict]:
        self._line(msisdn)
        views = [
            self._bundle_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM bundles WHERE msisdn = ? ORDER BY expires_at DESC, bundle_id DESC", [msisdn]
                )
            )
        ]
        return [v for v in views if status is None or v["status"] == status]

    def offers(self) -> list[dict]:
        return [
            dict(
                r,
                data_unlimited=bool(r["data_mb"] and r["data_mb"] < 0),
                data_mb=None if r["data_mb"] and r["data_mb"] < 0 else r["data_mb"],
            )
            for r in _rows(self.db.execute("SELECT * FROM bundle_offers ORDER BY price, offer_code"))
        ]

    def _next_id(self, table: str, column: str, prefix: str) -> str:
        top = self.db.execute(
            f"SELECT MAX({column}) FROM {table} WHERE {column} GLOB ?", [prefix + "[0-9]" * 10]
        ).fetchone()[0]
        number = int(top[len(prefix) :]) + 1 if top else 1
        while True:
            candidate = f"{prefix}{number % 10**10:010d}"
            if not self.db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", [candidate]).fetchone():
                return candidate
            number += 1

    def purchase_bundle(self, msisdn: str, body: dict) -> dict:
        with self._write():
            line, offer, row = self._purchase(msisdn, body)
        prepaid = line["line_type"] == "prepago"
        charged_to = "saldo" if prepaid else "factura"
        if not prepaid:
            self.s.emit(
                "bundle.purchased",
                line["account_number"],
                {
                    "msisdn": msisdn,
                    "account_number": line["account_number"],
                    "bundle_id": row["bundle_id"],
                    "offer_code": offer["offer_code"],
                    "description": offer["name"],
                    "amount": offer["price"],
                    "charged_to": charged_to,
                    "advisor": body.get("advisor"),
                },
            )
        balance = self._line(msisdn)["main_balance"]
        return dict(self._bundle_view(row), charged_to=charged_to, main_balance=balance)

    def _purchase(self, msisdn: str, body: dict):
        line = self._line(msisdn)
        self._active_line(line, "buying a bundle")
        offers = _rows(self.db.execute("SELECT * FROM bundle_offers WHERE offer_code = ?", [body["offer_code"]]))
        if not offers:
            raise unprocessable(
                f"{body['offer_code']} is not an offer of CMAX; GET /bundle-offers lists them", "unknown-offer"
            )
        offer = offers[0]
        prepaid = line["line_type"] == "prepago"
        if prepaid and line["main_balance"] < offer["price"]:
            raise conflict(
                f"line {msisdn} has a balance of {line['main_balance']} COP and {offer['name']} costs "
                f"{offer['price']} COP: recharge first",
                "insufficient-balance",
                balance=line["main_balance"],
                price=offer["price"],
            )
        expires = self.now + dt.timedelta(days=offer["validity_days"])
        row = {
            "bundle_id": self._next_id("bundles", "bundle_id", "PQ"),
            "msisdn": msisdn,
            "offer_code": offer["offer_code"],
            "name": offer["name"],
            "data_mb": offer["data_mb"],
            "minutes": offer["minutes"],
            "sms": offer["sms"],
            "data_used_mb": 0,
            "minutes_used": 0,
            "sms_used": 0,
            "price": offer["price"],
            "source": "compra",
            "activated_at": self.now.isoformat(),
            "expires_at": expires.isoformat(),
        }
        self.db.execute(
            f"INSERT INTO bundles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        if prepaid:
            self.db.execute(
                "UPDATE lines SET main_balance = main_balance - ? WHERE msisdn = ?", [offer["price"], msisdn]
            )
        return line, offer, row

    # ---- recharges ------------------------------------------------------------------------------------------
    @staticmethod
    def _recharge_view(row: dict) -> dict:
        return {
            k: row.get(k)
            for k in (
                "reference",
                "msisdn",
                "amount",
                "channel",
                "status",
                "requested_at",
                "applied_at",
                "failure_reason",
                "reapplied_by",
                "reapplied_at",
                "balance_after",
            )
        } | {"currency": "COP"}

    def recharges(self, msisdn: str, status: str | None = None, days: int = 90) -> list[dict]:
        self._line(msisdn)
        since = self.now - dt.timedelta(days=days)
        rows = _rows(
            self.db.execute(
                "SELECT * FROM recharges WHERE msisdn = ? AND (? IS NULL OR status = ?)", [msisdn, status, status]
            )
        )
        moments = {r["reference"]: _moment(r["requested_at"], self.now.tzinfo) or since for r in rows}
        rows = [r for r in rows if moments[r["reference"]] >= since]
        rows.sort(key=lambda r: (moments[r["reference"]], r["reference"]), reverse=True)
        return [self._recharge_view(r) for r in rows]

    def _recharge_row(self, reference: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM recharges WHERE reference = ?", [reference]))
        if not rows:
            raise not_found(f"recharge {reference} does not exist in CMAX", "recharge-not-found")
        return rows[0]

    def recharge(self, reference: str) -> dict:
        return self._recharge_view(self._recharge_row(reference))

    def _credit(self, msisdn: str, amount: int) -> int:
        self.db.execute("UPDATE lines SET main_balance = main_balance + ? WHERE msisdn = ?", [amount, msisdn])
        return self.db.execute("SELECT main_balance FROM lines WHERE msisdn = ?", [msisdn]).fetchone()[0]

    def create_recharge(self, msisdn: str, body: dict) -> dict:
        with self._write():
            row = self._new_recharge(msisdn, body)
        if row["status"] == "applied":
            self.s.emit("recharge.applied", msisdn, {"reference": row["reference"], "amount": row["amount"]})
        return self._recharge_view(row)

    def _new_recharge(self, msisdn: str, body: dict) -> dict:
        line = self._line(msisdn)
        self._active_line(line, "a recharge")
        outcome = line["recharge_outcome"] if line["recharge_outcome"] in OUTCOMES else "applied"
        now = self.now.isoformat()
        row = {
            "reference": self._next_id("recharges", "reference", "RC"),
            "msisdn": msisdn,
            "amount": body["amount"],
            "channel": body["channel"],
            "status": outcome,
            "requested_at": now,
            "applied_at": None,
            "failure_reason": None,
            "reapplied_by": None,
            "reapplied_at": None,
            "balance_after": None,
        }
        if outcome == "applied":
            row.update(applied_at=now, balance_after=self._credit(msisdn, body["amount"]))
        elif outcome == "not_applied":
            row["failure_reason"] = "Tiempo de espera agotado con la plataforma de recargas"
        self.db.execute(
            f"INSERT INTO recharges ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return row

    def reapply(self, reference: str, body: dict) -> dict:
        with self._write():
            row = self._reapply(reference, body)
        self.s.emit(
            "recharge.applied",
            row["msisdn"],
            {"reference": reference, "amount": row["amount"], "reapplied_by": body["advisor"]},
        )
        return self.recharge(reference)

    def _reapply(self, reference: str, body: dict) -> dict:
        row = self._recharge_row(reference)
        if row["status"] == "applied":
            raise conflict(
                f"recharge {reference} was already applied to line {row['msisdn']} at "
                f"{row['applied_at'] or row['requested_at']}: nothing to re-apply",
                "recharge-applied",
            )
        if row["status"] != "not_applied":
            raise conflict(
                f"recharge {reference} is {row['status']} (awaiting conciliation with the channel): only "
                "a not_applied recharge can be re-applied",
                "recharge-pending",
            )
        self._active_line(self._line(row["msisdn"]), "re-applying a recharge")
        now = self.now.isoformat()
        balance = self._credit(row["msisdn"], row["amount"])
        self.db.execute(
            "UPDATE recharges SET status = 'applied', applied_at = ?, reapplied_by = ?, reapplied_at = ?, "
            "balance_after = ? WHERE reference = ?",
            [now, body["advisor"], now, balance, reference],
        )
        return row

    # ---- provisioning ---------------------------------------------------------------------------------------
    def _volte_override(self, msisdn: str) -> tuple[str, str] | None:
        """(state, detail) from PortalPAC's newest VoLTE request on this line, or None."""
        for event in reversed(self.s.events.read("volte.", key=msisdn)):
            payload = event["payload"]
            target = _VOLTE_TARGET.get(payload.get("status") or payload.get("volte_status"))
            if target is None:
                continue
            effective = _moment(payload.get("effective_at"), self.now.tzinfo)
            if effective and effective > self.now:
                return "pending", f"Solicitud de PortalPAC en curso: queda {target} a las {effective.isoformat()}"
            return target, "Estado informado por PortalPAC"
        return None

    def provisioning(self, msisdn: str) -> dict:
        line = self._line(msisdn)
        rows = {
            r["service"]: r
            for r in _rows(
                self.db.execute(
                    "SELECT service, state, detail, updated_at FROM line_services WHERE msisdn = ?", [msisdn]
                )
            )
        }
        volte = self._volte_override(msisdn)
        if volte and "volte" in rows:
            rows["volte"] = dict(rows["volte"], state=volte[0], detail=volte[1])
        suspended = line["status"] != ACTIVE
        services = []
        for name in SERVICES:
            row = rows.get(name) or {"service": name, "state": "inactive", "detail": None, "updated_at": None}
            if suspended:
                reason = line["suspension_reason"] or "sin motivo registrado"
                row = dict(row, state="barred", detail=f"Línea {line['status']} ({reason}): servicio bloqueado")
            services.append(row)
        return {
            "msisdn": msisdn,
            "line_status": line["status"],
            "line_type": line["line_type"],
            "imsi": line["imsi"],
            "iccid": line["iccid"],
            "apn": APN,
            "services": services,
            "checked_at": self.now.isoformat(),
        }
