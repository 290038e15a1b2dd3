"""Every knob a mock has, read from the environment once, in create_app."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Mapping

from world.config import WorldConfig


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclasses.dataclass(frozen=True)
class MockSettings:
    var_dir: Path = Path("var")
    world: WorldConfig = WorldConfig()
    journal_limit: int = 500            # entries kept per sandbox; the oldest are dropped past it
    event_retention: int = 10000        # events kept per sandbox's event log; the oldest are dropped past it
    delivery_retention: int = 1000      # Meta: webhook deliveries kept per sandbox; the oldest are dropped past it
    validate_responses: bool = False    # on in tests: a response that breaks the spec becomes a 500
    clock_frozen: bool = False          # a new sandbox's clock stands still until set or advanced
    timeout_fault_seconds: float = 30.0  # how long a `timeout` fault holds a request over a real socket
    gateway_url: str = "http://127.0.0.1:8000/api/v1"  # where systems that call the gateway (Meta's webhook) find it
    admin_token: str | None = None      # when set, every /__admin/ request needs it as a bearer token

    def __post_init__(self):
        if self.journal_limit < 1 or self.event_retention < 1 or self.delivery_retention < 1:
            raise ValueError("MOCK_JOURNAL_LIMIT, EVENT_LOG_RETENTION and MOCK_DELIVERY_RETENTION must be at least 1")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "MockSettings":
        env = os.environ if env is None else env
        values = dict(
            var_dir=Path(env.get("VAR_DIR", "var")),
            world=WorldConfig.from_env(env),
            journal_limit=int(env.get("MOCK_JOURNAL_LIMIT", 500)),
            event_retention=int(env.get("EVENT_LOG_RETENTION", 10000)),
            delivery_retention=int(env.get("MOCK_DELIVERY_RETENTION", 1000)),
            validate_responses=_flag(env.get("MOCK_VALIDATE_RESPONSES"), False),
            clock_frozen=_flag(env.get("MOCK_CLOCK_FROZEN"), False),
            timeout_fault_seconds=float(env.get("MOCK_TIMEOUT_FAULT_SECONDS", 30)),
            gateway_url=env.get("GATEWAY_URL") or f"http://127.0.0.1:{env.get('PORT', '8000')}/api/v1",
            admin_token=env.get("MOCK_ADMIN_TOKEN") or None,
        )
        values.update(overrides)
        return cls(**values)
