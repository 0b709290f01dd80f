"""When a forecast is expected to reach a benchmark, from simulated paths of its own model.

The forecast's paths (:func:`~analysis.forecasting.methods.simulate_paths`, clipped
to its bounds) are compared with the benchmark, held at its latest value or
forecast from its own series (:func:`project_benchmark`); the first period each
path reaches it gives a distribution of first-crossing periods, summarised by its
median and a level% interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ForecastError
from analysis.forecasting.backtest import Forecast, forecast
from analysis.forecasting.methods import clip_to_bounds, simulate_paths
from analysis.forecasting.window import as_series, grid
from analysis.periods import Period, parse_period

CASES = ("expected", "not_within_horizon", "moving_away", "already_reached", "no_forecast")
"""What a crossing can find, in :attr:`Crossing.case`."""
BENCHMARK_MODES = ("hold", "forecast")
"""How the benchmark is carried forward (:func:`project_benchmark`)."""


@dataclass(frozen=True)
class Crossing:
    """When a forecast is expected to reach a benchmark: numbers and codes only.

    Attributes
    ----------
    case : str
        One of :data:`CASES`.
    period, lower, upper : str or None
        Median first-crossing period and the level% interval of first-crossing
        periods (``upper`` may read "after 2019-20 Q4"); set only when ``expected``.
    share : float
        Share of simulated paths that reach the benchmark within the horizon
        (1 when already reached, NaN when moving away or without a forecast).
    method : str or None
        The forecast's method.
    n_points : int
        Comparable points the forecast used.
    benchmark_name : str
        The caller's label for the benchmark ("the statistical-neighbour average").
    benchmark_value : float
        Its latest value.
    benchmark_period : Period or None
        The period of that value (None when the benchmark is a single number).
    benchmark_mode : str
        ``hold`` or ``forecast``, as asked for.
    benchmark_forecast : Forecast or None
        The benchmark's own forecast in ``forecast`` mode (None for a single number,
        which is held); when it is not ``ok`` the benchmark was held instead.
    level : float
        Interval level in percent.
    last_period : str or None
        The council's last observed period.
    last_value : float
        Its value there (NaN without one).
    horizon_end : str or None
        The last period looked at.
    break_period : Period or None
        The series break the forecast's points start from.
    reason : str or None
        Why there is no forecast (the forecast's own reason) when ``no_forecast``.
    """

    case: str
    period: str | None
    lower: str | None
    upper: str | None
    share: float
    method: str | None
    n_points: int
    benchmark_name: str
    benchmark_value: float
    benchmark_period: Period | None
    benchmark_mode: str
    benchmark_forecast: Forecast | None
    level: float
    last_period: str | None
    last_value: float
    horizon_end: str | None
    break_period: Period | None = None
    reason: str | None = None


def _latest(benchmark: float | pd.Series) -> tuple[float, Period | None]:
    if isinstance(benchmark, pd.Series):
        b = as_series(benchmark).dropna()
        if b.empty:
            raise ForecastError("the benchmark series has no values; give a number or a series")
        return float(b.iloc[-1]), b.index[-1]
    return float(benchmark), None


def project_benchmark(
    benchmark: float | pd.Series, periods: Sequence[Period], mode: str = "hold", level: float = 80
) -> tuple[np.ndarray, Forecast | None]:
    """Benchmark values for future ``periods``, and the benchmark's forecast when one was made.

    ``hold`` keeps the latest value; ``forecast`` forecasts the benchmark series
    with :func:`~analysis.forecasting.backtest.forecast` at its own frequency and,
    for each period, takes the benchmark period that ends at or after it. A single
    number is always held (no forecast, None), and so is a series with too few
    points (its forecast is returned with ``ok`` False).
    """
    value, when = _latest(benchmark)
    held = np.full(len(periods), value)
    if mode == "hold" or not isinstance(benchmark, pd.Series):
        return held, None
    steps = max(
        1, math.ceil((periods[-1].end_date - when.end_date).days / 28 / (12 / when.per_year))
    )
    fc = forecast(benchmark, horizon=steps, level=level)
    if not fc.ok:
        return held, fc
    ends = [
        (parse_period(p).end_date, e)
        for p, e in zip(fc.frame.period, fc.frame.estimate, strict=True)
    ]
    out = [next((e for end, e in ends if end >= p.end_date), ends[-1][1]) for p in periods]
    return np.array(out, dtype=float), fc


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
    bounds: tuple[float | None, float | None] | None = None,
) -> Crossing:
    """Find when the forecast is expected to reach ``benchmark``, with an interval.

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
        Series breaks (see :func:`~analysis.forecasting.window.comparable_window`).
    benchmark_mode : {"hold", "forecast"}
        Hold the benchmark at its latest value or forecast it (see :func:`project_benchmark`).
    n_paths, seed : int
        Number of simulated paths and the random seed.
    benchmark_name : str
        A label for the benchmark, kept on the crossing for its sentence.
    method : str, optional
        Force a forecast method.
    anchor : float or pandas.Series, optional
        What the council's level regresses toward (England; see ``forecast``).
    anchor_name : str
        A label for the anchor.
    bounds : (float or None, float or None), optional
        The limits the quantity cannot pass (0-100 for a percentage); the
        forecast and every simulated path are clipped to them (see ``forecast``).

    Returns
    -------
    Crossing
    """
    if better not in ("high", "low"):
        raise ForecastError(f"better={better!r}; use 'high' or 'low' (the indicator's polarity)")
    if benchmark_mode not in BENCHMARK_MODES:
        raise ForecastError(f"benchmark_mode={benchmark_mode!r}; use 'hold' or 'forecast'")
    fc = forecast(series, horizon=horizon, level=level, breaks=breaks, method=method,
                  anchor=anchor, anchor_name=anchor_name, bounds=bounds)  # fmt: skip
    value, when = _latest(benchmark)
    base = dict(
        method=fc.method, n_points=fc.n_points, benchmark_name=benchmark_name,
        benchmark_value=value, benchmark_period=when, benchmark_mode=benchmark_mode,
        level=level, last_period=fc.last_period.label if fc.last_period else None,
        last_value=float(fc.history.iloc[-1]) if len(fc.history) else math.nan,
        horizon_end=fc.frame.period.iloc[-1] if len(fc.frame) else None,
        break_period=fc.break_period,
    )  # fmt: skip
    if not fc.ok:
        return Crossing("no_forecast", None, None, None, math.nan, benchmark_forecast=None,
                        reason=fc.reason, **base)  # fmt: skip
    periods = [parse_period(p) for p in fc.frame.period]
    bench, projected = project_benchmark(benchmark, periods, benchmark_mode, level)
    return _classify(fc, bench, better, n_paths, seed, dict(base, benchmark_forecast=projected))


def _classify(
    fc: Forecast, bench: np.ndarray, better: str, n_paths: int, seed: int, about: dict
) -> Crossing:
    """Say which case an ``ok`` forecast is in against the projected benchmark ``bench``."""
    sign = 1 if better == "low" else -1
    last_value, now = about["last_value"], about["benchmark_value"]
    if (last_value - now) * sign <= 0:
        return Crossing("already_reached", None, None, None, 1.0, **about)
    if (fc.frame.estimate.iloc[-1] - bench[-1]) * sign >= (last_value - now) * sign:
        return Crossing("moving_away", None, None, None, math.nan, **about)
    y, _ = grid(fc.history)
    per_year = fc.history.index[0].per_year
    paths = simulate_paths(y, fc.method, len(bench), n_paths, seed, fc.anchor, per_year)
    first = _first_crossings(clip_to_bounds(paths, fc.bounds), bench, sign)
    share = float(np.mean(first < len(bench)))
    if share < 0.5:
        return Crossing("not_within_horizon", None, None, None, share, **about)
    periods = list(fc.frame.period)
    tail = (1 - fc.level / 100) / 2
    q = np.quantile(first, [0.5, tail, 1 - tail], method="inverted_cdf").astype(int)
    labels = [periods[i] if i < len(periods) else f"after {periods[-1]}" for i in q]
    return Crossing("expected", *labels, share, **about)
