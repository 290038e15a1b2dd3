"""The transport layer uses only public names of its libraries (issue 13): no attribute with a leading underscore
reached on another object (connexion's `FlaskApp._middleware_app`, `asyncio.events._get_running_loop`), and no
import from a library module that is not its documented interface (`a2wsgi.wsgi.build_environ`: a2wsgi exports
only `WSGIMiddleware` and `ASGIMiddleware`; `asyncio.events`: asyncio's public names live in `asyncio`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [
    "claro_backoffice/transport",
    "claro_backoffice/mocks/kit",
    "claro_backoffice/serve.py",
    "claro_backoffice/forked.py",
    "claro_backoffice/gateway/app.py",
    "tests/support/inprocess_client.py",
    "tests/support/backoffice.py",
]
INTERNAL_MODULES = {"a2wsgi.wsgi", "a2wsgi.asgi", "asyncio.events", "asyncio.base_events"}


def _sources():
    for entry in CHECKED:
        path = ROOT / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def _private_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{where} {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and node.module not in (None, "__future__") and node.level == 0:
            names = [alias.name for alias in node.names]
            if (
                node.module in INTERNAL_MODULES
                or any(n.startswith("_") for n in names)
                or any(part.startswith("_") for part in node.module.split("."))
            ):
                found.append(f"{where} from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            found += [f"{where} import {a.name}" for a in node.names if a.name in INTERNAL_MODULES]
    return found


def test_the_transport_layer_uses_only_public_library_names():
    found = [use for path in _sources() for use in _private_uses(path)]
    assert found == []


def test_the_check_sees_what_it_looks_for(tmp_path):
    """The scan itself: each of the three private uses issue 13 removed is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import asyncio\nfrom a2wsgi.wsgi import build_environ\n"
        "def f(app):\n    return app._middleware_app, asyncio.events._get_running_loop()\n"
    )
    found = _private_uses(sample)
    assert [use.split(" ", 1)[1] for use in found] == [
        "from a2wsgi.wsgi import build_environ",
        "app._middleware_app",
        "asyncio.events._get_running_loop",
    ]
