"""`feedback user add`: staff accounts from a terminal (the first admin especially)."""

from __future__ import annotations

import sys

import click

from staff.roles import ROLES


@click.group("user")
def user() -> None:
    """Staff users of the /staff web app."""


@user.command("add")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option("--service", "services", multiple=True,
              help="A service slug a service lead may read (repeat for several).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(email: str, role: str, services: tuple[str, ...], password_stdin: bool) -> None:
    """Add a staff user; the password is prompted for (never an argument)."""
    from feedback.cli import _container, _migrate, _settings
    from staff.accounts import AccountError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _migrate(_settings().database_url)
    container = _container()
    try:
        with container.db.transaction() as tx:
            add_user(tx, email, role, password, list(services), actor="cli")
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    finally:
        container.db.dispose()
    click.echo(f"added {role} {email.strip().lower()}")
