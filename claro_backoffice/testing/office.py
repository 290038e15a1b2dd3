"""What a test does with the back office, the same in-process or against a running server: everything goes over
HTTP with `requests`, to the gateway's API (its `/admin/...` operations for scenarios, faults, the clock and the
journal) and to Meta's simulator (the customer's side of the chat). In-process, `responses` routes both URLs to the
apps of this process (inprocess.py), so a user's own `requests` code reaches the gateway there too."""

from __future__ import annotations

import fnmatch
import os
import uuid
from typing import Any, Protocol

import requests

TIMEOUT = 300  # creating a sandbox copies every system's store: seconds on a busy machine, never minutes


def sandbox_name() -> str:
    """A sandbox name of this test run's own: unique, and naming the pytest-xdist worker (gw0, gw1...) that made
    it, so workers sharing one server never meet."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"pytest-{worker}-{uuid.uuid4().hex[:12]}"[:40]


def _expect(answer: requests.Response, status: int, what: str) -> dict:
    if answer.status_code != status:
        raise AssertionError(
            f"{what}: {answer.request.method} {answer.url} answered {answer.status_code}: {answer.text}"
        )
    return answer.json() if answer.content else {}


def create_sandbox(gateway_url: str, token: str, name: str) -> None:
    answer = requests.post(
        f"{gateway_url}/admin/sandboxes",
        json={"name": name},
        headers={"Authorization": f"Bearer {token}", "X-Sandbox": name},  # a router behind it routes on the header
        timeout=TIMEOUT,
    )
    _expect(answer, 201, f"creating sandbox {name}")


def delete_sandbox(gateway_url: str, token: str, name: str) -> None:
    answer = requests.delete(
        f"{gateway_url}/admin/sandboxes/{name}", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    _expect(answer, 200, f"deleting sandbox {name}")


class GatewaySession(requests.Session):
    """`requests` on the gateway: a path starting with `/` is relative to its base URL (…/api/v1); the token and
    the sandbox go with every request (a request's own `headers=` override them)."""

    def __init__(self, url: str, token: str, sandbox: str) -> None:
        super().__init__()
        self.url = url.rstrip("/")
        self.headers.update({"Authorization": f"Bearer {token}", "X-Sandbox": sandbox})

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kw: Any) -> requests.Response:
        """requests.Session.request's, `args` and `kw` passed through to it."""
        kw.setdefault("timeout", TIMEOUT)
        if isinstance(url, str) and url.startswith("/"):
            url = self.url + url
        return super().request(method, url, *args, **kw)


class Customer:
    """A customer's phone on Meta's simulator: what they write reaches the gateway as a signed webhook."""

    def __init__(self, meta_url: str, sandbox: str, wa_id: str) -> None:
        self.wa_id = wa_id
        self._url = f"{meta_url.rstrip('/')}/simulator/customers/{wa_id}"
        self._headers = {"X-Sandbox": sandbox}

    def say(self, text: str) -> dict:
        """Writes `text`; the simulator's answer once the gateway took the webhook (200), else an AssertionError."""
        answer = requests.post(f"{self._url}/messages", json={"text": text}, headers=self._headers, timeout=TIMEOUT)
        sent = _expect(answer, 201, f"customer {self.wa_id} writing {text!r}")
        if sent["delivery"]["status_code"] != 200:
            raise AssertionError(f"the gateway did not take customer {self.wa_id}'s message: {sent['delivery']}")
        return sent

    def conversation(self) -> list[dict]:
        """Every message of the chat, oldest first, as the simulator keeps them."""
        answer = requests.get(f"{self._url}/conversation", headers=self._headers, timeout=TIMEOUT)
        return _expect(answer, 200, f"customer {self.wa_id}'s conversation")["messages"]

    def received(self) -> list[str]:
        """What the customer was sent, oldest first: texts, a template by its name."""
        return [
            m.get("text")
            or (m.get("content") or {}).get("text", {}).get("body")
            or m.get("template_name")
            or str(m.get("content"))
            for m in self.conversation()
            if m["direction"] == "outbound"
        ]


class LoadScenario(Protocol):
    """What the `backoffice_scenario` fixture gives: `Backoffice.scenario`."""

    def __call__(self, name: str, reset: bool = False) -> dict: ...


class Backoffice:
    """The back office as one test sees it: its sandbox, the gateway (`gateway`, a requests session), scenarios,
    customers, faults, the virtual clock and the journal of what each system was asked."""

    def __init__(self, url: str, meta_url: str, sandbox: str, token: str) -> None:
        self.url, self.meta_url, self.sandbox, self.token = url.rstrip("/"), meta_url, sandbox, token
        self.gateway = GatewaySession(self.url, token, sandbox)

    def close(self) -> None:
        self.gateway.close()

    def _admin(self, method: str, path: str, status: int, what: str, **kw: Any) -> dict:  # kw: requests' keywords
        return _expect(self.gateway.request(method, f"/admin{path}", **kw), status, what)

    # ---- situations ---------------------------------------------------------------------------------------------
    def scenario(self, name: str, reset: bool = False) -> dict:
        """Loads scenario `name` into the sandbox; its facts: the customer's `waId`, document, accounts and lines,
        the chat script and the expected handling (`reset`: the sandbox restored first)."""
        return self._admin("POST", f"/scenarios/{name}", 200, f"loading scenario {name}", json={"reset": reset})

    def customer(self, who: str | dict) -> Customer:
        """The phone of a WhatsApp id ("573012517194"), or of a loaded scenario's customer (its facts)."""
        wa_id = who["customer"]["phone"]["waId"] if isinstance(who, dict) else who
        return Customer(self.meta_url, self.sandbox, wa_id)

    # ---- faults and the clock -----------------------------------------------------------------------------------
    def fault(self, system: str, kind: str, **rule: object) -> dict:
        """A fault rule in `system` (kind: delay, error, malformed, drop, timeout; `rule` as the gateway's
        POST /admin/faults takes it: path, method, status, delayMs, count, probability, seed)."""
        body = {"system": system, "kind": kind, **rule}
        return self._admin("POST", "/faults", 201, f"adding a {kind} fault to {system}", json=body)

    def clear_faults(self, system: str | None = None) -> None:
        self._admin("DELETE", "/faults", 200, "clearing faults", params={"system": system} if system else None)

    def clock(self) -> dict:
        """Each system's virtual clock in the sandbox (`clocks`: system, now, frozen)."""
        return self._admin("GET", "/clock", 200, "reading the clock")

    def advance_clock(self, duration: str) -> dict:
        """Every system's clock moved by an ISO 8601 duration ("P1D", "PT90M")."""
        return self._admin("POST", "/clock", 200, f"advancing the clock {duration}", json={"advance": duration})

    def set_clock(self, moment: str, frozen: bool = False) -> dict:
        """Every system's clock set to an RFC 3339 moment with its offset ("2026-12-24T18:00:00-05:00")."""
        body = {"set": moment, "frozen": frozen}
        return self._admin("POST", "/clock", 200, f"setting the clock to {moment}", json=body)

    # ---- the journal --------------------------------------------------------------------------------------------
    def journal(self, system: str | None = None, method: str | None = None, limit: int = 1000) -> list[dict]:
        """What the systems were asked in the sandbox, oldest first (the gateway's /admin/journal entries)."""
        params = {k: v for k, v in {"system": system, "method": method, "limit": limit}.items() if v}
        return self._admin("GET", "/journal", 200, "reading the journal", params=params)["entries"][::-1]

    def calls(self, system: str, method: str, path: str = "*") -> list[dict]:
        """The journal entries of `system` for `method` whose path matches the glob `path` (`*` spans `/`)."""
        return [e for e in self.journal(system, method.upper()) if fnmatch.fnmatchcase(e["path"], path)]

    def assert_called(self, system: str, method: str, path: str = "*", times: int | None = None) -> list[dict]:
        """Fails, listing what `system` was asked, unless it was asked `method path` (`times` times, if given)."""
        found = self.calls(system, method, path)
        if (times is None and not found) or (times is not None and len(found) != times):
            expected = f"{times} time(s)" if times is not None else "at least once"
            raise AssertionError(
                f"{system} was asked {method.upper()} {path} {len(found)} time(s) in sandbox {self.sandbox}, "
                f"expected {expected}; {self._listing(system)}"
            )
        return found

    def assert_not_called(self, system: str, method: str, path: str = "*") -> None:
        found = self.calls(system, method, path)
        if found:
            raise AssertionError(
                f"{system} was asked {method.upper()} {path} {len(found)} time(s) in sandbox {self.sandbox}, "
                f"expected never; {self._listing(system)}"
            )

    def _listing(self, system: str) -> str:
        entries = self.journal(system)
        if not entries:
            return f"{system} was asked nothing"
        lines = [
            f"  {e['method']} {e['path']}{'?' + e['query'] if e['query'] else ''} -> {e['status']}" for e in entries
        ]
        return f"what {system} was asked, oldest first:\n" + "\n".join(lines)
