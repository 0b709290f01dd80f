"""Rates per 10,000 children recomputed from counts and ONS populations, checked against DfE's.

``outturn init`` checks the council's DfE rates this way and says what it found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# A published rate is rounded: to 1 dp for most rates, to whole numbers for
# children looked after. A recomputed rate further from the published one than
# these amounts is more than rounding (a revised count or population, or a
# different denominator) and is reported.
TOLERANCE_1DP = 0.5
TOLERANCE_WHOLE = 1.0


def recompute_rates(counts: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Rate per 10,000 children from counts, with DfE's choice of population year.

    A rate at 31 March YYYY (or for the year ending then, period label
    ``YYYY-1``-``YY``) uses the ONS mid-(YYYY-1) estimate, i.e. the June
    inside that financial year: 2022-23 uses mid-2022.

    Parameters
    ----------
    counts : pandas.DataFrame
        Values rows whose ``value`` is a count: ``indicator_id``, ``area_code``,
        ``period`` (financial-year labels).
    population : pandas.DataFrame
        Values rows from :func:`analysis.importing.import_population`
        (``period`` ``Jun YYYY``).

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, area_code, period, count, population, rate``; the rate
        is empty where the count or the population is missing.
    """
    out = counts[["indicator_id", "area_code", "period", "value"]].rename(
        columns={"value": "count"}
    )
    out["_mid"] = "Jun " + out["period"].str[:4]
    pop = population[["area_code", "period", "value"]].rename(
        columns={"period": "_mid", "value": "population"}
    )
    out = out.merge(pop, on=["area_code", "_mid"], how="left").drop(columns="_mid")
    out["rate"] = out["count"] / out["population"].where(out["population"] > 0) * 10_000
    return out


def compare_rates(
    recomputed: pd.DataFrame, published: pd.DataFrame, tolerance: float = TOLERANCE_1DP
) -> pd.DataFrame:
    """Set recomputed rates beside published ones and keep the differences beyond rounding.

    Parameters
    ----------
    recomputed : pandas.DataFrame
        :func:`recompute_rates` output.
    published : pandas.DataFrame
        Values rows of the published rate (``area_code``, ``period``, ``value``),
        one indicator.
    tolerance : float
        Largest difference put down to rounding: ``TOLERANCE_1DP`` (0.5) for
        a rate published to 1 dp, ``TOLERANCE_WHOLE`` (1) for whole-number
        CLA rates.

    Returns
    -------
    pandas.DataFrame
        ``area_code, period, count, population, rate, published, difference``
        for the rows where both rates exist and differ by more than ``tolerance``.
    """
    pub = published[["area_code", "period", "value"]].rename(columns={"value": "published"})
    both = recomputed.drop(columns="indicator_id").merge(pub, on=["area_code", "period"])
    both["difference"] = both["rate"] - both["published"]
    beyond = np.abs(both["difference"]) > tolerance + 1e-9
    return both[beyond].reset_index(drop=True)


def check_published_rates(
    values: pd.DataFrame, population: pd.DataFrame, whole: set[str] | None = None
) -> tuple[int, pd.DataFrame]:
    """Recompute the council's published rates per 10,000 from their counts and check them.

    Parameters
    ----------
    values : pandas.DataFrame
        Values rows with ``count`` beside a rate ``value`` (as ``outturn init``
        builds them from DfE's tables), financial-year periods.
    population : pandas.DataFrame
        :func:`analysis.importing.import_population` rows.
    whole : set of str, optional
        Indicators whose rates are published as whole numbers (looked-after
        children), checked to ``TOLERANCE_WHOLE`` instead of ``TOLERANCE_1DP``.

    Returns
    -------
    (int, pandas.DataFrame)
        How many rates could be recomputed, and those beyond rounding
        (:func:`compare_rates` columns plus ``indicator_id``).
    """
    has_both = values["count"].notna() & values["value"].notna()
    years = values["period"].str.fullmatch(r"\d{4}-\d{2}")
    rows = values[has_both & years]
    checked, differ = 0, []
    for ind, part in rows.groupby("indicator_id"):
        counts = part.drop(columns="value").rename(columns={"count": "value"})
        recomputed = recompute_rates(counts, population).dropna(subset=["rate"])
        checked += len(recomputed)
        tolerance = TOLERANCE_WHOLE if ind in (whole or set()) else TOLERANCE_1DP
        found = compare_rates(recomputed, part, tolerance)
        differ.append(found.assign(indicator_id=ind))
    return checked, pd.concat(differ, ignore_index=True) if differ else pd.DataFrame()
