"""The cable-modem check of a home account and the typification it suggests (what T&D would give).

Modem status, in order:
1. a modem override (table modem_overrides) with a status wins: offline, degraded or online;
2. an open node incident (acknowledged / inProgress) affecting internet on the modem's node: severity outage ->
   offline; severity degradation -> levels drawn from the `degradation` profile;
3. otherwise levels from the modem's line quality (good, noisy, congested); override values replace drawn ones.
An online modem whose levels are out of the healthy ranges (signals.py) is degraded. Offline: no levels, no speed,
no uptime. Uptime counts from the last boot: the seeded boot time, or the end of a node outage, or the end of a
single-fault repair, whichever is latest and not in the future.

Typification for the reported service (first rule that applies); codes come from the `typifications` table:
- internet: open node incident affecting internet -> SOP-INT-04 (with its AVISO); modem offline -> SOP-INT-01;
  degraded levels -> SOP-INT-03; real download speed < 80 % of the provisioned one -> SOP-INT-02; else
  SOP-WIF-01 (line is fine: the in-home Wi-Fi is next).
- tv: open node incident affecting tv -> SOP-TV-03; modem degraded -> SOP-TV-02; else SOP-TV-01.
- telefonia: open node incident affecting telefonia or modem offline -> SOP-TEL-01; else SOP-TEL-02.
- a suspended account gets no support code (typification null): it is a billing matter for UCC / SAC.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.diagnosticador.backend import (
    DiagnosticadorBackend,
    affected_services,
    is_open,
    parse_time,
    rows,
)
from claro_backoffice.mocks.diagnosticador.signals import SLOW_RATIO, level_findings, measure
from claro_backoffice.mocks.kit.problems import not_found

_OVERRIDE_VALUES = (
    "downstream_power_dbmv",
    "downstream_snr_db",
    "upstream_power_dbmv",
    "optical_rx_power_dbm",
    "real_down_mbps",
    "real_up_mbps",
)
_SIGNAL_KEYS = (
    "downstream_power_dbmv",
    "downstream_snr_db",
    "upstream_power_dbmv",
    "optical_rx_power_dbm",
    "optical_tx_power_dbm",
)


def _open_node_incident(incidents: list[dict], service: str) -> dict | None:
    return next((r for r in incidents if r["scope"] == "node" and is_open(r) and service in affected_services(r)), None)


def modem_state(b: DiagnosticadorBackend, modem: dict, node_incidents: list[dict]) -> dict:
    """Status, levels, speeds and uptime of one modem now; `findings` explain the status in Spanish."""
    override = b.override(modem["mac_address"]) or {}
    incident = _open_node_incident(node_incidents, "internet")
    findings = []
    forced = override.get("status")
    profile = modem["line_quality"] if modem["line_quality"] in ("good", "noisy", "congested") else "good"
    if incident and not forced:
        if incident["severity"] == "outage":
            forced = "offline"
            findings.append(
                f"Módem sin sincronía por el AVISO {incident['aviso']} en el nodo {modem['node']}: "
                f"{incident['description']}"
            )
        else:
            profile = "degradation"
            findings.append(
                f"Niveles degradados por el AVISO {incident['aviso']} en el nodo {modem['node']}: "
                f"{incident['description']}"
            )
    if override.get("reason"):
        findings.append(str(override["reason"]))
    state = {
        "status": forced or "online",
        "signal": {k: None for k in _SIGNAL_KEYS},
        "uptime_seconds": None,
        "last_boot_at": None,
        "real_down_mbps": None,
        "real_up_mbps": None,
        "speed_ratio": None,
    }
    if forced == "offline":
        if not findings:
            findings.append("Módem sin sincronía: no responde al sondeo del CMTS / OLT")
        return dict(state, findings=findings)
    values = measure(b.seed, modem, b.now, profile)
    forced_values = {k: _number(override.get(k), int if k.startswith("real_") else float) for k in _OVERRIDE_VALUES}
    values.update({k: v for k, v in forced_values.items() if v is not None})
    levels = level_findings(values)
    state["status"] = forced or ("degraded" if levels else "online")
    findings.extend(levels if state["status"] != "online" else [])
    if state["status"] == "degraded" and not findings:
        findings.append("Módem con sincronía inestable según el CMTS / OLT")
    state["signal"] = {k: values.get(k) for k in _SIGNAL_KEYS}
    state["real_down_mbps"], state["real_up_mbps"] = values["real_down_mbps"], values["real_up_mbps"]
    if modem["provisioned_down_mbps"] and values["real_down_mbps"] is not None:
        state["speed_ratio"] = round(values["real_down_mbps"] / modem["provisioned_down_mbps"], 2)
        if state["speed_ratio"] < SLOW_RATIO:
            findings.append(
                f"Velocidad real {values['real_down_mbps']} Mbps: {round(state['speed_ratio'] * 100)} % "
                f"de los {modem['provisioned_down_mbps']} Mbps contratados (umbral 80 %)"
            )
    boot = _last_boot(b, modem, node_incidents)
    state["last_boot_at"] = boot.isoformat()
    state["uptime_seconds"] = _number(override.get("uptime_seconds"), int)
    if state["uptime_seconds"] is None:
        state["uptime_seconds"] = max(0, int((b.now - boot).total_seconds()))
    return dict(state, findings=findings)


def _number(value, kind=float):
    """A fixture value as a number, or None when it isn't one (SQLite keeps whatever it was given)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(round(number)) if kind is int else round(number, 1)


def _last_boot(b: DiagnosticadorBackend, modem: dict, node_incidents: list[dict]) -> dt.datetime:
    seeded = parse_time(modem["last_boot_at"])
    candidates = [seeded] if seeded else []
    for row in node_incidents:
        if row["scope"] == "node" and row["severity"] == "outage" and "internet" in affected_services(row):
            candidates.append(parse_time(row["resolved_at"]))
    past = [c for c in candidates if c is not None and c <= b.now]
    return max(past) if past else b.now - dt.timedelta(hours=1)


def _typification(b: DiagnosticadorBackend, code: str) -> dict:
    found = b.db.execute(
        "SELECT code, category, product, source, description FROM typifications WHERE code = ?", [code]
    ).fetchone()
    if found is None:  # a fixture removed it: say so rather than invent a description
        return {"code": code, "category": "SOPORTE", "product": None, "source": None, "description": None}
    return dict(zip(("code", "category", "product", "source", "description"), found, strict=True))


def _suggest(service: str, status: str | None, ratio: float | None, massive: dict | None) -> str:
    if service == "internet":
        if massive:
            return "SOP-INT-04"
        if status == "offline":
            return "SOP-INT-01"
        if status == "degraded":
            return "SOP-INT-03"
        if ratio is not None and ratio < SLOW_RATIO:
            return "SOP-INT-02"
        return "SOP-WIF-01"
    if service == "tv":
        return "SOP-TV-03" if massive else "SOP-TV-02" if status == "degraded" else "SOP-TV-01"
    return "SOP-TEL-01" if massive or status == "offline" else "SOP-TEL-02"


def check(b: DiagnosticadorBackend, account_number: str, service: str = "internet") -> dict:
    account = b.account(account_number)
    services = b.services(account_number)
    if service not in services:
        have = ", ".join(services) or "no services"
        raise not_found(
            f"account {account_number} has no {service} service (it has {have}) in Diagnosticador", "service-not-found"
        )
    modem = b.modem(account_number)
    if modem is None and service == "internet":
        raise not_found(f"account {account_number} has no cable modem in Diagnosticador", "no-cable-modem")
    incidents = b.account_incident_rows(account)
    node_incidents = [r for r in incidents if r["scope"] == "node"]
    findings, modem_view = [], None
    if modem is not None:
        state = modem_state(b, modem, node_incidents)
        findings.extend(state.pop("findings"))
        modem_view = dict(
            {
                k: modem[k]
                for k in (
                    "mac_address",
                    "serial_number",
                    "model",
                    "technology",
                    "provisioned_down_mbps",
                    "provisioned_up_mbps",
                )
            },
            **state,
        )
    massive = _open_node_incident(node_incidents, service)
    if massive and (modem_view is None or service != "internet"):
        findings.append(
            f"AVISO {massive['aviso']} abierto en el nodo {account['node']} para {service}: {massive['description']}"
        )
    single = next(
        (r for r in incidents if r["scope"] == "account" and is_open(r) and service in affected_services(r)), None
    )
    if single:
        findings.append(f"Falla puntual ya escalada con el AVISO {single['aviso']} ({single['state']})")
    navigation = account["status"] == "activo"
    if navigation:
        status = modem_view["status"] if modem_view else None
        ratio = modem_view["speed_ratio"] if modem_view else None
        typification = _typification(b, _suggest(service, status, ratio, massive))
    else:
        typification = None
        findings.append("Cuenta suspendida en RR: no es una falla técnica; gestionar como SAC (UCC)")
    if not findings:
        findings.append("Módem en línea con niveles y velocidad correctos")
    aviso = massive or single
    return {
        "account_number": account_number,
        "customer_id": account["customer_id"],
        "node": account["node"],
        "account_status": account["status"],
        "service": service,
        "checked_at": b.now.isoformat(),
        "navigation_enabled": navigation,
        "modem": modem_view,
        "open_incidents": [b.incident_view(r) for r in incidents if is_open(r)],
        "findings": findings,
        "typification": typification,
        "aviso": aviso["aviso"] if aviso else None,
    }


def node_summary(b: DiagnosticadorBackend, node: str) -> dict:
    view = dict(b.node(node))
    incidents = b.node_incident_rows(node)
    modems = rows(b.db.execute("SELECT * FROM cable_modems WHERE node = ? ORDER BY mac_address", [node]))
    counts = {"online": 0, "degraded": 0, "offline": 0}
    for modem in modems:
        counts[modem_state(b, modem, incidents)["status"]] += 1
    view.update(
        account_count=b.db.execute("SELECT COUNT(*) FROM accounts WHERE node = ?", [node]).fetchone()[0],
        modem_count=len(modems),
        modems_by_status=counts,
        checked_at=b.now.isoformat(),
        open_incidents=[b.incident_view(r) for r in incidents if is_open(r)],
    )
    return view
