"""PALS by a JSON webhook (a ticketing system). The body is signed with
HMAC-SHA256 (X-Feedback-Signature: sha256=<hex>) and carries an
Idempotency-Key, the same on every retry, so the receiver can drop repeats.
Only a 2xx counts as accepted; anything else is retried with backoff."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from feedback.delivery.attempt import deliver
from feedback.delivery.settings import PalsDelivery
from feedback.jobs import Job, TemporaryFailure


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(pals: PalsDelivery, case: dict, key: str) -> None:
    body = json.dumps(case, ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": key,
               "User-Agent": "nhs-eds-feedback"}
    if pals.webhook_secret:
        headers["X-Feedback-Signature"] = signature(pals.webhook_secret, body)
    try:
        response = httpx.post(pals.webhook_url, content=body, headers=headers,
                              timeout=pals.webhook_timeout)
    except httpx.HTTPError as error:
        raise TemporaryFailure(f"webhook unavailable: {type(error).__name__}") from None
    if not response.is_success:
        raise TemporaryFailure(f"webhook HTTP {response.status_code}")


class WebhookRoute:
    """The `escalation_webhook` outbox handler."""

    def __init__(self, services):
        self.services = services

    def __call__(self, job: Job) -> None:
        pals = self.services.settings.pals
        deliver(self.services, job, "webhook", pals.webhook_configured,
                lambda case, key: post(pals, case, key))
