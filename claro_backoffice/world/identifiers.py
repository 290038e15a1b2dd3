"""Identifier formats of the world, each documented once.

| identifier | format | owner |
|---|---|---|
| customer_id | `CUS` + 8 digits | the party: every system uses it |
| cédula de ciudadanía (CC) | 6 or 8 digits (old series), 10 digits starting `10` (born 1986 on) | Registraduría |
| cédula de extranjería (CE) | 6 or 7 digits | Migración Colombia |
| NIT | 9 digits and DIAN's check digit (10 digits) | DIAN |
| RR home account | 8 digits, first digit 1-8 | RR |
| cuenta matriz | 8 digits, first digit 9 | RR (building / condominium parent account) |
| AC mobile account | 10 digits, first digit 1-9 | AC |
| msisdn | 10 national digits, first digit 3 | AC |
"""

from __future__ import annotations

import random
import re

from stdnum import luhn
from stdnum.co import nit

RR_ACCOUNT = re.compile(r"^[1-8][0-9]{7}$")
CUENTA_MATRIZ = re.compile(r"^9[0-9]{7}$")
AC_ACCOUNT = re.compile(r"^[1-9][0-9]{9}$")
CUSTOMER_ID = re.compile(r"^CUS[0-9]{8}$")


def account_system(account_id: str) -> str | None:
    """'rr' or 'ac' from the account number's format alone; None when it is neither."""
    if RR_ACCOUNT.match(account_id) or CUENTA_MATRIZ.match(account_id):
        return "rr"
    if AC_ACCOUNT.match(account_id):
        return "ac"
    return None


def customer_id(index: int) -> str:
    return f"CUS{index:08d}"


# Cédulas de ciudadanía: the old series numbered people 1 to about 99 million, so older holders have 6 or 8 digits
# (the world uses no 7-digit numbers); from about 2004 a citizen turning 18 gets a 10-digit number starting 10 (the
# NUIP), so those born from 1986 on hold one and nobody older does. 6-digit numbers belong to the oldest holders.
NEW_SERIES_FROM_BIRTH_YEAR = 1986
SIX_DIGITS_BEFORE_BIRTH_YEAR = 1960


def cedula_fits(number: str, birth_year: int) -> bool:
    """Whether a cédula de ciudadanía of this shape can belong to someone born in `birth_year`."""
    if birth_year >= NEW_SERIES_FROM_BIRTH_YEAR:
        return len(number) == 10 and number.startswith("10")
    return len(number) == 8 or (len(number) == 6 and birth_year < SIX_DIGITS_BEFORE_BIRTH_YEAR)


def draw_cedula(rng: random.Random, birth_year: int) -> str:
    """A cédula de ciudadanía of the series someone born in `birth_year` was issued."""
    if birth_year >= NEW_SERIES_FROM_BIRTH_YEAR:
        return str(rng.randrange(1_000_000_000, 1_100_000_000))
    if birth_year < SIX_DIGITS_BEFORE_BIRTH_YEAR and rng.random() < 0.3:
        return str(rng.randrange(100_000, 1_000_000))
    return str(rng.randrange(10_000_000, 100_000_000))


DOCUMENT_SHAPES = {
    "CC": "6 or 8 digits, or 10 digits starting with 10",
    "CE": "6 or 7 digits",
    "NIT": "10 digits: 9 and DIAN's check digit",
}


def document_problem(document_type: str | None, number: str) -> str | None:
    """Why `number` cannot be a document of that type (of any type when None) in this world, or None when it can."""
    if document_type is None:
        if any(document_problem(t, number) is None for t in DOCUMENT_SHAPES):
            return None
        shapes = "; ".join(f"{t}: {shape}" for t, shape in DOCUMENT_SHAPES.items())
        return f"document number {number} is not a CC, CE or NIT ({shapes})"
    fits = {
        "CC": len(number) in (6, 8) or (len(number) == 10 and number.startswith("10")),
        "CE": len(number) in (6, 7),
        "NIT": len(number) == 10,
    }.get(document_type)
    if fits is None:
        return f"{document_type} is not a document type of this world (CC, CE or NIT)"
    if not fits or not number.isdigit():
        return f"{number} is not a {document_type} number: a {document_type} has {DOCUMENT_SHAPES[document_type]}"
    if document_type == "NIT" and nit_with_check_digit(number[:9]) != number:
        return f"{number} is not a NIT: the check digit of {number[:9]} is {nit.calc_check_digit(number[:9])}"
    return None


def nit_with_check_digit(base: str) -> str:
    """'800153993' -> '8001539937' (DIAN's weights, via python-stdnum)."""
    return base + nit.calc_check_digit(base)


def with_luhn(partial: str) -> str:
    return partial + luhn.calc_check_digit(partial)


def imei(tac: str, serial: str) -> str:
    """15 digits: 8-digit type allocation code, 6-digit serial, Luhn check digit."""
    return with_luhn(tac + serial)


def iccid(serial: str) -> str:
    """19 digits: 89 (telecom) 57 (Colombia) 101 (issuer) + 11-digit serial + Luhn check digit."""
    return with_luhn("8957101" + serial)
