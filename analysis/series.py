"""Look values up by indicator, area and period, reconciling months, quarters and years."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.catalogue import Indicator
from analysis.periods import Period, parse_period

_LEVEL_MEASURES = ("snapshot", "rolling_12m", "cumulative_ytd", "ratio_ytd")
"""Measures whose value at a period's end is the value for the whole period."""


@lru_cache(maxsize=4096)
def period_of(label: str) -> Period:
    """Parse a canonical label (cached: the same few hundred labels recur)."""
    return parse_period(label)


@dataclass(frozen=True)
class Observation:
    """One value as found: the period it belongs to, the figure, its count and status."""

    period: Period
    value: float
    count: float = float("nan")
    status: str = ""
    n: float = float("nan")  # a group average: how many of the group had a figure ...
    of: float = float("nan")  # ... out of how many councils in the group that year
    derived: str = ""  # how a figure was made from finer periods ("mean of 4 quarters")

    @property
    def missing(self) -> bool:
        """True when there is no usable number (empty or withheld)."""
        return bool(np.isnan(self.value))


class SeriesIndex:
    """Fast lookup of one vintage of values by (indicator, area, period)."""

    def __init__(self, values: pd.DataFrame):
        self._obs: dict[tuple[str, str], dict[Period, Observation]] = {}
        frame = values.assign(
            n=values["n"] if "n" in values else np.nan,
            of=values["of"] if "of" in values else np.nan,
        )
        cols = ["indicator_id", "area_code", "period", "value", "count", "status", "n", "of"]
        for ind, area, label, value, count, status, n, of in frame[cols].itertuples(index=False):
            p = period_of(label)
            self._obs.setdefault((ind, area), {})[p] = Observation(
                p, float(value), float(count), str(status or ""), float(n), float(of)
            )

    def observations(self, indicator_id: str, area: str) -> dict[Period, Observation]:
        """Every observation of one indicator in one area, keyed by period."""
        return self._obs.get((indicator_id, area), {})

    def areas(self, indicator_id: str) -> list[str]:
        """Areas with any value for the indicator."""
        return sorted(a for (i, a) in self._obs if i == indicator_id)


def value_at(
    index: SeriesIndex, indicator: Indicator, area: str, period: Period
) -> Observation | None:
    """Return the value for ``period``, recorded for it or derived from finer periods.

    A figure published for the period itself always comes first. Otherwise a
    quarter or year of a snapshot, rolling or year-to-date measure takes the
    value at its last month (or quarter); a flow of a count or a rate per
    10,000 adds up its parts when all are present; a percentage or score of the
    period's own cases is never added up: it is the count-weighted mean of its
    parts where every part has its count, else their plain mean (see
    :func:`combine_parts`). ``Observation.derived`` says how. Returns ``None``
    when nothing fits.
    """
    obs = index.observations(indicator.id, area)
    if period in obs:
        return obs[period]
    if period.freq == "month":
        return None
    parts = (
        period.months()
        if period.freq == "quarter"
        else [Period(period.fy, "quarter", q) for q in range(1, 5)]
    )
    if indicator.measure in _LEVEL_MEASURES:
        last = parts[-1]
        found = obs.get(last) or (
            value_at(index, indicator, area, last) if last.freq == "quarter" else None
        )
        return Observation(period, found.value, found.count, found.status) if found else None
    found = [obs.get(p) or value_at(index, indicator, area, p) for p in parts]
    if period.freq == "year" and not all(found):
        found = [obs.get(m) for m in period.months()]
    if not found or not all(found):
        return None
    return combine_parts(period, found, indicator.unit)


NON_ADDITIVE_UNITS = ("percent", "score")
"""Units whose figures for parts of a period are never added up (a share, a score)."""


def combine_parts(period: Period, parts: list[Observation], unit: str) -> Observation:
    """Return a period's figure from all its parts: their sum, or for a share their weighted mean.

    A count or a rate per 10,000 of a flow adds up (each part is a number, or a
    number per the same population). A percentage of the period's own cases is
    the parts' count-weighted mean (their numbers over their cases) where every
    part has its number, else their plain mean.
    """
    kind = {"month": "months", "quarter": "quarters"}[parts[0].period.freq]
    count = sum(f.count for f in parts)
    if unit not in NON_ADDITIVE_UNITS:
        return Observation(
            period, sum(f.value for f in parts), count, "", derived=f"sum of {len(parts)} {kind}"
        )
    values = np.array([f.value for f in parts])
    counts = np.array([f.count for f in parts])
    weighted = unit == "percent" and not np.isnan(counts).any() and (values > 0).all()
    if weighted:
        cases = counts * 100 / values
        return Observation(period, float(counts.sum() / cases.sum() * 100), count, "",
                           derived=f"count-weighted mean of {len(parts)} {kind}")  # fmt: skip
    how = f"mean of {len(parts)} {kind}" + ("" if unit == "score" else " (no counts published)")
    return Observation(period, float(values.mean()), float("nan"), "", derived=how)


def latest_on_or_before(
    index: SeriesIndex, indicator_id: str, area: str, period: Period
) -> Observation | None:
    """Find the latest observation ending on or before ``period`` ends (shortest span on a tie)."""
    obs = index.observations(indicator_id, area)
    usable = [o for p, o in obs.items() if p.end_ordinal <= period.end_ordinal and not o.missing]
    return max(usable, key=lambda o: (o.period.end_ordinal, o.period.per_year)) if usable else None


def current_observation(
    index: SeriesIndex, indicator: Indicator, area: str, quarter: Period
) -> Observation | None:
    """Return the figure to report for ``quarter``.

    Monthly and quarterly indicators: the latest value within the quarter (the
    quarter itself, or its latest month). Annual indicators: the latest year
    whose financial year has started by the quarter, at most a year old.
    """
    obs = index.observations(indicator.id, area)
    if indicator.frequency == "annual":
        years = [
            o
            for p, o in obs.items()
            if p.freq == "year" and quarter.fy - 1 <= p.fy <= quarter.fy and not o.missing
        ]
        return max(years, key=lambda o: o.period.fy) if years else None
    inside = [o for p, o in obs.items() if p.freq != "year" and quarter.contains(p)]
    if not inside and quarter.index == 4 and indicator.measure in _LEVEL_MEASURES:
        year_end = obs.get(quarter.year())  # a March snapshot is the year-end outturn
        return (
            Observation(year_end.period, year_end.value, year_end.count, year_end.status)
            if year_end
            else None
        )
    if not inside:
        return None
    return max(inside, key=lambda o: (o.period.end_ordinal, o.period.freq == "month"))


def history(
    index: SeriesIndex, indicator: Indicator, area: str, until: Period | None = None
) -> pd.DataFrame:
    """Return an area's series for charts: one point per period end, finest period kept.

    Flow measures keep only their own frequency (a year's total is not on the
    same scale as a month's). Columns: period, date, value, count, status, freq.
    """
    rows = []
    for p, o in index.observations(indicator.id, area).items():
        if until is not None and p.end_ordinal > until.end_ordinal:
            continue
        if indicator.measure == "flow" and p.freq != indicator.period_freq:
            continue
        rows.append(
            (
                p.label,
                pd.Timestamp(p.end_date),
                o.value,
                o.count,
                o.status,
                p.freq,
                p.end_ordinal,
                p.per_year,
            )
        )
    cols = ["period", "date", "value", "count", "status", "freq", "_end", "_per"]
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.sort_values(["_end", "_per"]).drop_duplicates("_end", keep="last")
    return frame.drop(columns=["_end", "_per"]).reset_index(drop=True)
