"""PALS by e-mail over SMTP. The Message-ID comes from the outbox key, so a
resend after a crash carries the same id and a mail system can drop it."""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from feedback.delivery.attempt import deliver
from feedback.delivery.content import email_body
from feedback.delivery.routes import email_recipients
from feedback.delivery.settings import PalsDelivery
from feedback.jobs import Job, TemporaryFailure
from storage.models import Escalation, Service


def message_id(key: str, reference: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "feedback.invalid"
    digest = hashlib.sha256(f"{key}|{reference}".encode()).hexdigest()[:24]
    return f"<pals-escalation.{digest}@{domain}>"


def compose(case: dict, key: str, pals: PalsDelivery, recipients: list[str]) -> EmailMessage:
    sender = pals.email_from or "feedback@localhost"
    message = EmailMessage()
    urgent = "URGENT " if case["urgent"] else ""
    message["Subject"] = (f"{urgent}PALS escalation {case['reference']} - "
                          f"{case['service']['name']}")
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(dt.datetime.fromisoformat(case["created_at"]))
    message["Message-ID"] = message_id(key, case["reference"], sender)
    message["X-Idempotency-Key"] = key
    message["X-Feedback-Reference"] = case["reference"]
    if case["urgent"]:
        message["X-Priority"] = "1"
        message["Importance"] = "high"
    message.set_content(email_body(case))
    return message


def _smtp(pals: PalsDelivery) -> smtplib.SMTP:
    if pals.smtp_port == 465:
        return smtplib.SMTP_SSL(pals.smtp_host, pals.smtp_port, timeout=pals.smtp_timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(pals.smtp_host, pals.smtp_port, timeout=pals.smtp_timeout)
    if pals.smtp_starttls:
        smtp.starttls(context=ssl.create_default_context())
    return smtp


def send(pals: PalsDelivery, message: EmailMessage) -> None:
    """Accepted by the server, or TemporaryFailure: PALS must get it in the end."""
    try:
        with _smtp(pals) as smtp:
            if pals.smtp_user:
                smtp.login(pals.smtp_user, pals.smtp_password)
            smtp.send_message(message)
    except smtplib.SMTPResponseException as error:
        raise TemporaryFailure(f"SMTP {error.smtp_code}") from None
    except smtplib.SMTPRecipientsRefused:
        raise TemporaryFailure("SMTP recipients refused") from None
    except (OSError, smtplib.SMTPException) as error:
        raise TemporaryFailure(f"SMTP unavailable: {type(error).__name__}") from None


class EmailRoute:
    """The `escalation_email` outbox handler."""

    def __init__(self, services):
        self.services = services

    def __call__(self, job: Job) -> None:
        pals = self.services.settings.pals
        recipients = self._recipients(job)
        deliver(self.services, job, "email", pals.email_configured and bool(recipients),
                lambda case, key: send(pals, compose(case, key, pals, recipients)))

    def _recipients(self, job: Job) -> list[str]:
        with self.services.db.transaction() as tx:
            escalation = tx.get(Escalation, int(job.payload["escalation_id"]))
            service = tx.get(Service, escalation.service_id) if escalation else None
            return email_recipients(self.services.settings.pals, service)
