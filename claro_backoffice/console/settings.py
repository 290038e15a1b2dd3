"""The console's knobs, read from the environment once, in create_app (never at import time).

| variable | default | meaning |
|---|---|---|
| `GATEWAY_URL` | `http://127.0.0.1:{PORT or 8000}/api/v1` | the gateway the console acts through |
| `BACKOFFICE_META_URL` | `http://127.0.0.1:{PORT or 8000}/mocks/meta` | Meta's simulator, for the customer view only |
| `CONSOLE_DEV_SHORTCUT` | on | on a loopback HOST, sign in by picking an advisor and a sandbox (no secret) |
| `CONSOLE_DEV_TOKEN` | `dev-asesor` | the gateway token that shortcut acts with |
| `CONSOLE_DEV_DIRECTORY_TOKEN` | `dev-supervisor` | reads Almabi: the shortcut's list, an asesor's names of people |
| `CONSOLE_DEV_LEADER_TOKENS` | `supervisor:dev-supervisor,...` | `role:token,...`: the shortcut's leader tokens |
| `CONSOLE_DEV_TRAINER_TOKEN` | `dev-formador` | the token the shortcut's development trainer (formador) acts with |
| `CONSOLE_SESSION_MINUTES` | 600 | a console session ends after this long |
| `PEERS` | none | set (scale-out, README "Scaling out"): sign-in hands the browser over to its sandbox's replica |
| `TOKEN_SECRET` | a development secret | shared by the replicas: signs the sign-in handoff's tickets (`handoff.py`) |
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping

from claro_backoffice.core import env as read


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


LEADER_ROLES = ("supervisor", "coordinador", "gerente")
# Without TOKEN_SECRET (development): the same on every replica, as the gateway's development secret is.
DEV_HANDOFF_SECRET = "dev-console-handoff-secret-0123456789abcdef"


def leader_tokens(text: str) -> tuple[tuple[str, str], ...]:
    """'supervisor:tok,gerente:tok2' -> ((role, token), ...); empty -> the development tokens."""
    if not text.strip():
        return ConsoleSettings.dev_leader_tokens
    pairs = []
    for entry in text.split(","):
        role, _, token = entry.strip().partition(":")
        if role not in LEADER_ROLES or not token:
            roles = ", ".join(LEADER_ROLES)
            raise ValueError(f"CONSOLE_DEV_LEADER_TOKENS entry {entry.strip()!r}: write role:token ({roles})")
        pairs.append((role, token))
    return tuple(pairs)


@dataclasses.dataclass(frozen=True)
class ConsoleSettings:
    gateway_url: str = "http://127.0.0.1:8000/api/v1"
    meta_url: str = "http://127.0.0.1:8000/mocks/meta"
    dev_shortcut: bool = True  # offered only when `loopback` too
    dev_token: str = "dev-asesor"
    dev_directory_token: str = "dev-supervisor"
    dev_leader_tokens: tuple[tuple[str, str], ...] = (
        ("supervisor", "dev-supervisor"),
        ("coordinador", "dev-coordinador"),
        ("gerente", "dev-gerente"),
    )
    dev_trainer_token: str = "dev-formador"
    loopback: bool = True
    session_minutes: int = 600
    peers: bool = False  # other replicas behind a router: a sign-in for another group's sandbox is handed over
    handoff_secret: str = DEV_HANDOFF_SECRET  # TOKEN_SECRET: the same on every replica
    timeout: float = 15.0  # seconds for one gateway call: above the gateway's own deadline (8 s)

    @property
    def shortcut(self) -> bool:
        """The development sign-in is offered only to a server nobody else can reach."""
        return self.dev_shortcut and self.loopback and bool(self.dev_token)

    def dev_token_for(self, role: str) -> str | None:
        """The token the shortcut acts with for a person of `role` (None: no token configured for that role)."""
        if role == "asesor":
            return self.dev_token
        return dict(self.dev_leader_tokens).get(role)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConsoleSettings:
        port = env.get("PORT") or "8000"
        minutes = read.integer(env, "CONSOLE_SESSION_MINUTES", 600)
        if minutes < 1:
            raise ValueError(f"CONSOLE_SESSION_MINUTES must be at least 1, not {minutes}")
        return cls(
            gateway_url=(read.text(env, "GATEWAY_URL") or f"http://127.0.0.1:{port}/api/v1").rstrip("/"),
            meta_url=(read.text(env, "BACKOFFICE_META_URL") or f"http://127.0.0.1:{port}/mocks/meta").rstrip("/"),
            dev_shortcut=read.flag(env, "CONSOLE_DEV_SHORTCUT", True),
            dev_token=read.text(env, "CONSOLE_DEV_TOKEN", "dev-asesor") or "dev-asesor",
            dev_directory_token=read.text(env, "CONSOLE_DEV_DIRECTORY_TOKEN", "dev-supervisor") or "dev-supervisor",
            dev_leader_tokens=leader_tokens(read.text(env, "CONSOLE_DEV_LEADER_TOKENS") or ""),
            dev_trainer_token=read.text(env, "CONSOLE_DEV_TRAINER_TOKEN", "dev-formador") or "dev-formador",
            loopback=is_loopback(env.get("HOST", "127.0.0.1")),
            session_minutes=minutes,
            peers=bool((env.get("PEERS") or "").strip(" ,")),
            handoff_secret=read.text(env, "TOKEN_SECRET") or DEV_HANDOFF_SECRET,
        )
