"""Tests for analysis.sentences: what a reader reads about forecasts, crossings, year-ends, SPC."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_series import ANCHOR, FALLING, ZIGZAG, annual, monthly, quarterly
from test_forecasting_papers import VALUES, at_frequency, catalogue_entry, paper_values
from test_spc import CP_MONTHS, CP_SECOND_PLAN, _shift_series

from analysis.forecasting import (
    MIN_POINTS,
    Forecast,
    forecast,
    forecast_crossing,
    project_year_end,
)
from analysis.periods import Period
from analysis.sentences import (
    METHOD_WORDS,
    benchmark_projection,
    crossing_sentence,
    forecast_note,
    method_words,
    spc_sentence,
    unreliable_reason,
    year_end_note,
    year_end_sentence,
)
from analysis.spc import variation, xmr

papers = pytest.mark.skipif(not VALUES.exists(), reason="bundled paper values not present")

# --- methods in words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("ses", "smoothed level"),
        ("ses_anchored", "smoothed level pulled toward England"),
        ("drift", "average change"),
        (None, "no method"),
        ("arima", "arima"),  # an unknown code is said as it is, never dropped
    ],
)
def test_method_words_name_each_method(method, words):
    assert method_words(method) == words


def test_every_method_has_words():
    from analysis.forecasting import METHODS

    assert set(METHOD_WORDS) == set(METHODS)


# --- forecast notes ----------------------------------------------------------------------------


def test_forecast_note_says_method_in_words_with_break_anchor_and_accuracy():
    s = quarterly([80.0, 71.0, 64.0, 66.0, 60.0, 63.0, 58.0, 61.0, 57.0, 60.0, 59.0], "2015-16 Q3")
    fc = forecast(s, horizon=4, breaks=["Apr 2016"], anchor=62.0, anchor_name="England")
    assert fc.method == "ses_anchored"
    assert forecast_note(fc) == (
        "smoothed level on 9 points since the series break at Apr 2016, pulled toward England "
        "(62.0) by 10% of the gap a year; back-test MASE 0.56, 80% interval held 100% of 18 "
        "outcomes from 6 origins"
    )


def test_default_on_noisy_flat_series_note_names_the_smoothed_level():
    s = quarterly([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 58.0])
    assert forecast_note(forecast(s, horizon=2)).startswith(
        "smoothed level on 8 points; back-test MASE"
    )


@pytest.mark.parametrize("n", [0, 1, 4])
def test_too_few_points_note_says_why(n):
    fc = forecast(quarterly([5.0] * n), horizon=2)
    noun = "point" if n == 1 else "points"
    assert forecast_note(fc) == f"only {n} comparable {noun}; at least {MIN_POINTS} are needed"


def test_too_few_points_note_names_the_break():
    s = monthly([900, 880, 860, 840, 800, 790, 780, 770], start=Period(2016, "month", 9))
    fc = forecast(s, horizon=2, breaks=["Apr 2017"])
    assert forecast_note(fc) == (
        "only 4 comparable points since the series break at Apr 2017; at least 5 are needed"
    )


def test_anchored_note_names_the_anchor_and_the_pull():
    fc = forecast(annual(ZIGZAG), horizon=3, anchor=ANCHOR, anchor_name="England")
    assert "pulled toward England (22.8) by 10% of the gap a year" in forecast_note(fc)


def test_forced_ses_anchored_without_anchor_says_plain_smoothed_level():
    fc = forecast(annual(ZIGZAG), horizon=1, method="ses_anchored")
    assert forecast_note(fc).startswith("smoothed level on 5 points; ")
    assert "pulled" not in forecast_note(fc)


def _fan(coverage: float, n_outcomes: int, method: str | None = "drift") -> Forecast:
    return Forecast(pd.DataFrame(), method, 9, 1.2, coverage, n_outcomes, 6)


@pytest.mark.parametrize(
    ("fan", "reason"),
    [
        (
            _fan(8 / 17, 17),
            "only 47% of 17 past outcomes fell inside the 80% interval, so a fan would claim "
            "a certainty the data does not support",
        ),
        (_fan(0.5, 8), ""),  # half held: not a failure
        (_fan(0.25, 7), ""),  # too few outcomes to judge
        (_fan(0.0, 10, method=None), ""),  # no forecast, nothing to draw
    ],
)
def test_unreliable_reason_only_when_the_back_test_failed(fan, reason):
    assert unreliable_reason(fan) == reason


# --- crossings ---------------------------------------------------------------------------------


def test_crossing_expected_sentence_and_held_benchmark():
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="the SN average")
    assert "reach the SN average in 2017-18 Q3, 80% interval" in crossing_sentence(c)
    assert crossing_sentence(c).startswith("If the trend continues (average change, 8 points)")
    assert benchmark_projection(c) == "held at its latest value, 600.0"


def test_crossing_already_reached_writes_whole_numbers_without_decimals():
    c = forecast_crossing(FALLING, 640.0, better="low", horizon=4)
    # whole numbers are written without decimals (a count of 447 contacts is not 447.0)
    assert (
        "The latest figure, 630 in 2016-17 Q4, is already at or better than the benchmark (640)."
        == crossing_sentence(c)
    )


def test_crossing_sentence_writes_numbers_with_the_given_format():
    c = forecast_crossing(FALLING, 640.0, better="low", horizon=4)
    assert crossing_sentence(c, "{:.1f} per 10,000".format) == (
        "The latest figure, 630.0 per 10,000 in 2016-17 Q4, is already at or better than the "
        "benchmark (640.0 per 10,000)."
    )


def test_crossing_moving_away_names_the_method_in_words():
    c = forecast_crossing(FALLING, 800.0, better="high", horizon=4)
    assert "moving away" in crossing_sentence(c)
    assert crossing_sentence(c).startswith("The forecast (average change) is flat or moving away")
    assert crossing_sentence(c).endswith("the benchmark is held at its latest value, 800.0.")


def test_crossing_not_within_horizon_says_share_of_paths():
    c = forecast_crossing(FALLING, 560.0, better="low", horizon=4)
    assert crossing_sentence(c).startswith(
        "None of the simulated paths of the forecast (average change) reach the benchmark by "
        "2017-18 Q4, so it is not expected within the horizon"
    )


def test_crossing_without_enough_data_says_why():
    s = quarterly([689.0, 675.4], start="2017-18 Q1")
    c = forecast_crossing(s, 536.2, better="low", horizon=8, breaks=["Apr 2017"])
    assert "only 2 comparable points since the series break at Apr 2017" in crossing_sentence(c)
    assert benchmark_projection(c) == ""


def test_benchmark_series_held_names_value_and_period():
    bench = pd.Series([400.0, 393.0], index=["2015-16", "2016-17"])
    c = forecast_crossing(FALLING, bench, better="low", horizon=4)
    assert benchmark_projection(c) == "held at its latest value, 393.0 in 2016-17"


def test_forecast_benchmark_says_how_it_was_forecast():
    bench = pd.Series(
        [640.0, 630.0, 620.0, 610.0, 600.0], index=[str(y) for y in range(2014, 2019)]
    )
    moving = forecast_crossing(FALLING, bench, better="low", horizon=12, benchmark_mode="forecast")
    assert benchmark_projection(moving).startswith(
        "forecast from its own series (average change on 5 points"
    )


@pytest.mark.parametrize(
    ("benchmark", "expected"),
    [
        (600.0, "held at its latest value, 600.0 (a single number cannot be forecast)"),
        (
            pd.Series([610.0, 600.0], index=["2015-16", "2016-17"]),
            "held at its latest value, 600.0 in 2016-17, because it cannot be forecast: "
            "only 2 comparable points; at least 5 are needed",
        ),
    ],
)
def test_benchmark_that_cannot_be_forecast_is_held_and_says_why(benchmark, expected):
    c = forecast_crossing(FALLING, benchmark, better="low", horizon=8, benchmark_mode="forecast")
    assert benchmark_projection(c) == expected


# --- year-end projections ----------------------------------------------------------------------


def test_year_end_one_period_says_there_is_no_interval():
    ye = project_year_end(quarterly([15.0], start="2016-17 Q1"), measure="cumulative_ytd")
    assert "no interval" in year_end_sentence(ye)


def test_year_end_notes_say_what_the_projection_rests_on():
    earlier = {
        2014: quarterly([20.0, 45.0, 70.0, 100.0], start="2014-15 Q1"),
        2015: quarterly([25.0, 50.0, 75.0, 100.0], start="2015-16 Q1"),
    }
    profile = project_year_end(
        quarterly([24.0, 48.0], start="2017-18 Q1"), measure="cumulative_ytd", earlier_years=earlier
    )
    run_rate = project_year_end(monthly([10.0, 12.0, 11.0, 13.0, 9.0, 11.0]), measure="flow")
    reported = project_year_end(quarterly([1.0, 2.0, 3.0, 4.0], "2016-17 Q1"), measure="snapshot")
    assert year_end_note(profile) == "in-year profile of 2 earlier years"
    assert year_end_note(run_rate) == "run rate from 6 of 12 periods"
    assert year_end_note(reported) == "the year-end value is already reported"


def test_year_end_level_note_is_the_forecast_note_in_words():
    ytd = monthly([100.0, 98.0, 96.0, 94.0, 92.0, 90.0])
    earlier = {2016: monthly([124.0 - 2 * i for i in range(12)], start=Period(2016, "month", 1))}
    ye = project_year_end(ytd, measure="snapshot", earlier_years=earlier)
    assert year_end_note(ye) == forecast_note(ye.forecast)
    assert year_end_note(ye).startswith("average change on 18 points; back-test MASE")


def test_year_end_sentence_writes_numbers_with_the_given_format():
    ytd = quarterly([15.1, 32.1], start="2015-16 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd", last_year_outturn=54.8, target=70.0)
    assert year_end_sentence(ye, "{:.1f}%".format).startswith(
        "Projected 2015-16 year-end: 64.2% (80% interval 55.9% to 72.5%; run rate from 2 of 4 "
        "periods). That is likely higher than last year's 54.8%."
    )


# --- the committee papers (test_forecasting_papers has their figures) ---------------------------


@papers
def test_001_no_forecast_of_the_crossing_says_why():
    breaks = [b["period"] for b in catalogue_entry("cin")["breaks"]]
    cin = at_frequency(paper_values("cin"), "quarter")
    c = forecast_crossing(
        cin, 536.15, better="low", horizon=12, breaks=breaks,
        benchmark_name="the statistical-neighbour average",
    )  # fmt: skip
    text = crossing_sentence(c)
    assert "only 2 comparable points since the series break at Apr 2017; at least 5" in text


@papers
def test_003_reviews_year_end_sentence_compares_with_last_year_and_target():
    entry = catalogue_entry("reviews_completed")
    values = paper_values("reviews_completed")
    ytd = at_frequency(values, "quarter")
    last_year = float(values[Period(2014, "year")])
    target = float(entry["targets"]["2015-16"]["value"])
    ye = project_year_end(ytd, measure=entry["measure"], last_year_outturn=last_year, target=target)
    assert "likely higher than last year's 54.8" in year_end_sentence(ye)
    assert "The target of 70.0 lies within the interval" in year_end_sentence(ye)


@papers
def test_004_section_47_year_end_says_two_points_are_too_few():
    rolling = paper_values("s47_rate", "count").astype(float)
    ye = project_year_end(rolling, measure="rolling_12m", frequency="monthly")
    assert "only 2 comparable points; at least 5 are needed" in year_end_sentence(ye)


# --- SPC ---------------------------------------------------------------------------------------


def test_spc_common_cause_names_the_range_and_trial_limits():
    summary = variation(xmr(CP_SECOND_PLAN, CP_MONTHS, improvement="decrease"))
    text = spc_sentence(summary, unit="percent")
    assert text.startswith(
        "Common-cause variation: the latest value is within the expected range 12.8% to 24.6%."
    )
    assert "trial limits" in text
    assert text.endswith("The limits are trial limits (6 points; they settle at 13 or more).")


@pytest.mark.parametrize("n", [0, 1, 4, 5])
def test_spc_short_series_says_too_few_points(n):
    summary = variation(xmr(CP_SECOND_PLAN[:n], CP_MONTHS[:n]))
    assert spc_sentence(summary) == f"Too few points for SPC ({n}; at least 6 needed)."


def test_spc_without_a_series_says_so():
    assert spc_sentence({"signal": "too_short", "rule": ""}) == "No series for SPC."


def test_spc_special_cause_names_the_rule():
    summary = variation(xmr(_shift_series(), improvement="decrease"))
    assert spc_sentence(summary).startswith(
        "Special-cause concern: the latest value (10.6) is part of a run of 7 or more points "
        "above the mean 10.2."
    )


def test_spc_outside_limits_names_the_side():
    frame = xmr(_shift_series() + [30], improvement="decrease", fix_after=12)
    assert "is above the upper process limit 13.6" in spc_sentence(variation(frame))


def test_spc_says_the_run_length_the_chart_was_computed_with():
    frame = xmr(_shift_series(), improvement="decrease", run_length=6)
    assert "is part of a run of 6 or more points above the mean" in spc_sentence(
        variation(frame, run_length=6)
    )
