"""Importers that map published DfE and ONS tables onto outturn's values schema."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError, PeriodError
from analysis.periods import parse_period

VALUE_COLUMNS = [
    "indicator_id", "area_code", "period", "value", "count",
    "status", "source", "vintage", "note",
]  # fmt: skip
NEIGHBOUR_COLUMNS = [
    "model", "area_code", "la_number", "area_name", "region", "rank",
    "sn_area_code", "sn_la_number", "sn_area_name", "closeness",
]  # fmt: skip
MARKERS = ("c", "x", "z", "u", "k", "low", "-")
ENGLAND = "E92000001"

LAIT_FILE = "dfe_lait_csc_indicators_2016_2023_long.csv"
LAIT_METADATA_FILE = "dfe_lait_csc_indicator_metadata.csv"
EES_FILE = "dfe_ees_csc_counts_rates_2013_2023_long.csv"
POPULATION_FILE = "ons_population_0_17_mid_year_2012_2022.csv"
NEIGHBOURS_FILE = "dfe_csc_statistical_neighbours_2021_2025_long.csv"

# Publication dates. The files and their README do not state them, so the
# LAIT and EES vintages use the release date of DfE's "Children looked after
# in England including adoptions: 2023" (16 November 2023) for both; the ONS
# vintage is the release of the mid-2022 estimates for England and Wales.
SOURCES: dict[str, dict] = {
    "dfe_lait_2023": {
        "title": "DfE Local Authority Interactive Tool (LAIT), children's social care "
        "indicators, years ending 31 March 2016-2023",
        "publisher": "Department for Education",
        "published": "2023-11-16",
        "file": LAIT_FILE,
    },
    "dfe_ees_2023": {
        "title": "DfE Explore Education Statistics: children in need and children looked "
        "after, counts and rates, years ending 31 March 2013-2023",
        "publisher": "Department for Education",
        "published": "2023-11-16",
        "file": EES_FILE,
    },
    "ons_mye_2022": {
        "title": "ONS mid-year population estimates, children aged 0-17, mid-2012 to mid-2022",
        "publisher": "Office for National Statistics",
        "published": "2023-11-23",
        "file": POPULATION_FILE,
    },
}
LICENCE = "Open Government Licence v3.0 (Crown copyright)"

# EES rate -> the count it is computed from (same table, same year).
EES_RATE_COUNTS = {
    "Children in need rate per 10,000 children (derived)": (
        "Children in need at 31 March (episodes)"
    ),
    "Referrals rate per 10,000 children (derived)": "Referrals in year",
    "Child protection plan rate per 10,000 children (derived)": (
        "Children subject of a child protection plan at 31 March"
    ),
    "CPP starts rate per 10,000 children (derived)": "Child protection plans starting in year",
    "Children looked after on 31 March each year (rate per 10,000)": (
        "Children looked after on 31 March each year (number)"
    ),
    "Children starting to be looked after each year (rate per 10,000)": (
        "Children starting to be looked after each year (number)"
    ),
    "Children ceasing to be looked after each year (rate per 10,000)": (
        "Children ceasing to be looked after each year (number)"
    ),
    "% of referrals that were re-referrals within 12 months": "Re-referrals within 12 months",
    "% of CPPs starting that were a second or subsequent plan": (
        "CPPs starting that were a second or subsequent plan"
    ),
}
# LAIT code -> the EES series publishing the same figure, and count partners.
LAIT_TO_EES = {
    "CIN": "Children in need rate per 10,000 children (derived)",
    "CPP_Total_Rateper10,000": "Referrals rate per 10,000 children (derived)",
    "CPP_rate": "Child protection plan rate per 10,000 children (derived)",
    "LAC": "Children looked after on 31 March each year (rate per 10,000)",
    "LAC_Start_Rate": "Children starting to be looked after each year (rate per 10,000)",
    "LAC_Cease_Rate": "Children ceasing to be looked after each year (rate per 10,000)",
    "ReReferral": "% of referrals that were re-referrals within 12 months",
    "PrevRegCPR": "% of CPPs starting that were a second or subsequent plan",
}
LAIT_COUNTS = {
    "LAC": "LACnum",
    "CPP_rate": "CPP_Num",
    "CPP_Total_Rateper10,000": "CPP_Total_NumRef",
}


def slugify(text: str) -> str:
    """Make a snake_case id from a publisher's code or title (``CPP_rate`` -> ``cpp_rate``)."""
    text = str(text).lower().replace("%", " pct ")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def read_table(path: Path | str, required: list[str]) -> pd.DataFrame:
    """Read a CSV as text (nothing coerced, nothing treated as missing) and check its columns.

    Raises
    ------
    DataError
        When the file does not exist or lacks a required column.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found. Fix: check the path, or pass --source-dir")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: column(s) {', '.join(missing)} missing (found: {', '.join(frame.columns)}). "
            f"Fix: is this the right kind of file? Rename the header to include {missing[0]!r}"
        )
    return frame


def period_labels(raw: pd.Series, path: Path | str, column: str = "period") -> pd.Series:
    """Canonical period labels for a column, parsing each distinct value once.

    Raises
    ------
    DataError
        Naming the file, the first CSV line (header = line 1) and the column of
        a value that is not a period.
    """
    labels = {}
    for text in raw.unique():
        try:
            labels[text] = parse_period(text).label
        except PeriodError as exc:
            line = int(np.flatnonzero((raw == text).to_numpy())[0]) + 2
            raise DataError(
                f"{path}, line {line}, column {column!r}: {exc}. Fix: correct that cell"
            ) from None
    return raw.map(labels)


def split_markers(value: pd.Series, note: pd.Series | None = None) -> pd.DataFrame:
    """Split a text value column into a numeric ``value``, a ``status`` marker and a ``note``.

    Published markers (c, x, z, u, k, low, -) in either the value or the note
    become ``status`` with an empty value; a longer publisher note (such as
    "not computable (suppressed count or no population)") becomes status ``x``
    with the text kept in ``note``. A blank value with no marker becomes ``x``
    with note "blank in source". Nothing is turned into zero and no row is dropped.
    """
    text = value.str.strip()
    note = pd.Series("", index=value.index) if note is None else note.str.strip()
    numeric = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    lowered_note, lowered_value = note.str.lower(), text.str.lower()
    status = pd.Series("", index=value.index, dtype=object)
    status = status.mask(lowered_value.isin(MARKERS), lowered_value)
    status = status.mask(numeric.isna() & lowered_note.isin(MARKERS), lowered_note)
    long_note = numeric.isna() & (note != "") & ~lowered_note.isin(MARKERS)
    status = status.mask(long_note, "x")
    blank = numeric.isna() & (status == "")
    status = status.mask(blank, "x")
    out_note = pd.Series("", index=value.index, dtype=object).mask(long_note, note)
    out_note = out_note.mask(blank & ~long_note & (text == ""), "blank in source")
    out_note = out_note.mask(blank & (text != ""), "unreadable value in source: " + text)
    return pd.DataFrame({"value": numeric.where(status == ""), "status": status, "note": out_note})


def _values(frame: pd.DataFrame, source: str, vintage: str) -> pd.DataFrame:
    out = frame.copy()
    out["source"] = source
    out["vintage"] = vintage
    for column in VALUE_COLUMNS:
        if column not in out.columns:
            out[column] = np.nan if column in ("value", "count") else ""
    return out


PUBLISHED_COLUMNS = ("published", "publication_date", "release_date", "time_published")
"""Columns that, where a file has one, give each row's publication date."""
KNOWN_RELEASES = {("lait", 2023): "2023-11-16", ("ees", 2023): "2023-11-16"}
"""Release dates of the bundled DfE files, by kind and newest year (see ``SOURCES``)."""


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def year_vintages(years: pd.Series, latest: str) -> pd.Series:
    """Date each year's figures by the annual release that first published them.

    DfE publishes its children's social care statistics once a year, each
    autumn, for the year ending the previous 31 March. Given the release date
    of the newest year in a file (``latest``), a year ``k`` years older is
    dated ``k`` years earlier on the same day: with ``latest`` 2023-11-16, the
    year ending March 2023 is dated 2023-11-16 and the year ending March 2016
    2016-11-16. Actual release days vary by a few weeks from year to year.

    Parameters
    ----------
    years : pandas.Series
        The year each row's period ends in (2023 for 2022-23), as integers.
    latest : str
        ISO date of the release of the newest year.
    """
    newest, day = int(years.max()), date.fromisoformat(latest)
    dates = {y: _shift_year(day, newest - int(y)).isoformat() for y in years.dropna().unique()}
    return years.map(dates)


def dfe_vintages(
    raw: pd.DataFrame, kind: str, path: Path | str, published: str | None = None
) -> tuple[pd.Series, str, str | None]:
    """Each row's vintage, the source id and a note on the date used, for a DfE long file.

    A row's own publication date (a column in ``PUBLISHED_COLUMNS``) wins.
    Otherwise the newest year is dated ``published``, else the known release
    of the bundled file, else the file's modification date (the note says so),
    and each older year one year earlier per year (:func:`year_vintages`).

    Returns
    -------
    tuple of (pandas.Series, str, str or None)
        Vintages (ISO dates), the source id (``dfe_<kind>_<newest year>``) and
        a note when the file's date had to be used.
    """
    years = pd.to_numeric(raw["period"].str.strip().str[:4], errors="coerce")
    newest = int(years.max())
    note = None
    latest = published or KNOWN_RELEASES.get((kind, newest))
    if latest is None:
        latest = date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
        note = (f"{Path(path).name} does not say when it was published: its newest year "
                f"({newest - 1}-{newest % 100:02d}) is dated {latest}, the file's date, and each "
                "earlier year a year earlier; pass --published YYYY-MM-DD to date it")  # fmt: skip
    vintages = year_vintages(years, latest)
    for column in PUBLISHED_COLUMNS:
        if column in raw.columns:
            own = raw[column].str.strip().str[:10]
            vintages = own.where(own.str.match(r"^\d{4}-\d{2}-\d{2}$"), vintages)
            note = None
            break
    return vintages, f"dfe_{kind}_{newest}", note


def dfe_source_entry(kind: str, raw: pd.DataFrame, path: Path | str, source: str,
                     published: str) -> dict:  # fmt: skip
    """Build a ``sources.yml`` entry for a DfE long file (LAIT or EES) of any years."""
    years = pd.to_numeric(raw["period"].str.strip().str[:4], errors="coerce")
    first, last = int(years.min()), int(years.max())
    what = {"lait": "DfE Local Authority Interactive Tool (LAIT), children's social care "
            "indicators", "ees": "DfE Explore Education Statistics: children in need and "
            "children looked after, counts and rates"}[kind]  # fmt: skip
    return {
        "id": source, "title": f"{what}, years ending 31 March {first}-{last}",
        "publisher": "Department for Education", "published": published,
        "file": str(path), "licence": LICENCE,
        "notes": ["Each year's figures carry the date that year was first published: the "
                  "newest year's release date, one year earlier for each earlier year."],
    }  # fmt: skip


def read_lait(path: Path | str, published: str | None = None) -> pd.DataFrame:
    """Read the DfE LAIT long file into values rows, keeping area name, type and LA number.

    ``indicator_id`` is the LAIT code (``CIN``); ``period`` 2023 (year ending
    31 March) becomes ``2022-23``. Each year's ``vintage`` is the date that
    year was published (:func:`dfe_vintages`); ``source`` is ``dfe_lait_<newest
    year>``.
    """
    raw = read_table(
        path, ["area_code", "la_number", "area_name", "area_type", "period", "indicator_code",
               "value", "value_note"],
    )  # fmt: skip
    split = split_markers(raw["value"], raw["value_note"])
    frame = pd.DataFrame(
        {
            "indicator_id": raw["indicator_code"].str.strip(),
            "area_code": raw["area_code"].str.strip(),
            "period": period_labels(raw["period"].str.strip(), path),
            **split,
            "area_name": raw["area_name"],
            "area_type": raw["area_type"],
            "la_number": raw["la_number"],
        }
    )
    out = _values(frame, "", "")
    out["vintage"], out["source"], note = dfe_vintages(raw, "lait", path, published)
    out.attrs["vintage_note"] = note
    return out


def import_lait(path: Path | str) -> pd.DataFrame:
    """Values rows (schema columns only) from the DfE LAIT long file."""
    return read_lait(path)[VALUE_COLUMNS]


def read_ees(path: Path | str, published: str | None = None) -> pd.DataFrame:
    """Read the DfE Explore Education Statistics long table into values rows.

    Vintages and source as :func:`read_lait` (``dfe_ees_<newest year>``).

    ``indicator_id`` is the EES indicator title as published. Count series are
    kept as rows of their own, and each rate or percentage also carries the
    count it is computed from (see ``EES_RATE_COUNTS``) in ``count``.
    """
    raw = read_table(
        path, ["area_code", "area_name", "area_type", "period", "indicator", "value", "value_note"]
    )
    split = split_markers(raw["value"], raw["value_note"])
    frame = pd.DataFrame(
        {
            "indicator_id": raw["indicator"].str.strip(),
            "area_code": raw["area_code"].str.strip(),
            "period": period_labels(raw["period"].str.strip(), path),
            **split,
            "area_name": raw["area_name"],
            "area_type": raw["area_type"],
        }
    )
    frame = _attach_counts(frame)
    out = _values(frame, "", "")
    out["vintage"], out["source"], note = dfe_vintages(raw, "ees", path, published)
    out.attrs["vintage_note"] = note
    return out


def _attach_counts(frame: pd.DataFrame) -> pd.DataFrame:
    pairs = pd.Series(EES_RATE_COUNTS, name="count_id").rename_axis("indicator_id").reset_index()
    keys = ["indicator_id", "area_code", "period", "value"]
    counts = frame.loc[frame["indicator_id"].isin(pairs["count_id"]), keys]
    counts = counts.rename(columns={"indicator_id": "count_id", "value": "count"})
    keyed = frame.merge(pairs, on="indicator_id", how="left")
    keyed = keyed.merge(counts, on=["count_id", "area_code", "period"], how="left")
    return keyed.drop(columns="count_id").set_axis(frame.index)


def import_ees(path: Path | str) -> pd.DataFrame:
    """Values rows (schema columns only) from the DfE EES long table, counts kept."""
    return read_ees(path)[VALUE_COLUMNS]


def import_population(path: Path | str) -> pd.DataFrame:
    """ONS mid-year child population (0-17) as values rows, the denominator of rates.

    ``indicator_id`` is ``child_population``; the period is the month of the
    estimate (mid-2021 -> ``Jun 2021``).
    """
    raw = read_table(path, ["area_code", "period", "value"])
    split = split_markers(raw["value"])
    frame = pd.DataFrame(
        {
            "indicator_id": "child_population",
            "area_code": raw["area_code"].str.strip(),
            "period": period_labels("Jun " + raw["period"].str.strip(), path),
            **split,
        }
    )
    return _values(frame, "ons_mye_2022", SOURCES["ons_mye_2022"]["published"])[VALUE_COLUMNS]


def import_neighbours(path: Path | str) -> pd.DataFrame:
    """DfE statistical-neighbour lists: one row per council, model and neighbour.

    Keeps ``rank`` (1 = closest) and the closeness band, written in sentence
    case (``Very close``) whatever the model's capitalisation.
    """
    raw = read_table(
        path, ["model", "area_code", "area_name", "sn_rank", "sn_area_code", "sn_area_name",
               "closeness"],
    )  # fmt: skip
    rank = pd.to_numeric(raw["sn_rank"], errors="coerce")
    if rank.isna().any():
        line = int(np.flatnonzero(rank.isna().to_numpy())[0]) + 2
        raise DataError(f"{path}, line {line}, column 'sn_rank': not a number. Fix: 1 to 10")
    out = raw.rename(columns={"sn_rank": "rank"}).assign(
        rank=rank.astype(int), closeness=raw["closeness"].str.strip().str.capitalize()
    )
    for column in ("la_number", "region", "sn_la_number"):
        if column not in out.columns:
            out[column] = ""
    return out[NEIGHBOUR_COLUMNS]


TIDY_OPTIONAL = ["area_name", "measure", "count", "status", "note"]
"""Optional columns of a tidy file (others are ignored)."""


def read_tidy(path: Path | str) -> pd.DataFrame:
    """Read a tidy CSV (``area_code, period, indicator, value`` + ``TIDY_OPTIONAL``).

    Periods may be in any form councils use (2017/18, 2021/22 Q1, April 2021,
    2021-04). ``name`` is the indicator's name as the file gives it, with the
    measure in brackets where one indicator comes in several measures
    (``Children cautioned or sentenced (Count)``).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``area_code``, ``area_name``, ``period`` (canonical label),
        ``value``, ``count``, ``status``, ``note``, ``line`` (the CSV line).
    """
    raw = read_table(path, ["area_code", "period", "indicator", "value"])
    for column in TIDY_OPTIONAL:
        if column not in raw.columns:
            raw[column] = ""
    names = raw["indicator"].str.strip()
    several = raw.groupby("indicator")["measure"].transform("nunique") > 1
    names = names.where(~several, names + " (" + raw["measure"].str.strip() + ")")
    split = split_markers(raw["value"], raw["status"])
    count = pd.to_numeric(raw["count"].str.replace(",", "", regex=False).str.strip(),
                          errors="coerce")  # fmt: skip
    note = (split["note"] + "; " + raw["note"].str.strip()).str.strip("; ")
    return pd.DataFrame({
        "name": names, "measure": raw["measure"].str.strip(),
        "area_code": raw["area_code"].str.strip(),
        "area_name": raw["area_name"].str.strip(),
        "period": period_labels(raw["period"].str.strip(), path),
        "value": split["value"], "count": count, "status": split["status"], "note": note,
        "line": raw.index + 2,
    })  # fmt: skip


def import_tidy(
    path: Path | str, source: str | None = None, vintage: str | None = None
) -> pd.DataFrame:
    """Values rows from a tidy CSV, each indicator given a short id (at most 40 characters).

    ``source`` defaults to a short id of the file name, ``vintage`` to the
    file's modification date (said so in ``note``). The project-aware import,
    with ``--id``, merging and catalogue stubs, is
    :func:`analysis.imports.import_tidy_file`.
    """
    from analysis.stubs import unique_ids

    path = Path(path)
    frame = read_tidy(path)
    ids = unique_ids(frame["name"].drop_duplicates())
    frame["indicator_id"] = frame["name"].map(ids)
    if vintage is None:
        vintage = date.fromtimestamp(path.stat().st_mtime).isoformat()
        frame["note"] = (frame["note"] + "; vintage is the file date").str.lstrip("; ")
    return _values(frame, source or slugify(path.stem)[:40], vintage)[VALUE_COLUMNS]


_UNITS = {
    "rate per 10,000 children": "rate_per_10k",
    "percent": "percent",
    "count": "count",
}
_MEASURES = {"Annual": "snapshot", "Annual (end of Sept)": "snapshot", "Financial Year": "flow"}
_WHOLE_NUMBER_RATES = {
    "LAC",
    "LAC_Start_Rate",
    "LAC_Cease_Rate",
}  # DfE publishes CLA rates as whole numbers
_NOTES = {
    "CPP_Total_Rateper10,000": "Despite its LAIT code, this is the referrals rate per 10,000."
}


def import_lait_metadata(path: Path | str) -> list[dict]:
    """Catalogue entries (the ``indicators.yml`` shape) from the LAIT indicator metadata.

    Polarity High/Low/blank becomes ``better: high/low/null``; decimals come
    from LAIT where given, else 0 for counts and CLA rates and 1 otherwise.
    Ids are snake_case slugs of the LAIT code, with ``dfe: {lait: CODE}``.
    """
    raw = read_table(path, ["indicator_code", "indicator", "polarity", "unit_in_data_file"])
    return [_catalogue_entry(row) for row in raw.to_dict("records") if row["indicator_code"]]


SHORT_LABEL_LIMIT = 80
"""Longest short title kept whole; DfE labels run to 336 characters."""


def short_label(text: str, limit: int = SHORT_LABEL_LIMIT) -> str:
    """Shorten a publisher's label for tables (the full text stays the ``title``).

    Keep the first line; drop a trailing bracket if still too long; then cut at a
    word with an ellipsis.
    """
    label = " ".join(str(text).strip().splitlines()[0].split()) if str(text).strip() else ""
    if len(label) > limit and " (" in label and label.index(" (") >= 20:
        label = label[: label.index(" (")]
    if len(label) > limit:
        label = label[: label.rfind(" ", 0, limit - 1)].rstrip(" ,;:") + "\u2026"
    return label


def _catalogue_entry(row: dict) -> dict:
    code = row["indicator_code"].strip()
    unit = _UNITS.get(row["unit_in_data_file"].strip(), "score")
    places = row.get("lait_decimal_places", "").strip()
    decimals = int(float(places)) if places else (0 if unit == "count" else 1)
    if code in _WHOLE_NUMBER_RATES:
        decimals = 0
    polarity = row["polarity"].strip().lower()
    dfe = {"lait": code}
    if code in LAIT_COUNTS:
        dfe["lait_count"] = LAIT_COUNTS[code]
    if code in LAIT_TO_EES:
        dfe["ees"] = LAIT_TO_EES[code]
    notes = [n for n in (_NOTES.get(code), row.get("description", "").strip()) if n]
    return {
        "id": slugify(code),
        "title": row["indicator"].strip(),
        "short_title": short_label(row.get("lait_data_item_label") or row["indicator"]),
        "better": polarity if polarity in ("high", "low") else None,
        "unit": unit,
        "show_count": code in LAIT_COUNTS,
        "decimals": decimals,
        "frequency": "annual",
        "measure": _MEASURES.get(row.get("year_type", "").strip(), "snapshot"),
        "denominator": "child_population" if unit == "rate_per_10k" else None,
        "service": "Children's Services",
        "dfe": dfe,
        "notes": notes,
    }


def sources_entries() -> list[dict]:
    """List the DfE and ONS releases as ``sources.yml`` entries."""
    return [
        {"id": key, **{k: v for k, v in meta.items()}, "licence": LICENCE}
        for key, meta in SOURCES.items()
    ]


# Councils whose GSS code changed with no change of area (county -> unitary):
# older rows in the EES and ONS files keep the old code.
SUCCESSOR_CODES = {
    "E10000002": "E06000060",  # Buckinghamshire, April 2020
    "E10000023": "E06000065",  # North Yorkshire, April 2023
    "E10000027": "E06000066",  # Somerset, April 2023
}


def harmonise_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Rewrite an old GSS code to its successor's where the area did not change.

    Rows that move say so in ``note``; where both codes have a row for the same
    indicator and period the successor's row is kept.
    """
    old = frame["area_code"].isin(SUCCESSOR_CODES)
    if not old.any():
        return frame
    out = frame.copy()
    moved_note = "published under the predecessor code " + out.loc[old, "area_code"]
    out.loc[old, "note"] = (out.loc[old, "note"].fillna("") + "; " + moved_note).str.lstrip("; ")
    out.loc[old, "area_code"] = out.loc[old, "area_code"].map(SUCCESSOR_CODES)
    out = out.assign(_old=old).sort_values("_old", kind="stable")
    out = out.drop_duplicates(["indicator_id", "area_code", "period"], keep="first")
    return out.drop(columns="_old").sort_index()


def dfe_files(source_dir: Path | str, kinds: tuple[str, ...]) -> dict[str, Path]:
    """Find the DfE files of the kinds asked for in a folder, by their columns.

    The bundled names (``LAIT_FILE``...) are not needed: any ``*.csv`` with
    the right columns is found (:func:`analysis.filekinds.require_source_files`).
    """
    from analysis.filekinds import require_source_files

    return require_source_files(source_dir, kinds)


def _group_codes(raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else []
    return [str(a["area_code"] if isinstance(a, dict) else a) for a in items]


def council_area_codes(council: dict) -> list[str]:
    """List the council, its neighbours, its region and England, from a ``council.yml`` mapping.

    The neighbours are those of every DfE model listed (``neighbours.models``),
    then every council of every group under ``comparators:``.
    """
    codes = [council["council"]["area_code"]]
    neighbours = council.get("neighbours") or {}
    codes += _group_codes(neighbours.get("areas"))
    for model in neighbours.get("models") or []:
        codes += _group_codes((model or {}).get("areas"))
    for group in (council.get("comparators") or {}).values():
        codes += _group_codes((group or {}).get("areas"))
    codes.append(council.get("region", {}).get("area_code"))
    codes.append(council.get("england", {}).get("area_code", ENGLAND))
    return list(dict.fromkeys(c for c in codes if c))


def _series(table: pd.DataFrame, code: str, where: str, entry_id: str) -> pd.DataFrame:
    rows = table[table["indicator_id"] == code]
    if rows.empty:
        known = ", ".join(sorted(table["indicator_id"].unique())[:40])
        raise DataError(
            f"indicators.yml, indicator {entry_id!r}: {where} series {code!r} is not in the "
            f"published file. Fix: use one of {known}"
        )
    return rows


def _pick(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per area and period: a row with a value beats a marker, then lower priority."""
    rows = pd.concat(parts, ignore_index=True)
    rows["_missing"] = rows["value"].isna()
    rows = rows.sort_values(["area_code", "period", "_missing", "_priority"], kind="stable")
    return rows.drop_duplicates(["area_code", "period"]).drop(columns=["_missing", "_priority"])


def _parts(
    mapping: dict, keys: tuple[str, ...], tables: dict, entry_id: str, strict: bool = True
) -> list:
    found = [(key, mapping[key]) for key in keys if mapping.get(key)]
    if not strict:  # a refresh from one file: series of the other file, or absent, are skipped
        found = [(k, c) for k, c in found if tables[k] is not None and
                 (tables[k]["indicator_id"] == c).any()]  # fmt: skip
    return [
        _series(tables[key], code, key, entry_id).assign(_priority=i)
        for i, (key, code) in enumerate(found)
    ]


def _indicator_values(
    entry: dict, lait: pd.DataFrame | None, ees: pd.DataFrame | None, strict: bool = True
) -> pd.DataFrame:
    mapping, entry_id = dict(entry["dfe"]), entry["id"]
    lait_code = mapping.get("lait") or mapping.get("lait_rate")
    if lait_code in LAIT_TO_EES and not mapping.get("ees"):
        mapping["ees"] = LAIT_TO_EES[lait_code]
    tables = {"ees": ees, "lait": lait, "lait_rate": lait, "ees_count": ees, "lait_count": lait}
    value_parts = _parts(mapping, ("ees", "lait", "lait_rate"), tables, entry_id, strict)
    count_parts = _parts(mapping, ("ees_count", "lait_count"), tables, entry_id, strict)
    if not value_parts:
        value_parts, count_parts = count_parts, []
    if not value_parts:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    out = _pick(value_parts)
    if count_parts:
        counts = _pick(count_parts)[["area_code", "period", "value"]]
        out = out.merge(counts.rename(columns={"value": "_count"}), on=["area_code", "period"],
                        how="left")  # fmt: skip
        out["count"] = out["count"].fillna(out["_count"])
    return out.assign(indicator_id=entry_id)[VALUE_COLUMNS]


def build_dfe_values(indicators: list[dict], council: dict, source_dir: Path) -> pd.DataFrame:
    """Build published benchmark values for every catalogue entry with a ``dfe:`` mapping.

    Parameters
    ----------
    indicators : list of dict
        Catalogue entries (``indicators.yml``). A ``dfe`` mapping may name
        ``lait`` / ``lait_rate`` (LAIT code of the headline value), ``lait_count``,
        ``ees`` (EES indicator title) and ``ees_count``. A LAIT rate that EES
        also publishes (``LAIT_TO_EES``) brings in the EES series without
        being asked.
    council : dict
        The ``council.yml`` mapping: council, region, england and neighbours.
    source_dir : Path
        Folder holding the DfE and ONS files (``LAIT_FILE``, ``EES_FILE``).

    Returns
    -------
    pandas.DataFrame
        Values rows (``VALUE_COLUMNS``) for the council, its ten neighbours,
        its region and England, every year published. Where EES and LAIT both
        publish a figure the EES value is used (it goes back to 2012-13); the
        ``source`` column says which (``dfe_ees_2023`` or ``dfe_lait_2023``).
        ``indicator_id`` is the catalogue's ``id``.
    """
    if not any(entry.get("dfe") for entry in indicators):
        return pd.DataFrame(columns=VALUE_COLUMNS)
    files = dfe_files(source_dir, ("lait", "ees"))
    return council_dfe_values(indicators, council, read_lait(files["lait"]),
                              read_ees(files["ees"]))  # fmt: skip


def council_dfe_values(
    indicators: list[dict], council: dict, lait: pd.DataFrame, ees: pd.DataFrame
) -> pd.DataFrame:
    """Pick one council's ``values/dfe.csv`` rows from LAIT and EES tables already read.

    :func:`build_dfe_values` after reading the files; ``outturn national`` reads
    them once (:func:`read_lait`, :func:`read_ees`) and calls this per council.
    """
    mapped = [entry for entry in indicators if entry.get("dfe")]
    if not mapped:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    areas = council_area_codes(council)
    lait = harmonise_codes(lait[lait["area_code"].isin(areas + list(SUCCESSOR_CODES))])
    ees = harmonise_codes(ees[ees["area_code"].isin(areas + list(SUCCESSOR_CODES))])
    lait, ees = lait[lait["area_code"].isin(areas)], ees[ees["area_code"].isin(areas)]
    frames = [_indicator_values(entry, lait, ees) for entry in mapped]
    return _in_council_order(pd.concat(frames, ignore_index=True), areas)


def _in_council_order(out: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """Sort values by indicator, then area as ``council.yml`` lists them, then period."""
    order = {code: i for i, code in enumerate(areas)}
    out = out.assign(_area=out["area_code"].map(order),
                     _period=out["period"].map(lambda p: parse_period(p).sort_key()))  # fmt: skip
    out = out.sort_values(["indicator_id", "_area", "_period"], kind="stable")
    return out.drop(columns=["_area", "_period"]).reset_index(drop=True)


def all_dfe_values(indicators: list[dict], lait: pd.DataFrame, ees: pd.DataFrame) -> pd.DataFrame:
    """Pick every area's values for the catalogue's DfE-mapped entries at once.

    ``lait`` and ``ees`` are :func:`read_lait` and :func:`read_ees` tables of
    every area. A value is picked per area and period, so one council's rows
    (:func:`council_rows`) are what :func:`council_dfe_values` picks for it;
    ``outturn national`` picks once for every council.
    """
    mapped = [entry for entry in indicators if entry.get("dfe")]
    if not mapped:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    lait, ees = harmonise_codes(lait), harmonise_codes(ees)
    return pd.concat([_indicator_values(e, lait, ees) for e in mapped], ignore_index=True)


def council_rows(values: pd.DataFrame, council: dict) -> pd.DataFrame:
    """Keep the rows of :func:`all_dfe_values` for one council's ``values/dfe.csv``, in order."""
    areas = council_area_codes(council)
    return _in_council_order(values[values["area_code"].isin(areas)], areas)
