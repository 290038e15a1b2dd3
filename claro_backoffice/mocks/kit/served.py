"""What a fixture may write: each value checked against the property of the spec that serves it.

A mock declares which component schemas serve each of its tables (create_mock_app's `served_as`: table -> schema
names, or paths under components/schemas such as "RecordPage/properties/incidents/items"). A value a fixture
writes to a column is checked against the same-named property of each of them (type, enum, pattern, format,
bounds), so a row can't hold what the system would then serve against its own spec ({"status": "volando"} on an
account). A column no declared schema serves under its name is not checked, nor one declared "!column": stored in
another form than it is served (a comma-separated text served as an array) or under its name with another
meaning. Booleans may be 0/1: SQLite has no boolean type and the mocks serve such columns as true/false.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claro_backoffice.core.formats import EXPECTED, SpecFormats

SPEC_URI = "urn:served-spec"
SHOWN = 100  # characters of a refused value quoted back


# A jsonschema keyword's check: (validator, the keyword's value, instance, schema) -> the errors it finds.
Keyword = Callable[[Validator, Any, Any, dict[str, Any]], Iterator[ValidationError]]


class ServedValueError(ValueError):
    pass


def _pointer(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _nullable(check: Keyword) -> Keyword:
    # OpenAPI 3.0's `nullable: true` is not Draft 4: null passes type and enum there.
    def validate(validator: Validator, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if instance is None and schema.get("nullable"):
            return
        yield from check(validator, value, instance, schema)

    return validate


class ServedShapes:
    """One system's declarations resolved against its spec, once, when the app is built."""

    def __init__(self, system: str, spec: dict, served_as: Mapping[str, Sequence[str]]):
        self.system = system
        self._spec = spec
        self._registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT4))
        self._validator = validators.extend(
            Draft4Validator,
            {
                "type": _nullable(Draft4Validator.VALIDATORS["type"]),
                "enum": _nullable(Draft4Validator.VALIDATORS["enum"]),
            },
        )
        self._formats = SpecFormats()
        # table -> column -> [(shown name, JSON pointer of the property)]
        self._columns: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for table, paths in served_as.items():
            columns = self._columns.setdefault(table, {})
            for path in (p for p in paths if not p.startswith("!")):
                base = ["components", "schemas", *_pointer(path)]
                for name, pointer in self._properties(base):
                    columns.setdefault(name, []).append((f"{_label(path)}.{name}", pointer))
            for unchecked in (p[1:] for p in paths if p.startswith("!")):
                columns.pop(unchecked, None)

    def _node(self, parts: list[str]) -> dict:
        node = self._spec
        for part in parts:
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError):
                raise ValueError(f"{self.system}: no '#/{'/'.join(parts)}' in the spec (served_as)") from None
        return node

    def _properties(self, parts: list[str]) -> Iterator[tuple[str, str]]:
        """(name, pointer) of each property of the schema at `parts`, following $ref and allOf."""
        node = self._node(parts)
        if "$ref" in node:
            yield from self._properties(_pointer(node["$ref"].removeprefix("#")))
            return
        for name in node.get("properties") or {}:
            yield name, "/" + "/".join(_escape(p) for p in [*parts, "properties", name])
        for n, _ in enumerate(node.get("allOf") or []):
            yield from self._properties([*parts, "allOf", str(n)])

    def check(self, table: str, values: Mapping[str, Any]) -> None:
        """ServedValueError naming the column, the value and what is allowed, for the first value that breaks."""
        columns = self._columns.get(table, {})
        for column, value in values.items():
            for shown, pointer in columns.get(column, ()):
                schema = self._resolved(pointer)
                if schema.get("type") == "boolean" and type(value) is int and value in (0, 1):
                    value = bool(value)
                validator = self._validator(
                    {"$ref": f"{SPEC_URI}#{pointer}"}, registry=self._registry, format_checker=self._formats
                )
                error = best_match(validator.iter_errors(value))
                if error is not None:
                    raise ServedValueError(
                        f"{table}.{column} = {_shown(value)} is not what {self.system} serves: "
                        f"{shown} allows {_allowed(error)}"
                    )

    def _resolved(self, pointer: str) -> dict:
        node = self._node(_pointer(pointer))
        while "$ref" in node:
            node = self._node(_pointer(node["$ref"].removeprefix("#")))
        return node


def _label(path: str) -> str:
    """RecordPage/properties/incidents/items -> RecordPage.incidents[]"""
    return path.replace("/properties/", ".").replace("/items", "[]")


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _allowed(error: ValidationError) -> str:
    schema, kind, where = error.schema, error.validator, "".join(f"[{p!r}]" for p in error.path)
    null = " or null" if schema.get("nullable") else ""
    if kind == "enum":
        said = f"one of {', '.join(json.dumps(v, ensure_ascii=False) for v in error.validator_value)}{null}"
    elif kind == "format":
        said = EXPECTED.get(error.validator_value, f"format {error.validator_value}")
    elif kind == "type":
        said = f"{' or '.join(_listed(error.validator_value))}{null}"
    elif kind == "pattern":
        said = f"text matching {error.validator_value}"
    elif kind in ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"):
        said = f"{kind} {error.validator_value}"
    else:
        said = error.message
    return f"{said} (at {where})" if where else said


def _listed(types: str | list[str]) -> list[str]:
    return [f"a {t}" if t[0] not in "aeiou" else f"an {t}" for t in ([types] if isinstance(types, str) else types)]
