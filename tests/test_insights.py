"""Year-end projections only where a year-end outturn means something, in the right units."""

import re
from pathlib import Path

import pytest
from forecast_series import ZIGZAG
from test_comparison import make_index, make_indicator

from analysis.insights import england_anchor, insight_for, projection_measure
from analysis.periods import Period
from analysis.report import open_pack

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("unit", "measure", "expected"),
    [
        ("count", "flow", "flow"),  # contacts in the month add up to the year's contacts
        ("rate_per_10k", "flow", "flow"),
        ("percent", "flow", None),  # this month's share has no year-end of its own
        ("percent", "cumulative_ytd", "cumulative_ytd"),  # reviewed so far builds up
        ("percent", "ratio_ytd", "snapshot"),  # share in time so far: a level
        ("rate_per_10k", "snapshot", "snapshot"),
    ],
)
def test_projection_measure_follows_unit_and_measure(unit, measure, expected):
    assert projection_measure(make_indicator(unit=unit, measure=measure)) == expected


@pytest.fixture(scope="module")
def q3():
    return open_pack(REPO, "2017-18 Q3")


def test_no_percentage_is_projected_above_100(q3):
    # in-month percentages (contacts to referral 45%) once summed to a 540% "year-end"
    for ind_id in q3.reported:
        ye = q3.insight(ind_id).year_end
        if ye is not None and q3.indicator(ind_id).unit == "percent":
            assert ye.estimate <= 100
    assert q3.insight("contacts_to_referral").year_end is None


def test_contacts_year_end_is_the_run_rate_of_the_months_so_far(q3):
    # April-December 2017: 8,145 contacts in nine months, so 10,860 over twelve
    ye = q3.insight("contacts").year_end
    assert ye.method == "run_rate"
    assert ye.estimate == pytest.approx(10860.0)
    assert ye.lower < 10860 < ye.upper


def test_repeat_cp_plans_year_to_date_share_is_projected_as_a_level():
    pack = open_pack(REPO, "2015-16 Q2")
    ye = pack.insight("cp_second_plan").year_end
    # 17.1% at September, year to date; it was projected to 34.2% when treated as a running total
    assert ye.estimate == pytest.approx(17.1, abs=3.0)
    assert 0 <= ye.lower < 17.1 < ye.upper <= 100


def test_backtest_table_names_methods_in_words():
    from analysis.report import backtest_table

    pack = open_pack(REPO, "2017-18 Q2")
    table = backtest_table(pack)
    # children looked after: the smoothed level's intervals failed on this rising series,
    # so the average change (drift) replaced it
    assert "<td>Average change</td>" in table
    assert "ses_anchored" not in table and "<td>drift</td>" not in table
    assert "<td>none</td>" in table  # too-short series say so, with the reason beside it
    early = backtest_table(open_pack(REPO, "2015-16 Q2"))
    assert "<td>Smoothed level</td>" in early


def test_spc_section_is_empty_when_too_short_the_reason_is_already_listed():
    from analysis.report import insight_sentences, spc_section

    pack = open_pack(REPO, "2015-16 Q2")
    assert spc_section(pack, "reviews_completed") == ""
    assert "Too few points for SPC" in insight_sentences(pack, "reviews_completed")
    assert 'role="img"' in spc_section(pack, "cla")  # a long enough series gets its chart


def test_year_end_sentence_uses_the_indicators_own_format():
    from analysis.report import year_end_sentence

    text = year_end_sentence(open_pack(REPO, "2017-18 Q3"), "contacts")
    # 8,145 contacts in April-December 2017, run rate over twelve months: whole contacts
    assert text.startswith("Projected 2017-18 year-end: 10,860 (80% interval 10,176 to 11,544;")
    assert "The target of 10,200 lies within the interval." in text
    reviews = year_end_sentence(open_pack(REPO, "2015-16 Q2"), "reviews_completed")
    assert "64.2% (80% interval 55.9% to 72.5%" in reviews
    assert "last year's 54.8%" in reviews


def test_sentences_name_methods_in_words_never_by_code():
    from analysis.report import insight_sentences

    pack = open_pack(REPO, "2017-18 Q3")
    text = insight_sentences(pack, "cla")
    assert "ses_anchored" not in text and "ses " not in text
    assert "(average change on 9 points" in text
    early = insight_sentences(open_pack(REPO, "2015-16 Q2"), "cla")
    assert "Forecast: smoothed level on 6 points;" in early
    assert not re.search(r"\bses\b", early)


def test_a_forecast_whose_own_back_test_missed_is_not_drawn():
    from analysis.report import _fan_frame, insight_sentences

    pack = open_pack(REPO, "2017-18 Q3")
    fan = pack.insight("cla").fan
    # the looked-after rate climbed 152 -> 192: the level methods held 1 of 17 past outcomes,
    # and even the best that replaced them (average change) held only 8 of 17
    assert (fan.method, round(fan.coverage, 3), fan.n_outcomes) == ("drift", 0.471, 17)
    assert _fan_frame(pack, "cla") is None
    text = insight_sentences(pack, "cla")
    assert "No forecast shown: past forecasts of this series" in text
    assert "only 47% of 17 past outcomes fell inside the 80% interval" in text
    assert "simulated paths" not in text  # no crossing from the same unreliable trend


def test_a_forecast_that_held_up_is_drawn():
    from analysis.report import _fan_frame

    pack = open_pack(REPO, "2015-16 Q2")
    fan = pack.insight("cla").fan
    assert fan.coverage == 1.0 and fan.n_outcomes == 6  # too few outcomes to judge, and fine
    assert _fan_frame(pack, "cla") is not None


# --- level forecasts pulled toward England -----------------------------------------------------


def _index_with_england(unit: str):
    ind = make_indicator(id="x", unit=unit, frequency="annual", measure="snapshot", better=None)
    council = [("x", "E06000009", f"{2015 + i}-{16 + i}", v) for i, v in enumerate(ZIGZAG)]
    england = [("x", "E92000001", f"{2015 + i}-{16 + i}", 40.0) for i in range(5)]
    return make_index(council + england), ind


@pytest.mark.parametrize(
    ("unit", "method", "first"),
    [("count", "ses", 12.784), ("rate_per_10k", "ses_anchored", 12.784 + 0.1 * (40 - 12.784))],
)
def test_insight_pulls_rates_toward_england_but_never_counts(unit, method, first):
    index, ind = _index_with_england(unit)
    ins = insight_for(index, ind, "E06000009", Period(2019, "year"), None)
    assert ins.fan.method == method
    assert ins.fan.frame["estimate"].iloc[0] == pytest.approx(first)


def test_insight_takes_england_code_from_the_caller():
    index, ind = _index_with_england("percent")
    ins = insight_for(index, ind, "E06000009", Period(2019, "year"), None, england="E12000002")
    assert ins.fan.method == "ses"  # no values for that code


@pytest.mark.parametrize(
    ("unit", "measure", "anchored"),
    [("rate_per_10k", "snapshot", True), ("percent", "ratio_ytd", True),
     ("percent", "flow", True), ("rate_per_10k", "flow", False),
     ("percent", "cumulative_ytd", False), ("count", "snapshot", False)],
)  # fmt: skip
def test_quarterly_anchor_only_where_england_year_is_on_the_same_scale(unit, measure, anchored):
    ind = make_indicator(id="x", unit=unit, measure=measure)
    index = make_index([("x", "E92000001", "2016-17", 40.0)])
    anchor = england_anchor(index, ind, Period(2017, "quarter", 2))
    assert (anchor is not None) == anchored
