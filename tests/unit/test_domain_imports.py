"""The domain (gateway/cases, gateway/services) raises domain errors and knows nothing of the web framework: no
module there imports connexion or flask, or builds HTTP problems with gateway.errors.problem. And it is handed the
pieces it uses, never the whole GatewayRuntime."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = [ROOT / "claro_backoffice" / "gateway" / "cases", ROOT / "claro_backoffice" / "gateway" / "services"]
FRAMEWORKS = ("connexion", "flask")


def forbidden_imports(source: str) -> list[str]:
    """The imports in `source` that tie it to HTTP: connexion, flask (and their submodules), errors.problem."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in FRAMEWORKS]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FRAMEWORKS:
                found.append(node.module)
            elif node.module == "claro_backoffice.gateway.errors":
                found += [f"claro_backoffice.gateway.errors.{a.name}" for a in node.names if a.name in ("problem", "*")]
            elif node.module == "claro_backoffice.gateway":
                found += [f"claro_backoffice.gateway.{a.name}" for a in node.names if a.name == "errors"]
    return found


def test_the_check_sees_each_kind_of_import():
    assert forbidden_imports("import flask\nimport connexion.exceptions") == ["flask", "connexion.exceptions"]
    assert forbidden_imports("from connexion.exceptions import ProblemException") == ["connexion.exceptions"]
    assert forbidden_imports("def f():\n    from claro_backoffice.gateway.errors import DownstreamError, problem") == [
        "claro_backoffice.gateway.errors.problem"
    ]
    assert forbidden_imports("from claro_backoffice.gateway import errors") == ["claro_backoffice.gateway.errors"]
    assert forbidden_imports("from claro_backoffice.gateway.errors import DownstreamError\nimport flaskish") == []


def test_domain_modules_import_no_web_framework():
    offenders = {}
    for folder in DOMAIN:
        for path in sorted(folder.rglob("*.py")):
            found = forbidden_imports(path.read_text(encoding="utf-8"))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def runtime_parameters(source: str) -> list[str]:
    """Functions in `source` that take the whole gateway runtime (a parameter named runtime or rt), and imports
    of gateway.runtime: the domain gets the pieces it uses (the CRM store, the clocks, the back office, ...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
            found += [f"{node.name}({name})" for name in names if name in ("runtime", "rt")]
        elif isinstance(node, ast.ImportFrom) and node.module == "claro_backoffice.gateway.runtime":
            found.append("claro_backoffice.gateway.runtime")
    return found


def test_the_runtime_check_sees_a_parameter_and_an_import():
    assert runtime_parameters("class C:\n    def __init__(self, runtime, ctx): ...") == ["__init__(runtime)"]
    assert runtime_parameters("def f(*, rt): ...\nfrom claro_backoffice.gateway.runtime import runtime") == [
        "f(rt)",
        "claro_backoffice.gateway.runtime",
    ]
    assert runtime_parameters("def f(crm, clocks, runtimes): ...") == []


def test_domain_code_gets_what_it_uses_not_the_whole_runtime():
    offenders = {}
    for folder in DOMAIN:
        for path in sorted(folder.rglob("*.py")):
            found = runtime_parameters(path.read_text(encoding="utf-8"))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
