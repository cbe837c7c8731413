"""A patient's phone: texts the service through the real webhook, signed the
way Twilio signs, and reads the TwiML it gets back."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

PUBLIC_URL = "https://feedback.example.nhs.uk"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
_sids = itertools.count(1)


def sign(params: dict, path: str = "/sms/inbound", token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(f"{PUBLIC_URL}{path}", params)


def replies_of(twiml: str) -> list[str]:
    return [m.text or "" for m in ET.fromstring(twiml).iter("Message")]


class Phone:
    def __init__(self, client, number: str = "+447700900123", to: str = "+447700900001",
                 channel_prefix: str = ""):
        self.client, self.number, self.to, self.prefix = client, number, to, channel_prefix
        self.last_response = None

    def form(self, body: str, sid: str | None = None, **extra) -> dict:
        return {"From": self.prefix + self.number, "To": self.prefix + self.to, "Body": body,
                "MessageSid": sid or f"SM{next(_sids):032d}", "NumMedia": "0", **extra}

    def post(self, params: dict, signature: str | None = None, path: str = "/sms/inbound"):
        headers = {"X-Twilio-Signature": sign(params, path) if signature is None else signature}
        self.last_response = self.client.post(path, data=params, headers=headers)
        return self.last_response

    def send(self, body: str, **extra) -> list[str]:
        """Text the service; returns the messages that come back."""
        response = self.post(self.form(body, **extra))
        assert response.status_code == 200, response.status_code
        return replies_of(response.get_data(as_text=True))

    def say(self, body: str, **extra) -> str:
        """Text the service; returns everything that came back as one string."""
        return "\n".join(self.send(body, **extra))
