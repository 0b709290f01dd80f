"""Signal and foresight per indicator in a pack: SPC variation, forecasts, year-end projections."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import Indicator
from analysis.importing import ENGLAND
from analysis.loading import SN_CODE
from analysis.periods import Period
from analysis.series import SeriesIndex, value_at

HORIZON = {"month": 12, "quarter": 8, "year": 3}
"""How far ahead forecasts and crossings look, per frequency (two years, or three)."""
FAN_HORIZON = {"month": 6, "quarter": 4, "year": 2}
"""How far ahead the fan on a chart reaches."""
LEVEL = 80


def unreliable(fc) -> str:  # noqa: ANN001 - a forecasting.Forecast
    """Say why a forecast should not be drawn (its own back-test missed too often), or ''."""
    from analysis.sentences import unreliable_reason

    return "" if fc is None else unreliable_reason(fc)


def improvement(ind: Indicator) -> str | None:
    """Return the SPC improvement direction from the polarity."""
    return {"high": "increase", "low": "decrease"}.get(ind.better or "")


def analysis_series(index: SeriesIndex, ind: Indicator, area: str, current: Period) -> pd.Series:
    """Return the area's series at the current figure's frequency, up to it, for SPC and forecasts.

    Values at other frequencies are brought in where they mean the same thing
    (a March snapshot is the Q4 value). Leading gaps are dropped; inner gaps
    stay as NaN. Index: :class:`Period`.
    """
    obs = index.observations(ind.id, area)
    if not obs:
        return pd.Series(dtype=float)
    first = min(obs, key=lambda p: p.end_ordinal)
    freq = current.freq
    start = _period_at(first, freq)
    values = {}
    p = start
    while p.end_ordinal <= current.end_ordinal:
        found = value_at(index, ind, area, p)
        if found is None and freq == "quarter" and p.index == 4 and ind.measure != "flow":
            found = obs.get(p.year())
        values[p] = found.value if found is not None else math.nan
        p = p.shift(1)
    s = pd.Series(values, dtype=float)
    valid = s.notna()
    return s[valid.idxmax() :] if valid.any() else s.iloc[0:0]


def _period_at(p: Period, freq: str) -> Period:
    if freq == "year":
        return p.year()
    if freq == "quarter":
        return p.quarter() if p.freq != "year" else Period(p.fy, "quarter", 4)
    return p if p.freq == "month" else p.months()[-1]


@dataclass
class Insight:
    """What the pack says about one indicator beyond the arrows."""

    indicator_id: str
    series: pd.Series
    spc: pd.DataFrame | None
    variation: dict
    fan: object | None  # forecasting.Forecast
    crossing: object | None  # forecasting.Crossing
    year_end: object | None  # forecasting.YearEnd


def spc_for(ind: Indicator, series: pd.Series, target: float | None) -> tuple:
    """XmR frame and its variation summary (rebased at recorded series breaks)."""
    from analysis.spc import variation, xmr

    labels = [p.label for p in series.index]
    rebase = []
    for brk in ind.breaks:
        after = [p for p in series.index if p.start_date >= brk.period.start_date]
        if after and after[0] != series.index[0]:
            rebase.append(after[0].label)
    frame = xmr(
        series.to_numpy(), labels, improvement=improvement(ind), target=target, rebase=rebase
    )
    return frame, variation(frame)


def benchmark_series(
    index: SeriesIndex, ind: Indicator, area: str, until: Period | None = None
) -> pd.Series:
    """Return a comparator's annual series (statistical neighbours, England) up to ``until``."""
    obs = index.observations(ind.id, area)
    years = {
        p: o.value
        for p, o in obs.items()
        if p.freq == "year"
        and not o.missing
        and (until is None or p.end_ordinal <= until.end_ordinal)
    }
    return pd.Series(years, dtype=float).sort_index(key=lambda i: [p.fy for p in i])


LEVEL_MEASURES = ("snapshot", "rolling_12m", "ratio_ytd")
"""Measures whose in-year figure is on the same scale as the year's (a level, not a part-total)."""


def england_anchor(
    index: SeriesIndex, ind: Indicator, current: Period, england: str = ENGLAND
) -> pd.Series | None:
    """Return England's annual series up to ``current``: what a council's rate regresses toward.

    None for a count (a council's count is not comparable with England's total),
    and for a monthly or quarterly figure that is a part of the year's (a month's
    rate of contacts, a year-to-date running total), which England's annual
    figure does not match. A forecast maps each annual value onto the periods
    ending at or after its year-end (:func:`analysis.forecasting.anchor_on_grid`).
    """
    if ind.unit == "count":
        return None
    in_period_share = ind.measure == "flow" and ind.unit in ("percent", "score")
    if current.freq != "year" and ind.measure not in LEVEL_MEASURES and not in_period_share:
        return None
    bench = benchmark_series(index, ind, england, until=current)
    return bench if len(bench) else None


def crossing_for(
    index: SeriesIndex,
    ind: Indicator,
    series: pd.Series,
    freq: str,
    anchor: pd.Series | None = None,
):
    """When the council's trend (pulled toward ``anchor``) reaches the neighbours' average."""
    from analysis.forecasting import forecast_crossing

    bench = benchmark_series(index, ind, SN_CODE, until=series.index[-1] if len(series) else None)
    if ind.better is None or bench.empty or series.dropna().empty:
        return None
    latest_p = bench.index[-1]
    return forecast_crossing(
        series.dropna(),
        float(bench.iloc[-1]),
        better=ind.better,
        horizon=HORIZON[freq],
        level=LEVEL,
        breaks=[b.period for b in ind.breaks],
        benchmark_mode="hold",
        benchmark_name=f"the statistical-neighbour average "
        f"({bench.iloc[-1]:,.1f} in {latest_p.label})",
        anchor=anchor,
        anchor_name="England",
    )


MIN_IN_YEAR_POINTS = 2
"""A year-end projection needs at least this many figures from the year so far."""


def projection_measure(ind: Indicator) -> str | None:
    """How the year-end is projected for ``ind``, or None when it has no year-end outturn.

    Counts and rates of a flow add up over the year; a year-to-date count carries
    on from where it is; a snapshot, a rolling total and a year-to-date ratio (the
    share of assessments in time so far this year) are projected as a level. An
    in-period percentage (this month's share) has no year-end outturn of its own.
    """
    if ind.measure == "flow" and ind.unit in ("percent", "score"):
        return None
    return {"ratio_ytd": "snapshot"}.get(ind.measure, ind.measure)


def year_end_for(
    index: SeriesIndex,
    ind: Indicator,
    area: str,
    series: pd.Series,
    current: Period,
    target: float | None,
    anchor: pd.Series | None = None,
):
    """Projected outturn for the current financial year (a level pulled toward ``anchor``)."""
    from analysis.forecasting import project_year_end

    measure = projection_measure(ind)
    if current.freq == "year" or ind.frequency == "annual" or measure is None:
        return None
    s = series.dropna()
    in_year = s[[p.fy == current.fy for p in s.index]]
    if len(in_year) < MIN_IN_YEAR_POINTS:
        return None
    earlier = {}
    for fy in sorted({p.fy for p in s.index if p.fy < current.fy}):
        part = s[[p.fy == fy for p in s.index]]
        if len(part) == current.per_year:
            earlier[fy] = part
    last = value_at(index, ind, area, Period(current.fy - 1, "year"))
    if target is not None and measure == "flow":
        target = target * current.per_year  # a flow's target is set per period
    try:
        return project_year_end(
            in_year,
            measure=measure,
            frequency=ind.frequency if ind.frequency != "annual" else None,
            earlier_years=earlier or None,
            last_year_outturn=None if last is None or last.missing else last.value,
            target=target,
            level=LEVEL,
            anchor=anchor,
            anchor_name="England",
        )
    except Exception:  # noqa: BLE001 - a projection that cannot be made is simply absent
        return None


def insight_for(
    index: SeriesIndex,
    ind: Indicator,
    area: str,
    current: Period,
    target: float | None,
    england: str | None = None,
) -> Insight:
    """SPC, forecast fan, crossing and year-end projection for one indicator.

    Level forecasts of rates and percentages are pulled toward England's value
    (``england``: its area code, E92000001 by default; see :func:`england_anchor`).
    """
    from analysis.forecasting import forecast

    anchor = england_anchor(index, ind, current, england or ENGLAND)
    series = analysis_series(index, ind, area, current)
    spc_frame, var = (
        spc_for(ind, series, target) if len(series) else (None, {"signal": "too_short", "rule": ""})
    )
    observed = series.dropna()
    fan = (
        forecast(
            observed,
            horizon=FAN_HORIZON[current.freq],
            level=LEVEL,
            breaks=[b.period for b in ind.breaks],
            anchor=anchor,
            anchor_name="England",
        )
        if len(observed)
        else None
    )
    return Insight(
        ind.id,
        series,
        spc_frame,
        var,
        fan,
        crossing_for(index, ind, series, current.freq, anchor),
        year_end_for(index, ind, area, series, current, target, anchor),
    )
