"""Tests for analysis.forecasting.window: comparable points, gaps, frequencies, the anchor grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_series import quarterly

from analysis.forecasting import ForecastError, anchor_on_grid, comparable_window, forecast


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


def test_anchor_series_maps_each_year_end_onto_the_quarters_that_follow():
    s = quarterly([1.0] * 8, start="2015-16 Q1")  # 2015-16 Q1 .. 2016-17 Q4
    england = pd.Series({"2014-15": 40.0, "2015-16": 50.0, "2016-17": 60.0})
    grid = anchor_on_grid(england, s)
    # 2015-16's value (at 31 March 2016) is known from its Q4, never before
    assert grid.tolist() == [40.0, 40.0, 40.0, 50.0, 50.0, 50.0, 50.0, 60.0]
