"""Tests for analysis.formatting: figures printed as the papers print them."""

import math

import pytest

from analysis.catalogue import Indicator
from analysis.formatting import dot_text, format_change, format_value


def indicator(unit: str, show_count: bool = False, decimals: int = 1) -> Indicator:
    return Indicator(
        id="x",
        title="x",
        short_title="x",
        better="low",
        unit=unit,
        frequency="quarterly",
        measure="snapshot",
        decimals=decimals,
        show_count=show_count,
    )


@pytest.mark.parametrize(
    ("value", "ind", "count", "expected"),
    [
        (185.6, indicator("rate_per_10k", show_count=True), 531, "531 (185.6)"),
        (675.4, indicator("rate_per_10k", show_count=True), 1932, "1,932 (675.4)"),
        (169.0, indicator("rate_per_10k", show_count=True), 487, "487 (169.0)"),
        (185.6, indicator("rate_per_10k", show_count=True), math.nan, "185.6"),
        (21.6, indicator("percent"), math.nan, "21.6%"),
        (9.38, indicator("percent", decimals=2), math.nan, "9.38%"),
        (3139, indicator("count"), math.nan, "3,139"),
        (12499.0, indicator("count", decimals=1), math.nan, "12,499"),  # counts: no decimals
        (math.nan, indicator("percent"), math.nan, ""),
    ],
)
def test_format_value_as_printed(value, ind, count, expected):
    assert format_value(value, ind, count) == expected


def test_format_value_withheld_shows_the_marker():
    assert format_value(math.nan, indicator("count"), status="c") == "c (suppressed)"
    assert format_value(math.nan, indicator("count"), status="k") == "k (fewer than 5)"


@pytest.mark.parametrize(
    ("change", "ind", "expected"),
    [(2.6, indicator("rate_per_10k"), "+2.6"), (-13.6, indicator("percent"), "-13.6 pts"),
     (-115.0, indicator("count"), "-115"), (math.nan, indicator("count"), "")],
)  # fmt: skip
def test_format_change_signed(change, ind, expected):
    assert format_change(change, ind) == expected


def test_dot_text_has_words_for_screen_readers():
    assert dot_text("up", "worse") == "↑ ✗ up, worse"
    assert dot_text("", "n/a") == "n/a"


def test_number_without_its_rate_is_shown_with_a_note():
    from test_comparison import make_indicator

    cla = make_indicator(unit="rate_per_10k", show_count=True)
    # paper_2018-02: "risen slightly to 537 in December", no rate printed (status x)
    assert format_value(float("nan"), cla, 537.0, "x") == "537 (no rate published)"
    assert format_value(185.6, cla, 531.0) == "531 (185.6)"
    plans = make_indicator(unit="count", decimals=0)
    assert format_value(float("nan"), plans, 356.0) == "356"
    assert format_value(float("nan"), cla, float("nan"), "c") != ""  # withheld: said so
