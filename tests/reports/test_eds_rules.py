"""EDS banding, positivity and NHS financial quarters."""

import datetime as dt

import pytest

from flows.reporting.eds import eds_band, organisation_total, outcome_rating
from flows.reporting.positivity import classify
from flows.reporting.quarters import financial_year, quarter, quarter_bounds


@pytest.mark.parametrize("total, band", [
    (0, "Undeveloped"), (7, "Undeveloped"), (8, "Developing"), (17, "Developing"),
    (21, "Developing"), (22, "Achieving"), (32, "Achieving"), (33, "Excelling")])
def test_eds_band_boundaries(total, band):
    assert eds_band(total) == band


def test_a_published_total_of_17_is_developing():
    assert eds_band(organisation_total(domain1=5, domain2=7, domain3=5)) == "Developing"


@pytest.mark.parametrize("bad", [-1, 34])
def test_eds_band_refuses_impossible_totals(bad):
    with pytest.raises(ValueError):
        eds_band(bad)


def test_organisation_total_checks_domain_ranges():
    with pytest.raises(ValueError):
        organisation_total(4, domain3=10)


def test_outcome_rating_is_the_rounded_mean_of_services():
    assert outcome_rating([1, 2]) == 2
    assert outcome_rating([1, 1, 2]) == 1
    assert outcome_rating([]) is None


@pytest.mark.parametrize("outcome, code, kind", [
    ("1A", "yes", "positive"), ("1A", "no", "negative"), ("1A", "partly", "other"),
    ("1B", "unsure", "other"), ("1C", "no", "positive"), ("1C", "yes", "negative"),
    ("1D", "very_good", "positive"), ("1D", "good", "positive"), ("1D", "neither", "other"),
    ("1D", "dont_know", "other"), ("1D", "poor", "negative"), ("1D", "very_poor", "negative"),
    ("1A", None, None), ("1D", "yes", None)])
def test_positivity_rule(outcome, code, kind):
    assert classify(outcome, code) == kind


@pytest.mark.parametrize("day, label", [
    (dt.date(2023, 4, 1), "2023-24 Q1"), (dt.date(2023, 6, 30), "2023-24 Q1"),
    (dt.date(2023, 7, 1), "2023-24 Q2"), (dt.date(2023, 12, 31), "2023-24 Q3"),
    (dt.date(2024, 1, 1), "2023-24 Q4"), (dt.date(2024, 3, 31), "2023-24 Q4"),
    (dt.date(1999, 12, 5), "1999-00 Q3")])
def test_nhs_financial_quarters(day, label):
    assert quarter(day) == label


def test_quarter_bounds_round_trip():
    assert quarter_bounds("2023-24 Q4") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert quarter_bounds("2023-24 Q1") == (dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    assert financial_year(dt.date(2024, 3, 31)) == "2023-24"
