"""CLOSING_QUESTION_MINUTES and CONVERSATION_INACTIVITY_MINUTES: documented defaults (our choice: the procedure is
silent), read from the environment, and refused when they could never let a conversation end."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.settings import GatewaySettings


def test_the_documented_defaults():
    settings = GatewaySettings.from_env({})
    assert (settings.closing_question_minutes, settings.inactivity_minutes) == (10, 15)


def test_the_environment_sets_them():
    settings = GatewaySettings.from_env({"CLOSING_QUESTION_MINUTES": "3", "CONVERSATION_INACTIVITY_MINUTES": "45"})
    assert (settings.closing_question_minutes, settings.inactivity_minutes) == (3, 45)


@pytest.mark.parametrize("variable", ["CLOSING_QUESTION_MINUTES", "CONVERSATION_INACTIVITY_MINUTES"])
@pytest.mark.parametrize("value", ["0", "-5", "diez"])
def test_a_wait_that_is_not_a_positive_number_of_minutes_stops_the_start(variable, value):
    with pytest.raises(ValueError) as refused:
        GatewaySettings.from_env({variable: value})
    assert variable in str(refused.value)
