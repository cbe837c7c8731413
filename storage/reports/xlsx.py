"""The engagement log as an Excel workbook: one tab per service and a
Domain 1 tab with every service, the source documents' columns first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from storage.export import COLUMNS, LOG_COLUMNS, OUTCOMES, row, safe_cell
from storage.models import Response, Service

LEADING = LOG_COLUMNS + ["Language", "Channel", "Context", "Themes", "Sentiment"]
XLSX_COLUMNS = (LEADING + [f"{o} (English)" for o in OUTCOMES]
                + [c for c in COLUMNS if c not in LEADING and not c.endswith("(English)")])
DOMAIN1_TAB = "Domain 1"
Annotate = Callable[[Response], dict[str, str]]


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Service"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _header(sheet) -> None:
    sheet.append(XLSX_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def write_xlsx(out: BinaryIO, responses: Iterable[Response],
               annotate: Annotate | None = None, services: Iterable[Service] = ()) -> int:
    """`services` get a tab even with no responses yet; `annotate` adds Themes
    and Sentiment when the staff app's coding is there."""
    book = Workbook()
    domain1 = book.active
    domain1.title = DOMAIN1_TAB
    _header(domain1)
    taken, tabs, count = {DOMAIN1_TAB.lower()}, {}, 0
    for service in services:
        tabs[service.slug] = book.create_sheet(sheet_title(service.name, taken))
        _header(tabs[service.slug])
    for response in responses:
        values = row(response) | {"Themes": "", "Sentiment": ""}
        if annotate:
            values |= annotate(response)
        line = [safe_cell(values.get(column, "")) for column in XLSX_COLUMNS]
        slug = response.service.slug
        if slug not in tabs:
            tabs[slug] = book.create_sheet(sheet_title(response.service.name, taken))
            _header(tabs[slug])
        tabs[slug].append(line)
        domain1.append(line)
        count += 1
    book.save(out)
    return count
