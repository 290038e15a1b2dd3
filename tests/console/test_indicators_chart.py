"""The indicators' daily chart, drawn on the server: bar heights from the values (worked out by hand on a plot
166 px high and 544 px wide), the scale, and what makes it readable without colour (titles, value labels)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from claro_backoffice.console import indicators_chart as chart
from claro_backoffice.console.kpi import figure, number

SVG = "{http://www.w3.org/2000/svg}"


def test_percentages_scale_to_the_first_round_number_above_the_largest():
    days = [
        {"date": "2026-11-01", "value": 2.0},
        {"date": "2026-11-02", "value": 5.0},
        {"date": "2026-11-03", "value": None},
    ]
    assert chart.scale([2.0, 5.0, None]) == (0, 5)
    first, second, empty = chart.bars(days)
    # 166 px for 0..5: 2 -> 166 * 2/5 = 66.4 px, standing on the zero line at 22 + 166 = 188.
    assert (first.height, first.y) == (66.4, 121.6)
    assert (second.height, second.y) == (166.0, 22.0)
    assert (empty.height, empty.value) == (0.0, None)
    # three slots of 544/3 = 181.33 px, each bar 60 % of its slot, 20 % in from its left edge
    assert (first.x, first.width) == (84.3, 108.8)
    assert second.x == round(48 + 181.3333 + 36.2667, 1)


def test_a_negative_nps_hangs_below_the_zero_line():
    first, second = chart.bars([{"date": "2026-11-01", "value": -50}, {"date": "2026-11-02", "value": 100}])
    # axis −50..100 (150 points on 166 px): zero at 22 + 166 * 100/150 = 132.7
    assert chart.scale([-50, 100]) == (-50, 100)
    assert (first.y, first.height) == (132.7, 55.3)
    assert (second.y, second.height) == (22.0, 110.7)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3.64, 1.2], (0, 5)), ([26], (0, 50)), ([100], (0, 100)), ([0, None], (0, 1)), ([], (0, 1)), ([-7], (-10, 0))],
)
def test_scale(values, expected):
    assert chart.scale(values) == expected


def test_the_svg_is_labelled_and_says_every_value_in_text():
    days = [{"date": "2026-10-28", "value": 3.64}, {"date": "2026-10-29", "value": None}]
    root = ET.fromstring(str(chart.svg("AUSENTISMO", days, "chart-ausentismo")))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-ausentismo-title chart-ausentismo-desc"
    assert root.find(f"{SVG}title").text == "AUSENTISMO por día"
    assert "28/10" in root.find(f"{SVG}desc").text and "29/10" in root.find(f"{SVG}desc").text
    rects = root.findall(f"{SVG}rect")
    assert [r.find(f"{SVG}title").text for r in rects] == ["28/10: 3,64 %", "29/10: sin datos"]
    assert float(rects[0].get("height")) == round(166 * 3.64 / 5, 1)  # 120.8
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "3,64 %" in texts and "sin datos" in texts and "5 %" in texts and "0 %" in texts


def test_colombian_figures():
    assert number(1234.5) == "1.234,5"
    assert number(57.5) == "57,5"
    assert number(0) == "0"
    assert figure("AUSENTISMO", 5.98) == "5,98 %"
    assert figure("NPS", 12.5) == "+12,5"
    assert figure("NPS", -20) == "−20"
    assert figure("FCR", None) == "—"


def test_the_chart_has_every_day_of_the_window_those_without_a_figure_empty():
    from claro_backoffice.console.supervisor_reports import every_day

    days = every_day("2026-10-31", "2026-11-02", [{"date": "2026-11-01", "value": 4.0, "numerator": 2}])
    assert [(d["date"], d["value"]) for d in days] == [("2026-10-31", None), ("2026-11-01", 4.0), ("2026-11-02", None)]
