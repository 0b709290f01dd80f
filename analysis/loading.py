"""Read the data folder: values, breakdowns, sources and commentary, checking as we go."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import inputs
from analysis.catalogue import EMPTY_CATALOGUE, Catalogue
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
MARKER_ORDER = ("c", "x", "z", "u", "k", "low", "-", ":", "..", "[c]", "[x]", "[z]", "[u]")
MARKERS = frozenset(MARKER_ORDER)
"""Publishers' markers for a withheld or missing value (kept as ``status``)."""
NON_NEGATIVE_UNITS = ("count", "rate_per_10k", "percent")
"""Units whose value cannot be below zero (a score can)."""
SN_CODE = "SN"
"""Pseudo area code for a statistical-neighbour average printed in a paper."""
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV as text (no type guessing) within the size, encoding and cell limits.

    Raises
    ------
    DataError
        Naming the file (and line) when it is missing, too large, not UTF-8 or
        not parseable (see :func:`analysis.inputs.read_csv_text`).
    """
    return inputs.read_csv_text(Path(path))


def _line(i: int) -> str:
    return f"line {i + 2}"  # the header is line 1


def _parse_periods(labels: pd.Series, file: str) -> tuple[dict[str, Period], list[Problem]]:
    parsed, problems = {}, []
    for label in labels.unique():
        try:
            parsed[label] = parse_period(label)
        except PeriodError as exc:
            rows = labels.index[labels == label]
            more = f" (and {len(rows) - 1} more row(s) with it)" if len(rows) > 1 else ""
            problems.append(
                Problem(
                    file,
                    f"{_line(rows[0])}, column 'period'",
                    f"{exc}{more}",
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
        for i in text.index[bad]
    ]
    infinite = np.isinf(nums.to_numpy(dtype=float))
    problems += [
        Problem(
            file,
            f"{_line(i)}, column '{name}'",
            f"{column[i]!r} is not a finite number",
            "write the figure as printed; if there is none, leave it empty and put the "
            "publisher's marker in 'status'",
        )
        for i in text.index[infinite]
    ]
    return nums.where(~infinite), text.where(marker, ""), problems


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
        for i in frame.index[dup]
    ]


def _indicator_problems(frame: pd.DataFrame, file: str, catalogue: Catalogue) -> list[Problem]:
    problems = []
    for i in frame.index[~frame["indicator_id"].isin(list(catalogue))]:
        ind = frame.at[i, "indicator_id"]
        if ind in catalogue.rejected or not len(catalogue):
            problems.append(knock_on(file, f"{_line(i)}, column 'indicator_id'", ind, catalogue))
            continue
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'indicator_id'",
                f"unknown indicator {ind!r}",
                "add it to data/indicators.yml or correct the id",
            )
        )
    return problems


def knock_on(file: str, location: str, indicator_id: str, catalogue: Catalogue) -> Problem:
    """Report a row citing an indicator whose catalogue entry has a problem (a knock-on)."""
    name = Path(catalogue.source).name
    if not len(catalogue):
        return Problem(file, location, f"{name} has no indicators", "fix it first",
                       cause=EMPTY_CATALOGUE)  # fmt: skip
    return Problem(
        file,
        location,
        f"indicator {indicator_id!r} has a problem in {name}",
        "fix that entry first",
        cause=f"indicator:{indicator_id}",
    )


def _source_problems(frame: pd.DataFrame, file: str, sources: set[str] | None) -> list[Problem]:
    problems = [
        Problem(
            file,
            f"{_line(i)}, column 'source'",
            "cites no source",
            "put the id of the paper or release the figure comes from (listed in "
            "data/sources.yml) in 'source'",
        )
        for i in frame.index[frame["source"] == ""]
    ]
    if sources is not None:
        unknown = ~frame["source"].isin(sources) & (frame["source"] != "")
        problems += [
            Problem(
                file,
                f"{_line(i)}, column 'source'",
                f"unknown source {frame.at[i, 'source']!r}",
                "add it to data/sources.yml or correct the id",
            )
            for i in frame.index[unknown]
        ]
    return problems


def _vintage_problems(frame: pd.DataFrame, file: str, today: dt.date) -> list[Problem]:
    problems = []
    dates = frame["vintage"].map(_iso_date)
    for i in frame.index[dates.isna()]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'vintage'",
                f"{frame.at[i, 'vintage']!r} is not a date",
                "write the publication date as YYYY-MM-DD (a real date)",
            )
        )
    future = dates.notna() & (dates > today)
    for i in frame.index[future]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'vintage'",
                f"vintage {frame.at[i, 'vintage']} is in the future (today is {today})",
                "write the date the figure was published; a figure not yet published "
                "does not belong in data/",
            )
        )
    return problems


def _iso_date(text: str) -> dt.date | None:
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return None


def _period_problems(
    frame: pd.DataFrame, periods: dict[str, Period], file: str, today: dt.date
) -> list[Problem]:
    """Find figures for a period not yet begun, or published before their period began."""
    problems = []
    for i, label, vintage in zip(frame.index, frame["period"], frame["vintage"], strict=True):
        period, published = periods.get(label), _iso_date(vintage)
        if period is None:
            continue
        if period.start_date > today:
            message = f"period {label!r} begins on {period.start_date}, after today ({today})"
            fix = "correct the period (a figure cannot be for a period that has not begun)"
        elif published is not None and period.start_date > published:
            message = (
                f"period {label!r} begins on {period.start_date}, after the figure's "
                f"vintage {vintage}"
            )
            fix = "correct the period or the vintage (a figure is published after its period)"
        else:
            continue
        problems.append(Problem(file, f"{_line(i)}, column 'period'", message, fix))
    return problems


def _status_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    given = frame["status"].str.strip()
    unknown = (given != "") & ~given.str.lower().isin(MARKERS)
    accepted = ", ".join(MARKER_ORDER)
    return [
        Problem(
            file,
            f"{_line(i)}, column 'status'",
            f"status {frame.at[i, 'status']!r} is not a publisher's marker",
            f"use one of {accepted}, or leave it empty",
        )
        for i in frame.index[unknown]
    ]


def _sign_problems(frame: pd.DataFrame, file: str, catalogue: Catalogue | None) -> list[Problem]:
    problems = [
        Problem(
            file,
            f"{_line(i)}, column 'count'",
            f"negative count {frame.at[i, 'count']}",
            "counts cannot be negative; correct the figure",
        )
        for i in frame.index[frame["count"] < 0]
    ]
    if catalogue is None:
        return problems
    units = frame["indicator_id"].map(lambda i: catalogue[i].unit if i in catalogue else "")
    negative = (frame["value"] < 0) & units.isin(NON_NEGATIVE_UNITS)
    problems += [
        Problem(
            file,
            f"{_line(i)}, column 'value'",
            f"negative value {frame.at[i, 'value']:g} for {frame.at[i, 'indicator_id']!r}, "
            f"whose unit ({units[i]}) cannot be negative",
            "correct the figure (a fall belongs in the change, not the value)",
        )
        for i in frame.index[negative]
    ]
    return problems


def check_values(
    raw: pd.DataFrame,
    file: str,
    catalogue: Catalogue | None = None,
    sources: set[str] | None = None,
    today: dt.date | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type a raw values table; return the clean rows and every problem found.

    ``today`` (default: the real date) is the date after which no figure can
    have been published and no period can have begun.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        return pd.DataFrame(columns=VALUE_COLUMNS), [
            Problem(
                file,
                "header",
                f"missing column(s) {', '.join(missing)}",
                f"the header must include {', '.join(REQUIRED_COLUMNS)}",
                line=1,
            )
        ]
    if raw.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS), [
            Problem(
                file,
                "header",
                "has a header but no rows",
                "add the values, or delete the file if it is not needed",
                line=1,
            )
        ]
    today = today or dt.date.today()
    frame = raw.reindex(columns=VALUE_COLUMNS, fill_value="").copy()
    for col in VALUE_COLUMNS:
        frame[col] = frame[col].astype(str).str.strip()
    periods, problems = _parse_periods(frame["period"], file)
    value, marker, vp = _numbers(frame["value"], "value", file, allow_marker=True)
    count, _, cp = _numbers(frame["count"], "count", file, allow_marker=False)
    problems += vp + cp + _status_problems(frame, file)
    status = frame["status"].where(frame["status"] != "", marker)
    empty = (frame["value"].str.strip() == "") & (status == "")
    for i in frame.index[empty]:
        problems.append(
            Problem(
                file,
                f"{_line(i)}, column 'value'",
                "value is empty",
                "give a number, or a publisher's marker in 'status', or delete the row",
            )
        )
    if catalogue is not None:
        problems += _indicator_problems(frame, file, catalogue)
    problems += _source_problems(frame, file, sources)
    problems += _vintage_problems(frame, file, today)
    problems += _period_problems(frame, periods, file, today)
    problems += _duplicate_problems(frame, file)
    frame["period"] = frame["period"].map(lambda s: periods[s].label if s in periods else s)
    frame["value"], frame["count"], frame["status"] = value, count, status
    problems += _sign_problems(frame, file, catalogue)
    frame["file"] = file
    frame["line"] = frame.index + 2
    return frame, problems


def read_values(
    paths: Iterable[Path],
    catalogue: Catalogue | None = None,
    sources: set[str] | None = None,
    today: dt.date | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and pool several values CSVs; problems name each file and line."""
    frames, problems = [], []
    for path in sorted(paths):
        try:
            raw = read_csv_text(path)
        except DataError as exc:
            problems += exc.problems or [Problem(str(path), "", str(exc), "correct the file")]
            continue
        frame, probs = check_values(raw, str(path), catalogue, sources, today)
        if len(frame):
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
        for i in pooled.index[dup]
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


SOURCE_KINDS = ("own", "published")
"""A source is the council's own figures, or figures others published (DfE, ONS)."""


def source_kinds(sources: dict[str, dict], council_name: str) -> dict[str, str]:
    """Each source's kind: its ``kind:`` in sources.yml, else ``own`` when the council publishes it.

    A source with no publisher (as ``outturn import`` writes for a council's
    own file) or whose publisher names the council is the council's own.
    """
    kinds = {}
    for sid, spec in sources.items():
        kind = str(spec.get("kind") or "")
        if kind not in SOURCE_KINDS:
            publisher = str(spec.get("publisher") or "")
            kind = (
                "own" if not publisher or council_name.lower() in publisher.lower() else "published"
            )
        kinds[sid] = kind
    return kinds


def _preference(history_source: str | None) -> list[str]:
    """Return the order in which sources (kinds or ids) supply an indicator's own history."""
    if history_source == "published":
        return ["published", "own"]
    if history_source in (None, "own"):
        return ["own", "published"]
    return [history_source, "own", "published"]


def select_figures(
    values: pd.DataFrame,
    as_of: str | None,
    council: str,
    history_sources: dict[str, str | None],
    kinds: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One figure per (indicator, area, period), the council's own history from one source.

    Other areas take their latest vintage (:func:`select_vintage`). For the
    council, an indicator's ``history_source`` (default: the council's own
    figures where it has any for the period, else the published ones) picks
    the source; within it, the latest vintage. Returns the figures and the
    council's periods where another source published a different figure
    (``indicator_id, period, value, source, other_value, other_source``).
    """
    frame = values if not as_of else values[values["vintage"] <= as_of]
    own = frame["area_code"] == council
    others = select_vintage(frame[~own])
    mine = (
        frame[own]
        .sort_values(["vintage", "line"], kind="stable")
        .assign(_kind=lambda f: f["source"].map(kinds).fillna("own"))
    )
    chosen, differ = [], []
    for (ind, _period), rows in mine.groupby(["indicator_id", "period"], sort=False):
        pick = _pick(rows, _preference(history_sources.get(ind)))
        chosen.append(pick.name)
        differ += _differences(rows, pick)
    picked = pd.concat([others, mine.loc[chosen].drop(columns="_kind")], ignore_index=True)
    columns = ["indicator_id", "period", "value", "source", "other_value", "other_source"]
    return picked.reset_index(drop=True), pd.DataFrame(differ, columns=columns)


def _pick(rows: pd.DataFrame, order: list[str]) -> pd.Series:
    for wanted in order:
        found = rows[(rows["_kind"] == wanted) | (rows["source"] == wanted)]
        if len(found):
            return found.iloc[-1]
    return rows.iloc[-1]


def _differences(rows: pd.DataFrame, pick: pd.Series) -> list[tuple]:
    """Return the latest figure of each other source, where it is not the one chosen."""
    out = []
    for source, part in rows.groupby("source", sort=False):
        other = part.iloc[-1]
        if source == pick["source"] or pd.isna(other["value"]) or pd.isna(pick["value"]):
            continue
        if round(float(other["value"]), 1) != round(float(pick["value"]), 1):
            out.append((pick["indicator_id"], pick["period"], float(pick["value"]),
                        pick["source"], float(other["value"]), source))  # fmt: skip
    return out


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
    """What the service wrote about one indicator in one quarter.

    ``meta`` is the file's front matter: who wrote it (``author``), when
    (``date``), its ``status`` (``draft``, ``received`` or ``cleared``) and who
    signed it off and when (``cleared_by``, ``cleared_on``); empty for a file
    without front matter.
    """

    indicator_id: str
    commentary: str = ""
    service_response: str = ""
    file: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when neither section has any text."""
        return not (self.commentary.strip() or self.service_response.strip())

    @property
    def cleared(self) -> bool:
        """True when a manager has signed the commentary off (``outturn clear``)."""
        return bool(self.meta.get("cleared_by")) and self.meta.get("status") == "cleared"


_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
"""YAML front matter at the top of a commentary file, between two ``---`` lines."""
COMMENTARY_STATUSES = ("draft", "received", "cleared")
META_KEYS = ("author", "date", "status", "cleared_by", "cleared_on")
"""The front matter outturn reads and writes, in the order it writes them."""


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return a commentary file's front matter (as texts) and the Markdown after it.

    Raises
    ------
    ValueError
        When the front matter is not YAML, or not a mapping; the message says which.
    """
    import yaml

    found = FRONT_MATTER.match(text)
    if not found:
        return {}, text
    try:
        raw = yaml.safe_load(found.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ValueError(f"the front matter is not valid YAML{where}") from None
    if not isinstance(raw, dict):
        raise ValueError("the front matter is not a list of 'key: value' lines")
    meta = {str(k): ("" if v is None else str(v)) for k, v in raw.items()}
    return meta, text[found.end() :]


def front_matter_problems(meta: dict[str, str], file: str) -> list[Problem]:
    """Check the status and dates of a commentary file's front matter."""
    problems = []
    status = meta.get("status", "")
    if status and status not in COMMENTARY_STATUSES:
        problems.append(Problem(file, "front matter", f"status {status!r} is not one of "
                                f"{', '.join(COMMENTARY_STATUSES)}",
                                "write draft, received or cleared (outturn clear sets it)",
                                line=1, key="status"))  # fmt: skip
    for key in ("date", "cleared_on"):
        value = meta.get(key, "")
        try:
            if value:
                dt.date.fromisoformat(value[:10])
        except ValueError:
            problems.append(Problem(file, "front matter", f"{key} {value!r} is not a date",
                                    "write it as YYYY-MM-DD", line=1, key=key))  # fmt: skip
    return problems


def parse_commentary(text: str, indicator_id: str, file: str = "") -> Commentary:
    """Split a commentary Markdown file into its 'Commentary' and 'Service response' sections.

    Front matter (between ``---`` lines at the top) is read into ``meta``; text
    before the first level-2 heading counts as commentary.
    """
    try:
        meta, text = split_front_matter(text)
    except ValueError:
        meta = {}  # read_commentary reports it; the page still shows what was written
    parts = _HEADING.split(text)
    result = Commentary(indicator_id, commentary=parts[0].strip(), file=file, meta=meta)
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
        if catalogue is not None and (ind in catalogue.rejected or not len(catalogue)):
            problems.append(knock_on(str(path), "file name", ind, catalogue))
            continue
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
        try:
            text = inputs.read_text(path, inputs.MAX_TEXT_BYTES, "commentary file")
        except DataError as exc:
            problems += exc.problems
            continue
        found[ind] = parse_commentary(text, ind, str(path))
        try:
            problems += front_matter_problems(split_front_matter(text)[0], str(path))
        except ValueError as exc:
            fix = "write it as 'key: value' lines between two '---' lines, or delete it"
            problems.append(Problem(str(path), "front matter", str(exc), fix, line=1))
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
