"""Who is missing: each breakdown of responses beside the service's own
population profile, flagging groups whose share of responses is well below
their share of the population (so the team can plan targeted engagement)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flows.reporting.sdc import Index, Policy, Table, table

UNDER_REPRESENTED = 0.8     # a share of responses below 80% of the population share


@dataclass
class MissingRow:
    category: str
    responses: int | None
    response_share: float | None
    population_share: float | None
    under_represented: bool


@dataclass
class Breakdown:
    table: Table
    rows: list[MissingRow]


def breakdown(index: Index, filters: Mapping[str, str], field: str,
              population: Mapping[str, int] | None = None,
              policy: Policy | None = None) -> Breakdown:
    """`population` is the uploaded profile for this field: category -> count."""
    population = dict(population or {})
    safe = table(index, filters, field, population.keys(), policy)
    people = sum(population.values())
    true_total = index.count(filters.items())
    rows = []
    for cell in safe.cells:
        pop_share = round(100 * population[cell.category] / people, 1) \
            if people and cell.category in population else None
        true_share = (100 * index.count(set(filters.items()) | {(field, cell.category)})
                      / true_total) if true_total else 0.0
        # the flag reveals only that a share is below a bound, never a count
        flag = (pop_share is not None and safe.total is not None
                and true_share < UNDER_REPRESENTED * pop_share)
        rows.append(MissingRow(cell.category, cell.count, safe.percent(cell), pop_share, flag))
    return Breakdown(safe, rows)
