"""Idempotency-Key for operations that write into the systems: the first complete answer to a key is stored and
replayed for a repeat with the same body; the same key with another body is a 422. A key whose first attempt
failed half-way is not stored as answered, so the repeat continues the work (the operation keeps its own steps)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlite_utils

from claro_backoffice.gateway.cases.store import row
from claro_backoffice.gateway.domain_errors import RuleBroken


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def replay(db: sqlite_utils.Database, operation: str, key: str, body: Any) -> tuple[int, dict] | None:
    found = row(
        db.execute(
            "SELECT request_hash, status, body FROM idempotency WHERE operation = ? AND key = ?", [operation, key]
        )
    )
    if found is None:
        return None
    if found["request_hash"] != fingerprint(body):
        raise RuleBroken(
            f"Idempotency-Key '{key}' was used for a different request; use a new key for new content",
            "idempotency-key-reused",
        )
    if found["status"] is None:
        return None
    return found["status"], json.loads(found["body"])


def begin(db: sqlite_utils.Database, operation: str, key: str, body: Any, at: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO idempotency (key, operation, request_hash, at) VALUES (?, ?, ?, ?)",
        [key, operation, fingerprint(body), at],
    )


def finish(db: sqlite_utils.Database, operation: str, key: str, status: int, answer: dict) -> None:
    db.execute(
        "UPDATE idempotency SET status = ?, body = ? WHERE operation = ? AND key = ?",
        [status, json.dumps(answer, ensure_ascii=False), operation, key],
    )
