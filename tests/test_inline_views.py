"""In-process requests run their Flask view in the calling thread (transport/inline_views.py, issue 18): no hand-off
to connexion's pool of 10 worker threads, so nested calls (Meta's simulator -> the gateway -> Meta) never wait on
each other's pools, and the view sees exactly what it sees when served over a socket."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import connexion
import flask
import httpx
import pytest
from connexion.exceptions import ProblemException
from connexion.resolver import Resolver

from claro_backoffice.transport import inline_views
from claro_backoffice.transport.inprocess import InProcessCaller, InProcessTimeout


def _spec() -> dict:
    thing = {
        "parameters": [{"name": "thing", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {
            "operationId": "get_thing",
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the thing"}},
        },
        "post": {
            "operationId": "post_thing",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object", "required": ["n"]}}},
            },
            "responses": {"201": {"description": "made"}},
        },
    }
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/things/{thing}": thing}}


def _app(views: dict) -> connexion.FlaskApp:
    """A connexion FlaskApp as the product builds its own: views by operationId, InProcessViews innermost."""
    app = connexion.FlaskApp(__name__, middlewares=inline_views.middlewares(lambda: app.app.wsgi_app))
    unused = flask.Response(status=500)  # an operation a test does not call
    app.add_api(_spec(), resolver=Resolver(function_resolver=lambda op: views.get(op, lambda **_kw: unused)))
    return app


def _over_a_socket(app, method: str, path: str, **kw) -> httpx.Response:
    """The app as uvicorn serves it: an ASGI request without the in-process mark (connexion's worker threads)."""

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.request(method, path, **kw)

    return asyncio.run(send())


def test_an_in_process_view_runs_in_the_calling_thread_and_a_served_one_on_a_worker():
    ran_on = []

    def get_thing(thing, q=None):
        ran_on.append(threading.current_thread())
        return {"thing": thing}

    app = _app({"get_thing": get_thing})
    caller = InProcessCaller(raise_errors=True)
    assert caller.call(app, "GET", "/things/a").status == 200
    assert _over_a_socket(app, "GET", "/things/b").status_code == 200
    here, there = ran_on
    assert here is threading.current_thread()
    assert there is not threading.current_thread() and there.name.startswith("WSGI")  # a2wsgi's pool
    caller.close()


def test_the_view_sees_the_same_request_and_the_client_the_same_answer_both_ways():
    def get_thing(thing, q=None):
        r = flask.request
        body = {"thing": thing, "q": q, "path": r.path, "agent": r.headers.get("X-Agent"), "host": r.host}
        return flask.Response(flask.json.dumps(body), 200, {"Content-Type": "application/json", "X-Seen": "1"})

    def post_thing(thing, body):
        return {"thing": thing, "n": body["n"], "type": flask.request.content_type}, 201

    app = _app({"get_thing": get_thing, "post_thing": post_thing})
    caller = InProcessCaller(raise_errors=True)
    headers = [("x-agent", "asesor"), ("host", "t")]
    got = caller.call(app, "GET", "/things/caf%C3%A9", query="q=s%C3%AD", headers=headers)
    served = _over_a_socket(app, "GET", "/things/caf%C3%A9?q=s%C3%AD", headers={"X-Agent": "asesor"})
    assert got.status == served.status_code == 200
    assert (
        flask.json.loads(got.body)
        == served.json()
        == {
            "thing": "café",
            "q": "sí",
            "path": "/things/café",
            "agent": "asesor",
            "host": "t",
        }
    )
    assert got.header("x-seen") == served.headers["x-seen"] == "1"
    posted = caller.call(app, "POST", "/things/x", headers=[("content-type", "application/json")], body=b'{"n": 3}')
    assert posted.status == 201 and flask.json.loads(posted.body) == {"thing": "x", "n": 3, "type": "application/json"}
    refused = caller.call(app, "POST", "/things/x", headers=[("content-type", "application/json")], body=b"{}")
    assert refused.status == 400 and b"'n' is a required property" in refused.body  # validation still runs first
    caller.close()


def test_a_problem_raised_in_the_view_is_rendered_as_over_a_socket():
    def get_thing(thing, q=None):
        raise ProblemException(status=409, title="Conflict", detail=f"{thing} is taken")

    app = _app({"get_thing": get_thing})
    caller = InProcessCaller(raise_errors=True)
    got = caller.call(app, "GET", "/things/t1")
    served = _over_a_socket(app, "GET", "/things/t1")
    assert got.status == served.status_code == 409
    assert flask.json.loads(got.body)["detail"] == served.json()["detail"] == "t1 is taken"
    caller.close()


def test_nested_calls_through_more_requests_than_a_pool_has_threads_all_answer():
    """Meta's simulator posts each customer message to the gateway, whose view sends Meta a reply: A's view calls
    B and B's view calls A again. With 12 requests to A at once over a socket, A's 10 worker threads are all busy
    waiting on B; B's call back into A used to need one of them, and every request hung until its timeout."""
    caller = InProcessCaller()
    answered = []
    entered, all_in = itertools.count(), threading.Barrier(10, timeout=30)  # a2wsgi's 10 threads, all busy

    def outer(thing, q=None):  # A, served over a socket: on A's worker threads
        if next(entered) < 10:
            all_in.wait()
        inner = caller.call(b, "GET", f"/things/{thing}", timeout=5)
        return {"via": flask.json.loads(inner.body)["via"] + ["a"]}

    def middle(thing, q=None):  # B, called in-process from A's view
        back = caller.call(
            a, "POST", f"/things/{thing}", headers=[("content-type", "application/json")], body=b'{"n": 1}', timeout=5
        )
        return {"via": flask.json.loads(back.body)["via"] + ["b"]}

    def innermost(thing, body):  # A again, from B's view
        answered.append(thing)
        return {"via": ["a"]}, 201

    a = _app({"get_thing": outer, "post_thing": innermost})
    b = _app({"get_thing": middle, "post_thing": innermost})
    caller.warm(a)
    caller.warm(b)

    async def twelve() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t", timeout=60) as client:
            return await asyncio.gather(*(client.get(f"/things/t{n}") for n in range(12)))

    began = time.monotonic()
    answers = asyncio.run(twelve())
    assert [r.status_code for r in answers] == [200] * 12
    assert {tuple(r.json()["via"]) for r in answers} == {("a", "b", "a")}
    assert sorted(answered) == sorted(f"t{n}" for n in range(12))
    assert time.monotonic() - began < 5, "a nested call waited for its timeout"
    caller.close()


def test_a_view_that_answers_after_the_callers_timeout_is_a_timeout_and_still_ran():
    """A view run in the calling thread cannot be abandoned at the deadline: it finishes (what it wrote stays, as a
    server goes on after its client gave up), and the caller is told it timed out, as a socket's client would be."""
    done = []

    def get_thing(thing, q=None):
        time.sleep(0.3)
        done.append(thing)
        return {"thing": thing}

    app = _app({"get_thing": get_thing})
    caller = InProcessCaller(raise_errors=True)
    with pytest.raises(InProcessTimeout):
        caller.call(app, "GET", "/things/slow", timeout=0.1)
    assert done == ["slow"]
    assert caller.call(app, "GET", "/things/fast", timeout=5).status == 200  # within its time: answered
    caller.close()
