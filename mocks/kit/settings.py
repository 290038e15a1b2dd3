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
    validate_responses: bool = False    # on in tests: a response that breaks the spec becomes a 500
    clock_frozen: bool = False          # a new sandbox's clock stands still until set or advanced
    timeout_fault_seconds: float = 30.0  # how long a `timeout` fault holds a request over a real socket
    gateway_url: str = "http://127.0.0.1:8000/api/v1"  # where systems that call the gateway (Meta's webhook) find it
    admin_token: str | None = None      # when set, every /__admin/ request needs it as a bearer token

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "MockSettings":
        env = os.environ if env is None else env
        values = dict(
            var_dir=Path(env.get("VAR_DIR", "var")),
            world=WorldConfig.from_env(env),
            journal_limit=int(env.get("MOCK_JOURNAL_LIMIT", 500)),
            validate_responses=_flag(env.get("MOCK_VALIDATE_RESPONSES"), False),
            clock_frozen=_flag(env.get("MOCK_CLOCK_FROZEN"), False),
            timeout_fault_seconds=float(env.get("MOCK_TIMEOUT_FAULT_SECONDS", 30)),
            gateway_url=env.get("GATEWAY_URL") or f"http://127.0.0.1:{env.get('PORT', '8000')}/api/v1",
            admin_token=env.get("MOCK_ADMIN_TOKEN") or None,
        )
        values.update(overrides)
        return cls(**values)
