"""One adapter per back-office system; `Backoffice` holds them for one gateway app (no module-level state)."""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.ac import ACAdapter
from claro_backoffice.gateway.backoffice.almabi import AlmabiAdapter
from claro_backoffice.gateway.backoffice.ascard import AscardAdapter
from claro_backoffice.gateway.backoffice.base import BackofficeHttp, CallContext, Observer
from claro_backoffice.gateway.backoffice.cci import CciAdapter
from claro_backoffice.gateway.backoffice.cmax import CmaxAdapter
from claro_backoffice.gateway.backoffice.control import ControlAPI
from claro_backoffice.gateway.backoffice.diagnosticador import DiagnosticadorAdapter
from claro_backoffice.gateway.backoffice.dime import DimeAdapter
from claro_backoffice.gateway.backoffice.gestion import GestionAdapter
from claro_backoffice.gateway.backoffice.meta import MetaAdapter
from claro_backoffice.gateway.backoffice.paradigma import ParadigmaAdapter
from claro_backoffice.gateway.backoffice.portalpac import PortalpacAdapter
from claro_backoffice.gateway.backoffice.rr import RRAdapter
from claro_backoffice.gateway.backoffice.sara import SaraAdapter
from claro_backoffice.gateway.settings import GatewaySettings

__all__ = ["Backoffice", "BackofficeHttp", "CallContext"]


class Backoffice:
    """One attribute per system, each its adapter, built from the settings' base URLs. Code that names a system
    uses its attribute; code that goes over the systems by name (health, admin fan-out, scenarios) uses `all()`
    or `control(system)`, typed as the control API every adapter shares."""

    rr: RRAdapter
    ac: ACAdapter
    diagnosticador: DiagnosticadorAdapter
    sara: SaraAdapter
    cci: CciAdapter
    cmax: CmaxAdapter
    ascard: AscardAdapter
    portalpac: PortalpacAdapter
    dime: DimeAdapter
    paradigma: ParadigmaAdapter
    gestion: GestionAdapter
    almabi: AlmabiAdapter
    meta: MetaAdapter

    def __init__(self, settings: GatewaySettings, http: BackofficeHttp | None = None):
        http = http or BackofficeHttp()
        self.clock = http.clock  # what request deadlines are measured on (CallContext.deadline)
        url = settings.backoffice_urls
        self.rr = RRAdapter(url["rr"], settings, http)
        self.ac = ACAdapter(url["ac"], settings, http)
        self.diagnosticador = DiagnosticadorAdapter(url["diagnosticador"], settings, http)
        self.sara = SaraAdapter(url["sara"], settings, http)
        self.cci = CciAdapter(url["cci"], settings, http)
        self.cmax = CmaxAdapter(url["cmax"], settings, http)
        self.ascard = AscardAdapter(url["ascard"], settings, http)
        self.portalpac = PortalpacAdapter(url["portalpac"], settings, http)
        self.dime = DimeAdapter(url["dime"], settings, http)
        self.paradigma = ParadigmaAdapter(url["paradigma"], settings, http)
        self.gestion = GestionAdapter(url["gestion"], settings, http)
        self.almabi = AlmabiAdapter(url["almabi"], settings, http)
        self.meta = MetaAdapter(url["meta"], settings, http)

    def all(self) -> list[tuple[str, ControlAPI]]:
        """(system, adapter) for every system, in the order of core.systems.SYSTEMS."""
        return [
            ("rr", self.rr),
            ("ac", self.ac),
            ("diagnosticador", self.diagnosticador),
            ("sara", self.sara),
            ("cci", self.cci),
            ("cmax", self.cmax),
            ("ascard", self.ascard),
            ("portalpac", self.portalpac),
            ("dime", self.dime),
            ("paradigma", self.paradigma),
            ("gestion", self.gestion),
            ("almabi", self.almabi),
            ("meta", self.meta),
        ]

    def control(self, system: str) -> ControlAPI:
        """The adapter of a system named at run time (a fault rule's, a scenario's fixtures'); KeyError if none."""
        return dict(self.all())[system]

    def account_holder(self, system: str) -> RRAdapter | ACAdapter:
        """The system that holds an account: 'rr' (home) or 'ac' (mobile); KeyError for any other."""
        holders: dict[str, RRAdapter | ACAdapter] = {"rr": self.rr, "ac": self.ac}
        return holders[system]

    def observe(self, observer: Observer) -> None:
        """observer(ctx, system, method, path, outcome) after every call made with a case id (base.py)."""
        for _, adapter in self.all():
            adapter.observer = observer

    def reset_breakers(self) -> None:
        """Close every circuit of every system (tests call it between cases)."""
        for _, adapter in self.all():
            adapter.breaker.reset()

    def close(self) -> None:
        for _, adapter in self.all():
            adapter.close()
