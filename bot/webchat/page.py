"""What the chat page shows: transcript lines in the right language and
direction, their Easy Read versions, BSL links, and the page's own words.

Every sentence comes from the catalogue; Easy Read texts are `easy.<key>`
entries beside the standard ones, so translators can fill them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from bot.webchat.state import ChatState
from feedback.crypto import REFERENCE_ALPHABET
from flows.catalogue import SOURCE_LANGUAGE, Catalogue
from flows.choosing import available
from storage.repositories import service_by_slug

FINISHED = ("closing", "stopped", "already_finished")


@dataclass(frozen=True)
class ServiceInfo:
    """The few things the page needs about a service, read once per request."""
    slug: str
    name: str
    params: dict[str, str]
    bsl_videos: dict[str, str] = field(default_factory=dict)


def service_info(services, slug: str) -> ServiceInfo | None:
    with services.db.transaction() as tx:
        service = service_by_slug(tx, slug)
        if service is None:
            return None
        params = {"service": service.name, "pals_phone": service.pals_phone or "",
                  "pals_text": service.pals_text or "", "pals_email": service.pals_email or ""}
        videos = (service.settings or {}).get("bsl_videos") or {}
        return ServiceInfo(slug=service.slug, name=service.name, params=params,
                           bsl_videos={str(k): str(v) for k, v in videos.items()
                                       if _safe_link(str(v))})


def _safe_link(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


@dataclass(frozen=True)
class Message:
    who: str                     # service | patient
    text: str
    lang: str | None
    dir: str
    options: tuple[str, ...] = ()
    bsl: str | None = None
    easy: bool = False
    number: int = 0


class Page:
    """Renders one browser's chat state for one request."""

    def __init__(self, catalogue: Catalogue, flows, info: ServiceInfo, reference_prefix: str):
        self.catalogue, self.info = catalogue, info
        self._reference = re.compile(re.escape(reference_prefix) + f"-[{REFERENCE_ALPHABET}]+")
        self._steps: dict[str, list[str]] = {}
        for flow in flows.values():
            for step in flow.steps:
                self._steps.setdefault(step.text, []).append(step.id)

    # -- languages ---------------------------------------------------------------
    def languages(self) -> list[tuple[str, str]]:
        """(code, native name) for the picker, in the catalogue's menu order."""
        return [(code, self.catalogue.languages[code].native)
                for code in available(self.catalogue)]

    def direction(self, lang: str) -> str:
        info = self.catalogue.languages.get(lang)
        return info.dir if info else "ltr"

    def language(self, state: ChatState, wanted: str | None = None) -> str:
        """The page follows the language of the latest message from the service."""
        last = state.last_service_line()
        lang = last["l"] if last else wanted
        return lang if lang and self.catalogue.has(lang) else SOURCE_LANGUAGE

    def _own(self, key: str, lang: str) -> bool:
        return bool(self.catalogue.texts.get(lang, {}).get(key))

    def text_language(self, key: str, lang: str) -> str:
        """The language a key's text is really in (English when `lang` lacks it)."""
        return lang if not key or self._own(key, lang) else SOURCE_LANGUAGE

    def chrome(self, key: str, lang: str, **params: str) -> Markup:
        """Page wording; marked as English where the language has no text yet."""
        text = escape(self.catalogue.text(key, lang, {**self.info.params, **params}))
        if lang == SOURCE_LANGUAGE or self._own(key, lang):
            return text
        return Markup('<span lang="en" dir="ltr">{}</span>').format(text)

    # -- transcript -----------------------------------------------------------
    def messages(self, state: ChatState) -> list[Message]:
        return [self.message(line, state.easy) for line in state.lines]

    def message(self, line: dict, easy: bool) -> Message:
        if line["w"] == "p":
            return Message(who="patient", text=line["t"], lang=None, dir="auto",
                           number=line.get("i", 0))
        key, lang = line.get("k", ""), line.get("l", SOURCE_LANGUAGE)
        text_lang = self.text_language(key, lang)
        text, simplified = line["t"], False
        if easy and key and self._own(f"easy.{key}", text_lang):
            text, simplified = self._easy(key, text_lang, lang, line["t"]), True
        return Message(who="service", text=text, lang=text_lang,
                       dir=self.direction(text_lang), options=tuple(line.get("o", ())),
                       bsl=self.bsl(key), easy=simplified, number=line.get("i", 0))

    def _easy(self, key: str, text_lang: str, lang: str, standard: str) -> str:
        found = self._reference.search(standard)
        native = self.catalogue.languages.get(lang)
        params = {**self.info.params, "reference": found.group(0) if found else "",
                  "language": native.native if native else lang}
        return self.catalogue.text(f"easy.{key}", text_lang, params)

    def bsl(self, key: str) -> str | None:
        """A service's BSL video for this question, by step id (q1a) or message key."""
        videos = self.info.bsl_videos
        for name in [*self._steps.get(key, []), key]:
            if videos.get(name):
                return videos[name]
        return None

    def finished(self, state: ChatState) -> bool:
        last = state.last_service_line()
        return last is None or last.get("k") in FINISHED
