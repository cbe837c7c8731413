"""Wiring the PALS routes into the job runner, and saying loudly when none is set."""

from __future__ import annotations

import logging

from feedback.delivery.email import EmailRoute
from feedback.delivery.routes import EMAIL, WEBHOOK
from feedback.delivery.webhook import WebhookRoute

log = logging.getLogger(__name__)


def register_delivery(services) -> None:
    """Both handlers always: an item left from an earlier configuration is still
    run, and audited as cancelled if its route has gone (never silently 'sent')."""
    services.jobs.register(EMAIL, EmailRoute(services), persistent=True)
    services.jobs.register(WEBHOOK, WebhookRoute(services), persistent=True)
    pals = services.settings.pals
    if not (pals.email_configured or pals.webhook_configured):
        log.warning("NO PALS DELIVERY ROUTE IS CONFIGURED: escalations are recorded and "
                    "listed by `feedback escalations list`, but nobody is told. Set "
                    "PALS_SMTP_HOST and PALS_EMAIL_TO, or PALS_WEBHOOK_URL.")
