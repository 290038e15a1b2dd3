"""Builds each world once per process: every mock in one process shares the same built world per config.

Bounded: sandboxes made from many different seeds keep only the most recently used worlds in memory (their
seeded templates stay on disk, so an evicted world is rebuilt only for a seed that has no template yet).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from claro_backoffice.world.build import World, build_world
from claro_backoffice.world.config import WorldConfig


class WorldCache:
    def __init__(self, max_worlds: int = 4):
        self._worlds: OrderedDict[WorldConfig, World] = OrderedDict()
        self._max = max_worlds
        self._lock = threading.Lock()

    def get(self, config: WorldConfig) -> World:
        with self._lock:
            if config in self._worlds:
                self._worlds.move_to_end(config)
            else:
                # Said: it takes a while, and is done only where a template is missing (split mode: once, before
                # the systems' processes start).
                logging.getLogger(__name__).info("building the world %s", config.key)
                self._worlds[config] = build_world(config)
                while len(self._worlds) > self._max:
                    self._worlds.popitem(last=False)
            return self._worlds[config]
