"""`feedback telegram poll` and `feedback telegram set-webhook`."""

from __future__ import annotations

import asyncio

import click

from bot.telegram.polling import ALLOWED_UPDATES
from bot.telegram.settings import TelegramSettings

COMMANDS = [("start", "Give feedback"), ("help", "How this works"),
            ("language", "Change language"), ("stop", "Stop messages"),
            ("feedback", "Group admins: start a group session with a code"),
            ("next", "Facilitator: next question"), ("close", "Facilitator: end the session")]


def _settings() -> tuple[object, TelegramSettings]:
    from feedback.cli import _container

    services = _container()
    settings = TelegramSettings.from_settings(services.settings)
    if not settings.token:
        raise click.ClickException("set TELEGRAM_BOT_TOKEN first")
    return services, settings


@click.group()
def telegram() -> None:
    """The Telegram bot."""


@telegram.command()
def poll() -> None:
    """Fetch updates by polling (local use; no public URL needed)."""
    from bot.telegram.polling import poll as run

    services, settings = _settings()
    click.echo("polling Telegram for updates (Ctrl-C to stop)")
    run(services, settings)


@telegram.command("set-webhook")
@click.option("--url", required=True, help="https://…/telegram/webhook")
def set_webhook(url: str) -> None:
    """Point Telegram at our webhook, with the secret token it must send back."""
    _, settings = _settings()
    if not settings.webhook_secret:
        raise click.ClickException("set TELEGRAM_WEBHOOK_SECRET first")

    async def run() -> None:
        from telegram import BotCommand

        async with settings.bot() as bot:
            await bot.set_webhook(url, secret_token=settings.webhook_secret,
                                  allowed_updates=ALLOWED_UPDATES)
            await bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])

    asyncio.run(run())
    click.echo("webhook set")
