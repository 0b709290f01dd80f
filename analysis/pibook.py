"""Read a council's PI book: indicators as rows, months, quarters or years as columns."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.loading import MARKERS
from analysis.periods import MONTHS, PeriodError, parse_period

ID_HEADERS = ("id", "indicator_id", "indicator id")
TITLE_HEADERS = (
    "indicator", "title", "indicator name", "indicator description", "description", "name",
    "pi", "kpi", "measure name", "performance indicator",
)  # fmt: skip
POLARITY_HEADERS = (
    "polarity", "better", "better to be", "better to be?", "good is", "good performance is",
    "direction of improvement",
)  # fmt: skip
AREA_HEADERS = ("area", "area_code", "area code")
UNIT_HEADERS = ("unit",)
NO_FIGURE = ("", "-", "\u2013", "\u2014", "n/a", "na")
"""Cells that hold no figure (no row is written for them)."""
SN_NAMES = ("sn", "statistical neighbours", "stat neighbours", "stat neighbour",
            "statistical neighbour average", "sn average")  # fmt: skip
_PAIR = re.compile(r"^(?:no\.?\s*)?([\d,]+)\s*\(\s*(?:rate\s*)?([\d,.]*|[a-z-]+)\s*\)$", re.I)
_NUMBER = re.compile(r"^-?[\d,]*\.?\d+\s*%?$")
_TARGET_RULES = [
    (r"^(no target( set)?|none|no target set)$", "none"),
    (r"^(tbc|to be confirmed)$", "tbc"),
    (r"^(decrease|reduce|reduction|lower)\b.*(last|previous) year", "decrease_on_last_year"),
    (r"^(increase|improve|higher)\b.*(last|previous) year", "increase_on_previous_year"),
]


@dataclass
class PIRow:
    """One indicator row of a PI book: its name, area and what the row says about it."""

    key: str  # the id column's value, else the title
    title: str
    area: str
    better: str | None = None  # from a polarity column
    has_polarity: bool = False
    unit: str = ""
    targets: dict[str, dict] = field(default_factory=dict)  # "2017-18" -> target mapping
    where: str = ""


@dataclass
class PIBook:
    """A PI book read into long rows, with what each indicator row says."""

    values: pd.DataFrame  # key, area, period, value, count, status, cell
    rows: list[PIRow]
    ignored: list[str]
    columns: dict[str, str]  # role -> header of the id, title, polarity, area and unit columns


def _header_text(cell: object) -> str:
    if isinstance(cell, (dt.datetime, dt.date)):  # Excel turns "Apr-17" into a date
        return f"{MONTHS[cell.month - 1]} {cell.year}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _period_of_header(text: str) -> str | None:
    try:
        return parse_period(text).label
    except PeriodError:
        return None


def _target_year(text: str) -> str | None:
    if "target" not in text.lower():
        return None
    rest = re.sub(r"target", "", text, flags=re.I).strip(" :-")
    label = _period_of_header(rest)
    return parse_period(label).year().label if label else None


def classify_columns(headers: list[str]) -> tuple[dict[str, str], dict[str, str], dict, list]:
    """Sort a PI book's headers into roles, period columns and target columns.

    Returns
    -------
    tuple
        ``roles`` (``id``, ``title``, ``polarity``, ``area``, ``unit`` -> header),
        ``periods`` (header -> period label), ``targets`` (header -> financial
        year label) and the headers ignored.
    """
    roles, periods, targets, ignored = {}, {}, {}, []
    lookup = {"id": ID_HEADERS, "title": TITLE_HEADERS, "polarity": POLARITY_HEADERS,
              "area": AREA_HEADERS, "unit": UNIT_HEADERS}  # fmt: skip
    for text in headers:
        low = text.lower().strip()
        role = next((r for r, names in lookup.items() if low in names and r not in roles), None)
        if role:
            roles[role] = text
        elif (year := _target_year(text)) is not None:
            targets[text] = year
        elif (label := _period_of_header(text)) is not None:
            periods[text] = label
        else:
            ignored.append(text)
    return roles, periods, targets, ignored


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").strip())


def parse_cell(cell: object) -> tuple[float, float, str] | None:
    """Read one figure: ``162.8``, ``"70%"``, ``"1,204"``, ``"469 (162.8)"`` (No. (Rate)).

    Returns
    -------
    tuple of (value, count, status), or None
        None for an empty cell or a dash (no figure). A publisher's marker
        (c, x...) gives a status and no value; ``"537 (x)"`` is a number
        whose rate is not available.

    Raises
    ------
    ValueError
        When the cell is none of these.
    """
    nan = float("nan")
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell), nan, ""
    text = " ".join(str(cell).split())
    low = text.lower()
    if low in NO_FIGURE:
        return None
    if low in MARKERS:
        return nan, nan, low
    if _NUMBER.match(text):
        return _number(text), nan, ""
    pair = _PAIR.match(text)
    if pair:
        count, rate = _number(pair.group(1)), pair.group(2).lower()
        if re.match(r"^[\d,.]+$", rate):
            return _number(rate), count, ""
        return nan, count, rate if rate in MARKERS else "x"
    raise ValueError(f"{text!r} is not a figure")


def parse_target(cell: object) -> dict | None:
    """Read a target cell: a number, ``70%``, ``2,291 (795.4)`` or a rule in words.

    Returns the catalogue's target mapping (``{value: 70, text: "70%"}``,
    ``{rule: decrease_on_last_year, text: ...}``), or None for an empty cell.
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    text = " ".join(str(cell).split())
    if text.lower() in NO_FIGURE:
        return None
    try:
        figure = parse_cell(cell)
    except ValueError:
        figure = None
    if figure is not None and not math.isnan(figure[0]):
        value, count, _ = figure
        out: dict = {"value": value if not value.is_integer() else int(value)}
        if not math.isnan(count):
            out["count"] = int(count)
        return out if isinstance(cell, (int, float)) else {**out, "text": text}
    for pattern, rule in _TARGET_RULES:
        if re.search(pattern, text.lower()):
            return {"rule": rule, "text": text}
    return {"rule": "tbc", "text": text}


def polarity(cell: object) -> str | None:
    """Read a polarity cell: High / Higher / Up -> ``high``; Low / Lower / Down -> ``low``."""
    text = str(cell or "").strip().lower()
    if re.match(r"^(high|higher|up|increase|bigger)", text):
        return "high"
    if re.match(r"^(low|lower|down|decrease|smaller)", text):
        return "low"
    return None


def read_sheet(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str]:
    """Read the PI book's sheet (or CSV) as objects; return it and the place name for messages.

    Raises
    ------
    DataError
        When the sheet does not exist (naming the sheets there).
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        book = pd.ExcelFile(path)
        name = sheet or book.sheet_names[0]
        if name not in book.sheet_names:
            raise DataError(f"{path}: no sheet {name!r}. Fix: --sheet one of "
                            f"{', '.join(book.sheet_names)}")  # fmt: skip
        frame = pd.read_excel(book, sheet_name=name, header=0, dtype=object)
        return frame, f"{path.name}, sheet {name!r}"
    if sheet:
        raise DataError(f"{path}: --sheet is for an .xlsx workbook; a CSV has one table")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.replace("", None), path.name


def _excel_cell(col: int, row: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _row_info(row: dict, line: int, roles: dict, targets: dict) -> PIRow | None:
    """Read what one row says about its indicator (None for a row naming none)."""
    title = " ".join(str(row.get(roles.get("title")) or "").split())
    ident = " ".join(str(row.get(roles.get("id")) or "").split())
    if not (ident or title):
        return None
    area = str(row.get(roles.get("area")) or "").strip()
    info = PIRow(key=ident or title, title=title or ident, area=area, where=f"row {line}")
    if "polarity" in roles:
        info.has_polarity, info.better = True, polarity(row.get(roles["polarity"]))
    info.unit = str(row.get(roles.get("unit")) or "").strip()
    for header, year in targets.items():
        target = parse_target(row.get(header))
        if target is not None:
            info.targets[year] = target
    return info


def read_pibook(path: Path | str, sheet: str | None = None) -> PIBook:
    """Read a PI book (.xlsx or .csv) into long rows.

    The layout councils keep: one row per indicator, named by an id column
    (``id``) or a title column (``Indicator``, ``Title``...); one column per
    month, quarter or year, headed in any form councils write (``Apr-17``,
    ``Q1 2017/18``, ``2016/17``, ``Mar 2016``, or an Excel date); optional
    ``Target 2017/18`` columns, a polarity column (``Better to be``:
    High/Low), an ``Area`` column (a GSS code, or ``SN`` for a printed
    statistical-neighbour average; default the council) and a ``Unit`` column.

    Raises
    ------
    DataError
        When no indicator or period column is found, or a cell is not a
        figure (naming the sheet and cell).
    """
    path = Path(path)
    frame, place = read_sheet(path, sheet)
    headers = [_header_text(c) for c in frame.columns]
    frame.columns = headers
    roles, periods, targets, ignored = classify_columns(headers)
    if "id" not in roles and "title" not in roles:
        raise DataError(f"{place}: no indicator column. Fix: head the column naming the "
                        "indicators 'Indicator' (its title) or 'id'")  # fmt: skip
    if not periods:
        raise DataError(f"{place}: no period columns. Fix: head each column with its month, "
                        "quarter or year, e.g. Apr-17, Q1 2017/18, 2016/17")  # fmt: skip
    records, rows = [], []
    for i, row in enumerate(frame.to_dict("records")):
        info = _row_info(row, i + 2, roles, targets)
        if info is None:
            continue
        rows.append(info)
        for header, label in periods.items():
            cell_ref = _excel_cell(headers.index(header), i + 2)
            try:
                figure = parse_cell(row.get(header))
            except ValueError as exc:
                raise DataError(f"{place}, cell {cell_ref} ({info.key}, {header}): {exc}. Fix: "
                                "write a number, '469 (162.8)' for No. (Rate), a marker "
                                "(c, x) or leave it empty") from None  # fmt: skip
            if figure is not None:
                records.append((info.key, info.area, label, *figure, cell_ref))
    columns = ["key", "area", "period", "value", "count", "status", "cell"]
    return PIBook(pd.DataFrame(records, columns=columns), rows, ignored, roles)
