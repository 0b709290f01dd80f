"""Tests for analysis.forecasting: methods, back-test, data rules, crossings, year-end, CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from test_comparison import make_index, make_indicator
from typer.testing import CliRunner

from analysis.cli import app
from analysis.errors import DataError
from analysis.forecasting import (
    FORECAST_COLUMNS,
    MIN_POINTS,
    PULL,
    ForecastError,
    anchor_on_grid,
    backtest,
    comparable_window,
    fit_method,
    forecast,
    forecast_crossing,
    forecasts_frame,
    project_year_end,
    read_series_table,
    select_method,
    simulate_paths,
)
from analysis.insights import england_anchor, insight_for
from analysis.periods import Period


def quarterly(values, start: str = "2015-16 Q1") -> pd.Series:
    first = Period(int(start[:4]), "quarter", int(start[-1]))
    return pd.Series(values, index=[first.shift(i) for i in range(len(values))], dtype=float)


APR_2017 = Period(2017, "month", 1)


def monthly(values, start: Period = APR_2017) -> pd.Series:
    return pd.Series(values, index=[start.shift(i) for i in range(len(values))], dtype=float)


LINE = quarterly([100.0 + 5 * i for i in range(10)])


# --- methods ---------------------------------------------------------------------------------


def test_linear_on_perfect_line_continues_it_with_near_zero_width():
    fc = forecast(LINE, horizon=3, method="linear")
    assert fc.frame["estimate"].tolist() == pytest.approx([150.0, 155.0, 160.0])
    assert (fc.frame["upper"] - fc.frame["lower"]).max() < 1e-6
    assert fc.frame["period"].tolist() == ["2017-18 Q3", "2017-18 Q4", "2018-19 Q1"]


def test_naive_estimate_equals_last_value():
    y = [3.0, 7.0, 4.0, 9.0, 6.0]
    out = fit_method(y, "naive", horizon=4)
    assert out["estimate"].tolist() == [6.0] * 4
    assert out["lower"].iloc[0] < 6.0 < out["upper"].iloc[0]


def test_drift_slope_is_first_to_last_change_per_step():
    out = fit_method([1.0, 3.0, 5.0, 4.0, 7.0], "drift", horizon=3)
    assert out["estimate"].tolist() == pytest.approx([8.5, 10.0, 11.5])


def test_ses_estimate_is_the_smoothed_level_with_alpha_0_6():
    # level 10 -> 16 -> 12.4 -> 16.96 -> 12.784 (each step moves 0.6 of the way to the value)
    out = fit_method([10.0, 20.0, 10.0, 20.0, 10.0], "ses", horizon=3)
    assert out["estimate"].tolist() == pytest.approx([12.784] * 3)


def test_ses_interval_is_local_level_interval_on_one_step_errors():
    y = [10.0, 20.0, 10.0, 20.0, 10.0]
    # one-step errors 10, -6, 7.6, -6.96 (nothing is estimated, so 4 df)
    sigma = math.sqrt((10**2 + 6**2 + 7.6**2 + 6.96**2) / 4)
    t = 1.5332  # Student t 90th percentile, 4 df
    half = t * sigma * np.sqrt(1 + 0.36 * np.arange(3))
    out = fit_method(y, "ses", horizon=3, level=80)
    assert (out["upper"] - out["estimate"]).to_numpy() == pytest.approx(half, rel=1e-4)


def test_combined_is_the_mean_of_naive_ses_and_damped_drift():
    y = [1.0, 3.0, 5.0, 4.0, 7.0]
    # damped drift: slope 1.5, damped by 0.5 a step: 7 + 1.5 x (0.5, 0.75, 0.875); its
    # residual sigma is sqrt(3) (steps 2, 2, -1, 3 less 1.5) and the interval adds the
    # slope's uncertainty: t(3 df) x sigma x sqrt(h + damped steps ** 2 / 4)
    steps = np.array([0.5, 0.75, 0.875])
    drift_est = 7.0 + 1.5 * steps
    drift_half = 1.6377 * math.sqrt(3) * np.sqrt(np.arange(1, 4) + steps**2 / 4)
    members = [fit_method(y, m, horizon=3) for m in ("naive", "ses")]
    out = fit_method(y, "combined", horizon=3)
    est = (members[0]["estimate"] + members[1]["estimate"] + drift_est) / 3
    half = sum((m["upper"] - m["estimate"]).to_numpy() for m in members) + drift_half
    assert out["estimate"].to_numpy() == pytest.approx(est.to_numpy())
    assert (out["upper"] - out["estimate"]).to_numpy() == pytest.approx(half / 3, rel=1e-4)


def test_default_on_noisy_flat_series_is_ses_and_smooths_the_last_value():
    s = quarterly([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 58.0])
    fc = forecast(s, horizon=2)
    assert fc.method == "ses"
    assert 50.0 < fc.frame["estimate"].iloc[0] < 58.0  # the last jump is only partly believed
    assert fc.note.startswith("ses on 8 points; back-test MASE")


def test_forecast_clips_at_zero_when_the_series_never_goes_below():
    s = quarterly([9.0, 7.0, 5.0, 3.0, 1.0])
    fc = forecast(s, horizon=4, method="drift")
    assert fc.frame["estimate"].tolist() == pytest.approx([0.0, 0.0, 0.0, 0.0])
    assert fc.frame["lower"].min() == 0.0
    assert fc.bounds == (0.0, None)


def test_forecast_does_not_clip_a_series_with_negative_values():
    s = quarterly([1.0, -1.0, -3.0, -5.0, -7.0])
    fc = forecast(s, horizon=2, method="drift")
    assert fc.frame["estimate"].tolist() == pytest.approx([-9.0, -11.0])
    assert fc.bounds == (None, None)


def test_forecast_clips_a_percentage_to_given_bounds():
    s = quarterly([92.0, 94.0, 96.0, 98.0, 99.0])
    fc = forecast(s, horizon=3, method="drift", bounds=(0, 100))
    assert fc.frame["upper"].max() == 100.0
    assert fc.frame["estimate"].tolist() == pytest.approx([100.0, 100.0, 100.0])


def test_forecast_refuses_bounds_in_the_wrong_order():
    with pytest.raises(ForecastError, match="lower limit is above the upper; swap them"):
        forecast(LINE, horizon=2, bounds=(100, 0))


def test_crossing_paths_are_clipped_at_zero():
    s = quarterly([40.0, 31.0, 20.0, 11.0, 1.0])  # falls about 10 a quarter
    c = forecast_crossing(s, -5.0, better="low", horizon=4)
    # unclipped, drift paths would pass -5 within two quarters; a count cannot go below 0
    assert (c.method, c.case, c.share) == ("drift", "not_within_horizon", 0.0)


@pytest.mark.parametrize("method", ["naive", "ses", "drift", "linear", "combined"])
def test_interval_widens_with_horizon(method):
    y = [10.0, 12.0, 11.0, 14.0, 13.0, 16.0, 15.0, 17.0]
    out = fit_method(y, method, horizon=6)
    width = (out["upper"] - out["lower"]).to_numpy()
    assert np.all(np.diff(width) > 0)


def test_linear_interval_matches_statsmodels_prediction_interval():
    y = np.array([10.0, 12.0, 11.0, 14.0, 13.0, 16.0, 15.0, 17.0])
    res = sm.OLS(y, sm.add_constant(np.arange(8.0))).fit()
    ref = res.get_prediction(sm.add_constant(np.arange(8.0, 11.0))).summary_frame(alpha=0.2)
    out = fit_method(y, "linear", horizon=3, level=80)
    assert out["lower"].to_numpy() == pytest.approx(ref["obs_ci_lower"].to_numpy())
    assert out["upper"].to_numpy() == pytest.approx(ref["obs_ci_upper"].to_numpy())


def test_damped_forecast_brackets_its_estimate_on_trending_series():
    rng = np.random.default_rng(3)
    y = 50 + 2 * np.arange(14) + rng.normal(0, 1, 14)
    out = fit_method(y, "damped", horizon=4)
    assert np.all(out["lower"] < out["estimate"]) and np.all(out["estimate"] < out["upper"])
    assert out["estimate"].iloc[0] > y[-1] - 3


def test_naive_interval_covers_about_80_percent_of_random_walk_outcomes():
    rng = np.random.default_rng(42)
    inside = []
    for _ in range(400):
        walk = np.cumsum(rng.normal(0, 1, 31))
        out = fit_method(walk[:30], "naive", horizon=1, level=80)
        inside.append(out["lower"].iloc[0] <= walk[30] <= out["upper"].iloc[0])
    assert 0.74 <= np.mean(inside) <= 0.86


def test_unknown_method_is_refused():
    with pytest.raises(ForecastError, match="unknown method 'ets'"):
        fit_method([1.0, 2.0, 3.0], "ets", horizon=1)


@pytest.mark.parametrize("method", ["naive", "ses", "drift", "linear", "combined", "damped"])
def test_simulated_paths_centre_on_the_point_forecast(method):
    rng = np.random.default_rng(5)
    y = 100 - 3 * np.arange(12) + rng.normal(0, 2, 12)
    paths = simulate_paths(y, method, horizon=4, n_paths=4000, seed=1)
    est = fit_method(y, method, horizon=4)["estimate"].to_numpy()
    assert paths.shape == (4000, 4)
    assert np.median(paths, axis=0) == pytest.approx(est, abs=1.5)


# --- back-test and selection -------------------------------------------------------------------


def test_backtest_naive_on_unit_line_scores_mase_one_over_seven_origins():
    bt = backtest(quarterly(np.arange(10.0)), "naive", horizon=1)
    assert bt.mase == pytest.approx(1.0)
    assert (bt.n_origins, bt.n_outcomes) == (7, 7)


def test_backtest_drift_on_random_walk_covers_near_level():
    rng = np.random.default_rng(7)
    cover = [
        backtest(monthly(np.cumsum(rng.normal(0, 1, 30))), "naive", horizon=1).coverage
        for _ in range(100)
    ]
    assert 0.7 <= np.mean(cover) <= 0.9


@pytest.mark.parametrize(
    ("series", "candidates", "expected"),
    [
        (LINE, ("naive", "drift", "linear", "damped"), "drift"),  # drift ties linear: simpler
        (LINE, ("naive", "linear"), "linear"),
        (quarterly([50.0] * 8), ("naive", "drift", "linear"), "naive"),
    ],
)
def test_select_method_picks_lowest_backtest_mase_simpler_on_tie(series, candidates, expected):
    assert select_method(series, horizon=2, candidates=candidates).method == expected


def test_select_method_skips_damped_below_its_minimum_points():
    scores = select_method(quarterly([1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 5.0, 8.0]), horizon=2).scores
    assert scores["method"].tolist() == ["naive", "ses", "drift", "linear", "combined"]


def test_select_method_scores_are_held_out_mase():
    # A zig-zag: naive misses every held-out point by the full swing (MASE 1);
    # the line forecasts near the middle and misses by well under the swing.
    s = quarterly([10.0, 20.0, 10.0, 20.0, 10.0, 20.0, 10.0, 20.0, 10.0, 20.0])
    sel = select_method(s, horizon=1, candidates=("naive", "linear"))
    scores = sel.scores.set_index("method")
    assert scores.loc["naive", "mase"] == pytest.approx(1.0)
    assert 0.5 < scores.loc["linear", "mase"] < 0.8  # short windows tilt the line
    assert scores.loc["linear", "n_origins"] == 7
    # better, but not by the 80% margin: the simpler naive (first candidate) is kept
    assert sel.method == "naive"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 50.0], "ses"),  # noisy and flat
        ([50.0, 56.0, 49.0, 58.0, 52.0, 60.0, 55.0, 62.0], "ses"),  # line 0.49 vs ses 0.61
        ([10.0, 14.0, 17.0, 22.0, 25.0, 30.0, 33.0, 38.0], "drift"),  # clear trend: 0.22 vs 2.19
        ([5.0, 6.0, 7.0, 8.0, 9.0], "drift"),  # a perfect line beats ses by far more than 80%
    ],
)
def test_select_method_keeps_ses_unless_another_is_far_better(values, expected):
    assert select_method(quarterly(values), horizon=2).method == expected


# --- the minimum-data rule and series breaks ------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 4])
def test_too_few_points_gives_no_forecast_and_reason(n):
    fc = forecast(quarterly([5.0] * n), horizon=2)
    assert fc.method is None and not fc.ok
    assert fc.frame["estimate"].isna().all()
    noun = "point" if n == 1 else "points"
    assert fc.note == f"only {n} comparable {noun}; at least {MIN_POINTS} are needed"


def test_five_points_is_enough_for_a_forecast():
    fc = forecast(quarterly([5.0, 6.0, 7.0, 8.0, 9.0]), horizon=2)
    assert fc.ok and fc.n_points == 5
    assert fc.frame["estimate"].tolist() == pytest.approx([10.0, 11.0])


def test_points_before_break_are_not_used_and_reason_names_break():
    s = monthly([900, 880, 860, 840, 800, 790, 780, 770], start=Period(2016, "month", 9))
    fc = forecast(s, horizon=2, breaks=["Apr 2017"])
    assert fc.n_points == 4
    assert fc.note == (
        "only 4 comparable points since the series break at Apr 2017; at least 5 are needed"
    )


@pytest.mark.parametrize(
    ("breaks", "first", "n"),
    [
        ((), "2015-16 Q1", 12),
        (("Apr 2017",), "2017-18 Q1", 4),
        (("2016-17 Q3", "2015-16 Q2"), "2016-17 Q3", 6),  # the latest break wins
        (("2019-20 Q1",), "2015-16 Q1", 12),  # a break after the data is ignored
    ],
)
def test_comparable_window_starts_at_latest_break(breaks, first, n):
    window, _ = comparable_window(quarterly(np.arange(12.0)), breaks)
    assert window.index[0].label == first
    assert len(window) == n


def test_gaps_are_skipped_not_read_as_zero():
    s = quarterly([10.0, np.nan, 12.0, 13.0, 14.0, 15.0])
    fc = forecast(s, horizon=1, method="drift")
    assert fc.n_points == 5
    assert fc.frame["estimate"].iloc[0] == pytest.approx(16.0)


def test_mixed_frequencies_are_refused():
    s = pd.Series([1.0, 2.0], index=["2017-18", "2017-18 Q1"])
    with pytest.raises(ForecastError, match="mixes frequencies"):
        forecast(s, horizon=1)


@pytest.mark.parametrize(
    ("horizon", "level", "match"), [(0, 80, "horizon 0"), (2, 40, "level 40"), (2, 99.5, "99.5")]
)
def test_bad_horizon_or_level_is_refused(horizon, level, match):
    with pytest.raises(ForecastError, match=match):
        forecast(LINE, horizon=horizon, level=level)


# --- crossings ---------------------------------------------------------------------------------

FALLING = quarterly([700.0, 689.0, 681.0, 668.0, 662.0, 650.0, 641.0, 630.0])


def test_crossing_expected_gives_median_and_interval_periods():
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="the SN average")
    assert c.case == "expected"
    # the line (back-test MASE 0.17) does not beat drift (0.26) by the 80% margin:
    # 630 falling 10 a quarter (700 to 630 over 7 quarters) is 600 after 3 quarters
    assert c.method == "drift"
    assert c.period == "2017-18 Q3"
    assert c.lower <= c.period <= c.upper
    assert "reach the SN average in 2017-18 Q3, 80% interval" in c.sentence
    assert c.benchmark_note == "held at its latest value, 600.0"


def test_crossing_already_reached_when_latest_is_better():
    c = forecast_crossing(FALLING, 640.0, better="low", horizon=4)
    assert c.case == "already_reached"
    # whole numbers are written without decimals (a count of 447 contacts is not 447.0)
    assert (
        "The latest figure, 630 in 2016-17 Q4, is already at or better than the benchmark (640)."
        == c.sentence
    )


def test_crossing_moving_away_when_trend_is_wrong_way():
    c = forecast_crossing(FALLING, 800.0, better="high", horizon=4)
    assert c.case == "moving_away"
    assert "moving away" in c.sentence


def test_crossing_not_within_horizon_reports_share_of_paths():
    c = forecast_crossing(FALLING, 560.0, better="low", horizon=4)
    assert c.case == "not_within_horizon"
    assert c.share < 0.5
    assert c.share == 0.0
    assert c.sentence.startswith(
        "None of the simulated paths of the forecast (average change) reach the benchmark by "
        "2017-18 Q4, so it is not expected within the horizon"
    )


def test_crossing_without_enough_data_says_why():
    s = quarterly([689.0, 675.4], start="2017-18 Q1")
    c = forecast_crossing(s, 536.2, better="low", horizon=8, breaks=["Apr 2017"])
    assert c.case == "no_forecast" and c.period is None
    assert "only 2 comparable points since the series break at Apr 2017" in c.sentence


def test_crossing_benchmark_series_held_note_names_value_and_period():
    bench = pd.Series([400.0, 393.0], index=["2015-16", "2016-17"])
    c = forecast_crossing(FALLING, bench, better="low", horizon=4)
    assert c.benchmark_note == "held at its latest value, 393.0 in 2016-17"
    assert c.benchmark_value == 393.0


def test_crossing_with_forecast_benchmark_meets_a_falling_benchmark_later():
    bench = pd.Series(
        [640.0, 630.0, 620.0, 610.0, 600.0], index=[str(y) for y in range(2014, 2019)]
    )
    held = forecast_crossing(FALLING, bench, better="low", horizon=12)
    moving = forecast_crossing(FALLING, bench, better="low", horizon=12, benchmark_mode="forecast")
    assert moving.benchmark_note.startswith("forecast from its own series (drift on 5 points")
    assert held.case == "expected" and moving.case == "expected"
    assert moving.period > held.period


def test_crossing_is_reproducible_with_a_seed():
    a = forecast_crossing(FALLING, 600.0, better="low", horizon=8, seed=11)
    b = forecast_crossing(FALLING, 600.0, better="low", horizon=8, seed=11)
    assert (a.period, a.lower, a.upper, a.share) == (b.period, b.lower, b.upper, b.share)


# --- year-end projection -----------------------------------------------------------------------


def test_year_end_cumulative_run_rate_scales_by_elapsed_share():
    ytd = quarterly([20.0, 41.0, 60.0], start="2016-17 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd", last_year_outturn=70.0, target=90.0)
    assert ye.method == "run_rate" and ye.period == "2016-17"
    assert ye.estimate == pytest.approx(80.0)
    assert ye.lower < 80.0 < ye.upper
    assert ye.vs_last_year == "higher"


def test_year_end_flow_adds_mean_per_period_for_remaining_periods():
    flow = monthly([10.0, 12.0, 11.0, 13.0])
    ye = project_year_end(flow, measure="flow", frequency="monthly")
    assert ye.estimate == pytest.approx(46.0 + 11.5 * 8)
    half = ye.upper - ye.estimate
    assert half == pytest.approx(ye.estimate - ye.lower)
    assert half > 0


def test_year_end_profile_uses_earlier_years_shares():
    earlier = {
        2014: quarterly([20.0, 45.0, 70.0, 100.0], start="2014-15 Q1"),
        2015: quarterly([25.0, 50.0, 75.0, 100.0], start="2015-16 Q1"),
        2016: quarterly([22.0, 40.0, 68.0, 80.0], start="2016-17 Q1"),
    }
    ytd = quarterly([24.0, 48.0], start="2017-18 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd", earlier_years=earlier)
    assert ye.method == "profile"
    assert ye.estimate == pytest.approx(48.0 / np.mean([0.45, 0.50, 0.50]))
    assert ye.lower < ye.estimate < ye.upper


def test_year_end_snapshot_forecasts_level_to_march():
    ytd = monthly([100.0, 98.0, 96.0, 94.0, 92.0, 90.0])  # Apr..Sep 2017
    earlier = {2016: monthly([124.0 - 2 * i for i in range(12)], start=Period(2016, "month", 1))}
    ye = project_year_end(ytd, measure="snapshot", earlier_years=earlier)
    assert ye.method == "drift"
    assert ye.estimate == pytest.approx(78.0)  # six more months at -2 a month


def test_year_end_complete_year_is_the_actual_value():
    ytd = quarterly([20.0, 41.0, 60.0, 83.0], start="2016-17 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd")
    assert (ye.method, ye.estimate, ye.lower, ye.upper) == ("actual", 83.0, 83.0, 83.0)


def test_year_end_one_period_has_estimate_but_no_interval():
    ye = project_year_end(quarterly([15.0], start="2016-17 Q1"), measure="cumulative_ytd")
    assert ye.estimate == pytest.approx(60.0)
    assert math.isnan(ye.lower)
    assert "no interval" in ye.sentence


def test_year_end_across_two_years_is_refused():
    with pytest.raises(ForecastError, match="more than one financial year"):
        project_year_end(quarterly([1.0, 2.0], start="2016-17 Q4"), measure="flow")


# --- pulled toward England ---------------------------------------------------------------------


def annual(values, first_fy: int = 2013) -> pd.Series:
    return pd.Series(values, index=[Period(first_fy + i, "year") for i in range(len(values))])


# ses level of 10, 20, 10, 20, 10 is 12.784; an anchor 10 above it
ZIGZAG, ANCHOR = [10.0, 20.0, 10.0, 20.0, 10.0], 22.784


def test_pull_is_one_tenth_chosen_on_the_validation_splits():
    assert PULL == 0.1


def test_anchored_estimate_closes_the_gap_by_one_minus_0_9_to_the_h():
    # gap 10: closed by 0.1, 0.19, 0.271 at h = 1, 2, 3
    out = fit_method(ZIGZAG, "ses_anchored", horizon=3, anchor=ANCHOR)
    assert out["estimate"].to_numpy() == pytest.approx([13.784, 14.684, 15.494])


def test_anchored_interval_keeps_the_ses_width_around_the_new_centre():
    ses = fit_method(ZIGZAG, "ses", horizon=3)
    out = fit_method(ZIGZAG, "ses_anchored", horizon=3, anchor=ANCHOR)
    assert (out["upper"] - out["estimate"]).to_numpy() == pytest.approx(
        (ses["upper"] - ses["estimate"]).to_numpy()
    )
    assert out["lower"].iloc[2] == pytest.approx(ses["lower"].iloc[2] + 2.71)


def test_anchored_pull_is_a_share_of_the_gap_a_year_for_quarters():
    # four quarters close 10% of the gap, as one year does; one quarter 1 - 0.9 ** 0.25
    out = fit_method(ZIGZAG, "ses_anchored", horizon=4, anchor=ANCHOR, per_year=4)
    gap_closed = out["estimate"].to_numpy() - 12.784
    assert gap_closed[3] == pytest.approx(1.0)
    assert gap_closed[0] == pytest.approx(10 * (1 - 0.9**0.25))


def test_forecast_with_anchor_defaults_to_ses_anchored_and_names_the_anchor():
    fc = forecast(annual(ZIGZAG), horizon=3, anchor=ANCHOR, anchor_name="England")
    assert fc.method == "ses_anchored"
    assert fc.anchor == ANCHOR
    assert fc.frame["estimate"].to_numpy() == pytest.approx([13.784, 14.684, 15.494])
    assert "pulled toward England (22.8) by 10% of the gap a year" in fc.note


def test_selection_with_anchor_tries_ses_and_ses_anchored():
    s = quarterly([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 58.0])
    sel = select_method(s, horizon=2, anchor=45.0)
    assert sel.method == "ses_anchored"
    assert sel.scores["method"].tolist()[:3] == ["naive", "ses", "ses_anchored"]


def test_anchor_series_maps_each_year_end_onto_the_quarters_that_follow():
    s = quarterly([1.0] * 8, start="2015-16 Q1")  # 2015-16 Q1 .. 2016-17 Q4
    england = pd.Series({"2014-15": 40.0, "2015-16": 50.0, "2016-17": 60.0})
    grid = anchor_on_grid(england, s)
    # 2015-16's value (at 31 March 2016) is known from its Q4, never before
    assert grid.tolist() == [40.0, 40.0, 40.0, 50.0, 50.0, 50.0, 50.0, 60.0]


def test_anchor_after_the_last_origin_does_not_change_the_backtest():
    s = annual([100.0, 104.0, 99.0, 103.0, 101.0, 106.0, 102.0, 105.0])
    calm = annual([80.0] * 8)
    wild = annual([80.0] * 7 + [1000.0])  # only the final forecast origin sees 1000
    bt_calm = backtest(s, "ses_anchored", horizon=3, anchor=calm)
    bt_wild = backtest(s, "ses_anchored", horizon=3, anchor=wild)
    assert (bt_wild.mase, bt_wild.coverage) == (bt_calm.mase, bt_calm.coverage)
    assert bt_calm.mase != backtest(s, "ses", horizon=3).mase  # the anchor was used
    fc_calm, fc_wild = (forecast(s, horizon=1, anchor=a) for a in (calm, wild))
    assert fc_wild.frame.estimate.iloc[0] > fc_calm.frame.estimate.iloc[0] + 80


def test_origins_without_an_anchor_value_fall_back_to_ses():
    s = annual([100.0, 104.0, 99.0, 103.0, 101.0, 106.0, 102.0, 105.0])
    late = annual([80.0], first_fy=2020)  # only at the last period
    bt = backtest(s, "ses_anchored", horizon=3, anchor=late)
    assert bt.mase == pytest.approx(backtest(s, "ses", horizon=3).mase)


@pytest.mark.parametrize(
    "anchor", [None, math.nan, annual([80.0], first_fy=2030)], ids=["none", "nan", "later"]
)
def test_no_anchor_value_at_the_last_period_gives_plain_ses(anchor):
    fc = forecast(annual(ZIGZAG), horizon=2, anchor=anchor)
    assert fc.method == "ses"
    assert fc.frame["estimate"].tolist() == pytest.approx([12.784, 12.784])
    assert math.isnan(fc.anchor)


def test_forced_ses_anchored_without_anchor_is_ses_and_says_so():
    fc = forecast(annual(ZIGZAG), horizon=1, method="ses_anchored")
    assert fc.method == "ses"
    assert fc.note.startswith("ses on 5 points; ")


def test_anchored_forecast_is_still_clipped_at_zero():
    s = annual([2.0, 1.0, 2.0, 1.0, 1.0])
    fc = forecast(s, horizon=3, anchor=-100.0, method="ses_anchored")
    # level 1.1216; unclipped the pull would take the estimate to 1.12 - 10.11 = -8.99 at h=1
    assert fc.method == "ses_anchored"
    assert fc.frame["estimate"].tolist() == [0.0, 0.0, 0.0]
    assert (fc.frame["lower"] >= 0).all()


def test_anchored_paths_centre_on_the_anchored_forecast():
    y = np.array([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 50.0])
    paths = simulate_paths(y, "ses_anchored", horizon=3, n_paths=4000, seed=1, anchor=150.0)
    est = fit_method(y, "ses_anchored", horizon=3, anchor=150.0)["estimate"].to_numpy()
    assert np.median(paths, axis=0) == pytest.approx(est, abs=0.5)
    assert est[2] > 75  # 27.1% of a gap of about 100


def test_year_end_level_projection_uses_the_anchor():
    ytd = quarterly([10.0, 10.0], start="2017-18 Q1")
    earlier = {2016: quarterly([10.0, 20.0, 10.0, 20.0], start="2016-17 Q1")}
    ye = project_year_end(ytd, measure="snapshot", earlier_years=earlier, anchor=30.0)
    level = fit_method([10.0, 20.0, 10.0, 20.0, 10.0, 10.0], "ses", horizon=1)["estimate"][0]
    assert ye.method == "ses_anchored"
    assert ye.estimate == pytest.approx(level + (1 - 0.9**0.5) * (30.0 - level))


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


# --- the forecasts table ------------------------------------------------------------------------


def test_forecasts_frame_has_contract_columns_and_kinds():
    fc = forecast(FALLING, horizon=2)
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="SN average")
    ye = project_year_end(quarterly([15.1, 32.1]), measure="cumulative_ytd", target=70.0)
    out = forecasts_frame([("cin", fc), ("cin", c), ("reviews", ye)])
    assert list(out.columns) == FORECAST_COLUMNS
    assert out["kind"].tolist() == ["forecast", "forecast", "crossing", "year_end"]
    crossing = out[out.kind == "crossing"].iloc[0]
    assert (crossing.estimate, crossing.benchmark) == ("2017-18 Q3", "SN average")
    assert out[out.kind == "year_end"].iloc[0].benchmark == "target 70"


# --- CLI ---------------------------------------------------------------------------------------

runner = CliRunner()


def invoke(*args: str):
    # while ``forecast`` is the only command typer runs it without its name
    name = ["forecast"] if len(app.registered_commands) > 1 else []
    return runner.invoke(app, [*name, *args])


def write(tmp_path, text: str):
    path = tmp_path / "in.csv"
    path.write_text(text)
    return path


GOOD = """area_code,indicator,period,value
E06000009,cin,2022/23 Q1,700
E06000009,cin,2022/23 Q2,690
E06000009,cin,2022/23 Q3,c
E06000009,cin,2022/23 Q4,670
E06000009,cin,2023/24 Q1,660
E06000009,cin,2023/24 Q2,650
E06000001,cin,April 2021,5
E06000001,cin,May 2021,
"""


def test_cli_writes_rows_per_series_and_period_in_input_style(tmp_path):
    out = tmp_path / "out.csv"
    result = invoke(str(write(tmp_path, GOOD)), "--horizon", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "area_code", "indicator", "period", "estimate", "lower", "upper", "method", "note",
    ]  # fmt: skip
    bpl = table[table.area_code == "E06000009"]
    assert bpl["period"].tolist() == ["2023/24 Q3", "2023/24 Q4"]
    assert bpl["estimate"].tolist() == pytest.approx([640.0, 630.0])
    short = table[table.area_code == "E06000001"].iloc[0]
    assert short["period"] == "May 2021" and math.isnan(short["estimate"])
    assert short["note"] == "only 1 comparable point; at least 5 are needed"
    assert "2 series, 1 forecast, 1 with too little data" in result.output


@pytest.mark.parametrize(
    ("text", "args", "match"),
    [
        (None, ["--horizon", "2"], "file not found"),
        ("area_code,period,value\nE1,2022,1\n", ["--horizon", "2"], "missing column.*indicator"),
        (
            "area_code,indicator,period,value\nE1,a,2022,1\nE1,a,Smarch 2022,2\n",
            [],
            "row 3.*period",
        ),
        ("area_code,indicator,period,value\nE1,a,2022,1\nE1,a,2023,lots\n", [], "row 3.*'lots'"),
        (GOOD, ["--horizon", "0"], "horizon 0"),
        (GOOD, ["--level", "40"], "level 40.0 is outside 50-99"),
    ],
)
def test_cli_bad_input_gives_one_message_and_no_output(tmp_path, text, args, match):
    src = write(tmp_path, text) if text else tmp_path / "missing.csv"
    out = tmp_path / "out.csv"
    result = invoke(str(src), "--out", str(out), *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _search(match, result.output), result.output
    assert not out.exists()


def _search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, " ".join(text.split())) is not None


def test_read_series_table_reads_markers_and_status_as_gaps(tmp_path):
    text = (
        "area_code,indicator_id,period,value,status\n"
        "E1,a,2021-04,1,\nE1,a,2021-05,-,\nE1,a,2021-06,3,c\n"
    )
    table = read_series_table(write(tmp_path, text))
    assert table["value"].isna().tolist() == [False, True, True]
    assert "indicator_id" in table.columns


def test_cli_keeps_indicator_id_column_name_and_ignores_per_value_columns(tmp_path):
    rows = "".join(f"a,E1,{y},{y - 2016},paper,2024-01-01\n" for y in range(2016, 2022))
    src = write(tmp_path, "indicator_id,area_code,period,value,source,vintage\n" + rows)
    out = tmp_path / "out.csv"
    result = invoke(str(src), "--horizon", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["indicator_id", "area_code", "period"]
    assert table["period"].tolist() == [2022]
    assert table["estimate"].tolist() == pytest.approx([6.0])


def test_read_series_table_names_file_for_missing_path(tmp_path):
    with pytest.raises(DataError, match="nope.csv: file not found"):
        read_series_table(tmp_path / "nope.csv")


def test_a_default_whose_intervals_failed_gives_way_to_one_that_held():
    # children in need per 10,000, falling 689 -> 600 with one suppressed year: the flat
    # smoothed level held 2 of 8 past outcomes; the average change held all 8
    s = pd.Series(
        [670.5, 689.0, 675.4, float("nan"), 640.1, 620.0, 600.2],
        index=[str(y) for y in range(2016, 2023)],
    )
    fc = forecast(s, horizon=3, level=80)
    assert fc.method == "drift"
    assert (fc.coverage, fc.n_outcomes) == (1.0, 8)
    assert fc.frame.estimate.round(1).tolist() == [588.5, 576.8, 565.1]
    scores = select_method(s.dropna(), 3).scores.set_index("method")
    assert (scores.at["ses", "coverage"], scores.at["ses", "n_outcomes"]) == (0.25, 8)
