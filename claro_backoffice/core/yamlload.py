"""YAML parsing with libyaml's C loader where PyYAML was built with it: the pure-Python loader took most of the
cold start (the specs are parsed on every start). Same results as yaml.safe_load (both use SafeConstructor)."""

from __future__ import annotations

from typing import Any

import yaml


def safe_load(text: str) -> Any:  # whatever the document holds
    """yaml.safe_load, through libyaml when available (CSafeLoader), else the pure-Python SafeLoader."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
