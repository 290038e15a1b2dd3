"""Idempotency-Key for every mock's writes: the first successful answer to a key is stored in the sandbox's own
SQLite, in the same transaction as the write it answers (TrackedConnection.held, core/sqlite_pool.py), so a crash
can never leave a write without its record or a record without its write. A repeat with the same method, path and
body gets that answer again (same status and body) and changes nothing; the same key with another body is a 422
naming the key. A key belongs to one method and path, so a client's keys for different operations never collide.

Only successful answers (2xx) are stored: a refused request committed nothing, so running it again is the same
as replaying it, and a corrected request may reuse its key. Keys are per sandbox (its reset forgets them).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlite_utils

from claro_backoffice.core.resolver import Parts
from claro_backoffice.mocks.kit.problems import unprocessable

HEADER = "Idempotency-Key"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PARAMETER_REF = "#/components/parameters/IdempotencyKey"
TABLE = "_admin_idempotency"


def ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, "
        "request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT, headers TEXT NOT NULL, "
        "at TEXT NOT NULL, PRIMARY KEY (key, method, path))"
    )


def fingerprint(body: bytes) -> str:
    """The same JSON however it is spaced or ordered; any other body byte for byte."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def replay(db: sqlite_utils.Database, key: str, method: str, path: str, body: bytes) -> Parts | None:
    """The stored answer (body, status, headers) for this key, None for a new key, a 422 for another body."""
    found = db.execute(
        f"SELECT request_hash, status, response, headers FROM {TABLE} WHERE key = ? AND method = ? AND path = ?",
        [key, method, path],
    ).fetchone()
    if found is None:
        return None
    was_hash, status, response, headers = found
    if was_hash != fingerprint(body):
        raise unprocessable(
            f"{HEADER} '{key}' was used with a different body on {method} {path}; use a new key for new content",
            "idempotency-key-reused",
            key=key,
        )
    return (None if response is None else json.loads(response)), status, json.loads(headers)


def record(db: sqlite_utils.Database, key: str, method: str, path: str, body: bytes, answer: Parts, at: str) -> None:
    response, status, headers = answer
    db.execute(
        f"INSERT INTO {TABLE} (key, method, path, request_hash, status, response, headers, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            key,
            method,
            path,
            fingerprint(body),
            status,
            None if response is None else json.dumps(response, ensure_ascii=False),
            json.dumps(headers),
            at,
        ],
    )


def keyed_operations(spec: dict[str, Any]) -> frozenset[str]:
    """The operationIds whose spec declares the Idempotency-Key header (on the operation or its path)."""
    found: set[str] = set()
    for item in spec.get("paths", {}).values():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method.upper() in WRITES and any(
                p.get("$ref") == PARAMETER_REF for p in shared + operation.get("parameters", [])
            ):
                found.add(operation["operationId"])
    return frozenset(found)
