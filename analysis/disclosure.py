"""Small-number suppression for the published build: counts below a threshold are withheld."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from analysis.catalogue import Indicator
from analysis.validation import ProjectData

WITHHELD = "k"


def small_count_mask(
    values: pd.DataFrame, catalogue: Mapping[str, Indicator], threshold: int = 5
) -> pd.Series:
    """Flag rows whose count (for a count indicator, the value) is 1 to ``threshold - 1``.

    Zero is not withheld: it identifies no one. Rows already withheld by their
    publisher are left as they are.
    """
    units = values["indicator_id"].map(lambda i: getattr(catalogue.get(i), "unit", None))
    count = pd.to_numeric(values["count"], errors="coerce")
    number = count.where(units != "count", pd.to_numeric(values["value"], errors="coerce"))
    small = number.gt(0) & number.lt(threshold)
    return small.fillna(False).astype(bool)


def suppress_small(
    values: pd.DataFrame, catalogue: Mapping[str, Indicator], threshold: int = 5
) -> pd.DataFrame:
    """Withhold small counts and the rate or percentage in the same row.

    Parameters
    ----------
    values : DataFrame
        Tidy values (``indicator_id``, ``value``, ``count``, ``status`` ...; see
        docs/data-model.md).
    catalogue : mapping of str to Indicator
        Tells a count indicator (its ``value`` is the count) from a rate or
        percentage (its ``count`` is the number behind it).
    threshold : int
        Counts from 1 to ``threshold - 1`` are withheld (``report.suppress_below``).

    Returns
    -------
    DataFrame
        A copy in which each withheld row has ``value`` and ``count`` NaN and
        ``status`` ``"k"``; every other row is unchanged.
    """
    out = values.copy()
    mask = small_count_mask(out, catalogue, threshold)
    out.loc[mask, ["value", "count"]] = float("nan")
    out.loc[mask, "status"] = WITHHELD
    return out


def published_data(data: ProjectData) -> ProjectData:
    """Return the project data with small numbers withheld at ``suppress_below``."""
    from analysis.breakdowns import suppress_breakdowns

    threshold = data.council.suppress_below
    values = suppress_small(data.values, data.catalogue, threshold)
    breakdowns = data.breakdowns
    if breakdowns is not None and not breakdowns.empty:
        breakdowns = suppress_breakdowns(breakdowns, threshold)
    return replace(data, values=values, breakdowns=breakdowns)
