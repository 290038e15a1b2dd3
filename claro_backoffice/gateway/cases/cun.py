"""CUN allocation (Código Único Numérico): one per PQR, from the registry database that every sandbox shares and
no reset empties, so a CUN is never reused — not across resets, not across sandboxes.

The format is `settings.cun_format` (`{year}`: the filing year, four digits; `{sequence}`: one counter that only
goes up, never restarted by year). The number is taken in its own registry transaction before the PQR is
written: if that write then fails, the number is burnt (a gap), never handed out twice.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.domain_errors import Conflict
from claro_backoffice.gateway.settings import GatewaySettings


def allocate_cun(crm: CrmStore, settings: GatewaySettings, moment: dt.datetime, *, sandbox: str | None = None) -> str:
    """The next CUN, formatted for `moment`'s year; recorded with the sandbox that asked for it."""
    with crm.registry() as db:
        for _ in range(1000):
            db.execute(
                "INSERT INTO cun_sequence (name, value) VALUES ('cun', 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1"
            )
            sequence = db.execute("SELECT value FROM cun_sequence WHERE name = 'cun'").fetchone()[0]
            cun = settings.cun_format.format(year=moment.year, sequence=sequence)
            # a CUN_FORMAT changed between runs can format a number already issued: skip to the next one
            if not db.execute("SELECT 1 FROM cun_issued WHERE cun = ?", [cun]).fetchone():
                break
        else:
            raise Conflict(f"CUN_FORMAT '{settings.cun_format}' keeps giving CUNs already issued", "cun-exhausted")
        db.execute(
            "INSERT INTO cun_issued (cun, sequence, sandbox, issued_at) VALUES (?, ?, ?, ?)",
            [cun, sequence, sandbox, moment.isoformat()],
        )
    return cun
