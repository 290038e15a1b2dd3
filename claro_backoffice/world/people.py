"""Parties: the people and the few companies who are Claro's customers, with their homes."""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from claro_backoffice.world.identifiers import cedula_fits, customer_id, draw_cedula, nit_with_check_digit

if TYPE_CHECKING:
    from faker import Faker

# What a billing system (RR, AC) keeps of a party as its subscriber: both seed from this one list.
SUBSCRIBER_FIELDS = (
    "customer_id",
    "document_type",
    "document_number",
    "first_name",
    "last_name",
    "business_name",
    "birth_date",
    "email",
    "contact_mobile",
    "premium",
    "customer_since",
)
_EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "claro.net.co", "une.net.co")
_COMPANY_FORMS = (
    "Inversiones {a} S.A.S.",
    "{a} & {b} Asociados S.A.S.",
    "Distribuidora {c} Ltda.",
    "Comercializadora {a} S.A.S.",
    "Ferretería {a} e Hijos S.A.S.",
    "Clínica Dental {a} S.A.S.",
)
# Mobile prefixes of other operators: a ported number keeps its original range.
_PORTED_PREFIXES = (
    ("300", "Tigo"),
    ("301", "Tigo"),
    ("304", "Tigo"),
    ("315", "Movistar"),
    ("316", "Movistar"),
    ("317", "Movistar"),
    ("318", "Movistar"),
    ("333", "WOM"),
    ("324", "WOM"),
)
_CLARO_PREFIXES = ("310", "311", "312", "313", "314", "320", "321", "322", "323")


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


class PhoneBook:
    """Hands out unique national numbers; the business line 3112000000 is reserved."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = {"3112000000"}

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            number = make()
            if number not in self.used:
                self.used.add(number)
                return number

    def claro_mobile(self) -> str:
        return self._unique(lambda: self.rng.choice(_CLARO_PREFIXES) + f"{self.rng.randrange(10**7):07d}")

    def ported_mobile(self) -> tuple[str, str]:
        prefix, operator = self.rng.choice(_PORTED_PREFIXES)
        return self._unique(lambda: prefix + f"{self.rng.randrange(10**7):07d}"), operator

    def fixed_line(self, zone: str) -> str:
        return self._unique(lambda: "60" + zone + f"{self.rng.randrange(2_000_000, 9_999_999):07d}")


def pick_municipality(rng: random.Random, municipalities: list[dict]) -> dict:
    return rng.choices(municipalities, weights=[m["weight"] for m in municipalities])[0]


def jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point within about `km` of (lat, lon), rounded to ~10 m."""
    dist = km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = dist / 111.0 * math.cos(angle)
    dlon = dist / (111.0 * math.cos(math.radians(lat))) * math.sin(angle)
    return round(lat + dlat, 5), round(lon + dlon, 5)


def make_party(
    index: int,
    rng: random.Random,
    side: random.Random,
    fake: Faker,
    municipalities: list[dict],
    reference: dt.date,
    used_documents: set,
) -> dict:
    """One customer. 3% are companies (NIT), 4% foreigners (CE), the rest citizens (CC).

    `rng` draws what it always drew, in the same order, so the world's identifiers stay put; what must agree with
    the person's age (the cédula's series, the first contract after turning 18) is redrawn from `side` when the
    first draw does not agree.
    """
    reference_year = reference.year
    roll = rng.random()
    first, last = fake.first_name(), f"{fake.last_name()} {fake.last_name()}"
    business_name = None
    if roll < 0.03:
        doc_type = "NIT"

        def make_doc() -> str:
            return nit_with_check_digit(str(rng.randrange(800_000_000, 901_999_999)))

        a, b = last.split(" ")
        business_name = rng.choice(_COMPANY_FORMS).format(a=a, b=b, c=rng.choice(municipalities)["name"])
    elif roll < 0.07:
        doc_type = "CE"

        def make_doc() -> str:
            return str(rng.randrange(100_000, 9_999_999))

    else:
        doc_type = "CC"

        def make_doc() -> str:  # any series: checked against the holder's age below
            return str(
                rng.choice(
                    (
                        rng.randrange(100_000, 999_999),
                        rng.randrange(10_000_000, 99_999_999),
                        rng.randrange(1_000_000_000, 1_099_999_999),
                        rng.randrange(10_000_000, 99_999_999),
                    )
                )
            )

    document = make_doc()
    while (doc_type, document) in used_documents:
        document = make_doc()
    used_documents.add((doc_type, document))
    municipality = pick_municipality(rng, municipalities)
    email_user = ascii_slug(business_name.split(" ")[0] + last if business_name else first + "." + last.split(" ")[0])
    age = rng.randrange(19, 82)
    born = dt.date(reference_year - age, rng.randrange(1, 13), rng.randrange(1, 29))
    email = f"{email_user}{rng.randrange(1, 999)}@{rng.choice(_EMAIL_DOMAINS)}"
    since = dt.date(rng.randrange(2004, reference_year), rng.randrange(1, 13), 1)
    if business_name is None:
        if doc_type == "CC" and not cedula_fits(document, born.year):
            used_documents.discard((doc_type, document))
            while (doc_type, document) in used_documents or not cedula_fits(document, born.year):
                document = draw_cedula(side, born.year)
            used_documents.add((doc_type, document))
        if since < adult_on(born):
            since = first_contract(side, born, reference)
    return {
        "customer_id": customer_id(index),
        "document_type": doc_type,
        "document_number": document,
        "first_name": None if business_name else first,
        "last_name": None if business_name else last,
        "business_name": business_name,
        "birth_date": None if business_name else born.isoformat(),
        "email": email,
        "municipality_code": municipality["code"],
        "customer_since": since.isoformat(),
    }


def adult_on(born: dt.date) -> dt.date:
    """The 18th birthday: nobody signs a contract with Claro before it (birth days are 1-28, no 29 February)."""
    return born.replace(year=born.year + 18)


def first_contract(rng: random.Random, born: dt.date, reference: dt.date) -> dt.date:
    """The first day of a month from the 18th birthday (and 2004) to the month before `reference`."""
    adult = adult_on(born)
    first = max(dt.date(2004, 1, 1), dt.date(adult.year, adult.month, 1))
    if first < adult:
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = dt.date(reference.year - (reference.month == 1), (reference.month - 2) % 12 + 1, 1)
    months = (last.year - first.year) * 12 + last.month - first.month
    month = first.month - 1 + rng.randrange(max(months, 0) + 1)
    return dt.date(first.year + month // 12, month % 12 + 1, 1)


def display_name(party: dict) -> str:
    return party["business_name"] or f"{party['first_name']} {party['last_name']}"
