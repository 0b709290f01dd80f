"""The back-test of each method on the series' own past, the method it selects, the forecast.

Default and selection. The default is ``ses``: annual council indicators are a
slowly moving level plus sampling noise, and the last value over-reacts to the
noise. :func:`select_method` keeps :data:`~analysis.forecasting.methods.DEFAULT_METHOD`
unless another method's back-test MASE is at least :data:`SELECTION_MARGIN` (80%)
lower: with 2-8 origins smaller differences are noise, and trend methods
extrapolate that noise. A clear trend (a near-perfect line) still wins. These
choices were made on DfE series before April 2020 (``benchmarks/bench_forecast.py``,
validation splits): forecasting 2018-2020 from 2013-2017, median MASE 0.976
against naive's 1.009 (the earlier back-test selection among naive/drift/linear/
damped with a 20% margin scored 1.119); on 2021-2023 from 2016-2020, 1.026
against naive's 1.043 (earlier 1.111).

Regression toward England. A council's rate or percentage drifts back toward
the national figure, so given an ``anchor`` (England's series or value) the
default becomes ``ses_anchored``, which closes ``PULL`` (10%) of the gap to
England a year, using England's latest value at or before each forecast origin,
in the back-test as in the forecast. Counts get no anchor: a council's count is
not comparable with England's total. With the anchor (validation splits, all
methods and selection): 2018-2020 from 2013-2017, median MASE 0.973 (was 0.976);
2020 from 2013-2019, 0.786 (was 0.788); and, not tuned on, 2021-2023 from
2016-2020, 0.996 (was 1.026; naive 1.043), 80% intervals holding 80.8%, 82.1%
and 80.2% of outcomes.

Back-test (:func:`backtest`): expanding window, rolling origin. Origins are
the last :data:`BACKTEST_MAX_ORIGINS` points that leave at least
``max(BACKTEST_MIN_TRAIN, METHOD_MIN_POINTS[method])`` points to train on;
from each origin the method forecasts up to ``horizon`` steps ahead and every
held-out outcome inside the series is scored. Errors are scaled (MASE) by the
mean absolute one-step naive change in that origin's training window.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import ForecastError
from analysis.forecasting.methods import (
    ANCHORED_METHOD,
    DEFAULT_METHOD,
    METHOD_MIN_POINTS,
    METHODS,
    MIN_POINTS,
    Bounds,
    check_arguments,
    check_method,
    clip_to_bounds,
    default_bounds,
    fit_array,
)
from analysis.forecasting.window import anchor_on_grid, as_series, comparable_window, grid
from analysis.periods import Period

SELECTION_MARGIN = 0.8
"""Another method replaces the current choice only if its back-test MASE is this much lower."""
BACKTEST_MIN_TRAIN = 3
"""Smallest training window in the back-test."""
BACKTEST_MAX_ORIGINS = 8
"""At most this many forecast origins, the latest ones."""
MIN_HELD = 0.5
"""A method whose 80% intervals held fewer than half of its past outcomes has failed them..."""
MIN_HELD_OUTCOMES = 8
"""... judged on at least this many held-out outcomes (fewer say too little either way)."""
TOO_FEW_POINTS = "too_few_points"
""":attr:`Forecast.reason` when fewer than ``MIN_POINTS`` comparable points are left."""


# --- back-test -----------------------------------------------------------------------------


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
        One of :data:`~analysis.forecasting.methods.METHODS`.
    horizon : int
        Steps ahead forecast from each origin.
    level : float
        Interval level in percent.
    anchor : float or pandas.Series, optional
        For ``ses_anchored``: each origin uses the anchor's latest value at or
        before it (:func:`~analysis.forecasting.window.anchor_on_grid`), plain
        ``ses`` where there is none.

    Returns
    -------
    Backtest
    """
    s = as_series(series).dropna()
    if s.empty:
        return Backtest(method, math.nan, math.nan, 0, 0)
    anchors = anchor_on_grid(anchor, s)
    return _backtest_grid(*grid(s), method, horizon, level, anchors, s.index[0].per_year)


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
        est, lo, hi = fit_array(y[:o], method, horizon, level, anchor, per_year)
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


def failed_backtest(coverage: float, n_outcomes: int) -> bool:
    """Whether a back-test shows the intervals failing: under half of 8+ outcomes inside."""
    return n_outcomes >= MIN_HELD_OUTCOMES and coverage < MIN_HELD


# --- selection -----------------------------------------------------------------------------


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
    """Keep the default method unless another method's back-test MASE is far lower.

    Starting from the default (or the simplest candidate when the default is not
    among them), each candidate in order of simplicity replaces the current
    choice only when its back-test MASE is below ``1 - SELECTION_MARGIN`` times
    the current choice's. If the choice's own intervals failed on the series
    (:func:`failed_backtest`: under half of at least 8 past outcomes inside), the
    candidate with the lowest MASE among those whose intervals held is taken instead.
    With an anchor that has a value at the series' last period, the default is
    ``ses_anchored``; without one, ``ses_anchored`` is not tried.

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


def _select(
    s: pd.Series,
    horizon: int,
    candidates: Sequence[str],
    level: float,
    anchors: np.ndarray | None = None,
) -> Selection:
    n = len(s)
    values = grid(s) if n else (np.array([]), np.array([], dtype=bool))
    skip = ANCHORED_METHOD if anchors is None else None
    per_year = s.index[0].per_year if n else 1
    tried = [
        _backtest_grid(*values, m, horizon, level, anchors, per_year)
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


# --- the forecast --------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """A forecast with its method, interval and measured accuracy: numbers and codes only.

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
        Back-test MASE and interval coverage of ``method`` on this series (NaN without).
    n_outcomes, n_origins : int
        Held-out outcomes behind ``mase`` and ``coverage``, and the origins they came from.
    level : float
        Interval level in percent.
    last_period : Period or None
        The last observed period.
    history : pandas.Series
        The comparable points the forecast was made from.
    bounds : (float or None, float or None)
        The limits estimates and intervals were clipped to (None: no limit).
    anchor : float
        The value ``ses_anchored`` pulled toward (England's latest at the last
        period); NaN when no anchor was used.
    anchor_name : str
        The caller's label for the anchor ("England").
    break_period : Period or None
        The series break the comparable points start from.
    reason : str or None
        Why there is no forecast (:data:`TOO_FEW_POINTS`); None when there is one.
    """

    frame: pd.DataFrame
    method: str | None
    n_points: int
    mase: float = math.nan
    coverage: float = math.nan
    n_outcomes: int = 0
    n_origins: int = 0
    level: float = 80
    last_period: Period | None = None
    history: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    bounds: Bounds = (None, None)
    anchor: float = math.nan
    anchor_name: str = "the anchor"
    break_period: Period | None = None
    reason: str | None = None

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
    bounds: Bounds | None = None,
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
        A label for the anchor ("England"), kept on the forecast for its note.

    Returns
    -------
    Forecast
    """
    check_arguments(horizon, level)
    s, brk = comparable_window(series, breaks)
    n = len(s)
    last = s.index[-1] if n else None
    periods = _future(last, horizon)
    about = dict(level=level, last_period=last, history=s, anchor_name=anchor_name,
                 break_period=brk)  # fmt: skip
    if n < MIN_POINTS:
        nan = np.full(len(periods), math.nan)
        empty = pd.DataFrame({"period": periods, "estimate": nan, "lower": nan, "upper": nan})
        return Forecast(empty, None, n, reason=TOO_FEW_POINTS, **about)
    anchors = _usable(anchor_on_grid(anchor, s))
    chosen = _choose(s, method, horizon, level, anchors)
    pull = anchors[-1] if anchors is not None and chosen.method == ANCHORED_METHOD else math.nan
    limits = default_bounds(s) if bounds is None else tuple(bounds)
    fitted = fit_array(grid(s)[0], chosen.method, horizon, level, pull, s.index[0].per_year)
    est, lower, upper = clip_to_bounds(fitted, limits)
    frame = pd.DataFrame({"period": periods, "estimate": est, "lower": lower, "upper": upper})
    return Forecast(
        frame,
        chosen.method,
        n,
        chosen.mase,
        chosen.coverage,
        chosen.n_outcomes,
        chosen.n_origins,
        bounds=limits,
        anchor=pull,
        **about,
    )


def _choose(
    s: pd.Series, method: str | None, horizon: int, level: float, anchors: np.ndarray | None
) -> Backtest:
    """Back-test the selected or forced method (forced ``ses_anchored``: ``ses`` if no anchor)."""
    if method is None:
        return _select(s, horizon, METHODS, level, anchors).chosen
    check_method(method, len(s))
    if method == ANCHORED_METHOD and anchors is None:
        method = DEFAULT_METHOD
    return _backtest_grid(*grid(s), method, horizon, level, anchors, s.index[0].per_year)
