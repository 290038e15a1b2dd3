"""The rubric is data checked against gateway/training/rubric.schema.json (and its own rules)."""

from __future__ import annotations

import copy

import pytest

from claro_backoffice.gateway.services import scenarios
from claro_backoffice.gateway.training import rubric


def test_the_rubric_is_valid_and_its_certifications_name_real_scenarios():
    loaded = rubric.load(scenario_names=scenarios.names())
    assert loaded["procedure"]["version"] == "1"
    assert {i["id"] for i in loaded["items"] if i.get("fatal")} == {"identity-first", "personal-data"}
    assert [i["id"] for i in loaded["items"] if i["kind"] == "manual"] == ["empathy", "clarity"]


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda r: r["items"][0].update(weight=0), "rubric items/0/weight"),
        (lambda r: r["items"][0].pop("check"), "rubric items/0"),
        (lambda r: r["items"][-1].update(check="welcome"), "rubric items/"),
        (lambda r: r["items"].append(copy.deepcopy(r["items"][0])), "ids repeated: welcome"),
        (lambda r: r["certifications"][0]["scenarios"].append("no-such"), "unknown scenarios no-such"),
        (lambda r: r.update(passThreshold=101), "rubric passThreshold"),
    ],
)
def test_a_broken_rubric_is_refused_naming_the_problem(change, detail):
    broken = copy.deepcopy(rubric.load())
    change(broken)
    with pytest.raises(rubric.RubricError, match=detail):
        rubric.check(broken, scenarios.names())
