"""Sending invitations through the real twilio client to a fake Twilio:
the right words, channel and hour, exactly once through crashes and
provider errors, one reminder, then the number is forgotten."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback.jobs import pending
from storage.models import Conversation, OptOut, OutboxItem
from tests.support.invites import import_rows, invitations, wired
from tests.support.phone import Phone

NUMBER = "+447911123123"
ROW = "07911 123123,2026-03-09 14:30,demo,{attendance},en,{channel},{needs}"


def row(attendance="attended", channel="sms", needs="") -> str:
    return ROW.format(attendance=attendance, channel=channel, needs=needs)


@pytest.fixture
def patient(inviting):
    from feedback.app import create_app

    app = create_app(services=inviting)
    app.config["TESTING"] = True
    return Phone(app.test_client(), number=NUMBER)


def test_yesterdays_attender_gets_the_survey_by_text_once(inviting, fake, patient):
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1
    message = fake.messages[0]
    assert (message["to"], message["from"]) == (NUMBER, "+447700900001")
    assert "would like to hear about your care" in message["body"]
    assert "level of access" in message["body"]
    assert message["status_callback"] == "https://feedback.example.nhs.uk/sms/status"
    [invitation] = invitations(inviting)
    assert invitation.state == "sent" and invitation.provider_sid == message["sid"]
    reply = patient.say("Yes, I got an appointment the same week")
    assert "health needs" in reply


def test_a_did_not_attend_row_gets_the_did_not_attend_flow(inviting, fake):
    import_rows(inviting, row(attendance="did not attend"))
    inviting.jobs.run_until_idle()
    assert "could not come to your appointment" in fake.messages[0]["body"]


def test_whatsapp_rows_go_from_the_services_whatsapp_sender(inviting, fake):
    import_rows(inviting, row(channel="whatsapp"))
    inviting.jobs.run_until_idle()
    assert (fake.messages[0]["to"], fake.messages[0]["from"]) == (
        "whatsapp:" + NUMBER, "whatsapp:+447700900009")


def test_nothing_is_sent_in_quiet_hours(inviting, fake, clock):
    clock.advance(hours=11)                      # 21:00 in March: quiet
    import_rows(inviting, row())
    assert inviting.jobs.run_until_idle() == 0
    clock.advance(hours=11, minutes=59)          # 08:59
    inviting.jobs.run_until_idle()
    assert fake.messages == []
    clock.advance(minutes=1)                     # 09:00
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1


def test_a_job_delayed_into_the_evening_waits_for_the_morning(inviting, fake, clock):
    import_rows(inviting, row())
    clock.advance(hours=10, minutes=30)          # the worker was down until 20:30
    inviting.jobs.run_until_idle()
    assert fake.messages == []
    clock.advance(hours=12, minutes=30)          # 09:00 next day
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1


def test_temporary_provider_errors_are_retried_with_backoff_and_sent_once(inviting, fake, clock):
    fake.fail_next(2, status=503)
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    assert fake.messages == [] and pending(inviting) == 1
    for _ in range(3):
        clock.advance(minutes=5)
        inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1 and invitations(inviting)[0].state == "sent"


@pytest.mark.parametrize("code", [21610, 21211, 30007])
def test_permanent_provider_errors_are_not_retried(inviting, fake, clock, code):
    fake.fail_number(NUMBER, code)
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    clock.advance(days=2)
    inviting.jobs.run_until_idle()
    assert fake.requests == 1 and pending(inviting) == 0
    [invitation] = invitations(inviting)
    assert (invitation.state, invitation.error_code) == ("failed", str(code))
    assert invitation.address_encrypted is None
    with inviting.db.transaction() as tx:
        stopped = tx.get(OptOut, inviting.keys.address_key("sms", NUMBER))
    assert (stopped is not None) == (code == 21610)


class CrashAfterSend:
    """The worker dies after Twilio accepted the message, before recording it."""

    def __init__(self, real):
        self.real, self.crashes = real, 1

    def __getattr__(self, name):
        return getattr(self.real, name)

    def message(self, *args, **kwargs):
        sid = self.real.message(*args, **kwargs)
        if self.crashes:
            self.crashes -= 1
            raise ConnectionError("worker killed")
        return sid


def test_a_crash_after_twilio_accepted_does_not_send_twice(inviting, fake, clock):
    dispatcher = inviting.extras["invitations"]
    dispatcher.sender = CrashAfterSend(dispatcher.sender)
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1 and invitations(inviting)[0].state == "attempting"
    clock.advance(minutes=10)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1
    [invitation] = invitations(inviting)
    assert invitation.state == "sent" and invitation.provider_sid == fake.messages[0]["sid"]


def test_a_crash_before_twilio_got_it_sends_on_recovery(inviting, fake, clock):
    import_rows(inviting, row())
    fake.fail_next(1, status=503)                # the request never reached Twilio's queue
    inviting.jobs.run_until_idle()
    assert invitations(inviting)[0].state == "attempting" and fake.messages == []
    clock.advance(minutes=10)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1 and invitations(inviting)[0].state == "sent"


def test_a_stop_sent_after_import_is_honoured_at_send_time(inviting, fake, patient):
    import_rows(inviting, row())
    patient.send("STOP")
    inviting.jobs.run_until_idle()
    assert fake.messages == []
    [invitation] = invitations(inviting)
    assert invitation.state == "skipped_opted_out" and invitation.address_encrypted is None


def test_one_reminder_when_there_is_no_reply_then_expiry_forgets_the_number(
        inviting, fake, clock):
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    clock.advance(hours=47)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1
    clock.advance(hours=2)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 2 and "still like to hear" in fake.messages[1]["body"]
    clock.advance(days=3)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 2
    clock.advance(days=3)
    inviting.jobs.run_until_idle()
    [invitation] = invitations(inviting)
    assert invitation.state == "expired" and invitation.address_encrypted is None
    assert invitation.conversation_key is None


def test_no_reminder_after_a_reply_and_the_number_goes_when_the_conversation_ends(
        inviting, fake, clock, patient):
    import_rows(inviting, row())
    inviting.jobs.run_until_idle()
    clock.advance(minutes=5)
    patient.send("Yes, quick to get in")
    clock.advance(days=3)
    inviting.jobs.run_until_idle()
    assert len(fake.messages) == 1
    assert invitations(inviting)[0].address_encrypted is not None
    patient.send("STOP")
    [invitation] = invitations(inviting)
    assert invitation.state == "closed" and invitation.address_encrypted is None


def test_telephone_only_patients_get_a_call_that_starts_the_ivr(inviting, fake):
    import_rows(inviting, row(attendance="did not attend", channel="voice"))
    inviting.jobs.run_until_idle()
    assert fake.messages == [] and len(fake.calls) == 1
    call = fake.calls[0]
    assert call["to"] == NUMBER and call["from"] == "+447700900001"
    assert call["url"].startswith("https://feedback.example.nhs.uk/voice/inbound?")
    assert "flow=dna" in call["url"] and "service=demo" in call["url"]
    [invitation] = invitations(inviting)
    assert invitation.state == "sent" and invitation.address_encrypted is None


def test_bsl_and_deaf_patients_get_a_web_chat_link_instead_of_a_call(inviting, fake):
    import_rows(inviting, row(channel="voice", needs="BSL; d/Deaf"))
    inviting.jobs.run_until_idle()
    assert fake.calls == [] and len(fake.messages) == 1
    assert "https://feedback.example.nhs.uk/chat/demo" in fake.messages[0]["body"]
    with inviting.db.transaction() as tx:
        assert tx.scalars(select(Conversation)).all() == []


def test_the_send_job_is_keyed_by_the_invitation(inviting):
    import_rows(inviting, row())
    [invitation] = invitations(inviting)
    with inviting.db.transaction() as tx:
        [item] = tx.scalars(select(OutboxItem)).all()
    assert (item.kind, item.key) == ("invitation_send", invitation.key)


def test_several_workers_at_once_send_each_invitation_exactly_once(settings, clock, fake,
                                                                   services):
    import threading

    workers = [wired(settings, clock, fake) for _ in range(3)]
    import_rows(workers[0], *(f"07911 1232{i:02d},2026-03-09 14:30,demo,attended,en,sms,"
                              for i in range(30)))
    threads = [threading.Thread(target=w.jobs.run_until_idle) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake.messages) == 30 and set(fake.sent_to().values()) == {1}
    for w in workers:
        w.db.dispose()
