"""The per-sandbox request journal: what a mock was asked and what it answered, newest first, bounded."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

TABLE = "_admin_journal"
_MAX_BODY = 64 * 1024


def ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, virtual_at TEXT, method TEXT NOT NULL,
        path TEXT NOT NULL, query TEXT NOT NULL, request_body TEXT, status INTEGER NOT NULL,
        response_body TEXT, duration_ms REAL NOT NULL, request_id TEXT, case_id TEXT, fault_id TEXT)""")


def _text(body: bytes | None) -> str | None:
    if not body:
        return None
    return body[:_MAX_BODY].decode("utf-8", errors="replace")


def record(db: sqlite_utils.Database, entry: dict[str, Any], limit: int) -> None:
    row = dict(entry, request_body=_text(entry.get("request_body")), response_body=_text(entry.get("response_body")))
    columns = ", ".join(row)
    with db.atomic():  # one commit for the row and the trim (sqlite-utils would commit each statement)
        cursor = db.execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        assert cursor.lastrowid is not None  # an INSERT's
        if cursor.lastrowid > limit:
            db.execute(f"DELETE FROM {TABLE} WHERE id <= ?", [cursor.lastrowid - limit])


def _decode(text: str | None) -> Any:  # the JSON value, or the text that is not JSON
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def entries(
    db: sqlite_utils.Database, method: str | None = None, path: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Newest first. `path` matches a prefix of the request path; `method` is case-insensitive."""
    where: list[str] = []
    args: list[str | int] = []
    if method:
        where.append("method = ?")
        args.append(method.upper())
    if path:
        where.append("substr(path, 1, ?) = ?")
        args.extend([len(path), path])
    sql = f"SELECT * FROM {TABLE}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?"
    cursor = db.execute(sql, args + [limit])
    names = [d[0] for d in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["request_body"] = _decode(row["request_body"])
        row["response_body"] = _decode(row["response_body"])
        out.append(row)
    return out


def clear(db: sqlite_utils.Database) -> int:
    count = db.execute(f"DELETE FROM {TABLE}").rowcount
    db.conn.commit()
    return count
