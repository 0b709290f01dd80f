"""Tests for analysis.forecasting.crossing: when a forecast reaches a benchmark."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from forecast_series import FALLING, quarterly

from analysis.forecasting import ForecastError, forecast_crossing, project_benchmark
from analysis.periods import Period


def test_crossing_paths_are_clipped_at_zero():
    s = quarterly([40.0, 31.0, 20.0, 11.0, 1.0])  # falls about 10 a quarter
    c = forecast_crossing(s, -5.0, better="low", horizon=4)
    # unclipped, drift paths would pass -5 within two quarters; a count cannot go below 0
    assert (c.method, c.case, c.share) == ("drift", "not_within_horizon", 0.0)


def test_crossing_expected_gives_median_and_interval_periods():
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="the SN average")
    assert c.case == "expected"
    # the line (back-test MASE 0.17) does not beat drift (0.26) by the 80% margin:
    # 630 falling 10 a quarter (700 to 630 over 7 quarters) is 600 after 3 quarters
    assert c.method == "drift"
    assert c.period == "2017-18 Q3"
    assert c.lower <= c.period <= c.upper
    assert (c.benchmark_name, c.benchmark_value) == ("the SN average", 600.0)
    assert c.benchmark_period is None
    assert (c.benchmark_mode, c.benchmark_forecast) == ("hold", None)
    assert (c.last_period, c.last_value, c.horizon_end) == ("2016-17 Q4", 630.0, "2018-19 Q4")


def test_crossing_already_reached_when_latest_is_better():
    c = forecast_crossing(FALLING, 640.0, better="low", horizon=4)
    assert c.case == "already_reached"
    assert (c.share, c.period) == (1.0, None)


def test_crossing_moving_away_when_trend_is_wrong_way():
    c = forecast_crossing(FALLING, 800.0, better="high", horizon=4)
    assert c.case == "moving_away"
    assert math.isnan(c.share)


def test_crossing_not_within_horizon_reports_share_of_paths():
    c = forecast_crossing(FALLING, 560.0, better="low", horizon=4)
    assert c.case == "not_within_horizon"
    assert c.share < 0.5
    assert c.share == 0.0
    assert (c.method, c.horizon_end) == ("drift", "2017-18 Q4")


def test_crossing_without_enough_data_says_why():
    s = quarterly([689.0, 675.4], start="2017-18 Q1")
    c = forecast_crossing(s, 536.2, better="low", horizon=8, breaks=["Apr 2017"])
    assert c.case == "no_forecast" and c.period is None
    assert (c.reason, c.n_points, c.break_period) == ("too_few_points", 2, Period(2017, "month", 1))


def test_crossing_benchmark_series_held_note_names_value_and_period():
    bench = pd.Series([400.0, 393.0], index=["2015-16", "2016-17"])
    c = forecast_crossing(FALLING, bench, better="low", horizon=4)
    assert c.benchmark_period == Period(2016, "year")
    assert c.benchmark_value == 393.0


def test_crossing_with_forecast_benchmark_meets_a_falling_benchmark_later():
    bench = pd.Series(
        [640.0, 630.0, 620.0, 610.0, 600.0], index=[str(y) for y in range(2014, 2019)]
    )
    held = forecast_crossing(FALLING, bench, better="low", horizon=12)
    moving = forecast_crossing(FALLING, bench, better="low", horizon=12, benchmark_mode="forecast")
    assert (moving.benchmark_forecast.method, moving.benchmark_forecast.n_points) == ("drift", 5)
    assert held.case == "expected" and moving.case == "expected"
    assert moving.period > held.period


def test_crossing_is_reproducible_with_a_seed():
    a = forecast_crossing(FALLING, 600.0, better="low", horizon=8, seed=11)
    b = forecast_crossing(FALLING, 600.0, better="low", horizon=8, seed=11)
    assert (a.period, a.lower, a.upper, a.share) == (b.period, b.lower, b.upper, b.share)


@pytest.mark.parametrize(
    ("benchmark", "mode", "forecast_made"),
    [(600.0, "forecast", False), (pd.Series([600.0], index=["2016-17"]), "forecast", True)],
    ids=["single number", "too short"],
)
def test_project_benchmark_holds_what_cannot_be_forecast(benchmark, mode, forecast_made):
    periods = [Period(2017, "year"), Period(2018, "year")]
    values, fc = project_benchmark(benchmark, periods, mode)
    assert values.tolist() == [600.0, 600.0]
    assert (fc is not None) == forecast_made
    assert fc is None or not fc.ok


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"better": "up"}, "better='up'; use 'high' or 'low'"),
        ({"better": "low", "benchmark_mode": "trend"}, "benchmark_mode='trend'"),
    ],
)
def test_crossing_refuses_unknown_polarity_or_mode(kwargs, match):
    with pytest.raises(ForecastError, match=match):
        forecast_crossing(FALLING, 600.0, horizon=4, **kwargs)
