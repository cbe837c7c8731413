"""No published number, nor any difference of published numbers, is 1-4:
every combination of filters on a population with a lone respondent."""

import itertools
import random

import pytest

from flows.reporting.fft import fft_rows
from flows.reporting.records import BREAKDOWNS, Record, attributes
from flows.reporting.sdc import Index, Policy, policy_from, table

QUARTERS = ["2023-24 Q1", "2023-24 Q2", "2023-24 Q3"]
FILTER_VALUES = {"service": ["demo", "other"], "language": ["en", "pl", "ur"],
                 "channel": ["sms", "web", "whatsapp"], "district": ["north", "south", "east"],
                 "quarter": QUARTERS}
LONE = Record(service="demo", quarter="2023-24 Q3", language="pl", channel="whatsapp",
              codes={"1A": "no", "1C": "yes", "1D": "very_poor"},
              monitoring={"district": "east", "ethnic_group": "white", "ethnicity": "polish",
                          "age_band": "80+", "religion": "catholic", "disability": "yes"})


def population() -> list[Record]:
    rng = random.Random(8)
    people = [LONE]
    for service, size in (("demo", 60), ("other", 37)):
        for _ in range(size):
            people.append(Record(
                service=service, quarter=rng.choice(QUARTERS),
                language=rng.choice(["en"] * 6 + ["ur"]), channel=rng.choice(["sms", "web"]),
                codes={"1A": rng.choice(["yes", "yes", "no", "partly"]),
                       "1C": rng.choice(["no"] * 8 + ["yes"]),
                       "1D": rng.choice(["very_good", "good", "neither", "poor"])},
                monitoring={"district": rng.choice(["north", "south"]),
                            "ethnic_group": rng.choice(["white", "asian", "black", "mixed"]),
                            "age_band": rng.choice(["18-24", "25-49", "50-64", "65-79"]),
                            "disability": rng.choice(["yes", "no", "no", "no"])}))
    return people


def published_tables(index, policy):
    """Every table any filter combination can show: who is missing and FFT."""
    names = list(FILTER_VALUES)
    for chosen in itertools.product(*[[None, *FILTER_VALUES[n]] for n in names]):
        filters = {n: v for n, v in zip(names, chosen, strict=True) if v is not None}
        for field in BREAKDOWNS:
            if field not in filters:
                yield table(index, filters, field, (), policy)
    for service in ("", "demo", "other"):
        for row in fft_rows(index, service, QUARTERS, policy):
            yield row.table


def test_no_combination_of_filters_singles_anyone_out():
    policy = Policy(threshold=5)
    index = Index([attributes(r) for r in population()])
    published: dict[frozenset, int] = {}
    tables = suppressed = 0
    for result in published_tables(index, policy):
        tables += 1
        base = frozenset(result.filters.items())
        if result.total is None:
            assert all(c.count is None for c in result.cells)
            assert "suppressed" in result.note
            continue
        published[base] = result.total
        hidden = [c for c in result.cells if c.count is None]
        suppressed += len(hidden)
        remainder = result.total - sum(c.count for c in result.cells if c.count is not None)
        assert not policy.small(remainder), (result.filters, result.field, remainder)
        if len(hidden) == 1:        # a lone hidden cell is as good as published
            published[base | {(result.field, hidden[0].category)}] = remainder
        if hidden:
            assert "Suppressed" in result.note
        for cell in result.cells:
            if cell.count is not None:
                published[base | {(result.field, cell.category)}] = cell.count
    assert tables > 5000 and len(published) > 500 and suppressed > 100
    for constraints, count in published.items():
        assert not policy.small(count), (constraints, count)
        items = list(constraints)
        for size in range(len(items)):
            for looser in itertools.combinations(items, size):
                if frozenset(looser) in published:
                    difference = published[frozenset(looser)] - count
                    assert not policy.small(difference), (looser, constraints, difference)


def test_the_lone_respondent_is_never_shown():
    index = Index([attributes(r) for r in population()])
    polish = table(index, {"service": "demo"}, "language")
    assert polish.cell("pl").count is None and polish.cell("pl").reason == "small"
    assert polish.total == 61
    assert "pl (a count of 1-4)" in polish.note
    harm = fft_rows(index, "demo", ["2023-24 Q3"])[2].table   # 1C, Q3
    assert harm.cells and not any(c.count and c.count < 5 for c in harm.cells)


def test_secondary_suppression_protects_a_single_small_cell():
    records = [{"service": "s", "g": "a"}] * 20 + [{"service": "s", "g": "b"}] * 7 \
        + [{"service": "s", "g": "c"}] * 2
    result = table(Index(records), {"service": "s"}, "g")
    shown = {c.category: c.count for c in result.cells}
    assert shown == {"a": 20, "b": None, "c": None}
    assert result.cell("b").reason == "secondary"
    assert result.percent(result.cell("b")) is None
    assert result.percent(result.cell("a")) == 69.0


def test_nothing_suppressed_says_so():
    records = [{"g": "a"}] * 10 + [{"g": "b"}] * 6
    result = table(Index(records), {}, "g")
    assert [c.count for c in result.cells] == [10, 6]
    assert result.note.startswith("Nothing suppressed")


def test_threshold_is_configurable_but_never_below_3():
    assert policy_from({"FEEDBACK_SDC_THRESHOLD": "10"}).threshold == 10
    assert policy_from({}).threshold == 5
    with pytest.raises(ValueError):
        policy_from({"FEEDBACK_SDC_THRESHOLD": "2"})
