"""The `feedback` command: serve, configure services, export, try it out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from feedback import config as config_module

log = logging.getLogger("feedback")


def _settings():
    return config_module.from_env()


def _container():
    from feedback.bootstrap import build

    return build(_settings())


def _migrate(url: str) -> None:
    from storage.migrate import upgrade

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="More log lines (never patients' numbers).")
def main(verbose: bool) -> None:
    """Hear from patients about NHS services (EDS 2022 Domain 1)."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
@click.option("--no-migrate", is_flag=True, help="Do not apply database migrations first.")
def serve(host: str, port: int, workers: int, threads: int, no_migrate: bool) -> None:
    """Serve the app on gunicorn (migrations applied first)."""
    from feedback.server import serve as run

    if not no_migrate:
        _migrate(_settings().database_url)
    run(host, port, workers, threads)


@main.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration."""
    _migrate(_settings().database_url)
    click.echo("database is up to date")


@main.group()
def service() -> None:
    """The services patients give feedback about."""


@service.command("add")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--sms-number", default=None, help="E.164, e.g. +447700900001")
@click.option("--whatsapp-number", default=None)
@click.option("--pals-phone", default="")
@click.option("--pals-text", default="")
@click.option("--pals-email", default="")
def service_add(slug, name, sms_number, whatsapp_number, pals_phone, pals_text, pals_email):
    """Add a service (or update one with the same slug)."""
    from storage.repositories import add_service, service_by_slug

    settings = _settings()
    _migrate(settings.database_url)
    services = _container()
    fields = dict(name=name, sms_number=sms_number, whatsapp_number=whatsapp_number,
                  pals_phone=pals_phone, pals_text=pals_text, pals_email=pals_email)
    with services.db.transaction() as tx:
        existing = service_by_slug(tx, slug)
        if existing:
            for key, value in fields.items():
                setattr(existing, key, value)
            click.echo(f"updated service {slug}")
        else:
            add_service(tx, slug=slug, **fields)
            click.echo(f"added service {slug}")


@service.command("list")
def service_list() -> None:
    from sqlalchemy import select

    from storage.models import Service

    with _container().db.transaction() as tx:
        for s in tx.scalars(select(Service).order_by(Service.slug)):
            click.echo(f"{s.slug}\t{s.name}\tSMS {s.sms_number or '-'}\tPALS {s.pals_phone}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--service", "service_slug", default=None)
def export(fmt: str, out: Path, service_slug: str | None) -> None:
    """Export the engagement log."""
    if fmt == "xlsx":
        from feedback.report_cli import export_xlsx

        click.echo(f"wrote {export_xlsx(out, service_slug)} responses to {out}")
        return
    from storage.export import write_csv
    from storage.repositories import responses

    with _container().db.transaction() as tx, out.open("w", newline="", encoding="utf-8") as f:
        count = write_csv(f, responses(tx, service_slug))
    click.echo(f"wrote {count} responses to {out}")


@main.command()
@click.option("--once", is_flag=True, help="Run the due jobs, then exit.")
def worker(once: bool) -> None:
    """Deliver background work: escalations to PALS, translations, invitations."""
    import signal
    import threading

    services = _container()
    if once:
        click.echo(f"ran {services.jobs.run_until_idle()} jobs")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    redis_url = services.settings.extra.get("FEEDBACK_REDIS_URL", "")
    if redis_url:
        import redis

        from feedback.queue import work

        log.info("worker started (RQ on Redis)")
        work(services, redis.Redis.from_url(redis_url), stop)
        return
    log.info("worker started")
    services.jobs.run_forever(stop)


@main.command()
@click.option("--csv", "csv_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; change nothing.")
@click.option("--show", default=50, show_default=True, help="How many row reasons to list.")
def invite(csv_path: Path, dry_run: bool, show: int) -> None:
    """Import an appointment list and schedule invitations (one per patient)."""
    from feedback.appointments import Rejected
    from feedback.invite_import import Importer

    _migrate(_settings().database_url)
    services = _container()
    with csv_path.open(newline="", encoding="utf-8-sig") as f:
        total = max(sum(1 for _ in f) - 1, 0)
    try:
        with csv_path.open(newline="", encoding="utf-8-sig") as f, click.progressbar(
                length=total, label="checking rows", file=sys.stderr) as bar:
            report = Importer(services).run(f, dry_run=dry_run, progress=bar.update)
    except Rejected as error:             # a header we cannot read: nothing was imported
        raise click.ClickException(str(error)) from None
    finally:
        services.db.dispose()
    for line, reason in report.rejected[:show]:
        click.echo(f"row {line}: {reason}")
    if len(report.rejected) > show:
        click.echo(f"... and {sum(report.reasons.values()) - show} more")
    click.echo(report.summary())
    if dry_run:
        click.echo("dry run: nothing was changed")


@main.command()
def expire() -> None:
    """Close idle conversations (kept as partial responses) and forget old ones."""
    count = _container().conversations.expire_idle()
    click.echo(f"closed {count} idle conversations")


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
def demo(port: int) -> None:
    """Run on the embedded default with a demo service and the SMS simulator."""
    import os

    os.environ.setdefault("FEEDBACK_SIMULATOR", "1")
    os.environ.setdefault("TWILIO_AUTH_TOKEN", "demo-token-not-secret")
    settings = _settings()
    _migrate(settings.database_url)
    from storage.repositories import add_service, service_by_slug

    with _container().db.transaction() as tx:
        if service_by_slug(tx, "demo") is None:
            add_service(tx, slug="demo", name="Demo Community Clinic",
                        sms_number="+447700900001", pals_phone="0800 000 0000",
                        pals_text="07700 900002", pals_email="pals@example.nhs.uk")
    click.echo(f"\n  Patient feedback demo: open http://127.0.0.1:{port}/simulator\n")
    from feedback.server import serve as run

    run("127.0.0.1", port, 1, 8)


@main.command()
@click.option("--service", "service_slug", default="demo", show_default=True)
@click.option("--flow", default="domain1", type=click.Choice(["domain1", "dna"]))
@click.option("--number", default="+447700900123", show_default=True)
def simulate(service_slug: str, flow: str, number: str) -> None:
    """Hold the conversation in this terminal, as a patient texting would."""
    import secrets

    from feedback.messaging import Inbound

    _migrate(_settings().database_url)
    services = _container()
    if flow == "dna":
        turn = services.conversations.begin(service_slug, "sms", number, flow_id="dna")
        _show(turn)
    click.echo("Type a text message (Ctrl-D to quit).")
    for line in sys.stdin:
        turn = services.conversations.handle(Inbound(
            channel="sms", address=number, to="", text=line.rstrip("\n"),
            provider_id="CLI" + secrets.token_hex(16), service_slug=service_slug))
        _show(turn)


def _show(turn) -> None:
    for reply in turn.replies:
        click.echo("\n< " + reply.plain().replace("\n", "\n  ") + "\n")


def _register_subcommands() -> None:
    from feedback.cli_catalogue import catalogue
    from feedback.escalations_cli import escalations

    main.add_command(catalogue)
    main.add_command(escalations)
    from bot.telegram.cli import telegram
    from feedback.group_cli import group_session

    main.add_command(group_session)
    main.add_command(telegram)
    from staff.cli import user

    main.add_command(user)
    from feedback.report_cli import report

    main.add_command(report)


_register_subcommands()


if __name__ == "__main__":
    main()
