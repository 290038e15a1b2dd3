"""Home (hogar) accounts as RR holds them: account, services, cable modem, cuenta matriz."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holidays import HolidayBase

    from claro_backoffice.world.catalogues import Catalogues

_MODEMS_HFC = ("Technicolor CGA4233", "Arris TG2482A", "Sagemcom F@st 3890")
_MODEMS_FTTH = ("Huawei HG8145V5", "ZTE F670L")
_BUILDING_FORMS = (
    "Conjunto Residencial {x}",
    "Edificio {x}",
    "Torres de {x}",
    "Conjunto Cerrado {x}",
    "Reserva de {x} P.H.",
)
_BUILDING_NAMES = (
    "San Rafael",
    "Los Almendros",
    "Santa Bárbara",
    "El Nogal",
    "Alameda del Río",
    "Las Palmas",
    "Mirador del Parque",
    "Portal de la Sabana",
    "Balcones de San Juan",
    "Altos del Poblado",
    "Camino Real",
    "Los Cerezos",
    "Puerta del Sol",
    "Villa Verde",
    "La Colina",
)


def make_cuenta_matriz(
    rng: random.Random, number: str, municipality: dict, street: str, node: dict, lat: float, lon: float
) -> dict:
    name = rng.choice(_BUILDING_FORMS).format(x=rng.choice(_BUILDING_NAMES))
    return {
        "cuenta_matriz": number,
        "name": name,
        "address": street,
        "municipality_code": municipality["code"],
        "municipality": municipality["name"],
        "units": rng.choice((24, 48, 60, 96, 120, 240)),
        "node": node["node"],
        "latitude": lat,
        "longitude": lon,
    }


def make_home_account(
    rng: random.Random,
    number: str,
    party: dict,
    municipality: dict,
    address: str,
    lat: float,
    lon: float,
    node: dict,
    matriz: dict | None,
    created: str,
) -> dict:
    return {
        "account_number": number,
        "customer_id": party["customer_id"],
        "status": "suspendido" if rng.random() < 0.03 else "activo",
        "address": address,
        "municipality": municipality["name"],
        "municipality_code": municipality["code"],
        "department": municipality["department"],
        "department_code": municipality["department_code"],
        "estrato": rng.choices((1, 2, 3, 4, 5, 6), weights=(5, 18, 32, 24, 13, 8))[0],
        "latitude": lat,
        "longitude": lon,
        "node": node["node"],
        "cuenta_matriz": matriz["cuenta_matriz"] if matriz else None,
        "billing_cycle": rng.choice((1, 8, 15, 22)),
        "created_at": created,
    }


def make_home_services(
    rng: random.Random, account: dict, catalogues: Catalogues, node: dict, fixed_line: str | None
) -> list[dict]:
    """Internet almost always, TV and telephony often; a fixed line comes with telephony."""
    plans = catalogues.home_plans
    technology = node["technology"]
    internet_choices = [p for p in plans["internet"] if ("Fibra" in p["plan_name"]) == (technology == "FTTH")]
    services = []
    status = "suspendido" if account["status"] == "suspendido" else "activo"
    n = 1
    if rng.random() < 0.95:
        plan = rng.choice(internet_choices)
        services.append(
            {
                "service_id": f"{account['account_number']}-{n:02d}",
                "account_number": account["account_number"],
                "service_type": "internet",
                "plan_name": plan["plan_name"],
                "down_mbps": plan["down_mbps"],
                "up_mbps": plan["up_mbps"],
                "channels": None,
                "fixed_line": None,
                "technology": technology,
                "monthly_fee": plan["monthly_fee"],
                "status": status,
            }
        )
        n += 1
    if rng.random() < 0.6 or not services:
        plan = rng.choice(plans["tv"])
        services.append(
            {
                "service_id": f"{account['account_number']}-{n:02d}",
                "account_number": account["account_number"],
                "service_type": "tv",
                "plan_name": plan["plan_name"],
                "down_mbps": None,
                "up_mbps": None,
                "channels": plan["channels"],
                "fixed_line": None,
                "technology": technology,
                "monthly_fee": plan["monthly_fee"],
                "status": status,
            }
        )
        n += 1
    if fixed_line:
        plan = rng.choice(plans["telefonia"])
        services.append(
            {
                "service_id": f"{account['account_number']}-{n:02d}",
                "account_number": account["account_number"],
                "service_type": "telefonia",
                "plan_name": plan["plan_name"],
                "down_mbps": None,
                "up_mbps": None,
                "channels": None,
                "fixed_line": fixed_line,
                "technology": technology,
                "monthly_fee": plan["monthly_fee"],
                "status": status,
            }
        )
    return services


def make_cable_modem(rng: random.Random, account: dict, internet: dict) -> dict:
    ftth = internet["technology"] == "FTTH"
    mac = ":".join(f"{rng.randrange(256):02X}" for _ in range(6))
    return {
        "mac_address": mac,
        "serial_number": f"{'ONT' if ftth else 'CM'}{rng.randrange(10**10):010d}",
        "model": rng.choice(_MODEMS_FTTH if ftth else _MODEMS_HFC),
        "technology": internet["technology"],
        "account_number": account["account_number"],
        "node": account["node"],
        "provisioned_down_mbps": internet["down_mbps"],
        "provisioned_up_mbps": internet["up_mbps"],
    }


_LLS_REASONS = (
    "Cable módem sin sincronía",
    "Cambio de decodificador",
    "Revisión de acometida",
    "Señal de TV con pixelación",
    "Traslado de punto de red",
)
# Visit slots inside legal contact hours: Mon-Fri 07-19, Sat 08-15 (Ley 2300/2023), two hours each.
_SLOT_HOURS = {
    0: (7, 9, 11, 13, 15, 17),
    1: (7, 9, 11, 13, 15, 17),
    2: (7, 9, 11, 13, 15, 17),
    3: (7, 9, 11, 13, 15, 17),
    4: (7, 9, 11, 13, 15, 17),
    5: (8, 10, 12),
}


def make_past_lls(
    rng: random.Random, seed: int, n: int, account: dict, now: dt.datetime, co_holidays: HolidayBase
) -> dict | None:
    """About one home account in ten had a technician at home (an LLS) in the last four months."""
    if rng.random() >= 0.1:
        return None
    day = now.date() - dt.timedelta(days=rng.randrange(10, 120))
    while day.weekday() == 6 or day in co_holidays:
        day -= dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(rng.choice(_SLOT_HOURS[day.weekday()])), tzinfo=now.tzinfo)
    return {
        "lls_id": f"LLS{seed % 1000:03d}{n:07d}",
        "account_number": account["account_number"],
        "reason": rng.choice(_LLS_REASONS),
        "state": "completed",
        "source": "rr",
        "slot_start": start.isoformat(),
        "slot_end": (start + dt.timedelta(hours=2)).isoformat(),
        "technician": f"TEC-{rng.randrange(1000, 9999)}",
        "created_at": (start - dt.timedelta(days=2)).isoformat(),
    }
