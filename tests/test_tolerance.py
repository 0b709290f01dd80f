"""Tolerance for the arrows: an amount in the indicator's unit or a percentage of the baseline."""

import math

import pytest
from test_comparison import make_indicator

from analysis.catalogue import parse_indicator
from analysis.comparison import Baseline, compare_one, direction
from analysis.config import parse_council
from analysis.errors import ConfigError
from analysis.periods import parse_period
from analysis.series import Observation
from analysis.tolerance import Tolerance, parse_tolerance


def obs(value: float) -> Observation:
    return Observation(parse_period("2017-18 Q2"), value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.5, Tolerance(0.5, False)),
        (2, Tolerance(2.0, False)),
        ("2%", Tolerance(2.0, True)),
        (" 2.5 % ", Tolerance(2.5, True)),
        ("0.25", Tolerance(0.25, False)),
        (None, Tolerance(0.0, False)),
    ],
)
def test_parse_tolerance_reads_numbers_and_percentages(raw, expected):
    assert parse_tolerance(raw) == expected


@pytest.mark.parametrize("raw", ["two", "-1", -0.5, True, "5 pp"])
def test_parse_tolerance_rejects_nonsense_with_what_to_write(raw):
    with pytest.raises(ValueError, match="tolerance must be zero or more|'2%'"):
        parse_tolerance(raw)


def test_percentage_threshold_scales_with_the_baseline():
    two = Tolerance(2.0, relative=True)
    assert two.threshold(600.0) == pytest.approx(12.0)
    assert two.threshold(-50.0) == pytest.approx(1.0)
    assert two.threshold(math.nan) == 0.0


@pytest.mark.parametrize(
    ("change", "baseline", "expected"),
    [
        (11.9, 600.0, "same"),
        (12.0, 600.0, "same"),
        (12.1, 600.0, "up"),
        (-12.5, 600.0, "down"),
        (0.9, 40.0, "up"),
    ],
)
def test_direction_with_percentage_tolerance(change, baseline, expected):
    # 2% of 600 is 12; 2% of 40 is 0.8
    assert direction(change, Tolerance(2.0, relative=True), baseline) == expected


def test_cin_rate_fall_of_two_percent_is_same_under_a_three_percent_tolerance():
    # 689.0 -> 675.4 per 10,000 is -2.0%: noise under 3%, a fall under 1%
    ind = make_indicator(better="low", unit="rate_per_10k")
    row = compare_one(ind, obs(675.4), Baseline("2017-18 Q1", 689.0), Tolerance(3.0, True))
    assert (row["direction"], row["judgement"], row["change"]) == ("same", "same", -13.6)
    row = compare_one(ind, obs(675.4), Baseline("2017-18 Q1", 689.0), Tolerance(1.0, True))
    assert (row["direction"], row["judgement"]) == ("down", "better")


def test_indicator_tolerance_overrides_the_council_tolerance():
    ind = make_indicator(better="high", tolerance=Tolerance(1.0))
    row = compare_one(ind, obs(50.8), Baseline("2016-17", 50.0), Tolerance(0.1))
    assert row["direction"] == "same"  # the indicator's 1.0 wins over the council's 0.1


def test_targets_take_no_tolerance():
    ind = make_indicator(better="high")
    row = compare_one(ind, obs(69.9), Baseline("2017-18", 70.0, exact=True), Tolerance(5.0, True))
    assert (row["direction"], row["judgement"]) == ("down", "worse")


def test_council_yml_tolerance_percentage_is_read():
    raw = {
        "council": {"name": "Blackpool", "area_code": "E06000009"},
        "report": {"tolerance": "2%"},
    }
    assert parse_council(raw, "council.yml").tolerance == Tolerance(2.0, True)


def test_council_yml_bad_tolerance_names_the_file_and_field():
    raw = {
        "council": {"name": "Blackpool", "area_code": "E06000009"},
        "report": {"tolerance": "a bit"},
    }
    with pytest.raises(ConfigError, match=r"council.yml: \[report.tolerance\] is 'a bit'"):
        parse_council(raw, "council.yml")


def test_indicator_bad_tolerance_is_a_catalogue_problem():
    raw = {
        "id": "cin_rate",
        "title": "CIN rate",
        "better": "low",
        "unit": "rate_per_10k",
        "frequency": "quarterly",
        "measure": "snapshot",
        "tolerance": "lots",
    }
    ind, problems = parse_indicator(raw, 1, "indicators.yml")
    assert ind is None
    assert [p.location for p in problems] == ["indicator 'cin_rate', tolerance"]
    assert "'lots'" in problems[0].message
