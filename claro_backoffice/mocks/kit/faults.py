"""Fault rules kept in the sandbox's SQLite: what to do to requests matching a method and a path pattern.

Kinds: `delay` (fixed `delay_ms`, or uniform up to `delay_max_ms`; the request then goes on), `error` (answer
`status` with a problem body), `malformed` (200 with a body that is not JSON), `drop` (cut the connection
mid-response), `timeout` (hold the request past any sane client timeout). `probability` (0-1) and the draw of a
random delay use a seeded generator, so a run repeats exactly; `count` makes a rule fire that many times, then go.
"""

from __future__ import annotations

import fnmatch
import random
import secrets
from typing import Any

import sqlite_utils

TABLE = "_admin_faults"
KINDS = ("delay", "error", "malformed", "drop", "timeout")


def ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id TEXT PRIMARY KEY, position INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
        kind TEXT NOT NULL, status INTEGER, delay_ms INTEGER, delay_max_ms INTEGER, probability REAL,
        remaining INTEGER, seed INTEGER NOT NULL, matched INTEGER NOT NULL DEFAULT 0,
        fired INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)""")


def add(db: sqlite_utils.Database, rule: dict[str, Any], created_at: str) -> dict[str, Any]:
    position = db.execute(f"SELECT COALESCE(MAX(position), 0) + 1 FROM {TABLE}").fetchone()[0]
    row = {
        "id": "flt-" + secrets.token_hex(4),
        "position": position,
        "method": (rule.get("method") or "*").upper(),
        "path": rule.get("path") or "*",
        "kind": rule["kind"],
        "status": rule.get("status", 503 if rule["kind"] == "error" else None),
        "delay_ms": rule.get("delay_ms"),
        "delay_max_ms": rule.get("delay_max_ms"),
        "probability": rule.get("probability"),
        "remaining": rule.get("count"),
        "seed": rule.get("seed", 0),
        "matched": 0,
        "fired": 0,
        "created_at": created_at,
    }
    db.execute(f"INSERT INTO {TABLE} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    db.conn.commit()
    return public(row)


def public(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("position", "remaining") and v is not None}
    out["count"] = row["remaining"]
    return out


def rules(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    cursor = db.execute(f"SELECT * FROM {TABLE} ORDER BY position")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def remove(db: sqlite_utils.Database, fault_id: str | None = None) -> int:
    if fault_id is None:
        count = db.execute(f"DELETE FROM {TABLE}").rowcount
    else:
        count = db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [fault_id]).rowcount
    db.conn.commit()
    return count


def matches(rule: dict[str, Any], method: str, path: str) -> bool:
    return rule["method"] in ("*", method.upper()) and fnmatch.fnmatchcase(path, rule["path"])


def draw(db: sqlite_utils.Database, method: str, path: str) -> list[dict[str, Any]]:
    """The rules that fire for this request, in order, with the delay each adds; counts and hits are updated.

    A terminal rule (anything but a delay) ends the list: only one thing can answer a request.
    """
    fired: list[dict[str, Any]] = []
    for rule in rules(db):
        if not matches(rule, method, path):
            continue
        # Seeded by what the rule is, not its random id, so the same rules give the same run.
        rng = random.Random(f"{rule['seed']}:{rule['method']}:{rule['path']}:{rule['kind']}:{rule['matched']}")
        db.execute(f"UPDATE {TABLE} SET matched = matched + 1 WHERE id = ?", [rule["id"]])
        if rule["probability"] is not None and rng.random() >= rule["probability"]:
            continue
        delay = rule["delay_ms"] or 0
        if rule["delay_max_ms"] is not None:
            delay = rng.randint(min(delay, rule["delay_max_ms"]), max(delay, rule["delay_max_ms"]))
        if rule["remaining"] is not None and rule["remaining"] <= 1:
            db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [rule["id"]])
        else:
            db.execute(f"UPDATE {TABLE} SET fired = fired + 1, remaining = remaining - 1 WHERE id = ?", [rule["id"]])
        fired.append(dict(rule, delay=delay))
        if rule["kind"] != "delay":
            break
    db.conn.commit()
    return fired
