"""Read a long CSV of series, run an XmR chart on each, write one row per point."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError, PeriodError, SPCError
from analysis.inputs import read_csv_text
from analysis.outputs import write_csv
from analysis.periods import Period, parse_period
from analysis.spc import IMPROVEMENTS, xmr

REQUIRED = ("period", "value")
GAP_MARKERS = frozenset({"", "c", "x", "z", "u", "k", "low", "-", ":", ".."})
OUTPUT = ["period", "value", "mean", "lpl", "upl", "special_cause", "point_type", "rule"]
OUTPUT_TAIL = ["assurance"]


def read_spc_csv(path: Path) -> pd.DataFrame:
    """Read an SPC input CSV as text, keeping each row's line number in ``_line``.

    Raises
    ------
    DataError
        When the file is missing or unreadable, or lacks a ``period`` or ``value`` column.
    """
    path = Path(path)
    raw = read_csv_text(path, skipinitialspace=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataError(
            f"{path}: no {' or '.join(repr(c) for c in missing)} column (found "
            f"{', '.join(raw.columns) or 'none'}); the CSV needs columns period, value "
            "and optionally key columns"
        )
    return raw.assign(_line=np.arange(len(raw)) + 2)


def _parse_value(text: str, path: Path, line: int) -> float:
    cleaned = text.strip()
    if cleaned.lower() in GAP_MARKERS:
        return np.nan
    try:
        return float(cleaned.replace(",", "").removesuffix("%"))
    except ValueError:
        raise DataError(
            f"{path}, row {line}, column 'value': {text!r} is not a number; write a number "
            "(e.g. 18.4), leave it empty, or use a suppression marker (c, x, z, u, k, low, -)"
        ) from None


def _parse_period(text: str, path: Path, line: int) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise DataError(f"{path}, row {line}, column 'period': {exc}") from None


def parse_spc_input(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Parse the ``period`` and ``value`` text of a frame from :func:`read_spc_csv`.

    Adds ``_period`` (a :class:`~analysis.periods.Period`) and turns ``value``
    into floats; empty values and suppression markers become NaN (gaps).

    Raises
    ------
    DataError
        Naming the file, row and column of the first unreadable period or value.
    """
    lines = raw["_line"].tolist()
    periods = [_parse_period(t, path, n) for t, n in zip(raw["period"], lines, strict=True)]
    values = [_parse_value(t, path, n) for t, n in zip(raw["value"], lines, strict=True)]
    return raw.assign(_period=periods, value=values)


def key_columns(frame: pd.DataFrame) -> list[str]:
    """Every column other than ``period``, ``value`` and the internal ``_`` ones."""
    return [c for c in frame.columns if c not in REQUIRED and not str(c).startswith("_")]


def _check_duplicates(periods: list[Period], lines: np.ndarray, path: Path, where: str) -> None:
    """Raise when a chart (its periods already in order) has the same period twice."""
    for i in range(1, len(periods)):
        if periods[i] == periods[i - 1]:
            rows = ", ".join(str(n) for n, p in zip(lines, periods, strict=True) if p == periods[i])
            raise DataError(
                f"{path}, rows {rows}: period {periods[i].label} appears more than once"
                f"{where}; keep one row per period (or add a key column that tells them apart)"
            )


def spc_table(
    frame: pd.DataFrame,
    *,
    improvement: str | None = "increase",
    target: float | None = None,
    rebase: Iterable[str] = (),
    path: Path | str = "input",
) -> pd.DataFrame:
    """Run :func:`analysis.spc.xmr` on each key combination of a parsed input frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`parse_spc_input`.
    improvement, target
        As for :func:`analysis.spc.xmr`.
    rebase : iterable of str
        Periods at which to start a new segment, in each chart that has the period.
    path : Path or str
        The input's name, for messages.

    Returns
    -------
    pandas.DataFrame
        Key columns, then ``period`` (the input's text), ``value``, ``mean``,
        ``lpl``, ``upl``, ``special_cause``, ``point_type``, ``rule``, ``assurance``;
        charts in order of first appearance, each in period order.

    Raises
    ------
    SPCError
        When a rebase period is unreadable or in no chart.
    DataError
        When a chart has the same period twice.
    """
    keys = key_columns(frame)
    starts = _rebase_periods(rebase)
    periods = frame["_period"].to_numpy(object)
    order_key = np.array([p.sort_key() for p in periods], dtype=int).reshape(-1, 2)
    values, lines = frame["value"].to_numpy(float), frame["_line"].to_numpy()
    groups = (
        frame.groupby(keys, sort=False, dropna=False).indices
        if keys
        else {(): np.arange(len(frame))}
    )
    used: set[Period] = set()
    parts, rows = [], []
    for name, idx in groups.items():
        idx = idx[np.lexsort((order_key[idx, 1], order_key[idx, 0]))]
        chart = list(periods[idx])
        _check_duplicates(chart, lines[idx], Path(path), _describe(keys, name))
        here = [p for p in starts if p in set(chart)]
        used.update(here)
        parts.append(xmr(values[idx], chart, improvement=improvement, target=target, rebase=here))
        rows.append(idx)
    unused = [p.label for p in starts if p not in used]
    if unused:
        raise SPCError(
            f"--rebase {', '.join(unused)}: no chart in {path} has that period; "
            "give a period that appears in the period column"
        )
    columns = keys + OUTPUT + OUTPUT_TAIL
    if not parts:
        return pd.DataFrame(columns=columns)
    order = np.concatenate(rows)
    table = pd.concat(parts, ignore_index=True)
    table["period"] = frame["period"].to_numpy()[order]
    for key in keys:
        table[key] = frame[key].to_numpy()[order]
    return table[columns]


def _describe(keys: list[str], name: object) -> str:
    if not keys:
        return ""
    values = name if isinstance(name, tuple) else (name,)
    return " in the chart for " + ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True))


def _rebase_periods(rebase: Iterable[str]) -> list[Period]:
    out = []
    for label in rebase:
        try:
            out.append(parse_period(label))
        except PeriodError as exc:
            raise SPCError(f"--rebase {label!r}: {exc}") from None
    return out


def check_improvement(improvement: str) -> str | None:
    """Turn the ``--improvement`` text into the value :func:`~analysis.spc.xmr` takes.

    Raises
    ------
    SPCError
        When the text is not ``increase``, ``decrease`` or ``neutral``.
    """
    text = improvement.strip().lower()
    if text not in IMPROVEMENTS:
        raise SPCError(
            f"--improvement {improvement!r} is not recognised; use increase (higher is "
            "better), decrease (lower is better) or neutral (no judgement)"
        )
    return None if text == "neutral" else text


def run_spc_csv(
    input_csv: Path,
    out: Path,
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Iterable[str] = (),
) -> pd.DataFrame:
    """Read ``input_csv``, chart every series and write ``out``; nothing is written on error."""
    direction = check_improvement(improvement)
    path = Path(input_csv)
    frame = parse_spc_input(read_spc_csv(path), path)
    table = spc_table(frame, improvement=direction, target=target, rebase=rebase, path=path)
    write_csv(table.round({"mean": 6, "lpl": 6, "upl": 6}), out)
    return table
