"""Whether an indicator's latest figure is as recent as its frequency allows for the quarter.

A figure is **stale** when it ends more months before the quarter's end than
the indicator's frequency allows:

- monthly: one month (the quarter's last month, or the month before it, while
  that month's figure is being prepared);
- quarterly: three months (the quarter itself, or the one before it);
- annual: eighteen months (last year's figure from the autumn, when national
  releases come out; until then the year before: at Q1 and Q2 2017-18 the
  2015-16 figure is still the latest one published).

An indicator whose ``next_due`` (in the catalogue) is a date after the
quarter's end is not stale: its next figure is not due yet. An indicator with
no figure at all is not stale (it has nothing to be late with); the overview
lists it with the indicators that have no figure this quarter.
"""

from __future__ import annotations

import datetime as dt
import math

from analysis.catalogue import Indicator
from analysis.periods import Period
from analysis.series import SeriesIndex

ALLOWED_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 18}
"""How many months before the quarter's end an indicator's latest figure may end."""


def months_behind(latest: Period, quarter: Period) -> int:
    """Months from the end of ``latest`` to the end of ``quarter`` (0 when it reaches it)."""
    return max(quarter.end_ordinal - latest.end_ordinal, 0)


def _due_later(ind: Indicator, quarter: Period) -> bool:
    try:
        due = dt.date.fromisoformat(ind.next_due[:10]) if ind.next_due else None
    except ValueError:
        return False  # a release rule in words: no date to judge by
    return due is not None and due > quarter.end_date


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _months(n: int) -> str:
    return f"{n} month{'s' if n != 1 else ''}"


def stale_reason(ind: Indicator, latest: Period | None, quarter: Period) -> str:
    """Say why the latest figure is stale for ``quarter`` ('' when it is recent enough)."""
    if latest is None or _due_later(ind, quarter):
        return ""
    behind = months_behind(latest, quarter)
    allowed = ALLOWED_MONTHS[ind.frequency]
    if behind <= allowed:
        return ""
    return (
        f"latest figure {latest.label} is {_months(behind)} behind {quarter.label}; "
        f"{_article(ind.frequency)} {ind.frequency} figure should be at most "
        f"{_months(allowed)} behind"
    )


def latest_period(index: SeriesIndex, ind: Indicator, area: str, quarter: Period) -> Period | None:
    """Return the latest period up to ``quarter``'s end with a figure for the area, or None."""
    found = [
        p
        for p, o in index.observations(ind.id, area).items()
        if p.end_ordinal <= quarter.end_ordinal and not (o.missing and math.isnan(o.count))
    ]
    return max(found, key=lambda p: (p.end_ordinal, p.freq == "month")) if found else None
