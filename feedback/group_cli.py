"""`feedback group-session create|close`: staff start and end facilitated group sessions."""

from __future__ import annotations

import asyncio

import click


def _groups():
    from feedback.cli import _container, _migrate, _settings
    from feedback.group_sessions import group_sessions

    _migrate(_settings().database_url)
    services = _container()
    return services, group_sessions(services)


def _link(services, path: str) -> str:
    return f"{services.settings.public_url}{path}" if services.settings.public_url else path


@click.group("group-session")
def group_session() -> None:
    """Group sessions: a Telegram group or an online group; 1C is never asked."""


@group_session.command("create")
@click.option("--service", "service_slug", required=True)
@click.option("--channel", type=click.Choice(["telegram", "web"]), required=True)
@click.option("--language", default="en", show_default=True)
def create(service_slug: str, channel: str, language: str) -> None:
    """Print a one-time code (Telegram) or the group's link (web) as the last word."""
    services, groups = _groups()
    try:
        created = groups.create(service_slug, channel, language)
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        services.db.dispose()
    if channel == "web":
        click.echo("Facilitator page (keep it to yourself): "
                   + _link(services, f"/chat/group/facilitate/{created.facilitator}"))
        click.echo("Share this link with the group (valid 24 hours until first opened): "
                   + _link(services, f"/chat/group/{created.code}"))
    else:
        click.echo("A group admin sends this in the Telegram group within 24 hours: "
                   f"/feedback {created.code}")


@group_session.command("close")
@click.option("--code", required=True)
def close(code: str) -> None:
    """End a session (the Telegram group is sent the closing message)."""
    services, groups = _groups()
    try:
        turn, chat = groups.close_by_code(code.removeprefix("/feedback").strip().split("/")[-1])
    finally:
        services.db.dispose()
    if turn.status != "ok":
        raise click.ClickException("no open session has that code")
    if chat is not None and turn.replies:
        from bot.telegram.sending import deliver
        from bot.telegram.settings import TelegramSettings

        settings = TelegramSettings.from_settings(services.settings)
        if settings.token:
            asyncio.run(deliver(settings, chat, turn.replies))
    click.echo("session closed")
