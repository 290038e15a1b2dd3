"""Real advisors for tests: Almabi's agents as the gateway lists them (GET /workforce/agents), never a login
written into a test (the generated world may change). Works with a `GatewayClient` (tests/support/backoffice.py)
and with a flow `Driver` (tests/flow/driver.py), whose token must be a supervisor's or above (dev-admin is)."""

from __future__ import annotations


def agents(client, sandbox: str | None = None, **filters: str) -> list[dict]:
    """Almabi's agents of the sandbox matching `filters` (role, status, team), in Almabi's order."""
    if hasattr(client, "ok"):  # a flow Driver: bound to its own sandbox
        return client.ok("GET", "/workforce/agents", params=filters)
    answer = client.get("/workforce/agents", params=filters, sandbox=sandbox)
    assert answer.status_code == 200, answer.text
    return answer.json()


def active_asesor(client, index: int = 0, sandbox: str | None = None) -> dict:
    """The index-th active asesor of the sandbox (who may take a conversation): username, firstName, fullName..."""
    found = agents(client, sandbox, role="asesor", status="active")
    assert len(found) > index, f"the world has {len(found)} active asesores, the test needs {index + 1}"
    return found[index]


def active_leader(client, role: str = "supervisor", index: int = 0, sandbox: str | None = None) -> dict:
    """The index-th active agent of a leading role (supervisor, coordinador, gerente): who may decide an adjustment."""
    found = agents(client, sandbox, role=role, status="active")
    assert len(found) > index, f"the world has {len(found)} active {role}s, the test needs {index + 1}"
    return found[index]
