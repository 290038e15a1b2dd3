"""VoLTE on a line: install (pending -> active) and uninstall (pending_removal -> inactive), asynchronous on the
sandbox's virtual clock. A mixin of PortalPACBackend (which gives self.s, self.db, _line, _log, _reject)."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.mocks.kit.problems import conflict, unprocessable

VOLTE_INSTALL_DELAY = dt.timedelta(minutes=15)  # UNVERIFIED: provisioning time of an install
VOLTE_REMOVAL_DELAY = dt.timedelta(minutes=5)  # UNVERIFIED: provisioning time of an uninstall
_SETTLED = {"pending": "active", "pending_removal": "inactive"}


def _due(at: str | None, now: dt.datetime) -> bool:
    """True when `at` (ISO-8601; Bogotá time when it has no offset, as a fixture may plant it) is not after now."""
    try:
        when = dt.datetime.fromisoformat(at) if at else None
    except ValueError:
        return False
    if when is None:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=BOGOTA)) <= now


class Volte:
    def _settings(self, msisdn: str) -> dict:
        row = self.db.execute(
            "SELECT volte_status, volte_requested_at, volte_effective_at, volte_operation_id "
            "FROM line_settings WHERE msisdn = ?",
            [msisdn],
        ).fetchone()
        if row is None:  # a line planted by a fixture without settings: VoLTE off
            self.db.execute("INSERT INTO line_settings (msisdn, volte_status) VALUES (?, 'inactive')", [msisdn])
            self.db.conn.commit()
            row = ("inactive", None, None, None)
        return dict(zip(("status", "requested_at", "effective_at", "operation_id"), row, strict=True))

    def _settle(self, line: dict) -> None:
        """Complete the line's pending operations whose provisioning time has passed on the virtual clock."""
        now = self.s.now()
        pending = self.db.execute(
            "SELECT operation_id, effective_at FROM operations WHERE msisdn = ? AND result = 'pending'",
            [line["msisdn"]],
        ).fetchall()
        done = [op_id for op_id, at in pending if _due(at, now)]
        settings = self._settings(line["msisdn"])
        changed = False
        if settings["status"] in _SETTLED and _due(settings["effective_at"], now):
            self.db.execute(
                "UPDATE line_settings SET volte_status = ? WHERE msisdn = ?",
                [_SETTLED[settings["status"]], line["msisdn"]],
            )
            changed = True
        for op_id in done:
            self.db.execute("UPDATE operations SET result = 'completed' WHERE operation_id = ?", [op_id])
        if done or changed:
            self.db.conn.commit()

    def _volte_view(self, line: dict) -> dict:
        settings = self._settings(line["msisdn"])
        return {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "plan_code": line["plan_code"],
            "plan_name": line["plan"]["name"],
            "device_model": line["device_model"],
            "volte_capable": line["volte_capable"],
            "volte_allowed": line["plan"]["volte_allowed"],
            "status": settings["status"],
            "requested_at": settings["requested_at"],
            "effective_at": settings["effective_at"],
            "operation_id": settings["operation_id"],
        }

    def volte(self, msisdn: str) -> dict:
        line = self._line(msisdn)
        self._settle(line)
        return self._volte_view(line)

    def _start_volte_change(self, line: dict, operation: str, target: str, delay: dt.timedelta) -> dict:
        now = self._now()
        effective = (now + delay).isoformat()
        op_id = self._log(
            line,
            operation,
            {},
            "pending",
            f"VoLTE {'installation' if target == 'pending' else 'removal'} sent to the network; "
            f"effective at {effective}",
            effective_at=effective,
        )
        self.db.execute(
            "UPDATE line_settings SET volte_status = ?, volte_requested_at = ?, volte_effective_at = ?, "
            "volte_operation_id = ? WHERE msisdn = ?",
            [target, now.isoformat(), effective, op_id, line["msisdn"]],
        )
        self.db.conn.commit()
        self.s.emit(
            f"volte.{operation.split('_')[1]}_requested",
            line["msisdn"],
            {
                "msisdn": line["msisdn"],
                "account_number": line["account_number"],
                "operation_id": op_id,
                "status": target,
                "effective_at": effective,
            },
        )
        return self._volte_view(line)

    def install_volte(self, msisdn: str) -> tuple[dict, int]:
        line = self._line(msisdn)
        self._settle(line)
        self._begin()
        self._refuse_if_suspended(line, "volte_install", {})
        if not line["volte_capable"]:
            raise self._reject(
                line,
                "volte_install",
                {},
                unprocessable(
                    f"the device on line {msisdn} ({line['device_model']}) does not support VoLTE; the customer needs "
                    "a VoLTE-capable device",
                    "device-not-volte-capable",
                    device_model=line["device_model"],
                ),
            )
        plan = line["plan"]
        if not plan["volte_allowed"]:
            raise self._reject(
                line,
                "volte_install",
                {},
                unprocessable(
                    f"plan {plan['plan_code']} ({plan['name']}) of line {msisdn} does not include VoLTE",
                    "plan-without-volte",
                    plan_code=plan["plan_code"],
                ),
            )
        status = self._settings(msisdn)["status"]
        if status in ("active", "pending"):
            self.db.conn.commit()  # nothing changed: release the write lock
            return self._volte_view(line), 200
        if status == "pending_removal":
            view = self._volte_view(line)
            raise self._reject(
                line,
                "volte_install",
                {},
                conflict(
                    f"VoLTE removal on line {msisdn} is in progress until {view['effective_at']}; install it again "
                    "after the removal completes",
                    "volte-change-in-progress",
                ),
            )
        return self._start_volte_change(line, "volte_install", "pending", VOLTE_INSTALL_DELAY), 202

    def uninstall_volte(self, msisdn: str) -> tuple[dict, int]:
        line = self._line(msisdn)
        self._settle(line)
        self._begin()
        self._refuse_if_suspended(line, "volte_uninstall", {})
        status = self._settings(msisdn)["status"]
        if status in ("inactive", "pending_removal"):
            self.db.conn.commit()  # nothing changed: release the write lock
            return self._volte_view(line), 200
        if status == "pending":
            view = self._volte_view(line)
            raise self._reject(
                line,
                "volte_uninstall",
                {},
                conflict(
                    f"VoLTE installation on line {msisdn} is in progress until {view['effective_at']}; uninstall it "
                    "after the installation completes",
                    "volte-change-in-progress",
                ),
            )
        return self._start_volte_change(line, "volte_uninstall", "pending_removal", VOLTE_REMOVAL_DELAY), 202
