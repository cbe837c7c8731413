"""What a patient who discloses harm hears, and what is kept: urgent help
first, a kind pause, PALS told, and a contact route only after a clear yes."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.escalations import close_case, contact_for
from feedback.messaging import Inbound
from flows.session import GROUP
from storage.models import Answer, EscalationContact, Response
from tests.support import pals_fixtures
from tests.support.dialogue import escalations, reach_the_harm_question

# the services built with the fake screen and no PALS route (delivery is tested elsewhere)
clock, pals, settings, services = (pals_fixtures.clock, pals_fixtures.pals,
                                   pals_fixtures.settings, pals_fixtures.services)
URGENT_NUMBERS = ("999", "111", "116 123", "85258")
NUMBER = "+447700900123"
_sids = itertools.count(1)


def contacts(services) -> list[EscalationContact]:
    with services.db.transaction() as tx:
        return list(tx.scalars(select(EscalationContact)))


def test_danger_now_gets_the_emergency_numbers_first_then_pals_then_a_kind_pause(
        phone, services):
    reach_the_harm_question(phone)
    first, *rest = phone.send("Yes, a doctor hurt me and I want to end my life")
    assert all(number in first for number in URGENT_NUMBERS)
    assert "PALS team will read what you wrote" in rest[0]
    assert "Would you like PALS to contact you" in rest[1]

    after = phone.say("No")
    assert "PALS will not contact you" in after and "paused the survey" in after
    assert "experience" not in after                       # the next question waits

    assert "paused the survey" in phone.say("I just feel very tired today")
    assert "experience of the service" in phone.say("CONTINUE")
    (escalation,) = escalations(services)
    assert escalation.urgent and escalation.categories == ["physical_harm", "self_harm"]
    assert contacts(services) == []
    with services.db.transaction() as tx:
        comment = tx.scalar(select(Answer.text).where(Answer.step == "comment"))
    assert comment == "I just feel very tired today"        # words sent while paused are kept


def test_only_a_clear_yes_keeps_a_contact_route_encrypted_for_pals(phone, services):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    reply = phone.say("Yes please")
    (escalation,) = escalations(services)
    assert f"PALS will contact you. Your reference is {escalation.reference}" in reply
    assert "experience of the service" in reply              # not urgent: the survey goes on
    (contact,) = contacts(services)
    assert contact.channel == "sms" and NUMBER.encode() not in contact.address_encrypted
    with services.db.transaction() as tx:
        assert contact_for(tx, escalation.id, "officer@example.nhs.uk", services.keys) == NUMBER


def test_no_means_no_contact(phone, services):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    assert "PALS will not contact you" in phone.say("No thanks")
    assert len(escalations(services)) == 1 and contacts(services) == []


def test_an_unclear_answer_is_asked_once_more_and_its_words_are_kept(phone, services):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    assert "Would you like PALS to contact you" in phone.say("I am not sure what would happen")
    assert contacts(services) == []
    assert "PALS will not contact you" in phone.say("maybe later")
    assert contacts(services) == []
    with services.db.transaction() as tx:
        comment = tx.scalar(select(Answer.text).where(Answer.step == "comment"))
    assert comment == "I am not sure what would happen\nmaybe later"


def test_a_bare_yes_to_the_harm_question_reaches_pals(phone, services):
    reach_the_harm_question(phone)
    assert "tell us a little more" in phone.say("Yes")
    assert escalations(services) == []                       # waits for their words
    assert "Would you like PALS to contact you" in phone.say("The waiting room was unsafe")
    (escalation,) = escalations(services)
    assert escalation.outcome == "1C" and escalation.categories == []
    assert escalation.text == "Yes — The waiting room was unsafe"
    assert escalation.evidence == ["answered yes to q1c"]


@pytest.mark.parametrize("leaving", ["STOP", "RESTART", "silence"])
def test_a_bare_yes_reaches_pals_even_if_the_patient_says_no_more(
        phone, services, clock, leaving):
    reach_the_harm_question(phone)
    phone.send("Yes")
    if leaving == "silence":
        clock.advance(days=8)
        assert services.conversations.expire_idle() == 1
    else:
        phone.send(leaving)
    (escalation,) = escalations(services)
    assert escalation.outcome == "1C" and escalation.text == "Yes"


def test_in_a_group_nothing_is_echoed_everyone_gets_pals_neutrally_and_pals_is_told(services):
    def say(text: str) -> list[str]:
        turn = services.conversations.handle(Inbound(
            channel="telegram", address="-100123456", to="", text=text,
            provider_id=f"group-{next(_sids)}", context=GROUP, service_slug="demo"))
        return [r.text for r in turn.replies]

    words = "The porter shouted at my dad and hurt me"
    say("Hi")
    replies = say(words)
    joined = "\n".join(replies)
    assert "PALS can help" in joined and "0800 000 0000" in joined
    assert "porter" not in joined and "shouted" not in joined and "hurt" not in joined
    assert "Would you like PALS to contact you" not in joined
    (escalation,) = escalations(services)
    assert escalation.text == words and escalation.outcome == "1A"
    assert contacts(services) == []


@pytest.mark.parametrize("language", ["en", "cy", "pl", "ur", "pa", "ar"])
def test_urgent_help_comes_first_in_every_language(services, language):
    number = f"+4477009003{len(language)}{ord(language[0]) % 10}"

    def say(text: str) -> list:
        return list(services.conversations.handle(Inbound(
            channel="sms", address=number, to="+447700900001", text=text,
            provider_id=f"lang-{next(_sids)}")).replies)

    welcome = services.conversations.begin("demo", "sms", number, language=language).replies
    expected = language if services.env.catalogue.has(language) else "en"
    assert welcome[0].language == expected
    first = say("1 — I was treated badly and I want to end my life")[0]
    assert first.key == "safety.urgent" and first.language == expected
    assert all(n in first.text for n in URGENT_NUMBERS), first.text


def test_closing_the_case_deletes_the_contact_route(phone, services):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    phone.send("Yes")
    (escalation,) = escalations(services)
    assert len(contacts(services)) == 1
    with services.db.transaction() as tx:
        close_case(tx, escalation.id, "officer@example.nhs.uk", "Apology given")
    assert contacts(services) == []
    with services.db.transaction() as tx:
        assert contact_for(tx, escalation.id, "officer@example.nhs.uk", services.keys) is None


def test_the_contact_route_is_never_with_the_answers(phone, services):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    phone.send("Yes, call me on 07700 900123")
    (contact,) = contacts(services)
    with services.db.transaction() as tx:
        stored = [a.text for a in tx.scalars(select(Answer))]
        stored += [r.reference for r in tx.scalars(select(Response))]
    assert not any("900123" in text for text in stored)
    assert not any(c.name.startswith(("address", "contact"))
                   for table in (Answer.__table__, Response.__table__) for c in table.columns)


def test_no_form_of_the_number_is_in_the_database_file_after_a_consented_contact(
        phone, services, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans the SQLite files; the PostgreSQL pass checks the tables above")
    from tests.test_privacy import FORMS, database_files, encodings

    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    phone.send("Yes")
    assert len(contacts(services)) == 1
    services.db.dispose()
    for path in database_files(database_url):
        data = path.read_bytes()
        for form in FORMS:
            for encoded in encodings(form):
                assert encoded not in data, (path.name, form)


def test_escalations_list_json_has_the_case_and_no_contact_details(
        phone, services, database_url, tmp_path):
    reach_the_harm_question(phone)
    phone.send("Yes, a nurse hit me when I asked for help")
    phone.send("Yes")
    (escalation,) = escalations(services)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACK_", "PALS_"))}
    environ.update(FEEDBACK_DATABASE_URL=database_url, FEEDBACK_SECRET_KEY="cli-secret",
                   FEEDBACK_INSTANCE_PATH=str(tmp_path / "instance"))
    command = [sys.executable, "-m", "feedback.cli", "escalations", "list"]
    result = subprocess.run([*command, "--json"], env=environ, capture_output=True, text=True,
                            timeout=60, check=True, cwd=Path(__file__).parent.parent)
    (row,) = json.loads(result.stdout)
    assert row["reference"] == escalation.reference and row["service"] == "demo"
    assert row["categories"] == ["physical_abuse"] and row["urgent"] is False
    assert row["delivered"] is False and row["created"] == escalation.created_at.isoformat()
    assert not {"contact", "address", "channel", "text"} & set(row)
    for form in ("+447700900123", "07700900123", "7700900123"):
        assert form not in result.stdout
    table = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60,
                           check=True, cwd=Path(__file__).parent.parent).stdout
    assert escalation.reference in table and "physical_abuse" in table
    assert "7700900123" not in table
