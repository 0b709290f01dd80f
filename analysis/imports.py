"""``outturn import``: bring a file into a project, checked, merged, with catalogue stubs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from analysis.catalogue import UNITS
from analysis.config import CouncilConfig, parse_council, read_yaml
from analysis.errors import DataError
from analysis.filekinds import check_kind
from analysis.importing import (
    EES_RATE_COUNTS,
    LAIT_TO_EES,
    SUCCESSOR_CODES,
    VALUE_COLUMNS,
    _indicator_values,
    council_area_codes,
    dfe_source_entry,
    harmonise_codes,
    import_lait_metadata,
    import_neighbours,
    import_population,
    read_ees,
    read_lait,
    read_tidy,
    slugify,
)
from analysis.pibook import PIBook, read_pibook
from analysis.projectfiles import (
    Merge,
    append_list_items,
    dump_yaml,
    merge_values,
    read_values_text,
    values_csv,
    write_files,
)
from analysis.stubs import ID_LIMIT, measure_suffix, parse_id_options, short_id, stub_entry

IMPORT_KINDS = ("lait", "lait-metadata", "ees", "population", "neighbours", "tidy", "pibook")
DFE_VALUES_FILE = "dfe.csv"
"""Where ``outturn init`` writes DfE figures, and ``import lait|ees`` adds new years."""


@dataclass
class ImportResult:
    """What an import did, for the command line to report."""

    kind: str
    file: Path
    rows: int = 0
    merge: Merge | None = None
    dropped: int = 0
    dropped_areas: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    source_created: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass
class Project:
    """The files of a project an import reads and may add to."""

    root: Path
    council_raw: dict
    council: CouncilConfig
    catalogue_text: str
    catalogue_raw: dict
    sources_text: str
    sources_raw: dict

    @property
    def data(self) -> Path:
        """The project's data folder."""
        return self.root / "data"

    @property
    def values_dir(self) -> Path:
        """The folder of values files."""
        return self.data / "values"

    @property
    def entries(self) -> list[dict]:
        """The catalogue's indicator entries (raw)."""
        return [e for e in self.catalogue_raw.get("indicators") or [] if isinstance(e, dict)]

    @property
    def source_ids(self) -> set[str]:
        """Ids of the sources in sources.yml."""
        items = self.sources_raw.get("sources") or []
        return {str(s.get("id")) for s in items if isinstance(s, dict)}

    @property
    def groups(self) -> dict[str, list[str]]:
        """Comparator group id -> every council in it."""
        return {g: group.all_codes for g, group in self.council.comparators.items()}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def open_project(root: Path | str) -> Project:
    """Read the council, catalogue and sources an import needs.

    Raises
    ------
    DataError
        When the project has no ``data/council.yml`` (an import keeps only the
        council's, its groups', region's and England's rows, so it must know them).
    """
    root = Path(root)
    council_file = root / "data" / "council.yml"
    if not council_file.is_file():
        raise DataError(f"{council_file}: not found; nothing was written. Fix: set the project "
                        "up first with 'outturn init --council <name>', or write council.yml "
                        "(docs/data-model.md)")  # fmt: skip
    raw = read_yaml(council_file)
    council = parse_council(raw, council_file)
    catalogue_text, sources_text = (
        _text(root / "data" / "indicators.yml"),
        _text(root / "data" / "sources.yml"),
    )
    catalogue = (yaml.safe_load(catalogue_text) if catalogue_text.strip() else None) or {}
    sources = (yaml.safe_load(sources_text) if sources_text.strip() else None) or {}
    return Project(root, raw, council, catalogue_text, catalogue, sources_text, sources)


def published_date(path: Path, published: str | None) -> tuple[str, list[str]]:
    """Return the vintage to use and any warning: ``--published``, else the file's date.

    Raises
    ------
    DataError
        When ``--published`` is not an ISO date.
    """
    if published:
        try:
            return date.fromisoformat(str(published)).isoformat(), []
        except ValueError:
            raise DataError(f"--published {published!r} is not a date. Fix: write it as "
                            "YYYY-MM-DD, the day the figures were published") from None  # fmt: skip
    day = date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
    return day, [
        f"no --published date given: every figure imported is dated {day}, the date "
        f"{Path(path).name} was last modified, which need not be when its figures were "
        "published ('--as-of' rebuilds use this date). Fix: import with --published "
        "YYYY-MM-DD (a re-import of the same figures changes nothing, so delete the values "
        "file written first)"
    ]


def keep_codes(council: CouncilConfig) -> set[str]:
    """List the areas an import keeps: the council, its groups, region, England and ``SN``."""
    codes = {council.council.area_code, council.england.area_code, "SN"}
    if council.region is not None:
        codes.add(council.region.area_code)
    for group in council.comparators.values():
        codes.update(group.all_codes)
    return codes


def name_lookup(entries: list[dict]) -> dict[str, str]:
    """Catalogue names (id, title, short title, ``name_in_file``), lower-cased -> id."""
    lookup: dict[str, str] = {}
    for entry in entries:
        names = entry.get("name_in_file") or []
        names = [names] if isinstance(names, str) else list(names)
        for name in [entry.get("id"), entry.get("short_title"), entry.get("title"), *names]:
            if name:
                lookup.setdefault(" ".join(str(name).split()).lower(), str(entry["id"]))
    return lookup


def _option_id(name: str, options: dict[str, str]) -> str | None:
    if name in options:
        return options[name]
    base = re.match(r"^(.*) \(([^()]*)\)$", name)  # "Indicator (Measure)": --id for the indicator
    if base and base.group(1) in options:
        suffix = measure_suffix(base.group(2))
        return f"{options[base.group(1)][: ID_LIMIT - len(suffix) - 1]}_{suffix}"
    return None


def assign_ids(
    names: list[str], options: dict[str, str], entries: list[dict]
) -> tuple[dict[str, str], list[str]]:
    """Give each indicator name its id: ``--id``, else the catalogue's, else a new short id.

    Returns
    -------
    tuple of (dict, list)
        Name -> id, and the names whose id is not in the catalogue yet (stubs).
    """
    lookup = name_lookup(entries)
    known = {str(e["id"]) for e in entries if e.get("id")}
    taken, out, new, stub_ids = set(known), {}, [], set()
    for name in names:
        ident = _option_id(name, options) or lookup.get(" ".join(name.split()).lower())
        if ident is None:
            ident = _new_id(name, taken)
        taken.add(ident)
        out[name] = ident
        if ident not in known and ident not in stub_ids:
            stub_ids.add(ident)
            new.append(name)
    return out, new


def _new_id(name: str, taken: set[str]) -> str:
    """Make a short id for a name (an id-like name is kept), unique among ``taken``."""
    base = name[:ID_LIMIT] if re.match(r"^[a-z][a-z0-9_]*$", name) else short_id(name)
    ident, n = base, 2
    while ident in taken:
        ident = f"{base[: ID_LIMIT - len(str(n)) - 1]}_{n}"
        n += 1
    return ident


def _source_id(source: str | None, path: Path) -> str:
    ident = source or short_id(slugify(path.stem).replace("_", " "))
    if not re.match(r"^[A-Za-z0-9][\w.-]*$", ident):
        raise DataError(f"--source {ident!r}: use letters, digits, '_', '-' and '.' only, "
                        "e.g. --source planning_2024")  # fmt: skip
    return ident


def _dropped_note(frame: pd.DataFrame, keep: set[str]) -> tuple[int, list[str]]:
    out = frame[~frame["area_code"].isin(keep)]
    label = out["area_name"].where(out["area_name"] != "", out["area_code"])
    return len(out), list(dict.fromkeys(label))


def _values_rows(frame: pd.DataFrame, source: str, vintage: str) -> pd.DataFrame:
    out = frame.assign(source=source, vintage=vintage)
    for column in VALUE_COLUMNS:
        if column not in out.columns:
            out[column] = ""
    return out[VALUE_COLUMNS]


def commit(
    project: Project,
    result: ImportResult,
    values: pd.DataFrame,
    target: Path,
    source_entries: list[dict],
    stubs: list[dict],
    revision_vintage: str | None = None,
) -> ImportResult:
    """Merge ``values`` into ``target``, add stubs and sources, and write all files at once.

    Nothing is written when the values change nothing and there is no stub or
    source to add.
    """
    others = [read_values_text(p) for p in sorted(project.values_dir.glob("*.csv")) if p != target]
    merge = merge_values(read_values_text(target), values, others, revision_vintage)
    contents: dict[Path, str] = {}
    if merge.added or merge.revised or merge.corrected or not target.is_file():
        contents[target] = values_csv(merge.rows)
    if stubs:
        contents[project.data / "indicators.yml"] = append_list_items(
            project.catalogue_text, "indicators", stubs
        )
    missing = [e for e in source_entries if e["id"] not in project.source_ids]
    if missing:
        contents[project.data / "sources.yml"] = append_list_items(
            project.sources_text, "sources", missing
        )
    result.written = write_files(contents)
    result.merge, result.file, result.rows = merge, target, len(merge.rows)
    result.stubs = [s["id"] for s in stubs]
    result.source_created = ", ".join(e["id"] for e in missing) or None
    return result


def _file_source(ident: str, path: Path, vintage: str, warned: bool, kind: str) -> dict:
    notes = [f"Created by outturn import {kind}. Every figure is dated {vintage}"
             + (", the file's date, not a publication date." if warned else ".")]  # fmt: skip
    return {"id": ident, "title": path.name, "publisher": "", "published": vintage,
            "file": str(path), "notes": notes}  # fmt: skip


def import_tidy_file(
    project: Path | str,
    path: Path | str,
    source: str | None = None,
    published: str | None = None,
    ids: list[str] | None = None,
) -> ImportResult:
    """Import a tidy CSV of the council's own figures into ``data/values/<source>.csv``.

    Parameters
    ----------
    project : Path
        The project folder (with ``data/council.yml``).
    path : Path
        The CSV: ``area_code, period, indicator, value`` (+ ``area_name,
        measure, count, status, note``); periods in any form councils write.
    source : str, optional
        The sources.yml id (created there if missing); default a short id of
        the file name.
    published : str, optional
        The figures' publication date (their vintage); without it the file's
        date is used and a warning says so.
    ids : list of str, optional
        ``"Name in file=short_id"`` options; other indicators get the
        catalogue's id for their name, else a short id (at most 40 characters).

    Returns
    -------
    ImportResult
        Rows added, revised, corrected and unchanged; rows dropped (areas
        outside the council, its comparator groups, region and England); the
        catalogue stubs appended; warnings.
    """
    path = Path(path)
    check_kind(path, "tidy")
    proj = open_project(project)
    options = parse_id_options(ids)
    frame = read_tidy(path)
    vintage, warnings = published_date(path, published)
    source = _source_id(source, path)
    keep = keep_codes(proj.council)
    result = ImportResult("tidy", path, warnings=warnings)
    result.dropped, result.dropped_areas = _dropped_note(frame, keep)
    kept = frame[frame["area_code"].isin(keep)].copy()
    idmap, new = assign_ids(list(dict.fromkeys(kept["name"])), options, proj.entries)
    kept["indicator_id"] = kept["name"].map(idmap)
    stubs = []
    for name in new:
        rows = kept[kept["name"] == name]
        hint = " ".join(rows["measure"].drop_duplicates())
        stubs.append(stub_entry(idmap[name], name, rows, proj.groups, hint=hint))
    _bare_year_note(path, result)
    target = proj.values_dir / f"{source}.csv"
    entry = _file_source(source, path, vintage, bool(warnings), "tidy")
    return commit(proj, result, _values_rows(kept, source, vintage), target, [entry], stubs)


def _bare_year_note(path: Path, result: ImportResult) -> None:
    raw = pd.read_csv(path, dtype=str, usecols=["period"], keep_default_na=False)
    bare = sorted(p for p in raw["period"].str.strip().unique() if re.fullmatch(r"\d{4}", p))
    if bare:
        first = int(bare[0])
        result.notes.append(
            f"periods written as a bare year ({', '.join(bare[:4])}...) are read as the year "
            f"ending 31 March, as DfE writes them: {first} is {first - 1}-{first % 100:02d}"
        )


# --- PI book ------------------------------------------------------------------------------
def _area_codes(book: PIBook, council: CouncilConfig) -> dict[str, str]:
    names = {
        council.council.name.lower(): council.council.area_code,
        council.england.name.lower(): council.england.area_code,
    }
    if council.region is not None:
        names[council.region.name.lower()] = council.region.area_code
    for group in council.comparators.values():
        for area in (*group.areas, *(a for m in group.models for a in m.areas)):
            names.setdefault(area.name.lower(), area.area_code)
    from analysis.pibook import SN_NAMES

    out = {}
    for text in book.values["area"].drop_duplicates():
        low = str(text).strip().lower()
        if low == "":
            out[text] = council.council.area_code
        elif low in SN_NAMES:
            out[text] = "SN"
        elif re.match(r"^[EWSN]\d{8}$", str(text).strip()):
            out[text] = str(text).strip()
        elif low in names:
            out[text] = names[low]
        else:
            raise DataError(f"PI book area {text!r} is not the council, its region, England, "
                            "a comparator council or SN. Fix: write its GSS code")  # fmt: skip
    return out


def _pibook_known(info, unit: str | None) -> dict:
    known: dict = {}
    if info.has_polarity and info.better is not None:
        known["better"] = info.better
    if info.targets:
        known["targets"] = dict(info.targets)
    if unit in UNITS:
        known["unit"] = unit
    return known


def _target_notes(book: PIBook, idmap: dict[str, str], entries: list[dict]) -> list[str]:
    by_id = {str(e.get("id")): e for e in entries}
    notes = []
    for info in book.rows:
        entry = by_id.get(idmap.get(info.key, ""))
        if entry is None:
            continue
        have = {str(k): v for k, v in (entry.get("targets") or {}).items()}
        for year, target in info.targets.items():
            if year not in have:
                notes.append(f"{entry['id']}: the PI book sets a {year} target "
                             f"({target.get('text') or target}) that the catalogue does not "
                             "have; add it to indicators.yml to use it")  # fmt: skip
        if info.has_polarity and info.better and entry.get("better") not in (info.better, None):
            notes.append(f"{entry['id']}: the PI book says better {info.better}, the catalogue "
                         f"{entry.get('better')}; the catalogue is kept")  # fmt: skip
    return notes


def import_pibook_file(
    project: Path | str,
    path: Path | str,
    source: str | None = None,
    published: str | None = None,
    ids: list[str] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Import a PI book (.xlsx or .csv, indicators as rows, periods as columns).

    Rows are matched to the catalogue by id, title or ``--id``; an unknown
    row becomes a catalogue stub (with the book's polarity and targets where
    it has them). Targets and polarity of known indicators are not changed:
    differences are listed in the notes. Figures go to
    ``data/values/<source>.csv``, merged as :func:`import_tidy_file` does.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise DataError(f"{path}: a PI book must be an .xlsx workbook or a .csv file")
    book = read_pibook(path, sheet)  # names a missing sheet
    check_kind(path, "pibook", sheet)
    proj = open_project(project)
    vintage, warnings = published_date(path, published)
    source = _source_id(source, path)
    result = ImportResult("pibook", path, warnings=warnings)
    frame = book.values.assign(area_code=book.values["area"].map(_area_codes(book, proj.council)))
    keep = keep_codes(proj.council)
    result.dropped = int((~frame["area_code"].isin(keep)).sum())
    frame = frame[frame["area_code"].isin(keep)]
    keys = list(dict.fromkeys(info.key for info in book.rows))
    idmap, new = assign_ids(keys, parse_id_options(ids), proj.entries)
    frame = frame.assign(indicator_id=frame["key"].map(idmap), note="")
    stubs = []
    for key in new:
        info = next(i for i in book.rows if i.key == key)
        rows = frame[frame["key"] == key]
        stub = stub_entry(idmap[key], info.title, rows, proj.groups, _pibook_known(info, info.unit))
        stubs.append(stub)
    result.notes += _target_notes(book, idmap, proj.entries)
    if book.ignored:
        result.notes.append(f"columns not read (neither a period, a target nor a known "
                            f"column): {', '.join(book.ignored)}")  # fmt: skip
    target = proj.values_dir / f"{source}.csv"
    entry = _file_source(source, path, vintage, bool(warnings), "pibook")
    return commit(proj, result, _values_rows(frame, source, vintage), target, [entry], stubs)


# --- DfE refresh: lait and ees --------------------------------------------------------------
def import_dfe_file(
    project: Path | str, path: Path | str, kind: str, published: str | None = None
) -> ImportResult:
    """Add a DfE LAIT or EES file's years to a project made by ``outturn init``.

    Series are given the ids the catalogue maps them to (``dfe: {lait: CIN}``
    -> ``cin``), rows are kept for the council, both neighbour models, its
    comparator groups, region and England, and merged into
    ``data/values/dfe.csv``: figures already there change nothing, new years
    are added and a changed figure is kept as a revision. Each year's vintage
    is the date that year was published (:func:`analysis.importing.dfe_vintages`).
    """
    path = Path(path)
    check_kind(path, kind)
    proj = open_project(project)
    entries = [e for e in proj.entries if e.get("dfe") and e.get("id")]
    if not entries:
        catalogue = proj.data / "indicators.yml"
        raise DataError(f"{catalogue}: no indicator has a 'dfe:' mapping, so no series can be "
                        "matched; nothing was written. Fix: set the project up with 'outturn "
                        "init', or add dfe: {lait: CODE} to an indicator")  # fmt: skip
    table = read_lait(path, published) if kind == "lait" else read_ees(path, published)
    areas = council_area_codes(proj.council_raw)
    result = ImportResult(kind, path)
    inside = table["area_code"].isin(areas + list(SUCCESSOR_CODES))
    result.dropped = int((~inside).sum())
    table = harmonise_codes(table[inside])
    table = table[table["area_code"].isin(areas)]
    tables = {"lait": table, "ees": None} if kind == "lait" else {"lait": None, "ees": table}
    parts = [_indicator_values(e, tables["lait"], tables["ees"], strict=False) for e in entries]
    values = pd.concat([p for p in parts if len(p)] or [pd.DataFrame(columns=VALUE_COLUMNS)])
    _unmatched_note(table, entries, kind, result)
    raw = pd.DataFrame({"period": table["period"].str[:4].astype(int).add(1).astype(str)})
    sources = [
        dfe_source_entry(kind, raw, path, s, v)
        for s, v in table.groupby("source")["vintage"].max().items()
    ]
    if published is None and not any(c in table.columns for c in ("published",)):
        result.notes.append("each year is dated by the annual DfE release that first published it "
                            "(see the source's notes); pass --published YYYY-MM-DD, the newest "
                            "year's release date, if the file is not the bundled one")  # fmt: skip
    target = proj.values_dir / DFE_VALUES_FILE
    release = str(table["vintage"].max()) if len(table) else None
    return commit(proj, result, values, target, sources, [], revision_vintage=release)


def _unmatched_note(table: pd.DataFrame, entries: list[dict], kind: str, result) -> None:
    mapped = {str(v) for e in entries for v in (e.get("dfe") or {}).values()}
    mapped |= {LAIT_TO_EES[c] for c in list(mapped) if c in LAIT_TO_EES}  # brought in unasked
    mapped |= {c for r, c in EES_RATE_COUNTS.items() if r in mapped}  # counts beside rates
    codes = sorted(c for c in table["indicator_id"].unique() if c not in mapped)
    if codes:
        result.notes.append(f"{len(codes)} series in the file are not mapped by any catalogue "
                            f"entry and were not imported: {', '.join(codes[:8])}"
                            + ("..." if len(codes) > 8 else "")
                            + ". Fix: add an indicator with dfe: {" + kind + ": CODE}")  # fmt: skip


# --- the other kinds ------------------------------------------------------------------------
def import_table_file(project: Path | str, path: Path | str, kind: str) -> ImportResult:
    """Import a population table, neighbour lists or LAIT metadata (kind checked first).

    ``population`` goes to ``data/population.csv``, ``neighbours`` to
    ``data/neighbours.csv``, ``lait-metadata`` to ``data/indicators.yml``
    (only when there is none yet).
    """
    path, data = Path(path), Path(project) / "data"
    check_kind(path, kind)
    if kind == "lait-metadata":
        out = data / "indicators.yml"
        if out.exists():
            raise DataError(f"{out} already exists; nothing was written. Fix: move it aside, "
                            "then import again")  # fmt: skip
        entries = import_lait_metadata(path)
        write_files({out: dump_yaml({"indicators": entries})})
        return ImportResult(kind, out, rows=len(entries), written=[out])
    reader = {"population": import_population, "neighbours": import_neighbours}[kind]
    out = data / f"{kind}.csv"
    frame = reader(path)
    write_files({out: frame.to_csv(index=False, lineterminator="\n")})
    return ImportResult(kind, out, rows=len(frame), written=[out])


def import_file(
    kind: str,
    path: Path | str,
    project: Path | str,
    source: str | None = None,
    published: str | None = None,
    ids: list[str] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Import one file of a given kind into a project (the ``outturn import`` command).

    Raises
    ------
    DataError
        For an unknown kind, an option the kind does not take, or a file that
        is not of that kind (before anything is written).
    """
    if kind not in IMPORT_KINDS:
        raise DataError(f"unknown import kind {kind!r}. Fix: use one of {', '.join(IMPORT_KINDS)}")
    takes = {"tidy": {"source", "published", "id"}, "pibook": {"source", "published", "id",
             "sheet"}, "lait": {"published"}, "ees": {"published"}}  # fmt: skip
    given = {"source": source, "published": published, "id": ids, "sheet": sheet}
    wrong = [k for k, v in given.items() if v and k not in takes.get(kind, set())]
    if wrong:
        raise DataError(f"outturn import {kind} does not take --{wrong[0]}. Fix: leave it out")
    if kind == "tidy":
        return import_tidy_file(project, path, source, published, ids)
    if kind == "pibook":
        return import_pibook_file(project, path, source, published, ids, sheet)
    if kind in ("lait", "ees"):
        return import_dfe_file(project, path, kind, published)
    return import_table_file(project, path, kind)
