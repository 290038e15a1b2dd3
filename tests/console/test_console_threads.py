"""The console serves many advisors' polls at once: each of its views holds a thread while its gateway call runs,
and at a2wsgi's default of 10 threads a class of 60 polling every 2 s queued for them (issue 18: p95 2.2 s). Here 30
polls arrive together and the stand-in gateway answers none until all 30 are inside it: with fewer threads than
that, the ones inside wait for the rest, which never come, and the barrier gives up."""

from __future__ import annotations

import asyncio
import json
import threading

import httpx
import requests

from claro_backoffice.console.app import create_app
from claro_backoffice.console.sessions import COOKIE
from claro_backoffice.console.settings import ConsoleSettings
from claro_backoffice.serve import console_asgi

AT_ONCE = 30


class Gateway(requests.adapters.BaseAdapter):
    """GET /conversations: an empty queue, once AT_ONCE calls are waiting together."""

    def __init__(self) -> None:
        super().__init__()
        self.together = threading.Barrier(AT_ONCE, timeout=60)

    def send(self, request, **kwargs):
        self.together.wait()
        answer = requests.Response()
        answer.status_code, answer.url, answer.request = 200, request.url, request
        body = {"conversations": [], "total": 0, "asOf": "2026-11-04T09:10:00-05:00"}
        answer._content = json.dumps(body).encode()
        answer.headers["Content-Type"] = "application/json"
        return answer

    def close(self) -> None:
        pass


def test_thirty_advisors_polls_are_served_at_once():
    gateway = Gateway()
    http = requests.Session()
    http.mount("http://gateway.test/", gateway)
    console = create_app(ConsoleSettings(gateway_url="http://gateway.test/api/v1"), http)
    cookies = []
    for n in range(AT_ONCE):
        session = console.config["SESSIONS"].new()  # signed in as the console's sign-in leaves it (auth._start)
        session.token, session.sandbox, session.advisor = "dev-asesor", "default", f"asesor.{n}"
        cookies.append(session.id)

    async def poll_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=console_asgi(console))
        async with httpx.AsyncClient(transport=transport, base_url="http://console.test", timeout=120) as client:
            return await asyncio.gather(
                *(client.get("/queue/rows", headers={"Cookie": f"{COOKIE}={c}"}) for c in cookies)
            )

    answers = asyncio.run(poll_all())
    assert not gateway.together.broken, "fewer than 30 polls could wait on the gateway at once"
    assert [a.status_code for a in answers] == [200] * AT_ONCE
