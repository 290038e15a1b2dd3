"""Identifier formats of the world, each documented once.

| identifier | format | owner |
|---|---|---|
| customer_id | `CUS` + 8 digits | the party: every system uses it |
| cédula de ciudadanía | 6 or 8 digits (old series), 10 digits starting `10` (born 1986 on) | Registraduría |
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
