"""The console behind the router (issue 17): a formador signs in for a class whose group hashes to a replica that
does not own `default`, and a trainee with their card's token; each browser starts on `default`'s replica (no
cookie yet), is handed over to the class's replica (the `claro_sandbox` cookie and the same sign-in posted again
with a signed ticket in place of the CSRF token), and stays there. The formador's session, created through the
console's form, puts the class's sandboxes on that replica; the trainee's queue shows their customer's
conversation; every request routed by the class reached that one replica (nginx's access log).

Like test_routing.py, the class is chosen by asking the router which replica answers it (the ports are random)."""

from __future__ import annotations

import html
import re

import pytest
import requests

from tests.flow.flows import START
from tests.scaleout.cluster import ADMIN, REPLICAS, answering_replica, own_sandboxes

pytestmark = pytest.mark.scaleout

SCENARIO = "digital-invoice-request"
TRAINEES = ("ana", "beto")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _csrf(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def _handed_over(browser: requests.Session, base: str, first: requests.Response, target: str) -> requests.Response:
    """The handoff page's form posted as a browser without script would (its «Continuar» button)."""
    page = first.text
    assert first.status_code == 200 and 'data-testid="handoff-form"' in page, page[:1500]
    assert "Continuar" in page and f"<strong>{target}</strong>" in page
    assert browser.cookies.get("claro_sandbox") == target
    [action] = re.findall(r'<form method="post" action="([^"]+)" data-handoff', page)
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page)}
    assert "csrf_token" not in fields and fields["handoff"]
    return browser.post(base + action, data=fields, timeout=120)


def _api(base: str, method: str, path: str, sandbox: str, **kw) -> dict:
    answer = requests.request(method, f"{base}/api/v1{path}", headers=ADMIN | {"X-Sandbox": sandbox}, timeout=120, **kw)
    assert answer.status_code == 200, f"{method} {path} -> {answer.status_code}: {answer.text}"
    return answer.json()


def _class_on_another_replica(router, default_owner: str) -> tuple[str, str]:
    for n in range(1, 61):
        where = answering_replica(router, f"clase-{n}")
        if where != default_owner:
            return f"clase-{n}", where
    raise AssertionError(f"every one of 60 class names lands on {default_owner}, the owner of default")


def test_a_class_is_trained_on_its_replica_through_the_router(cluster):
    router, base = cluster.router, cluster.router.base
    default_owner = answering_replica(router, None)
    klass, owner = _class_on_another_replica(router, default_owner)

    # The formador: signs in for the class on `default`'s replica, is handed over to the class's.
    formador = requests.Session()
    form = {"token": "dev-formador", "advisor": "", "sandbox": "", "clase": klass}
    first = formador.post(
        f"{base}/console/signin", data=form | {"csrf_token": _csrf(formador.get(f"{base}/console/signin"))}, timeout=120
    )
    landed = _handed_over(formador, base, first, klass)
    assert landed.status_code == 200 and landed.url == f"{base}/console/formacion/", landed.text[:1500]
    assert f'data-testid="signed-in-class">{klass}</strong>' in landed.text

    # The session, through the console's form (the class is filled in), then started.
    blank = formador.get(f"{base}/console/formacion/sesiones/nueva", timeout=120)
    assert f'name="class" value="{klass}"' in blank.text
    body = {"class": klass, "trainees": "\n".join(TRAINEES), "scenarios": SCENARIO, "minutes": "30"}
    created = formador.post(
        f"{base}/console/formacion/sesiones/nueva", data=body | {"csrf_token": _csrf(blank)}, timeout=300
    )
    assert created.status_code == 201, created.text[:2000]
    cards = html.unescape(created.text)
    tokens = re.findall(r'data-testid="training-card-token">([^<]+)<', cards)
    sandboxes = re.findall(r'data-testid="training-card-sandbox">([^<]+)<', cards)
    assert sandboxes == [f"{klass}--{t}-1" for t in TRAINEES] and len(tokens) == 2
    [session_id] = re.findall(r"Sesión (TRS-[0-9]{6}) creada", cards)
    for sandbox in sandboxes:  # virtual time moves only when the test moves it (through the router too)
        _api(base, "POST", "/admin/clock", sandbox, json={"set": START, "frozen": True})
    shown = formador.get(f"{base}/console/formacion/sesiones/{session_id}", timeout=120)
    started = formador.post(
        f"{base}/console/formacion/sesiones/{session_id}/iniciar",
        data={"csrf_token": _csrf(shown), "confirm": "si"},
        timeout=300,
    )
    assert started.status_code == 200 and f"Sesión {session_id} iniciada" in started.text, started.text[:1500]
    # The class's sandboxes live on its replica, and only there.
    own = {rid: own_sandboxes(url) for rid, url in cluster.urls.items()}
    assert {s: [r for r in REPLICAS if s in own[r]] for s in sandboxes} == {s: [owner] for s in sandboxes}

    # Another class from this console session: refused, saying to sign in for it.
    other = formador.post(
        f"{base}/console/formacion/sesiones/nueva",
        data=body | {"class": f"{klass}-b", "csrf_token": _csrf(blank)},
        timeout=120,
    )
    assert other.status_code == 422
    assert f"Ingresaste para la clase «{klass}» y esta sesión es de «{klass}-b»" in html.unescape(other.text)

    # ana's customer writes, accepts, asks for an advisor (as virtual time passes: tests/training/trainee.py).
    for _ in range(2):
        _api(base, "POST", "/admin/clock", sandboxes[0], json={"advance": "PT10S"})
        _api(base, "GET", "/conversations", sandboxes[0])

    # A trainee with ana's card: the token only, from a browser that has never been here (`default`'s replica).
    trainee = requests.Session()
    card = {"token": tokens[0], "advisor": "", "sandbox": "", "clase": ""}
    first = trainee.post(
        f"{base}/console/signin", data=card | {"csrf_token": _csrf(trainee.get(f"{base}/console/signin"))}, timeout=120
    )
    queue = _handed_over(trainee, base, first, sandboxes[0])
    assert queue.status_code == 200 and queue.url == f"{base}/console/queue", queue.text[:1500]
    assert f"sandbox <strong>{sandboxes[0]}</strong>" in queue.text
    waiting = _api(base, "GET", "/conversations", sandboxes[0], params={"status": "queued"})["conversations"]
    assert len(waiting) == 1  # the scenario's customer, writing since the session started
    rows = re.findall(r'data-testid="queue-row" data-conversation-id="([^"]+)"', queue.text)
    assert rows == [waiting[0]["id"]]

    # The ticket served once: posting the same handoff again is refused like a missing CSRF token.
    replayed = _handed_over(trainee, base, first, sandboxes[0])
    assert replayed.status_code == 403

    # Every request the router sent by this class (its name, or a sandbox of its group) went to its replica; the
    # two first sign-ins (no cookie yet) went to `default`'s, which answered with the handoff.
    router.stop()
    address = {rid: url.removeprefix("http://") for rid, url in cluster.urls.items()}
    routed = router.routed()
    by_class = [(upstream, request) for sandbox, upstream, _, request in routed if sandbox.split("--")[0] == klass]
    assert {upstream for upstream, _ in by_class} == {address[owner]}
    requests_seen = {request for _, request in by_class}
    assert {
        "POST /console/signin",
        "POST /console/formacion/sesiones/nueva",
        f"POST /console/formacion/sesiones/{session_id}/iniciar",
        "GET /console/queue",
    } <= requests_seen
    first_sign_ins = [(s, u) for s, u, status, r in routed if r == "POST /console/signin" and status == 200]
    assert first_sign_ins[:2] == [("default", address[default_owner])] * 2
