"""The EDS 2022 report as a Word document, shaped like NHS England's
reporting template: score card, Domain 1 table (outcome, evidence, rating,
owner), the organisation's rating, then the action plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

from docx import Document

from flows.reporting.eds import BAND_RULE, RATINGS, eds_band, organisation_total
from flows.reporting.positivity import RULE

OUTCOME_TITLES = {
    "1A": "1A: Patients (service users) have required levels of access to the service",
    "1B": "1B: Individual patients (service users) health needs are met",
    "1C": "1C: When patients (service users) use the service, they are free from harm",
    "1D": "1D: Patients (service users) report positive experiences of the service",
}


@dataclass
class ServiceOutcome:
    service: str
    evidence: list[str]
    rating: int | None = None
    rationale: str = ""
    panel: str = ""
    owner: str = ""
    objective: str = ""
    action: str = ""
    completion: str = ""


@dataclass
class ReportData:
    organisation: str
    year: str
    outcome_ratings: dict[str, int | None]                  # the organisation's, per outcome
    rows: dict[str, list[ServiceOutcome]] = field(default_factory=dict)   # outcome -> services
    domain2: int | None = None
    domain3: int | None = None

    @property
    def domain1(self) -> int:
        return sum(r for r in self.outcome_ratings.values() if r is not None)

    @property
    def total(self) -> int:
        return organisation_total(self.domain1, self.domain2, self.domain3)


def _rating_text(rating: int | None) -> str:
    return "Not yet rated" if rating is None else f"{rating} {RATINGS[rating]}"


def _header_row(table, names) -> None:
    for cell, name in zip(table.rows[0].cells, names, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True


def write_docx(out: BinaryIO, data: ReportData) -> None:
    doc = Document()
    doc.add_heading(f"Equality Delivery System 2022: {data.organisation}", level=0)
    doc.add_paragraph(f"Reporting year {data.year}.")
    doc.add_heading("EDS Rating and Score Card", level=1)
    for score, name in RATINGS.items():
        doc.add_paragraph(f"{name} activity: organisations score {score} for each outcome",
                          style="List Bullet")
    doc.add_paragraph(BAND_RULE)
    doc.add_paragraph(f"How answers count: {RULE}")

    doc.add_heading("Domain 1: Commissioned or provided services", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _header_row(table, ["Outcome", "Evidence", "Rating", "Owner (Dept/Lead)"])
    for outcome, title in OUTCOME_TITLES.items():
        for item in data.rows.get(outcome, []):
            cells = table.add_row().cells
            cells[0].text = title
            cells[1].text = f"{item.service.upper()}\n" + "\n".join(
                f"• {line}" for line in item.evidence)
            if item.rationale:
                cells[1].text += f"\nPanel's rationale: {item.rationale}"
            cells[2].text = _rating_text(item.rating)
            cells[3].text = "\n".join(x for x in (item.owner, item.panel and
                                                    f"Panel: {item.panel}") if x)
    cells = table.add_row().cells
    cells[0].text = "Domain 1: Commissioned or provided services overall rating"
    cells[2].text = str(data.domain1)

    doc.add_heading("EDS Organisation Rating", level=1)
    for outcome, rating in data.outcome_ratings.items():
        doc.add_paragraph(f"{outcome}: {_rating_text(rating)}", style="List Bullet")
    doc.add_paragraph(f"Domain 1 total: {data.domain1}")
    for number, value in ((2, data.domain2), (3, data.domain3)):
        doc.add_paragraph(f"Domain {number} total: "
                          f"{'not entered' if value is None else value}")
    doc.add_paragraph(f"EDS Organisation Rating (overall rating): {data.total} - "
                      f"{eds_band(data.total)}").runs[0].bold = True
    doc.add_paragraph(f"Organisation name(s): {data.organisation}")

    doc.add_heading("EDS Action Plan", level=1)
    plan = doc.add_table(rows=1, cols=4)
    plan.style = "Table Grid"
    _header_row(plan, ["Outcome", "Objective", "Action", "Completion date"])
    for outcome, title in OUTCOME_TITLES.items():
        for item in data.rows.get(outcome, []):
            if item.objective or item.action:
                cells = plan.add_row().cells
                cells[0].text = title
                cells[1].text = f"{item.service.upper()}\n{item.objective}"
                cells[2].text = item.action
                cells[3].text = item.completion
    doc.save(out)
