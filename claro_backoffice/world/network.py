"""The network the customers live on: HFC/FTTH nodes for homes, radio sites and cells for mobiles, and the
massive incidents (AVISOs) open or recently closed on some of them."""

from __future__ import annotations

import datetime as dt
import math
import random

from claro_backoffice.world.people import jitter

TECHNOLOGIES = (("4G", 0.62), ("5G", 0.12), ("3G", 0.18), ("2G", 0.08))
FIRST_AVISO = 5_100_000
_NODE_INCIDENTS = (
    ("external_network", "Corte de fibra óptica en red externa"),
    ("external_network", "Daño en amplificador de red HFC"),
    ("platform", "Falla de plataforma CMTS: módems sin registro"),
    ("external_network", "Falla de energía comercial en nodo"),
    ("platform", "Degradación de plataforma de televisión digital"),
)
_CELL_INCIDENTS = (
    ("outage", "Estación base fuera de servicio por falla de energía"),
    ("outage", "Falla de transmisión (enlace microondas)"),
    ("degraded", "Degradación por interferencia en banda 1900 MHz"),
    ("maintenance", "Ventana de mantenimiento programado"),
)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _nearest(points: list[dict], lat: float, lon: float) -> dict:
    # Equirectangular is enough to rank points inside one city.
    return min(points, key=lambda p: (p["latitude"] - lat) ** 2 + ((p["longitude"] - lon) * 0.99) ** 2)


def make_nodes(rng: random.Random, municipality: dict, home_count: int) -> list[dict]:
    count = max(1, math.ceil(home_count / 20))
    nodes = []
    for n in range(1, count + 1):
        lat, lon = jitter(rng, municipality["lat"], municipality["lon"], 6.0)
        nodes.append(
            {
                "node": f"{municipality['abbr']}-N{n:03d}",
                "municipality_code": municipality["code"],
                "technology": "FTTH" if rng.random() < 0.45 else "HFC",
                "headend": f"CABECERA {municipality['abbr']}-{1 + (n - 1) // 25}",
                "latitude": lat,
                "longitude": lon,
            }
        )
    return nodes


def make_cells(rng: random.Random, municipality: dict, people_count: int) -> list[dict]:
    sites = max(2, math.ceil(people_count / 15))
    cells = []
    for s in range(1, sites + 1):
        lat, lon = jitter(rng, municipality["lat"], municipality["lon"], 7.0)
        site_id = f"{municipality['abbr']}{s:04d}"
        for sector in (1, 2, 3):
            tech = rng.choices([t for t, _ in TECHNOLOGIES], weights=[w for _, w in TECHNOLOGIES])[0]
            cells.append(
                {
                    "cell_id": f"{site_id}-{sector}",
                    "site_id": site_id,
                    "municipality_code": municipality["code"],
                    "latitude": lat,
                    "longitude": lon,
                    "azimuth": (sector - 1) * 120,
                    "technology": tech,
                    "state": "in_service",
                }
            )
    return cells


def nearest_node(nodes: list[dict], lat: float, lon: float) -> dict:
    return _nearest(nodes, lat, lon)


def nearest_cell(cells: list[dict], lat: float, lon: float) -> dict:
    """The serving cell: nearest site (cells come in sector triples), then the sector facing the point."""
    first_sectors = cells[::3]
    site = _nearest(first_sectors, lat, lon)
    bearing = math.degrees(math.atan2(lon - site["longitude"], lat - site["latitude"])) % 360
    sector = int(((bearing + 60) % 360) // 120)
    return cells[first_sectors.index(site) * 3 + sector]


def make_incidents(rng: random.Random, nodes: list[dict], cells: list[dict], now: dt.datetime) -> list[dict]:
    """~4% of nodes and ~3% of sites carry an incident; some open, some resolved in the last days.

    `impact` is what the incident does to the service (outage, degraded, maintenance); an open radio incident
    also sets the state of the cells of its site to it.
    """
    incidents = []
    aviso = FIRST_AVISO

    def add(scope: str, target: str, kind: str, description: str, open_: bool, impact: str) -> None:
        nonlocal aviso
        aviso += 1
        opened = now - dt.timedelta(hours=rng.randrange(2, 30) if open_ else rng.randrange(48, 240))
        eta = opened + dt.timedelta(hours=rng.randrange(6, 48))
        state = rng.choice(("acknowledged", "inProgress")) if open_ else rng.choice(("resolved", "closed"))
        resolved = None if open_ else (opened + dt.timedelta(hours=rng.randrange(3, 40))).isoformat()
        if open_ and eta <= now:
            eta = now + dt.timedelta(hours=rng.randrange(2, 12))
        incidents.append(
            {
                "incident_id": f"INC{aviso:09d}",
                "aviso": aviso,
                "scope": scope,
                "node": target if scope == "node" else None,
                "site_id": target if scope == "cell" else None,
                "kind": kind,
                "description": description,
                "state": state,
                "impact": impact,
                "opened_at": opened.isoformat(),
                "estimated_resolution_at": eta.isoformat(),
                "resolved_at": resolved,
            }
        )

    node_picks = rng.sample(nodes, min(len(nodes), max(2, round(len(nodes) * 0.04))))
    for i, node in enumerate(node_picks):
        kind, description = rng.choice(_NODE_INCIDENTS)
        add(
            "node",
            node["node"],
            kind,
            description,
            (i % 3 != 2),
            "outage" if kind == "external_network" else "degraded",
        )
    sites = sorted({c["site_id"] for c in cells})
    for i, site_id in enumerate(rng.sample(sites, min(len(sites), max(2, round(len(sites) * 0.03))))):
        state, description = rng.choice(_CELL_INCIDENTS)
        open_ = i % 3 != 2
        add("cell", site_id, "radio", description, open_, state)
        if open_:
            for cell in cells:
                if cell["site_id"] == site_id:
                    cell["state"] = state
    return incidents
