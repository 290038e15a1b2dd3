"""The three things a world is made from: a seed, a size and a reference date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from claro_backoffice.core import env as read

DEFAULT_SEED = 20220207  # the procedure's approval date: any integer works
DEFAULT_SIZE = 200
DEFAULT_REFERENCE_DATE = dt.date(2026, 11, 4)  # a Wednesday that is not a Colombian holiday
MAX_SIZE = 100_000


@dataclasses.dataclass(frozen=True)
class WorldConfig:
    seed: int = DEFAULT_SEED
    size: int = DEFAULT_SIZE
    reference_date: dt.date = DEFAULT_REFERENCE_DATE

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_SIZE:
            raise ValueError(f"world size must be between 1 and {MAX_SIZE}, got {self.size}")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WorldConfig:
        """WORLD_SEED, WORLD_SIZE, WORLD_REFERENCE_DATE (YYYY-MM-DD); read by create_app, never at import."""
        return cls(
            seed=read.integer(env, "WORLD_SEED", DEFAULT_SEED),
            size=read.integer(env, "WORLD_SIZE", DEFAULT_SIZE),
            reference_date=dt.date.fromisoformat(env.get("WORLD_REFERENCE_DATE", DEFAULT_REFERENCE_DATE.isoformat())),
        )

    def with_seed(self, seed: int) -> WorldConfig:
        return dataclasses.replace(self, seed=seed)

    @property
    def key(self) -> str:
        """A file-name-safe identity of this world, used to name seeded templates."""
        return f"s{self.seed}-n{self.size}-d{self.reference_date.isoformat()}"
