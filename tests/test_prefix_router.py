"""The composition root's dispatch (claro_backoffice/prefix_router.py) answers what Starlette's Mount list answered:
each app under its prefix with `root_path` extended and `path` whole, the bare prefix redirected to its slash, `/`
the index, anything else a plain-text 404, a control character a 400 problem before any app sees it."""

from __future__ import annotations

import pytest
from starlette.responses import JSONResponse
from starlette.routing import Route

from claro_backoffice.core.path_guard import PathGuardMiddleware
from claro_backoffice.prefix_router import PrefixRouter
from claro_backoffice.testing.inprocess_client import in_process_client


def _echo(name: str):
    async def app(scope, receive, send):
        body = {"app": name, "path": scope["path"], "root_path": scope["root_path"]}
        await JSONResponse(body)(scope, receive, send)

    return app


async def _index(_request):
    return JSONResponse({"index": True})


@pytest.fixture
def client():
    mounts = {"/api/v1": _echo("gateway"), "/console": _echo("console"), "/mocks/rr": _echo("rr")}
    mounts["/mocks/ac"] = _echo("ac")
    router = PrefixRouter(mounts, index=Route("/", _index), outer=PathGuardMiddleware)
    with in_process_client(router) as http:
        yield http


@pytest.mark.parametrize(
    ("path", "app", "root_path"),
    [
        ("/mocks/rr/accounts/123", "rr", "/mocks/rr"),
        ("/mocks/rr/", "rr", "/mocks/rr"),
        ("/mocks/ac/customers", "ac", "/mocks/ac"),
        ("/api/v1/customers", "gateway", "/api/v1"),
        ("/console/customer/", "console", "/console"),
    ],
)
def test_each_prefix_reaches_its_app_with_root_path_extended(client, path, app, root_path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.json() == {"app": app, "path": path, "root_path": root_path}


def test_a_bare_prefix_is_redirected_to_its_slash(client):
    for prefix in ("/mocks/rr", "/api/v1", "/console"):
        answer = client.get(prefix + "?a=1", follow_redirects=False)
        assert answer.status_code == 307
        assert answer.headers["location"] == f"http://testserver{prefix}/?a=1"


def test_the_index_and_its_methods(client):
    assert client.get("/").json() == {"index": True}
    refused = client.post("/")
    assert refused.status_code == 405 and set(refused.headers["allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize("path", ["/nope", "/mocks", "/mocks/", "/mocks/rrx/accounts", "/mocks/zz/x", "/api/v2/x"])
def test_anything_else_is_a_plain_404(client, path):
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/plain") and answer.text == "Not Found"


def test_a_control_character_is_a_400_problem_before_any_app(client):
    answer = client.get("/mocks/rr/accounts/%0A")
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
