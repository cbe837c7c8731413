"""Sending through Twilio: messages (SMS, WhatsApp) and outbound calls.

Twilio's Messages and Calls APIs take no idempotency key, so exactly-once is
built around them: the caller records "attempting" (with the time) before it
sends, and after a crash asks `find_sent` whether Twilio already has that
message (same To, From and body, created since the attempt) or call before
sending again. Errors are sorted into permanent (never retried: the number is
invalid, unsubscribed, filtered...) and temporary (retried with backoff).
"""

from __future__ import annotations

import datetime as dt
import logging

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from feedback.jobs import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)
# Twilio error codes that no retry can fix.
PERMANENT_CODES = {21211, 21214, 21217, 21401, 21407, 21408, 21421, 21608, 21610, 21612,
                   21614, 21635, 30003, 30004, 30005, 30006, 30007, 30008, 63003, 63016}
UNSUBSCRIBED = 21610
TWILIO_API = "https://api.twilio.com"
SLACK = dt.timedelta(minutes=2)        # clock difference allowed when matching a past send


def _quiet_logger() -> logging.Logger:
    """twilio logs request URLs and query strings (a To number) at INFO: never ours."""
    quiet = logging.getLogger("feedback.twilio_http")
    quiet.setLevel(logging.WARNING)
    return quiet


class LocalTwilioHttpClient(TwilioHttpClient):
    """The real client, pointed at another base URL (a fake Twilio on 127.0.0.1)."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        super().__init__(logger=_quiet_logger(), timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API):]
        return super().request(method, url, *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_base: str = "") -> Client:
    http = (LocalTwilioHttpClient(api_base) if api_base
            else TwilioHttpClient(logger=_quiet_logger(), timeout=30.0))
    return Client(account_sid, auth_token, http_client=http)


def classify(error: Exception) -> Exception:
    """A Twilio error as PermanentFailure or TemporaryFailure (no number in the text)."""
    if isinstance(error, TwilioRestException):
        code = error.code or 0
        text = f"twilio {error.status} code {code}"
        if code in PERMANENT_CODES:
            failure = PermanentFailure(text)
        else:
            failure = TemporaryFailure(text)
        failure.code = code
        return failure
    failure = TemporaryFailure(f"twilio unreachable: {type(error).__name__}")
    failure.code = 0
    return failure


class TwilioSender:
    def __init__(self, client_factory):
        self._factory = client_factory
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        if self._client is None:          # built on first use, never at import or build
            self._client = self._factory()
        return self._client

    def message(self, to: str, sender: str, body: str, status_callback: str = "") -> str:
        try:
            created = self.client.messages.create(
                to=to, from_=sender, body=body,
                **({"status_callback": status_callback} if status_callback else {}))
        except (TwilioException, OSError) as error:
            raise classify(error) from None
        return created.sid

    def call(self, to: str, sender: str, url: str) -> str:
        try:
            return self.client.calls.create(to=to, from_=sender, url=url).sid
        except (TwilioException, OSError) as error:
            raise classify(error) from None

    def find_sent(self, kind: str, to: str, sender: str, body: str | None,
                  since: dt.datetime) -> str | None:
        """The sid of a message (or call) Twilio already took since `since`, if any."""
        try:
            if kind == "call":
                found = self.client.calls.list(to=to, from_=sender, limit=20)
            else:
                found = self.client.messages.list(to=to, from_=sender, limit=20)
        except (TwilioException, OSError) as error:
            raise classify(error) from None
        for item in found:
            created = item.date_created
            if created is not None and created < since - SLACK:
                continue
            if kind == "call" or item.body == body:
                return item.sid
        return None
