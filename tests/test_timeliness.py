"""Figures older than their frequency allows: the rule, validate's warnings, the overview's mark."""

from __future__ import annotations

import dataclasses

import pytest
from test_comparison import make_indicator

from analysis.periods import parse_period
from analysis.timeliness import months_behind, stale_reason

Q3 = parse_period("2017-18 Q3")  # October to December 2017


@pytest.mark.parametrize(
    ("frequency", "latest", "stale"),
    [
        ("monthly", "Dec 2017", False),
        ("monthly", "Nov 2017", False),  # one month behind: being prepared
        ("monthly", "Oct 2017", True),  # two months behind
        ("monthly", "Sep 2017", True),  # three months stale
        ("monthly", "2017-18 Q3", False),  # a quarter's figure ends in December
        ("quarterly", "2017-18 Q3", False),
        ("quarterly", "2017-18 Q2", False),  # the quarter before
        ("quarterly", "2017-18 Q1", True),
        ("annual", "2016-17", False),  # last year's, out in the autumn
        ("annual", "2015-16", True),  # 21 months behind December 2017
    ],
)
def test_each_frequency_allows_its_own_lag(frequency, latest, stale):
    ind = make_indicator(frequency=frequency)
    assert bool(stale_reason(ind, parse_period(latest), Q3)) is stale


def test_an_annual_figure_is_not_stale_before_the_autumn_release():
    ind = make_indicator(frequency="annual")
    assert stale_reason(ind, parse_period("2015-16"), parse_period("2017-18 Q2")) == ""
    assert months_behind(parse_period("2015-16"), parse_period("2017-18 Q2")) == 18


def test_the_reason_says_how_far_behind_and_what_is_allowed():
    ind = make_indicator(frequency="monthly")
    assert stale_reason(ind, parse_period("Sep 2017"), Q3) == (
        "latest figure Sep 2017 is 3 months behind 2017-18 Q3; a monthly figure should be at "
        "most 1 month behind"
    )


def test_a_next_due_date_after_the_quarter_means_not_due_yet():
    ind = make_indicator(frequency="annual", next_due="2018-11-15")
    assert stale_reason(ind, parse_period("2015-16"), Q3) == ""
    due_already = dataclasses.replace(ind, next_due="2017-11-15")
    assert stale_reason(due_already, parse_period("2015-16"), Q3) != ""
    in_words = dataclasses.replace(ind, next_due="each November (DfE release)")
    assert stale_reason(in_words, parse_period("2015-16"), Q3) != ""


def test_no_figure_at_all_is_not_stale():
    assert stale_reason(make_indicator(), None, Q3) == ""


def test_results_carry_the_reason_and_the_overview_marks_it(q3):
    assert q3.result("cp_second_plan").stale.startswith("latest figure 2016-17 is 9 months")
    assert q3.result("cla").stale == ""  # December 2017


def test_a_stale_current_figure_is_marked_in_the_scorecard(data):
    """A monthly figure two months behind its quarter is shown, marked out of date."""
    from analysis import tables
    from analysis.pack import build_pack

    values = data.values
    drop = (values.indicator_id == "contacts") & values.period.isin(["Nov 2017", "Dec 2017"])
    pack = build_pack(dataclasses.replace(data, values=values[~drop]), Q3)
    frame = tables.overview_table(pack).frame.set_index("Indicator")
    assert frame.loc["Contacts (monthly)", "Period"] == "Oct 2017 (out of date)"
    assert frame.loc["Children looked after", "Period"] == "Dec 2017"
    from analysis import report

    listed = report.out_of_date(pack)[1].items
    assert (
        "Contacts (monthly): latest figure Oct 2017 is 2 months behind 2017-18 Q3; a monthly "
        "figure should be at most 1 month behind." in listed
    )


def test_validate_warns_and_still_passes(capsys):
    from test_validation import REPO, run_cli

    code, out = run_cli(capsys, "validate", "--project", str(REPO))
    assert code == 0
    assert "no problems found; 8 indicator(s) out of date for 2017-18 Q3" in out
    assert (
        "data/indicators.yml: warning: [referrals, out of date] latest figure 2016-17 is 9 "
        "months behind 2017-18 Q3; a quarterly figure should be at most 3 months behind"
    ) in out
