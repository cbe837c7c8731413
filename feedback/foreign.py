"""A patient who writes in a language the catalogue lacks.

They are answered in English and, only if an organisation configured a
translator, also in a machine translation clearly marked as automatic. The
catalogue's reviewed texts are always preferred: this is the last resort.
"""

from __future__ import annotations

import logging
from functools import cache

from feedback.messaging import Reply
from feedback.translation import MachineTranslator

log = logging.getLogger(__name__)
CONFIDENT = 0.90
MIN_LETTERS = 12           # too short to tell one language from another
REPLY_TIMEOUT_SECONDS = 4  # on the request path: Twilio waits 15 s for the whole turn


@cache
def _factory():
    """langdetect's own profiles, seeded: the same text always gives the same answer."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def identify_unsupported(text: str, supported: set[str]) -> str | None:
    """The language of `text` when it is confidently one we have no catalogue for."""
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    code = best.lang.split("-")[0]
    return code if best.prob >= CONFIDENT and code not in supported else None


def with_machine_translation(replies: list[Reply], language: str, marker: str,
                             translator: MachineTranslator) -> list[Reply]:
    """English first (always understood by an interpreter), then the marked translation."""
    out = []
    for reply in replies:
        try:
            translated = translator.translate(reply.text, "en", target=language,
                                              timeout=REPLY_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - English alone is still a complete answer
            log.warning("machine translation of a reply into %s failed", language)
            out.append(reply)
            continue
        text = f"{reply.text}\n\n{marker}\n{translated}"
        out.append(Reply(text=text, key=reply.key, options=reply.options, language="en"))
    return out
