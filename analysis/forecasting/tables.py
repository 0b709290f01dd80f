"""Forecasts as tables: ``forecasts.csv`` for a quarter, and ``outturn forecast`` in and out."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from analysis import sentences  # the module, not its names: sentences imports this package
from analysis.errors import DataError, ForecastError, PeriodError
from analysis.forecasting.backtest import Forecast, forecast
from analysis.forecasting.crossing import Crossing
from analysis.forecasting.methods import check_arguments
from analysis.forecasting.year_end import YearEnd
from analysis.periods import Period, format_period, parse_period, period_style

FORECAST_COLUMNS = [
    "indicator_id", "period", "kind", "benchmark", "estimate", "lower", "upper",
    "method", "n_points", "note",
]  # fmt: skip
"""Columns of ``reports/<quarter>/forecasts.csv``."""
MARKERS = {"", "c", "x", "z", "u", "k", "low", "-", ":", ".."}
"""Published markers for a withheld value: read as a gap."""
PER_VALUE_COLUMNS = ("status", "value_note", "note", "count", "source", "vintage")
"""Columns describing one value rather than the series; never used as series keys."""


# --- forecasts.csv -------------------------------------------------------------------------


def _forecast_rows(indicator_id: str, fc: Forecast) -> list[dict]:
    note = sentences.forecast_note(fc)
    return [
        dict(
            indicator_id=indicator_id,
            period=r.period,
            kind="forecast",
            benchmark="",
            estimate=r.estimate,
            lower=r.lower,
            upper=r.upper,
            method=fc.method or "",
            n_points=fc.n_points,
            note=note,
        )  # fmt: skip
        for r in fc.frame.itertuples()
    ]


def _crossing_rows(indicator_id: str, c: Crossing) -> list[dict]:
    return [dict(indicator_id=indicator_id, period=c.last_period or "", kind="crossing",
                 benchmark=c.benchmark_name, estimate=c.period, lower=c.lower, upper=c.upper,
                 method=c.method or "", n_points=c.n_points,
                 note=sentences.crossing_sentence(c))]  # fmt: skip


def _year_end_rows(indicator_id: str, ye: YearEnd) -> list[dict]:
    bench = "; ".join(
        f"{name} {v:g}"
        for name, v in (("last year", ye.last_year_outturn), ("target", ye.target))
        if v is not None
    )
    return [dict(indicator_id=indicator_id, period=ye.period, kind="year_end", benchmark=bench,
                 estimate=ye.estimate, lower=ye.lower, upper=ye.upper, method=ye.method,
                 n_points=ye.elapsed, note=sentences.year_end_sentence(ye))]  # fmt: skip


_ROWS: dict[type, Callable[[str, object], list[dict]]] = {
    Forecast: _forecast_rows, Crossing: _crossing_rows, YearEnd: _year_end_rows,
}  # fmt: skip


def forecasts_frame(items: Iterable[tuple[str, Forecast | Crossing | YearEnd]]) -> pd.DataFrame:
    """Tabulate forecasts, crossings and year-end projections for ``forecasts.csv``.

    Parameters
    ----------
    items : iterable of (indicator_id, Forecast | Crossing | YearEnd)

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`FORECAST_COLUMNS`. ``kind`` is ``forecast`` (one row per
        future period), ``crossing`` (``period`` is the last observed period;
        ``estimate``/``lower``/``upper`` are period labels) or ``year_end``;
        ``note`` is what the report says about it (:mod:`analysis.sentences`).

    Raises
    ------
    ForecastError
        When an item is none of the three.
    """
    rows = []
    for indicator_id, item in items:
        tabulate = _ROWS.get(type(item))
        if tabulate is None:
            raise ForecastError(
                f"cannot tabulate a {type(item).__name__}; pass Forecast, Crossing or YearEnd"
            )
        rows += tabulate(indicator_id, item)
    return pd.DataFrame(rows, columns=FORECAST_COLUMNS).astype({"n_points": "int64"})


# --- tables in and out (used by ``outturn forecast``) --------------------------------------


def _parse_value(text: str, status: str, path: Path, line: int) -> float:
    raw = text.strip()
    if raw.lower() in MARKERS or status.strip().lower() in MARKERS - {""}:
        return math.nan
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        raise DataError(
            f"{path}, row {line}, column value: {raw!r} is not a number; write a number, "
            "leave it empty, or use a marker (c, x, z, u, k, low, -) for a withheld value"
        ) from None


def _parse_periods(periods: pd.Series, path: Path) -> list[Period]:
    out = []
    for i, label in enumerate(periods):
        try:
            out.append(parse_period(label))
        except PeriodError as exc:
            raise DataError(f"{path}, row {i + 2}, column period: {exc}") from None
    return out


def read_series_table(path: str | Path) -> pd.DataFrame:
    """Read a long table of series (``area_code, indicator, period, value`` and any keys).

    Rows are numbered as in a spreadsheet (the header is row 1). ``indicator_id``
    (as in ``data/values``) may stand for ``indicator`` and keeps its name.
    Empty values and markers are gaps.

    Returns
    -------
    pandas.DataFrame
        The input columns, ``value`` as float and ``_period`` holding :class:`Period`.

    Raises
    ------
    DataError
        When the file is missing or unreadable, a column is missing, or a period
        or value cannot be read (the message names the row).
    """
    from analysis.inputs import read_csv_text

    table = read_csv_text(Path(path))
    table.columns = [c.strip() for c in table.columns]
    indicator = "indicator_id" if "indicator_id" in table.columns else "indicator"
    missing = [c for c in ("area_code", indicator, "period", "value") if c not in table]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)}; the header needs "
            "area_code, indicator, period, value"
        )
    table["_period"] = _parse_periods(table["period"], path)
    status = table["status"] if "status" in table else pd.Series("", index=table.index)
    table["value"] = [
        _parse_value(v, st, path, i + 2)
        for i, (v, st) in enumerate(zip(table["value"], status, strict=True))
    ]
    return table


def series_keys(table: pd.DataFrame) -> list[str]:
    """List the columns that identify a series: all but period, value and per-value columns."""
    skip = {"period", "value", "_period", *PER_VALUE_COLUMNS}
    return [c for c in table.columns if c not in skip]


def forecast_table(
    table: pd.DataFrame,
    *,
    horizon: int,
    level: float = 80,
    on_series: object = None,
) -> pd.DataFrame:
    """Forecast every series in a table read by :func:`read_series_table`.

    A series with too little data gives one row with empty estimates and the
    reason in ``note``. Output periods are written in the series' own style.

    Parameters
    ----------
    table : pandas.DataFrame
    horizon : int
    level : float
    on_series : callable, optional
        Called with no arguments after each series (for a progress bar).

    Returns
    -------
    pandas.DataFrame
        Key columns, ``period, estimate, lower, upper, method, note``.
    """
    check_arguments(horizon, level)
    keys = series_keys(table)
    frames = []
    for key, group in table.groupby(keys, sort=False, dropna=False):
        frames.append(_forecast_group(dict(zip(keys, key, strict=True)), group, horizon, level))
        if callable(on_series):
            on_series()
    columns = [*keys, "period", "estimate", "lower", "upper", "method", "note"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _forecast_group(keys: dict, group: pd.DataFrame, horizon: int, level: float) -> pd.DataFrame:
    order = sorted(range(len(group)), key=lambda i: group["_period"].iloc[i].sort_key())
    style = period_style(group["period"].iloc[order[-1]])
    series = pd.Series(group["value"].to_numpy(), index=list(group["_period"]))
    try:
        fc = forecast(series, horizon=horizon, level=level)
    except ForecastError as exc:
        where = ", ".join(f"{k}={v}" for k, v in keys.items())
        raise DataError(f"series {where}: {exc}") from None
    frame = fc.frame.iloc[: 1 if not fc.ok else None].copy()
    frame["period"] = [format_period(parse_period(p), style) for p in frame["period"]]
    frame[["estimate", "lower", "upper"]] = frame[["estimate", "lower", "upper"]].round(4)
    frame["method"] = fc.method or ""
    frame["note"] = sentences.forecast_note(fc)
    return frame.assign(**keys)
