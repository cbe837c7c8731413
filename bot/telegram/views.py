"""HTTP for Telegram's webhook: check the secret in constant time, then hand
the update to the handler. Registered only when TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

import asyncio
import hmac
import logging

from flask import Blueprint, abort, jsonify, request
from telegram import Update

from bot.telegram.handler import TelegramHandler
from bot.telegram.settings import TelegramSettings
from feedback.bootstrap import container

log = logging.getLogger(__name__)
bp = Blueprint("telegram", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


def is_authentic(given: str, expected: str) -> bool:
    """No secret configured means nothing is accepted."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


async def process(services, settings: TelegramSettings, data: dict) -> None:
    async with settings.bot() as bot:
        update = Update.de_json(data, bot)
        await TelegramHandler(services, settings).handle(update, bot)


@bp.post("/telegram/webhook")
def webhook():
    services = container()
    settings = TelegramSettings.from_settings(services.settings)
    if not is_authentic(request.headers.get(SECRET_HEADER, ""), settings.webhook_secret):
        log.warning("rejected a Telegram webhook call without the right secret token")
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        abort(400)
    asyncio.run(process(services, settings, data))
    return jsonify(ok=True)
