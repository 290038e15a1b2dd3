"""The cold-start benchmark starts the server as an installed package starts (issue 18): with its bytecode written,
even where PYTHONDONTWRITEBYTECODE is set (then every start compiled each module again, which no user's start does)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from benchmarks import coldstart


def test_the_benchmark_writes_the_bytecode_even_where_the_environment_says_not_to(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    module = tmp_path / "pkg" / "sub" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text("VALUE = 1\n")
    coldstart.write_bytecode(tmp_path / "pkg")
    assert Path(importlib.util.cache_from_source(str(module))).is_file()
