"""Telegram settings, read from the environment the app factory already loaded."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot

from feedback.config import Settings

TELEGRAM_API = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    webhook_secret: str = ""
    api_base_url: str = TELEGRAM_API
    service: str = ""          # the slug of the service private chats give feedback about

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramSettings:
        extra = settings.extra
        return cls(token=extra.get("TELEGRAM_BOT_TOKEN", ""),
                   webhook_secret=extra.get("TELEGRAM_WEBHOOK_SECRET", ""),
                   api_base_url=(extra.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API).rstrip("/"),
                   service=extra.get("TELEGRAM_SERVICE", ""))

    @property
    def base_url(self) -> str:
        return f"{self.api_base_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_base_url}/file/bot"

    def bot(self) -> Bot:
        """A new client; use it as `async with settings.bot() as bot:`."""
        return Bot(self.token, base_url=self.base_url, base_file_url=self.base_file_url)
