"""EDS 2022 ratings and the organisation's band.

Each outcome is rated 0 Undeveloped, 1 Developing, 2 Achieving, 3 Excelling.
Over all 11 outcomes (Domain 1: 4, Domain 2: 4, Domain 3: 3) the total is
banded: under 8 Undeveloped, 8-21 Developing, 22-32 Achieving, 33 Excelling.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

RATINGS = {0: "Undeveloped", 1: "Developing", 2: "Achieving", 3: "Excelling"}
DOMAIN_OUTCOMES = {1: 4, 2: 4, 3: 3}
MAX_TOTAL = 3 * sum(DOMAIN_OUTCOMES.values())
BAND_RULE = ("Under 8: Undeveloped; 8-21: Developing; 22-32: Achieving; 33: Excelling "
             "(adding all outcome scores in all domains).")


def eds_band(total: int) -> str:
    """The EDS organisation rating for a total score (a report totalling 17 is Developing)."""
    if total < 0 or total > MAX_TOTAL:
        raise ValueError(f"an EDS total is between 0 and {MAX_TOTAL}, not {total}")
    if total < 8:
        return "Undeveloped"
    if total <= 21:
        return "Developing"
    if total <= 32:
        return "Achieving"
    return "Excelling"


def outcome_rating(service_ratings: Iterable[int]) -> int | None:
    """The organisation's rating for one outcome: the mean of the services
    assessed, rounded half up (EDS asks for one score per outcome)."""
    values = list(service_ratings)
    if not values:
        return None
    for value in values:
        if value not in RATINGS:
            raise ValueError(f"a rating is 0-3, not {value}")
    return int(sum(values) / len(values) + 0.5)


def domain_total(ratings: Mapping[str, int | None]) -> int:
    """Domain 1's total over the outcomes that were rated."""
    return sum(r for r in ratings.values() if r is not None)


def organisation_total(domain1: int, domain2: int | None = None,
                       domain3: int | None = None) -> int:
    """The total over the domains the organisation entered."""
    for number, value in ((2, domain2), (3, domain3)):
        if value is not None and not 0 <= value <= 3 * DOMAIN_OUTCOMES[number]:
            raise ValueError(f"Domain {number} total must be 0-{3 * DOMAIN_OUTCOMES[number]}")
    return domain1 + (domain2 or 0) + (domain3 or 0)
