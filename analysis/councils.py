"""Set up a project for any English council from DfE's neighbour lists and LAIT data."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd
import yaml

from analysis.benchmarking import MODEL_2021, MODEL_2025, build_dfe_ranks, write_ranks
from analysis.errors import ConfigError
from analysis.importing import (
    ENGLAND,
    LAIT_FILE,
    LAIT_METADATA_FILE,
    LICENCE,
    NEIGHBOURS_FILE,
    build_dfe_values,
    import_lait_metadata,
    import_neighbours,
    read_lait,
    sources_entries,
)

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
                       "areas": areas},
        "report": {"exception_rule": ["off_target", "worse_than_year_end"], "suppress_below": 5},
    }  # fmt: skip


def catalogue(metadata_path: Path) -> dict:
    """Build the ``indicators.yml`` mapping from the LAIT indicator metadata."""
    return {
        "denominators": {
            "child_population": {"title": "Children aged 0-17 (ONS mid-year estimate)"}
        },
        "indicators": import_lait_metadata(metadata_path),
    }


def sources(source_dir: Path) -> dict:
    """Build the ``sources.yml`` mapping: the DfE and ONS releases and both neighbour models."""
    entries = sources_entries()
    for entry in entries:
        entry["file"] = str(Path(source_dir) / entry["file"])
    for model, key in MODELS.items():
        entries.append({
            "id": key, "title": f"Children's services statistical neighbours: {model}",
            "publisher": "Department for Education",
            "published": "2021-04-01" if key == "dfe_sn_2021" else "2025-05-01",
            "file": str(Path(source_dir) / NEIGHBOURS_FILE), "licence": LICENCE,
            "notes": ["Publication date estimated from the model's name."],
        })  # fmt: skip
    return {"sources": entries}


def _write_yaml(path: Path, data: dict, header: str) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# {header}\n{text}", encoding="utf-8")


def init_project(
    project: Path, query: str, model: str = DEFAULT_MODEL, source_dir: Path | None = None,
    force: bool = False,
) -> dict:  # fmt: skip
    """Write ``data/council.yml``, ``indicators.yml``, ``sources.yml``, ``values/dfe.csv``.

    Also writes ``data/ranks.csv``: the council's and its neighbours' national
    rank and quartile band (:func:`analysis.benchmarking.build_dfe_ranks`).
    Returns the council mapping written. Refuses to overwrite an existing
    ``council.yml`` unless ``force``.
    """
    project = Path(project)
    source_dir = Path(source_dir) if source_dir else default_source_dir(project)
    data = project / "data"
    if (data / "council.yml").exists() and not force:
        raise ConfigError(f"{data / 'council.yml'} already exists. Fix: use --force, or a new "
                          "--project folder")  # fmt: skip
    neighbours = import_neighbours(source_dir / NEIGHBOURS_FILE)
    lait = read_lait(source_dir / LAIT_FILE)
    regions = lait.loc[lait["area_type"] == "Region", ["area_name", "area_code"]]
    council = council_config(query, neighbours, regions.drop_duplicates(), model)
    indicators = catalogue(source_dir / LAIT_METADATA_FILE)
    (data / "values").mkdir(parents=True, exist_ok=True)
    made_by = "written by outturn init from DfE/ONS data (" + LICENCE + ")"
    _write_yaml(data / "council.yml", council, made_by)
    _write_yaml(data / "indicators.yml", indicators, made_by)
    _write_yaml(data / "sources.yml", sources(source_dir), made_by)
    values = build_dfe_values(indicators["indicators"], council, source_dir)
    values.to_csv(data / "values" / "dfe.csv", index=False)
    ranks = build_dfe_ranks(indicators["indicators"], council, source_dir)
    write_ranks(ranks, data / "ranks.csv")
    return council
