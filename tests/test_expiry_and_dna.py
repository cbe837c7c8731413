"""Idle conversations close (answers kept as partial); the did-not-attend flow."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Conversation, Response


def statuses(services) -> list[str]:
    with services.db.transaction() as tx:
        return sorted(tx.scalars(select(Response.status)).all())


def test_an_idle_conversation_closes_after_seven_days_keeping_what_was_said(
        phone, services, clock):
    phone.send("Hi")
    phone.send("Yes, I can get an appointment quickly")
    clock.advance(days=6, hours=23)
    assert services.conversations.expire_idle() == 0
    clock.advance(hours=2)
    assert services.conversations.expire_idle() == 1
    assert statuses(services) == ["partial"]
    with services.db.transaction() as tx:
        conversation = tx.scalar(select(Conversation))
    assert conversation.response_id is None and conversation.state == "expired"
    assert set(conversation.session) == {"flow_id", "language", "state"}


def test_a_conversation_with_no_answers_leaves_no_empty_response(phone, services, clock):
    phone.send("Hi")
    clock.advance(days=8)
    services.conversations.expire_idle()
    assert statuses(services) == []


def test_texting_after_expiry_starts_afresh(phone, services, clock):
    phone.send("Hi")
    phone.send("Yes, I can get an appointment quickly")
    clock.advance(days=8)
    replies = phone.send("Sorry for the delay, here I am")
    assert "would like to hear" in replies[0]
    assert statuses(services) == ["in_progress", "partial"]


def test_expiry_is_configurable(phone, services, clock):
    services.conversations.settings = services.settings.but(conversation_ttl_days=1)
    phone.send("Hi")
    phone.send("Yes, I can get an appointment quickly")
    clock.advance(days=1, minutes=1)
    assert services.conversations.expire_idle() == 1


def test_finished_conversations_are_forgotten_after_the_cooldown(phone, services, clock):
    phone.send("Hi")
    phone.send("STOP")
    clock.advance(days=31)
    services.conversations.expire_idle()
    with services.db.transaction() as tx:
        assert tx.scalars(select(Conversation)).all() == []


def test_did_not_attend_follow_up_asks_why_then_the_domain_1_questions(phone, services):
    first = services.conversations.begin("demo", "sms", phone.number, flow_id="dna")
    texts = [r.plain() for r in first.replies]
    assert "could not come to your appointment" in texts[0]
    assert "1 Travel or transport" in texts[1] and "9 Other" in texts[1]
    assert "access to the service" in phone.say("I did not get the letter in time")
    for reply in ["Yes, when I know about it", "Yes the care is good", "no",
                  "Good, apart from the letters"]:
        phone.send(reply)
    assert "Thank you for your feedback" in phone.say("no")
    with services.db.transaction() as tx:
        response = tx.scalar(select(Response))
    assert response.flow == "dna" and response.status == "complete"
    assert response.dna_reason == "not_received"
    assert response.dna_reason_text == "I did not get the letter in time"


def test_did_not_attend_reason_by_number(phone, services):
    services.conversations.begin("demo", "sms", phone.number, flow_id="dna")
    phone.send("5")
    with services.db.transaction() as tx:
        assert tx.scalar(select(Response.dna_reason)) == "language_interpreter"


def test_an_opted_out_number_is_never_sent_a_follow_up(phone, services):
    phone.send("Hi")
    phone.send("STOP")
    turn = services.conversations.begin("demo", "sms", phone.number, flow_id="dna")
    assert turn.replies == ()
