"""Helpers for invitation tests: a container wired to a fake Twilio, and lists."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback.bootstrap import build
from feedback.invite_import import Importer
from storage.models import Invitation, OutboxItem
from tests.support.fake_twilio import ACCOUNT_SID

HEADER = "phone,appointment,service,attendance,language,channel,needs"


def wired(settings, clock, fake, **extra):
    """The real composition root, its Twilio client pointed at the fake."""
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_API_BASE": fake.url,
           "FEEDBACK_SEND_RATE": "1000", **extra}
    return build(settings.but(extra={**settings.extra, **env}), clock=clock)


def listing(*rows: str) -> list[str]:
    return [HEADER + "\n"] + [row + "\n" for row in rows]


def import_rows(container, *rows: str, dry_run: bool = False):
    return Importer(container).run(listing(*rows), dry_run=dry_run)


def invitations(container) -> list[Invitation]:
    with container.db.transaction() as tx:
        return list(tx.scalars(select(Invitation).order_by(Invitation.id)))


def count_outbox(container) -> int:
    with container.db.transaction() as tx:
        return tx.scalar(select(func.count(OutboxItem.id)))
