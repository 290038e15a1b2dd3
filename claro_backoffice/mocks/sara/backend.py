"""SARA: radio zone status of Claro's mobile network, searched by coordinates (the nearest cells within a
radius), by base station (site) or cell, or by municipality (DANE code): each cell's technology and state (in
service, degraded, outage, maintenance window) with the ticket (AVISO) behind it and its estimated restoration.

The time rule (status.py): incidents act on their cells between `opened_at` and their end at the sandbox's
virtual now. A maintenance window ends at its scheduled end; an outage or a degradation whose estimated
restoration has passed keeps its state, flagged `restoration_overdue`, until its ticket is resolved.

LIMITATIONS (where this mock departs from the real SARA):
- SARA is an internal web tool with maps; this is a JSON API over the same questions, with snake_case fields.
- Coverage is not modelled: a coordinate search lists the cells whose site lies within the radius, nearest
  first, not the cells whose footprint covers the point; all sectors of a site share its coordinates.
- Distances are great-circle (haversine) distances, rounded to the metre.
- Only radio incidents of whole sites (or of one cell when a fixture names it) exist; no transmission or core
  network topology, no KPIs (traffic, drop rates) per cell.
- SARA learns of incidents only through its own store (seed and fixtures), not through other systems.
"""

from __future__ import annotations

import math
import unicodedata

from claro_backoffice.mocks.kit.problems import not_found
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.mocks.sara import status
from claro_backoffice.world.network import distance_km

KM_PER_DEGREE = 111.32


def _fold(text: str) -> str:
    """Lower case without accents: 'Bogotá' and 'bogota' match."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class SaraBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()

    # ---- building blocks ----------------------------------------------------------------------------------
    def _municipalities(self) -> dict[str, dict]:
        return {m["code"]: m for m in _rows(self.db.execute("SELECT * FROM municipalities ORDER BY code"))}

    def _incidents(self, site_ids=None) -> list[dict]:
        if site_ids is None:
            return _rows(self.db.execute("SELECT * FROM incidents ORDER BY opened_at DESC, incident_id"))
        site_ids = sorted(set(site_ids))
        if not site_ids:
            return []
        marks = ", ".join("?" * len(site_ids))
        return _rows(
            self.db.execute(
                f"SELECT * FROM incidents WHERE site_id IN ({marks}) ORDER BY opened_at DESC, incident_id", site_ids
            )
        )

    def _views(self, cells: list[dict]) -> list[dict]:
        """Cell rows -> cell status views at the virtual now."""
        incidents = self._incidents(c["site_id"] for c in cells)
        by_site: dict[str, list[dict]] = {}
        for incident in incidents:
            by_site.setdefault(incident["site_id"], []).append(incident)
        municipalities = self._municipalities()
        views = []
        for cell in cells:
            state, ticket = status.effective_state(cell, by_site.get(cell["site_id"], []), self.now)
            municipality = municipalities.get(cell["municipality_code"], {})
            views.append(
                {
                    "cell_id": cell["cell_id"],
                    "site_id": cell["site_id"],
                    "municipality_code": cell["municipality_code"],
                    "municipality": municipality.get("name"),
                    "department": municipality.get("department"),
                    "latitude": cell["latitude"],
                    "longitude": cell["longitude"],
                    "azimuth": cell["azimuth"],
                    "technology": cell["technology"],
                    "state": state,
                    "state_label": status.STATE_LABELS[state],
                    "ticket": status.ticket_view(ticket, self.now) if ticket else None,
                }
            )
        return views

    def _zone(self, views: list[dict], **extra) -> dict:
        return dict(
            extra,
            checked_at=status.iso(self.now),
            summary=status.summary([v["state"] for v in views]),
            message=status.zone_message(views),
        )

    # ---- searches -------------------------------------------------------------------------------------------
    def nearby(self, latitude: float, longitude: float, radius_m: int, technology=None, limit: int = 20) -> dict:
        """The cells whose site lies within `radius_m` of the point, nearest first."""
        radius_km = radius_m / 1000
        dlat = radius_km / KM_PER_DEGREE
        dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
        candidates = _rows(
            self.db.execute(
                "SELECT * FROM cells WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? "
                "AND (? IS NULL OR technology = ?)",
                [latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon, technology, technology],
            )
        )
        found = []
        for cell in candidates:
            metres = distance_km(latitude, longitude, cell["latitude"], cell["longitude"]) * 1000
            if metres <= radius_m:
                found.append((round(metres), cell["cell_id"], cell))
        found.sort(key=lambda f: (f[0], f[1]))
        views = self._views([cell for _, _, cell in found])
        for view, (metres, _, _) in zip(views, found, strict=True):
            view["distance_m"] = metres
        query = {"latitude": latitude, "longitude": longitude, "radius_m": radius_m, "technology": technology}
        return dict(self._zone(views, query=query), total=len(views), cells=views[:limit])

    def cell(self, cell_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM cells WHERE cell_id = ?", [cell_id]))
        if not rows:
            site = cell_id.split("-")[0]
            siblings = self._site_cell_ids(site)
            hint = f"; site {site} has cells {', '.join(siblings)}" if siblings else ""
            raise not_found(f"cell {cell_id} does not exist in SARA{hint}", "cell-not-found")
        return dict(self._views(rows)[0], checked_at=status.iso(self.now))

    def _site_cell_ids(self, site_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT cell_id FROM cells WHERE site_id = ? ORDER BY cell_id", [site_id]
            ).fetchall()
        ]

    def site(self, site_id: str) -> dict:
        cells = _rows(self.db.execute("SELECT * FROM cells WHERE site_id = ? ORDER BY cell_id", [site_id]))
        if not cells:
            raise not_found(
                f"base station {site_id} does not exist in SARA (sites are the municipality's "
                "abbreviation and 4 digits, e.g. BOG0001; GET /municipalities/{code}/cells lists them)",
                "site-not-found",
            )
        views = self._views(cells)
        first = views[0]
        incidents = [status.ticket_view(i, self.now) for i in self._incidents([site_id])]
        return dict(
            self._zone(views),
            site_id=site_id,
            municipality_code=first["municipality_code"],
            municipality=first["municipality"],
            department=first["department"],
            latitude=first["latitude"],
            longitude=first["longitude"],
            cells=views,
            incidents=incidents,
        )

    def municipalities(self, name=None, department_code=None) -> list[dict]:
        cells = _rows(self.db.execute("SELECT * FROM cells ORDER BY cell_id"))
        views = self._views(cells)
        out = []
        for code, m in self._municipalities().items():
            if department_code and m["department_code"] != department_code:
                continue
            if name and _fold(name) not in _fold(m["name"]):
                continue
            mine = [v for v in views if v["municipality_code"] == code]
            out.append(
                {
                    "code": code,
                    "name": m["name"],
                    "department_code": m["department_code"],
                    "department": m["department"],
                    "latitude": m["latitude"],
                    "longitude": m["longitude"],
                    "sites": len({v["site_id"] for v in mine}),
                    "summary": status.summary([v["state"] for v in mine]),
                }
            )
        return out

    def municipality_cells(self, code: str, technology=None, state=None) -> dict:
        municipality = self._municipalities().get(code)
        if municipality is None:
            raise not_found(
                f"municipality {code} (DANE code) is not in SARA's catalogue; GET /municipalities "
                "lists the municipalities with Claro coverage in this world",
                "municipality-not-found",
            )
        cells = _rows(
            self.db.execute(
                "SELECT * FROM cells WHERE municipality_code = ? AND (? IS NULL OR technology = ?) ORDER BY cell_id",
                [code, technology, technology],
            )
        )
        views = [v for v in self._views(cells) if state is None or v["state"] == state]
        return dict(
            self._zone(views),
            municipality_code=code,
            municipality=municipality["name"],
            department_code=municipality["department_code"],
            department=municipality["department"],
            cells=views,
        )

    # ---- incidents ----------------------------------------------------------------------------------------------
    def incidents(self, include_closed=False, site_id=None, municipality_code=None) -> list[dict]:
        sites = None
        if municipality_code:
            sites = {
                r[0]
                for r in self.db.execute(
                    "SELECT site_id FROM cells WHERE municipality_code = ?", [municipality_code]
                ).fetchall()
            }
        out = []
        for incident in self._incidents(None if site_id is None else [site_id]):
            if sites is not None and incident["site_id"] not in sites:
                continue
            if not include_closed and incident["state"] in status.FINAL_TICKET_STATES:
                continue
            out.append(self._incident_view(incident))
        return out

    def _incident_view(self, incident: dict) -> dict:
        view = status.ticket_view(incident, self.now)
        cells = _rows(self.db.execute("SELECT * FROM cells WHERE site_id = ? ORDER BY cell_id", [incident["site_id"]]))
        view["affected_cells"] = [c["cell_id"] for c in cells if status.concerns(incident, c)]
        return view

    def incident(self, ref: str) -> dict:
        column = "incident_id" if ref.startswith("INC") else "aviso"
        rows = _rows(
            self.db.execute(
                f"SELECT * FROM incidents WHERE {column} = ?", [ref if column == "incident_id" else int(ref)]
            )
        )
        if not rows:
            raise not_found(
                f"SARA has no radio incident {ref} (give an incident id such as INC005100003 or its "
                "AVISO number; home-network AVISOs are in Diagnosticador)",
                "incident-not-found",
            )
        return dict(self._incident_view(rows[0]), checked_at=status.iso(self.now))
