"""Set up a project for any English council from DfE's neighbour lists and LAIT data."""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from pathlib import Path

import pandas as pd
import yaml

from analysis.benchmarking import (
    MODEL_2021,
    MODEL_2025,
    RANK_COLUMNS,
    SN_MODEL_YEARS,
    rank_all_councils,
    rank_values,
    ranks_for_council,
)
from analysis.errors import ConfigError
from analysis.importing import (
    ENGLAND,
    LAIT_FILE,
    LICENCE,
    NEIGHBOURS_FILE,
    all_dfe_values,
    council_dfe_values,
    council_rows,
    dfe_files,
    import_lait_metadata,
    import_neighbours,
    read_ees,
    read_lait,
    sources_entries,
)
from analysis.projectfiles import append_list_items, replace_blocks, write_files

MODELS = {MODEL_2021: "dfe_sn_2021", MODEL_2025: "dfe_sn_2025"}
# The April 2021 model applies to every year of the bundled data (to 2022-23);
# see analysis.benchmarking.SN_MODEL_YEARS.
DEFAULT_MODEL = MODEL_2021


def default_source_dir(project: Path) -> Path:
    """Find the shared DfE/ONS folder ``../shared/data`` beside the project.

    Raises
    ------
    ConfigError
        When that folder does not exist.
    """
    candidate = (Path(project).resolve() / ".." / "shared" / "data").resolve()
    if not candidate.is_dir():
        raise ConfigError(
            f"no DfE/ONS data folder at {candidate}. Fix: pass --source-dir DIR, the folder "
            f"holding {LAIT_FILE} and {NEIGHBOURS_FILE}"
        )
    return candidate


def find_council(query: str, neighbours: pd.DataFrame) -> pd.Series:
    """Find one council by GSS code, DfE LA number or name (case-insensitive).

    An exact match wins; otherwise a name containing ``query``.

    Raises
    ------
    ConfigError
        When nothing matches (naming the nearest names) or several councils do
        (listing them).
    """
    councils = neighbours.drop_duplicates("area_code")
    text = query.strip().lower()
    exact = councils[
        (councils["area_code"].str.lower() == text)
        | (councils["la_number"].astype(str) == text)
        | (councils["area_name"].str.lower() == text)
    ]
    found = exact if len(exact) else councils[councils["area_name"].str.lower().str.contains(
        text, regex=False)]  # fmt: skip
    if len(found) == 1:
        return found.iloc[0]
    if len(found) > 1:
        listed = "; ".join(f"{r.area_name} ({r.area_code})" for r in found.itertuples())
        raise ConfigError(
            f"--council {query!r} matches {len(found)} councils: {listed}. "
            "Fix: give the full name or the GSS code"
        )
    near = difflib.get_close_matches(query, councils["area_name"].tolist(), n=5, cutoff=0.5)
    hint = f" Did you mean: {', '.join(near)}?" if near else ""
    raise ConfigError(
        f"--council {query!r} matches no council in {NEIGHBOURS_FILE}.{hint} "
        "Fix: give a council name, its GSS code (E06000009) or DfE LA number (890)"
    )


def council_config(
    query: str, neighbours: pd.DataFrame, regions: pd.DataFrame, model: str = DEFAULT_MODEL
) -> dict:
    """Build the ``council.yml`` mapping for one council under one neighbour model.

    Parameters
    ----------
    query : str
        Council name, GSS code or DfE LA number.
    neighbours : pandas.DataFrame
        :func:`analysis.importing.import_neighbours` output (both models).
    regions : pandas.DataFrame
        Region rows (``area_name``, ``area_code``) used to find the region's GSS code.
    model : str
        ``"DfE CSC SN model April 2021"`` or ``"DfE CSC SN model May 2025"``.
    """
    if model not in MODELS:
        raise ConfigError(f"--model {model!r} is not known. Fix: use one of {', '.join(MODELS)}")
    row = find_council(query, neighbours)
    rows = neighbours[(neighbours["model"] == model) & (neighbours["area_code"] == row.area_code)]
    if rows.empty:
        other = [m for m in MODELS if m != model][0]
        raise ConfigError(
            f"{row.area_name} has no neighbours in the {model}. Fix: --model {other!r}"
        )
    codes = dict(zip(regions["area_name"], regions["area_code"], strict=False))
    areas = [
        {"rank": int(r.rank), "area_code": r.sn_area_code, "name": r.sn_area_name,
         "closeness": r.closeness}
        for r in rows.sort_values("rank").itertuples()
    ]  # fmt: skip
    return {
        "council": {"name": row.area_name, "area_code": row.area_code,
                    "la_number": int(row.la_number) if str(row.la_number).isdigit() else None},
        "region": {"name": rows.iloc[0]["region"], "area_code": codes.get(rows.iloc[0]["region"])},
        "england": {"name": "England", "area_code": ENGLAND},
        "neighbours": {"model": model, "source": MODELS[model], "average": "mean",
                       "areas": areas, "models": neighbour_models(row.area_code, neighbours)},
        "report": {"exception_rule": ["off_target", "worse_than_year_end"], "suppress_below": 5},
    }  # fmt: skip


def _fy_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def neighbour_models(area_code: str, neighbours: pd.DataFrame) -> list[dict]:
    """Both DfE neighbour models of one council, each with the financial years it is in force.

    The April 2021 model serves every year up to 2024-25 and the May 2025
    model 2025-26 on (``analysis.benchmarking.SN_MODEL_YEARS``); a council in
    only one model has that one for every year.
    """
    out = []
    for model in MODELS:
        rows = neighbours[(neighbours["model"] == model) & (neighbours["area_code"] == area_code)]
        if rows.empty:
            continue
        first, last = SN_MODEL_YEARS[model]
        years = {"from": _fy_label(first)} if first > 1990 else {}
        years |= {"to": _fy_label(last)} if last < 2100 else {}
        areas = [
            {"rank": int(r.rank), "area_code": r.sn_area_code, "name": r.sn_area_name,
             "closeness": r.closeness} for r in rows.sort_values("rank").itertuples()
        ]  # fmt: skip
        out.append({"model": model, "source": MODELS[model], "years": years, "areas": areas})
    if len(out) == 1:
        out[0]["years"] = {}
    return out


def catalogue(metadata_path: Path) -> dict:
    """Build the ``indicators.yml`` mapping from the LAIT indicator metadata."""
    return {
        "denominators": {
            "child_population": {"title": "Children aged 0-17 (ONS mid-year estimate)"}
        },
        "indicators": import_lait_metadata(metadata_path),
    }


def sources(files: dict[str, Path]) -> dict:
    """Build the ``sources.yml`` mapping: the DfE and ONS releases and both neighbour models.

    ``files`` are the files found by their columns (kind -> path).
    """
    entries = sources_entries()
    by_id = {"dfe_lait_2023": "lait", "dfe_ees_2023": "ees", "ons_mye_2022": "population"}
    for entry in entries:
        kind = by_id.get(entry["id"])
        entry["file"] = str(files.get(kind) or entry["file"])
    for model, key in MODELS.items():
        entries.append({
            "id": key, "title": f"Children's services statistical neighbours: {model}",
            "publisher": "Department for Education",
            "published": "2021-04-01" if key == "dfe_sn_2021" else "2025-05-01",
            "file": str(files["neighbours"]), "licence": LICENCE,
            "notes": ["Publication date estimated from the model's name."],
        })  # fmt: skip
    return {"sources": entries}


MADE_BY = "written by outturn init from DfE/ONS data (" + LICENCE + ")"
"""The first line of every file ``outturn init`` writes afresh."""


def _fresh(header: str, data: dict) -> str:
    return f"# {header}\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _existing_ids(text: str, key: str) -> set[str]:
    raw = (yaml.safe_load(text) if text.strip() else None) or {}
    items = raw.get(key) if isinstance(raw, dict) else None
    return {str(e.get("id")) for e in items or [] if isinstance(e, dict)}


def _setup_texts(data: Path, council: dict, indicators: dict, source_list: dict,
                 force: bool) -> dict[Path, str]:  # fmt: skip
    """Make council.yml, indicators.yml and sources.yml: fresh, or merged under --force."""
    made_by = MADE_BY
    paths = {k: data / f"{k}.yml" for k in ("council", "indicators", "sources")}
    if not force or not paths["council"].is_file():
        texts = {"council": _fresh(made_by, council), "indicators": _fresh(made_by, indicators)}
        texts["sources"] = _fresh(made_by, source_list)
    else:
        keys = ("council", "region", "england", "neighbours")
        texts = {"council": replace_blocks(_text(paths["council"]),
                                           {k: council[k] for k in keys})}  # fmt: skip
    for name, key, fresh in (("indicators", "indicators", indicators),
                             ("sources", "sources", source_list)):  # fmt: skip
        if name in texts:
            continue
        old = _text(paths[name])
        if not old.strip():
            texts[name] = _fresh(made_by, fresh)
            continue
        have = _existing_ids(old, key)
        texts[name] = append_list_items(old, key, [e for e in fresh[key] if e["id"] not in have])
    return {paths[k]: v for k, v in texts.items()}


@dataclass(frozen=True)
class DfeTables:
    """The DfE files a project is set up from, read once.

    ``outturn init`` reads them for one council. ``outturn national`` reads
    them once with ``for_many``: then every area's values (``values``) are
    picked and every council ranked (``ranked``) once, for the fresh catalogue
    (``fresh_entries``, as ``fresh_text`` reads), and each council's files are
    cut from those (:func:`council_texts`).
    """

    files: dict[str, Path]
    neighbours: pd.DataFrame
    lait: pd.DataFrame
    ees: pd.DataFrame
    catalogue: dict
    sources: dict
    values: pd.DataFrame | None = None
    ranked: pd.DataFrame | None = None
    fresh_text: str = ""
    fresh_entries: tuple[dict, ...] = ()
    sources_text: str = ""

    @property
    def regions(self) -> pd.DataFrame:
        """Region names and GSS codes, from the LAIT file's region rows."""
        rows = self.lait.loc[self.lait["area_type"] == "Region", ["area_name", "area_code"]]
        return rows.drop_duplicates()


def read_dfe_tables(source_dir: Path, for_many: bool = False) -> DfeTables:
    """Read the DfE files in ``source_dir`` (found by their columns) once.

    ``for_many`` also picks every area's values and ranks every council, once
    (:func:`analysis.importing.all_dfe_values`,
    :func:`analysis.benchmarking.rank_values`), for many councils' files.
    """
    files = dfe_files(source_dir, ("lait", "lait-metadata", "ees", "neighbours"))
    lait, ees = read_lait(files["lait"]), read_ees(files["ees"])
    fresh = catalogue(files["lait-metadata"])
    tables = DfeTables(files, import_neighbours(files["neighbours"]), lait, ees, fresh,
                       sources(files))  # fmt: skip
    if not for_many:
        return tables
    text = _fresh(MADE_BY, fresh)  # a new project's indicators.yml, parsed once for all
    entries = catalogue_entries(text)
    values = all_dfe_values(entries, lait, ees)
    return dataclass_replace(
        tables, values=values, ranked=rank_values(entries, values), fresh_text=text,
        fresh_entries=tuple(entries), sources_text=_fresh(MADE_BY, tables.sources),
    )  # fmt: skip


def values_key(entries: list[dict]) -> tuple:
    """Return what decides a catalogue's DfE values: each DfE entry's id and mapping."""
    return tuple((e["id"], repr(e["dfe"])) for e in entries if e.get("dfe"))


def rank_key(entries: list[dict]) -> tuple:
    """Return what decides a catalogue's ranks: each DfE entry's id, mapping, unit, polarity."""
    return tuple(
        (e["id"], repr(e["dfe"]), e.get("unit"), e.get("better")) for e in entries if e.get("dfe")
    )


def council_texts(data: Path, council: dict, tables: DfeTables, force: bool = False
                  ) -> dict[Path, str]:  # fmt: skip
    """Every file ``outturn init`` (``--force``: init again) writes in ``data`` for one council.

    council.yml, indicators.yml and sources.yml (merged with those already
    there under ``force``), ``values/dfe.csv`` and ``ranks.csv``. Values and
    ranks are cut from ``tables.values`` and ``tables.ranked`` when the
    catalogue picks and ranks as the fresh one does, else made for it.
    """
    if force or not tables.fresh_text:
        texts = _setup_texts(data, council, tables.catalogue, tables.sources, force)
    else:  # what _setup_texts writes afresh, with the texts every council shares made once
        texts = {data / "council.yml": _fresh(MADE_BY, council),
                 data / "indicators.yml": tables.fresh_text,
                 data / "sources.yml": tables.sources_text}  # fmt: skip
    text = texts[data / "indicators.yml"]
    fresh = list(tables.fresh_entries)
    entries = fresh if text == tables.fresh_text else catalogue_entries(text)
    if tables.values is not None and values_key(entries) == values_key(fresh):
        values = council_rows(tables.values, council)
    else:
        values = council_dfe_values(entries, council, tables.lait, tables.ees)
    if tables.ranked is not None and rank_key(entries) == rank_key(fresh):
        ranked = tables.ranked
    else:
        ranked = rank_all_councils(entries, tables.lait, tables.ees)
    return texts | dfe_texts(data, values, ranks_for_council(ranked, council))


def catalogue_entries(text: str) -> list[dict]:
    """Return the indicator entries of an ``indicators.yml`` text (those with an id)."""
    entries = (yaml.safe_load(text) or {}).get("indicators") or []
    return [e for e in entries if isinstance(e, dict) and e.get("id")]


def dfe_texts(data: Path, values: pd.DataFrame, ranks: pd.DataFrame) -> dict[Path, str]:
    """Return ``values/dfe.csv`` and ``ranks.csv`` as ``outturn init`` writes them."""
    ranks = ranks[RANK_COLUMNS].sort_values(["indicator_id", "area_code", "period"], kind="stable")
    return {
        data / "values" / "dfe.csv": values.to_csv(index=False, lineterminator="\n"),
        data / "ranks.csv": ranks.astype({"rank": "Int64", "of": "Int64"}).to_csv(
            index=False, lineterminator="\n"),
    }  # fmt: skip


def init_project(
    project: Path, query: str, model: str = DEFAULT_MODEL, source_dir: Path | None = None,
    force: bool = False, notes: list[str] | None = None,
) -> dict:  # fmt: skip
    """Write ``data/council.yml``, ``indicators.yml``, ``sources.yml``, ``values/dfe.csv``.

    Also writes ``data/ranks.csv``: the council's and its neighbours' national
    rank and quartile band (:func:`analysis.benchmarking.build_dfe_ranks`), and
    ``values/dfe.csv`` as :func:`analysis.importing.build_dfe_values` picks it.
    The DfE files are found in ``source_dir`` by their columns. Returns the
    council mapping written. Refuses to overwrite an existing ``council.yml``
    unless ``force``; with ``force`` council.yml keeps every top-level key but
    council, region, england and neighbours, and indicators.yml and sources.yml
    keep every entry they have (DfE entries missing from them are added).
    ``notes`` collects what the command line should tell the user.
    """
    project = Path(project)
    source_dir = Path(source_dir) if source_dir else default_source_dir(project)
    data = project / "data"
    if (data / "council.yml").exists() and not force:
        raise ConfigError(f"{data / 'council.yml'} already exists. Fix: use --force (see "
                          "'outturn init --help' for what it rewrites), or a new --project "
                          "folder")  # fmt: skip
    tables = read_dfe_tables(source_dir)
    council = council_config(query, tables.neighbours, tables.regions, model)
    texts = council_texts(data, council, tables, force)
    write_files(texts)
    if notes is not None and tables.lait.attrs.get("vintage_note"):
        notes.append(tables.lait.attrs["vintage_note"])
    if notes is not None:
        values = pd.read_csv(io.StringIO(texts[data / "values" / "dfe.csv"]),
                             dtype={"area_code": str, "period": str})  # fmt: skip
        entries = catalogue_entries(texts[data / "indicators.yml"])
        notes += rate_check_notes(values, council, entries, source_dir)
    return council


def rate_check_notes(
    values: pd.DataFrame, council: dict, entries: list[dict], source_dir: Path
) -> list[str]:
    """Say whether the council's DfE rates agree with their counts over ONS populations."""
    from analysis.filekinds import find_source_files
    from analysis.importing import import_population
    from analysis.rates import check_published_rates

    found = find_source_files(source_dir).get("population")
    if found is None:
        return ["no ONS population file found: the DfE rates were not checked against counts"]
    rates = {e["id"] for e in entries if e.get("unit") == "rate_per_10k"}
    own = values[(values["area_code"] == council["council"]["area_code"])
                 & values["indicator_id"].isin(rates)]  # fmt: skip
    whole = {e["id"] for e in entries if e.get("decimals") == 0}
    checked, differ = check_published_rates(own, import_population(found), whole)
    if differ.empty:
        return [f"checked {checked} of the council's DfE rates per 10,000 against their counts "
                "and ONS child populations: all agree to rounding"]  # fmt: skip
    shown = "; ".join(
        f"{r.indicator_id} {r.period}: {r.published:g} published, {r.rate:.1f} from "
        f"{r.count:g} children of {r.population:g}"
        for r in differ.head(5).itertuples(index=False)
    )
    return [f"checked {checked} of the council's DfE rates per 10,000: {len(differ)} differ "
            f"from count / population by more than rounding, e.g. {shown}: DfE may have used "
            "another population estimate"]  # fmt: skip
