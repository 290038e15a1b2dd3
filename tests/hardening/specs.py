"""Walking the contracts: every spec the project serves, its operations, and the schemas of what a request sends
(parameters and bodies, with $refs followed)."""

from __future__ import annotations

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path
from claro_backoffice.mocks.kit.paths import mock_specs_dir

METHODS = ("get", "put", "post", "delete", "patch")


def all_specs() -> dict[str, dict]:
    """'gateway', each system, and 'admin' (the control API every mock serves under /__admin)."""
    specs = {"gateway": safe_load(spec_path().read_text(encoding="utf-8"))}
    for name in (*SYSTEMS, "admin"):
        specs[name] = safe_load((mock_specs_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    return specs


def resolve(spec: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(spec: dict):
    """(METHOD, path template, operation) for every operation."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def _subschemas(spec: dict, node, where: str, seen: frozenset):
    node = resolve(spec, node)
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen = seen | {id(node)}
    yield where, node
    for name, child in (node.get("properties") or {}).items():
        yield from _subschemas(spec, child, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            yield from _subschemas(spec, node[key], f"{where}[{key}]", seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for index, child in enumerate(node.get(key) or []):
            yield from _subschemas(spec, child, f"{where}/{key}{index}", seen)


def request_schemas(spec: dict, path: str, operation: dict):
    """(where, schema) for every schema, nested ones included, of the operation's parameters and request body."""
    for parameter in spec["paths"][path].get("parameters", []) + operation.get("parameters", []):
        parameter = resolve(spec, parameter)
        yield from _subschemas(spec, parameter.get("schema", {}), f"{parameter['in']} {parameter['name']}", frozenset())
    body = resolve(spec, operation.get("requestBody", {}))
    for media in body.get("content", {}).values():
        yield from _subschemas(spec, media.get("schema", {}), "body", frozenset())
