"""Short links for posters: a stable random code per service and channel."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from storage.models import Service, ShortLink

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"     # no 0/o, 1/l/i: read aloud or typed
CHANNELS = ("web", "sms", "whatsapp")


def short_link(tx: DbSession, service: Service, channel: str) -> ShortLink:
    """The service's code for a channel, made once and then never changed (posters last)."""
    if channel not in CHANNELS:
        raise ValueError(f"no short link for channel {channel!r}")
    link = tx.scalar(select(ShortLink).where(ShortLink.service_id == service.id,
                                             ShortLink.channel == channel))
    if link is None:
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
            if tx.get(ShortLink, code) is None:
                break
        link = ShortLink(code=code, service_id=service.id, channel=channel)
        tx.add(link)
        tx.flush()
    return link


def resolve(tx: DbSession, code: str) -> tuple[Service, str] | None:
    link = tx.get(ShortLink, code)
    if link is None:
        return None
    return tx.get(Service, link.service_id), link.channel
