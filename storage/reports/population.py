"""A service's population profile, uploaded as a CSV of counts:
`field,category,count` (e.g. `ethnic_group,asian,1520`)."""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import TextIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from flows.reporting.records import BREAKDOWNS
from storage.models import PopulationCount


def parse_profile(source: TextIO) -> dict[str, dict[str, int]]:
    """field -> category -> count. Raises ValueError naming the bad line."""
    profile: dict[str, dict[str, int]] = defaultdict(dict)
    reader = csv.DictReader(source)
    if not reader.fieldnames or {"field", "category", "count"} - set(reader.fieldnames):
        raise ValueError("the CSV needs the columns field, category, count")
    for line, row in enumerate(reader, start=2):
        name, category = (row["field"] or "").strip(), (row["category"] or "").strip()
        if name not in BREAKDOWNS:
            raise ValueError(f"line {line}: unknown field {name!r}")
        try:
            count = int(row["count"])
        except (TypeError, ValueError):
            raise ValueError(f"line {line}: count must be a whole number") from None
        if count < 0 or not category:
            raise ValueError(f"line {line}: a category and a count of 0 or more are needed")
        profile[name][category] = count
    return dict(profile)


def replace_profile(tx: DbSession, service_id: int, profile: dict[str, dict[str, int]]) -> int:
    tx.execute(delete(PopulationCount).where(PopulationCount.service_id == service_id))
    rows = [PopulationCount(service_id=service_id, field=f, category=c, count=n)
            for f, categories in profile.items() for c, n in categories.items()]
    tx.add_all(rows)
    tx.flush()
    return len(rows)


def profile_for(tx: DbSession, service_id: int) -> dict[str, dict[str, int]]:
    profile: dict[str, dict[str, int]] = defaultdict(dict)
    for row in tx.scalars(select(PopulationCount).where(
            PopulationCount.service_id == service_id)):
        profile[row.field][row.category] = row.count
    return dict(profile)
