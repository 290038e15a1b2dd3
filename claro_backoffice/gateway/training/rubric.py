"""The training rubric (world/data/rubric.yaml), read and checked against rubric.schema.json: a rubric that breaks
the schema, repeats an item id or names an unknown scenario in a certification is a RubricError naming the problem.
A session keeps a copy of the rubric it was created with (its `version` said in every report): changing this file
changes the sessions created afterwards only."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from claro_backoffice.core import package_data
from claro_backoffice.core.yamlload import safe_load

RUBRIC_PATH = package_data.path("world", "data", "rubric.yaml")
SCHEMA_PATH = package_data.path("gateway", "training", "rubric.schema.json")


class RubricError(ValueError):
    """A rubric that can't be used; the message names what is wrong and where."""


def check(rubric: object, scenario_names: list[str] | None = None) -> dict:
    """The rubric when it is valid (RubricError otherwise); `scenario_names`: the scenarios certifications may name."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(rubric), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(root)"
        raise RubricError(f"rubric {where}: {errors[0].message}")
    assert isinstance(rubric, dict)
    ids = [item["id"] for item in rubric["items"]]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise RubricError(f"rubric items: ids repeated: {', '.join(repeated)}")
    for cert in rubric["certifications"]:
        unknown = [s for s in cert["scenarios"] if scenario_names is not None and s not in scenario_names]
        if unknown:
            raise RubricError(f"rubric certification {cert['id']}: unknown scenarios {', '.join(unknown)}")
    return rubric


def load(path: Path | None = None, scenario_names: list[str] | None = None) -> dict:
    """The rubric at `path`, by default RUBRIC_PATH as it is at the call (a test points it at a modified copy)."""
    return check(safe_load((path or RUBRIC_PATH).read_text(encoding="utf-8")), scenario_names)
