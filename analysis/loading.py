"""Read the data folder: values, breakdowns, sources and commentary, checking as we go."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.catalogue import Catalogue
from analysis.errors import DataError, Problem, ValidationError
from analysis.periods import Period, PeriodError, parse_period

VALUE_COLUMNS = [
    "indicator_id", "area_code", "period", "value", "count", "status", "source", "vintage", "note",
]  # fmt: skip
REQUIRED_COLUMNS = ["indicator_id", "area_code", "period", "value", "source", "vintage"]
BREAKDOWN_COLUMNS = [
    "indicator_id", "area_code", "period", "breakdown", "category", "value", "unit",
    "source", "vintage", "note",
]  # fmt: skip
MARKERS = {"c", "x", "z", "u", "k", "low", "-", ":", "..", "[c]", "[x]", "[z]", "[u]"}
"""Publishers' markers for a withheld or missing value (kept as ``status``)."""
SN_CODE = "SN"
"""Pseudo area code for a statistical-neighbour average printed in a paper."""
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV as text (no type guessing), raising a clear error if it cannot be parsed."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        first = str(exc).splitlines()[0]
        raise DataError(
            f"{path}: not a readable CSV ({first}); fix the quoting or the number of "
            "fields on that line, and save as UTF-8"
        ) from None


def _line(i: int) -> str:
    return f"line {i + 2}"  # the header is line 1


def _parse_periods(labels: pd.Series, file: str) -> tuple[dict[str, Period], list[Problem]]:
    parsed, problems = {}, []
    for label in labels.unique():
        try:
            parsed[label] = parse_period(label)
        except PeriodError as exc:
            rows = labels.index[labels == label][:3]
            where = ", ".join(_line(i) for i in rows)
            problems.append(
                Problem(
                    file,
                    f"{where}, column 'period'",
                    str(exc),
                    "write the period as 2017-18, 2017-18 Q2 or Sep 2017",
                )
            )
    return parsed, problems


def _numbers(
    column: pd.Series, name: str, file: str, allow_marker: bool
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    text = column.str.strip().str.replace(",", "", regex=False)
    marker = text.str.lower().isin(MARKERS) if allow_marker else pd.Series(False, text.index)
    nums = pd.to_numeric(text.where(~marker & (text != "")), errors="coerce")
    bad = nums.isna() & ~marker & (text != "")
    problems = [
        Problem(
            file,
            f"{_line(i)}, column '{name}'",
            f"{column[i]!r} is not a number",
            "write a plain number (e.g. 156.2), or leave it empty and put the publisher's "
            "marker (c, x, z, u, k, low, -) in 'status'",
        )
        for i in text.index[bad][:20]
    ]
    return nums, text.where(marker, ""), problems


def _duplicate_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    keys = ["indicator_id", "area_code", "period", "vintage"]
    dup = frame.duplicated(keys, keep="first")
    return [
        Problem(
            file,
            f"{_line(i)}",
            f"duplicate of an earlier row for ({', '.join(str(frame.at[i, k]) for k in keys)})",
            "keep one row per indicator, area, period and vintage; a revised figure "
            "needs its own vintage date",
        )
        for i in frame.index[dup][:20]
    ]


def _row_problems(
    frame: pd.DataFrame, file: str, catalogue: Catalogue | None, sources: set[str] | None
) -> list[Problem]:
    problems = []
    if catalogue is not None:
        unknown = ~frame["indicator_id"].isin(list(catalogue))
        for i in frame.index[unknown][:20]:
            problems.append(
                Problem(
                    file,
                    f"{_line(i)}, column 'indicator_id'",
                    f"unknown indicator {frame.at[i, 'indicator_id']!r}",
                    "add it to data/indicators.yml or correct the id",
                )
            )
    if sources is not None:
        for i in frame.index[~frame["source"].isin(sources)][:20]:
            problems.append(
                Problem(
                    file,
                    f"{_line(i)}, column 'source'",
                    f"unknown source {frame.at[i, 'source']!r}",
                    "add it to data/sources.yml or correct the id",
                )
            )
    for i in frame.index[~frame["vintage"].str.match(_DATE)][:20]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'vintage'",
                f"{frame.at[i, 'vintage']!r} is not a date",
                "write the publication date as YYYY-MM-DD",
            )
        )
    return problems


def check_values(
    raw: pd.DataFrame,
    file: str,
    catalogue: Catalogue | None = None,
    sources: set[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type a raw values table; return the clean rows and every problem found."""
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        return pd.DataFrame(columns=VALUE_COLUMNS), [
            Problem(
                file,
                "header",
                f"missing column(s) {', '.join(missing)}",
                f"the header must include {', '.join(REQUIRED_COLUMNS)}",
            )
        ]
    frame = raw.reindex(columns=VALUE_COLUMNS, fill_value="").copy()
    for col in VALUE_COLUMNS:
        frame[col] = frame[col].astype(str).str.strip()
    periods, problems = _parse_periods(frame["period"], file)
    value, marker, vp = _numbers(frame["value"], "value", file, allow_marker=True)
    count, _, cp = _numbers(frame["count"], "count", file, allow_marker=False)
    problems += vp + cp
    for i in frame.index[count < 0][:20]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'count'",
                f"negative count {frame.at[i, 'count']}",
                "counts cannot be negative; correct the figure",
            )
        )
    status = frame["status"].where(frame["status"] != "", marker)
    empty = (frame["value"].str.strip() == "") & (status == "")
    for i in frame.index[empty][:20]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'value'",
                "value is empty",
                "give a number, or a publisher's marker in 'status', or delete the row",
            )
        )
    problems += _row_problems(frame, file, catalogue, sources)
    problems += _duplicate_problems(frame, file)
    frame["period"] = frame["period"].map(lambda s: periods[s].label if s in periods else s)
    frame["value"], frame["count"], frame["status"] = value, count, status
    frame["file"] = file
    frame["line"] = frame.index + 2
    return frame, problems


def read_values(
    paths: Iterable[Path], catalogue: Catalogue | None = None, sources: set[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and pool several values CSVs; problems name each file and line."""
    frames, problems = [], []
    for path in sorted(paths):
        try:
            raw = read_csv_text(path)
        except DataError as exc:
            message, _, fix = str(exc).split(": ", 1)[-1].partition("; ")
            problems.append(Problem(str(path), "", message, fix or "correct the file"))
            continue
        frame, probs = check_values(raw, str(path), catalogue, sources)
        frames.append(frame)
        problems += probs
    pooled = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*VALUE_COLUMNS, "file", "line"])
    )
    problems += _cross_file_duplicates(pooled)
    return pooled, problems


def _cross_file_duplicates(pooled: pd.DataFrame) -> list[Problem]:
    keys = ["indicator_id", "area_code", "period", "vintage"]
    dup = pooled.duplicated(keys, keep="first") & (
        pooled.groupby(keys)["file"].transform("nunique") > 1
    )
    return [
        Problem(
            pooled.at[i, "file"],
            f"line {pooled.at[i, 'line']}",
            "the same indicator, area, period and vintage is also in another file",
            "keep the figure in one file only",
        )
        for i in pooled.index[dup][:20]
    ]


def select_vintage(values: pd.DataFrame, as_of: str | None = None) -> pd.DataFrame:
    """One row per (indicator, area, period): the latest vintage, or the latest up to ``as_of``.

    Parameters
    ----------
    values : DataFrame
        Pooled values with a ``vintage`` column of ISO dates.
    as_of : str, optional
        An ISO date; figures published after it are ignored (to rebuild a
        quarter as it was published).
    """
    frame = values
    if as_of:
        frame = frame[frame["vintage"] <= as_of]
    frame = frame.sort_values(["vintage", "line"], kind="stable")
    latest = frame.drop_duplicates(["indicator_id", "area_code", "period"], keep="last")
    return latest.reset_index(drop=True)


def revisions(values: pd.DataFrame) -> pd.DataFrame:
    """Figures published more than once with a different value: earlier and latest side by side."""
    cols = ["indicator_id", "area_code", "period"]
    multi = values[values.duplicated(cols, keep=False)].sort_values([*cols, "vintage"])
    if multi.empty:
        return pd.DataFrame(
            columns=[
                *cols,
                "first_value",
                "first_source",
                "latest_value",
                "latest_source",
                "change",
            ]
        )
    g = multi.groupby(cols, sort=False)
    out = pd.DataFrame(
        {
            "first_value": g["value"].first(),
            "first_source": g["source"].first(),
            "latest_value": g["value"].last(),
            "latest_source": g["source"].last(),
        }
    ).reset_index()
    out["change"] = out["latest_value"] - out["first_value"]
    return out[~np.isclose(out["change"].fillna(0), 0)].reset_index(drop=True)


@dataclass
class Commentary:
    """What the service wrote about one indicator in one quarter."""

    indicator_id: str
    commentary: str = ""
    service_response: str = ""
    file: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when neither section has any text."""
        return not (self.commentary.strip() or self.service_response.strip())


_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)


def parse_commentary(text: str, indicator_id: str, file: str = "") -> Commentary:
    """Split a commentary Markdown file into its 'Commentary' and 'Service response' sections.

    Text before the first level-2 heading counts as commentary.
    """
    parts = _HEADING.split(text)
    result = Commentary(indicator_id, commentary=parts[0].strip(), file=file)
    for heading, body in zip(parts[1::2], parts[2::2], strict=False):
        key = heading.strip().lower().rstrip(":")
        if key.startswith("service response"):
            result.service_response = body.strip()
        elif key.startswith("commentary"):
            result.commentary = (result.commentary + "\n\n" + body.strip()).strip()
        else:
            result.extra[heading.strip()] = body.strip()
    return result


def read_commentary(
    folder: Path, catalogue: Catalogue | None = None
) -> tuple[dict[str, Commentary], list[Problem]]:
    """Read one quarter's commentary folder; a missing folder is simply empty."""
    found, problems = {}, []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.md")):
        ind = path.stem
        if catalogue is not None and ind not in catalogue:
            problems.append(
                Problem(
                    str(path),
                    "file name",
                    f"no indicator {ind!r} in the catalogue",
                    "rename the file to <indicator_id>.md using an id from data/indicators.yml",
                )
            )
            continue
        found[ind] = parse_commentary(path.read_text(encoding="utf-8"), ind, str(path))
    return found, problems


def commentary_problems(root: Path, catalogue: Catalogue) -> list[Problem]:
    """Check every quarter folder of commentary: folder names and indicator ids."""
    problems = []
    if not root.is_dir():
        return problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            parse_period(folder.name.replace("-Q", " Q"))
        except PeriodError:
            problems.append(
                Problem(
                    str(folder),
                    "folder name",
                    f"{folder.name!r} is not a quarter",
                    "name commentary folders after the quarter, e.g. 2017-18-Q2",
                )
            )
            continue
        problems += read_commentary(folder, catalogue)[1]
    return problems


def read_breakdowns(path: Path) -> pd.DataFrame:
    """Read the optional breakdowns table (age bands, schools...).

    Raises :class:`ValidationError` naming the line of any unreadable period.
    """
    if not path.is_file():
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    frame = read_csv_text(path).reindex(columns=BREAKDOWN_COLUMNS, fill_value="")
    periods, problems = _parse_periods(frame["period"][frame["period"] != ""], str(path))
    if problems:
        raise ValidationError(problems)
    frame["period"] = frame["period"].map(lambda s: periods[s].label if s else s)
    frame["value"] = pd.to_numeric(frame["value"].str.replace(",", ""), errors="coerce")
    return frame
