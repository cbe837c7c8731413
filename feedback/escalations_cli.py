"""`feedback escalations …`: the PALS queue from a terminal, never with contact details."""

from __future__ import annotations

import json

import click

from feedback.escalation_queue import queue


@click.group("escalations")
def escalations() -> None:
    """Disclosures escalated to PALS."""


@escalations.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.option("--service", "service_slug", default=None, help="Only this service's slug.")
@click.option("--status", default=None,
              type=click.Choice(["open", "acknowledged", "closed"]), help="Only this status.")
def list_escalations(as_json: bool, service_slug: str | None, status: str | None) -> None:
    """Escalations, urgent first: reference, service, categories, urgency, delivery."""
    from feedback.cli import _container

    services = _container()
    try:
        with services.db.transaction() as tx:
            rows = queue(tx, service_slug, status)
    finally:
        services.db.dispose()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no escalations")
        return
    click.echo(f"{'REFERENCE':<12} {'SERVICE':<16} {'URGENT':<6} {'STATUS':<12} "
               f"{'DELIVERED':<9} {'CREATED':<25} CATEGORIES")
    for r in rows:
        click.echo(f"{r['reference']:<12} {r['service'][:16]:<16} "
                   f"{'YES' if r['urgent'] else 'no':<6} {r['status']:<12} "
                   f"{'yes' if r['delivered'] else 'NO':<9} {r['created'][:25]:<25} "
                   f"{', '.join(r['categories']) or '-'}")
