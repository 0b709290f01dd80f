"""Comparisons that are shown but not judged, and why an indicator is an exception."""

import pytest
from test_comparison import make_indicator

from analysis.catalogue import Break
from analysis.comparison import across_break, exception_reasons, is_exception
from analysis.periods import parse_period


def row(pack, indicator_id, comparison):
    card = pack.scorecard
    return card[(card.indicator_id == indicator_id) & (card.comparison == comparison)].iloc[0]


@pytest.mark.parametrize(
    ("current", "baseline", "crosses"),
    [
        ("2017-18 Q2", "2016-17", True),  # the year before April 2017 vs after it
        ("2017-18 Q2", "2016-17 Q2", True),
        ("2017-18 Q2", "2017-18 Q1", False),  # both after the break
        ("2016-17 Q4", "2016-17 Q3", False),  # both before it
        ("2017-18 Q1", "2016-17 Q4", True),
    ],
)
def test_across_break_only_when_the_break_lies_between(current, baseline, crosses):
    ind = make_indicator(breaks=(Break(parse_period("Apr 2017"), "changes of April 2017"),))
    note = across_break(ind, parse_period(current), baseline)
    assert (note == "not comparable: series break at Apr 2017") is crosses


def test_cin_vs_2016_17_year_end_is_shown_but_not_judged(q2):
    r = row(q2, "cin", "previous_year_end")
    # the council's own 2016-17 rate (738.4, as 001 printed it) is shown; 675.4 after the
    # April 2017 changes is not judged against it (the paper called it a fall); DfE's 670.5
    # is noted on the page
    assert r["baseline_value"] == 738.4
    assert (r["direction"], r["judgement"]) == ("", "n/a")
    assert r["note"] == "not comparable: series break at Apr 2017"
    assert row(q2, "cin", "previous_period")["judgement"] == "better"  # Q1 -> Q2, same basis


def test_a_count_is_not_judged_against_england(q2, q3):
    r = row(q3, "cp_plans", "england")
    assert (r["judgement"], r["direction"]) == ("n/a", "")
    assert r["note"] == "not comparable: a count depends on the size of the area"
    assert row(q3, "cp_plans", "england")["baseline_value"] == 51080.0  # still shown
    assert row(q2, "cla", "england")["judgement"] == "worse"  # a rate still is judged


def rows(**judged):
    comps = ["previous_period", "previous_year_end", "target", "england"]
    return [{"comparison": c, "judgement": judged.get(c, "better")} for c in comps]


def test_exception_reasons_follow_the_rule_order_and_commentary():
    rule = ["off_target", "worse_than_year_end", "has_commentary"]
    met = exception_reasons(rows(previous_year_end="worse"), rule, commented=True)
    assert met == ["worse_than_year_end", "has_commentary"]
    assert exception_reasons(rows(), rule) == []
    assert is_exception(rows(), ["has_commentary"], commented=True)
    assert not is_exception(rows(), ["off_target"], commented=True)


def test_exception_page_and_csv_say_why(q2):
    assert row(q2, "cin", "target")["exception_reason"] == (
        "chosen for report by the service (commentary written this quarter)"
    )
    assert row(q2, "contacts_12m", "target")["exception_reason"] == (
        "worse than at the last year-end"
    )


def test_count_only_month_is_compared_by_number_with_the_councils_own_figures(q3):
    # paper_2018-02: children looked after "risen slightly to 537 in December"; no rate printed
    r = row(q3, "cla", "previous_period")
    assert (r["baseline_value"], r["change"], r["direction"], r["judgement"]) == (
        531.0, 6.0, "up", "worse")  # fmt: skip
    assert r["note"] == "numbers compared (Dec 2017 has no published rate)"
    assert (r["basis"], r["comparable"]) == ("number", True)
    assert row(q3, "cla", "target")["basis"] == "value"  # a count target is not this case
    year_end = row(q3, "cla", "previous_year_end")
    assert (year_end["baseline_value"], year_end["change"]) == (525.0, 12.0)


def test_count_only_month_is_not_set_against_other_areas_rates(q3):
    # England's 62.0 per 10,000 is a rate; 537 children is not comparable with it
    r = row(q3, "cla", "england")
    assert (r["baseline_value"], r["judgement"], r["direction"]) == (62.0, "n/a", "")


def test_count_only_month_keeps_the_series_break_note(q3):
    r = row(q3, "cin", "previous_year_end")
    assert r["judgement"] == "n/a"
    assert r["note"].startswith("not comparable: series break at Apr 2017")
    assert not r["comparable"]
    assert row(q3, "cin", "previous_period")["judgement"] == "better"  # 1,932 -> 1,881
