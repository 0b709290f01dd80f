"""Tests for analysis.results: one computed result per indicator, read by every page and file."""

import pytest
from test_comparison import make_indicator

from analysis import report
from analysis.results import projection_measure
from analysis.sentences import indicator as narrative


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


def test_no_percentage_is_projected_above_100(q3):
    # in-month percentages (contacts to referral 45%) once summed to a 540% "year-end"
    for ind_id in q3.reported:
        ye = q3.result(ind_id).year_end
        if ye is not None and q3.indicator(ind_id).unit == "percent":
            assert ye.estimate <= 100
    assert q3.result("contacts_to_referral").year_end is None


def test_contacts_year_end_is_the_run_rate_of_the_months_so_far(q3):
    # April-December 2017: 8,145 contacts in nine months, so 10,860 over twelve
    ye = q3.result("contacts").year_end
    assert ye.method == "run_rate"
    assert ye.estimate == pytest.approx(10860.0)
    assert ye.lower < 10860 < ye.upper


def test_repeat_cp_plans_year_to_date_share_is_projected_as_a_level(pack_2015_q2):
    ye = pack_2015_q2.result("cp_second_plan").year_end
    # 17.1% at September, year to date; it was projected to 34.2% when treated as a running total
    assert ye.estimate == pytest.approx(17.1, abs=3.0)
    assert 0 <= ye.lower < 17.1 < ye.upper <= 100


def test_spc_chart_is_left_out_when_too_short_the_reason_is_already_listed(pack_2015_q2):
    assert report.spc_chart(pack_2015_q2, "reviews_completed") is None
    said = narrative.what_the_figures_say(pack_2015_q2.result("reviews_completed"))
    assert any("Too few points for SPC" in s for s in said)
    assert report.spc_chart(pack_2015_q2, "cla") is not None  # a long enough series gets one


def test_year_end_sentence_uses_the_indicators_own_format(q3, pack_2015_q2):
    text = narrative.year_end_words(q3.result("contacts"))
    # 8,145 contacts in April-December 2017, run rate over twelve months: whole contacts
    assert text.startswith("Projected 2017-18 year-end: 10,860 (80% interval 10,176 to 11,544;")
    assert "The target of 10,200 lies within the interval." in text
    reviews = narrative.year_end_words(pack_2015_q2.result("reviews_completed"))
    assert "64.2% (80% interval 55.9% to 72.5%" in reviews
    assert "last year's 54.8%" in reviews


def test_sentences_name_methods_in_words_never_by_code(q3, pack_2015_q2):
    text = " ".join(narrative.what_the_figures_say(q3.result("cla")))
    assert "ses_anchored" not in text and "ses " not in text
    assert "(average change on 9 points" in text
    early = " ".join(narrative.what_the_figures_say(pack_2015_q2.result("cla")))
    assert "Forecast: smoothed level on 6 points;" in early
    assert not __import__("re").search(r"\bses\b", early)


def test_a_forecast_whose_own_back_test_missed_is_not_drawn(q3):
    result = q3.result("cla")
    fan = result.forecast
    # the looked-after rate climbed 152 -> 192: the level methods held 1 of 17 past outcomes,
    # and even the best that replaced them (average change) held only 8 of 17
    assert (fan.method, round(fan.coverage, 3), fan.n_outcomes) == ("drift", 0.471, 17)
    assert not result.forecast_drawn
    assert report._fan_frame(result) is None
    text = " ".join(narrative.what_the_figures_say(result))
    assert "No forecast shown: past forecasts of this series" in text
    assert "only 47% of 17 past outcomes fell inside the 80% interval" in text
    assert "simulated paths" not in text  # no crossing from the same unreliable trend


def test_a_forecast_that_held_up_is_drawn(pack_2015_q2):
    result = pack_2015_q2.result("cla")
    fan = result.forecast
    assert fan.coverage == 1.0 and fan.n_outcomes == 6  # too few outcomes to judge, and fine
    assert result.forecast_drawn and report._fan_frame(result) is not None


def test_count_only_month_reads_spc_at_its_quarter(q3):
    # December 2017: 537 children, no rate. SPC and the forecast read the quarterly rates,
    # whose latest is 2017-18 Q2 (185.6): one reading, on every page and in scorecard.csv
    result = q3.result("cla")
    assert result.current.period.label == "Dec 2017" and result.current.missing
    assert (result.spc.signal, result.spc.period) == ("special_cause_concern", "2017-18 Q2")
    card = q3.scorecard[q3.scorecard.indicator_id == "cla"]
    assert set(card.signal) == {"special_cause_concern"}


def test_unreported_indicators_keep_a_result_with_no_judgement(q2):
    for ind_id in q2.not_reported:
        result = q2.result(ind_id)
        assert not result.reported and result.comparisons == () and not result.exception
    assert set(q2.reported) | set(q2.not_reported) == set(q2.data.catalogue)


def test_scorecard_rows_come_from_the_results(q3):
    card = q3.scorecard
    assert list(dict.fromkeys(card.indicator_id)) == q3.reported
    for ind_id in q3.reported:
        r = q3.result(ind_id)
        rows = card[card.indicator_id == ind_id]
        assert list(rows.comparison) == [c["comparison"] for c in r.comparisons]
        assert set(rows.exception) == {r.exception}
        assert set(rows.assurance) == {r.spc.assurance}


# --- level forecasts pulled toward England -----------------------------------------------------


def _index_with_england(unit: str):
    from forecast_series import ZIGZAG
    from test_comparison import make_index

    ind = make_indicator(id="x", unit=unit, frequency="annual", measure="snapshot", better=None)
    council = [("x", "E06000009", f"{2015 + i}-{16 + i}", v) for i, v in enumerate(ZIGZAG)]
    england = [("x", "E92000001", f"{2015 + i}-{16 + i}", 40.0) for i in range(5)]
    return make_index(council + england), ind


def _forecast(index, ind, england="E92000001"):
    from analysis.periods import Period
    from analysis.results import analysis_series, england_anchor, forecast_for

    end = Period(2019, "year")
    series = analysis_series(index, ind, "E06000009", end)
    return forecast_for(ind, series, england_anchor(index, ind, end, england))


@pytest.mark.parametrize(
    ("unit", "method", "first"),
    [("count", "ses", 12.784), ("rate_per_10k", "ses_anchored", 12.784 + 0.1 * (40 - 12.784))],
)
def test_rates_are_pulled_toward_england_but_never_counts(unit, method, first):
    fan = _forecast(*_index_with_england(unit))
    assert fan.method == method
    assert fan.frame["estimate"].iloc[0] == pytest.approx(first)


def test_the_england_code_comes_from_the_council():
    fan = _forecast(*_index_with_england("percent"), england="E12000002")
    assert fan.method == "ses"  # no values for that code


@pytest.mark.parametrize(
    ("unit", "measure", "anchored"),
    [("rate_per_10k", "snapshot", True), ("percent", "ratio_ytd", True),
     ("percent", "flow", True), ("rate_per_10k", "flow", False),
     ("percent", "cumulative_ytd", False), ("count", "snapshot", False)],
)  # fmt: skip
def test_quarterly_anchor_only_where_england_year_is_on_the_same_scale(unit, measure, anchored):
    from test_comparison import make_index

    from analysis.periods import Period
    from analysis.results import england_anchor

    ind = make_indicator(id="x", unit=unit, measure=measure)
    index = make_index([("x", "E92000001", "2016-17", 40.0)])
    anchor = england_anchor(index, ind, Period(2017, "quarter", 2))
    assert (anchor is not None) == anchored


# --- one result, the same everywhere -------------------------------------------------------------


@pytest.mark.slow
def test_each_indicators_spc_and_forecast_read_the_same_in_every_file_and_page(q3, rendered_q3):
    import pandas as pd
    from pages import main_text, section, table

    from analysis.sentences import forecast_note
    from analysis.tables import SIGNAL_WORDS, year_end_text

    _, folder = rendered_q3
    card = pd.read_csv(folder / "scorecard.csv", dtype=str, keep_default_na=False)
    forecasts = pd.read_csv(folder / "forecasts.csv", keep_default_na=False)
    index = (folder / "index.html").read_text(encoding="utf-8")
    overview = {row["Indicator"]: row for row in table(index, "Scorecard, 2017-18 Q3")}
    detail = "Scorecard, 2017-18 Q3: polarity, period, national rank and year-end projection"
    for row in table(index, detail):  # the screen shows the other columns in a second table
        overview[row["Indicator"]].update(row)
    exceptions = (folder / "exceptions.html").read_text(encoding="utf-8")
    checked = 0
    for ind_id in q3.reported:
        r = q3.result(ind_id)
        rows = card[card.indicator_id == ind_id]
        assert set(rows.signal) == {r.spc.signal} and set(rows.assurance) == {r.spc.assurance}
        shown = overview[r.indicator.short_title]
        assert shown["SPC signal"] == SIGNAL_WORDS[r.spc.signal][0], ind_id
        assert shown["Year-end projection"] == year_end_text(r), ind_id
        fan = forecasts[(forecasts.indicator_id == ind_id) & (forecasts.kind == "forecast")]
        if r.forecast is not None and r.forecast.ok:
            assert set(fan.method) == {r.forecast.method}
            estimates = pd.to_numeric(fan.estimate).round(6).tolist()
            assert estimates == r.forecast.frame.estimate.round(6).tolist()
        if not r.exception:
            continue
        text = main_text(section(exceptions, ind_id))
        reading = narrative.spc_sentence(r)
        draft = text.partition("Draft commentary (generated)")[2]
        if reading:  # the same SPC reading under "What the figures say" and in the draft
            assert text.count(reading.split(" The limits")[0]) == 2, ind_id
            assert reading.split(" The limits")[0] in draft
        if r.forecast is not None:
            assert forecast_note(r.forecast).split(";")[0] in text
        checked += 1
    assert checked == len(q3.exceptions) == 9
