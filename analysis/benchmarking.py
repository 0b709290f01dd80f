"""All-councils benchmarks: neighbour average, England, region, rank, quartile, direction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import ConfigError
from analysis.importing import ENGLAND

MODEL_2021 = "DfE CSC SN model April 2021"
MODEL_2025 = "DfE CSC SN model May 2025"
# Which neighbour model applies to which years (financial years, inclusive).
# The April 2021 model was DfE's current list until the May 2025 model replaced
# it, so it serves every year up to 2024-25; the May 2025 model serves 2025-26 on.
# A council missing from the applicable model (e.g. one created later) falls back
# to the other model, and the `sn_model` column of the companion notes says so.
SN_MODEL_YEARS: dict[str, tuple[int, int]] = {MODEL_2021: (1990, 2024), MODEL_2025: (2025, 2100)}

OUTPUT_COLUMNS = [
    "area_code", "area_name", "indicator_id", "period", "value", "sn_average", "sn_count",
    "england", "region_average", "rank", "quartile", "direction", "judgement",
]  # fmt: skip
NOTE_COLUMNS = ["area_code", "indicator_id", "period", "sn_model", "region_code", "region_source",
                "rank_basis"]  # fmt: skip
LA_TYPES = ("LA", "Local authority")
KEY = ["indicator_id", "period"]


def model_for_year(fy: int, model_years: dict[str, tuple[int, int]] | None = None) -> str:
    """Name the neighbour model that applies to the financial year starting in ``fy``.

    Raises
    ------
    ConfigError
        When no model covers the year.
    """
    for model, (first, last) in (model_years or SN_MODEL_YEARS).items():
        if first <= fy <= last:
            return model
    raise ConfigError(f"no statistical-neighbour model covers {fy}-{(fy + 1) % 100:02d}; "
                      "Fix: extend SN_MODEL_YEARS or pass model_years")  # fmt: skip


def neighbour_links(
    neighbours: pd.DataFrame, periods: pd.Series, model_years: dict | None = None
) -> pd.DataFrame:
    """One row per (period, council, neighbour), using the model that applies to each year.

    Where a council is absent from that year's model it takes its list from
    another model. Columns: period, area_code, sn_area_code, sn_model.
    """
    years = pd.DataFrame({"period": pd.Series(periods).drop_duplicates()})
    years["applies"] = years["period"].map(lambda p: model_for_year(int(p[:4]), model_years))
    links = years.merge(neighbours[["model", "area_code", "sn_area_code"]], how="cross")
    links["_other"] = (links["model"] != links["applies"]).astype(int)
    best = links.groupby(["period", "area_code"])["_other"].transform("min")
    links = links[links["_other"] == best]
    return links.rename(columns={"model": "sn_model"})[
        ["period", "area_code", "sn_area_code", "sn_model"]
    ]


def neighbour_average(la: pd.DataFrame, links: pd.DataFrame, average: str = "mean") -> pd.DataFrame:
    """Average of each council's neighbours per indicator and year, and how many had a value."""
    if average not in ("mean", "median"):
        raise ConfigError(f"average {average!r} is not known. Fix: use mean or median")
    values = la[["indicator_id", "area_code", "period", "value"]].rename(
        columns={"area_code": "sn_area_code", "value": "sn_value"}
    )
    joined = links.merge(values, on=["sn_area_code", "period"])
    grouped = joined.groupby(["area_code", "indicator_id", "period", "sn_model"])["sn_value"]
    return grouped.agg(sn_average=average, sn_count="count").reset_index()


def region_lookup(neighbours: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Each council's region (name and GSS code) from the neighbour lists' ``region`` column.

    The code comes from the region rows of ``values`` (matched by name; the
    name stands in where there is no region row); the latest model wins where
    the two models disagree.
    """
    regions = neighbours.sort_values("model", ascending=False).drop_duplicates("area_code")
    names = values.loc[values["area_type"] == "Region", ["area_name", "area_code"]]
    names = names.drop_duplicates("area_name").rename(
        columns={"area_name": "region", "area_code": "region_code"}
    )
    out = regions[["area_code", "region"]].merge(names, on="region", how="left")
    out["region_code"] = out["region_code"].fillna(out["region"])  # no published row: the name
    return out


def region_average(la: pd.DataFrame, regions: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Region figure per council: the region's published row, else the mean of its councils."""
    la = la.merge(regions, on="area_code", how="left")
    computed = la.groupby(["region_code", *KEY])["value"].mean().rename("computed")
    published = values.loc[values["area_type"] == "Region", ["area_code", *KEY, "value"]]
    published = published.rename(columns={"area_code": "region_code", "value": "published"})
    out = la[["area_code", "region_code", *KEY]].merge(
        published, on=["region_code", *KEY], how="left"
    )
    out = out.merge(computed.reset_index(), on=["region_code", *KEY], how="left")
    out["region_average"] = out["published"].fillna(out["computed"])
    out["region_source"] = np.where(
        out["published"].notna(), "published", np.where(out["computed"].notna(), "mean", "")
    )
    return out[["area_code", "region_code", *KEY, "region_average", "region_source"]]


def rank_and_quartile(la: pd.DataFrame, better: pd.Series) -> pd.DataFrame:
    """Rank among all councils (1 = best) and LAIT's quartile band for each value.

    ``better`` gives each row's polarity (``high``, ``low`` or missing). High
    ranks the largest first, low the smallest; an indicator with no polarity
    ranks the highest value 1 (``rank_basis`` says so). Ties share the lowest
    rank. Quartile bands follow LAIT: the cut points are the 25th, 50th and
    75th percentiles of all councils' values (linear interpolation, as R's
    ``quantile``); for low polarity a value up to the 25th percentile is A,
    for high polarity a value above the 75th percentile is A; an indicator
    with no polarity has no band (``-``, as LAIT shows it).
    """
    sign = np.where(better.eq("low"), 1.0, -1.0)
    keyed = la[KEY].assign(_key=la["value"].to_numpy() * sign)
    rank = keyed.groupby(KEY)["_key"].rank(method="min")
    cuts = la.groupby(KEY)["value"].quantile([0.25, 0.5, 0.75]).unstack()
    cuts.columns = ["q1", "q2", "q3"]
    q = la[KEY].merge(cuts.reset_index(), on=KEY, how="left").set_axis(la.index)
    v = la["value"]
    low = np.select([v <= q["q1"], v <= q["q2"], v <= q["q3"], v.notna()], list("ABCD"), "")
    high = np.select([v <= q["q1"], v <= q["q2"], v <= q["q3"], v.notna()], list("DCBA"), "")
    quartile = np.where(better.eq("low"), low, np.where(better.eq("high"), high, "-"))
    quartile = np.where(v.isna(), "", quartile)
    basis = np.where(
        better.isin(["high", "low"]), "polarity", "highest value ranked 1 (no polarity)"
    )
    return pd.DataFrame(
        {"rank": rank.astype("Int64"), "quartile": quartile, "rank_basis": basis}, index=la.index
    )


def direction_and_judgement(la: pd.DataFrame, better: pd.Series) -> pd.DataFrame:
    """Change on the previous year (up/down/same) and whether that is better or worse.

    Judgement is ``n/a`` when the indicator has no polarity or either year
    has no value; direction is then empty too if there is no comparison.
    """
    fy = la["period"].str[:4].astype(int)
    prev_label = (fy - 1).astype(str) + "-" + (fy % 100).map("{:02d}".format)
    previous = la[["indicator_id", "area_code", "period", "value"]].rename(
        columns={"period": "_prev", "value": "_prev_value"}
    )
    merged = la[["indicator_id", "area_code"]].assign(_prev=prev_label.to_numpy())
    merged = merged.merge(previous, on=["indicator_id", "area_code", "_prev"], how="left")
    change = la["value"].to_numpy() - merged["_prev_value"].to_numpy()
    direction = np.select([change > 0, change < 0, change == 0], ["up", "down", "same"], "")
    good = np.where(better.eq("low"), -change, change)
    judgement = np.select([good > 0, good < 0, good == 0], ["better", "worse", "same"], "n/a")
    judgement = np.where(better.isin(["high", "low"]) & (direction != ""), judgement, "n/a")
    return pd.DataFrame({"direction": direction, "judgement": judgement}, index=la.index)


def benchmark_all(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    polarity: dict[str, str | None],
    average: str = "mean",
    model_years: dict[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """Benchmark every council on every indicator and year in one vectorised pass.

    Parameters
    ----------
    values : pandas.DataFrame
        Published values for councils, regions and England, as
        :func:`analysis.importing.read_lait` returns them (``indicator_id``,
        ``area_code``, ``area_name``, ``area_type``, ``period``, ``value``).
    neighbours : pandas.DataFrame
        Neighbour lists as :func:`analysis.importing.import_neighbours` returns them.
    polarity : dict
        Indicator id -> ``"high"``, ``"low"`` or ``None`` (context measure).
    average : str
        ``"mean"`` (as DfE's LAIT) or ``"median"`` (as DfE's CSC dashboard).
    model_years : dict, optional
        Neighbour model -> (first, last) financial-year start; default ``SN_MODEL_YEARS``.

    Returns
    -------
    pandas.DataFrame
        ``OUTPUT_COLUMNS`` followed by the companion columns ``sn_model``,
        ``region_code``, ``region_source`` (``published`` or ``mean`` of the
        region's councils) and ``rank_basis``.
    """
    la = values[values["area_type"].isin(LA_TYPES)].reset_index(drop=True)
    better = la["indicator_id"].map(polarity).fillna("none")
    links = neighbour_links(neighbours, la["period"], model_years)
    sn = neighbour_average(la, links, average)
    england = values.loc[values["area_code"] == ENGLAND, [*KEY, "value"]]
    regions = region_average(la, region_lookup(neighbours, values), values)
    out = pd.concat(
        [la, rank_and_quartile(la, better), direction_and_judgement(la, better)], axis=1
    )
    keys = ["area_code", *KEY]
    out = out.merge(sn, on=keys, how="left")
    out = out.merge(england.rename(columns={"value": "england"}), on=KEY, how="left")
    out = out.merge(regions, on=keys, how="left")
    out["sn_count"] = out["sn_count"].fillna(0).astype(int)
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[OUTPUT_COLUMNS + [c for c in NOTE_COLUMNS if c not in keys]]


def benchmark_files(
    lait_path: Path, neighbours_path: Path, metadata_path: Path, average: str = "mean"
) -> pd.DataFrame:
    """Read the LAIT values, neighbour lists and metadata, and benchmark every council."""
    from analysis.importing import import_lait_metadata, import_neighbours, read_lait

    polarity = {e["dfe"]["lait"]: e["better"] for e in import_lait_metadata(metadata_path)}
    return benchmark_all(
        read_lait(lait_path), import_neighbours(neighbours_path), polarity, average
    )


def write_benchmark(result: pd.DataFrame, out: Path) -> Path:
    """Write ``OUTPUT_COLUMNS`` to ``out`` and the companion notes to ``<out>.notes.csv``.

    The notes say, per row, which neighbour model was used, which region code,
    whether the region figure is published or a mean of its councils, and the
    basis of the rank.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    averages = {"sn_average": 4, "region_average": 4}  # float noise only: keep 4 dp
    result[OUTPUT_COLUMNS].round(averages).to_csv(out, index=False)
    notes = out.with_name(out.stem + ".notes.csv")
    result[NOTE_COLUMNS].to_csv(notes, index=False)
    return notes
