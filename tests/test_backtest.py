"""Tests for analysis.forecasting.backtest: the back-test, method selection and the forecast."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from forecast_series import ANCHOR, LINE, ZIGZAG, annual, monthly, quarterly

from analysis.forecasting import (
    TOO_FEW_POINTS,
    backtest,
    forecast,
    select_method,
)
from analysis.periods import Period

# --- back-test ---------------------------------------------------------------------------------


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


# --- selection ---------------------------------------------------------------------------------


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


def test_selection_with_anchor_tries_ses_and_ses_anchored():
    s = quarterly([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 58.0])
    sel = select_method(s, horizon=2, anchor=45.0)
    assert sel.method == "ses_anchored"
    assert sel.scores["method"].tolist()[:3] == ["naive", "ses", "ses_anchored"]


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


# --- the forecast: its numbers and codes -------------------------------------------------------


def test_default_on_noisy_flat_series_is_ses_and_smooths_the_last_value():
    s = quarterly([50.0, 53.0, 48.0, 51.0, 47.0, 52.0, 49.0, 58.0])
    fc = forecast(s, horizon=2)
    assert fc.method == "ses"
    assert 50.0 < fc.frame["estimate"].iloc[0] < 58.0  # the last jump is only partly believed
    assert (fc.n_points, fc.n_origins, fc.reason, fc.break_period) == (8, 5, None, None)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_too_few_points_gives_no_forecast_and_reason(n):
    fc = forecast(quarterly([5.0] * n), horizon=2)
    assert fc.method is None and not fc.ok
    assert fc.frame["estimate"].isna().all()
    assert (fc.reason, fc.n_points) == (TOO_FEW_POINTS, n)


def test_five_points_is_enough_for_a_forecast():
    fc = forecast(quarterly([5.0, 6.0, 7.0, 8.0, 9.0]), horizon=2)
    assert fc.ok and fc.n_points == 5
    assert fc.frame["estimate"].tolist() == pytest.approx([10.0, 11.0])


def test_points_before_break_are_not_used_and_reason_names_break():
    s = monthly([900, 880, 860, 840, 800, 790, 780, 770], start=Period(2016, "month", 9))
    fc = forecast(s, horizon=2, breaks=["Apr 2017"])
    assert fc.n_points == 4
    assert (fc.reason, fc.break_period) == (TOO_FEW_POINTS, Period(2017, "month", 1))


def test_forecast_with_anchor_defaults_to_ses_anchored_and_names_the_anchor():
    fc = forecast(annual(ZIGZAG), horizon=3, anchor=ANCHOR, anchor_name="England")
    assert fc.method == "ses_anchored"
    assert fc.anchor == ANCHOR
    assert fc.frame["estimate"].to_numpy() == pytest.approx([13.784, 14.684, 15.494])
    assert fc.anchor_name == "England"


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
    assert math.isnan(fc.anchor)
