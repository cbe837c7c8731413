"""Speaking replies on a call: <Say> in the patient's language, the last reply
inside a <Gather> that takes the keypad and, where Twilio can, speech.

Keys are the same on every question: 1 yes / 2 no (or the option's number),
star to skip, 0 for PALS. Silence is heard once more, then the call ends kindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

from feedback.messaging import Reply
from flows import yamlio
from flows.catalogue import Catalogue

VOICES_FILE = Path(__file__).parents[1] / "flows" / "catalogue" / "voices.yaml"
ENDINGS = {"closing", "stopped", "already_finished", "voice.goodbye", "system.busy"}
GATHER_SECONDS = 6


@dataclass(frozen=True)
class Voice:
    say: str | None
    language: str
    speech: str | None


@cache
def voices() -> dict[str, Voice]:
    return {code: Voice(**info) for code, info in yamlio.load_file(VOICES_FILE).items()}


def can_speak(language: str, recordings: dict) -> bool:
    voice = voices().get(language)
    return bool((voice and voice.say) or recordings.get(language))


def _speak(node, text: str, language: str, key: str, recordings: dict) -> None:
    url = recordings.get(language, {}).get(key)
    if url:
        node.play(url)
        return
    voice = voices().get(language) or voices()["en"]
    if voice.say is None:
        voice = voices()["en"]
    node.say(text, voice=voice.say, language=voice.language)


def action_url(path: str, **params) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def key_prompt(reply: Reply, catalogue: Catalogue) -> list[str]:
    """What to press, read after a question in the reply's language."""
    lang = reply.language
    if reply.options:
        return [catalogue.text("voice.option", lang, {"label": label, "digit": str(i)})
                for i, label in enumerate(reply.options, 1)]
    if reply.key.startswith("question.") and reply.expects == "yes_no":
        return [catalogue.text("voice.keys_yes_no", lang)]
    if reply.expects == "free" and not reply.key.startswith("followup."):
        return [catalogue.text("voice.say_answer", lang)]
    return []


def render(replies: tuple[Reply, ...], catalogue: Catalogue, next_url: str,
           silence_url: str, recordings: dict | None = None) -> str:
    recordings = recordings or {}
    response = VoiceResponse()
    if not replies or replies[-1].key in ENDINGS:
        for reply in replies:
            _speak(response, reply.text, reply.language, reply.key, recordings)
        response.hangup()
        return str(response)
    *before, last = replies
    for reply in before:
        _speak(response, reply.text, reply.language, reply.key, recordings)
    voice = voices().get(last.language) or voices()["en"]
    gather = response.gather(
        input="speech dtmf" if voice.speech else "dtmf", action=next_url, method="POST",
        language=voice.speech or voice.language, timeout=GATHER_SECONDS,
        speech_timeout="auto", num_digits=1, action_on_empty_result=False)
    _speak(gather, last.text, last.language, last.key, recordings)
    for line in key_prompt(last, catalogue):
        _speak(gather, line, last.language, "", recordings)
    response.redirect(silence_url, method="POST")
    return str(response)


def language_menu(catalogue: Catalogue, codes: list[str], page: int, next_url: str,
                  per_page: int = 8) -> str:
    """Each language offered in its own voice: "For Polski, press 2"."""
    response = VoiceResponse()
    start = page * per_page
    shown = codes[start:start + per_page]
    gather = response.gather(input="dtmf", action=next_url, method="POST", num_digits=1,
                             timeout=GATHER_SECONDS, action_on_empty_result=False)
    for digit, code in enumerate(shown, 1):
        text = catalogue.text("voice.language_option", code, {"digit": str(digit)})
        _speak(gather, text, code, "", {})
    if start + per_page < len(codes):
        _speak(gather, catalogue.text("voice.more_languages", "en"), "en", "", {})
    response.redirect(next_url + "&silence=1", method="POST")
    return str(response)


def speak_and_hang_up(text: str, language: str = "en") -> str:
    response = VoiceResponse()
    _speak(response, text, language, "", {})
    response.hangup()
    return str(response)
