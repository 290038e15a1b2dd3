"""CUN allocation (Código Único Numérico): one per PQR, from the registry database that every sandbox shares and
no reset empties, so a CUN is never reused — not across resets, not across sandboxes.

The format is `settings.cun_format` (`{year}`: the filing year, four digits; `{sequence}`: one counter that only
goes up, never restarted by year). The number is taken in its own registry transaction before the PQR is
written: if that write then fails, the number is burnt (a gap), never handed out twice.

Replicas (REPLICA_ID, README "Scaling out") each keep their own registry, so each draws from a range of its own:
replica n's sequence is n * RANGE + its counter (replica 0, or no REPLICA_ID, counts from 1 as a single server
always did). The format is unchanged (still digits, `{sequence:010d}` still ten of them), and two replicas with
different numbers can never give the same CUN. A counter that would run into the next range is refused.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.domain_errors import Conflict
from claro_backoffice.gateway.settings import GatewaySettings

RANGE = 10**8  # CUNs per replica: 100 replicas (REPLICA_ID ends in 0-99) fill ten digits


def allocate_cun(crm: CrmStore, settings: GatewaySettings, moment: dt.datetime, *, sandbox: str | None = None) -> str:
    """The next CUN, formatted for `moment`'s year; recorded with the sandbox that asked for it."""
    with crm.registry() as db:
        for _ in range(1000):
            db.execute(
                "INSERT INTO cun_sequence (name, value) VALUES ('cun', 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1"
            )
            counter = db.execute("SELECT value FROM cun_sequence WHERE name = 'cun'").fetchone()[0]
            if counter >= RANGE:
                raise Conflict(
                    f"replica {settings.replica_number}'s CUN range ({RANGE - 1} CUNs) is used up", "cun-exhausted"
                )
            sequence = settings.replica_number * RANGE + counter
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
