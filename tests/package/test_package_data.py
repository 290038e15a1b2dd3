"""Nothing in the package finds its files from where its modules lie (`__file__`, `Path(...).parents`): the specs,
scenarios, world data and schemas are package data, found with importlib.resources (core/package_data.py), so an
installed wheel needs no checkout (issue 17)."""

from __future__ import annotations

import ast
from pathlib import Path

from claro_backoffice.core import package_data

PACKAGE = Path(__file__).resolve().parents[2] / "claro_backoffice"


def test_no_module_of_the_package_looks_at_its_own_file():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "__file__":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_data_is_found_as_files_inside_the_imported_package():
    import claro_backoffice

    root = Path(claro_backoffice.__file__).parent
    assert package_data.path() == root
    assert package_data.path("openapi", "gateway.yaml").read_text(encoding="utf-8").startswith("openapi: 3")
    assert package_data.path("scenarios", "scenario.schema.json").is_file()
