"""Which kind of table a file is (LAIT, EES, population, neighbours, tidy, PI book), by columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError

KIND_NAMES = {
    "lait": "DfE LAIT long file",
    "lait-metadata": "DfE LAIT indicator metadata",
    "ees": "DfE Explore Education Statistics long table",
    "population": "ONS mid-year population",
    "neighbours": "DfE statistical neighbour list",
    "tidy": "tidy CSV",
    "pibook": "PI book (indicators as rows, periods as columns)",
}
REQUIRED = {
    "lait": ["area_code", "la_number", "area_type", "period", "indicator_code", "value",
             "value_note"],
    "lait-metadata": ["indicator_code", "indicator", "polarity", "unit_in_data_file"],
    "ees": ["area_code", "area_name", "area_type", "period", "indicator", "value", "value_note"],
    "population": ["area_code", "period", "value"],
    "neighbours": ["model", "area_code", "area_name", "sn_rank", "sn_area_code",
                   "sn_area_name", "closeness"],
    "tidy": ["area_code", "period", "indicator", "value"],
}  # fmt: skip
"""Columns each kind must have (checked before anything is written)."""
DFE_KINDS = ("lait", "lait-metadata", "ees", "neighbours", "population")


def header(path: Path | str, sheet: str | None = None) -> list[str]:
    """Read a CSV's column names (stripped), or an Excel sheet's first-row cells.

    Raises
    ------
    DataError
        When the file does not exist or cannot be read.
    """
    from analysis.pibook import _header_text

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found. Fix: check the path")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, nrows=0)
            return [_header_text(c) for c in frame.columns]
        frame = pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path}: cannot be read as a table ({first}). Fix: save it as a "
                        "UTF-8 CSV or an .xlsx workbook") from None  # fmt: skip
    return [str(c).strip() for c in frame.columns]


def kind_of_columns(columns: list[str]) -> str | None:
    """Name the kind of table a header belongs to, or None when it is none of them.

    The most specific kinds are tried first: a LAIT file also has the columns
    of a population table, and a population table those of a tidy one.
    """
    cols = set(columns)
    for kind in ("neighbours", "lait-metadata", "lait", "ees"):
        if set(REQUIRED[kind]) <= cols:
            return kind
    if set(REQUIRED["population"]) <= cols and ("indicator" not in cols or "period_label" in cols):
        return "population"
    if set(REQUIRED["tidy"]) <= cols:
        return "tidy"
    from analysis.periods import is_period

    if "period" not in cols and any(is_period(c) for c in columns):
        return "pibook"
    return None


def _a(name: str) -> str:
    return ("an " if name[:1] in "AEIOU" else "a ") + name


def check_kind(path: Path | str, kind: str, sheet: str | None = None) -> list[str]:
    """Refuse a file that is not of the kind asked for, before anything is written.

    Returns
    -------
    list of str
        The file's columns.

    Raises
    ------
    DataError
        Naming the file, the kind it looks like (and the command for it), or
        the columns it lacks.
    """
    columns = header(path, sheet)
    found = kind_of_columns(columns)
    if found == kind or (kind == "pibook" and found in ("pibook", None)):
        return columns
    shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
    if found is not None:
        raise DataError(
            f"{path}: this looks like {_a(KIND_NAMES[found])} (columns {shown}), not "
            f"{_a(KIND_NAMES[kind])}; nothing was written. Fix: outturn import {found} {path}"
        )
    missing = [c for c in REQUIRED.get(kind, []) if c not in columns]
    raise DataError(
        f"{path}: not {_a(KIND_NAMES[kind])}: column(s) {', '.join(missing)} missing (found: "
        f"{shown}); nothing was written. Fix: rename the header, or import it as another kind"
    )


def find_source_files(folder: Path | str, kinds: tuple[str, ...] = DFE_KINDS) -> dict[str, Path]:
    """Find the DfE and ONS files in a folder by their columns, whatever they are called.

    Every ``*.csv`` in ``folder`` is recognised by its header. A kind with two
    candidate files is an error (which one is meant cannot be guessed).

    Raises
    ------
    DataError
        When the folder does not exist, or two files are of one kind.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder. Fix: pass --source-dir DIR")
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.csv")):
        try:
            kind = kind_of_columns(header(path))
        except DataError:
            continue
        if kind in kinds:
            found.setdefault(kind, []).append(path)
    several = {k: v for k, v in found.items() if len(v) > 1}
    if several:
        kind, paths = next(iter(several.items()))
        raise DataError(
            f"{folder}: {len(paths)} files look like a {KIND_NAMES[kind]}: "
            f"{', '.join(p.name for p in paths)}. Fix: keep one of them in the folder"
        )
    return {kind: paths[0] for kind, paths in found.items()}


def require_source_files(folder: Path | str, kinds: tuple[str, ...]) -> dict[str, Path]:
    """Like :func:`find_source_files`, but every kind in ``kinds`` must be there.

    Raises
    ------
    DataError
        Naming each missing kind and the columns that identify it.
    """
    found = find_source_files(folder)
    missing = [k for k in kinds if k not in found]
    if missing:
        need = "; ".join(f"a {KIND_NAMES[k]} (columns {', '.join(REQUIRED[k])})" for k in missing)
        raise DataError(f"{folder}: no file found for {need}. Fix: put the file in the folder "
                        "(any name ending .csv), or pass another --source-dir")  # fmt: skip
    return found
