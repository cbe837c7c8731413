"""`feedback report ...` and the Excel engagement log: what the staff report
pages produce, from the terminal."""

from __future__ import annotations

from pathlib import Path

import click


def _container():
    from feedback import config as config_module
    from feedback.bootstrap import build

    return build(config_module.from_env())


def export_xlsx(out: Path, service_slug: str | None) -> int:
    """The engagement log workbook: a tab per service and a Domain 1 tab."""
    from storage.reports.records import services
    from storage.reports.xlsx import write_xlsx
    from storage.repositories import responses

    container = _container()
    try:
        with container.db.transaction() as tx, out.open("wb") as f:
            return write_xlsx(f, responses(tx, service_slug),
                              services=services(tx, [service_slug] if service_slug else None))
    finally:
        container.db.dispose()


@click.group()
def report() -> None:
    """EDS reports: the Word report with ratings, evidence and action plan."""


@report.command("docx")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", default=None, help="Financial year, e.g. 2023-24 (default: this one).")
@click.option("--organisation", default=None, help="Default: FEEDBACK_ORGANISATION_NAME.")
def report_docx(out: Path, year: str | None, organisation: str | None) -> None:
    """Write the EDS 2022 report (Word), shaped like the reporting template."""
    from flows.reporting.quarters import financial_year
    from flows.reporting.sdc import policy_from
    from storage.reports.eds_docx import write_docx
    from storage.reports.report_data import report_data

    services = _container()
    year = year or financial_year(services.clock().date())
    name = organisation or services.settings.extra.get("FEEDBACK_ORGANISATION_NAME") \
        or "Our organisation"
    try:
        with services.db.transaction() as tx:
            data = report_data(tx, name, year, policy_from(services.settings.extra))
    finally:
        services.db.dispose()
    with out.open("wb") as f:
        write_docx(f, data)
    click.echo(f"wrote the {year} EDS report to {out}: total {data.total}")
