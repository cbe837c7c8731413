"""Polling for local use (`feedback telegram poll`): the real library's
Application fetches updates and passes each one to the same handler."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.telegram.handler import TelegramHandler
from bot.telegram.settings import TelegramSettings

ALLOWED_UPDATES = ["message", "callback_query"]


def build_application(services, settings: TelegramSettings) -> Application:
    handler = TelegramHandler(services, settings)

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await handler.handle(update, context.bot)

    application = (ApplicationBuilder().token(settings.token).base_url(settings.base_url)
                   .base_file_url(settings.base_file_url).build())
    application.add_handler(TypeHandler(Update, on_update))
    return application


def poll(services, settings: TelegramSettings) -> None:
    """Blocks until interrupted; removes any webhook first (Telegram allows one or the other)."""
    build_application(services, settings).run_polling(allowed_updates=ALLOWED_UPDATES)
