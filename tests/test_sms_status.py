"""`POST /sms/status`: signed delivery reports recorded, unsigned ones refused."""

from __future__ import annotations

import pytest

from feedback.app import create_app
from tests.support.fake_twilio import FakeTwilio
from tests.support.invites import import_rows, invitations, wired
from tests.support.phone import sign


@pytest.fixture
def sent(settings, clock, services):
    fake = FakeTwilio(settings.twilio_auth_token, clock).start()
    container = wired(settings, clock, fake)
    import_rows(container, "07911 123123,2026-03-09 14:30,demo,attended,en,sms,")
    container.jobs.run_until_idle()
    app = create_app(services=container)
    app.config["TESTING"] = True
    yield container, app.test_client(), fake.messages[0]["sid"]
    fake.stop()
    container.db.dispose()


def report(client, sid, status, signature=None, **extra):
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", **extra}
    headers = {"X-Twilio-Signature": signature or sign(form, "/sms/status")}
    return client.post("/sms/status", data=form, headers=headers)


def test_a_signed_delivery_report_is_recorded(sent):
    container, client, sid = sent
    assert report(client, sid, "sent").status_code == 204
    assert report(client, sid, "delivered").status_code == 204
    assert invitations(container)[0].delivery_status == "delivered"


def test_a_late_sent_report_does_not_undo_delivered(sent):
    container, client, sid = sent
    report(client, sid, "delivered")
    report(client, sid, "sent")
    assert invitations(container)[0].delivery_status == "delivered"


def test_an_undelivered_report_keeps_the_error_code(sent):
    container, client, sid = sent
    report(client, sid, "undelivered", ErrorCode="30007")
    [invitation] = invitations(container)
    assert (invitation.delivery_status, invitation.error_code) == ("undelivered", "30007")


def test_an_unsigned_or_forged_report_is_refused_and_changes_nothing(sent):
    container, client, sid = sent
    assert report(client, sid, "delivered", signature="forged").status_code == 403
    assert invitations(container)[0].delivery_status is None
