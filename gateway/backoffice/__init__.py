"""One adapter per back-office system; `Backoffice` holds them for one gateway app (no module-level state)."""
from __future__ import annotations

import importlib

from core.systems import SYSTEMS
from gateway.backoffice.base import BackofficeHttp, CallContext

ADAPTERS = {"rr": "RRAdapter", "ac": "ACAdapter", "diagnosticador": "DiagnosticadorAdapter", "sara": "SaraAdapter",
            "cci": "CciAdapter", "cmax": "CmaxAdapter", "ascard": "AscardAdapter", "portalpac": "PortalpacAdapter",
            "dime": "DimeAdapter", "paradigma": "ParadigmaAdapter", "gestion": "GestionAdapter", "almabi": "AlmabiAdapter",
            "meta": "MetaAdapter"}

__all__ = ["Backoffice", "BackofficeHttp", "CallContext"]


class Backoffice(dict):
    """system -> adapter, built from the settings' base URLs."""

    def __init__(self, settings, http: BackofficeHttp | None = None):
        http = http or BackofficeHttp()
        super().__init__()
        self.clock = http.clock  # what request deadlines are measured on (CallContext.deadline)
        for system in SYSTEMS:
            module = importlib.import_module(f"gateway.backoffice.{system}")
            self[system] = getattr(module, ADAPTERS[system])(settings.backoffice_urls[system], settings, http)

    def observe(self, observer) -> None:
        """observer(ctx, system, method, path, outcome) after every call made with a case id (base.py)."""
        for adapter in self.values():
            adapter.observer = observer

    def reset_breakers(self) -> None:
        """Close every circuit of every system (tests call it between cases)."""
        for adapter in self.values():
            adapter.breaker.reset()

    def close(self) -> None:
        for adapter in self.values():
            adapter.close()
