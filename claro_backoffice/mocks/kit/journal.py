"""The per-sandbox request journal: what a mock was asked and what it answered, newest first, bounded.

Bodies are kept as the bytes that went over the wire (the first 64 KiB) and given back as they were: a JSON body as
that JSON value, other UTF-8 as a string, anything else base64, with `*_body_encoding` saying which.
"""

from __future__ import annotations

import base64
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


def _raw(body: bytes | None) -> bytes | None:
    return body[:_MAX_BODY] if body else None  # stored as a BLOB: nothing is lost to a decoding


def record(db: sqlite_utils.Database, entry: dict[str, Any], limit: int) -> None:
    row = dict(entry, request_body=_raw(entry.get("request_body")), response_body=_raw(entry.get("response_body")))
    columns = ", ".join(row)
    with db.atomic():  # one commit for the row and the trim (sqlite-utils would commit each statement)
        cursor = db.execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        assert cursor.lastrowid is not None  # an INSERT's
        if cursor.lastrowid > limit:
            db.execute(f"DELETE FROM {TABLE} WHERE id <= ?", [cursor.lastrowid - limit])


def decode(stored: bytes | str | None) -> tuple[Any, str | None]:
    """(the body, its encoding): JSON as its value, UTF-8 text as a string, other bytes as base64. A str is a row
    written as text by an older version."""
    if stored is None:
        return None, None
    if isinstance(stored, bytes):
        try:
            text = stored.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(stored).decode("ascii"), "base64"
    else:
        text = stored
    try:
        return json.loads(text), "json"
    except ValueError:
        return text, "text"


def entries(
    db: sqlite_utils.Database,
    method: str | None = None,
    path: str | None = None,
    limit: int = 100,
    status: int | None = None,
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
    if status is not None:
        where.append("status = ?")
        args.append(status)
    sql = f"SELECT * FROM {TABLE}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?"
    cursor = db.execute(sql, args + [limit])
    names = [d[0] for d in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        for side in ("request", "response"):
            row[f"{side}_body"], row[f"{side}_body_encoding"] = decode(row[f"{side}_body"])
        out.append(row)
    return out


def clear(db: sqlite_utils.Database) -> int:
    count = db.execute(f"DELETE FROM {TABLE}").rowcount
    db.conn.commit()
    return count
