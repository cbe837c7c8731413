"""Free text keeps its original; an English translation is added for staff
off the request path, through deep-translator's real LibreTranslator."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from feedback.bootstrap import build
from feedback.jobs import pending
from storage.export import write_csv
from storage.models import Answer, TranslationCache
from storage.repositories import responses
from tests.support.fake_libretranslate import FakeLibreTranslate

POLISH = "Tak, rejestracja była bardzo pomocna i szybko dostałem wizytę"
ENGLISH = "Yes, the reception was very helpful and I got an appointment quickly"


@pytest.fixture
def libre():
    with FakeLibreTranslate({POLISH: ENGLISH}) as server:
        yield server


@pytest.fixture
def translating(settings, clock, services, libre):
    """The same database, with a translator configured (the default is none)."""
    container = build(settings.but(translator="libre", libretranslate_url=libre.url),
                      clock=clock, db=services.db)
    container.jobs.base_backoff_seconds = 30
    return container


def polish_answer(container, number="+447700900123") -> None:
    from feedback.messaging import Inbound

    container.conversations.begin("demo", "sms", number, language="pl")
    container.conversations.handle(Inbound(channel="sms", address=number, to="+447700900001",
                                           text=POLISH, provider_id=f"SMpl{number}"))


def stored(container) -> Answer:
    with container.db.transaction() as tx:
        return tx.scalar(select(Answer))


def test_by_default_nothing_is_sent_to_a_translator(services, libre):
    polish_answer(services)
    assert pending(services) == 0 and libre.requests == []
    assert stored(services).text == POLISH and stored(services).translation is None


def test_the_reply_is_stored_at_once_and_translated_by_the_worker(translating, libre):
    polish_answer(translating)
    assert stored(translating).translation is None and libre.requests == []
    assert translating.jobs.run_until_idle() == 1
    answer = stored(translating)
    assert (answer.text, answer.translation) == (POLISH, ENGLISH)
    assert answer.translation_engine == f"libre:{libre.url}"
    assert libre.requests[0]["source"] == "pl" and libre.requests[0]["target"] == "en"


def test_staff_see_original_and_english_side_by_side(translating):
    polish_answer(translating)
    rows_before = export(translating)
    assert rows_before[0]["1A"] == POLISH
    assert rows_before[0]["1A (English)"] == "(not yet translated)"
    translating.jobs.run_until_idle()
    rows_after = export(translating)
    assert rows_after[0]["1A (English)"] == ENGLISH


def export(container) -> list[dict]:
    from sqlalchemy import update

    from storage.models import Response

    with container.db.transaction() as tx:
        tx.execute(update(Response).values(status="partial"))
    out = io.StringIO()
    with container.db.transaction() as tx:
        write_csv(out, responses(tx))
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_a_translator_that_is_down_delays_but_loses_nothing(translating, libre, clock):
    libre.failures = [500, 503]
    polish_answer(translating)
    translating.jobs.run_until_idle()
    assert stored(translating).translation is None
    assert pending(translating) == 1
    clock.advance(seconds=31)
    translating.jobs.run_until_idle()          # second failure: backs off for longer
    assert stored(translating).translation is None
    clock.advance(seconds=61)
    translating.jobs.run_until_idle()
    assert stored(translating).translation == ENGLISH
    assert pending(translating) == 0 and len(libre.requests) == 3


def test_a_quota_refusal_is_retried_too(translating, libre, clock):
    libre.failures = [429]
    polish_answer(translating)
    translating.jobs.run_until_idle()
    clock.advance(minutes=1)
    translating.jobs.run_until_idle()
    assert stored(translating).translation == ENGLISH


def test_a_language_the_client_does_not_list_is_sent_as_auto(translating, libre, clock):
    """deep-translator's own table lacks Urdu; LibreTranslate itself may not."""
    from feedback.messaging import Inbound

    translating.conversations.begin("demo", "sms", "+447700900124", language="ur")
    translating.conversations.handle(Inbound(
        channel="sms", address="+447700900124", to="+447700900001",
        text="جی ہاں، عملہ بہت مددگار تھا", provider_id="SMur1"))
    translating.jobs.run_until_idle()
    assert libre.requests[-1]["source"] == "auto"
    assert stored(translating).translation.startswith("[auto→en]")


def test_translations_are_cached_and_not_asked_for_twice(translating, libre):
    polish_answer(translating, "+447700900123")
    polish_answer(translating, "+447700900125")
    translating.jobs.run_until_idle()
    with translating.db.transaction() as tx:
        translations = tx.scalars(select(Answer.translation)).all()
        assert len(tx.scalars(select(TranslationCache)).all()) == 1
    assert translations == [ENGLISH, ENGLISH]
    assert len(libre.requests) == 1


def test_a_language_without_a_catalogue_gets_english_plus_a_marked_machine_translation(
        translating, libre):
    from feedback.messaging import Inbound

    german = "Hallo, ich möchte gerne meine Meinung über die Klinik sagen"
    turn = translating.conversations.handle(Inbound(
        channel="sms", address="+447700900126", to="+447700900001", text=german,
        provider_id="SMde1"))
    first = turn.replies[0].text
    assert first.startswith("Demo Community Clinic would like to hear")
    assert "[Automatic translation by computer. It may contain mistakes.]" in first
    assert "[en→de] Demo Community Clinic would like to hear" in first
    assert {r["target"] for r in libre.requests} == {"de"}
    turn = translating.conversations.handle(Inbound(
        channel="sms", address="+447700900126", to="+447700900001",
        text="Ja, ich bekomme immer schnell einen Termin", provider_id="SMde2"))
    assert "Automatic translation" in turn.replies[0].text


def test_without_a_translator_a_foreign_language_is_answered_in_english_only(services):
    from feedback.messaging import Inbound

    turn = services.conversations.handle(Inbound(
        channel="sms", address="+447700900127", to="+447700900001",
        text="Hallo, ich möchte gerne meine Meinung über die Klinik sagen",
        provider_id="SMde3"))
    assert "Automatic translation" not in turn.replies[0].text
    assert turn.replies[0].text.startswith("Demo Community Clinic would like to hear")
