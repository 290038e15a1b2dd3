"""The scenario format (scenarios/scenario.schema.json, JSON Schema 2020-12) and its checks beyond the schema, for
the repository's files and for the documents trainers post. A problem names where it is: in a YAML file, the file
and the line (from the YAML node marks); in a posted document, the path inside it (`practice.rules[3].say`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.practice.rules import PLACEHOLDERS

SCHEMA_FILE = "scenario.schema.json"
_PLACEHOLDER = re.compile(r"\{([A-Za-z]+)\}")


class ScenarioInvalid(ValueError):
    """A scenario that can't be used; `problems` are sentences that each say where and what."""

    def __init__(self, origin: str, problems: list[str]):
        super().__init__(f"scenario {origin} is not usable: {'; '.join(problems)}")
        self.origin, self.problems = origin, problems


def schema(directory: Path) -> dict:
    """The schema shipped beside the repository's scenarios (read at each use, as the scenarios are)."""
    return json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))


def parse_file(path: Path, schema_doc: dict, stem: str | None = None) -> dict:
    """A scenario file read and checked; ScenarioInvalid names the file and each problem's line."""
    text = path.read_text(encoding="utf-8")
    try:
        document = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}, line {mark.line + 1}" if mark is not None else path.name
        raise ScenarioInvalid(path.name, [f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
    found = problems(document, schema_doc, stem)
    if found:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # the node marks, only to say where (the slow parser)
        raise ScenarioInvalid(path.name, [f"{path.name}, line {_line(root, p)}: {m}" for p, m in found])
    return document


def check_document(document: Any, schema_doc: dict, origin: str = "document") -> dict:
    """A posted document checked the same way; ScenarioInvalid names each problem's path in the document."""
    found = problems(document, schema_doc)
    if found:
        raise ScenarioInvalid(origin, [m for _, m in found])
    return document


def problems(document: Any, schema_doc: dict, stem: str | None = None) -> list[tuple[list, str]]:
    """(path inside the document, what is wrong) for each problem, the schema's first, in document order."""
    validator = jsonschema.Draft202012Validator(schema_doc, format_checker=jsonschema.FormatChecker())
    found = [_located(e) for e in validator.iter_errors(document)]
    if found:
        return sorted(found, key=lambda p: [str(k) for k in p[0]])
    if stem is not None and document["name"] != stem:
        found.append((["name"], f"must be the file's name ({stem!r}), not {document['name']!r}"))
    practice = document.get("practice")
    if practice:
        found += _practice_problems(practice, document["customer"])
    return [(path, f"{_dotted(path)}: {message}") for path, message in found]


def _practice_problems(practice: dict, customer: dict) -> list[tuple[list, str]]:
    found: list[tuple[list, str]] = []
    ids: set[str] = set()
    for i, rule in enumerate(practice["rules"]):
        if rule["id"] in ids:
            found.append((["practice", "rules", i, "id"], f"rule id {rule['id']!r} is used twice"))
        for before in rule.get("after", []):
            if before not in ids:
                found.append(
                    (["practice", "rules", i, "after"], f"'after' names {before!r}, which is not a rule above this one")
                )
        ids.add(rule["id"])
        if rule["when"].get("system") and rule["when"].get("did") != "call":
            found.append((["practice", "rules", i, "when", "system"], "'system' goes with did: call"))
    for path, text in _texts(practice, ["practice"]):
        used = set(_PLACEHOLDER.findall(text))
        unknown = sorted(p for p in used if p not in PLACEHOLDERS)
        if unknown:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            found.append((path, f"unknown placeholder {', '.join('{' + u + '}' for u in unknown)}; known: {known}"))
        for optional in sorted(used & {"accountId", "msisdn", "name"}):
            if not customer.get(optional):
                found.append((path, f"says {{{optional}}} but the customer has no {optional}"))
    return found


def _texts(node: Any, path: list) -> Iterable[tuple[list, str]]:
    """Every line the customer may say (opening, each rule's say, otherwise), with its path."""
    for key in ("opening", "otherwise", "say"):
        value = node.get(key) if isinstance(node, dict) else None
        for i, text in enumerate([value] if isinstance(value, str) else value or []):
            yield (path + [key] + ([] if isinstance(value, str) else [i]), text)
    if isinstance(node, dict):
        for i, rule in enumerate(node.get("rules") or []):
            yield from _texts(rule, path + ["rules", i])


def _located(error: ValidationError) -> tuple[list, str]:
    """Where and what, from the most relevant branch of a oneOf; the message starts with the path."""
    if error.context:  # a oneOf: the branch the document meant is the one with all its required keys, fewest errors
        branches: dict[object, list[ValidationError]] = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        meant = min(branches.values(), key=lambda errs: (any(e.validator == "required" for e in errs), len(errs)))
        error = best_match(meant) or error
    path = list(error.absolute_path)
    where = _dotted(path)
    return path, (f"{where}: {error.message}" if where else error.message)


def _dotted(path: list) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _line(root: yaml.Node | None, path: list) -> int:
    """The 1-based line of the node at `path` (the deepest one that exists)."""
    node = root
    line = (node.start_mark.line + 1) if node is not None else 1
    for key in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == key), None)
            if child is None:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
