"""Forecasts for short council series, each with its method, interval and measured past accuracy.

Design
------
A series is a ``pandas.Series`` of floats indexed by :class:`~analysis.periods.Period`
(labels are parsed). Missing values are gaps, never zeros. Only the points since
the latest series break are used (:func:`comparable_window`).

Default and selection. The default is ``ses``: annual council indicators are a
slowly moving level plus sampling noise, and the last value over-reacts to the
noise. :func:`select_method` keeps :data:`DEFAULT_METHOD` unless another
method's back-test MASE is at least :data:`SELECTION_MARGIN` (80%) lower: with
2-8 origins smaller differences are noise, and trend methods extrapolate that
noise. A clear trend (a near-perfect line) still wins. These choices were made
on DfE series before April 2020 (``benchmarks/bench_forecast.py``, validation
splits): forecasting 2018-2020 from 2013-2017, median MASE 0.976 against naive's
1.009 (the earlier back-test selection among naive/drift/linear/damped with a
20% margin scored 1.119); on 2021-2023 from 2016-2020, 1.026 against naive's
1.043 (earlier 1.111).

Regression toward England. A council's rate or percentage drifts back toward
the national figure, so given an ``anchor`` (England's series or value) the
default becomes ``ses_anchored``, which closes :data:`PULL` (10%) of the gap
to England a year. Counts get no anchor: a council's count is not comparable
with England's total. With the anchor (validation splits, all methods and
selection): 2018-2020 from 2013-2017, median MASE 0.973 (was 0.976); 2020
from 2013-2019, 0.786 (was 0.788); and, not tuned on, 2021-2023 from
2016-2020, 0.996 (was 1.026; naive 1.043), 80% intervals holding 80.8%,
82.1% and 80.2% of outcomes.

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
    forecast origin, in each back-test origin as in the forecast): estimate
    ``L + (1 - (1 - PULL)**(h / per_year)) * (A - L)`` at step h, with L the
    ``ses`` level and ``per_year`` 1, 4 or 12. The pull is deterministic, so
    the interval is ``ses``' width around the new centre (coverage on the
    validation splits stayed at 81-82%). Without an anchor value at an origin,
    plain ``ses`` there; without one at the last period, the forecast is ``ses``.
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
    mean of the members' bounds, which are symmetric, so it is the mean
    estimate plus or minus the mean half-width.
``damped``
    Damped-trend additive exponential smoothing (statsmodels ``ETSModel``),
    analytic interval; only from :data:`METHOD_MIN_POINTS` ``["damped"]`` points.

Bounds: estimates, intervals and crossing paths are clipped to ``bounds``;
by default at 0 when no comparable value is negative (rates, counts and
percentages cannot go below 0). The back-test scores methods unclipped.

Intervals use Student-t quantiles with the residual degrees of freedom, because
a 5-point series estimates its own noise badly.

Minimum-data rule: fewer than :data:`MIN_POINTS` comparable points gives no
forecast and a note saying why.

Back-test (:func:`backtest`): expanding window, rolling origin. Origins are
the last :data:`BACKTEST_MAX_ORIGINS` points that leave at least
``max(BACKTEST_MIN_TRAIN, METHOD_MIN_POINTS[method])`` points to train on;
from each origin the method forecasts up to ``horizon`` steps ahead and every
held-out outcome inside the series is scored. Errors are scaled (MASE) by the
mean absolute one-step naive change in that origin's training window.

Crossing paths (:func:`forecast_crossing`) are a parametric bootstrap of each
method's own model: Gaussian innovations with the fitted sigma, plus a draw of
the slope (drift) or of both coefficients (linear) from their sampling
distribution; ``ses`` paths move the level by ``alpha`` times each innovation
(``ses_anchored`` adds its pull to each);
``combined`` paths are the mean of its members' paths under the same innovations;
``damped`` paths are statsmodels' own simulation of the fitted model.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError, OutturnError, PeriodError
from analysis.periods import Period, format_period, parse_period, period_style

MIN_POINTS = 5
"""Fewer comparable points than this: no forecast."""
METHODS = ("naive", "ses", "ses_anchored", "drift", "linear", "combined", "damped")
"""Forecast methods, simplest first."""
DEFAULT_METHOD = "ses"
"""The method :func:`select_method` keeps unless another beats it by :data:`SELECTION_MARGIN`."""
ANCHORED_METHOD = "ses_anchored"
"""The default instead of :data:`DEFAULT_METHOD` when an anchor (England's value) is given."""
METHOD_MIN_POINTS = {
    "naive": 2, "ses": 2, "ses_anchored": 2, "drift": 3, "linear": 3, "combined": 3, "damped": 10,
}  # fmt: skip
"""Points a method needs before it is fitted or back-tested."""
SELECTION_MARGIN = 0.8
"""Another method replaces the current choice only if its back-test MASE is this much lower."""
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
BACKTEST_MIN_TRAIN = 3
"""Smallest training window in the back-test."""
BACKTEST_MAX_ORIGINS = 8
"""At most this many forecast origins, the latest ones."""
MIN_PROFILE_YEARS = 2
"""Earlier complete years needed before a year-end projection uses the in-year profile."""
LEVEL_RANGE = (50, 99)
"""Accepted interval levels, in percent."""
FORECAST_COLUMNS = [
    "indicator_id", "period", "kind", "benchmark", "estimate", "lower", "upper",
    "method", "n_points", "note",
]  # fmt: skip
"""Columns of ``reports/<quarter>/forecasts.csv``."""
MARKERS = {"", "c", "x", "z", "u", "k", "low", "-", ":", ".."}
"""Published markers for a withheld value: read as a gap."""


class ForecastError(OutturnError, ValueError):
    """Raised when a forecast is asked for with an impossible argument or input."""


# --- series handling -----------------------------------------------------------------------


def as_series(series: pd.Series) -> pd.Series:
    """Return ``series`` as floats indexed by sorted :class:`Period` at one frequency.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by periods or period labels; missing values stay NaN.

    Raises
    ------
    ForecastError
        When the index mixes frequencies or repeats a period.
    """
    index = [parse_period(p) for p in series.index]
    values = pd.to_numeric(pd.Series(series.to_numpy()), errors="coerce").to_numpy(dtype=float)
    freqs = {p.freq for p in index}
    if len(freqs) > 1:
        raise ForecastError(
            f"series mixes frequencies ({', '.join(sorted(freqs))}); "
            "forecast months, quarters and years separately"
        )
    if len(set(index)) < len(index):
        dup = next(p for p in index if index.count(p) > 1)
        raise ForecastError(f"period {dup} appears twice in the series; keep one value per period")
    order = sorted(range(len(index)), key=lambda i: index[i].sort_key())
    return pd.Series(values[order], index=[index[i] for i in order], dtype=float)


def comparable_window(
    series: pd.Series, breaks: Iterable[str | Period] = ()
) -> tuple[pd.Series, Period | None]:
    """Keep the observed points since the latest series break.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by periods (see :func:`as_series`).
    breaks : iterable of str or Period
        Periods from which values are comparable (the catalogue's ``breaks``);
        values that start before the latest break are dropped.

    Returns
    -------
    (pandas.Series, Period or None)
        The comparable, non-missing values and the break that applied.
    """
    s = as_series(series).dropna()
    if s.empty:
        return s, None
    last = s.index[-1]
    applied = [parse_period(b) for b in breaks]
    applied = [b for b in applied if b.start_date <= last.end_date]
    if not applied:
        return s, None
    brk = max(applied, key=lambda b: b.start_date)
    keep = [p.start_date >= brk.start_date for p in s.index]
    return s[keep], brk


def _grid(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values on a regular grid (internal gaps interpolated) and a mask of observed points."""
    first = s.index[0]
    pos = np.array([_steps(first, p) for p in s.index])
    full = np.arange(pos[-1] + 1)
    values = np.interp(full, pos, s.to_numpy())
    observed = np.isin(full, pos)
    return values, observed


def anchor_on_grid(anchor: float | pd.Series | None, s: pd.Series) -> np.ndarray | None:
    """Return the anchor in force at each period of ``s``'s regular grid (None without anchor).

    Parameters
    ----------
    anchor : float, pandas.Series or None
        A number used at every period, or a series indexed by periods or labels
        at any one frequency (England's annual values for a quarterly series).
    s : pandas.Series
        The comparable, non-missing values (see :func:`comparable_window`).

    Returns
    -------
    numpy.ndarray or None
        For each period from ``s``'s first to its last, the anchor's latest value
        ending at or before that period's end (never a later one); NaN where it
        has none.
    """
    if anchor is None or s.empty:
        return None
    size = _steps(s.index[0], s.index[-1]) + 1
    if not isinstance(anchor, pd.Series):
        return np.full(size, float(anchor))
    a = as_series(anchor).dropna()
    ends = np.array([p.end_date for p in a.index], dtype="datetime64[D]")
    grid = [s.index[0].shift(i).end_date for i in range(size)]
    pos = np.searchsorted(ends, np.array(grid, dtype="datetime64[D]"), side="right") - 1
    values = np.concatenate([[math.nan], a.to_numpy()])
    return values[pos + 1]


def _steps(start: Period, end: Period) -> int:
    per = start.per_year
    return (end.fy * per + end.index) - (start.fy * per + start.index)


def shortage_reason(n: int, brk: Period | None) -> str:
    """Say why ``n`` points are too few, naming the series break when there is one."""
    noun = "point" if n == 1 else "points"
    since = f" since the series break at {brk.label}" if brk else ""
    return f"only {n} comparable {noun}{since}; at least {MIN_POINTS} are needed"


def check_arguments(horizon: int, level: float) -> None:
    """Raise :class:`ForecastError` unless ``horizon >= 1`` and ``level`` is 50-99."""
    if int(horizon) != horizon or horizon < 1:
        raise ForecastError(f"horizon {horizon} is not a whole number of periods >= 1; use e.g. 4")
    lo, hi = LEVEL_RANGE
    if not lo <= level <= hi:
        raise ForecastError(f"level {level} is outside {lo}-{hi}; give a percentage such as 80")


# --- the methods ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _tq(level: float, df: float) -> float:
    from scipy import stats  # imported when first needed: a page that only reads a pack skips it

    return float(stats.t.ppf(0.5 + level / 200, max(df, 1)))


def _naive(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    e = np.diff(y)
    sigma = math.sqrt(np.mean(e**2)) if e.size else 0.0
    h = np.arange(1, horizon + 1)
    half = _tq(level, e.size) * sigma * np.sqrt(h)
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
    half = _tq(level, n - 2) * sigma * np.sqrt(h * (1 + h / (n - 1)))
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
    half = _tq(level, n - 2) * se
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
    half = _tq(level, y.size - 1) * sigma * np.sqrt(1 + SES_ALPHA**2 * (h - 1))
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
    half = _tq(level, y.size - 2) * sigma * np.sqrt(h + steps**2 / (y.size - 1))
    return np.vstack([est, est - half, est + half])


def _combined(y: np.ndarray, horizon: int, level: float) -> np.ndarray:
    """Equal-weight mean of naive, ses and damped drift; bounds are the mean bounds."""
    return np.mean([f(y, horizon, level) for f in (_naive, _ses, _damped_drift)], axis=0)


_FITTERS = {
    "naive": _naive, "ses": _ses, "drift": _drift, "linear": _linear,
    "combined": _combined, "damped": _damped,
}  # fmt: skip


def _fit(
    y: np.ndarray, method: str, horizon: int, level: float, anchor: float, per_year: int = 1
) -> np.ndarray:
    """Return rows estimate, lower, upper of ``method`` (``anchor``: for ``ses_anchored``)."""
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
    est, lower, upper = _fit(arr, method, horizon, level, anchor, per_year)
    return pd.DataFrame({"estimate": est, "lower": lower, "upper": upper})


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


# --- back-test and selection ---------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """Out-of-sample accuracy of one method on one series.

    Attributes
    ----------
    method : str
    mase : float
        Mean absolute scaled error over every held-out outcome (NaN without origins).
    coverage : float
        Share of held-out outcomes inside the interval.
    n_origins : int
        Forecast origins used.
    n_outcomes : int
        Held-out outcomes scored.
    """

    method: str
    mase: float
    coverage: float
    n_origins: int
    n_outcomes: int


def _origins(n: int, method: str) -> range:
    first = max(BACKTEST_MIN_TRAIN, METHOD_MIN_POINTS[method])
    return range(max(first, n - BACKTEST_MAX_ORIGINS), n)


def _scale(train: np.ndarray, whole: np.ndarray) -> float:
    for arr in (train, whole):
        d = np.mean(np.abs(np.diff(arr))) if arr.size > 1 else 0.0
        if d > 0:
            return float(d)
    return 1.0


def backtest(
    series: pd.Series,
    method: str,
    horizon: int,
    level: float = 80,
    anchor: float | pd.Series | None = None,
) -> Backtest:
    """Rolling-origin back-test of ``method`` on ``series`` (see the module notes).

    Parameters
    ----------
    series : pandas.Series
        Values indexed by periods; gaps are interpolated for fitting but never scored.
    method : str
        One of :data:`METHODS`.
    horizon : int
        Steps ahead forecast from each origin.
    level : float
        Interval level in percent.
    anchor : float or pandas.Series, optional
        For ``ses_anchored``: each origin uses the anchor's latest value at or
        before it (:func:`anchor_on_grid`), plain ``ses`` where there is none.

    Returns
    -------
    Backtest
    """
    s = as_series(series).dropna()
    if s.empty:
        return Backtest(method, math.nan, math.nan, 0, 0)
    anchors = anchor_on_grid(anchor, s)
    return _backtest_grid(*_grid(s), method, horizon, level, anchors, s.index[0].per_year)


def _backtest_grid(
    y: np.ndarray,
    observed: np.ndarray,
    method: str,
    horizon: int,
    level: float,
    anchors: np.ndarray | None = None,
    per_year: int = 1,
) -> Backtest:
    scaled, inside, origins = [], [], 0
    for o in _origins(y.size, method):
        anchor = anchors[o - 1] if anchors is not None else math.nan
        est, lo, hi = _fit(y[:o], method, horizon, level, anchor, per_year)
        stop = min(o + horizon, y.size)
        mask = observed[o:stop]
        actual = y[o:stop][mask]
        est, lo, hi = (a[: stop - o][mask] for a in (est, lo, hi))
        scaled.extend(np.abs(actual - est) / _scale(y[:o], y))
        inside.extend((actual >= lo) & (actual <= hi))
        origins += 1
    if not scaled:
        return Backtest(method, math.nan, math.nan, 0, 0)
    return Backtest(method, float(np.mean(scaled)), float(np.mean(inside)), origins, len(scaled))


@dataclass(frozen=True)
class Selection:
    """The method chosen by back-test, and every candidate's score."""

    method: str
    chosen: Backtest
    tried: tuple[Backtest, ...]

    @property
    def scores(self) -> pd.DataFrame:
        """One row per candidate tried: method, mase, coverage, n_origins, n_outcomes."""
        return pd.DataFrame([b.__dict__ for b in self.tried])


def select_method(
    series: pd.Series,
    horizon: int,
    candidates: Sequence[str] = METHODS,
    level: float = 80,
    anchor: float | pd.Series | None = None,
) -> Selection:
    """Keep :data:`DEFAULT_METHOD` unless another method's back-test MASE is far lower.

    Starting from the default (or the simplest candidate when the default is not
    among them), each candidate in order of simplicity replaces the current
    choice only when its back-test MASE is below ``1 - SELECTION_MARGIN`` times
    the current choice's. If the choice's own intervals failed on the series
    (:func:`failed_backtest`: under half of at least 8 past outcomes inside), the
    candidate with the lowest MASE among those whose intervals held is taken instead.
    With an anchor that has a value at the series' last
    period, the default is :data:`ANCHORED_METHOD`; without one, ``ses_anchored``
    is not tried.

    Parameters
    ----------
    series : pandas.Series
        Comparable values indexed by periods.
    horizon : int
        Steps ahead the forecast will be used for (the back-test uses the same).
    candidates : sequence of str
        Methods to try; those needing more points than the series has are skipped.
    level : float
        Interval level for the coverage column.
    anchor : float or pandas.Series, optional
        England's value or series (see :func:`forecast`).

    Returns
    -------
    Selection
        ``method``, ``scores`` (one row per candidate tried) and ``chosen``.
    """
    s = as_series(series).dropna()
    return _select(s, horizon, candidates, level, _usable(anchor_on_grid(anchor, s)))


def _usable(anchors: np.ndarray | None) -> np.ndarray | None:
    """Return the anchors, or None without an anchor value at the last period (plain ``ses``)."""
    return anchors if anchors is not None and math.isfinite(anchors[-1]) else None


MIN_HELD = 0.5
"""A method whose 80% intervals held fewer than half of its past outcomes has failed them..."""
MIN_HELD_OUTCOMES = 8
"""... judged on at least this many held-out outcomes (fewer say too little either way)."""


def failed_backtest(coverage: float, n_outcomes: int) -> bool:
    """Whether a back-test shows the intervals failing: under half of 8+ outcomes inside."""
    return n_outcomes >= MIN_HELD_OUTCOMES and coverage < MIN_HELD


def _select(
    s: pd.Series,
    horizon: int,
    candidates: Sequence[str],
    level: float,
    anchors: np.ndarray | None = None,
) -> Selection:
    n = len(s)
    grid = _grid(s) if n else (np.array([]), np.array([], dtype=bool))
    skip = ANCHORED_METHOD if anchors is None else None
    per_year = s.index[0].per_year if n else 1
    tried = [
        _backtest_grid(*grid, m, horizon, level, anchors, per_year)
        for m in METHODS
        if m in candidates and m != skip and n >= METHOD_MIN_POINTS[m]
    ]
    tried = [b for b in tried if b.n_origins > 0]
    if not tried:
        raise ForecastError(f"no method can be back-tested on {n} points; at least {MIN_POINTS}")
    default = DEFAULT_METHOD if anchors is None else ANCHORED_METHOD
    best = next((b for b in tried if b.method == default), tried[0])
    for b in tried:  # in order of simplicity, so a tie goes to the simpler method
        if b.mase < best.mase * (1 - SELECTION_MARGIN) - 1e-9:
            best = b
    if failed_backtest(best.coverage, best.n_outcomes):  # the default failed on this series
        held = [b for b in tried if b.coverage >= MIN_HELD] or tried
        best = min(held, key=lambda b: b.mase)
    return Selection(best.method, best, tuple(tried))


# --- forecast ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """A forecast with its method, interval and measured accuracy.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``period`` (canonical label), ``estimate``, ``lower``, ``upper``; NaN
        estimates when the data cannot support a forecast.
    method : str or None
        The method used, None when there is no forecast.
    n_points : int
        Comparable points used.
    mase, coverage : float
        Back-test MASE and interval coverage of ``method`` on this series.
    note : str
        How the forecast was made, or why there is none.
    level : float
    last_period : Period or None
        The last observed period.
    history : pandas.Series
        The comparable points the forecast was made from.
    bounds : (float or None, float or None)
        The limits estimates and intervals were clipped to (None: no limit).
    anchor : float
        The value ``ses_anchored`` pulled toward (England's latest at the last
        period); NaN when no anchor was used.
    """

    frame: pd.DataFrame
    method: str | None
    n_points: int
    mase: float
    coverage: float
    note: str
    level: float = 80
    last_period: Period | None = None
    history: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    bounds: tuple[float | None, float | None] = (None, None)
    anchor: float = math.nan
    n_outcomes: int = 0  # held-out outcomes behind ``mase`` and ``coverage``

    @property
    def ok(self) -> bool:
        """True when there is a forecast."""
        return self.method is not None


def _future(last: Period | None, horizon: int) -> list[str]:
    return [last.shift(h).label for h in range(1, horizon + 1)] if last else []


def forecast(
    series: pd.Series,
    *,
    horizon: int,
    level: float = 80,
    breaks: Iterable[str | Period] = (),
    method: str | None = None,
    bounds: tuple[float | None, float | None] | None = None,
    anchor: float | pd.Series | None = None,
    anchor_name: str = "the anchor",
) -> Forecast:
    """Forecast ``series`` ``horizon`` periods ahead with a level% interval.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by periods (or labels); NaN values are gaps.
    horizon : int
        Periods ahead (at least 1).
    level : float
        Interval level in percent, 50-99.
    breaks : iterable of str or Period
        Series breaks; only points since the latest are used.
    method : str, optional
        Force a method; by default :func:`select_method` chooses by back-test.
    bounds : (float or None, float or None), optional
        Limits the quantity cannot pass, e.g. ``(0, 100)`` for a percentage;
        estimates and interval bounds are clipped to them. By default
        ``(0, None)`` when every comparable value is at least 0, else none.
    anchor : float or pandas.Series, optional
        A benchmark the council's level regresses toward: England's value, or
        England's series indexed by periods at any frequency. Give it for rates
        and percentages, never for counts (a council's count is not comparable
        with England's total). With it the default is ``ses_anchored``: the
        ``ses`` level L pulled toward the anchor A, estimate
        ``L + (1 - (1 - PULL)**h) * (A - L)`` at step h, where A is the anchor's
        latest value at or before the forecast origin, in the back-test as in
        the forecast. Without an anchor value at the last period, plain ``ses``.
    anchor_name : str
        How the note names the anchor ("England").

    Returns
    -------
    Forecast
    """
    check_arguments(horizon, level)
    s, brk = comparable_window(series, breaks)
    n = len(s)
    last = s.index[-1] if n else None
    periods = _future(last, horizon)
    if n < MIN_POINTS:
        nan = np.full(len(periods), math.nan)
        empty = pd.DataFrame({"period": periods, "estimate": nan, "lower": nan, "upper": nan})
        note = shortage_reason(n, brk)
        return Forecast(empty, None, n, math.nan, math.nan, note, level, last, s)
    anchors = _usable(anchor_on_grid(anchor, s))
    chosen = _choose(s, method, horizon, level, anchors)
    pull = anchors[-1] if anchors is not None and chosen.method == ANCHORED_METHOD else math.nan
    limits = default_bounds(s) if bounds is None else tuple(bounds)
    fitted = _fit(_grid(s)[0], chosen.method, horizon, level, pull, s.index[0].per_year)
    est, lower, upper = clip_to_bounds(fitted, limits)
    frame = pd.DataFrame({"period": periods, "estimate": est, "lower": lower, "upper": upper})
    note = _forecast_note(chosen, n, brk, level, pull, anchor_name)
    return Forecast(
        frame,
        chosen.method,
        n,
        chosen.mase,
        chosen.coverage,
        note,
        level,
        last,
        s,
        limits,
        pull,
        chosen.n_outcomes,
    )


def _choose(
    s: pd.Series, method: str | None, horizon: int, level: float, anchors: np.ndarray | None
) -> Backtest:
    """Back-test the selected or forced method (forced ``ses_anchored``: ``ses`` if no anchor)."""
    if method is None:
        return _select(s, horizon, METHODS, level, anchors).chosen
    _check_method(method, len(s))
    if method == ANCHORED_METHOD and anchors is None:
        method = DEFAULT_METHOD
    return _backtest_grid(*_grid(s), method, horizon, level, anchors, s.index[0].per_year)


def default_bounds(series: pd.Series) -> tuple[float | None, float | None]:
    """``(0, None)`` when no value of ``series`` is negative, else ``(None, None)``."""
    values = np.asarray(series, dtype=float)
    return (0.0, None) if values.size and np.nanmin(values) >= 0 else (None, None)


def clip_to_bounds(values: np.ndarray, bounds: tuple[float | None, float | None]) -> np.ndarray:
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


def _check_method(method: str, n: int) -> None:
    if method not in METHODS:
        raise ForecastError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if n < METHOD_MIN_POINTS[method]:
        need = METHOD_MIN_POINTS[method]
        raise ForecastError(f"method {method!r} needs at least {need} points, the series has {n}")


def _forecast_note(
    bt: Backtest,
    n: int,
    brk: Period | None,
    level: float,
    anchor: float = math.nan,
    anchor_name: str = "the anchor",
) -> str:
    since = f" since the series break at {brk.label}" if brk else ""
    if math.isfinite(anchor):
        since += f", pulled toward {anchor_name} ({anchor:,.1f}) by {PULL:.0%} of the gap a year"
    accuracy = (
        f"back-test MASE {bt.mase:.2f}, {level:g}% interval held {bt.coverage:.0%} "
        f"of {bt.n_outcomes} outcomes from {bt.n_origins} origins"
        if bt.n_origins
        else "no back-test possible"
    )
    return f"{bt.method} on {n} points{since}; {accuracy}"


# --- when does the trend reach a benchmark -------------------------------------------------


@dataclass(frozen=True)
class Crossing:
    """When a forecast is expected to reach a benchmark.

    Attributes
    ----------
    case : str
        ``expected``, ``not_within_horizon``, ``moving_away``, ``already_reached``
        or ``no_forecast``.
    period, lower, upper : str or None
        Median first-crossing period and the level% interval of first-crossing
        periods (``upper`` may read "after 2019-20 Q4"); set only when ``expected``.
    share : float
        Share of simulated paths that reach the benchmark within the horizon.
    method : str or None
    n_points : int
    benchmark : str
        What the benchmark is (e.g. "statistical-neighbour average").
    benchmark_value : float
        Its latest value.
    benchmark_note : str
        How the benchmark is projected.
    sentence : str
        The finding in plain English.
    level : float
    last_period : str or None
    """

    case: str
    period: str | None
    lower: str | None
    upper: str | None
    share: float
    method: str | None
    n_points: int
    benchmark: str
    benchmark_value: float
    benchmark_note: str
    sentence: str
    level: float = 80
    last_period: str | None = None


def _latest(benchmark: float | pd.Series) -> tuple[float, Period | None]:
    if isinstance(benchmark, pd.Series):
        b = as_series(benchmark).dropna()
        if b.empty:
            raise ForecastError("the benchmark series has no values; give a number or a series")
        return float(b.iloc[-1]), b.index[-1]
    return float(benchmark), None


def project_benchmark(
    benchmark: float | pd.Series, periods: Sequence[Period], mode: str = "hold", level: float = 80
) -> tuple[np.ndarray, str]:
    """Benchmark values for future ``periods`` and a note on how they were projected.

    ``hold`` keeps the latest value; ``forecast`` forecasts the benchmark series
    with :func:`forecast` at its own frequency and, for each period, takes the
    benchmark period that ends at or after it (falling back to ``hold``, and
    saying so, when the benchmark has too few points).
    """
    value, when = _latest(benchmark)
    held = f"held at its latest value, {value:,.1f}" + (f" in {when.label}" if when else "")
    if mode == "hold" or not isinstance(benchmark, pd.Series):
        if mode != "hold":
            held += " (a single number cannot be forecast)"
        return np.full(len(periods), value), held
    steps = max(
        1, math.ceil((periods[-1].end_date - when.end_date).days / 28 / (12 / when.per_year))
    )
    fc = forecast(benchmark, horizon=steps, level=level)
    if not fc.ok:
        return np.full(len(periods), value), f"{held}, because it cannot be forecast: {fc.note}"
    ends = [
        (parse_period(p).end_date, e)
        for p, e in zip(fc.frame.period, fc.frame.estimate, strict=True)
    ]
    out = [next((e for end, e in ends if end >= p.end_date), ends[-1][1]) for p in periods]
    return np.array(out, dtype=float), f"forecast from its own series ({fc.note})"


def _first_crossings(paths: np.ndarray, bench: np.ndarray, sign: int) -> np.ndarray:
    """Index of each path's first crossing; ``horizon`` when it never crosses."""
    hit = (paths - bench) * sign <= 0
    return np.where(hit.any(axis=1), hit.argmax(axis=1), paths.shape[1]).astype(float)


def forecast_crossing(
    series: pd.Series,
    benchmark: float | pd.Series,
    *,
    better: str,
    horizon: int,
    level: float = 80,
    breaks: Iterable[str | Period] = (),
    benchmark_mode: str = "hold",
    n_paths: int = 2000,
    seed: int = 0,
    benchmark_name: str = "the benchmark",
    method: str | None = None,
    anchor: float | pd.Series | None = None,
    anchor_name: str = "the anchor",
) -> Crossing:
    """Say when the forecast is expected to reach ``benchmark``, with an interval.

    Parameters
    ----------
    series : pandas.Series
        The council's values indexed by periods.
    benchmark : float or pandas.Series
        A target or comparator value, or a series (statistical-neighbour
        average, England) at any frequency.
    better : {"high", "low"}
        The indicator's polarity: reaching means at or above (high) or at or below (low).
    horizon : int
        Periods ahead to look.
    level : float
        Level of the interval of first-crossing periods, in percent.
    breaks : iterable
        Series breaks (see :func:`comparable_window`).
    benchmark_mode : {"hold", "forecast"}
        Hold the benchmark at its latest value or forecast it (see :func:`project_benchmark`).
    n_paths, seed : int
        Number of simulated paths (see :func:`simulate_paths`) and the random seed.
    benchmark_name : str
        How the sentence names the benchmark.
    method : str, optional
        Force a forecast method.
    anchor : float or pandas.Series, optional
        What the council's level regresses toward (England; see :func:`forecast`).
    anchor_name : str
        How notes name the anchor.

    Returns
    -------
    Crossing
    """
    if better not in ("high", "low"):
        raise ForecastError(f"better={better!r}; use 'high' or 'low' (the indicator's polarity)")
    if benchmark_mode not in ("hold", "forecast"):
        raise ForecastError(f"benchmark_mode={benchmark_mode!r}; use 'hold' or 'forecast'")
    fc = forecast(series, horizon=horizon, level=level, breaks=breaks, method=method,
                  anchor=anchor, anchor_name=anchor_name)  # fmt: skip
    value, _ = _latest(benchmark)
    base = dict(
        method=fc.method, n_points=fc.n_points, benchmark=benchmark_name, benchmark_value=value,
        level=level, last_period=fc.last_period.label if fc.last_period else None,
    )  # fmt: skip
    if not fc.ok:
        text = f"No forecast of when {benchmark_name} is reached: {fc.note}."
        return Crossing("no_forecast", None, None, None, math.nan, benchmark_note="",
                        sentence=text, **base)  # fmt: skip
    periods = [parse_period(p) for p in fc.frame.period]
    bench, note = project_benchmark(benchmark, periods, benchmark_mode, level)
    return _classify(fc, bench, note, better, n_paths, seed, base)


def _classify(
    fc: Forecast, bench: np.ndarray, note: str, better: str, n_paths: int, seed: int, base: dict
) -> Crossing:
    sign = 1 if better == "low" else -1
    last_value = float(fc.history.iloc[-1])
    name, last = base["benchmark"], base["last_period"]
    now = float(base["benchmark_value"])
    horizon_end = fc.frame.period.iloc[-1]
    if (last_value - now) * sign <= 0:
        text = (f"The latest figure, {_plain(last_value)} in {last}, is already at or better "
                f"than {name} ({_plain(now)}).")  # fmt: skip
        return Crossing("already_reached", None, None, None, 1.0, benchmark_note=note,
                        sentence=text, **base)  # fmt: skip
    gap_end = (fc.frame.estimate.iloc[-1] - bench[-1]) * sign
    if gap_end >= (last_value - now) * sign:
        text = (f"The forecast ({fc.method}) is flat or moving away from {name}, so it is not "
                f"expected to reach it by {horizon_end}; {name} is {note}.")  # fmt: skip
        return Crossing("moving_away", None, None, None, math.nan, benchmark_note=note,
                        sentence=text, **base)  # fmt: skip
    y, _ = _grid(fc.history)
    per_year = fc.history.index[0].per_year
    paths = simulate_paths(y, fc.method, len(bench), n_paths, seed, fc.anchor, per_year)
    paths = clip_to_bounds(paths, fc.bounds)
    first = _first_crossings(paths, bench, sign)
    share = float(np.mean(first < len(bench)))
    if share < 0.5:
        few = "None" if share < 0.005 else f"Only {share:.0%}"
        text = (f"{few} of the simulated paths of the forecast ({method_words(fc.method)}) "
                f"reach {name} by {horizon_end}, so it is not expected within the horizon; "
                f"{name} is {note}.")  # fmt: skip
        return Crossing("not_within_horizon", None, None, None, share, benchmark_note=note,
                        sentence=text, **base)  # fmt: skip
    return _expected(fc, first, share, note, base)


METHOD_WORDS = {
    "naive": "last value",
    "ses": "smoothed level",
    "ses_anchored": "smoothed level pulled toward England",
    "drift": "average change",
    "linear": "straight-line trend",
    "combined": "combination of last value, smoothed level and damped drift",
    "damped": "damped-trend exponential smoothing",
}
"""How each method is named in sentences a reader sees."""


def _plain(value: float) -> str:
    """Write a number for a sentence: whole numbers without decimals (447, not 447.0)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def method_words(method: str | None) -> str:
    """Name a method in words for a sentence (``ses_anchored`` -> "smoothed level ...")."""
    return METHOD_WORDS.get(method or "", method or "no method")


def _expected(fc: Forecast, first: np.ndarray, share: float, note: str, base: dict) -> Crossing:
    periods = list(fc.frame.period)
    tail = (1 - fc.level / 100) / 2
    q = np.quantile(first, [0.5, tail, 1 - tail], method="inverted_cdf").astype(int)
    labels = [periods[i] if i < len(periods) else f"after {periods[-1]}" for i in q]
    name = base["benchmark"]
    text = (
        f"If the trend continues ({method_words(fc.method)}, {fc.n_points} points), the figure "
        "is expected to "
        f"reach {name} in {labels[0]}, {fc.level:g}% interval {labels[1]} to {labels[2]} "
        f"({share:.0%} of simulated paths reach it by {periods[-1]}); {name} is {note}."
    )
    return Crossing("expected", labels[0], labels[1], labels[2], share, benchmark_note=note,
                    sentence=text, **base)  # fmt: skip


# --- year-end projection -------------------------------------------------------------------


@dataclass(frozen=True)
class YearEnd:
    """A projection of this financial year's outturn from the year to date.

    Attributes
    ----------
    period : str
        The financial year (``2015-16``).
    estimate, lower, upper : float
        Projected year-end and its level% interval (NaN when it cannot be estimated).
    method : str
        ``profile``, ``run_rate``, ``actual`` (year complete), or for a snapshot
        the forecast method; ``none`` when there is no projection.
    measure : str
    elapsed, per_year : int
        Periods reported so far and periods in the year.
    vs_last_year, vs_target : str or None
        ``higher``, ``lower`` or ``within interval`` (None without a comparator).
    last_year_outturn, target : float or None
    level : float
    note, sentence : str
    """

    period: str
    estimate: float
    lower: float
    upper: float
    method: str
    measure: str
    elapsed: int
    per_year: int
    vs_last_year: str | None
    vs_target: str | None
    last_year_outturn: float | None
    target: float | None
    level: float
    note: str
    sentence: str


YEAR_END_MEASURES = ("cumulative_ytd", "flow", "snapshot", "rolling_12m")
_FREQ_NAMES = {"monthly": "month", "quarterly": "quarter", "month": "month", "quarter": "quarter"}


def _in_year(in_year: pd.Series, frequency: str | None) -> pd.Series:
    s = as_series(in_year).dropna()
    if s.empty:
        raise ForecastError("no values to date this year; give at least one period's value")
    freq = _FREQ_NAMES.get(frequency or s.index[0].freq)
    if freq is None or s.index[0].freq != freq:
        raise ForecastError(
            f"frequency {frequency!r} does not match the periods ({s.index[0].label}); "
            "give monthly or quarterly in-year values"
        )
    if len({p.fy for p in s.index}) > 1:
        raise ForecastError("in-year values span more than one financial year; pass one year")
    return s


def _increments(s: pd.Series, measure: str) -> np.ndarray:
    """Per-period amounts: the values of a flow, the step changes of a cumulative series."""
    if measure == "flow":
        return s.to_numpy()
    idx = np.array([p.index for p in s.index])
    vals = s.to_numpy()
    return np.diff(np.concatenate([[0.0], vals])) / np.diff(np.concatenate([[0], idx]))


def _run_rate(s: pd.Series, measure: str, level: float) -> tuple[float, float, float, str]:
    per_year = s.index[0].per_year
    d = _increments(s, measure)
    to_date = float(s.iloc[-1]) if measure == "cumulative_ytd" else float(s.sum())
    counted = s.index[-1].index if measure == "cumulative_ytd" else len(s)
    remaining = per_year - counted
    est = to_date + remaining * float(np.mean(d))
    if remaining == 0:
        return to_date, to_date, to_date, "actual"
    if d.size < 2:
        return est, math.nan, math.nan, "run_rate"
    half = _tq(level, d.size - 1) * np.std(d, ddof=1) * math.sqrt(remaining + remaining**2 / d.size)
    return est, est - half, est + half, "run_rate"


def _year_total(s: pd.Series, measure: str) -> float | None:
    per_year = s.index[0].per_year
    if measure == "cumulative_ytd":
        end = [v for p, v in s.items() if p.index == per_year]
        return end[0] if end else None
    return float(s.sum()) if len(s) == per_year else None


def _shares(earlier: dict, k: int, measure: str, freq: str) -> np.ndarray:
    shares = []
    for series in earlier.values():
        s = as_series(series).dropna()
        if s.empty or s.index[0].freq != freq:
            continue
        total = _year_total(s, measure)
        part = s[[p.index <= k for p in s.index]]
        if not total or part.empty:
            continue
        reached = part.iloc[-1] if measure == "cumulative_ytd" else part.sum()
        if measure == "flow" and len(part) < k:
            continue
        shares.append(reached / total)
    return np.array(shares, dtype=float)


def _profile(s: pd.Series, shares: np.ndarray, measure: str, level: float) -> tuple:
    to_date = float(s.iloc[-1]) if measure == "cumulative_ytd" else float(s.sum())
    m, sd = float(np.mean(shares)), float(np.std(shares, ddof=1))
    half = _tq(level, shares.size - 1) * sd * math.sqrt(1 + 1 / shares.size)
    lo_share, hi_share = m - half, m + half
    upper = to_date / lo_share if lo_share > 0 else math.inf
    return to_date / m, to_date / hi_share, upper, "profile"


def _snapshot(
    s: pd.Series, earlier: dict | None, level: float, anchor: dict
) -> tuple[float, float, float, str, str]:
    parts = [as_series(v) for v in (earlier or {}).values()] + [s]
    history = pd.concat(parts)
    history = history[~history.index.duplicated(keep="last")]
    steps = s.index[0].per_year - s.index[-1].index
    if steps == 0:
        v = float(s.iloc[-1])
        return v, v, v, "actual", "the year-end value is already reported"
    fc = forecast(history, horizon=steps, level=level, **anchor)
    if not fc.ok:
        return math.nan, math.nan, math.nan, "none", fc.note
    row = fc.frame.iloc[-1]
    return float(row.estimate), float(row.lower), float(row.upper), fc.method, fc.note


def _compare(lower: float, upper: float, other: float | None) -> str | None:
    if other is None or math.isnan(lower) or math.isnan(upper):
        return None
    if lower > other:
        return "higher"
    if upper < other:
        return "lower"
    return "within interval"


def project_year_end(
    in_year: pd.Series,
    *,
    measure: str,
    frequency: str | None = None,
    earlier_years: dict | None = None,
    last_year_outturn: float | None = None,
    target: float | None = None,
    level: float = 80,
    anchor: float | pd.Series | None = None,
    anchor_name: str = "the anchor",
) -> YearEnd:
    """Project this financial year's outturn from the periods reported so far.

    Parameters
    ----------
    in_year : pandas.Series
        This year's monthly or quarterly values to date, indexed by periods.
    measure : {"cumulative_ytd", "flow", "snapshot", "rolling_12m"}
        How the indicator accumulates. A cumulative or flow indicator uses the
        in-year ``profile`` of earlier years when at least :data:`MIN_PROFILE_YEARS`
        complete years are given (year-end = to date / mean share of the year-end
        reached by the same point; interval from the spread of those shares),
        otherwise the ``run_rate`` (to date + mean per period x periods left;
        interval from the spread of the per-period amounts). A snapshot or
        rolling-12-month indicator forecasts its level to the year's last period
        with :func:`forecast` (earlier years' values lengthen the history).
    frequency : {"monthly", "quarterly"}, optional
        Checked against the periods; inferred when omitted.
    earlier_years : dict, optional
        Financial year -> that year's in-year series.
    last_year_outturn, target : float, optional
        Comparators for the sentence.
    level : float
        Interval level in percent.
    anchor : float or pandas.Series, optional
        For a level projection (snapshot, rolling 12 months): what the level
        regresses toward (England; see :func:`forecast`). Unused otherwise.
    anchor_name : str
        How the note names the anchor.

    Returns
    -------
    YearEnd
    """
    if measure not in YEAR_END_MEASURES:
        raise ForecastError(f"measure {measure!r}; use one of {', '.join(YEAR_END_MEASURES)}")
    check_arguments(1, level)
    s = _in_year(in_year, frequency)
    last = s.index[-1]
    if measure in ("snapshot", "rolling_12m"):
        pull = {"anchor": anchor, "anchor_name": anchor_name}
        est, lo, hi, method, note = _snapshot(s, earlier_years, level, pull)
    else:
        shares = _shares(earlier_years or {}, last.index, measure, last.freq)
        if shares.size >= MIN_PROFILE_YEARS:
            est, lo, hi, method = _profile(s, shares, measure, level)
            note = f"in-year profile of {shares.size} earlier years"
        else:
            est, lo, hi, method = _run_rate(s, measure, level)
            note = f"run rate from {len(s)} of {last.per_year} periods"
    est, lo, hi = float(est), float(lo), float(hi)
    vs_last, vs_target = _compare(lo, hi, last_year_outturn), _compare(lo, hi, target)
    ye = YearEnd(last.year().label, est, lo, hi, method, measure, last.index, last.per_year,
                 vs_last, vs_target, last_year_outturn, target, level, note, "")  # fmt: skip
    return _with_sentence(ye)


def _with_sentence(ye: YearEnd) -> YearEnd:
    from dataclasses import replace

    return replace(ye, sentence=year_end_sentence(ye))


def year_end_sentence(
    ye: YearEnd, fmt: Callable[[float], str] = "{:,.1f}".format, note: str | None = None
) -> str:
    """Say a year-end projection in words, numbers written by ``fmt`` (e.g. ``64.2%``).

    ``note`` replaces the projection's own note (e.g. with the method named in words).
    """
    note = ye.note if note is None else note
    if math.isnan(ye.estimate):
        return f"No year-end projection for {ye.period}: {note}."
    interval = (
        f"{ye.level:g}% interval {fmt(ye.lower)} to {fmt(ye.upper)}"
        if not math.isnan(ye.lower)
        else "no interval: one period is too few to measure variability"
    )
    parts = [f"Projected {ye.period} year-end: {fmt(ye.estimate)} ({interval}; {note})."]
    words = {"higher": "likely higher than", "lower": "likely lower than"}
    if ye.vs_last_year:
        verb = words.get(ye.vs_last_year, "not clearly different from")
        parts.append(f"That is {verb} last year's {fmt(ye.last_year_outturn)}.")
    if ye.vs_target == "within interval":
        parts.append(f"The target of {fmt(ye.target)} lies within the interval.")
    elif ye.vs_target:
        where = "above" if ye.vs_target == "higher" else "below"
        parts.append(f"It is likely to finish {where} the target of {fmt(ye.target)}.")
    return " ".join(parts)


# --- the forecasts table -------------------------------------------------------------------


def _rows(indicator_id: str, item: Forecast | Crossing | YearEnd) -> list[dict]:
    if isinstance(item, Forecast):
        return [
            dict(
                indicator_id=indicator_id,
                period=r.period,
                kind="forecast",
                benchmark="",
                estimate=r.estimate,
                lower=r.lower,
                upper=r.upper,
                method=item.method or "",
                n_points=item.n_points,
                note=item.note,
            )  # fmt: skip
            for r in item.frame.itertuples()
        ]
    if isinstance(item, Crossing):
        return [dict(indicator_id=indicator_id, period=item.last_period or "", kind="crossing",
                     benchmark=item.benchmark, estimate=item.period, lower=item.lower,
                     upper=item.upper, method=item.method or "", n_points=item.n_points,
                     note=item.sentence)]  # fmt: skip
    if isinstance(item, YearEnd):
        bench = "; ".join(
            f"{name} {v:g}"
            for name, v in (("last year", item.last_year_outturn), ("target", item.target))
            if v is not None
        )
        return [dict(indicator_id=indicator_id, period=item.period, kind="year_end",
                     benchmark=bench, estimate=item.estimate, lower=item.lower, upper=item.upper,
                     method=item.method, n_points=item.elapsed, note=item.sentence)]  # fmt: skip
    raise ForecastError(
        f"cannot tabulate a {type(item).__name__}; pass Forecast, Crossing or YearEnd"
    )


def forecasts_frame(items: Iterable[tuple[str, Forecast | Crossing | YearEnd]]) -> pd.DataFrame:
    """Tabulate forecasts, crossings and year-end projections for ``forecasts.csv``.

    Parameters
    ----------
    items : iterable of (indicator_id, Forecast | Crossing | YearEnd)

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`FORECAST_COLUMNS`. ``kind`` is ``forecast`` (one row per
        future period), ``crossing`` (``period`` is the last observed period;
        ``estimate``/``lower``/``upper`` are period labels) or ``year_end``.
    """
    rows = [row for ind, item in items for row in _rows(ind, item)]
    return pd.DataFrame(rows, columns=FORECAST_COLUMNS).astype({"n_points": "int64"})


# --- tables in and out (used by ``outturn forecast``) --------------------------------------

PER_VALUE_COLUMNS = ("status", "value_note", "note", "count", "source", "vintage")
"""Columns describing one value rather than the series; never used as series keys."""


def _parse_value(text: str, status: str, path: Path, line: int) -> float:
    raw = text.strip()
    if raw.lower() in MARKERS or status.strip().lower() in MARKERS - {""}:
        return math.nan
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        raise DataError(
            f"{path}, row {line}, column value: {raw!r} is not a number; write a number, "
            "leave it empty, or use a marker (c, x, z, u, k, low, -) for a withheld value"
        ) from None


def _parse_periods(periods: pd.Series, path: Path) -> list[Period]:
    out = []
    for i, label in enumerate(periods):
        try:
            out.append(parse_period(label))
        except PeriodError as exc:
            raise DataError(f"{path}, row {i + 2}, column period: {exc}") from None
    return out


def read_series_table(path: str | Path) -> pd.DataFrame:
    """Read a long table of series (``area_code, indicator, period, value`` and any keys).

    Rows are numbered as in a spreadsheet (the header is row 1). ``indicator_id``
    (as in ``data/values``) may stand for ``indicator`` and keeps its name.
    Empty values and markers are gaps.

    Returns
    -------
    pandas.DataFrame
        The input columns, ``value`` as float and ``_period`` holding :class:`Period`.

    Raises
    ------
    DataError
        When the file is missing or unreadable, a column is missing, or a period
        or value cannot be read (the message names the row).
    """
    from analysis.inputs import read_csv_text

    table = read_csv_text(Path(path))
    table.columns = [c.strip() for c in table.columns]
    indicator = "indicator_id" if "indicator_id" in table.columns else "indicator"
    missing = [c for c in ("area_code", indicator, "period", "value") if c not in table]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)}; the header needs "
            "area_code, indicator, period, value"
        )
    table["_period"] = _parse_periods(table["period"], path)
    status = table["status"] if "status" in table else pd.Series("", index=table.index)
    table["value"] = [
        _parse_value(v, st, path, i + 2)
        for i, (v, st) in enumerate(zip(table["value"], status, strict=True))
    ]
    return table


def series_keys(table: pd.DataFrame) -> list[str]:
    """List the columns that identify a series: all but period, value and per-value columns."""
    skip = {"period", "value", "_period", *PER_VALUE_COLUMNS}
    return [c for c in table.columns if c not in skip]


def forecast_table(
    table: pd.DataFrame,
    *,
    horizon: int,
    level: float = 80,
    on_series: object = None,
) -> pd.DataFrame:
    """Forecast every series in a table read by :func:`read_series_table`.

    A series with too little data gives one row with empty estimates and the
    reason in ``note``. Output periods are written in the series' own style.

    Parameters
    ----------
    table : pandas.DataFrame
    horizon : int
    level : float
    on_series : callable, optional
        Called with no arguments after each series (for a progress bar).

    Returns
    -------
    pandas.DataFrame
        Key columns, ``period, estimate, lower, upper, method, note``.
    """
    check_arguments(horizon, level)
    keys = series_keys(table)
    frames = []
    for key, group in table.groupby(keys, sort=False, dropna=False):
        frames.append(_forecast_group(dict(zip(keys, key, strict=True)), group, horizon, level))
        if callable(on_series):
            on_series()
    columns = [*keys, "period", "estimate", "lower", "upper", "method", "note"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _forecast_group(keys: dict, group: pd.DataFrame, horizon: int, level: float) -> pd.DataFrame:
    order = sorted(range(len(group)), key=lambda i: group["_period"].iloc[i].sort_key())
    style = period_style(group["period"].iloc[order[-1]])
    series = pd.Series(group["value"].to_numpy(), index=list(group["_period"]))
    try:
        fc = forecast(series, horizon=horizon, level=level)
    except ForecastError as exc:
        where = ", ".join(f"{k}={v}" for k, v in keys.items())
        raise DataError(f"series {where}: {exc}") from None
    frame = fc.frame.iloc[: 1 if not fc.ok else None].copy()
    frame["period"] = [format_period(parse_period(p), style) for p in frame["period"]]
    frame[["estimate", "lower", "upper"]] = frame[["estimate", "lower", "upper"]].round(4)
    frame["method"] = fc.method or ""
    frame["note"] = fc.note
    return frame.assign(**keys)
