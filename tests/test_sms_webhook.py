"""Twilio done properly: signatures first, retries once, bad input politely."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from storage.models import Answer, InboundMessage, Response
from tests.support.phone import Phone, replies_of, sign


def count(services, model) -> int:
    with services.db.transaction() as tx:
        return tx.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None], ids=[
    "missing", "wrong", "signed-with-another-token"])
def test_a_request_without_a_valid_signature_is_refused_and_changes_nothing(
        phone, services, signature):
    params = phone.form("Hi")
    if signature is None:
        signature = sign(params, token="someone-elses-token")
    response = phone.post(params, signature=signature)
    assert response.status_code == 403
    assert count(services, InboundMessage) == 0 and count(services, Response) == 0


def test_a_signature_for_another_url_is_refused(phone, services):
    params = phone.form("Hi")
    response = phone.post(params, signature=sign(params, path="/somewhere/else"))
    assert response.status_code == 403
    assert count(services, Response) == 0


def test_a_signature_over_other_form_values_is_refused(phone, services):
    params = phone.form("Hi")
    signature = sign(params)
    response = phone.post({**params, "Body": "STOP"}, signature=signature)
    assert response.status_code == 403


def test_the_public_url_setting_is_what_signatures_are_checked_against(client, services):
    """Behind a proxy the app sees http://localhost, Twilio signed https://public."""
    phone = Phone(client)
    assert phone.post(phone.form("Hi")).status_code == 200
    services.settings = services.settings.but(public_url="")
    assert phone.post(phone.form("Hi again")).status_code == 403


def test_a_twilio_retry_gets_the_same_reply_and_records_nothing_twice(phone, services):
    phone.send("Hi")
    first = phone.send("Yes, the clinic is near my home", sid="SMretry0001")
    again = phone.send("Yes, the clinic is near my home", sid="SMretry0001")
    assert first == again and "health needs" in first[0]
    assert count(services, Answer) == 1
    assert count(services, InboundMessage) == 2


def test_retries_are_recognised_for_at_least_48_hours(phone, services, clock):
    phone.send("Hi")
    first = phone.send("Yes, near my home", sid="SMlate0001")
    clock.advance(hours=47)
    assert phone.send("Yes, near my home", sid="SMlate0001") == first
    services.conversations.expire_idle()
    clock.advance(hours=2)
    services.conversations.expire_idle()
    assert phone.send("Yes, near my home", sid="SMlate0001") == first
    assert count(services, Answer) == 1


def test_the_idempotency_token_is_used_when_there_is_no_message_sid(phone, services):
    phone.send("Hi")
    params = {k: v for k, v in phone.form("Yes, close to home").items() if k != "MessageSid"}
    headers = {"X-Twilio-Signature": sign(params), "I-Twilio-Idempotency-Token": "tok-1"}
    first = phone.client.post("/sms/inbound", data=params, headers=headers)
    second = phone.client.post("/sms/inbound", data=params, headers=headers)
    assert first.get_data() == second.get_data()
    assert count(services, Answer) == 1


def test_an_empty_message_is_answered_politely_and_the_question_repeated(phone):
    phone.send("Hi")
    reply = phone.send("   ")
    assert "empty" in reply[0] and "access to the service" in reply[1]


def test_a_picture_without_words_is_answered_politely(phone):
    phone.send("Hi")
    reply = phone.send("", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1",
                       MediaContentType0="image/jpeg")
    assert "cannot open pictures" in reply[0] and "access to the service" in reply[1]


def test_emoji_only_is_answered_politely(phone, services):
    phone.send("Hi")
    reply = phone.send("👍🙏")
    assert "Please reply in words" in reply[0]
    assert count(services, Answer) == 0


def test_emoji_with_words_is_kept_whole(phone, services):
    phone.send("Hi")
    phone.send("Yes 😊 the nurse rang me back the same day")
    with services.db.transaction() as tx:
        assert tx.scalar(select(Answer.text)) == "Yes 😊 the nurse rang me back the same day"


def test_a_1600_character_text_is_kept_whole(phone, services):
    phone.send("Hi")
    long_text = ("I have been coming here for years and the staff are kind. " * 30)[:1599] + "."
    assert "health needs" in phone.say(long_text)
    with services.db.transaction() as tx:
        assert tx.scalar(select(Answer.text)) == long_text


def test_non_latin_scripts_are_stored_exactly(phone, services):
    phone.send("Hi")
    urdu = "جی ہاں، عملہ بہت مددگار تھا اور ترجمان بھی موجود تھا"
    phone.send(urdu)
    with services.db.transaction() as tx:
        assert tx.scalar(select(Answer.text)) == urdu


def test_every_reply_fits_twilio_and_the_welcome_is_at_most_three_segments(phone):
    from flows.segments import cost

    replies = phone.send("Hi")
    for reply in replies:
        assert len(reply) <= 1600
        assert cost(reply).segments <= 3


def test_a_briefly_locked_database_waits_and_loses_nothing(phone, services, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's lock; PostgreSQL locks rows instead")
    phone.send("Hi")
    path = database_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=1, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")

    import threading

    threading.Timer(0.5, blocker.rollback).start()
    reply = phone.say("Yes, I can always get through on the phone")
    blocker.close()
    assert "health needs" in reply
    assert count(services, Answer) == 1


def test_a_database_that_stays_unavailable_gets_a_polite_please_resend(phone, services,
                                                                       monkeypatch):
    from sqlalchemy.exc import OperationalError

    phone.send("Hi")

    def unavailable(*_args, **_kwargs):
        raise OperationalError("BEGIN", {}, Exception("database is locked"))

    monkeypatch.setattr(services.conversations, "_once", unavailable)
    monkeypatch.setattr("feedback.conversations.time.sleep", lambda _s: None)
    reply = phone.say("Yes it is easy to book")
    assert "could not save your reply" in reply and "send it again" in reply


def test_twiml_is_well_formed_xml_with_one_message_per_reply(phone):
    response = phone.post(phone.form("Hi"))
    assert response.mimetype == "text/xml"
    assert len(replies_of(response.get_data(as_text=True))) == 2
