"""Data patches applied through POST /__admin/fixtures: how scenarios plant a situation in a system.

A patch is a list of changes, applied in one transaction (all or nothing):
  {"table": "lines", "insert": [{...row...}, ...]}                       new rows (or replace by primary key)
  {"table": "lines", "update": {"where": {"msisdn": "3101234567"}, "set": {"status": "suspendida"}}}
  {"table": "lines", "delete": {"where": {"msisdn": "3101234567"}}}
Table and column names are checked against the system's store; GET /__admin/fixtures lists them. Values written
(insert rows, update sets) are checked against the spec's property that serves them (mocks/kit/served.py).
Values that are objects or lists are stored as JSON text, as the system itself stores them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlite_utils

# check(table, values): raises ValueError for values the system would not serve (ServedShapes.check).
Check = Callable[[str, Mapping[str, Any]], None]


class FixtureError(ValueError):
    pass


def schema(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    tables = []
    for table in db.tables:
        if table.name.startswith("_admin_"):
            continue
        tables.append(
            {
                "table": table.name,
                "primary_key": [pk for pk in table.pks if pk != "rowid"],
                "columns": [{"name": c.name, "type": c.type or "TEXT"} for c in table.columns],
            }
        )
    return tables


def _value(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def _check_columns(table_name: str, columns: Mapping[str, object], names: Iterable[str]) -> None:
    unknown = [c for c in names if c not in columns]
    if unknown:
        raise FixtureError(
            f"table '{table_name}' has no column {', '.join(repr(c) for c in unknown)}; "
            f"its columns are {', '.join(sorted(columns))}"
        )


def _where(table_name: str, columns: Mapping[str, object], where: dict[str, Any] | None) -> tuple[str, list[object]]:
    if not where:
        raise FixtureError(f"an update or delete on '{table_name}' needs a non-empty 'where'")
    _check_columns(table_name, columns, where)
    return " AND ".join(f'"{c}" = ?' for c in where), [_value(v) for v in where.values()]


def _served(check: Check | None, n: int, table: str, values: Mapping[str, Any]) -> None:
    if check is None:
        return
    try:
        check(table, values)
    except ValueError as exc:
        raise FixtureError(f"change {n}: {exc}") from None


def apply(db: sqlite_utils.Database, changes: list[dict[str, Any]], check: Check | None = None) -> list[dict[str, Any]]:
    """`check(table, values)` raises ValueError for values the system would not serve (ServedShapes.check)."""
    known = {t.name: t for t in db.tables if not t.name.startswith("_admin_")}
    conn = db.conn
    applied: list[dict[str, Any]] = []
    try:
        conn.execute("BEGIN IMMEDIATE")
        for n, change in enumerate(changes):
            name = change.get("table")
            if name not in known:
                raise FixtureError(f"change {n}: unknown table '{name}'; tables are {', '.join(sorted(known))}")
            assert isinstance(name, str)  # one of known's names
            columns = {c.name: c for c in known[name].columns}
            ops = [op for op in ("insert", "update", "delete") if op in change]
            if len(ops) != 1:
                raise FixtureError(f"change {n}: give exactly one of insert, update or delete")
            op = ops[0]
            if op == "insert":
                rows = change["insert"]
                for row in rows:
                    _check_columns(name, columns, row)
                    _served(check, n, name, row)
                    conn.execute(
                        f'INSERT OR REPLACE INTO "{name}" ({", ".join(chr(34) + c + chr(34) for c in row)}) '
                        f"VALUES ({', '.join('?' * len(row))})",
                        [_value(v) for v in row.values()],
                    )
                count = len(rows)
            elif op == "update":
                spec = change["update"]
                sets = spec.get("set") or {}
                if not sets:
                    raise FixtureError(f"change {n}: an update needs a non-empty 'set'")
                _check_columns(name, columns, sets)
                _served(check, n, name, sets)
                clause, args = _where(name, columns, spec.get("where"))
                count = conn.execute(
                    f'UPDATE "{name}" SET {", ".join(chr(34) + c + chr(34) + " = ?" for c in sets)} WHERE {clause}',
                    [_value(v) for v in sets.values()] + args,
                ).rowcount
            else:
                clause, args = _where(name, columns, change["delete"].get("where"))
                count = conn.execute(f'DELETE FROM "{name}" WHERE {clause}', args).rowcount
            applied.append({"table": name, "operation": op, "rows": count})
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        conn.execute("ROLLBACK")
        raise FixtureError(f"the store refused the patch: {exc}") from exc
    except FixtureError:
        conn.execute("ROLLBACK")
        raise
    return applied
