"""Builds each world once per process: every mock in one process shares the same built world per config."""
from __future__ import annotations

import threading

from world.build import World, build_world
from world.config import WorldConfig


class WorldCache:
    def __init__(self):
        self._worlds: dict[WorldConfig, World] = {}
        self._lock = threading.Lock()

    def get(self, config: WorldConfig) -> World:
        with self._lock:
            if config not in self._worlds:
                self._worlds[config] = build_world(config)
            return self._worlds[config]
