"""Which routes an escalation takes: decided when it is raised, from settings."""

from __future__ import annotations

from feedback.delivery.settings import PalsDelivery

EMAIL = "escalation_email"
WEBHOOK = "escalation_webhook"
SERVICE_EMAIL_SETTING = "pals_escalation_email"   # Service.settings override of PALS_EMAIL_TO


def email_recipients(pals: PalsDelivery, service) -> list[str]:
    override = (getattr(service, "settings", None) or {}).get(SERVICE_EMAIL_SETTING)
    return [a.strip() for a in (override or pals.email_to).split(",") if a.strip()]


def routes_for(pals: PalsDelivery, service) -> tuple[str, ...]:
    """Only routes that can deliver get an outbox item, so none piles up unsent."""
    kinds = []
    if pals.email_configured and email_recipients(pals, service):
        kinds.append(EMAIL)
    if pals.webhook_configured:
        kinds.append(WEBHOOK)
    return tuple(kinds)
