"""QR codes and links for posters, letters and medicine labels (segno):
one per service and channel, as PNG or PDF, with the short link printed under it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

import segno

from storage.models import Service

GREETING = "Hi"


@dataclass(frozen=True)
class PosterLink:
    channel: str
    target: str          # what the QR code holds
    short_url: str       # what a letter prints for typing


def target(service: Service, channel: str, public_url: str) -> str | None:
    """Where a scan or a short link leads; None when the service lacks that channel."""
    if channel == "web":
        return f"{public_url}/chat/{service.slug}"
    if channel == "sms" and service.sms_number:
        return f"sms:{service.sms_number}?body={quote(GREETING)}"
    if channel == "whatsapp" and service.whatsapp_number:
        digits = service.whatsapp_number.lstrip("+")
        return f"https://wa.me/{digits}?text={quote(GREETING)}"
    return None


def qr(content: str):
    """Error correction M survives a crease or a smudge on a printed label."""
    return segno.make(content, error="m", micro=False)


def image(content: str, kind: str, scale: int = 10) -> bytes:
    """The QR code as PNG, PDF or SVG bytes, with a quiet zone for scanners."""
    if kind not in ("png", "pdf", "svg"):
        raise ValueError(f"unknown image kind {kind!r}")
    buffer = io.BytesIO()
    extra = {"xmldecl": False, "title": f"QR code for {content}"} if kind == "svg" else {}
    qr(content).save(buffer, kind=kind, scale=scale, border=4, **extra)
    return buffer.getvalue()
