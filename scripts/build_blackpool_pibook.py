"""Write data/examples/blackpool-pibook.xlsx: the bundled Blackpool figures as a council PI book.

A PI book is the workbook councils keep their own figures in: one row per
indicator (and area), one column per month, quarter or year, target columns
per year and a polarity column. This one is made from data/values/papers.csv
(the latest figure printed for each indicator, area and period) and
data/indicators.yml (titles, polarity, targets), so that `outturn import
pibook` can be shown, and tested, to rebuild the bundled scorecard.

    uv run python scripts/build_blackpool_pibook.py [--out data/examples/blackpool-pibook.xlsx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

from analysis.loading import check_values, read_csv_text, select_vintage
from analysis.periods import MONTHS, Period, parse_period

ROOT = Path(__file__).resolve().parents[1]
AREA_NAMES = {"E06000009": "Blackpool", "E92000001": "England", "SN": "SN"}
RULE_WORDS = {"none": "No Target Set", "tbc": "TBC",
              "decrease_on_last_year": "Decrease on last year",
              "increase_on_previous_year": "Increase on previous year"}  # fmt: skip


def header(period: Period) -> str:
    """Write a period as councils head PI book columns: Apr-17, Q1 2017/18, 2016/17."""
    fy = f"{period.fy}/{(period.fy + 1) % 100:02d}"
    if period.freq == "year":
        return fy
    if period.freq == "quarter":
        return f"Q{period.index} {fy}"
    return f"{MONTHS[period.end_month - 1]}-{period.end_year % 100:02d}"


def number(x: float) -> float | int:
    """Return a whole number as an int, else the float."""
    return int(x) if float(x).is_integer() else float(x)


def cell(row: pd.Series, show_count: bool) -> object:
    """Write one figure: a number, "469 (162.8)" for No. (Rate), "537 (x)" for a number alone."""
    value, count, status = row["value"], row["count"], row["status"]
    has_value, has_count = not math.isnan(value), not math.isnan(count)
    if has_count and has_value and show_count:
        return f"{number(count):,} ({number(value)})"
    if has_count and not has_value:
        return f"{number(count)} ({status or 'x'})"
    return number(value) if has_value else status


def target_text(spec: object) -> object:
    """Write a catalogue target as a PI book cell: as printed, else the number or the rule."""
    spec = spec if isinstance(spec, dict) else {"value": spec}
    if spec.get("rule"):
        return spec.get("text") or RULE_WORDS[spec["rule"]]
    if spec.get("value") is not None and spec.get("count") is not None:
        return f"{number(spec['count']):,} ({number(spec['value'])})"
    return number(spec["value"]) if spec.get("value") is not None else number(spec["count"])


def build(data: Path) -> tuple[list[str], list[list[object]]]:
    """Return the PI book's header and rows from a project's papers.csv and catalogue."""
    raw = read_csv_text(data / "values" / "papers.csv")
    values = select_vintage(check_values(raw, "papers.csv")[0])
    catalogue = yaml.safe_load((data / "indicators.yml").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in catalogue["indicators"]}
    periods = sorted({parse_period(p) for p in values["period"]}, key=lambda p: p.sort_key())
    years = sorted({str(y) for e in entries.values() for y in (e.get("targets") or {})})
    head = ["id", "Indicator", "Area", "Better to be"]
    head += [f"Target {y.replace('-', '/')}" for y in years] + [header(p) for p in periods]
    rows = []
    for ind_id, entry in entries.items():
        for area in AREA_NAMES:
            own = values[(values["indicator_id"] == ind_id) & (values["area_code"] == area)]
            if own.empty:
                continue
            better = {"high": "High", "low": "Low"}.get(entry.get("better"), "")
            targets = entry.get("targets") or {} if area == "E06000009" else {}
            line = [ind_id, entry["title"], AREA_NAMES[area], better]
            line += [target_text(targets[y]) if y in targets else None for y in years]
            by_period = {parse_period(r["period"]): r for _, r in own.iterrows()}
            show = bool(entry.get("show_count"))
            line += [cell(by_period[p], show) if p in by_period else None for p in periods]
            rows.append(line)
    return head, rows


def write(head: list[str], rows: list[list[object]], out: Path) -> None:
    """Write the workbook, with fixed document dates so a rebuild gives the same file."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Performance"
    sheet.append(head)
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "E2"
    sheet.column_dimensions["B"].width = 60
    fixed = dt.datetime(2018, 2, 8)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "outturn scripts/build_blackpool_pibook.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():  # fixed entry dates too
            entry = zipfile.ZipInfo(item.filename, date_time=fixed.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2018-02-08T00:00:00Z",
                              data)  # fmt: skip
            z.writestr(entry, data)


def main() -> None:
    """Build the example PI book from the bundled data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data/examples/blackpool-pibook.xlsx")
    args = parser.parse_args()
    head, rows = build(args.data)
    write(head, rows, args.out)
    print(f"wrote {len(rows)} indicator rows x {len(head) - 4} columns to {args.out}")


if __name__ == "__main__":
    main()
