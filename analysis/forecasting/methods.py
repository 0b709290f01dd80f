"""The forecast methods, with the intervals, bounds and simulated paths they share.

Each method forecasts a regularly spaced array (see :mod:`analysis.forecasting.window`
for the series it is made from); fewer than :data:`MIN_POINTS` comparable points
give no forecast.

Methods, simplest first (:data:`METHODS`).

``naive``
    Last value carried forward; random-walk interval ``sigma * sqrt(h)``.
``ses``
    Simple exponential smoothing with fixed weight :data:`SES_ALPHA` (0.6,
    chosen on the validation split; fitting it per series on 5 points did
    worse), started at the first value. Flat forecast at the final level;
    interval of the local-level model, ``sigma * sqrt(1 + alpha**2 (h - 1))``,
    with sigma from the ``n - 1`` one-step errors (t with ``n - 1`` df, as
    nothing is estimated).
``ses_anchored``
    ``ses`` pulled toward an anchor A (England's latest value at or before the
    forecast origin): estimate ``L + (1 - (1 - PULL)**(h / per_year)) * (A - L)``
    at step h, with L the ``ses`` level and ``per_year`` 1, 4 or 12. The pull is
    deterministic, so the interval is ``ses``' width around the new centre.
    Without an anchor value, plain ``ses``.
``drift``
    Random walk with drift (slope = first-to-last change per step); interval
    ``sigma * sqrt(h * (1 + h / (n - 1)))`` which includes the slope's uncertainty.
``linear``
    OLS straight line on time; the interval is the OLS prediction interval
    for a new observation (identical to statsmodels' ``obs_ci``).
``combined``
    Equal-weight mean of ``naive``, ``ses`` and a damped drift (the drift's
    slope damped by :data:`DRIFT_DAMPING` a step; interval as drift's with the
    damped step sum in place of ``h`` in the slope term). The interval is the
    mean of the members' bounds, which are symmetric.
``damped``
    Damped-trend additive exponential smoothing (statsmodels ``ETSModel``),
    analytic interval; only from :data:`METHOD_MIN_POINTS` ``["damped"]`` points.

Intervals use Student-t quantiles with the residual degrees of freedom, because
a 5-point series estimates its own noise badly. Estimates, intervals and
simulated paths are clipped to bounds (:func:`default_bounds`: at 0 when no
comparable value is negative); the back-test scores methods unclipped.

Simulated paths (:func:`simulate_paths`) are a parametric bootstrap of each
method's own model: Gaussian innovations with the fitted sigma, plus a draw of
the slope (drift) or of both coefficients (linear) from their sampling
distribution; ``ses`` paths move the level by ``alpha`` times each innovation
(``ses_anchored`` adds its pull to each); ``combined`` paths are the mean of its
members' paths under the same innovations; ``damped`` paths are statsmodels' own
simulation of the fitted model.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.errors import ForecastError

MIN_POINTS = 5
"""Fewer comparable points than this: no forecast."""
METHODS = ("naive", "ses", "ses_anchored", "drift", "linear", "combined", "damped")
"""Forecast methods, simplest first."""
DEFAULT_METHOD = "ses"
"""The method selection keeps unless another beats it clearly (see ``backtest``)."""
ANCHORED_METHOD = "ses_anchored"
"""The default instead of :data:`DEFAULT_METHOD` when an anchor (England's value) is given."""
METHOD_MIN_POINTS = {
    "naive": 2, "ses": 2, "ses_anchored": 2, "drift": 3, "linear": 3, "combined": 3, "damped": 10,
}  # fmt: skip
"""Points a method needs before it is fitted or back-tested."""
SES_ALPHA = 0.6
"""Smoothing weight of ``ses`` (and of the ``ses`` member of ``combined``)."""
PULL = 0.1
"""Share of the gap between the ``ses`` level and the anchor closed a year ahead (per step
for annual series; a quarterly series closes ``1 - (1 - PULL)**(1/4)`` a quarter).

Chosen on the validation splits only (``benchmarks/bench_forecast.py --pull K``,
selection as used, counts unanchored). Median MASE for a pull of 0 / 0.05 / 0.1 /
0.15 / 0.2: 2018-2020 from 2013-2017, 0.976 / 0.972 / 0.973 / 0.985 / 0.999;
2020 from 2013-2019, 0.788 / 0.789 / 0.786 / 0.798 / 0.792. 0.1 is best across
both (and on ``ses`` alone, 0.972 and 0.788).
"""
DRIFT_DAMPING = 0.5
"""Per-step damping of the slope in the ``combined`` method's damped-drift member."""
LEVEL_RANGE = (50, 99)
"""Accepted interval levels, in percent."""

Bounds = tuple[float | None, float | None]
"""Limits a quantity cannot pass, ``(lower, upper)``; None is no limit."""


# --- arguments ------------------------------------------------------------------------------


def check_arguments(horizon: int, level: float) -> None:
    """Raise :class:`ForecastError` unless ``horizon >= 1`` and ``level`` is 50-99."""
    if int(horizon) != horizon or horizon < 1:
        raise ForecastError(f"horizon {horizon} is not a whole number of periods >= 1; use e.g. 4")
    lo, hi = LEVEL_RANGE
    if not lo <= level <= hi:
        raise ForecastError(f"level {level} is outside {lo}-{hi}; give a percentage such as 80")


def check_method(method: str, n: int) -> None:
    """Raise :class:`ForecastError` unless ``method`` is known and ``n`` points are enough."""
    if method not in METHOD_MIN_POINTS:
        raise ForecastError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if n < METHOD_MIN_POINTS[method]:
        need = METHOD_MIN_POINTS[method]
        raise ForecastError(f"method {method!r} needs at least {need} points, the series has {n}")


# --- bounds --------------------------------------------------------------------------------


def default_bounds(series: pd.Series) -> Bounds:
    """``(0, None)`` when no value of ``series`` is negative, else ``(None, None)``."""
    values = np.asarray(series, dtype=float)
    return (0.0, None) if values.size and np.nanmin(values) >= 0 else (None, None)


def clip_to_bounds(values: np.ndarray, bounds: Bounds) -> np.ndarray:
    """Clip ``values`` (any shape) to ``bounds``; a None bound is no limit.

    Raises
    ------
    ForecastError
        When the lower bound is above the upper bound.
    """
    lo, hi = bounds
    if lo is not None and hi is not None and lo > hi:
        raise ForecastError(f"bounds {bounds}: the lower limit is above the upper; swap them")
    return np.clip(values, -np.inf if lo is None else lo, np.inf if hi is None else hi)


# --- the fitters ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def t_quantile(level: float, df: float) -> float:
    """Student-t quantile for a two-sided ``level``% interval with ``df`` (at least 1) df."""
    from scipy import stats  # imported when first needed: a page that only reads a pack skips it

    return float(stats.t.ppf(0.5 + level / 200, max(df, 1)))


def _naive(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    e = np.diff(y)
    sigma = math.sqrt(np.mean(e**2)) if e.size else 0.0
    h = np.arange(1, horizon + 1)
    half = t_quantile(level, e.size) * sigma * np.sqrt(h)
    est = np.full(horizon, y[-1])
    return np.vstack([est, est - half, est + half])


def _drift_fit(y: np.ndarray) -> tuple[float, float]:
    n = y.size
    slope = (y[-1] - y[0]) / (n - 1)
    e = np.diff(y) - slope
    sigma = math.sqrt(np.sum(e**2) / max(n - 2, 1))
    return slope, sigma


def _drift(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    slope, sigma = _drift_fit(y)
    n = y.size
    h = np.arange(1, horizon + 1)
    est = y[-1] + slope * h
    half = t_quantile(level, n - 2) * sigma * np.sqrt(h * (1 + h / (n - 1)))
    return np.vstack([est, est - half, est + half])


def _linear_fit(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """OLS of ``y`` on ``[1, t]``: coefficients, their covariance, residual sigma."""
    n = y.size
    x = np.column_stack([np.ones(n), np.arange(n)])
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    sigma = math.sqrt(np.sum(resid**2) / max(n - 2, 1))
    return beta, xtx_inv * sigma**2, sigma


def _linear(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    n = y.size
    beta, cov, sigma = _linear_fit(y)
    xf = np.column_stack([np.ones(horizon), np.arange(n, n + horizon)])
    est = xf @ beta
    se = np.sqrt(sigma**2 + np.einsum("ij,jk,ik->i", xf, cov, xf))
    half = t_quantile(level, n - 2) * se
    return np.vstack([est, est - half, est + half])


def _damped_fit(y: np.ndarray):  # noqa: ANN202 (statsmodels results object)
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True)
        return model.fit(disp=False)


def _damped(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    res = _damped_fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = res.get_prediction(start=y.size, end=y.size + horizon - 1)
        frame = pred.summary_frame(alpha=1 - level / 100)
    return frame[["mean", "pi_lower", "pi_upper"]].to_numpy().T


def _ses_fit(y: np.ndarray, alpha: float = SES_ALPHA) -> tuple[float, float]:
    """Return the final level and RMS one-step error of SES started at the first value.

    Neither ``alpha`` nor the start is estimated, so all ``n - 1`` one-step
    errors are genuine out-of-sample errors and the sigma keeps ``n - 1`` df.
    """
    level, sq = float(y[0]), 0.0
    for value in y[1:]:
        err = value - level
        sq += err * err
        level += alpha * err
    return level, math.sqrt(sq / max(y.size - 1, 1))


def _ses(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    lvl, sigma = _ses_fit(y)
    h = np.arange(1, horizon + 1)
    half = t_quantile(level, y.size - 1) * sigma * np.sqrt(1 + SES_ALPHA**2 * (h - 1))
    est = np.full(horizon, lvl)
    return np.vstack([est, est - half, est + half])


def _pull_weights(horizon: int, per_year: int = 1) -> np.ndarray:
    """Share of the gap to the anchor closed by step h: ``1 - (1 - PULL)**(h / per_year)``."""
    return 1 - (1 - PULL) ** (np.arange(1, horizon + 1) / per_year)


def _anchor_shift(y: np.ndarray, horizon: int, anchor: float, per_year: int = 1) -> np.ndarray:
    """How far the anchored forecast sits from the ``ses`` level at each step (0 without anchor)."""
    if not math.isfinite(anchor):
        return np.zeros(horizon)
    return _pull_weights(horizon, per_year) * (anchor - _ses_fit(y)[0])


def _ses_anchored(
    y: np.ndarray, horizon: int, level: float, anchor: float, per_year: int = 1
) -> np.ndarray:
    """``ses`` pulled toward ``anchor``; the interval keeps ``ses``' width around the new centre."""
    return _ses(y, horizon, level) + _anchor_shift(y, horizon, anchor, per_year)


def _damping_sums(horizon: int) -> np.ndarray:
    """Cumulative damped steps ``phi + phi**2 + ... + phi**h`` for h = 1..horizon."""
    return np.cumsum(DRIFT_DAMPING ** np.arange(1, horizon + 1))


def _damped_drift(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    slope, sigma = _drift_fit(y)
    h = np.arange(1, horizon + 1)
    steps = _damping_sums(horizon)
    est = y[-1] + slope * steps
    half = t_quantile(level, y.size - 2) * sigma * np.sqrt(h + steps**2 / (y.size - 1))
    return np.vstack([est, est - half, est + half])


def _combined(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    """Equal-weight mean of naive, ses and damped drift; bounds are the mean bounds."""
    return np.mean([f(y, horizon, level) for f in (_naive, _ses, _damped_drift)], axis=0)


_FITTERS = {
    "naive": _naive, "ses": _ses, "drift": _drift, "linear": _linear,
    "combined": _combined, "damped": _damped,
}  # fmt: skip


def fit_array(
    y: np.ndarray, method: str, horizon: int, level: float, anchor: float, per_year: int = 1
) -> np.ndarray:
    """Return rows estimate, lower, upper of ``method`` on a regular array, unchecked.

    ``anchor`` is the value ``ses_anchored`` is pulled toward (NaN: plain ``ses``);
    :func:`fit_method` is the checked, public form.
    """
    if method == ANCHORED_METHOD:
        return _ses_anchored(y, horizon, level, anchor, per_year)
    return _FITTERS[method](y, horizon, level)


def fit_method(
    y: Sequence[float],
    method: str,
    horizon: int,
    level: float = 80,
    anchor: float = math.nan,
    per_year: int = 1,
) -> pd.DataFrame:
    """Forecast a regularly spaced array with one method.

    Parameters
    ----------
    y : sequence of float
        Observed values, one per period, oldest first, no gaps.
    method : str
        One of :data:`METHODS`.
    horizon : int
        Steps ahead (h = 1..horizon).
    level : float
        Interval level in percent.
    anchor : float
        The value ``ses_anchored`` is pulled toward (England's latest); NaN: plain ``ses``.
    per_year : int
        Periods a year (1, 4 or 12): :data:`PULL` is a share of the gap a year.

    Returns
    -------
    pandas.DataFrame
        Columns ``estimate``, ``lower``, ``upper``; one row per step ahead.
    """
    if method not in METHOD_MIN_POINTS:
        raise ForecastError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    arr = np.asarray(y, dtype=float)
    if arr.size < METHOD_MIN_POINTS[method]:
        raise ForecastError(
            f"method {method!r} needs at least {METHOD_MIN_POINTS[method]} points, got {arr.size}"
        )
    est, lower, upper = fit_array(arr, method, horizon, level, anchor, per_year)
    return pd.DataFrame({"estimate": est, "lower": lower, "upper": upper})


# --- simulated paths -----------------------------------------------------------------------


def simulate_paths(
    y: Sequence[float],
    method: str,
    horizon: int,
    n_paths: int = 2000,
    seed: int = 0,
    anchor: float = math.nan,
    per_year: int = 1,
) -> np.ndarray:
    """Simulate future paths of ``y`` from ``method``'s fitted model (shape n_paths x horizon).

    Gaussian innovations with the fitted sigma; the drift's slope and the
    line's coefficients are drawn from their sampling distribution, so the
    paths carry parameter uncertainty; ``ses`` paths follow its local-level
    model (the level moves by ``alpha`` times each innovation); ``combined``
    paths are the mean of its members' paths driven by the same innovations;
    ``damped`` uses statsmodels' simulation; ``ses_anchored`` paths are the
    ``ses`` paths moved by the deterministic pull toward ``anchor``.
    """
    arr = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n_paths, horizon))
    if method == "damped":
        res = _damped_fit(arr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sims = res.simulate(horizon, anchor="end", repetitions=n_paths, rng=rng)
        return np.asarray(sims, dtype=float).reshape(horizon, n_paths).T
    if method == "combined":
        members = ("naive", "ses", "damped_drift")
        return np.mean([_member_paths(arr, m, noise, rng) for m in members], axis=0)
    if method == ANCHORED_METHOD:
        shift = _anchor_shift(arr, horizon, anchor, per_year)
        return _member_paths(arr, "ses", noise, rng) + shift
    return _member_paths(arr, method, noise, rng)


def _member_paths(
    arr: np.ndarray, method: str, noise: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    n_paths, horizon = noise.shape
    n = arr.size
    if method == "naive":
        sigma = math.sqrt(np.mean(np.diff(arr) ** 2))
        return arr[-1] + np.cumsum(sigma * noise, axis=1)
    if method == "ses":
        lvl, sigma = _ses_fit(arr)
        e = sigma * noise
        return lvl + SES_ALPHA * (np.cumsum(e, axis=1) - e) + e
    if method in ("drift", "damped_drift"):
        slope, sigma = _drift_fit(arr)
        steps = np.arange(1, horizon + 1) if method == "drift" else _damping_sums(horizon)
        slopes = slope + sigma / math.sqrt(n - 1) * rng.standard_normal((n_paths, 1))
        return arr[-1] + slopes * steps + np.cumsum(sigma * noise, axis=1)
    beta, cov, sigma = _linear_fit(arr)
    coefs = rng.multivariate_normal(beta, cov, size=n_paths)
    t = np.arange(n, n + horizon)
    return coefs[:, [0]] + coefs[:, [1]] * t + sigma * noise
