"""The telephone: a caller who only uses the phone answers by keypad and speech."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from storage.models import Answer, Response
from tests.support.phone import sign

_calls = itertools.count(1)


class Caller:
    """Twilio's side of a call: follows the <Gather action> and <Redirect> it is given."""

    def __init__(self, client, number="+447700900123", service="+447700900001", **extra):
        self.client, self.number, self.service = client, number, service
        self.sid = f"CA{next(_calls):032d}"
        self.extra = extra
        self.twiml = ""

    def request(self, url: str, **fields) -> ET.Element:
        form = {"CallSid": self.sid, "From": self.number, "To": self.service,
                "Direction": "inbound", **self.extra, **fields}
        response = self.client.post(url, data=form, headers={"X-Twilio-Signature": sign(
            form, path=url)})
        assert response.status_code == 200, response.status_code
        self.twiml = response.get_data(as_text=True)
        return ET.fromstring(self.twiml)

    def dial(self, url: str = "/voice/inbound") -> ET.Element:
        self.root = self.request(url)
        return self.root

    @property
    def heard(self) -> str:
        return " ".join(s.text or "" for s in self.root.iter("Say"))

    def _action(self) -> str:
        gather = self.root.find("Gather")
        assert gather is not None, self.twiml
        return _path(gather.get("action"))

    def press(self, digits: str) -> ET.Element:
        self.root = self.request(self._action(), Digits=digits)
        return self.root

    def say(self, words: str) -> ET.Element:
        self.root = self.request(self._action(), SpeechResult=words, Confidence="0.92")
        return self.root

    def stay_silent(self) -> ET.Element:
        redirect = self.root.find("Redirect")
        assert redirect is not None, self.twiml
        self.root = self.request(_path(redirect.text))
        return self.root

    @property
    def hung_up(self) -> bool:
        return self.root.find("Hangup") is not None


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def answers(services) -> dict[str, tuple[str, str | None]]:
    with services.db.transaction() as tx:
        return {a.outcome: (a.text, a.code) for a in tx.scalars(select(Answer))}


def test_a_caller_chooses_english_and_answers_by_keypad_and_speech(client, services):
    caller = Caller(client)
    menu = caller.dial()
    says = menu.findall("Gather/Say")
    assert says[0].text == "For English, press 1." and says[0].get("language") == "en-GB"
    caller.press("1")
    assert "would like to hear about your care" in caller.heard
    assert "press star to skip" in caller.heard and "press 0" in caller.heard
    gather = caller.root.find("Gather")
    assert gather.get("input") == "speech dtmf" and gather.get("language") == "en-GB"
    assert "Press 1 for yes, or 2 for no" in caller.heard
    caller.press("1")
    assert "Can you tell us why" in caller.heard
    caller.say("The clinic is on my bus route")
    assert "health needs" in caller.heard
    caller.say("Yes, the physio listens to me and adjusts my exercises")
    assert "harm" in caller.heard
    caller.press("2")
    assert "Press a number from 1, very poor, to 5, very good" in caller.heard
    caller.press("4")
    caller.say("Friendly staff")
    assert "optional questions" in caller.heard
    caller.press("2")
    assert "Thank you for your feedback" in caller.heard and caller.hung_up
    assert answers(services) == {
        "1A": ("yes — The clinic is on my bus route", "yes"),
        "1B": ("Yes, the physio listens to me and adjusts my exercises", "yes"),
        "1C": ("no", "no"), "1D": ("4 — Friendly staff", "good")}
    with services.db.transaction() as tx:
        response = tx.scalar(select(Response))
    assert response.channel == "voice" and response.status == "complete"
    assert response.engagement_type == "Telephone (automated)"


def test_options_are_read_out_with_their_keys(client, services):
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en&flow=dna")
    assert "For Travel or transport, press 1." in caller.heard
    assert "For Other, press 9." in caller.heard
    caller.press("5")
    with services.db.transaction() as tx:
        assert tx.scalar(select(Response.dna_reason)) == "language_interpreter"


def test_silence_repeats_the_question_once_then_ends_kindly(client, services):
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en")
    caller.stay_silent()
    assert "we did not hear anything" in caller.heard
    assert "access to the service" in caller.heard and not caller.hung_up
    caller.stay_silent()
    assert "end the call now" in caller.heard and caller.hung_up


def test_zero_gives_pals_details_and_asks_again(client):
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en")
    caller.press("0")
    assert "Patient Advice and Liaison Service: phone 0800 000 0000" in caller.heard
    assert "access to the service" in caller.heard


def test_star_skips_a_question(client, services):
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en")
    caller.press("*")
    assert "health needs" in caller.heard
    with services.db.transaction() as tx:
        assert tx.scalar(select(Answer.skipped)) is True


def test_an_invitation_call_starts_in_the_patients_language(client, services):
    """Outbound calls: Twilio's From is the service, To is the patient."""
    if not services.env.catalogue.has("pl"):
        pytest.skip("the Polish catalogue is not installed")
    caller = Caller(client, number="+447700900001", service="+447700900123",
                    Direction="outbound-api")
    caller.dial("/voice/inbound?lang=pl")
    says = caller.root.findall(".//Say")
    assert {s.get("language") for s in says} == {"pl-PL"}
    assert caller.root.find("Gather").get("language") == "pl-PL"


def test_a_language_without_a_telephone_voice_offers_english_or_pals(client, services):
    if not services.env.catalogue.has("so"):
        pytest.skip("the Somali catalogue is not installed")
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=so")
    assert "cannot yet speak your language" in caller.heard
    caller.press("1")
    assert "would like to hear about your care" in caller.heard


def test_recorded_audio_is_played_where_a_service_has_it(client, services):
    from storage.models import Service

    with services.db.transaction() as tx:
        service = tx.scalar(select(Service))
        service.settings = {"recorded_audio": {"en": {
            "question.1a": "https://media.example.nhs.uk/1a-en.mp3"}}}
    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en")
    plays = [p.text for p in caller.root.iter("Play")]
    assert plays == ["https://media.example.nhs.uk/1a-en.mp3"]


def test_an_unsigned_call_is_refused(client, services):
    response = client.post("/voice/inbound", data={"CallSid": "CA1", "From": "+447700900123",
                                                   "To": "+447700900001"})
    assert response.status_code == 403
    with services.db.transaction() as tx:
        assert tx.scalar(select(Response)) is None


def test_spoken_answers_are_screened_like_any_other(client, services):
    from storage.models import Escalation

    caller = Caller(client)
    caller.dial("/voice/inbound?lang=en")
    caller.say("Yes it is close")
    caller.say("Yes mostly")
    caller.press("1")               # yes to harm: always reaches PALS
    caller.say("A nurse shouted at me and grabbed my arm")
    with services.db.transaction() as tx:
        escalation = tx.scalar(select(Escalation))
    assert escalation is not None and escalation.outcome == "1C"
    assert "contact you" in caller.heard
