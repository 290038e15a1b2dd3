"""The consumer-side contract check of the in-process back office: every request an adapter sends must be an
operation of that system's spec (openapi/mocks/<system>.yaml, or admin.yaml under /__admin) with a body that fits
it, and every response a documented status whose JSON fits its schema."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, resolve_refs

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.mocks.kit.paths import mock_specs_dir

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class SpecCheck:
    """One system's contract (business spec + control API) as a consumer sees it."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.operations: list[tuple[str, re.Pattern[str], dict[str, Any]]] = []  # method, path regex, operation
        for name, prefix in ((f"{system}.yaml", ""), ("admin.yaml", "/__admin")):
            spec = resolve_refs(safe_load((mock_specs_dir() / name).read_text(encoding="utf-8")))
            for template, item in spec["paths"].items():
                pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(prefix + template))
                for method, operation in item.items():
                    if method.upper() in METHODS:
                        params = item.get("parameters", []) + operation.get("parameters", [])
                        self.operations.append(
                            (method.upper(), re.compile(f"^{pattern}$"), dict(operation, parameters=params))
                        )

    def find(self, method: str, path: str) -> dict[str, Any] | None:
        return next((op for m, rx, op in self.operations if m == method and rx.match(path)), None)

    def request_errors(
        self, method: str, path: str, query: Sequence[tuple[str, str]], body: bytes | None, content_type: str | None
    ) -> list[str]:
        operation = self.find(method, path)
        if operation is None:
            return [f"{method} {path} is not an operation of {self.system}'s spec"]
        errors: list[str] = []
        declared = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        for name, value in query:
            if name not in declared:
                errors.append(f"query parameter '{name}' is not in the spec")
            else:
                errors += _errors(Draft4RequestValidator, declared[name]["schema"], _typed(value, declared[name]))
        errors += [
            f"required query parameter '{n}' is missing"
            for n, p in declared.items()
            if p.get("required") and n not in dict(query)
        ]
        schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            if "json" not in (content_type or ""):
                errors.append(f"the body is sent as {content_type!r}, not JSON")
            else:
                errors += _errors(Draft4RequestValidator, schema, json.loads(body or b"null"))
        return [f"{self.system} request {method} {path}: {e}" for e in errors]

    def response_errors(
        self, method: str, path: str, status: int, content_type: str | None, content: bytes
    ) -> list[str]:
        operation = self.find(method, path)
        if operation is None:
            return []
        documented = operation.get("responses", {})
        response = documented.get(str(status)) or documented.get("default")
        if response is None:
            return [f"{self.system} {method} {path} answered {status}, not documented"]
        if not response.get("content"):
            return [] if not content else [f"{self.system} {method} {path} answered {status} with an undocumented body"]
        media = (content_type or "").split(";")[0].strip()
        schema = response["content"].get(media, {}).get("schema") if media else None
        if media not in response["content"]:
            return [f"{self.system} {method} {path} answered {status} as {media!r}, not documented"]
        try:
            body = json.loads(content)
        except ValueError:
            return [f"{self.system} {method} {path} answered {status} with a body that is not JSON"]
        return [
            f"{self.system} response {method} {path} {status}: {e}"
            for e in (_errors(Draft4ResponseValidator, schema, body) if schema else [])
        ]


def _typed(value: str, parameter: dict[str, Any]) -> str | int | float | bool:
    kind = parameter.get("schema", {}).get("type")
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    try:
        return int(value) if kind == "integer" else float(value) if kind == "number" else value
    except ValueError:
        return value


def _errors(validator_cls: type[Validator], schema: dict[str, Any], instance: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in validator_cls(schema).iter_errors(instance)
    ]
