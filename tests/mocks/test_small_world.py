"""A small world (WORLD_SIZE=20) has no past LLS orders: RR and Gestión still seed, with an empty LLS table."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from claro_backoffice.mocks.gestion import seed as gestion_seed
from claro_backoffice.mocks.rr import seed as rr_seed
from claro_backoffice.world.build import build_world
from claro_backoffice.world.config import WorldConfig


def test_rr_and_gestion_seed_a_world_without_lls():
    world = build_world(WorldConfig(size=20))
    assert not world.tables.get("lls"), "the premise: this world has no past LLS orders"
    rr = sqlite_utils.Database(sqlite3.connect(":memory:"))
    rr_seed.seed(rr, world)
    assert rr.execute("SELECT COUNT(*) FROM lls").fetchone()[0] == 0
    assert rr.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] == len(world.tables["home_accounts"])
    gestion = sqlite_utils.Database(sqlite3.connect(":memory:"))
    gestion_seed.seed(gestion, world)
    assert gestion.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0
