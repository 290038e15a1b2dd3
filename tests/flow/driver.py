"""One way for a flow to reach the system, in-process or over real HTTP, so the same flow functions run in both.

A `Driver` is bound to a sandbox and speaks three surfaces: the gateway (`gw`, with a bearer token; camelCase),
a mock (`mock`, read-back of a system's own state; snake_case) and Meta's simulator (`say` / `received`, the
customer's side of the chat). Both transports answer objects with `status_code`, `json()` and `text`.
"""

from __future__ import annotations

import abc

import requests


class Driver(abc.ABC):
    def __init__(self, sandbox: str = "default", token: str = "dev-admin"):
        self.sandbox, self.token = sandbox, token

    # ---- what a transport provides ----------------------------------------------------------------------------
    @abc.abstractmethod
    def _gateway(self, method: str, path: str, headers: dict, **kw):
        """Each transport (InProcess, OverHttp) gives its own."""

    @abc.abstractmethod
    def _mock(self, system: str, method: str, path: str, headers: dict, **kw):
        """Each transport (InProcess, OverHttp) gives its own."""

    @abc.abstractmethod
    def in_sandbox(self, sandbox: str) -> Driver:
        """Each transport (InProcess, OverHttp) gives its own."""

    # ---- the surfaces -------------------------------------------------------------------------------------------
    def gw(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        case: str | None = None,
        headers: dict | None = None,
        **kw,
    ):
        merged = {"Authorization": f"Bearer {token or self.token}", "X-Sandbox": self.sandbox}
        merged |= ({"X-Case-Id": case} if case else {}) | (headers or {})
        return self._gateway(method, path, merged, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw) -> dict:
        """A gateway call that must answer `status`; its JSON."""
        answer = self.gw(method, path, **kw)
        assert answer.status_code == status, f"{method} {path} -> {answer.status_code}: {answer.text}"
        return answer.json()

    def mock(self, system: str, path: str, method: str = "GET", status: int = 200, **kw) -> dict:
        answer = self._mock(system, method, path, {"X-Sandbox": self.sandbox}, **kw)
        assert answer.status_code == status, f"{system} {method} {path} -> {answer.status_code}: {answer.text}"
        return answer.json()

    def say(self, wa_id: str, text: str) -> dict:
        """The customer writes through Meta's simulator; the signed webhook must have been taken (200)."""
        sent = self.mock("meta", f"/simulator/customers/{wa_id}/messages", "POST", 201, json={"text": text})
        assert sent["delivery"]["status_code"] == 200, sent["delivery"]
        return sent

    def received(self, wa_id: str) -> list[str]:
        """What the customer received, oldest first (texts; a template by its name)."""
        messages = self.mock("meta", f"/simulator/customers/{wa_id}/conversation")["messages"]
        return [
            m.get("text")
            or (m.get("content") or {}).get("text", {}).get("body")
            or m.get("template_name")
            or str(m.get("content"))
            for m in messages
            if m["direction"] == "outbound"
        ]


class InProcess(Driver):
    """The gateway's TestClient and the in-process mocks (tests/support/backoffice.py `gateway_client`)."""

    def __init__(self, gateway_client, sandbox: str = "default", token: str = "dev-admin"):
        super().__init__(sandbox, token)
        self.client = gateway_client

    def in_sandbox(self, sandbox: str) -> InProcess:
        return InProcess(self.client, sandbox, self.token)

    def _gateway(self, method, path, headers, **kw):
        return self.client.request(method, path, token=None, headers=headers, **kw)

    def _mock(self, system, method, path, headers, **kw):
        return self.client.backoffice.client(system).request(method, path, headers=headers, **kw)


class OverHttp(Driver):
    """A running `python -m claro_backoffice.serve`: the gateway under /api/v1, each mock under /mocks/<system>."""

    def __init__(
        self, base: str, sandbox: str = "default", token: str = "dev-admin", session: requests.Session | None = None
    ):
        super().__init__(sandbox, token)
        self.base, self.session = base.rstrip("/"), session or requests.Session()

    def in_sandbox(self, sandbox: str) -> OverHttp:
        return OverHttp(self.base, sandbox, self.token, self.session)

    def _gateway(self, method, path, headers, **kw):
        return self.session.request(method, f"{self.base}/api/v1{path}", headers=headers, timeout=60, **kw)

    def _mock(self, system, method, path, headers, **kw):
        return self.session.request(method, f"{self.base}/mocks/{system}{path}", headers=headers, timeout=60, **kw)
