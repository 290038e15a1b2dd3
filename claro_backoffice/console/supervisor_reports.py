"""The supervision reports: the procedure's five indicators for a window of Bogotá days and a team
(`GET /indicators`), each with numerator, denominator and definition, a chart per day and a table per advisor;
and section 7's management practices adherence for an ISO week (`GET /practices/adherence`)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from claro_backoffice.console import indicators_chart, kpi
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.supervisor import leaders_only, sandbox_now
from claro_backoffice.console.web import gateway
from claro_backoffice.console.wording import explain

blueprint = Blueprint("reports", __name__)
TEAM = re.compile(r"^TEAM[0-9]{2}$")
WEEK = re.compile(r"^[0-9]{4}-W[0-9]{2}$")
MAX_DAYS = 62  # the gateway's limit for one window
BY_ADVISOR = ("PUNTUALIDAD", "NPS", "FCR")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _window(today: dt.date) -> tuple[str, str, str | None, list[str]]:
    """(from, to, team, errors) from the query; by default the seven days before the sandbox's today."""
    start_text = request.args.get("from") or (today - dt.timedelta(days=7)).isoformat()
    end_text = request.args.get("to") or (today - dt.timedelta(days=1)).isoformat()
    team = request.args.get("team") or None
    start, end, errors = _date(start_text), _date(end_text), []
    if start is None or end is None:
        errors.append("Escribe las fechas «desde» y «hasta» como día/mes/año.")
    elif end < start:
        errors.append("La fecha «hasta» no puede ser anterior a «desde».")
    elif (end - start).days + 1 > MAX_DAYS:
        errors.append(f"La ventana es de máximo {MAX_DAYS} días: acórtala.")
    if team is not None and not TEAM.match(team):
        errors.append("Elige un equipo de la lista.")
    return start_text, end_text, team, errors


def _teams() -> list[dict]:
    """Teams with their supervisor, from Almabi's active supervisors."""
    agents = gateway().get("/workforce/agents", role="supervisor", status="active")
    return sorted(
        ({"id": a["teamId"], "supervisor": a["fullName"]} for a in agents if a.get("teamId")), key=lambda t: t["id"]
    )


def every_day(start: str, end: str, by_day: list[dict]) -> list[dict]:
    """Each day of the window once, in order: a day the gateway has no figure for has no value ("sin datos")."""
    known = {d["date"]: d for d in by_day}
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [known.get(d.isoformat(), {"date": d.isoformat(), "value": None}) for d in days]


def advisor_rows(indicators: list[dict]) -> list[dict]:
    """One row per advisor with PUNTUALIDAD, NPS and FCR (each its numerator, denominator and value, or None)."""
    by_name = {i["indicator"]: i for i in indicators}
    rows: dict[str, dict] = {}
    for name in BY_ADVISOR:
        for entry in by_name.get(name, {}).get("byAdvisor", []):
            rows.setdefault(entry["advisor"], {"advisor": entry["advisor"]})[name] = entry
    return [rows[k] for k in sorted(rows)]


@blueprint.get("/supervisor/indicators")
@leaders_only
def indicators() -> ResponseReturnValue:
    try:
        today = sandbox_now().date()
        teams = _teams()
    except ApiError as exc:
        return render_template("error.html", message=explain("No fue posible leer los indicadores", exc)), 502
    start, end, team, errors = _window(today)
    report, status = None, 200
    if errors:
        status = 422
    else:
        try:
            report = gateway().get("/indicators", **{"from": start, "to": end, "team": team})
        except ApiError as exc:
            errors = [explain("No fue posible calcular los indicadores", exc)]
            status = exc.status if exc.status < 500 else 502
    charts = {}
    if report:
        for item in report["indicators"]:
            if item.get("byDay"):
                chart_id = "chart-" + item["indicator"].replace("Ó", "O").lower()
                days = every_day(report["from"], report["to"], item["byDay"])
                charts[item["indicator"]] = indicators_chart.svg(item["indicator"], days, chart_id)
    return render_template(
        "supervisor_indicators.html",
        start=start,
        end=end,
        team=team,
        teams=teams,
        errors=errors,
        report=report,
        charts=charts,
        advisors=advisor_rows(report["indicators"]) if report else [],
        kpi=kpi,
    ), status


@blueprint.get("/supervisor/practices")
@leaders_only
def practices() -> ResponseReturnValue:
    week = request.args.get("week") or None
    if week is not None and not WEEK.match(week):
        return render_template(
            "supervisor_practices.html", week=week, report=None, names={}, error="Elige una semana (año y número)."
        ), 422
    try:
        report = gateway().get("/practices/adherence", week=week)
        names = {p["code"]: p["name"] for p in gateway().get("/practices/catalogue")}
    except ApiError as exc:
        status = exc.status if exc.status < 500 else 502
        message = explain("No fue posible leer la adherencia a las prácticas", exc)
        return render_template("supervisor_practices.html", week=week, report=None, names={}, error=message), status
    return render_template(
        "supervisor_practices.html", week=report["week"], report=report, names=names, error=None, kpi=kpi
    )
