"""PALS gets every escalation exactly once, whatever the mail server or the
ticketing system does in between: SMTP down, webhook 500s, urgent first."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import select

from feedback.delivery.settings import PalsDelivery
from feedback.escalations import acknowledge, close_case, mark_viewed
from feedback.jobs import pending
from storage.models import Answer, OutboxItem
from tests.support import pals_fixtures
from tests.support.dialogue import audit_trail, escalations, reach_the_harm_question

clock, settings, services = pals_fixtures.clock, pals_fixtures.settings, pals_fixtures.services
smtp, webhooks = pals_fixtures.smtp, pals_fixtures.webhooks
DISCLOSURE = "Yes, a nurse hit me when I asked for help"


@pytest.fixture
def pals(smtp):
    """This module's PALS: the e-mail route."""
    return smtp.settings()


def test_smtp_down_the_answer_is_kept_and_pals_gets_one_email_when_it_is_back(
        phone, services, smtp, clock):
    assert "harm" in reach_the_harm_question(phone)
    reply = phone.say(DISCLOSURE)
    assert "PALS team will read what you wrote" in reply
    assert "Would you like PALS to contact you" in reply

    assert services.jobs.run_until_idle() == 1          # SMTP is down: one failed attempt
    with services.db.transaction() as tx:
        answer = tx.scalar(select(Answer).where(Answer.outcome == "1C"))
        item = tx.scalar(select(OutboxItem).where(OutboxItem.kind == "escalation_email"))
        assert answer.text == DISCLOSURE and answer.code == "yes"
        assert item.attempts == 1 and item.delivered_at is None
        assert item.last_error == "TemporaryFailure: SMTP unavailable: ConnectionRefusedError"
    (escalation,) = escalations(services)
    assert escalation.delivered_at is None

    smtp.start()
    assert services.jobs.run_until_idle() == 0          # not yet: it is backing off
    clock.advance(seconds=31)
    assert services.jobs.run_until_idle() == 1
    delivered_at = clock()
    clock.advance(hours=2)
    assert services.jobs.run_until_idle() == 0          # delivered: never sent again

    (mail,) = smtp.messages
    assert mail["Subject"] == f"PALS escalation {escalation.reference} - Demo Community Clinic"
    assert mail["To"] == "pals-safeguarding@example.nhs.uk"
    assert mail["X-Idempotency-Key"] == f"escalation:{escalation.id}"
    body = mail.get_content()
    assert DISCLOSURE in body and "physical_abuse" in body
    assert "1C Have you ever experienced any mental or physical harm" in body
    assert f"https://feedback.example.nhs.uk/staff/escalations/{escalation.id}" in body
    (escalation,) = escalations(services)
    assert escalation.delivered_at == delivered_at
    assert [a for a, _ in audit_trail(services, escalation.id)] == [
        "escalation_created", "delivery_attempted", "delivery_failed",
        "delivery_attempted", "delivered"]


def test_the_message_id_is_the_same_on_every_attempt_so_a_resend_can_be_dropped(
        phone, services, smtp, clock):
    from feedback.delivery.email import compose

    reach_the_harm_question(phone)
    phone.send(DISCLOSURE)
    (escalation,) = escalations(services)
    case = {"urgent": False, "reference": escalation.reference, "categories": [],
            "service": {"name": "Demo"}, "created_at": escalation.created_at.isoformat(),
            "outcome": "1C", "question": "q", "language": "en", "text": "t",
            "translation": None, "staff_url": "/staff"}
    first = compose(case, f"escalation:{escalation.id}", smtp.settings(), ["p@example.org"])
    again = compose(case, f"escalation:{escalation.id}", smtp.settings(), ["p@example.org"])
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@example.nhs.uk>")


def test_the_email_never_carries_the_patients_contact_even_after_they_said_yes(
        phone, services, smtp):
    smtp.start()
    reach_the_harm_question(phone)
    phone.send(DISCLOSURE)
    assert "PALS will contact you" in phone.say("Yes please")
    assert services.jobs.run_until_idle() == 1
    (mail,) = smtp.messages
    raw = mail.as_string()
    for form in ("+447700900123", "07700900123", "7700900123", "07700 900123"):
        assert form not in raw
    assert "the route is shown there only" in mail.get_content()


def test_urgent_escalations_are_delivered_before_older_ordinary_ones(client, services, smtp):
    from tests.support.phone import Phone

    ordinary, urgent = Phone(client, number="+447700900201"), Phone(client, number="+447700900202")
    reach_the_harm_question(ordinary)
    ordinary.send(DISCLOSURE)
    reach_the_harm_question(urgent)
    assert "999" in urgent.send("Yes, they shouted at me and I want to end my life")[0]

    smtp.start()
    assert services.jobs.run_until_idle() == 2
    first, second = smtp.messages
    assert first["Subject"].startswith("URGENT PALS escalation")
    assert first["X-Priority"] == "1"
    assert second["Subject"].startswith("PALS escalation")
    urgent_case, ordinary_case = sorted(escalations(services), key=lambda e: not e.urgent)
    assert first["X-Feedback-Reference"] == urgent_case.reference
    assert urgent_case.id > ordinary_case.id              # raised later, delivered first


def test_every_step_of_a_case_is_in_the_audit_log_and_closing_deletes_the_contact(
        phone, services, smtp):
    from storage.models import EscalationContact

    smtp.start()
    reach_the_harm_question(phone)
    phone.send(DISCLOSURE)
    phone.send("Yes")
    services.jobs.run_until_idle()
    (escalation,) = escalations(services)
    with services.db.transaction() as tx:
        mark_viewed(tx, escalation.id, "officer@example.nhs.uk")
        acknowledge(tx, escalation.id, "officer@example.nhs.uk", "Called the ward manager")
    with services.db.transaction() as tx:
        close_case(tx, escalation.id, "officer@example.nhs.uk", "Resolved with the patient")
    with services.db.transaction() as tx:
        assert tx.scalar(select(EscalationContact)) is None
    (escalation,) = escalations(services)
    assert escalation.status == "closed" and escalation.outcome_note == "Resolved with the patient"
    assert [a for a, _ in audit_trail(services, escalation.id)] == [
        "escalation_created", "contact_consented", "delivery_attempted", "delivered",
        "viewed", "acknowledged", "closed", "contact_deleted"]


class TestWebhook:
    SECRET = "shared-with-the-ticketing-system"

    @pytest.fixture
    def receiver(self, webhooks):
        return webhooks([500, 500, 200])

    @pytest.fixture
    def pals(self, receiver):
        """The webhook route only."""
        return PalsDelivery(webhook_url=receiver.url, webhook_secret=self.SECRET)

    def test_a_500_is_retried_with_backoff_until_one_delivery_is_accepted(
            self, phone, services, receiver, clock):
        reach_the_harm_question(phone)
        phone.send(DISCLOSURE)
        for wait in (0, 31, 61):                        # 30 s, then 60 s of backoff
            clock.advance(seconds=wait)
            assert services.jobs.run_until_idle() == 1
        clock.advance(hours=3)
        assert services.jobs.run_until_idle() == 0
        assert pending(services) == 0

        assert len(receiver.requests) == 3 and len(receiver.accepted) == 1
        keys = {r.headers["Idempotency-Key"] for r in receiver.requests}
        (escalation,) = escalations(services)
        assert keys == {f"escalation:{escalation.id}"}
        (accepted,) = receiver.accepted
        case = accepted.json
        assert case["reference"] == escalation.reference and case["urgent"] is False
        assert case["service"] == {"slug": "demo", "name": "Demo Community Clinic"}
        assert case["categories"] == ["physical_abuse"] and case["text"] == DISCLOSURE
        assert case["question"].startswith("Have you ever experienced any mental or physical")
        expected = hmac.new(self.SECRET.encode(), accepted.body, hashlib.sha256).hexdigest()
        assert accepted.headers["X-Feedback-Signature"] == f"sha256={expected}"
        assert [d for a, d in audit_trail(services, escalation.id) if a == "delivery_failed"] \
            == ["webhook: webhook HTTP 500"] * 2

    def test_no_email_route_means_no_email_job_but_the_webhook_still_goes(
            self, phone, services):
        reach_the_harm_question(phone)
        phone.send(DISCLOSURE)
        with services.db.transaction() as tx:
            kinds = tx.scalars(select(OutboxItem.kind)).all()
        assert kinds == ["escalation_webhook"]


class TestNoRouteConfigured:
    @pytest.fixture
    def pals(self):
        return PalsDelivery()

    def test_the_case_is_kept_and_listed_and_nothing_piles_up(self, phone, services, caplog):
        from feedback.bootstrap import build

        build(services.settings, clock=services.clock).db.dispose()
        assert "NO PALS DELIVERY ROUTE IS CONFIGURED" in caplog.text
        reach_the_harm_question(phone)
        phone.send(DISCLOSURE)
        (escalation,) = escalations(services)
        assert pending(services) == 0
        assert audit_trail(services, escalation.id) == [
            ("escalation_created", "not urgent; routes: none configured")]
