"""PortalPAC: VoLTE install/uninstall, Familia y Amigos numbers and Datos Compartidos quotas of Claro mobile lines,
with an operations log per line (what was asked, when on the sandbox clock, by whom, and the result).

LIMITATIONS (where this mock departs from the real PortalPAC):
- PortalPAC is a web portal for agents; this is a JSON API over the same operations, with snake_case fields.
- VoLTE provisioning is asynchronous: an install is `pending` for VOLTE_INSTALL_DELAY and then `active`; an
  uninstall is `pending_removal` for VOLTE_REMOVAL_DELAY and then `inactive`. Both delays are UNVERIFIED settings
  measured on the sandbox's virtual clock; the change is applied when a request on that line reads it after the
  delay (no background job), so moving the clock back after completion does not undo it.
- Installing VoLTE where it is already active or being installed answers 200 with the current state (idempotent),
  and so does uninstalling where it is inactive or being removed; the opposite change while one is in progress is
  a 409 (the real portal's behaviour here is not documented).
- Writes on a suspended line (VoLTE, Familia y Amigos) are refused (422); Datos Compartidos is an account-level
  correction and accepts quotas for suspended lines of the account.
- Familia y Amigos accepts any valid Colombian number (mobile of any operator or fixed line), not only Claro's.
  A removed number frees its slot; a new number takes the lowest free slot; a change keeps the slot.
- Datos Compartidos quotas change at once (no billing-cycle boundary); the request must list every line of the
  account, and lines left out of the plan's pool stay as `unassigned_gb`.
- Requests refused by PortalPAC's rules on a known line are logged with result `rejected`; requests for unknown
  lines or accounts, and idempotent repeats that change nothing, are not logged.
- A `pending` / `pending_removal` VoLTE state planted through /__admin/fixtures without `volte_effective_at`
  stays as planted until a fixture or a new request changes it.
- Lines, plans and devices are PortalPAC's copy of AC's data at seeding time; changes made in AC (a suspension,
  a plan change) reach this mock only through /__admin/fixtures.
"""

from __future__ import annotations

import json

from claro_backoffice.mocks.kit.problems import not_found, unprocessable
from claro_backoffice.mocks.portalpac.friends import FriendsAndFamily
from claro_backoffice.mocks.portalpac.shared_data import SharedData
from claro_backoffice.mocks.portalpac.volte import Volte


def rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


class PortalPACBackend(Volte, FriendsAndFamily, SharedData):
    def __init__(self, session, advisor: str | None = None):
        self.s = session
        self.db = session.db
        self.advisor = advisor

    def _now(self):
        """The sandbox's virtual clock, to the second (what the portal shows)."""
        return self.s.now().replace(microsecond=0)

    def _stamp(self) -> str:
        return self._now().isoformat()

    def _begin(self) -> None:
        """Read-then-write under one write lock (BEGIN IMMEDIATE), so two agents can't take the same slot."""
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    # ---- catalogue and lines ------------------------------------------------------------------------------------
    def plans(self) -> list[dict]:
        return [self._plan_view(p) for p in rows(self.db.execute("SELECT * FROM plans ORDER BY plan_code"))]

    @staticmethod
    def _plan_view(plan: dict) -> dict:
        return dict(plan, volte_allowed=bool(plan["volte_allowed"]))

    def _plan(self, plan_code: str) -> dict:
        found = rows(self.db.execute("SELECT * FROM plans WHERE plan_code = ?", [plan_code]))
        if not found:  # only reachable through a fixture that points a line at a plan PortalPAC doesn't know
            raise not_found(f"plan {plan_code} is not in PortalPAC's plan catalogue", "plan-not-found")
        return self._plan_view(found[0])

    def _line(self, msisdn: str) -> dict:
        found = rows(self.db.execute("SELECT * FROM lines WHERE msisdn = ?", [msisdn]))
        if not found:
            raise not_found(f"line {msisdn} is not a Claro mobile line known to PortalPAC", "line-not-found")
        line = dict(found[0], volte_capable=bool(found[0]["volte_capable"]))
        line["plan"] = self._plan(line["plan_code"])
        return line

    def _refuse_if_suspended(self, line: dict, operation: str, parameters: dict) -> None:
        if line["status"] != "activa":
            reason = f" ({line['suspension_reason']})" if line.get("suspension_reason") else ""
            raise self._reject(
                line,
                operation,
                parameters,
                unprocessable(
                    f"line {line['msisdn']} is {line['status']}{reason}: PortalPAC accepts no changes on it until AC "
                    "reactivates it",
                    "line-suspended",
                ),
            )

    # ---- operations log -------------------------------------------------------------------------------------------
    def _log(
        self, line: dict, operation: str, parameters: dict, result: str, detail: str, effective_at: str | None = None
    ) -> int:
        row = {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "operation": operation,
            "parameters": json.dumps(parameters, ensure_ascii=False),
            "advisor": self.advisor,
            "requested_at": self._stamp(),
            "effective_at": effective_at,
            "result": result,
            "detail": detail,
        }
        cursor = self.db.execute(
            f"INSERT INTO operations ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return cursor.lastrowid

    def _reject(self, line: dict, operation: str, parameters: dict, problem):
        """Record a refused request in the line's log, then hand back the problem for the caller to raise."""
        self._log(line, operation, parameters, "rejected", problem.detail)
        self.db.conn.commit()
        return problem

    def operations(self, msisdn: str, operation: str | None = None, limit: int = 50) -> dict:
        line = self._line(msisdn)
        self._settle(line)
        found = rows(
            self.db.execute(
                "SELECT * FROM operations WHERE msisdn = ? AND (? IS NULL OR operation = ?) "
                "ORDER BY operation_id DESC LIMIT ?",
                [msisdn, operation, operation, limit],
            )
        )
        return {
            "msisdn": msisdn,
            "account_number": line["account_number"],
            "operations": [dict(r, parameters=json.loads(r["parameters"] or "{}")) for r in found],
        }
