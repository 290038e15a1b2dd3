"""The back-office registry is typed: one attribute per system, each its adapter class, so a type checker (and a
reader) can follow `backoffice.rr` to RRAdapter; the systems are walked by name only through all() / control()."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.ac import ACAdapter
from claro_backoffice.gateway.backoffice.meta import MetaAdapter
from claro_backoffice.gateway.backoffice.rr import RRAdapter
from claro_backoffice.gateway.settings import GatewaySettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backoffice():
    office = Backoffice(GatewaySettings(backoffice_urls={s: f"http://127.0.0.1:9/{s}" for s in SYSTEMS}))
    yield office
    office.close()


def test_each_system_is_an_attribute_of_its_annotated_adapter_class(backoffice):
    hints = typing.get_type_hints(Backoffice)
    systems = [name for name in hints if name in SYSTEMS]
    assert systems == list(SYSTEMS)
    for system in SYSTEMS:
        adapter = getattr(backoffice, system)
        assert isinstance(adapter, hints[system]), system
        assert adapter.system == system
        assert adapter.base_url == f"http://127.0.0.1:9/{system}"
    assert hints["rr"] is RRAdapter and hints["ac"] is ACAdapter and hints["meta"] is MetaAdapter


def test_all_and_control_name_the_systems_in_their_order(backoffice):
    assert [name for name, _ in backoffice.all()] == list(SYSTEMS)
    assert [adapter.system for _, adapter in backoffice.all()] == list(SYSTEMS)
    assert backoffice.control("sara") is backoffice.sara
    assert backoffice.account_holder("ac") is backoffice.ac
    with pytest.raises(KeyError):
        backoffice.control("siebel")
    with pytest.raises(KeyError):
        backoffice.account_holder("meta")


def test_the_gateway_never_looks_an_adapter_up_by_string_key():
    """`backoffice["rr"]` can't be followed by a tool; every use goes through an attribute or all()/control()."""
    found = []
    for path in sorted((ROOT / "claro_backoffice" / "gateway").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Subscript) and ast.unparse(node.value).split(".")[-1] == "backoffice":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
