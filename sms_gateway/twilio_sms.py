"""Twilio Messaging (SMS and WhatsApp): authenticate, parse, answer in TwiML.

Every webhook is authenticated first: `X-Twilio-Signature` is checked with the
auth token against the public URL Twilio called (twilio's RequestValidator
compares in constant time). Nothing else happens for a request that fails.
"""

from __future__ import annotations

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from feedback.messaging import Inbound, Reply

WHATSAPP_PREFIX = "whatsapp:"
MAX_BODY = 1600     # Twilio's own limit for one message body


def public_url(request, base: str) -> str:
    """The URL Twilio signed: ours as the outside world sees it."""
    if not base:
        return request.url
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def is_authentic(request, auth_token: str, base_url: str) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not auth_token or not signature:
        return False
    validator = RequestValidator(auth_token)
    return validator.validate(public_url(request, base_url), request.form.to_dict(), signature)


def authenticate(request, settings) -> bool:
    """Every Twilio webhook's first step: signed, or validation explicitly off (demo)."""
    return not settings.validate_twilio or is_authentic(
        request, settings.twilio_auth_token, settings.public_url)


def parse(form) -> Inbound:
    sender, to = form.get("From", ""), form.get("To", "")
    channel = "whatsapp" if sender.startswith(WHATSAPP_PREFIX) else "sms"
    if channel == "whatsapp":
        sender, to = sender[len(WHATSAPP_PREFIX):], to.removeprefix(WHATSAPP_PREFIX)
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    provider_id = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    return Inbound(channel=channel, address=sender, to=to, text=form.get("Body", "") or "",
                   provider_id=provider_id, media=media)


def twiml(replies: tuple[Reply, ...]) -> str:
    response = MessagingResponse()
    for reply in replies:
        response.message(reply.plain()[:MAX_BODY])
    return str(response)
