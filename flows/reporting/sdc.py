"""Statistical disclosure control, following NHS practice for small numbers.

Every published count is the number of responses matching a set of
constraints (service = X, quarter = Y, ethnic_group = Z...). A count is
published only when:

1. **Primary suppression**: it is 0 or at least `threshold` (default 5, so
   counts 1-4 are never shown; set `FEEDBACK_SDC_THRESHOLD` to raise it).
2. **Differencing guard**: for every looser set of constraints (any of its
   filters dropped), the difference between the two counts is also 0 or at
   least `threshold`. Otherwise "all of Q1" minus "Q1 in English" would tell
   you how many people answered in other languages.
3. **Secondary suppression** inside each table: when cells are suppressed,
   at least two are, and together they hold 0 or at least `threshold`
   responses, so none can be worked out from the table's total.
4. A percentage is shown only when both its count and its base are shown.

Every table carries a note of what was suppressed and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

NOT_STATED = "not stated"


@dataclass(frozen=True)
class Policy:
    threshold: int = 5          # counts 1 .. threshold-1 are suppressed

    def small(self, count: int) -> bool:
        return 0 < count < self.threshold


class Index:
    """Responses as bitsets per (field, value): counting a set of constraints is
    an AND and a popcount, so checking every looser set stays cheap."""

    def __init__(self, records: Sequence[Mapping[str, str]]):
        self.size = len(records)
        self.everyone = (1 << self.size) - 1
        self.bits: dict[tuple[str, str], int] = defaultdict(int)
        self.values: dict[str, set[str]] = defaultdict(set)
        for position, record in enumerate(records):
            for name, value in record.items():
                self.bits[(name, value)] |= 1 << position
                self.values[name].add(value)
        self._counts: dict[frozenset, int] = {}

    def count(self, constraints: Iterable[tuple[str, str]]) -> int:
        key = frozenset(constraints)
        if key not in self._counts:
            members = self.everyone
            for pair in key:
                members &= self.bits.get(pair, 0)
            self._counts[key] = members.bit_count()
        return self._counts[key]


def publishable(index: Index, constraints: frozenset, policy: Policy) -> bool:
    """Rules 1 and 2: neither the count nor its difference from any looser count is small."""
    count = index.count(constraints)
    if policy.small(count):
        return False
    items = list(constraints)
    for size in range(len(items)):
        for looser in combinations(items, size):
            if policy.small(index.count(looser) - count):
                return False
    return True


@dataclass
class Cell:
    category: str
    count: int | None            # None: suppressed
    reason: str = ""             # "" | "small" | "difference" | "secondary"

    @property
    def shown(self) -> bool:
        return self.count is not None


@dataclass
class Table:
    field: str
    filters: dict[str, str]
    total: int | None
    cells: list[Cell] = field(default_factory=list)
    policy: Policy = field(default_factory=Policy)

    def percent(self, cell: Cell, decimals: int = 1) -> float | None:
        """Rule 4: a share only from a shown count over a shown, non-zero base."""
        if cell.count is None or not self.total:
            return None
        return round(100 * cell.count / self.total, decimals)

    def cell(self, category: str) -> Cell | None:
        return next((c for c in self.cells if c.category == category), None)

    @property
    def suppressed(self) -> list[Cell]:
        return [c for c in self.cells if c.count is None]

    @property
    def note(self) -> str:
        k = self.policy.threshold
        if self.total is None:
            return (f"Everything in this table is suppressed: fewer than {k} responses, or a "
                    f"number that could be worked out from other tables.")
        hidden = self.suppressed
        if not hidden:
            return f"Nothing suppressed (counts of 1-{k - 1} are never shown)."
        reasons = {"small": f"a count of 1-{k - 1}",
                   "difference": "could be worked out by comparing with another table",
                   "secondary": "suppressed too, so the others cannot be worked out from the total"}
        parts = [f"{c.category} ({reasons[c.reason]})" for c in hidden]
        return f"Suppressed {len(hidden)} of {len(self.cells)} cells: " + "; ".join(parts) + "."


def table(index: Index, filters: Mapping[str, str], field_name: str,
          categories: Iterable[str] = (), policy: Policy | None = None) -> Table:
    """One breakdown (e.g. ethnic group) of the responses matching `filters`, made safe."""
    policy = policy or Policy()
    base = frozenset(filters.items())
    names = sorted(set(categories) | index.values.get(field_name, set()))
    true = {name: index.count(base | {(field_name, name)}) for name in names}
    names = [n for n in names if true[n] or n in set(categories)]
    if not publishable(index, base, policy):
        return Table(field_name, dict(filters), None,
                     [Cell(n, None, "small") for n in names], policy)
    cells = []
    for name in names:
        constraints = base | {(field_name, name)}
        if policy.small(true[name]):
            cells.append(Cell(name, None, "small"))
        elif not publishable(index, constraints, policy):
            cells.append(Cell(name, None, "difference"))
        else:
            cells.append(Cell(name, true[name]))
    _secondary(cells, true, policy)
    return Table(field_name, dict(filters), index.count(base), cells, policy)


def _secondary(cells: list[Cell], true: Mapping[str, int], policy: Policy) -> None:
    """Rule 3: suppress the smallest shown cells until the hidden ones are at
    least two and hold 0 or at least `threshold` responses between them."""
    while True:
        hidden = [c for c in cells if c.count is None]
        if not hidden:
            return
        hidden_sum = sum(true[c.category] for c in hidden)
        if len(hidden) >= 2 and not policy.small(hidden_sum):
            return
        shown = [c for c in cells if c.count is not None]
        if not shown:
            return
        nonzero = [c for c in shown if c.count] or shown
        pick = min(nonzero, key=lambda c: (c.count, c.category))
        pick.count, pick.reason = None, "secondary"


def policy_from(extra: Mapping[str, str]) -> Policy:
    """FEEDBACK_SDC_THRESHOLD (default 5) from the settings; never below 3."""
    value = int(extra.get("FEEDBACK_SDC_THRESHOLD") or 5)
    if value < 3:
        raise ValueError("FEEDBACK_SDC_THRESHOLD below 3 would publish counts of 1 or 2")
    return Policy(threshold=value)
