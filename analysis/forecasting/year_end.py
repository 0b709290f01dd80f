"""A projection of this financial year's outturn from the periods reported so far."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ForecastError
from analysis.forecasting.backtest import Forecast, forecast
from analysis.forecasting.methods import check_arguments, clip_to_bounds, t_quantile
from analysis.forecasting.window import as_series

MIN_PROFILE_YEARS = 2
"""Earlier complete years needed before a year-end projection uses the in-year profile."""
YEAR_END_MEASURES = ("cumulative_ytd", "flow", "snapshot", "rolling_12m")
"""How an indicator accumulates over the year (the catalogue's ``measure``)."""
BASES = ("profile", "run_rate", "forecast", "reported")
"""What a projection rests on, in :attr:`YearEnd.basis`."""
_FREQ_NAMES = {"monthly": "month", "quarterly": "quarter", "month": "month", "quarter": "quarter"}


@dataclass(frozen=True)
class YearEnd:
    """A projection of this financial year's outturn: numbers and codes only.

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
        One of :data:`YEAR_END_MEASURES`.
    elapsed, per_year : int
        Periods reported so far (the last one's number in the year) and periods in the year.
    vs_last_year, vs_target : str or None
        ``higher``, ``lower`` or ``within interval`` (None without a comparator).
    last_year_outturn, target : float or None
    level : float
        Interval level in percent.
    basis : str
        One of :data:`BASES`: the in-year ``profile`` of earlier years, the
        ``run_rate`` so far, a level ``forecast``, or the year-end value already
        ``reported``.
    n_in_year : int
        Periods with a value so far this year.
    n_profile_years : int
        Earlier years whose profile was used (0 unless ``basis`` is ``profile``).
    forecast : Forecast or None
        The level forecast behind a ``forecast`` basis (its ``ok`` is False when
        there were too few points).
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
    basis: str
    n_in_year: int = 0
    n_profile_years: int = 0
    forecast: Forecast | None = None


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
    t = t_quantile(level, d.size - 1)
    half = t * np.std(d, ddof=1) * math.sqrt(remaining + remaining**2 / d.size)
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
    half = t_quantile(level, shares.size - 1) * sd * math.sqrt(1 + 1 / shares.size)
    lo_share, hi_share = m - half, m + half
    upper = to_date / lo_share if lo_share > 0 else math.inf
    return to_date / m, to_date / hi_share, upper, "profile"


def _snapshot(s: pd.Series, earlier: dict | None, level: float, anchor: dict) -> tuple:
    """Return estimate, lower, upper, method, basis and the level forecast (or None)."""
    parts = [as_series(v) for v in (earlier or {}).values()] + [s]
    history = pd.concat(parts)
    history = history[~history.index.duplicated(keep="last")]
    steps = s.index[0].per_year - s.index[-1].index
    if steps == 0:
        v = float(s.iloc[-1])
        return v, v, v, "actual", "reported", None
    fc = forecast(history, horizon=steps, level=level, **anchor)
    if not fc.ok:
        return math.nan, math.nan, math.nan, "none", "forecast", fc
    row = fc.frame.iloc[-1]
    return float(row.estimate), float(row.lower), float(row.upper), fc.method, "forecast", fc


def _compare(lower: float, upper: float, other: float | None) -> str | None:
    if other is None or math.isnan(lower) or math.isnan(upper):
        return None
    if lower > other:
        return "higher"
    if upper < other:
        return "lower"
    return "within interval"


def _accumulated(s: pd.Series, earlier: dict | None, measure: str, level: float) -> tuple:
    """Return estimate, lower, upper, method, basis and profile years of a cumulative or flow."""
    last = s.index[-1]
    shares = _shares(earlier or {}, last.index, measure, last.freq)
    if shares.size >= MIN_PROFILE_YEARS:
        return *_profile(s, shares, measure, level), "profile", int(shares.size)
    return *_run_rate(s, measure, level), "run_rate", 0


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
    bounds: tuple[float | None, float | None] | None = None,
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
        with ``forecast`` (earlier years' values lengthen the history).
    frequency : {"monthly", "quarterly"}, optional
        Checked against the periods; inferred when omitted.
    earlier_years : dict, optional
        Financial year -> that year's in-year series.
    last_year_outturn, target : float, optional
        Comparators: the projection says whether it is clearly above or below each.
    level : float
        Interval level in percent.
    anchor : float or pandas.Series, optional
        For a level projection (snapshot, rolling 12 months): what the level
        regresses toward (England; see ``forecast``). Unused otherwise.
    anchor_name : str
        A label for the anchor, kept on the level forecast.
    bounds : (float or None, float or None), optional
        The limits the quantity cannot pass (0-100 for a percentage): the
        projection and its interval are clipped to them.

    Returns
    -------
    YearEnd
    """
    if measure not in YEAR_END_MEASURES:
        raise ForecastError(f"measure {measure!r}; use one of {', '.join(YEAR_END_MEASURES)}")
    check_arguments(1, level)
    s = _in_year(in_year, frequency)
    last = s.index[-1]
    fc, years = None, 0
    if measure in ("snapshot", "rolling_12m"):
        pull = {"anchor": anchor, "anchor_name": anchor_name, "bounds": bounds}
        est, lo, hi, method, basis, fc = _snapshot(s, earlier_years, level, pull)
    else:
        est, lo, hi, method, basis, years = _accumulated(s, earlier_years, measure, level)
    if bounds is not None:
        est, lo, hi = clip_to_bounds(np.array([est, lo, hi], dtype=float), bounds)
    est, lo, hi = float(est), float(lo), float(hi)
    return YearEnd(
        last.year().label, est, lo, hi, method, measure, last.index, last.per_year,
        _compare(lo, hi, last_year_outturn), _compare(lo, hi, target), last_year_outturn,
        target, level, basis, n_in_year=len(s), n_profile_years=years, forecast=fc,
    )  # fmt: skip
