"""The points a forecast is made from: comparable since the latest break, on a regular grid.

A series is a ``pandas.Series`` of floats indexed by :class:`~analysis.periods.Period`
(labels are parsed). Missing values are gaps, never zeros. Only the points since
the latest series break are used (:func:`comparable_window`); internal gaps are
interpolated for fitting (:func:`grid`) but never scored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.errors import ForecastError
from analysis.periods import Period, parse_period


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


def grid(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return values on a regular grid (internal gaps interpolated) and a mask of observed points.

    Parameters
    ----------
    s : pandas.Series
        Non-missing values indexed by periods, oldest first (see :func:`comparable_window`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        One value per period from the first to the last, and True where it was observed.
    """
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
    periods = [s.index[0].shift(i).end_date for i in range(size)]
    pos = np.searchsorted(ends, np.array(periods, dtype="datetime64[D]"), side="right") - 1
    values = np.concatenate([[math.nan], a.to_numpy()])
    return values[pos + 1]


def _steps(start: Period, end: Period) -> int:
    per = start.per_year
    return (end.fy * per + end.index) - (start.fy * per + start.index)
