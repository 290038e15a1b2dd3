"""es-CO money and Bogotá times as the console writes them."""

from __future__ import annotations

from claro_backoffice.console import formatting


def test_money_is_pesos_with_dots_between_thousands():
    assert formatting.money(45900) == "$ 45.900"
    assert formatting.money(1234567.4) == "$ 1.234.567"
    assert formatting.money(-1200) == "-$ 1.200"
    assert formatting.money(0) == "$ 0"
    assert formatting.money(None) == "—"


def test_times_are_bogota_times():
    assert formatting.clock("2026-11-04T13:05:00Z") == "08:05"
    assert formatting.date_time("2026-11-05T04:30:00+00:00") == "4 nov 2026, 23:30"
    assert formatting.date_time(None) == "—"
    assert formatting.day("2022-07-01") == "1 jul 2022"


def test_waiting_times_and_phones():
    assert formatting.waited(125) == "2 min 05 s"
    assert formatting.waited(3725) == "1 h 02 min"
    assert formatting.seconds_between("2026-11-04T08:00:00-05:00", "2026-11-04T13:10:30Z") == 630
    assert formatting.phone("573130568954") == "+57 313 056 8954"
