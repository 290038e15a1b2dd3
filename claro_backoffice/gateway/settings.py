"""Every knob the gateway has, read from the environment once, in create_app (never at import time).

| variable | default | meaning |
|---|---|---|
| `BACKOFFICE_<SYSTEM>_URL` | `http://127.0.0.1:{PORT or 8000}/mocks/<system>` | base URL of each system |
| `GATEWAY_CONNECT_TIMEOUT`, `GATEWAY_READ_TIMEOUT` | 2, 5 (seconds) | per downstream call |
| `GATEWAY_RETRIES`, `GATEWAY_BACKOFF_BASE` | 2, 0.1 (seconds) | retries of idempotent calls; sleep base * 2**n |
| `GATEWAY_DEADLINE` | 8 (seconds) | a whole gateway request: tries and backoff stop before it |
| `GATEWAY_BREAKER_THRESHOLD`, `GATEWAY_BREAKER_OPEN_SECONDS` | 5, 30 | failures that open a circuit; how long |
| `GATEWAY_WORKERS` | 16 | threads calling systems concurrently |
| `GATEWAY_TOKENS` | the development tokens below | `token:role[:sandbox][:user=<login>],...` (replaces them all) |
| `TOKEN_SECRET` | a development secret | signs the tokens `POST /admin/tokens` issues (HMAC-SHA256); >= 32 characters |
| `GATEWAY_VALIDATE_RESPONSES` | off | a response that breaks gateway.yaml becomes a 500 (on in tests) |
| `MOCK_ADMIN_TOKEN` | unset | sent as a bearer token to every system's control API (`/__admin/`) |
| `MAX_BODY_BYTES` | 1048576 (1 MiB) | a larger request body, chunked or not, is a 413 |
| `VAR_DIR` | `var` | the gateway's own SQLite (the operation's CRM) lives in `<VAR_DIR>/gateway/` |
| `WHATSAPP_APP_SECRET`, `WHATSAPP_VERIFY_TOKEN` | the simulator's seeded ones | webhook signature and handshake |
| `WHATSAPP_ACCESS_TOKEN`, `WHATSAPP_API_VERSION` | the simulator's seeded token, `v21.0` | sending through Meta |
| `WHATSAPP_WABA_ID` | the simulator's seeded account | the WhatsApp Business Account whose templates are listed |
| `CASE_REPEAT_WINDOW_DAYS` | 7 | the same customer and typification within it make a repeat (reincidencia, FCR) |
| `CONVERSATION_ABANDON_MINUTES` | 30 | a queued conversation nobody took within it counts as abandoned |
| `CLOSING_QUESTION_MINUTES` | 10 | "¿Hay algo más?" unanswered this long: the conversation ends |
| `CONVERSATION_INACTIVITY_MINUTES` | 15 | no case open, the customer silent this long after the advisor: it ends |
| `CUN_FORMAT` | `4115{year}{sequence:010d}` | the CUN, only digits once formatted (`year` 4, `sequence` never reused) |
| `PQR_COUNT_SATURDAYS` | off | count Saturdays as business days in PQR deadlines |
| `TRAINING_SILENCE_MINUTES` | 3 | training rubric: a customer left longer than this (virtual) without a hold message |
| `PQR_APPEAL_DAYS` | 10 | business days after a PQR's answer to file a reposición / apelación (UNVERIFIED) |
| `REPLICA_ID` | unset (one replica) | this replica's name, ending in its number 0-99 (`r1`): its CUN range |
| `PEERS` | none | comma-separated base URLs of the other replicas: `GET /admin/sandboxes` lists theirs too |
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claro_backoffice.core import env as read
from claro_backoffice.core.systems import SYSTEMS

ROLES = ("asesor", "supervisor", "coordinador", "gerente", "admin", "formador")
_SANDBOX = re.compile(r"^[a-z0-9-]{1,40}$")
_USER = re.compile(r"^[A-Za-z0-9._-]{2,60}$")
# Signs issued tokens (gateway/tokens.py) on a laptop; serve.py refuses it beyond loopback.
DEV_TOKEN_SECRET = "dev-token-secret-change-me-0123456789abcdef"
MIN_SECRET_CHARS = 32
# A replica's name ends in its number (0-99), which picks its CUN range (gateway/cases/cun.py): `r1`, or a
# StatefulSet pod's name such as `claro-backoffice-2`.
_REPLICA = re.compile(r"^(?:[a-z0-9-]{0,29}[a-z-])?([0-9]{1,2})$")

# Development tokens: replace them all with GATEWAY_TOKENS anywhere but a laptop.
DEV_TOKENS = (
    "dev-asesor:asesor",
    "dev-supervisor:supervisor",
    "dev-coordinador:coordinador",
    "dev-gerente:gerente",
    "dev-admin:admin",
    "dev-formador:formador",  # a trainer: /training/... (issue 16)
    "dev-trainee:asesor:training",
    "dev-admin-st:admin:st",
)  # the README's contract run: administers sandbox `st` only


@dataclasses.dataclass(frozen=True)
class Token:
    token: str
    role: str
    sandbox: str | None = None  # pinned: the token reaches only this sandbox
    user: str | None = None  # the Almabi login (or an admin's name) the token acts as; None: the body names them


def parse_tokens(text: str) -> dict[str, Token]:
    """'token:role[:sandbox][:user=<login>],...' -> {token: Token}; a bad entry is a ValueError that names it (not
    the secret)."""
    tokens = {}
    for position, entry in enumerate(e.strip() for e in text.split(",")):
        if not entry:
            continue
        where = f"GATEWAY_TOKENS entry #{position + 1}"
        parts = entry.split(":")
        user = parts.pop()[len("user=") :] if len(parts) > 2 and parts[-1].startswith("user=") else None
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValueError(f"{where} is not token:role[:sandbox][:user=<login>]")
        token, role, sandbox = parts[0], parts[1], parts[2] if len(parts) == 3 else None
        if role not in ROLES:
            raise ValueError(f"{where}: role '{role}' is not one of {', '.join(ROLES)}")
        if sandbox is not None and not _SANDBOX.match(sandbox):
            raise ValueError(f"{where}: '{sandbox}' is not a sandbox name")
        if token.startswith("clr1."):  # the prefix of issued tokens (gateway/tokens.py): it would never match
            raise ValueError(f"{where}: a configured token can't start with 'clr1.' (issued tokens do)")
        if user is not None and not _USER.match(user):
            raise ValueError(f"{where}: '{user}' is not a login (2-60 letters, digits, '.', '_' or '-')")
        tokens[token] = Token(token, role, sandbox, user)
    return tokens


def default_urls(env: Mapping[str, str]) -> dict[str, str]:
    port = env.get("PORT") or "8000"
    return {
        system: env.get(f"BACKOFFICE_{system.upper()}_URL", f"http://127.0.0.1:{port}/mocks/{system}").rstrip("/")
        for system in SYSTEMS
    }


@dataclasses.dataclass(frozen=True)
class GatewaySettings:
    backoffice_urls: Mapping[str, str] = dataclasses.field(default_factory=lambda: default_urls({}))
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    retries: int = 2
    backoff_base: float = 0.1
    deadline: float = 8.0
    breaker_threshold: int = 5
    breaker_open_seconds: float = 30.0
    workers: int = 16
    # Seconds: the calls of a fan-out run one after another, each given this long before the rest start at once
    # (gateway/services/fanout.py). None: all at once. `make run` sets it when every system is in its process.
    fanout_in_turn: float | None = None
    tokens: Mapping[str, Token] = dataclasses.field(default_factory=lambda: parse_tokens(",".join(DEV_TOKENS)))
    validate_responses: bool = False
    mock_admin_token: str | None = None  # the mocks' MOCK_ADMIN_TOKEN: the admin fan-out sends it
    var_dir: Path = Path("var") / "gateway"  # tests give a temporary folder
    whatsapp_app_secret: str = "5f3c9a1e7b2d4c6e8f0a1b2c3d4e5f60"
    whatsapp_verify_token: str = "claro-premium-verify-token"
    whatsapp_access_token: str = "EAAGClaroPremiumSimuladorAccessToken2026"
    whatsapp_api_version: str = "v21.0"
    whatsapp_waba_id: str = "102290129340398"  # the simulator's WhatsApp Business Account (its templates)
    repeat_window_days: int = 7
    abandon_minutes: int = 30
    closing_question_minutes: int = 10  # our choice: the procedure is silent
    inactivity_minutes: int = 15  # our choice: the procedure is silent
    cun_format: str = "4115{year}{sequence:010d}"
    pqr_count_saturdays: bool = False
    pqr_appeal_days: int = 10
    training_silence_minutes: int = 3  # issue 16: longer without a hold message is a silence
    max_body_bytes: int = 1024 * 1024
    token_secret: str = DEV_TOKEN_SECRET
    replica_id: str | None = None  # None: the only replica
    peers: tuple[str, ...] = ()  # the other replicas' base URLs (http://host:port), without a trailing '/'

    @property
    def replica_number(self) -> int:
        """The number REPLICA_ID ends in (0 when there is no REPLICA_ID): the replica's CUN range."""
        found = _REPLICA.match(self.replica_id or "0")
        assert found is not None  # __post_init__ checked it
        return int(found.group(1))

    def __post_init__(self) -> None:
        missing = [s for s in SYSTEMS if s not in self.backoffice_urls]
        if missing:
            raise ValueError(f"no base URL for {', '.join(missing)}")
        if self.retries < 0:
            raise ValueError(f"GATEWAY_RETRIES must be 0 or more, not {self.retries}")
        if self.breaker_threshold < 1 or self.workers < 1:
            raise ValueError("GATEWAY_BREAKER_THRESHOLD and GATEWAY_WORKERS must be 1 or more")
        if not self.deadline > 0:
            raise ValueError("GATEWAY_DEADLINE must be a number of seconds above 0")
        if self.max_body_bytes < 1:
            raise ValueError("MAX_BODY_BYTES must be >= 1")
        if len(self.token_secret) < MIN_SECRET_CHARS:
            raise ValueError(f"TOKEN_SECRET must be at least {MIN_SECRET_CHARS} characters")
        if self.repeat_window_days < 0 or self.abandon_minutes < 1:
            raise ValueError("CASE_REPEAT_WINDOW_DAYS must be >= 0 and CONVERSATION_ABANDON_MINUTES >= 1")
        if self.training_silence_minutes < 1:
            raise ValueError("TRAINING_SILENCE_MINUTES must be >= 1")
        if self.closing_question_minutes < 1 or self.inactivity_minutes < 1:
            raise ValueError("CLOSING_QUESTION_MINUTES and CONVERSATION_INACTIVITY_MINUTES must be >= 1")
        if self.replica_id is not None and not _REPLICA.match(self.replica_id):
            raise ValueError(
                f"REPLICA_ID '{self.replica_id[:40]}' must be lowercase letters, digits or '-' (up to 31) ending in "
                "the replica's number 0-99, e.g. r1 or claro-backoffice-2"
            )
        if self.peers and self.replica_id is None:
            raise ValueError("PEERS needs REPLICA_ID: each replica's sandboxes are listed under its id")
        for peer in self.peers:
            if not re.match(r"^https?://[^/\s,]+$", peer):
                raise ValueError(f"PEERS entry '{peer[:80]}' is not a base URL such as http://10.0.0.2:8000")
        try:
            sample = self.cun_format.format(year=2026, sequence=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"CUN_FORMAT can use only {{year}} and {{sequence}}: {exc}") from None
        if not sample.isdigit():
            raise ValueError(f"CUN_FORMAT must format to digits only, not '{sample}'")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> GatewaySettings:
        env = os.environ if env is None else env
        values: dict[str, Any] = dict(  # GatewaySettings' keyword arguments, each its field's type
            backoffice_urls=default_urls(env),
            connect_timeout=read.number(env, "GATEWAY_CONNECT_TIMEOUT", 2.0),
            read_timeout=read.number(env, "GATEWAY_READ_TIMEOUT", 5.0),
            retries=read.integer(env, "GATEWAY_RETRIES", 2),
            backoff_base=read.number(env, "GATEWAY_BACKOFF_BASE", 0.1),
            deadline=read.number(env, "GATEWAY_DEADLINE", 8.0),
            breaker_threshold=read.integer(env, "GATEWAY_BREAKER_THRESHOLD", 5),
            breaker_open_seconds=read.number(env, "GATEWAY_BREAKER_OPEN_SECONDS", 30.0),
            workers=read.integer(env, "GATEWAY_WORKERS", 16),
            tokens=parse_tokens(env.get("GATEWAY_TOKENS") or ",".join(DEV_TOKENS)),
            validate_responses=read.flag(env, "GATEWAY_VALIDATE_RESPONSES", False),
            mock_admin_token=env.get("MOCK_ADMIN_TOKEN") or None,
            var_dir=read.path(env, "VAR_DIR", "var") / "gateway",
            repeat_window_days=read.integer(env, "CASE_REPEAT_WINDOW_DAYS", 7),
            abandon_minutes=read.integer(env, "CONVERSATION_ABANDON_MINUTES", 30),
            closing_question_minutes=read.integer(env, "CLOSING_QUESTION_MINUTES", 10),
            inactivity_minutes=read.integer(env, "CONVERSATION_INACTIVITY_MINUTES", 15),
            pqr_count_saturdays=read.flag(env, "PQR_COUNT_SATURDAYS", False),
            pqr_appeal_days=read.integer(env, "PQR_APPEAL_DAYS", 10),
            training_silence_minutes=read.integer(env, "TRAINING_SILENCE_MINUTES", 3),
            max_body_bytes=read.integer(env, "MAX_BODY_BYTES", 1024 * 1024),
            replica_id=(env.get("REPLICA_ID") or "").strip() or None,
            peers=tuple(p.strip().rstrip("/") for p in (env.get("PEERS") or "").split(",") if p.strip()),
        )
        for field, variable in (
            ("whatsapp_app_secret", "WHATSAPP_APP_SECRET"),
            ("whatsapp_verify_token", "WHATSAPP_VERIFY_TOKEN"),
            ("whatsapp_access_token", "WHATSAPP_ACCESS_TOKEN"),
            ("whatsapp_api_version", "WHATSAPP_API_VERSION"),
            ("whatsapp_waba_id", "WHATSAPP_WABA_ID"),
            ("cun_format", "CUN_FORMAT"),
            ("token_secret", "TOKEN_SECRET"),
        ):
            if env.get(variable):
                values[field] = env[variable]
        values.update(overrides)
        return cls(**values)
