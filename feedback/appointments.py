"""Reading an appointment list: one CSV row in, a checked `Appointment` or a
staff-readable reason out. No database here; the importer adds the checks
that need one (already imported, opted out, invited recently)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from feedback.scheduling import UK

CHANNELS = {"sms": "sms", "text": "sms", "whatsapp": "whatsapp", "voice": "voice",
            "telephone": "voice", "phone": "voice", "call": "voice", "none": "none", "": "sms"}
ATTENDED = {"attended", "yes", "y", "a", "seen"}
DID_NOT_ATTEND = {"did not attend", "dna", "no", "n", "did_not_attend", "not attended"}
# Communication needs that mean "text, not a call or a spoken survey": web chat.
TEXT_ONLY_NEEDS = ("bsl", "deaf", "hard of hearing", "hearing", "sign language")
HEADERS = {
    "phone": ("phone", "phone_number", "mobile", "number", "telephone"),
    "appointment": ("appointment", "appointment_at", "appointment_datetime", "when"),
    "date": ("appointment_date", "date"),
    "time": ("appointment_time", "time"),
    "service": ("service", "service_slug", "clinic"),
    "attendance": ("attendance", "attended", "outcome"),
    "language": ("language", "preferred_language"),
    "channel": ("channel", "preferred_channel"),
    "needs": ("needs", "communication_needs", "accessibility"),
}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


class Rejected(ValueError):
    """A row that cannot be used, with the reason staff will read."""


@dataclass(frozen=True)
class Appointment:
    line: int
    number: str            # E.164
    at: dt.datetime        # aware
    service: str
    flow: str              # domain1 | dna
    language: str
    channel: str           # sms | whatsapp | voice | web_link


def _column_map(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found = {}
    for field, aliases in HEADERS.items():
        for alias in aliases:
            if alias in names:
                found[field] = names.index(alias)
                break
    return found


def rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: value}) for each data row, header names mapped."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return
    columns = _column_map(header)
    missing = {"phone", "service", "attendance"} - set(columns)
    if missing or not ({"appointment"} <= set(columns) or {"date", "time"} <= set(columns)):
        raise Rejected("the header must name: phone, appointment (or date and time), "
                       "service, attendance; optional: language, channel, needs")
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        yield number, {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}


@lru_cache(maxsize=65536)
def _valid_mobile_prefix(prefix: str) -> bool:
    """phonenumbers' verdict on a UK mobile depends only on its first digits and
    length (the GB mobile pattern fixes at most 7), so one check per prefix
    serves a whole list: 100,000 rows cost a few thousand full checks."""
    return phonenumbers.is_valid_number(phonenumbers.parse("+44" + prefix + "000", "GB"))


def _national_mobile(raw: str) -> str | None:
    """The 10 national digits of a plainly written UK mobile (7...), else None."""
    digits = "".join(c for c in raw if c.isdigit())
    if raw.lstrip().startswith("+44") or digits.startswith("0044"):
        digits = digits[2:] if raw.lstrip().startswith("+") else digits[4:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        return None
    if len(digits) == 10 and digits[0] == "7" and "(" not in raw:
        return digits
    return None


def uk_mobile(raw: str) -> str:
    """E.164 for a valid UK number, or Rejected."""
    national = _national_mobile(raw)
    if national is not None:
        if _valid_mobile_prefix(national[:7]):
            return "+44" + national
        raise Rejected("not a valid UK number")
    try:
        parsed = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        raise Rejected("not a phone number") from None
    if parsed.country_code != 44:
        raise Rejected("not a UK number")
    if not phonenumbers.is_valid_number(parsed):
        raise Rejected("not a valid UK number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def when(fields: dict[str, str]) -> dt.datetime:
    text = fields.get("appointment") or f"{fields.get('date', '')} {fields.get('time', '')}"
    text = text.strip()
    try:                                   # ISO first: the C parser, 20x faster
        parsed = dt.datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UK)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=UK)
        except ValueError:
            continue
    raise Rejected("appointment date and time not understood (use 2026-03-09 14:30)")


def check(line: int, fields: dict[str, str], services: set[str], languages: set[str],
          now: dt.datetime) -> Appointment:
    """Every rule that needs no database, in the order staff would fix them."""
    number = uk_mobile(fields["phone"])
    service = fields["service"].strip().lower()
    if service not in services:
        raise Rejected(f"unknown service {service[:40]!r}")
    at = when(fields)
    if at > now:
        raise Rejected("appointment is in the future")
    attendance = fields["attendance"].strip().lower()
    if attendance in ATTENDED:
        flow = "domain1"
    elif attendance in DID_NOT_ATTEND:
        flow = "dna"
    else:
        raise Rejected("attendance must be 'attended' or 'did not attend'")
    language = (fields.get("language") or "en").strip().lower()
    if language not in languages:
        raise Rejected(f"unknown language {language[:20]!r}")
    channel = CHANNELS.get((fields.get("channel") or "").strip().lower())
    if channel is None:
        raise Rejected("channel must be sms, whatsapp, voice or none")
    if channel == "none":
        raise Rejected("preferred channel is none: not contacted")
    needs = (fields.get("needs") or "").lower()
    if any(word in needs for word in TEXT_ONLY_NEEDS):
        channel = "web_link"
    return Appointment(line=line, number=number, at=at, service=service, flow=flow,
                       language=language, channel=channel)
