"""Every knob a mock has, read from the environment once, in create_app."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claro_backoffice.core import env as read
from claro_backoffice.world.config import WorldConfig


@dataclasses.dataclass(frozen=True)
class MockSettings:
    var_dir: Path = Path("var")
    world: WorldConfig = WorldConfig()
    journal_limit: int = 500  # entries kept per sandbox; the oldest are dropped past it
    event_retention: int = 10000  # events kept per sandbox's event log; the oldest are dropped past it
    delivery_retention: int = 1000  # Meta: webhook deliveries kept per sandbox; the oldest are dropped past it
    validate_responses: bool = False  # on in tests: a response that breaks the spec becomes a 500
    clock_frozen: bool = False  # a new sandbox's clock stands still until set or advanced
    timeout_fault_seconds: float = 30.0  # how long a `timeout` fault holds a request over a real socket
    gateway_url: str = "http://127.0.0.1:8000/api/v1"  # where systems that call the gateway (Meta's webhook) find it
    admin_token: str | None = None  # when set, every /__admin/ request needs it as a bearer token
    max_body_bytes: int = 1024 * 1024  # MAX_BODY_BYTES: a larger request body, chunked or not, is a 413

    def __post_init__(self) -> None:
        if self.journal_limit < 1 or self.event_retention < 1 or self.delivery_retention < 1:
            raise ValueError("MOCK_JOURNAL_LIMIT, EVENT_LOG_RETENTION and MOCK_DELIVERY_RETENTION must be at least 1")
        if self.max_body_bytes < 1:
            raise ValueError("MAX_BODY_BYTES must be >= 1")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> MockSettings:
        env = os.environ if env is None else env
        values: dict[str, Any] = dict(  # each field's own type; overrides replace any
            var_dir=read.path(env, "VAR_DIR", "var"),
            world=WorldConfig.from_env(env),
            journal_limit=read.integer(env, "MOCK_JOURNAL_LIMIT", 500),
            event_retention=read.integer(env, "EVENT_LOG_RETENTION", 10000),
            delivery_retention=read.integer(env, "MOCK_DELIVERY_RETENTION", 1000),
            validate_responses=read.flag(env, "MOCK_VALIDATE_RESPONSES", False),
            clock_frozen=read.flag(env, "MOCK_CLOCK_FROZEN", False),
            timeout_fault_seconds=read.number(env, "MOCK_TIMEOUT_FAULT_SECONDS", 30),
            gateway_url=env.get("GATEWAY_URL") or f"http://127.0.0.1:{env.get('PORT', '8000')}/api/v1",
            admin_token=env.get("MOCK_ADMIN_TOKEN") or None,
            max_body_bytes=read.integer(env, "MAX_BODY_BYTES", 1024 * 1024),
        )
        values.update(overrides)
        return cls(**values)
