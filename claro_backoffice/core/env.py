"""Reading settings from the environment, the same way for the gateway, the mocks and serve.py: an unset or empty
variable takes the default; a value that is not what the variable needs is a ValueError that names it (a typo in
a flag must not silently mean "off", nor "on")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _given(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return None if value is None or not value.strip() else value.strip()


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """1/true/yes/on or 0/false/no/off, in any case."""
    value = _given(env, name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ValueError(f"{name} must be one of {'/'.join(_TRUE)} or {'/'.join(_FALSE)}, not {value[:40]!r}")


def integer(env: Mapping[str, str], name: str, default: int) -> int:
    value = _given(env, name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value[:40]!r}") from None


def number(env: Mapping[str, str], name: str, default: float) -> float:
    value = _given(env, name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value[:40]!r}") from None


def text(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """The value as given (not stripped: a secret is what it is), or the default when unset or empty."""
    return env.get(name) or default


def path(env: Mapping[str, str], name: str, default: str) -> Path:
    return Path(_given(env, name) or default)
