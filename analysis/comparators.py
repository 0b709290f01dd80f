"""Comparator groups' averages: the DfE neighbours, CIPFA nearest neighbours or any named group."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.config import NEIGHBOURS_GROUP, ComparatorGroup
from analysis.errors import ConfigError
from analysis.series import period_of

AVERAGE_COLUMNS = ["indicator_id", "period", "group", "value", "n", "of", "enough", "method"]
"""Columns of :func:`group_average`."""


def group_members(
    group: ComparatorGroup, periods: pd.Series, exclude: str | None = None
) -> pd.DataFrame:
    """One row per (period, member council): the group's list in force for each period's year.

    Parameters
    ----------
    group : ComparatorGroup
        The group; its ``models`` (the DfE neighbours) choose a list per year.
    periods : pandas.Series
        Period labels (canonical, as in ``values``).
    exclude : str, optional
        A GSS code never counted as a member (the council itself, where a
        published list includes it).

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``area_code`` and ``of`` (members that period).
    """
    rows = []
    for label in pd.Series(periods).drop_duplicates():
        codes = [c for c in group.codes_for(period_of(str(label)).fy) if c != exclude]
        rows += [(label, code, len(codes)) for code in dict.fromkeys(codes)]
    return pd.DataFrame(rows, columns=["period", "area_code", "of"])


def group_average(
    values: pd.DataFrame,
    group: ComparatorGroup,
    indicator_ids: list[str] | None = None,
    exclude: str | None = None,
) -> pd.DataFrame:
    """Average of a comparator group per indicator and period, and how many had a figure.

    Parameters
    ----------
    values : pandas.DataFrame
        One vintage of values (``indicator_id``, ``area_code``, ``period``,
        ``value``), as :func:`analysis.loading.select_vintage` returns them.
    group : ComparatorGroup
        The group, with its ``average`` (``mean`` or ``median``). The DfE
        neighbours use the model in force for each period's financial year.
    indicator_ids : list of str, optional
        Only these indicators (default: every indicator in ``values``).
    exclude : str, optional
        The council's own GSS code, never counted as its own comparator.

    Returns
    -------
    pandas.DataFrame
        ``AVERAGE_COLUMNS``: ``value`` the group's mean or median of the
        members with a figure, ``n`` how many had one, ``of`` the group's size
        that year, ``enough`` whether at least half had a figure (below half
        the comparison should be shown but not judged), ``method`` the
        average used. A period where no member has a figure has no row.

    Raises
    ------
    ConfigError
        When the group's average is neither mean nor median.
    """
    if group.average not in ("mean", "median"):
        raise ConfigError(f"comparator group {group.id!r}: average {group.average!r} is not "
                          "known. Fix: use mean or median")  # fmt: skip
    frame = values if indicator_ids is None else values[values["indicator_id"].isin(indicator_ids)]
    frame = frame[frame["value"].notna()]
    if frame.empty:
        return pd.DataFrame(columns=AVERAGE_COLUMNS)
    members = group_members(group, frame["period"], exclude)
    joined = frame[["indicator_id", "area_code", "period", "value"]].merge(
        members, on=["period", "area_code"]
    )
    grouped = joined.groupby(["indicator_id", "period", "of"])["value"]
    out = grouped.agg(value=group.average, n="count").reset_index()
    out["group"], out["method"] = group.id, group.average
    out["enough"] = out["n"] * 2 >= out["of"]
    return out[AVERAGE_COLUMNS].reset_index(drop=True)


def indicator_averages(
    values: pd.DataFrame,
    comparators: Mapping[str, str],
    groups: Mapping[str, ComparatorGroup],
    exclude: str | None = None,
) -> pd.DataFrame:
    """Each indicator's average with its own comparator group, all indicators in one table.

    Parameters
    ----------
    values : pandas.DataFrame
        One vintage of values.
    comparators : Mapping
        Indicator id -> group id (the catalogue's ``comparator``); indicators
        not listed use ``neighbours``.
    groups : Mapping
        Group id -> :class:`ComparatorGroup` (``CouncilConfig.comparators``).
    exclude : str, optional
        The council's own GSS code.

    Returns
    -------
    pandas.DataFrame
        ``AVERAGE_COLUMNS``, one row per indicator and period.
    """
    chosen = values["indicator_id"].map(dict(comparators)).fillna(NEIGHBOURS_GROUP)
    parts = [
        group_average(values[chosen == group_id], groups[group_id], exclude=exclude)
        for group_id in chosen.drop_duplicates()
        if group_id in groups
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=AVERAGE_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def comparator_index(
    values: pd.DataFrame,
    comparators: Mapping[str, str],
    groups: Mapping[str, ComparatorGroup],
    exclude: str | None = None,
) -> pd.DataFrame:
    """Return ``values`` with each indicator's own group average as its ``SN`` rows.

    Every indicator is compared with one group (the catalogue's ``comparator``,
    default the DfE neighbours), so its group's average takes the one place a
    neighbour average has (area ``SN``), with ``n`` (councils with a figure),
    ``of`` (the group's size that year), ``group`` and ``method``. A neighbour
    average printed in a paper (area ``SN``) is kept, marked ``as printed``,
    only for an indicator compared with the DfE neighbours and only where they
    have no figure for the period.
    """
    from analysis.loading import SN_CODE

    avg = indicator_averages(values, comparators, groups, exclude)
    avg = avg.assign(area_code=SN_CODE, count=np.nan, status="")
    keys = ["indicator_id", "area_code", "period"]
    cols = [*keys, "value", "count", "status", "n", "of", "group", "method"]
    printed = values[(values["area_code"] == SN_CODE) & values["value"].notna()]
    own_group = printed["indicator_id"].map(dict(comparators)).fillna(NEIGHBOURS_GROUP)
    printed = printed[own_group == NEIGHBOURS_GROUP]
    printed = printed.merge(avg[keys], on=keys, how="left", indicator=True)
    printed = printed[printed["_merge"] == "left_only"].drop(columns="_merge")
    printed = printed.assign(n=np.nan, of=np.nan, group=NEIGHBOURS_GROUP, method="as printed")
    rest = values[values["area_code"] != SN_CODE]
    return pd.concat([rest, avg[cols], printed.reindex(columns=cols)], ignore_index=True)


def group_label(group: ComparatorGroup) -> str:
    """How a sentence names a group's average: the statistical-neighbour average, or by name."""
    if group.id == NEIGHBOURS_GROUP:
        return "the statistical-neighbour average"
    return f"the {group.name} average"


def series_name(group: ComparatorGroup) -> str:
    """How a chart's key names a group's average (``Statistical neighbours (mean)``)."""
    name = "Statistical neighbours" if group.id == NEIGHBOURS_GROUP else group.name
    return f"{name} ({group.average})"
