"""Tests for analysis.forecasting.year_end: this financial year's projected outturn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from forecast_series import monthly, quarterly

from analysis.forecasting import ForecastError, fit_method, project_year_end
from analysis.periods import Period


def test_year_end_cumulative_run_rate_scales_by_elapsed_share():
    ytd = quarterly([20.0, 41.0, 60.0], start="2016-17 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd", last_year_outturn=70.0, target=90.0)
    assert ye.method == "run_rate" and ye.period == "2016-17"
    assert ye.estimate == pytest.approx(80.0)
    assert ye.lower < 80.0 < ye.upper
    assert ye.vs_last_year == "higher"
    assert (ye.basis, ye.n_in_year, ye.per_year, ye.forecast) == ("run_rate", 3, 4, None)


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
    assert (ye.basis, ye.n_profile_years) == ("profile", 3)


def test_year_end_snapshot_forecasts_level_to_march():
    ytd = monthly([100.0, 98.0, 96.0, 94.0, 92.0, 90.0])  # Apr..Sep 2017
    earlier = {2016: monthly([124.0 - 2 * i for i in range(12)], start=Period(2016, "month", 1))}
    ye = project_year_end(ytd, measure="snapshot", earlier_years=earlier)
    assert ye.method == "drift"
    assert ye.estimate == pytest.approx(78.0)  # six more months at -2 a month
    assert (ye.basis, ye.forecast.method, ye.forecast.n_points) == ("forecast", "drift", 18)


def test_year_end_complete_year_is_the_actual_value():
    ytd = quarterly([20.0, 41.0, 60.0, 83.0], start="2016-17 Q1")
    ye = project_year_end(ytd, measure="cumulative_ytd")
    assert (ye.method, ye.estimate, ye.lower, ye.upper) == ("actual", 83.0, 83.0, 83.0)


def test_year_end_one_period_has_estimate_but_no_interval():
    ye = project_year_end(quarterly([15.0], start="2016-17 Q1"), measure="cumulative_ytd")
    assert ye.estimate == pytest.approx(60.0)
    assert math.isnan(ye.lower)


def test_year_end_across_two_years_is_refused():
    with pytest.raises(ForecastError, match="more than one financial year"):
        project_year_end(quarterly([1.0, 2.0], start="2016-17 Q4"), measure="flow")


def test_year_end_level_projection_uses_the_anchor():
    ytd = quarterly([10.0, 10.0], start="2017-18 Q1")
    earlier = {2016: quarterly([10.0, 20.0, 10.0, 20.0], start="2016-17 Q1")}
    ye = project_year_end(ytd, measure="snapshot", earlier_years=earlier, anchor=30.0)
    level = fit_method([10.0, 20.0, 10.0, 20.0, 10.0, 10.0], "ses", horizon=1)["estimate"][0]
    assert ye.method == "ses_anchored"
    assert ye.estimate == pytest.approx(level + (1 - 0.9**0.5) * (30.0 - level))


def test_year_end_snapshot_with_too_few_points_has_no_estimate_and_keeps_the_forecast():
    ye = project_year_end(monthly([1969.0, 1670.0]), measure="rolling_12m")
    assert (ye.method, ye.basis) == ("none", "forecast")
    assert math.isnan(ye.estimate) and not ye.forecast.ok


def test_year_end_snapshot_at_march_is_the_reported_value():
    ytd = quarterly([10.0, 11.0, 12.0, 13.0], start="2016-17 Q1")
    ye = project_year_end(ytd, measure="snapshot")
    assert (ye.method, ye.basis, ye.estimate, ye.forecast) == ("actual", "reported", 13.0, None)


def test_unknown_measure_is_refused():
    with pytest.raises(ForecastError, match="measure 'stock'; use one of cumulative_ytd"):
        project_year_end(quarterly([1.0]), measure="stock")
