"""End to end with the real screening (flows.safety), through the real webhook:
danger now is met with the emergency numbers first, and PALS is told."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support.dialogue import escalations, reach_the_harm_question

pytestmark = pytest.mark.skipif(importlib.util.find_spec("flows.safety") is None,
                                reason="flows.safety (the screening) is not in the tree yet")
URGENT_NUMBERS = ("999", "111", "116 123", "85258")


def test_the_real_screen_puts_urgent_help_first_and_raises_an_urgent_escalation(
        phone, services):
    assert services.env.screen is not None          # wired by bootstrap.engine_environment
    reach_the_harm_question(phone)
    first, *rest = phone.send("Yes. Since then I want to kill myself, I have nothing left")
    assert all(number in first for number in URGENT_NUMBERS)
    assert any("Would you like PALS to contact you" in r for r in rest)
    (escalation,) = escalations(services)
    assert escalation.urgent and escalation.outcome == "1C"


def test_the_real_screen_finds_harm_in_an_answer_to_another_question(phone, services):
    phone.send("Hi")
    reply = phone.say("No. A nurse slapped me and shouted at me when I asked for a chaperone")
    assert "PALS team will read what you wrote" in reply
    (escalation,) = escalations(services)
    assert escalation.outcome == "1A" and escalation.categories
