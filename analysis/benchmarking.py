"""All-councils benchmarks: neighbour average, England, region, rank, quartile, direction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.catalogue import Catalogue
from analysis.errors import ConfigError, Problem, ValidationError
from analysis.importing import (
    ENGLAND,
    all_dfe_values,
    council_area_codes,
    read_ees,
    read_lait,
)
from analysis.loading import _parse_periods, knock_on, read_csv_text

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
    from analysis.outputs import write_csv

    out = Path(out)
    averages = {"sn_average": 4, "region_average": 4}  # float noise only: keep 4 dp
    write_csv(result[OUTPUT_COLUMNS].round(averages), out)
    notes = out.with_name(out.stem + ".notes.csv")
    write_csv(result[NOTE_COLUMNS], notes)
    return notes


RANK_COLUMNS = [
    "indicator_id", "area_code", "period", "rank", "of", "quartile", "source", "vintage",
]  # fmt: skip
COUNCIL_PREFIXES = ("E06", "E08", "E09", "E10")  # unitary, metropolitan, London, county
QUARTILES = ("A", "B", "C", "D", "-", "")


def council_ranks(
    values: pd.DataFrame, polarity: Mapping[str, str | None], area_codes: Sequence[str]
) -> pd.DataFrame:
    """Each council's national rank and LAIT quartile band, kept for the areas asked for.

    Parameters
    ----------
    values : pandas.DataFrame
        Published values for every area in ``VALUE_COLUMNS`` (from
        :mod:`analysis.importing`). Only councils (GSS codes starting E06,
        E08, E09 or E10) are ranked; regions and England are ignored.
    polarity : Mapping
        Indicator id -> ``"high"``, ``"low"`` or ``None`` (context measure).
    area_codes : Sequence of str
        The councils whose rows are returned (the council and its neighbours).

    Returns
    -------
    pandas.DataFrame
        ``RANK_COLUMNS``, one row per kept area, indicator and period, sorted.
        ``rank`` is 1 for the best value by polarity (ties share the lowest
        rank) and ``of`` is how many councils had a value that year; a
        suppressed or missing value has no rank or band and is not counted.
        ``quartile`` is LAIT's band A-D (see :func:`rank_and_quartile`). A
        context measure (no polarity) has no rank, since "1 = best" means
        nothing there, and quartile ``-``, as LAIT shows it.
    """
    la = values[values["area_code"].astype(str).str.startswith(COUNCIL_PREFIXES)]
    la = la.reset_index(drop=True)
    if la.empty:
        return pd.DataFrame(columns=RANK_COLUMNS)
    better = la["indicator_id"].map(dict(polarity)).fillna("none")
    ranked = pd.concat([la, rank_and_quartile(la, better)], axis=1)
    ranked["rank"] = ranked["rank"].where(better.isin(["high", "low"]).to_numpy())
    ranked["of"] = la.groupby(KEY)["value"].transform("count").astype(int)
    out = ranked[ranked["area_code"].isin(list(area_codes))]
    out = out.sort_values(["indicator_id", "area_code", "period"], kind="stable")
    return out[RANK_COLUMNS].reset_index(drop=True)


def build_dfe_ranks(indicators: list[dict], council: dict, source_dir: Path) -> pd.DataFrame:
    """Rank the council and its neighbours among all councils on every DfE-mapped indicator.

    Values for every council are picked exactly as
    :func:`analysis.importing.build_dfe_values` picks them for the council's
    own file (EES before LAIT, a figure before a marker), so a rank is the
    rank of the figure printed beside it.

    Parameters
    ----------
    indicators : list of dict
        Catalogue entries (``indicators.yml``); those with a ``dfe`` mapping
        are ranked, with polarity from each entry's ``better``. An entry whose
        ``unit`` is ``count`` is treated as a context measure (no rank, band
        ``-``): a count grows with the council's size, so ranking it would put
        the smallest councils first, and LAIT gives its counts no polarity.
    council : dict
        The ``council.yml`` mapping; the council and its neighbours are kept.
    source_dir : Path
        Folder holding the DfE files (``LAIT_FILE``, ``EES_FILE``).

    Returns
    -------
    pandas.DataFrame
        ``RANK_COLUMNS`` (see :func:`council_ranks`). ``indicator_id`` is the
        catalogue id; ``source`` and ``vintage`` are those of the area's own
        value (``dfe_ees_2023`` or ``dfe_lait_2023``).
    """
    mapped = [entry for entry in indicators if entry.get("dfe")]
    if not mapped:
        return pd.DataFrame(columns=RANK_COLUMNS)
    from analysis.importing import dfe_files

    files = dfe_files(source_dir, ("lait", "ees"))  # found by their columns
    ranked = rank_all_councils(indicators, read_lait(files["lait"]), read_ees(files["ees"]))
    return ranks_for_council(ranked, council)


def rank_all_councils(
    indicators: list[dict], lait: pd.DataFrame, ees: pd.DataFrame
) -> pd.DataFrame:
    """Rank every council on every DfE-mapped indicator, once (``RANK_COLUMNS``, sorted).

    ``lait`` and ``ees`` are :func:`analysis.importing.read_lait` and
    ``read_ees`` tables of every area. :func:`ranks_for_council` then keeps one
    council's and its neighbours' rows; ``outturn national`` ranks once and
    keeps each council's rows from the same table.
    """
    return rank_values(indicators, all_dfe_values(indicators, lait, ees))


def rank_values(indicators: list[dict], values: pd.DataFrame) -> pd.DataFrame:
    """Rank every council in ``values`` (:func:`analysis.importing.all_dfe_values`), once."""
    mapped = [entry for entry in indicators if entry.get("dfe")]
    if not mapped or values.empty:
        return pd.DataFrame(columns=RANK_COLUMNS)
    polarity = {e["id"]: None if e.get("unit") == "count" else e.get("better") for e in mapped}
    councils = values["area_code"].astype(str)
    return council_ranks(values, polarity, councils[councils.str.startswith(COUNCIL_PREFIXES)])


def ranks_for_council(ranked: pd.DataFrame, council: dict) -> pd.DataFrame:
    """Keep the rows of :func:`rank_all_councils` for the council and its neighbours.

    ``council`` is the ``council.yml`` mapping. The rows keep their order, so
    the result is what :func:`council_ranks` gives for those areas alone.
    """
    areas = [c for c in council_area_codes(council) if c.startswith(COUNCIL_PREFIXES)]
    return ranked[ranked["area_code"].isin(areas)].reset_index(drop=True)


def write_ranks(ranks: pd.DataFrame, out: Path) -> Path:
    """Write ``RANK_COLUMNS`` to ``out`` (``data/ranks.csv``), sorted, ranks as whole numbers."""
    from analysis.outputs import write_csv

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = ranks[RANK_COLUMNS].sort_values(["indicator_id", "area_code", "period"], kind="stable")
    frame = frame.astype({"rank": "Int64", "of": "Int64"})
    return write_csv(frame, out)


def _whole_numbers(frame: pd.DataFrame, column: str, file: str) -> tuple[pd.Series, list[Problem]]:
    text = frame[column].str.strip()
    nums = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = (text != "") & (nums.isna() | (nums % 1 != 0) | (nums < 0))
    problems = [
        Problem(file, f"line {i + 2}, column '{column}'", f"{frame.at[i, column]!r} is not a "
                "whole number", f"write {column} as a whole number (1 = best), or leave the "
                "rank empty where the council has no value; or rebuild the file with outturn init")
        for i in frame.index[bad]
    ]  # fmt: skip
    return nums.where(~bad).astype("Int64"), problems


def _rank_row_problems(
    frame: pd.DataFrame, file: str, catalogue: Catalogue | None
) -> list[Problem]:
    problems = []
    if catalogue is not None:
        for i in frame.index[~frame["indicator_id"].isin(list(catalogue))]:
            if frame.at[i, "indicator_id"] in catalogue.rejected or not len(catalogue):
                problems.append(knock_on(file, f"line {i + 2}, column 'indicator_id'",
                                         frame.at[i, "indicator_id"], catalogue))  # fmt: skip
                continue
            problems.append(Problem(file, f"line {i + 2}, column 'indicator_id'",
                                    f"unknown indicator {frame.at[i, 'indicator_id']!r}",
                                    "add it to data/indicators.yml or correct the id"))  # fmt: skip
    for i in frame.index[~frame["quartile"].isin(QUARTILES)]:
        problems.append(Problem(file, f"line {i + 2}, column 'quartile'",
                                f"{frame.at[i, 'quartile']!r} is not a quartile band",
                                "write A, B, C or D (A = best quarter), - for a context "
                                "measure, or leave it empty"))  # fmt: skip
    return problems


def check_ranks(
    raw: pd.DataFrame, file: str, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type a raw (all-text) ranks table; return the clean rows and every problem.

    Parameters
    ----------
    raw : pandas.DataFrame
        ``data/ranks.csv`` read as text.
    file : str
        The file's name, for the messages.
    catalogue : analysis.catalogue.Catalogue, optional
        When given, every ``indicator_id`` must be in it.

    Returns
    -------
    tuple of (pandas.DataFrame, list of analysis.errors.Problem)
        ``RANK_COLUMNS`` with ``rank`` and ``of`` as nullable integers and
        periods as canonical labels, and the problems (file, line, column, fix).
    """
    missing = [c for c in RANK_COLUMNS if c not in raw.columns]
    if missing:
        return pd.DataFrame(columns=RANK_COLUMNS), [Problem(
            file, "header", f"missing column(s) {', '.join(missing)}",
            f"the header must be {','.join(RANK_COLUMNS)}; rebuild the file with outturn init",
        )]  # fmt: skip
    frame = raw[RANK_COLUMNS].astype(str).apply(lambda c: c.str.strip())
    periods, problems = _parse_periods(frame["period"], file)
    rank, rank_problems = _whole_numbers(frame, "rank", file)
    of, of_problems = _whole_numbers(frame, "of", file)
    problems += rank_problems + of_problems + _rank_row_problems(frame, file, catalogue)
    for i in frame.index[(rank > of).fillna(False)]:
        problems.append(Problem(file, f"line {i + 2}, column 'rank'",
                                f"rank {rank[i]} is more than 'of' ({of[i]})",
                                "a rank cannot exceed the number of councils ranked; "
                                "correct it or rebuild the file with outturn init"))  # fmt: skip
    frame["period"] = frame["period"].map(lambda s: periods[s].label if s in periods else s)
    return frame.assign(rank=rank, of=of), problems


def read_ranks(path: Path, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Read the optional ``data/ranks.csv``; an absent file gives an empty table.

    Raises
    ------
    analysis.errors.ValidationError
        Listing every bad row (file, line, column and how to fix it).
    analysis.errors.DataError
        When the file is not a readable CSV.
    """
    if not Path(path).is_file():
        return empty_ranks()
    frame, problems = check_ranks(read_csv_text(Path(path)), str(path), catalogue)
    if problems:
        raise ValidationError(problems)
    return frame


def empty_ranks() -> pd.DataFrame:
    """Make an empty ranks table with ``RANK_COLUMNS`` (a project with no ``data/ranks.csv``)."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("rank", "of") else str)
                         for c in RANK_COLUMNS})  # fmt: skip
