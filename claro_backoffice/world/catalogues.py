"""The shared catalogues (data files in world/data/): municipalities, plans, devices, typifications, resolver areas."""

from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Any

from claro_backoffice.core.yamlload import safe_load


def _load(name: str) -> Any:  # a YAML document: a list or a mapping, per file
    return safe_load(resources.files("claro_backoffice.world").joinpath("data", name).read_text(encoding="utf-8"))


@dataclasses.dataclass(frozen=True)
class Catalogues:
    municipalities: list[dict]
    mobile_plans: list[dict]
    home_plans: dict[str, list[dict]]
    devices: list[dict]
    home_devices: list[dict]
    typifications: list[dict]
    resolver_areas: list[dict]

    @classmethod
    def load(cls) -> Catalogues:
        plans = _load("plans.yaml")
        return cls(
            municipalities=_load("municipalities.yaml"),
            mobile_plans=plans["mobile"],
            home_plans=plans["home"],
            devices=plans["devices"],
            home_devices=plans["home_devices"],
            typifications=_load("typifications.yaml"),
            resolver_areas=_load("resolver_areas.yaml"),
        )

    def mobile_plan(self, plan_code: str) -> dict:
        return next(p for p in self.mobile_plans if p["plan_code"] == plan_code)
