"""DIME's slice of the world: the resolver areas and their SLAs, the typification codes, the customer directory it
checks an escalation against (customers, their home and mobile accounts, mobile lines), and a history of past
escalations derived deterministically from the world."""

from __future__ import annotations

import datetime as dt
import random

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.mocks.dime.business_time import add_business_hours, colombian_holidays, is_business_day
from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "areas": ("Area", "!categories"),
    "typifications": (),
    "customers": (),
    "accounts": (),
    "lines": (),
    "escalations": ("EscalationSummary", "Escalation"),
    "evidence": (),
    "notes": ("Note",),
    "state_changes": (),
}

ESCALATION_PREFIX = "ESC"
SEEDED_ESCALATIONS = 30
_ADVISORS = tuple(f"asesor.premium{n:02d}" for n in range(1, 13))
_RESOLVED = {
    "FACT": "Se valida el cobro y se aplica el ajuste en la próxima factura.",
    "SOPN2": "Se reaprovisiona el cable módem y se confirma navegación estable con el cliente.",
    "NOC": "Falla de red corregida en el nodo; servicio normalizado.",
    "RADIO": "Se ajusta la parametrización de la celda; cobertura verificada en la zona.",
    "PQRCRC": "Se emite respuesta de fondo a la PQR y se notifica al cliente por correo.",
    "CART": "Se actualiza el plan de pagos de la financiación del equipo.",
    "APROV": "Servicio aprovisionado nuevamente en plataforma.",
    "PORT": "Portación confirmada con el operador donante.",
    "RETEN": "Se aplica beneficio de retención acordado con el cliente.",
}
_REJECTED = "No procede: la información suministrada no permite validar la solicitud; se requiere nueva evidencia."
_DESCRIPTIONS = (
    "Cliente premium reporta la situación de forma reiterada; se requiere gestión del área.",
    "Se agotaron las validaciones de primer contacto sin solución.",
    "Cliente solicita revisión de fondo y respuesta por escrito.",
)


def seed(db, world: World) -> None:
    t = world.tables
    db["areas"].insert_all(
        ({k: a[k] for k in ("area_code", "name", "sla_hours", "categories")} for a in t["resolver_areas"]),
        pk="area_code",
    )
    db["typifications"].insert_all(t["typifications"], pk="code")
    db["customers"].insert_all(
        (
            {"customer_id": p["customer_id"], "segments": p["segments"], "premium": int(bool(p["premium"]))}
            for p in t["parties"]
        ),
        pk="customer_id",
    )
    db["accounts"].insert_all(_accounts(world), pk="account_number", foreign_keys=[("customer_id", "customers")])
    db["accounts"].create_index(["customer_id"])
    db["lines"].insert_all(
        (
            {"msisdn": ln["msisdn"], "account_number": ln["account_number"], "customer_id": ln["customer_id"]}
            for ln in t["lines"]
        ),
        pk="msisdn",
    )
    db["lines"].create_index(["account_number"])
    db["escalations"].create(
        {
            "escalation_id": str,
            "case_id": str,
            "customer_id": str,
            "account_number": str,
            "msisdn": str,
            "area_code": str,
            "typification_code": str,
            "category": str,
            "cun": str,
            "description": str,
            "advisor": str,
            "state": str,
            "sla_hours": int,
            "created_at": str,
            "updated_at": str,
            "due_at": str,
            "answer": str,
            "answered_by": str,
            "answered_at": str,
            "closed_at": str,
        },
        pk="escalation_id",
    )
    for columns in (["case_id"], ["customer_id"], ["state"], ["area_code"]):
        db["escalations"].create_index(columns)
    db["evidence"].create(
        {"escalation_id": str, "position": int, "name": str, "url": str, "text": str}, pk=("escalation_id", "position")
    )
    db["notes"].create(
        {"note_id": int, "escalation_id": str, "text": str, "author": str, "created_at": str}, pk="note_id"
    )
    db["notes"].create_index(["escalation_id"])
    db["state_changes"].create(
        {
            "change_id": int,
            "escalation_id": str,
            "from_state": str,
            "to_state": str,
            "at": str,
            "actor": str,
            "comment": str,
        },
        pk="change_id",
    )
    db["state_changes"].create_index(["escalation_id"])
    _seed_history(db, world)


def _accounts(world: World):
    for a in world.tables["home_accounts"]:
        yield {"account_number": a["account_number"], "customer_id": a["customer_id"], "system": "rr", "line": "hogar"}
    for a in world.tables["mobile_accounts"]:
        yield {"account_number": a["account_number"], "customer_id": a["customer_id"], "system": "ac", "line": "movil"}


def _seed_history(db, world: World) -> None:
    """Past escalations: the oldest are answered (most within SLA), a few are still open past their due date."""
    rng = random.Random(f"{world.config.seed}:dime:escalations")
    co = colombian_holidays()
    t = world.tables
    first_line = {}
    for ln in t["lines"]:
        first_line.setdefault(ln["account_number"], ln["msisdn"])
    accounts = list(_accounts(world))
    now = world.now
    drafts = []
    areas = {a["area_code"]: a for a in t["resolver_areas"]}
    for account in rng.sample(accounts, min(SEEDED_ESCALATIONS, len(accounts))):
        codes = [c for c in t["typifications"] if c["line"] in (account["line"], "ambos")]
        code = rng.choice(codes)
        area = areas[rng.choice(_usual_areas(code, account["line"]))]
        day = now.date() - dt.timedelta(days=rng.randrange(0, 35))
        while not is_business_day(day, co):
            day -= dt.timedelta(days=1)
        created = dt.datetime.combine(day, dt.time(rng.randrange(7, 19), rng.randrange(60)), tzinfo=BOGOTA)
        if created >= now - dt.timedelta(hours=1):
            created -= dt.timedelta(days=1 if day.weekday() else 3)
        drafts.append((created, account, code, area))
    drafts.sort(key=lambda d: (d[0], d[1]["account_number"]))
    for n, (created, account, code, area) in enumerate(drafts, start=1):
        _write_seeded(db, rng, co, n, created.astimezone(BOGOTA), account, code, area, first_line, now)


def _usual_areas(code: dict, line: str) -> tuple[str, ...]:
    """Where advisors usually send a typification (any area handling its category is accepted on creation)."""
    family = code["code"][:7]
    if code["category"] == "SOPORTE":
        return ("SOPN2", "NOC") if line == "hogar" else ("RADIO", "NOC", "APROV")
    if code["category"] == "PQR":
        return ("PQRCRC", "FACT") if family == "PQR-FAC" else ("PQRCRC",)
    if code["category"] == "VENTAS":
        return ("APROV", "RETEN")
    if family in ("SAC-FAC", "SAC-AJU", "SAC-PAG"):
        return ("FACT",)
    if family == "SAC-FIN":
        return ("CART",)
    if family == "SAC-SUS":
        return ("RETEN",)
    return ("APROV",)


def _write_seeded(db, rng, co, n, created, account, code, area, first_line, now) -> None:
    escalation_id = f"{ESCALATION_PREFIX}{n:08d}"
    due = add_business_hours(created, area["sla_hours"], co)
    advisor = rng.choice(_ADVISORS)
    resolver = f"{area['area_code'].lower()}.analista{rng.randrange(1, 6)}"
    history = [(None, "acknowledged", created, advisor, None)]
    state, answer, answered_at, closed_at = "acknowledged", None, None, None
    started = min(add_business_hours(created, rng.randrange(1, 6), co), now - dt.timedelta(minutes=30)).replace(
        microsecond=0
    )
    roll = rng.random()
    if due < now:
        if roll < 0.7:
            answered_at = min(
                add_business_hours(started, area["sla_hours"] * rng.uniform(0.3, 1.15), co),
                now - dt.timedelta(minutes=20),
            ).replace(microsecond=0)
            state = "rejected" if roll < 0.1 else "resolved"
            answer = _REJECTED if state == "rejected" else _RESOLVED[area["area_code"]]
            history += [
                ("acknowledged", "inProgress", started, resolver, None),
                ("inProgress", state, answered_at, resolver, answer),
            ]
            if roll > 0.25 and answered_at + dt.timedelta(days=1) < now:
                closed_at = answered_at + dt.timedelta(days=1)
                history.append((state, "closed", closed_at, advisor, "Respuesta informada al cliente."))
                state = "closed"
        else:
            state = "inProgress"
            history.append(("acknowledged", "inProgress", started, resolver, None))
    elif roll < 0.5 and started > created:
        state = "inProgress"
        history.append(("acknowledged", "inProgress", started, resolver, None))
    updated = history[-1][2]
    db["escalations"].insert(
        {
            "escalation_id": escalation_id,
            "case_id": f"CASO-{created:%Y}-{rng.randrange(10**6):06d}",
            "customer_id": account["customer_id"],
            "account_number": account["account_number"],
            "msisdn": first_line.get(account["account_number"]) if account["line"] == "movil" else None,
            "area_code": area["area_code"],
            "typification_code": code["code"],
            "category": code["category"],
            "cun": f"{rng.randrange(10**15, 10**16)}" if code["category"] == "PQR" else None,
            "description": rng.choice(_DESCRIPTIONS),
            "advisor": advisor,
            "state": state,
            "sla_hours": area["sla_hours"],
            "created_at": created.isoformat(),
            "updated_at": updated.isoformat(),
            "due_at": due.isoformat(),
            "answer": answer if state in ("resolved", "rejected", "closed") else None,
            "answered_by": resolver if answer else None,
            "answered_at": answered_at.isoformat() if answer else None,
            "closed_at": closed_at.isoformat() if closed_at else None,
        }
    )
    if rng.random() < 0.6:
        db["evidence"].insert(
            {
                "escalation_id": escalation_id,
                "position": 1,
                "name": "captura_chat.png",
                "url": f"https://evidencias.claro.com.co/dime/{escalation_id}/captura_chat.png",
                "text": None,
            }
        )
    for from_state, to_state, at, actor, comment in history:
        db["state_changes"].insert(
            {
                "escalation_id": escalation_id,
                "from_state": from_state,
                "to_state": to_state,
                "at": at.isoformat(),
                "actor": actor,
                "comment": comment,
            }
        )
