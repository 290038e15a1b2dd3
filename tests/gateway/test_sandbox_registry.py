"""gateway/sandboxes.py: which sandboxes exist, as the systems say, remembered for a while only when they do."""

from __future__ import annotations

import pytest
from connexion.exceptions import ProblemException

from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.sandboxes import SandboxRegistry, ask_systems


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_default_is_never_asked_and_a_known_sandbox_is_asked_again_only_after_the_ttl():
    asked, clock = [], Clock()
    registry = SandboxRegistry(lambda name: asked.append(name) or True, ttl=30, monotonic=clock)
    registry.require("default")
    registry.require("aula-1")
    clock.now += 30
    registry.require("aula-1")
    assert asked == ["aula-1"]
    clock.now += 0.5
    registry.require("aula-1")
    registry.forget("aula-1")
    registry.require("aula-1")
    assert asked == ["aula-1", "aula-1", "aula-1"]


def test_an_unknown_sandbox_is_a_404_and_is_asked_again_every_time():
    asked = []
    registry = SandboxRegistry(lambda name: asked.append(name) or False)
    for _ in range(2):
        with pytest.raises(ProblemException) as raised:
            registry.require("ghost")
        assert raised.value.status == 404 and raised.value.type.endswith("/unknown-sandbox")
        assert 'POST /admin/sandboxes {"name": "ghost"}' in raised.value.detail
    assert asked == ["ghost", "ghost"]


class Adapter:
    def __init__(self, system, answer):
        self.system, self.answer, self.asked = system, answer, 0

    def get_clock(self, ctx):
        self.asked += 1
        if isinstance(self.answer, DownstreamError):
            raise self.answer
        return {"now": "2026-11-04T08:00:00-05:00", "frozen": False}


class Office(dict):
    """A back office of fake adapters, reached as the registry's control(system)."""

    def control(self, system):
        return self[system]


def _down(system):
    return DownstreamError(system, "refused", 503, f"{system} refused the connection")


def test_meta_is_asked_first_and_another_system_answers_when_it_cant():
    systems = Office(
        {
            s: Adapter(s, True)
            for s in (
                "meta",
                "rr",
                "ac",
                "diagnosticador",
                "sara",
                "cci",
                "cmax",
                "ascard",
                "portalpac",
                "dime",
                "paradigma",
                "gestion",
                "almabi",
            )
        }
    )
    assert ask_systems(systems, "aula-1") is True and systems["meta"].asked == 1 and systems["rr"].asked == 0
    systems["meta"].answer = _down("meta")
    systems["rr"].answer = DownstreamError("rr", "unknown-sandbox", 404, "rr: sandbox 'aula-1' does not exist")
    assert ask_systems(systems, "aula-1") is False
    for adapter in systems.values():
        adapter.answer = _down(adapter.system)
    with pytest.raises(DownstreamError) as raised:
        ask_systems(systems, "aula-1")
    assert raised.value.system == "meta" and raised.value.status == 503
