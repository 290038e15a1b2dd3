"""The console's two clients: the gateway's /api/v1 (every advisor action, with the signed-in token and sandbox)
and Meta's simulator (the customer view only). Both through one `requests.Session` the app was given: in
`make run` it carries in-process adapters (transport/), so the server never waits on a socket to itself."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import requests

from claro_backoffice.transport import wire


class ApiError(Exception):
    """A call that did not succeed, told in the words a person can act on (the problem's `detail`)."""

    def __init__(self, status: int, detail: str, kind: str = "", system: str = "") -> None:
        super().__init__(detail)
        self.status, self.detail, self.kind, self.system = status, detail, kind, system


def _answer(status: int, content: bytes, system: str) -> Any:
    if status < 400:
        return json.loads(content) if content else None
    try:
        body = json.loads(content)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail") or body.get("title") or (body.get("error") or {}).get("message")
    kind = str(body.get("type") or "").rsplit("/", 1)[-1]
    failing = str(body.get("system") or "")  # the back-office system the gateway names, when one failed or refused
    raise ApiError(status, detail or f"{system} respondió {status}", kind, failing)


def _send(http: requests.Session, method: str, url: str, system: str, timeout: float, **kwargs: Any) -> Any:
    """kwargs: requests' params, json, headers. In `make run` the gateway and the simulator are in-process: the
    call goes to them without the session (transport/wire.py)."""
    try:
        transport = wire.direct(http, url)
        if transport is not None:
            answer = wire.answer(http, transport, method, url, timeout=timeout, **kwargs)
            return _answer(answer.status, answer.body, system)
        response = http.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        raise ApiError(504, f"{system} no respondió a tiempo") from None
    except requests.RequestException:
        raise ApiError(503, f"no fue posible conectar con {system}") from None
    return _answer(response.status_code, response.content, system)


@dataclasses.dataclass
class Gateway:
    """The gateway as one signed-in person sees it."""

    http: requests.Session
    base: str
    token: str
    sandbox: str
    timeout: float = 15.0
    case_id: str | None = None  # sent as X-Case-Id: the call lands in that case's timeline

    def _headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "X-Sandbox": self.sandbox}
        if self.case_id:
            headers["X-Case-Id"] = self.case_id
        return headers

    def get(self, path: str, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None}
        return _send(
            self.http, "GET", self.base + path, "el gateway", self.timeout, params=query, headers=self._headers()
        )

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return self.send("POST", path, body, headers)

    def whoami(self) -> dict:
        """GET /me: the token's role, user and pinned sandbox. Without X-Sandbox: a pinned token answers who it is
        whatever sandbox was typed, so the console can say which one it is for."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return _send(self.http, "GET", self.base + "/me", "el gateway", self.timeout, headers=headers)

    def send(
        self, method: str, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        """PUT, DELETE (and POST) with a JSON body when there is one; `headers` adds to the identity's."""
        extra = {"json": body} if body is not None else {}
        sent = self._headers() | (headers or {})
        return _send(self.http, method, self.base + path, "el gateway", self.timeout, headers=sent, **extra)


@dataclasses.dataclass
class Simulator:
    """Meta's WhatsApp simulator, playing the customer (BACKOFFICE_META_URL)."""

    http: requests.Session
    base: str
    sandbox: str
    timeout: float = 15.0

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"X-Sandbox": self.sandbox}
        return _send(
            self.http, method, self.base + path, "el simulador de WhatsApp", self.timeout, headers=headers, **kwargs
        )

    def conversation(self, wa_id: str) -> dict:
        return self._call("GET", f"/simulator/customers/{wa_id}/conversation")

    def customers(self, limit: int = 500) -> dict:
        return self._call("GET", "/simulator/customers", params={"limit": limit})

    def write(self, wa_id: str, body: dict[str, Any]) -> dict:
        return self._call("POST", f"/simulator/customers/{wa_id}/messages", json=body)

    def report(self, wamid: str, status: str) -> dict:
        return self._call("POST", f"/simulator/messages/{wamid}/statuses", json={"status": status})
