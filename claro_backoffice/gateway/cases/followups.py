"""What a follow-up needs behind it (the procedure): an ESCALAMIENTOS follow-up waits on a ticket escalated for
the case (POST /troubleTicket, which records the `escalated` step); a VISITAS follow-up waits on a technical visit
booked for the case (POST /appointment with X-Case-Id, which lands as Gestión's `POST /visits` in the case's
timeline). Both are read from the case's timeline, the one place that records what was done for it."""

from __future__ import annotations

import sqlite_utils

from claro_backoffice.gateway.domain_errors import RuleBroken

ESCALATED = "escalated"  # the timeline step POST /troubleTicket records, naming the ticket


def require_backing(db: sqlite_utils.Database, case_id: str, follow_up: str | None) -> None:
    """422 when the follow-up type needs a ticket or a visit the case does not have."""
    if follow_up == "ESCALAMIENTOS" and not _has(db, case_id, "kind = 'step' AND action = ?", [ESCALATED]):
        raise RuleBroken(
            f"case {case_id} has no escalation: an ESCALAMIENTOS follow-up waits on a ticket escalated for the "
            "case (POST /troubleTicket naming it)",
            "follow-up-without-escalation",
        )
    if follow_up == "VISITAS" and not _has(
        db, case_id, "kind = 'call' AND system = 'gestion' AND action = 'POST /visits' AND outcome = '201'", []
    ):
        raise RuleBroken(
            f"case {case_id} has no booked visit: a VISITAS follow-up waits on a technical visit booked for the "
            "case (POST /appointment with X-Case-Id)",
            "follow-up-without-visit",
        )


def _has(db: sqlite_utils.Database, case_id: str, where: str, args: list[str]) -> bool:
    sql = f"SELECT 1 FROM case_timeline WHERE case_id = ? AND {where} LIMIT 1"
    return db.execute(sql, [case_id, *args]).fetchone() is not None
