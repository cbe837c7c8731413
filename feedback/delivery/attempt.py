"""One delivery attempt, audited: attempted, then failed or delivered.

The send itself runs outside any transaction (the outbox rule). A route that
has already delivered this escalation is not sent again, which narrows the
"at least once" window a crash leaves to the moment between the receiver
accepting and our audit commit; the stable Message-ID / Idempotency-Key
lets the receiver drop even that duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select

from feedback.delivery.content import summary
from feedback.escalations import audit
from feedback.jobs import Job, PermanentFailure, TemporaryFailure
from storage.models import AuditEntry, Escalation

log = logging.getLogger(__name__)
Send = Callable[[dict, str], None]   # (the case, the idempotency key)


def _already_delivered(tx, subject: str, route: str) -> bool:
    return tx.scalar(select(AuditEntry.id).where(
        AuditEntry.subject == subject, AuditEntry.action == "delivered",
        AuditEntry.detail == route).limit(1)) is not None


def deliver(services, job: Job, route: str, configured: bool, send: Send) -> None:
    escalation_id = int(job.payload["escalation_id"])
    subject = f"escalation:{escalation_id}"
    with services.db.transaction() as tx:
        escalation = tx.get(Escalation, escalation_id)
        if escalation is None:
            raise PermanentFailure(f"{subject} does not exist")
        if _already_delivered(tx, subject, route):
            return
        if not configured:
            audit(tx, "system", "delivery_cancelled", subject,
                  f"{route}: route no longer configured", at=services.clock())
            log.error("PALS %s route is not configured: %s stays undelivered by it",
                      route, subject)
            raise PermanentFailure(f"{route} route not configured")
        case = summary(escalation, services.env, _base_url(services.settings))
        audit(tx, "system", "delivery_attempted", subject,
              f"{route}: attempt {job.attempts + 1}", at=services.clock())
    try:
        send(case, job.key)
    except TemporaryFailure as error:
        _record(services, subject, "delivery_failed", f"{route}: {error}")
        log.warning("PALS %s delivery of %s failed (%s); will retry", route, subject, error)
        raise
    with services.db.transaction() as tx:
        audit(tx, "system", "delivered", subject, route, at=services.clock())
        row = tx.get(Escalation, escalation_id)
        if row.delivered_at is None:
            row.delivered_at = services.clock()


def _record(services, subject: str, action: str, detail: str) -> None:
    with services.db.transaction() as tx:
        audit(tx, "system", action, subject, detail[:500], at=services.clock())


def _base_url(settings) -> str:
    return settings.pals.staff_url or settings.public_url
