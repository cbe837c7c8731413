"""Machine translation of patients' words into English, for staff.

Off the request path: answers are queued in the outbox and translated by the
worker. The default is `none`: patients' words leave the organisation only
if someone chose a provider (a self-hosted LibreTranslate keeps them in).
Failures (network, quota, a language the engine lacks) never lose or block
anything: the original stays, marked "not yet translated", and the job retries.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
from dataclasses import dataclass

from feedback.jobs import TemporaryFailure

PROVIDERS = ("none", "libre", "google", "microsoft", "deepl")
TIMEOUT_SECONDS = 20
# Codes the providers spell differently from ISO 639-1.
PROVIDER_CODES = {"google": {"zh": "zh-CN"}, "microsoft": {"zh": "zh-Hans"}}
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="translate")


@dataclass(frozen=True)
class MachineTranslator:
    """deep-translator behind a timeout (its HTTP calls have none of their own)."""
    provider: str
    url: str = ""
    api_key: str = ""

    @property
    def name(self) -> str:
        return f"{self.provider}:{self.url}" if self.provider == "libre" else self.provider

    def _client(self, source: str, target: str):
        from deep_translator import (
            DeeplTranslator,
            GoogleTranslator,
            LibreTranslator,
            MicrosoftTranslator,
        )
        from deep_translator.exceptions import LanguageNotSupportedException

        codes = PROVIDER_CODES.get(self.provider, {})
        source, target = codes.get(source, source), codes.get(target, target)
        build = {
            "libre": lambda s, t: LibreTranslator(source=s, target=t, custom_url=self.url,
                                                  api_key=self.api_key or "not-needed"),
            "google": lambda s, t: GoogleTranslator(source=s, target=t),
            "microsoft": lambda s, t: MicrosoftTranslator(source=s, target=t,
                                                          api_key=self.api_key),
            "deepl": lambda s, t: DeeplTranslator(source=s, target=t, api_key=self.api_key),
        }[self.provider]
        try:
            return build(source, target)
        except LanguageNotSupportedException:
            return build("auto", target)     # the engine may know it better than the client

    def translate(self, text: str, source: str, target: str = "en",
                  timeout: float = TIMEOUT_SECONDS) -> str:
        future = _pool.submit(lambda: self._client(source, target).translate(text))
        try:
            result = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError as error:
            raise TemporaryFailure("translation timed out") from error
        except Exception as error:  # noqa: BLE001 - every provider error means "try later"
            raise TemporaryFailure(f"{type(error).__name__}") from error
        if not result or not result.strip():
            raise TemporaryFailure("empty translation")
        return result


def make_translator(settings) -> MachineTranslator | None:
    provider = (settings.translator or "none").lower()
    if provider not in PROVIDERS:
        raise ValueError(f"FEEDBACK_TRANSLATOR must be one of {', '.join(PROVIDERS)}")
    if provider == "none":
        return None
    url = settings.libretranslate_url
    if provider == "libre":
        if not url:
            raise ValueError("FEEDBACK_TRANSLATOR=libre needs LIBRETRANSLATE_URL")
        url = url if url.endswith("/") else url + "/"
    keys = {"libre": "LIBRETRANSLATE_API_KEY", "microsoft": "MICROSOFT_TRANSLATOR_KEY",
            "deepl": "DEEPL_API_KEY"}
    return MachineTranslator(provider=provider, url=url,
                             api_key=settings.extra.get(keys.get(provider, ""), ""))


def cache_key(engine: str, source: str, text: str) -> str:
    return hashlib.sha256(f"{engine}\x00{source}\x00{text}".encode()).hexdigest()
