"""Every knob the gateway has, read from the environment once, in create_app (never at import time).

| variable | default | meaning |
|---|---|---|
| `BACKOFFICE_<SYSTEM>_URL` | `http://127.0.0.1:{PORT or 8000}/mocks/<system>` | base URL of each system |
| `GATEWAY_CONNECT_TIMEOUT`, `GATEWAY_READ_TIMEOUT` | 2, 5 (seconds) | per downstream call |
| `GATEWAY_RETRIES`, `GATEWAY_BACKOFF_BASE` | 2, 0.1 (seconds) | retries of idempotent calls; sleep base * 2**n |
| `GATEWAY_BREAKER_THRESHOLD`, `GATEWAY_BREAKER_OPEN_SECONDS` | 5, 30 | failures that open a circuit; how long |
| `GATEWAY_WORKERS` | 16 | threads calling systems concurrently |
| `GATEWAY_TOKENS` | the development tokens below | `token:role[:sandbox],...` (replaces them all) |
| `GATEWAY_VALIDATE_RESPONSES` | off | a response that breaks gateway.yaml becomes a 500 (on in tests) |
"""
from __future__ import annotations

import dataclasses
import os
import re
from typing import Mapping

SYSTEMS = ("rr", "ac", "diagnosticador", "sara", "cci", "cmax", "ascard", "portalpac", "dime", "paradigma",
           "gestion")
ROLES = ("asesor", "supervisor", "coordinador", "gerente", "admin")
_SANDBOX = re.compile(r"^[a-z0-9-]{1,40}$")

# Development tokens: replace them all with GATEWAY_TOKENS anywhere but a laptop.
DEV_TOKENS = ("dev-asesor:asesor", "dev-supervisor:supervisor", "dev-coordinador:coordinador",
              "dev-gerente:gerente", "dev-admin:admin", "dev-trainee:asesor:training")


@dataclasses.dataclass(frozen=True)
class Token:
    token: str
    role: str
    sandbox: str | None = None  # pinned: the token reaches only this sandbox


def parse_tokens(text: str) -> dict[str, Token]:
    """'token:role[:sandbox],...' -> {token: Token}; a bad entry is a ValueError that names it (not the secret)."""
    tokens = {}
    for position, entry in enumerate(e.strip() for e in text.split(",")):
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValueError(f"GATEWAY_TOKENS entry #{position + 1} is not token:role[:sandbox]")
        token, role, sandbox = parts[0], parts[1], parts[2] if len(parts) == 3 else None
        if role not in ROLES:
            raise ValueError(f"GATEWAY_TOKENS entry #{position + 1}: role '{role}' is not one of {', '.join(ROLES)}")
        if sandbox is not None and not _SANDBOX.match(sandbox):
            raise ValueError(f"GATEWAY_TOKENS entry #{position + 1}: '{sandbox}' is not a sandbox name")
        tokens[token] = Token(token, role, sandbox)
    return tokens


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def default_urls(env: Mapping[str, str]) -> dict[str, str]:
    port = env.get("PORT") or "8000"
    return {system: env.get(f"BACKOFFICE_{system.upper()}_URL", f"http://127.0.0.1:{port}/mocks/{system}").rstrip("/")
            for system in SYSTEMS}


@dataclasses.dataclass(frozen=True)
class GatewaySettings:
    backoffice_urls: Mapping[str, str] = dataclasses.field(default_factory=lambda: default_urls({}))
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    retries: int = 2
    backoff_base: float = 0.1
    breaker_threshold: int = 5
    breaker_open_seconds: float = 30.0
    workers: int = 16
    tokens: Mapping[str, Token] = dataclasses.field(default_factory=lambda: parse_tokens(",".join(DEV_TOKENS)))
    validate_responses: bool = False

    def __post_init__(self):
        missing = [s for s in SYSTEMS if s not in self.backoffice_urls]
        if missing:
            raise ValueError(f"no base URL for {', '.join(missing)}")
        if self.retries < 0 or self.breaker_threshold < 1 or self.workers < 1:
            raise ValueError("retries must be >= 0, breaker threshold and workers >= 1")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "GatewaySettings":
        env = os.environ if env is None else env
        values = dict(
            backoffice_urls=default_urls(env),
            connect_timeout=float(env.get("GATEWAY_CONNECT_TIMEOUT", 2.0)),
            read_timeout=float(env.get("GATEWAY_READ_TIMEOUT", 5.0)),
            retries=int(env.get("GATEWAY_RETRIES", 2)),
            backoff_base=float(env.get("GATEWAY_BACKOFF_BASE", 0.1)),
            breaker_threshold=int(env.get("GATEWAY_BREAKER_THRESHOLD", 5)),
            breaker_open_seconds=float(env.get("GATEWAY_BREAKER_OPEN_SECONDS", 30.0)),
            workers=int(env.get("GATEWAY_WORKERS", 16)),
            tokens=parse_tokens(env.get("GATEWAY_TOKENS") or ",".join(DEV_TOKENS)),
            validate_responses=_flag(env.get("GATEWAY_VALIDATE_RESPONSES"), False),
        )
        values.update(overrides)
        return cls(**values)
