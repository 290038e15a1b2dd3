"""Diagnosticador: network incidents (AVISOs) of home accounts and nodes, their TMF656 lifecycle, and the
escalation of massive and single faults. The cable-modem check itself is in check.py.

An incident is a TMF656 serviceProblem in snake_case: `state` (acknowledged, inProgress, resolved, closed,
cancelled), `opened_at` (creationDate), `status_change_at` / `status_change_reason`, `estimated_resolution_at`
(expectedResolutionDate), `resolved_at` (resolutionDate), `node` (affectedResource), `affected_services`
(affectedService). Its AVISO number is the identifier; `incident_id` is INC + the AVISO in 9 digits.

Rules:
- Lifecycle: acknowledged -> inProgress | cancelled; inProgress -> resolved; resolved -> closed | inProgress
  (reopened: new estimated resolution). closed and cancelled are final. Any other change is a 409 naming both
  states and the allowed ones.
- Time (applied at the start of every request, from the sandbox's virtual clock): an open incident whose
  estimated resolution time has passed is resolved at that time; a resolved incident is closed
  AUTO_CLOSE_AFTER later (only resolutions from the world's reference moment on: what the world says was
  resolved before stays resolved). Setting the clock back never reopens anything.
- Estimated resolution = opening (or reopening) time + ESTIMATED_RESOLUTION[(scope, kind)].
- Escalation (POST /avisos): if an open node incident on the account's node already affects the reported
  service, the account is associated to that AVISO (200, associated: true), for a massive or a single fault
  alike: the procedure attaches the customer to the existing AVISO instead of raising another. A single fault
  with an open single-fault AVISO of the same account and service returns that AVISO too. Otherwise a new
  incident is created (201): massive -> scope node (the account's node), single -> scope account. New AVISOs
  continue the world's sequence (SQLite AUTOINCREMENT: never reused within a sandbox, even after a delete).
- Resolving a single fault (by hand or by the clock) clears that account's modem override and counts as a modem
  reboot: the technician fixed the premises.

Events (the sandbox's event log, for other systems and the gateway): `aviso.created` and `aviso.associated`
keyed by account number; `aviso.state_changed` keyed by the AVISO number (payload: from_state, state, at).

LIMITATIONS (where this mock departs from the real Diagnosticador):
- Every open incident is taken as real: escalating a massive fault takes the node's modems down (severity
  outage by default) until it is resolved. The real tool correlates alarms before confirming a massive.
- Incidents never auto-start (acknowledged -> inProgress happens only through PATCH) and ETAs are never extended.
- Radio (cell) incidents of the world belong to SARA and are not listed here, although their AVISO numbers are
  skipped by the sequence.
- A fixture-inserted incident without times is taken as opened when the mock next sees it; unreadable times are
  treated as missing.
- Clock rules run lazily, at the next request: their events are logged then, with the real transition time in
  the payload's `at`.
- Only the TMF656 states the procedure needs: pending, held and rejected are not used.
- Levels and speeds don't follow the hour of day (no evening congestion).
- Reset restores the seeded sequence: AVISO numbers handed out before a reset can be handed out again.
"""

from __future__ import annotations

import datetime as dt
import json

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.mocks.kit.problems import conflict, not_found
from claro_backoffice.mocks.kit.sql import immediate

OPEN_STATES = ("acknowledged", "inProgress")
SERVICES = ("internet", "tv", "telefonia")
TRANSITIONS = {
    "acknowledged": ("inProgress", "cancelled"),
    "inProgress": ("resolved",),
    "resolved": ("closed", "inProgress"),
    "closed": (),
    "cancelled": (),
}
ESTIMATED_RESOLUTION = {
    ("node", "platform"): dt.timedelta(hours=6),
    ("node", "external_network"): dt.timedelta(hours=12),
    ("account", "platform"): dt.timedelta(hours=24),
    ("account", "external_network"): dt.timedelta(hours=48),
}
AUTO_CLOSE_AFTER = dt.timedelta(hours=24)
AUTO_RESOLVE_REASON = "Resuelto automáticamente al cumplirse el tiempo estimado de solución"
AUTO_CLOSE_REASON = "Cerrado automáticamente 24 horas después de la solución"
_DEFAULT_DESCRIPTION = {
    "node": "Falla masiva de {service} reportada desde la atención de un cliente",
    "account": "Falla puntual de {service} en el predio del cliente",
}


def rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def parse_time(text) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value.replace(tzinfo=BOGOTA) if value.tzinfo is None else value.astimezone(BOGOTA)


def affected_services(row: dict) -> list[str]:
    raw = row.get("affected_services") or ""
    try:
        items = json.loads(raw) if raw.strip().startswith("[") else raw.split(",")
    except ValueError:
        items = []
    return [s for s in SERVICES if s in {str(i).strip() for i in items}]


def is_open(row: dict) -> bool:
    return row["state"] in OPEN_STATES


class DiagnosticadorBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()
        self.seed, reference = self.db.execute("SELECT seed, reference_now FROM world_info WHERE id = 1").fetchone()
        self.reference_now = parse_time(reference)
        self._apply_time_rules()

    # ---- lookups --------------------------------------------------------------------------------------------
    def account(self, account_number: str) -> dict:
        found = rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not found:
            raise not_found(
                f"account {account_number} is not a home (RR) account known to Diagnosticador", "account-not-found"
            )
        return found[0]

    def services(self, account_number: str) -> dict[str, dict]:
        return {
            r["service_type"]: r
            for r in rows(
                self.db.execute("SELECT * FROM services WHERE account_number = ? ORDER BY service_id", [account_number])
            )
        }

    def modem(self, account_number: str) -> dict | None:
        found = rows(self.db.execute("SELECT * FROM cable_modems WHERE account_number = ?", [account_number]))
        return found[0] if found else None

    def override(self, mac: str) -> dict | None:
        found = rows(self.db.execute("SELECT * FROM modem_overrides WHERE mac_address = ?", [mac]))
        return found[0] if found else None

    def node(self, node: str) -> dict:
        found = rows(self.db.execute("SELECT * FROM nodes WHERE node = ?", [node]))
        if not found:
            raise not_found(f"node {node} does not exist in Diagnosticador", "node-not-found")
        return found[0]

    def incident_row(self, aviso: int) -> dict:
        found = rows(self.db.execute("SELECT * FROM incidents WHERE aviso = ?", [aviso]))
        if not found:
            raise not_found(f"AVISO {aviso} does not exist in Diagnosticador", "aviso-not-found")
        return found[0]

    def node_incident_rows(self, node: str) -> list[dict]:
        return rows(
            self.db.execute(
                "SELECT * FROM incidents WHERE scope = 'node' AND node = ? ORDER BY opened_at DESC, aviso DESC", [node]
            )
        )

    def account_incident_rows(self, account: dict) -> list[dict]:
        return rows(
            self.db.execute(
                "SELECT * FROM incidents WHERE (scope = 'node' AND node = ?) OR (scope = 'account' AND "
                "account_number = ?) OR aviso IN (SELECT aviso FROM aviso_accounts WHERE account_number = ?) ORDER "
                "BY opened_at DESC, aviso DESC",
                [account["node"], account["account_number"], account["account_number"]],
            )
        )

    # ---- views ----------------------------------------------------------------------------------------------
    def incident_view(self, row: dict) -> dict:
        view = {
            k: row[k]
            for k in (
                "aviso",
                "scope",
                "node",
                "account_number",
                "kind",
                "severity",
                "description",
                "state",
                "opened_at",
                "status_change_at",
                "status_change_reason",
                "estimated_resolution_at",
                "resolved_at",
                "closed_at",
                "origin",
                "escalated_by",
            )
        }
        if row["scope"] == "account" and not row["node"]:
            view["node"] = self.db.execute(
                "SELECT node FROM accounts WHERE account_number = ?", [row["account_number"]]
            ).fetchone()[0]
        view["incident_id"] = f"INC{row['aviso']:09d}"
        view["fault_type"] = "massive" if row["scope"] == "node" else "single"
        view["affected_services"] = affected_services(row)
        view["affected_account_count"] = (
            1
            if row["scope"] == "account"
            else self.db.execute("SELECT COUNT(*) FROM accounts WHERE node = ?", [row["node"]]).fetchone()[0]
        )
        view["associated_accounts"] = rows(
            self.db.execute(
                "SELECT account_number, associated_at, advisor FROM aviso_accounts WHERE aviso = ? "
                "ORDER BY associated_at, account_number",
                [row["aviso"]],
            )
        )
        return view

    def get_aviso(self, aviso: int) -> dict:
        return self.incident_view(self.incident_row(aviso))

    def account_incidents(self, account_number: str, state: str | None = None) -> list[dict]:
        account = self.account(account_number)
        return [self.incident_view(r) for r in self.account_incident_rows(account) if state in (None, r["state"])]

    def node_incidents(self, node: str, state: str | None = None) -> list[dict]:
        self.node(node)
        return [self.incident_view(r) for r in self.node_incident_rows(node) if state in (None, r["state"])]

    def _immediate(self):
        return immediate(self.db)

    # ---- time rules -----------------------------------------------------------------------------------------
    def _apply_time_rules(self) -> None:
        pending = (
            "SELECT * FROM incidents WHERE state IN ('acknowledged', 'inProgress', 'resolved') OR "
            "opened_at IS NULL OR status_change_at IS NULL OR estimated_resolution_at IS NULL OR "
            "(state = 'closed' AND (resolved_at IS NULL OR closed_at IS NULL)) OR "
            "(state = 'cancelled' AND closed_at IS NULL)"
        )
        if not any(self._time_updates(r) for r in rows(self.db.execute(pending))):
            return
        events = []
        with self._immediate():
            for row in rows(self.db.execute(pending)):
                changes = self._time_updates(row)
                if not changes:
                    continue
                self._update(row["aviso"], changes)
                if (
                    changes.get("state") in ("resolved", "closed")
                    and row["state"] in OPEN_STATES
                    and row["scope"] == "account"
                ):
                    self._premises_fixed(row["account_number"], changes["resolved_at"])
                if "state" in changes:
                    events.append((row, changes))
        for row, changes in events:
            self._emit_state(dict(row, **changes), row["state"])

    def _time_updates(self, row: dict) -> dict:
        """What the clock changes in this incident row (nothing when it is up to date)."""
        now, changes = self.now, {}
        opened = parse_time(row["opened_at"]) or now
        changed = parse_time(row["status_change_at"]) or opened
        eta = parse_time(row["estimated_resolution_at"]) or opened + self._duration(row)
        resolved, closed = parse_time(row["resolved_at"]), parse_time(row["closed_at"])
        state = row["state"]
        if state in ("resolved", "closed") and resolved is None:
            resolved = changed
        if state in ("closed", "cancelled") and closed is None:
            closed = changed
        if state in OPEN_STATES and eta <= now:
            state, resolved, changed = "resolved", eta, eta
            changes["status_change_reason"] = AUTO_RESOLVE_REASON
        if state == "resolved" and resolved >= self.reference_now and resolved + AUTO_CLOSE_AFTER <= now:
            state, closed = "closed", resolved + AUTO_CLOSE_AFTER
            changed = closed
            changes["status_change_reason"] = AUTO_CLOSE_REASON
        new = {
            "state": state,
            "opened_at": opened.isoformat(),
            "status_change_at": changed.isoformat(),
            "estimated_resolution_at": eta.isoformat(),
            "resolved_at": resolved and resolved.isoformat(),
            "closed_at": closed and closed.isoformat(),
        }
        changes.update({k: v for k, v in new.items() if v != row[k]})
        return changes if set(changes) - {"status_change_reason"} else {}

    @staticmethod
    def _duration(row: dict) -> dt.timedelta:
        return ESTIMATED_RESOLUTION.get((row["scope"], row["kind"]), dt.timedelta(hours=12))

    def _update(self, aviso: int, changes: dict) -> None:
        self.db.execute(
            f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in changes)} WHERE aviso = ?", [*changes.values(), aviso]
        )

    def _premises_fixed(self, account_number: str, when: str) -> None:
        modem = self.modem(account_number)
        if modem:
            self.db.execute("DELETE FROM modem_overrides WHERE mac_address = ?", [modem["mac_address"]])
            self.db.execute(
                "UPDATE cable_modems SET last_boot_at = ? WHERE mac_address = ?", [when, modem["mac_address"]]
            )

    def _emit_state(self, row: dict, previous: str) -> None:
        self.s.emit(
            "aviso.state_changed",
            str(row["aviso"]),
            {
                "aviso": row["aviso"],
                "scope": row["scope"],
                "node": row["node"],
                "account_number": row["account_number"],
                "from_state": previous,
                "state": row["state"],
                "at": row["status_change_at"],
                "estimated_resolution_at": row["estimated_resolution_at"],
            },
        )

    # ---- lifecycle ------------------------------------------------------------------------------------------
    def update_aviso(self, aviso: int, body: dict) -> dict:
        with self._immediate():
            row = self.incident_row(aviso)
            current, target = row["state"], body["state"]
            allowed = TRANSITIONS.get(current, ())
            if target not in allowed:
                options = " or ".join(allowed) if allowed else "nothing else (final state)"
                raise conflict(
                    f"AVISO {aviso} is {current}: it can go to {options}, not to {target} (TMF656 "
                    "lifecycle acknowledged -> inProgress -> resolved -> closed; a resolved AVISO may go "
                    "back to inProgress)",
                    "illegal-transition",
                    current_state=current,
                    requested_state=target,
                    allowed_states=list(allowed),
                )
            now = self.now.isoformat()
            changes = {"state": target, "status_change_at": now, "status_change_reason": body.get("reason") or None}
            if target == "resolved":
                changes["resolved_at"] = now
            elif target in ("closed", "cancelled"):
                changes["closed_at"] = now
            elif current == "resolved":  # reopened
                changes.update(resolved_at=None, estimated_resolution_at=(self.now + self._duration(row)).isoformat())
            self._update(aviso, changes)
            if target == "resolved" and row["scope"] == "account":
                self._premises_fixed(row["account_number"], now)
        self._emit_state(dict(row, **changes), current)
        return self.get_aviso(aviso)

    # ---- escalation -----------------------------------------------------------------------------------------
    def escalate(self, body: dict) -> tuple[dict, bool]:
        """Returns (the AVISO, created?)."""
        account = self.account(body["account_number"])
        number, service = account["account_number"], body["service"]
        if service not in self.services(number):
            raise not_found(
                f"account {number} has no {service} service: there is no {service} fault to escalate",
                "service-not-found",
            )
        if account["status"] != "activo":
            raise conflict(
                f"account {number} is {account['status']} in RR: a suspended service is not a network "
                "fault and is not escalated",
                "account-suspended",
            )
        with self._immediate():  # read-then-write: two advisors escalating one node get one AVISO
            aviso, created = self._escalate(account, body)
        payload = {
            "aviso": aviso,
            "account_number": number,
            "node": account["node"],
            "service": service,
            "advisor": body["advisor"],
        }
        self.s.emit("aviso.created" if created else "aviso.associated", number, payload)
        return self.get_aviso(aviso), created

    def _escalate(self, account: dict, body: dict) -> tuple[int, bool]:
        number, service = account["account_number"], body["service"]
        incidents = [r for r in self.account_incident_rows(account) if is_open(r) and service in affected_services(r)]
        existing = next((r for r in incidents if r["scope"] == "node"), None)
        if existing is None and body["fault_type"] == "single":
            existing = next((r for r in incidents if r["scope"] == "account" and r["account_number"] == number), None)
        if existing is not None:
            self._associate(existing["aviso"], number, body["advisor"])
            return existing["aviso"], False
        scope = "node" if body["fault_type"] == "massive" else "account"
        row = {
            "scope": scope,
            "node": account["node"],
            "account_number": number if scope == "account" else None,
            "kind": body.get("kind") or "external_network",
            "severity": body.get("severity") or "outage",
            "affected_services": service,
            "description": body.get("description") or _DEFAULT_DESCRIPTION[scope].format(service=service),
            "state": "acknowledged",
            "opened_at": self.now.isoformat(),
            "status_change_at": self.now.isoformat(),
            "origin": "escalation",
            "escalated_by": body["advisor"],
        }
        row["estimated_resolution_at"] = (self.now + self._duration(row)).isoformat()
        cursor = self.db.execute(
            f"INSERT INTO incidents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        self._associate(cursor.lastrowid, number, body["advisor"])
        return cursor.lastrowid, True

    def _associate(self, aviso: int, account_number: str, advisor: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO aviso_accounts (aviso, account_number, associated_at, advisor) VALUES (?, ?, ?, ?)",
            [aviso, account_number, self.now.isoformat(), advisor],
        )
