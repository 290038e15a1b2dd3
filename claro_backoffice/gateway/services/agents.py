"""Who may act: the Almabi agents behind advisors' logins and behind issued tokens.

- Taking a conversation needs an active asesor (not a leader, not on leave, not exited): 422 otherwise, saying
  which. The customer is greeted with the agent's first name, never the login.
- Deciding an adjustment needs an active leader (supervisor, coordinador or gerente): checked when the body names
  them (a token without a user, or an admin's); a token's own user was checked when it was issued.
- An issued token for an Almabi role (asesor, supervisor, coordinador, gerente) names an agent of that role in
  the sandbox it is issued for, not exited (one on leave may sign in; taking a conversation still refuses them).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import RuleBroken

ALMABI_ROLES = ("asesor", "supervisor", "coordinador", "gerente")
LEADERS = ("supervisor", "coordinador", "gerente")


def a(role: str) -> str:
    """'an asesor', 'a supervisor'."""
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def _agent(backoffice: Backoffice, ctx: CallContext, login: str) -> dict:
    agent = backoffice.almabi.agent_by_username(ctx, login)
    if agent is None:
        raise RuleBroken(
            f"'{login}' is not an agent in Almabi (sandbox '{ctx.sandbox}'); GET /workforce/agents lists them",
            "unknown-agent",
            user=login,
        )
    return agent


def active_asesor(backoffice: Backoffice, ctx: CallContext, login: str) -> dict:
    """The Almabi record of the asesor `login`, who may take a conversation now (RuleBroken otherwise)."""
    agent = _agent(backoffice, ctx, login)
    if agent["role"] != "asesor":
        raise RuleBroken(
            f"'{login}' is {a(agent['role'])} in Almabi: only an asesor takes a conversation", "not-an-asesor"
        )
    if agent["status"] == "exited":
        raise RuleBroken(f"'{login}' left the operation on {agent['exitDate']}", "advisor-not-active")
    if agent["status"] != "active":
        leave = agent.get("leave") or {}
        why = f"on {leave['reason']} until {leave['until']}" if leave.get("until") else "not active yet"
        raise RuleBroken(
            f"'{login}' is inactive in Almabi ({why}): they can't take a conversation", "advisor-not-active"
        )
    return agent


def active_leader(backoffice: Backoffice, ctx: CallContext, login: str, what: str) -> dict:
    """The Almabi record of `login`, an active supervisor, coordinador or gerente who may `what` now."""
    agent = _agent(backoffice, ctx, login)
    if agent["role"] not in LEADERS:
        raise RuleBroken(
            f"'{login}' is {a(agent['role'])} in Almabi: only a supervisor, coordinador or gerente may {what}",
            "not-a-leader",
        )
    if agent["status"] == "exited":
        raise RuleBroken(f"'{login}' left the operation on {agent['exitDate']}", "leader-not-active")
    if agent["status"] != "active":
        leave = agent.get("leave") or {}
        why = f"on {leave['reason']} until {leave['until']}" if leave.get("until") else "not active yet"
        raise RuleBroken(f"'{login}' is inactive in Almabi ({why}): they can't {what}", "leader-not-active")
    return agent


def token_agent(backoffice: Backoffice, ctx: CallContext, role: str, login: str) -> dict:
    """The Almabi agent a token of an Almabi role is issued to: that role, not exited (RuleBroken otherwise)."""
    agent = _agent(backoffice, ctx, login)
    if agent["role"] != role:
        raise RuleBroken(f"'{login}' is {a(agent['role'])} in Almabi, not {a(role)}", "token-role-mismatch")
    if agent["status"] == "exited":
        raise RuleBroken(f"'{login}' left the operation on {agent['exitDate']}", "agent-exited")
    return agent
