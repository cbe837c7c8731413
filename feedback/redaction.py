"""Answers are anonymous: a phone number or e-mail address a patient types
into a reply is replaced before anything is stored."""

from __future__ import annotations

import re

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PLACEHOLDER_NUMBER = "[number removed]"
PLACEHOLDER_EMAIL = "[email removed]"


def redact(text: str, region: str = "GB") -> str:
    if not text:
        return text
    text = EMAIL.sub(PLACEHOLDER_EMAIL, text)
    matches = list(phonenumbers.PhoneNumberMatcher(text, region,
                                                   leniency=phonenumbers.Leniency.POSSIBLE))
    for match in reversed(matches):
        text = text[:match.start] + PLACEHOLDER_NUMBER + text[match.end:]
    return text
