"""Tests for analysis.periods: parsing, dates, ordering, stepping and written styles."""

from datetime import date

import pytest

from analysis.errors import PeriodError
from analysis.periods import (
    Period,
    format_period,
    is_period,
    last_year_end,
    parse_period,
    period_range,
    period_style,
    previous_period,
    same_period_last_year,
    steps_between,
)


@pytest.mark.parametrize(
    ("text", "freq", "label"),
    [
        ("2017/18", "year", "2017-18"),
        ("2017-18", "year", "2017-18"),
        ("2014/2015", "year", "2014-15"),
        ("2017-18 Q2", "quarter", "2017-18 Q2"),
        ("Q2 2017/18", "quarter", "2017-18 Q2"),
        ("2022/23 Q1", "quarter", "2022-23 Q1"),
        ("Sept 2015", "month", "Sep 2015"),
        ("Mar 2016", "month", "Mar 2016"),
        ("April 2021", "month", "Apr 2021"),
        ("2021-04", "month", "Apr 2021"),
        ("2021-04-01", "month", "Apr 2021"),
        ("2017", "year", "2016-17"),
        (2017, "year", "2016-17"),
        ("  2017-18 q3 ", "quarter", "2017-18 Q3"),
    ],
)
def test_parse_period_every_form_gives_canonical_label(text, freq, label):
    period = parse_period(text)
    assert period.freq == freq
    assert period.label == label


def test_parse_period_march_belongs_to_the_previous_financial_year():
    march = parse_period("Mar 2016")
    assert march.fy == 2015
    assert march.index == 12
    assert parse_period("Apr 2016").fy == 2016


def test_parse_period_accepts_a_period_unchanged():
    period = Period(2017, "quarter", 2)
    assert parse_period(period) is period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2017-18", date(2017, 4, 1), date(2018, 3, 31)),
        ("2017-18 Q1", date(2017, 4, 1), date(2017, 6, 30)),
        ("2017-18 Q4", date(2018, 1, 1), date(2018, 3, 31)),
        ("Feb 2016", date(2016, 2, 1), date(2016, 2, 29)),  # leap year
        ("Sep 2015", date(2015, 9, 1), date(2015, 9, 30)),
        ("2017", date(2016, 4, 1), date(2017, 3, 31)),
    ],
)
def test_start_and_end_dates_span_the_period(text, start, end):
    period = parse_period(text)
    assert period.start_date == start
    assert period.end_date == end


def test_ordering_month_before_its_quarter_before_its_year():
    march = parse_period("Mar 2018")
    q4 = parse_period("2017-18 Q4")
    year = parse_period("2017-18")
    assert sorted([year, q4, march]) == [march, q4, year]
    assert parse_period("Feb 2018") < march < q4 < year
    assert year < parse_period("Apr 2018")


def test_ordering_earlier_quarter_sorts_before_later_month():
    assert parse_period("2017-18 Q1") < parse_period("Jul 2017")
    assert parse_period("2017-18 Q2") > parse_period("Aug 2017")


def test_month_quarter_and_year_of_a_month():
    sep = parse_period("Sep 2015")
    assert sep.quarter().label == "2015-16 Q2"
    assert sep.year().label == "2015-16"
    assert parse_period("Jan 2016").quarter().label == "2015-16 Q4"


def test_quarter_of_a_year_is_an_error():
    with pytest.raises(PeriodError, match="is a year, not within one quarter"):
        parse_period("2017-18").quarter()


def test_months_of_a_quarter_in_order():
    months = parse_period("2017-18 Q4").months()
    assert [m.label for m in months] == ["Jan 2018", "Feb 2018", "Mar 2018"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-18 Q1", "2016-17 Q4"),
        ("2017-18 Q3", "2017-18 Q2"),
        ("Apr 2017", "Mar 2017"),
        ("Jan 2018", "Dec 2017"),
        ("2017-18", "2016-17"),
    ],
)
def test_previous_period_crosses_the_year_boundary(text, expected):
    assert previous_period(parse_period(text)).label == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017-18 Q2", "2016-17 Q2"), ("Sep 2015", "Sep 2014"), ("Mar 2016", "Mar 2015"),
     ("2017-18", "2016-17")],
)  # fmt: skip
def test_same_period_last_year_is_one_financial_year_earlier(text, expected):
    assert same_period_last_year(parse_period(text)).label == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017-18 Q1", "2016-17"), ("2017-18 Q4", "2016-17"), ("Mar 2018", "2016-17"),
     ("Apr 2017", "2016-17"), ("2017-18", "2016-17")],
)  # fmt: skip
def test_last_year_end_is_the_previous_financial_year(text, expected):
    assert last_year_end(parse_period(text)).label == expected


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [("2017-18 Q3", 2, "2018-19 Q1"), ("2017-18 Q1", -5, "2015-16 Q4"),
     ("Nov 2017", 5, "Apr 2018"), ("Apr 2017", -13, "Mar 2016"), ("2017-18", 3, "2020-21"),
     ("2017-18 Q2", 0, "2017-18 Q2")],
)  # fmt: skip
def test_shift_steps_at_the_same_frequency(text, n, expected):
    assert parse_period(text).shift(n).label == expected


@pytest.mark.parametrize(
    ("start", "end", "steps"),
    [("2016-17 Q4", "2017-18 Q1", 1), ("2015-16 Q2", "2017-18 Q3", 9), ("Apr 2017", "Mar 2017", -1),
     ("Sep 2015", "Sep 2015", 0), ("2014-15", "2017-18", 3)],
)  # fmt: skip
def test_steps_between_counts_across_years(start, end, steps):
    assert steps_between(parse_period(start), parse_period(end)) == steps


def test_steps_between_different_frequencies_is_an_error():
    with pytest.raises(PeriodError, match="cannot count from a quarter"):
        steps_between(parse_period("2017-18 Q1"), parse_period("Jun 2017"))


def test_period_range_is_inclusive_and_crosses_years():
    labels = [p.label for p in period_range(parse_period("2016-17 Q3"), parse_period("2017-18 Q2"))]
    assert labels == ["2016-17 Q3", "2016-17 Q4", "2017-18 Q1", "2017-18 Q2"]


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("2017", "year"),
        ("2017/18", "fy_slash"),
        ("2014/2015", "fy_slash_long"),
        ("2017-18", "fy_dash"),
        ("2017/18 Q2", "fy_q_slash"),
        ("2017-18 Q2", "fy_q_dash"),
        ("Q2 2017/18", "q_fy_slash"),
        ("Q2 2017-18", "q_fy_dash"),
        ("April 2021", "month_full"),
        ("Mar 2016", "month_abbr"),
        ("2021-04", "iso_month"),
        ("2021-04-01", "iso_date"),
    ],
)
def test_period_style_round_trips_through_format_period(text, style):
    assert period_style(text) == style
    assert format_period(parse_period(text), style) == text


def test_format_period_unknown_style_falls_back_to_canonical():
    assert format_period(parse_period("Sep 2015"), "fy_slash") == "Sep 2015"
    assert format_period(parse_period("2015-16 Q2"), "month_abbr") == "2015-16 Q2"


def test_slug_replaces_the_space_with_a_hyphen():
    assert parse_period("Q2 2017/18").slug == "2017-18-Q2"
    assert parse_period("2017/18").slug == "2017-18"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # "2017-19" could be an ISO month (year 2017, month 19) or a financial year, so the
        # message covers both; "2017/19" and "2017/2019" cannot be months
        ("2017-19", r"period '2017-19' is neither a month \(month 19 is not between 01 and 12\)"),
        ("2017/19", r"2017 must be followed by the next year \(2017-18\)"),
        ("2017/2019", "must be followed by the next year"),
        ("Q5 2017/18", "'Q5 2017/18' is not a period label"),
        ("Smarch 2017", "'Smarch' is not a month name"),
        ("", "'' is not a period label"),
        ("2021-13", "month 13 is not between 01 and 12"),
        ("next quarter", "is not a period label; use a financial year"),
    ],
)
def test_parse_period_bad_label_raises_period_error(text, match):
    with pytest.raises(PeriodError, match=match):
        parse_period(text)
    assert is_period(text) is False


def test_period_error_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError, match="not a period label"):
        parse_period("Q5 2017/18")


@pytest.mark.parametrize(("freq", "index"), [("quarter", 5), ("month", 0), ("week", 1)])
def test_period_out_of_range_raises_period_error(freq, index):
    with pytest.raises(PeriodError, match="out of range|unknown frequency"):
        Period(2017, freq, index)


def test_mistyped_financial_year_is_explained_as_both_readings():
    # "2017-19" looks like a month (2017-19 is not a month) and like a financial year with
    # the wrong second year: the message says both and what to write
    with pytest.raises(
        PeriodError,
        match=r"neither a month \(month 19 is not between 01 and "
        r"12\) nor a financial year \(2017 must be followed by 18: write 2017-18\)",
    ):
        parse_period("2017-19")
