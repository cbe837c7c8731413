"""`feedback catalogue report`: completeness, review status and SMS cost per language."""

from __future__ import annotations

import click


def _phone(row) -> str:
    if row.voice and row.speech:
        return "voice + speech"
    if row.voice:
        return "voice, keypad only"
    return "no voice: recordings or English + interpreter"


@click.group()
def catalogue() -> None:
    """The message catalogue (every patient-facing sentence, per language)."""


@catalogue.command("report")
@click.option("--messages", is_flag=True, help="List every message's segment cost.")
def report(messages: bool) -> None:
    from flows.catalogue import load_catalogue
    from flows.catalogue_report import SMS_SEGMENT_LIMIT, build_report
    from flows.definition import load_flows

    rows = build_report(load_catalogue(), load_flows())
    click.echo(f"{'language':<22}{'complete':>9}  {'review':<9}{'encoding':<9}"
               f"{'max seg':>8}{'over ' + str(SMS_SEGMENT_LIMIT):>8}  telephone")
    for row in rows:
        encodings = {e for e, _ in row.segments.values()}
        encoding = "UCS-2" if "UCS-2" in encodings else "GSM-7"
        click.echo(f"{row.code + ' ' + row.name:<22}{row.completeness:>8.0%}  {row.review:<9}"
                   f"{encoding:<9}{row.worst:>8}{len(row.over_limit):>8}  {_phone(row)}")
        if messages:
            for key, (enc, n) in row.segments.items():
                mark = "  <-- over the limit" if n > SMS_SEGMENT_LIMIT else ""
                click.echo(f"    {key:<34}{enc:<7}{n:>3}{mark}")
        elif row.over_limit:
            click.echo(f"    over {SMS_SEGMENT_LIMIT} segments: {', '.join(row.over_limit)}")
