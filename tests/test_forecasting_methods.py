"""Tests for analysis.forecasting.methods: the fitters, intervals, bounds and simulated paths."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from forecast_series import ANCHOR, LINE, ZIGZAG, annual, quarterly

from analysis.forecasting import PULL, ForecastError, fit_method, forecast, simulate_paths


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


@pytest.mark.parametrize(
    ("horizon", "level", "match"), [(0, 80, "horizon 0"), (2, 40, "level 40"), (2, 99.5, "99.5")]
)
def test_bad_horizon_or_level_is_refused(horizon, level, match):
    with pytest.raises(ForecastError, match=match):
        forecast(LINE, horizon=horizon, level=level)


@pytest.mark.parametrize("method", ["naive", "ses", "drift", "linear", "combined", "damped"])
def test_simulated_paths_centre_on_the_point_forecast(method):
    rng = np.random.default_rng(5)
    y = 100 - 3 * np.arange(12) + rng.normal(0, 2, 12)
    paths = simulate_paths(y, method, horizon=4, n_paths=4000, seed=1)
    est = fit_method(y, method, horizon=4)["estimate"].to_numpy()
    assert paths.shape == (4000, 4)
    assert np.median(paths, axis=0) == pytest.approx(est, abs=1.5)


# --- bounds ------------------------------------------------------------------------------------


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


# --- pulled toward England ---------------------------------------------------------------------


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
