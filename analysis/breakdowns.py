"""Breakdowns as the papers print them (children looked after by age, results by school).

``data/breakdowns.csv`` holds one row per indicator x area x period x breakdown x
category. An exception section shows its indicator's breakdowns for the quarter:
for an annual indicator every year of its history table, otherwise the periods
within the quarter. A breakdown of a count is totalled and its total set against
the headline figure of the same period, which it should equal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.catalogue import Indicator
from analysis.periods import Period, parse_period
from analysis.series import Observation, SeriesIndex, value_at

TOTAL = "Total"
"""The label of the total row of a breakdown of a count."""


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of one indicator (``age``, ``school``) over the periods shown.

    ``values`` has one row per category (in the order of ``breakdowns.csv``) and
    one column per period label; a cell is NaN where the paper left it empty or
    a small count is withheld. ``withheld`` holds the (category, period) pairs
    withheld in a published build. ``headline`` is the indicator's own figure
    for each period, on the breakdown's scale (the number of children, for a
    count), or None where there is none.
    """

    indicator: Indicator
    name: str
    unit: str
    periods: tuple[Period, ...]
    values: pd.DataFrame = field(repr=False)
    sources: tuple[str, ...] = ()
    headline: dict[str, float | None] = field(default_factory=dict)
    withheld: frozenset[tuple[str, str]] = frozenset()

    @property
    def additive(self) -> bool:
        """True when the categories add up to the headline figure (a breakdown of a count)."""
        return self.unit == "count"

    def total(self, period: Period) -> float | None:
        """Return the categories' sum for a period, or None (not a count, or a cell withheld)."""
        if not self.additive:
            return None
        column = self.values[period.label]
        withheld = any(p == period.label for _, p in self.withheld)
        if withheld or column.dropna().empty:
            return None
        return float(column.sum())

    def difference(self, period: Period) -> float | None:
        """Return total minus headline for a period (0 when they agree), or None if unknown."""
        total, headline = self.total(period), self.headline.get(period.label)
        if total is None or headline is None:
            return None
        return total - headline


def headline_number(obs: Observation | None, ind: Indicator) -> float | None:
    """Return the figure a count breakdown adds up to: the count (or a count indicator's value)."""
    if obs is None:
        return None
    number = obs.value if ind.unit == "count" else obs.count
    return None if number is None or math.isnan(number) else float(number)


def shown_periods(
    ind: Indicator, quarter: Period, history: Sequence[Period], found: Sequence[Period]
) -> list[Period]:
    """Return the breakdown periods an exception section shows, oldest first.

    An annual indicator shows every breakdown year its history table shows; any
    other shows the breakdowns of periods within the quarter.
    """
    if ind.frequency == "annual":
        keep = [p for p in found if p in set(history)]
    else:
        keep = [p for p in found if quarter.contains(p)]
    return sorted(set(keep), key=lambda p: (p.end_ordinal, p.freq))


def _wide(rows: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Categories as rows (first-seen order), one column per period label."""
    order = list(dict.fromkeys(rows["category"]))
    wide = rows.pivot_table(index="category", columns="period", values="value", aggfunc="first")
    wide = wide.reindex(index=order, columns=[p.label for p in periods])
    wide.index.name = "category"
    wide.columns.name = None
    return wide.astype(float)


def build_breakdowns(
    frame: pd.DataFrame,
    ind: Indicator,
    quarter: Period,
    history: Sequence[Period],
    index: SeriesIndex,
    area: str,
) -> tuple[Breakdown, ...]:
    """Build the indicator's breakdowns for the quarter from ``breakdowns.csv``'s rows.

    Parameters
    ----------
    frame : DataFrame
        The project's breakdowns (every indicator; ``status`` ``k`` marks a
        count withheld in a published build).
    ind : Indicator
        The indicator whose breakdowns are wanted.
    quarter : Period
        The quarter reported.
    history : sequence of Period
        The periods of the indicator's history table (which years an annual
        indicator shows).
    index, area : SeriesIndex, str
        The values and the council's code: the headline figure of each period.
    """
    if frame is None or frame.empty:
        return ()
    rows = frame[frame["indicator_id"] == ind.id]
    if rows.empty:
        return ()
    out = []
    for name, part in rows.groupby("breakdown", sort=False):
        found = [parse_period(p) for p in part["period"].unique()]
        periods = shown_periods(ind, quarter, history, found)
        if not periods:
            continue
        part = part[part["period"].isin([p.label for p in periods])]
        status = part["status"] if "status" in part else pd.Series("", index=part.index)
        withheld = frozenset(
            (c, p) for c, p, s in zip(part["category"], part["period"], status, strict=True) if s
        )
        unit = str(part["unit"].iloc[0] or "count")
        out.append(
            Breakdown(
                indicator=ind,
                name=str(name),
                unit=unit,
                periods=tuple(periods),
                values=_wide(part, periods),
                sources=tuple(dict.fromkeys(s for s in part["source"] if s)),
                headline={
                    p.label: headline_number(value_at(index, ind, area, p), ind) for p in periods
                },
                withheld=withheld,
            )
        )
    return tuple(out)


def suppress_breakdowns(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Withhold breakdown counts from 1 to ``threshold - 1`` (the published build).

    A withheld cell has no value and ``status`` ``k``; zero identifies no one
    and is kept.
    """
    out = frame.copy()
    if "status" not in out:
        out["status"] = ""
    small = out["unit"].eq("count") & out["value"].gt(0) & out["value"].lt(threshold)
    out.loc[small, "value"] = math.nan
    out.loc[small, "status"] = "k"
    return out
