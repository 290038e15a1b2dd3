"""Módulo de Gestión: provisioning state of a home account's services, technical-visit slots, and the visits
(TMF646 appointments) booked, rescheduled and cancelled here. Each visit is an LLS order: booking one emits
`lls.created`, and every later change `lls.updated`, into the sandbox's event log, which RR folds into
GET /accounts/{account_number}/lls.

LIMITATIONS (where this mock departs from the real Módulo de Gestión):
- The slot rules are the legal contact hours applied to visits (mocks/gestion/calendar.py): 2-hour slots
  Mon-Fri 07-19 and Sat 08-14, none on Sundays or Colombian holidays, 4 h lead time, 30 days ahead at most. The
  real agenda (WFM) has its own franjas and routing rules, not documented.
- A technician zone is a node (ZT-<node>); its capacity is its number of technicians (at least 2), each doing
  one visit per slot. No travel times, skills or shifts.
- Nobody closes a visit: a confirmed visit whose slot has ended reads `completed` the next time Módulo de Gestión
  looks at visits (slots, bookings, visit reads), and only then is `lls.updated` emitted for RR. A `failed`
  visit exists only when planted with POST /__admin/fixtures.
- Reprovisioning always succeeds: the service is `pending` for REPROVISION_DELAY and then reads `provisioned`.
- One open visit per account, whatever its reason; visits don't look at the provisioning state.
- The past visits are those behind RR's completed LLS orders (see seed.py), copied as RR derives them (some fall
  outside today's slot rules, e.g. a Saturday at 07:00); they carry no advisor and the holder's contact mobile.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.formats import instant
from claro_backoffice.mocks.gestion.calendar import LEAD_TIME, MAX_DAYS, Calendar, NotASlot
from claro_backoffice.mocks.kit.problems import bad_request, conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import immediate
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world.phones import InvalidPhone, normalise_phone

SYSTEM = "Módulo de Gestión"
OPEN_STATES = ("initialized", "confirmed")
REPROVISION_DELAY = dt.timedelta(minutes=5)


class GestionBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()

    def _transaction(self):
        return immediate(self.db)

    # ---- accounts -------------------------------------------------------------------------------------------
    def _account(self, account_number: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not rows:
            raise not_found(f"home account {account_number} does not exist in {SYSTEM}", "account-not-found")
        return rows[0]

    # ---- provisioning ---------------------------------------------------------------------------------------
    def _settle_provisioning(self, account_number: str) -> None:
        """A pending change whose platform answer is due reads provisioned from then on."""
        now = self.now.isoformat()
        cursor = self.db.execute(
            "UPDATE provisioning SET state = 'provisioned', last_change_at = ready_at, ready_at = NULL, detail = NULL "
            "WHERE account_number = ? AND state = 'pending' AND ready_at IS NOT NULL AND ready_at <= ?",
            [account_number, now],
        )
        if cursor.rowcount:
            self.db.conn.commit()

    def provisioning(self, account_number: str) -> dict:
        account = self._account(account_number)
        self._settle_provisioning(account_number)
        services = _rows(
            self.db.execute("SELECT * FROM provisioning WHERE account_number = ? ORDER BY service_id", [account_number])
        )
        return {
            "account_number": account_number,
            "customer_id": account["customer_id"],
            "status": account["status"],
            "node": account["node"],
            "zone_id": account["zone_id"],
            "services": services,
        }

    def reprovision(self, account_number: str, service_id: str, body: dict) -> dict:
        account = self._account(account_number)
        self._settle_provisioning(account_number)
        rows = _rows(
            self.db.execute(
                "SELECT * FROM provisioning WHERE service_id = ? AND account_number = ?", [service_id, account_number]
            )
        )
        if not rows:
            raise not_found(f"account {account_number} has no service {service_id} in {SYSTEM}", "service-not-found")
        service = rows[0]
        if account["status"] != "activo" or service["state"] == "suspended":
            raise unprocessable(
                f"service {service_id} of account {account_number} is suspended: it can't be "
                "reprovisioned until the account is reactivated",
                "service-suspended",
            )
        if service["state"] == "pending":
            raise conflict(
                f"service {service_id} already has a change in flight on {service['platform_element']} "
                f"(ready at {service['ready_at']}); wait for it before sending another",
                "change-in-flight",
            )
        changes = {
            "state": "pending",
            "last_change_at": self.now.isoformat(),
            "ready_at": (self.now + REPROVISION_DELAY).isoformat(),
            "detail": f"Reaprovisionamiento solicitado por {body['advisor']}",
        }
        self.db["provisioning"].update(service_id, changes)
        self.db.conn.commit()
        return dict(service, **changes)

    # ---- slots ----------------------------------------------------------------------------------------------
    def _booked(self, zone_id: str, starts: list[str]) -> dict[str, set[str]]:
        """slot start -> technicians already taken there (open visits only)."""
        if not starts:
            return {}
        taken: dict[str, set[str]] = {}
        marks = ", ".join("?" * len(starts))
        for row in self.db.execute(
            f"SELECT slot_start, technician FROM visits WHERE zone_id = ? AND state IN "
            f"('initialized', 'confirmed') AND slot_start IN ({marks})",
            [zone_id, *starts],
        ):
            taken.setdefault(row[0], set()).add(row[1])
        return taken

    def _technicians(self, zone_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT technician_id FROM technicians WHERE zone_id = ? ORDER BY technician_id", [zone_id]
            )
        ]

    def slots(self, account_number: str, first: dt.date | None, days: int) -> dict:
        account = self._account(account_number)
        self._settle_visits()
        calendar = Calendar(self.now)
        window = calendar.window(first, min(days, MAX_DAYS))
        candidates = calendar.candidate_slots(window)
        technicians = self._technicians(account["zone_id"])
        taken = self._booked(account["zone_id"], [s.isoformat() for s, _ in candidates])
        slots = []
        for start, end in candidates:
            busy = taken.get(start.isoformat(), set())
            free = [t for t in technicians if t not in busy]
            if free:
                slots.append(
                    {
                        "slot_start": start.isoformat(),
                        "slot_end": end.isoformat(),
                        "available_technicians": len(free),
                        "capacity": len(technicians),
                    }
                )
        closed = [
            {"date": d.isoformat(), "reason": calendar.closed_reason(d)} for d in window if calendar.closed_reason(d)
        ]
        return {
            "account_number": account_number,
            "zone_id": account["zone_id"],
            "now": self.now.isoformat(),
            "earliest_start": calendar.earliest_start.isoformat(),
            "lead_time_hours": LEAD_TIME.seconds // 3600,
            "from": (first or calendar.today).isoformat(),
            "days": days,
            "slots": slots,
            "closed_days": closed,
        }

    def _free_slot(
        self, account: dict, slot_start: str, current: dict | None = None
    ) -> tuple[dt.datetime, dt.datetime, str]:
        """(start, end, technician) for a requested start, or a 409 saying why it can't be booked; `current` is the
        visit being moved."""
        try:
            start, end = Calendar(self.now).check(instant(slot_start))  # RFC 3339: the spec checked it
        except NotASlot as exc:
            raise conflict(
                f"{SYSTEM} can't book zone {account['zone_id']} at {slot_start}: {exc}; GET "
                f"/accounts/{account['account_number']}/slots lists the available slots",
                "slot-unavailable",
            ) from None
        if current and start.isoformat() == current["slot_start"]:
            raise conflict(
                f"appointment {current['appointment_id']} is already booked at {current['slot_start']}", "same-slot"
            )
        technicians = self._technicians(account["zone_id"])
        busy = self._booked(account["zone_id"], [start.isoformat()]).get(start.isoformat(), set())
        free = [t for t in technicians if t not in busy]
        if not free:
            raise conflict(
                f"slot {start.isoformat()} is full in zone {account['zone_id']}: its {len(technicians)} "
                f"technicians are all booked; GET /accounts/{account['account_number']}/slots lists the "
                "available slots",
                "slot-full",
            )
        return start, end, free[0]

    # ---- visits ---------------------------------------------------------------------------------------------
    def _settle_visits(self) -> None:
        """Visits whose slot has ended read completed (and RR hears of it)."""
        ended = _rows(
            self.db.execute(
                "SELECT appointment_id, lls_id, account_number, slot_end FROM visits WHERE state IN ('initialized', "
                "'confirmed') AND slot_end <= ?",
                [self.now.isoformat()],
            )
        )
        if not ended:
            return
        for visit in ended:
            self.db.execute(
                "UPDATE visits SET state = 'completed', updated_at = ? WHERE appointment_id = ?",
                [visit["slot_end"], visit["appointment_id"]],
            )
        self.db.conn.commit()
        for visit in ended:
            self.s.emit(
                "lls.updated",
                visit["account_number"],
                {
                    "lls_id": visit["lls_id"],
                    "account_number": visit["account_number"],
                    "state": "completed",
                    "appointment_id": visit["appointment_id"],
                    "updated_at": visit["slot_end"],
                },
            )

    def _visit_row(self, appointment_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM visits WHERE appointment_id = ?", [appointment_id]))
        if not rows:
            raise not_found(f"appointment {appointment_id} does not exist in {SYSTEM}", "appointment-not-found")
        return rows[0]

    def _view(self, row: dict) -> dict:
        account = self._account(row["account_number"])
        return dict(row, customer_id=account["customer_id"], node=account["node"])

    def get_visit(self, appointment_id: str) -> dict:
        self._settle_visits()
        return self._view(self._visit_row(appointment_id))

    def account_visits(self, account_number: str, state: str | None = None) -> list[dict]:
        account = self._account(account_number)
        self._settle_visits()
        rows = _rows(
            self.db.execute(
                "SELECT * FROM visits WHERE account_number = ? AND (? IS NULL OR state = ?) "
                "ORDER BY slot_start DESC, appointment_id DESC",
                [account_number, state, state],
            )
        )
        return [dict(r, customer_id=account["customer_id"], node=account["node"]) for r in rows]

    def _next(self, name: str) -> str:
        prefix, value = self.db.execute("SELECT prefix, next_value FROM sequences WHERE name = ?", [name]).fetchone()
        self.db.execute("UPDATE sequences SET next_value = next_value + 1 WHERE name = ?", [name])
        return f"{prefix}{value:0{6 if name == 'lls' else 8}d}"

    def book(self, body: dict) -> dict:
        account = self._account(body["account_number"])
        number = account["account_number"]
        try:
            phone = normalise_phone(body["contact_phone"])
        except InvalidPhone as exc:
            raise bad_request(str(exc), "invalid-phone") from None
        if account["status"] != "activo":
            raise unprocessable(
                f"account {number} is {account['status']} in {SYSTEM}: no technical visits can be "
                "booked until it is reactivated",
                "account-suspended",
            )
        self._settle_visits()
        with self._transaction():
            self._no_open_visit(number)
            start, end, technician = self._free_slot(account, body["slot_start"])
            now = self.now.isoformat()
            row = {
                "appointment_id": self._next("appointment"),
                "lls_id": self._next("lls"),
                "account_number": number,
                "zone_id": account["zone_id"],
                "technician": technician,
                "reason": body["reason"],
                "contact_phone": phone,
                "advisor": body["advisor"],
                "state": "confirmed",
                "slot_start": start.isoformat(),
                "slot_end": end.isoformat(),
                "created_at": now,
                "updated_at": now,
                "cancellation_reason": None,
                "reschedule_count": 0,
                "source": "gestion",
            }
            self.db.execute(
                f"INSERT INTO visits ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
            )
        self.s.emit(
            "lls.created",
            number,
            {
                k: row[k]
                for k in (
                    "lls_id",
                    "account_number",
                    "reason",
                    "state",
                    "slot_start",
                    "slot_end",
                    "technician",
                    "appointment_id",
                    "created_at",
                )
            },
        )
        return self._view(row)

    def _no_open_visit(self, account_number: str) -> None:
        rows = _rows(
            self.db.execute(
                "SELECT appointment_id, lls_id, slot_start FROM visits WHERE account_number = ? "
                "AND state IN ('initialized', 'confirmed') ORDER BY slot_start",
                [account_number],
            )
        )
        if rows:
            open_ = rows[0]
            raise conflict(
                f"account {account_number} already has an open visit in {SYSTEM}: appointment "
                f"{open_['appointment_id']} (LLS {open_['lls_id']}) at {open_['slot_start']}; reschedule "
                f"or cancel it with PATCH /visits/{open_['appointment_id']}",
                "visit-already-open",
                appointment_id=open_["appointment_id"],
                lls_id=open_["lls_id"],
            )

    def update(self, appointment_id: str, body: dict) -> dict:
        self._settle_visits()
        with self._transaction():
            visit = self._visit_row(appointment_id)
            if visit["state"] not in OPEN_STATES:
                raise conflict(
                    f"appointment {appointment_id} (LLS {visit['lls_id']}) is {visit['state']}: only a "
                    "confirmed visit can be rescheduled or cancelled",
                    "visit-not-open",
                )
            if visit["slot_start"] <= self.now.isoformat():
                raise conflict(
                    f"appointment {appointment_id} (LLS {visit['lls_id']}) is under way since "
                    f"{visit['slot_start']}: it can no longer be rescheduled or cancelled",
                    "visit-in-progress",
                )
            now = self.now.isoformat()
            if "slot_start" in body:
                account = self._account(visit["account_number"])
                start, end, technician = self._free_slot(account, body["slot_start"], current=visit)
                changes = {
                    "slot_start": start.isoformat(),
                    "slot_end": end.isoformat(),
                    "technician": technician,
                    "reschedule_count": visit["reschedule_count"] + 1,
                    "updated_at": now,
                    "state": "confirmed",
                }
                event = {k: changes[k] for k in ("slot_start", "slot_end", "technician", "state")}
            else:
                changes = {"state": "cancelled", "cancellation_reason": body["reason"], "updated_at": now}
                event = {"state": "cancelled"}
            self.db.execute(
                f"UPDATE visits SET {', '.join(c + ' = ?' for c in changes)} WHERE appointment_id = ?",
                [*changes.values(), appointment_id],
            )
        visit.update(changes)
        self.s.emit(
            "lls.updated",
            visit["account_number"],
            dict(
                lls_id=visit["lls_id"],
                account_number=visit["account_number"],
                appointment_id=appointment_id,
                updated_at=now,
                **event,
            ),
        )
        return self._view(visit)
