"""The engagement log, as the source documents' teams kept it in Excel:
their columns first, exactly, then what a digital conversation adds."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from storage.models import Response

LOG_COLUMNS = ["Reference", "Date", "Stakeholder", "Number of people", "Type of engagement",
               "Soft intelligence", "1A", "1B", "1C", "1D", "Follow-up actions"]
MONITORING_FIELDS = ["age_band", "gender", "gender_identity_same", "sexual_orientation",
                     "ethnic_group", "ethnicity", "marital_status", "disability", "religion",
                     "pregnancy", "district"]
OUTCOMES = ("1A", "1B", "1C", "1D")
EXTRA_COLUMNS = (["Language", "Channel", "Context", "Flow", "Status", "DNA reason",
                  "DNA reason (words)"]
                 + [f"{o} code" for o in OUTCOMES]
                 + [f"{o} (English)" for o in OUTCOMES]
                 + ["Comments"] + MONITORING_FIELDS)
COLUMNS = LOG_COLUMNS + EXTRA_COLUMNS
NOT_ASKED_IN_GROUP = "Not asked (group session)"
NOT_YET_TRANSLATED = "(not yet translated)"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Patients' words must not run as spreadsheet formulas when opened in Excel."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def english(response: Response, answer) -> str:
    """The translation beside the original; marked while the job has not run yet."""
    if answer is None or answer.skipped or not answer.text:
        return ""
    if answer.translation:
        return answer.translation
    return "" if response.language == "en" else NOT_YET_TRANSLATED


def row(response: Response) -> dict[str, object]:
    by_outcome = {a.outcome: a for a in response.answers if a.outcome}
    comments = [a.text for a in response.answers if a.step == "comment"]
    monitoring = {m.field: m.value for m in response.monitoring}
    values: dict[str, object] = {
        "Reference": response.reference, "Date": response.date.isoformat(),
        "Stakeholder": response.service.name, "Number of people": response.number_of_people,
        "Type of engagement": response.engagement_type,
        "Soft intelligence": response.soft_intelligence,
        "Follow-up actions": response.follow_up_actions,
        "Language": response.language, "Channel": response.channel,
        "Context": response.context, "Flow": response.flow, "Status": response.status,
        "DNA reason": response.dna_reason or "", "DNA reason (words)":
            response.dna_reason_text or "", "Comments": "\n".join(comments)}
    for outcome in OUTCOMES:
        answer = by_outcome.get(outcome)
        if answer is None and outcome == "1C" and response.context == "group":
            values[outcome] = NOT_ASKED_IN_GROUP
        elif answer is None or answer.skipped:
            values[outcome] = "(skipped)" if answer is not None else ""
        else:
            values[outcome] = answer.text
        values[f"{outcome} code"] = (answer.code or "") if answer else ""
        values[f"{outcome} (English)"] = english(response, answer)
        values.update(members_cells(response, outcome))
    for field in MONITORING_FIELDS:
        values[field] = monitoring.get(field, "")
    return values


def members_cells(response: Response, outcome: str) -> dict[str, str]:
    """A group session: each member's answer as a bullet in the one log cell."""
    said = [a for a in response.answers
            if a.outcome == outcome and a.member and not a.skipped and a.text]
    if not said:
        return {}
    return {outcome: "\n".join(f"• {a.text}" for a in said),
            f"{outcome} code": "; ".join(a.code or "" for a in said),
            f"{outcome} (English)": "\n".join(f"• {english(response, a)}" for a in said)
            if any(english(response, a) for a in said) else ""}


def rows(responses: Iterable[Response]) -> Iterator[dict[str, object]]:
    for response in responses:
        yield row(response)


def write_csv(out: TextIO, responses: Iterable[Response]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for values in rows(responses):
        writer.writerow({k: safe_cell(v) for k, v in values.items()})
        count += 1
    return count
