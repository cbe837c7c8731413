"""Reading and writing services and responses, for the CLI, views and reports."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from storage.models import Response, Service


def add_service(tx: DbSession, **fields) -> Service:
    service = Service(**fields)
    tx.add(service)
    tx.flush()
    return service


def service_by_slug(tx: DbSession, slug: str) -> Service | None:
    return tx.scalar(select(Service).where(Service.slug == slug))


def responses(tx: DbSession, service_slug: str | None = None,
              statuses: tuple[str, ...] = ("complete", "partial", "stopped"),
              batch: int = 500) -> Iterator[Response]:
    """Finished responses, oldest first, with their answers loaded in batches."""
    query = (select(Response).join(Service).where(Response.status.in_(statuses))
             .options(selectinload(Response.answers), selectinload(Response.monitoring),
                      selectinload(Response.service))
             .order_by(Response.date, Response.id))
    if service_slug:
        query = query.where(Service.slug == service_slug)
    yield from tx.scalars(query.execution_options(yield_per=batch))


def service_for_number(tx: DbSession, number: str) -> Service | None:
    """The service whose telephone/SMS number this is."""
    return tx.scalar(select(Service).where(Service.sms_number == number))
