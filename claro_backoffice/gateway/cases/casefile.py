"""Reading a case and guarding its state machine, for every operation that acts on a case.

States: open -> typified -> closed | followUp; followUp -> closed (the later close-out). An illegal step is a
409 problem that names the step missing (or the state that forbids it), never a silent no-op.
"""

from __future__ import annotations

import sqlite_utils

from claro_backoffice.gateway.cases.store import row
from claro_backoffice.gateway.domain_errors import Conflict, NotFound

STATES = ("open", "typified", "followUp", "closed")


def load_case(db: sqlite_utils.Database, case_id: str) -> dict:
    found = row(db.execute("SELECT * FROM cases WHERE id = ?", [case_id]))
    if found is None:
        raise NotFound(f"case {case_id} does not exist in this sandbox; GET /cases lists them", "case-not-found")
    return found


def require_state(case: dict, allowed: tuple[str, ...], step: str) -> None:
    """409 unless the case is in one of `allowed` states, saying what is missing for `step`."""
    if case["status"] in allowed:
        return
    status = case["status"]
    if status == "open":
        why = "it is not typified yet: POST /cases/{id}/typification first"
    elif status == "closed":
        why = "it is closed"
    elif status == "followUp":
        why = "it was already closed with the customer and is in follow-up (record callbacks instead)"
    else:
        why = f"it is {status}"
    raise Conflict(
        f"case {case['id']} can't be {step}: {why.replace('{id}', case['id'])}",
        "case-state",
        caseId=case["id"],
        caseStatus=status,
    )


def case_cun(db: sqlite_utils.Database, case_id: str) -> str | None:
    """The CUN of the case's PQR, if one was filed."""
    found = db.execute("SELECT cun FROM pqrs WHERE case_id = ?", [case_id]).fetchone()
    return found[0] if found else None
