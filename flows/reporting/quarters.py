"""NHS financial-year quarters: the year starts in April, Q1 = April to June."""

from __future__ import annotations

import datetime as dt


def financial_year(day: dt.date) -> str:
    """'2023-24' for any day from 1 April 2023 to 31 March 2024."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def quarter(day: dt.date) -> str:
    """'2023-24 Q1' for April-June 2023, ... '2023-24 Q4' for January-March 2024."""
    number = (day.month - 4) % 12 // 3 + 1
    return f"{financial_year(day)} Q{number}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter label such as '2023-24 Q3'."""
    year, q = label.split()
    start_year, number = int(year[:4]), int(q[1])
    month = 4 + (number - 1) * 3
    first = dt.date(start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    after = dt.date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)
