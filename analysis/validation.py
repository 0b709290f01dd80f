"""Check a whole data folder and collect every problem, so the analyst can fix them in one pass."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.benchmarking import check_ranks, empty_ranks
from analysis.catalogue import Catalogue, parse_catalogue
from analysis.config import CouncilConfig, ProjectPaths, parse_council
from analysis.errors import (
    WARNING,
    ConfigError,
    DataError,
    OutturnError,
    PeriodError,
    Problem,
    ValidationError,
)
from analysis.inputs import YamlDocument, load_yaml
from analysis.loading import (
    SN_CODE,
    commentary_problems,
    read_breakdowns,
    read_csv_text,
    read_values,
    select_vintage,
)
from analysis.periods import Period, parse_period

DENOMINATOR_DRIFT = 0.05
"""How far (a share) a population may move from the catalogue's figure before a count and
its rate are said to disagree: ONS mid-year estimates move a few percent a year (Blackpool's
children, 27,819 to 29,048 over 2012-2022)."""
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ProjectData:
    """Everything read from a project's data folder, checked."""

    paths: ProjectPaths
    council: CouncilConfig
    catalogue: Catalogue
    sources: dict[str, dict[str, Any]]
    values: pd.DataFrame
    breakdowns: pd.DataFrame
    ranks: pd.DataFrame = field(default_factory=empty_ranks)  # data/ranks.csv, if present
    warnings: list[Problem] = field(default_factory=list)  # shown, but no reason to stop


def _yaml(path: Path, problems: list[Problem]) -> YamlDocument | None:
    try:
        return load_yaml(path)
    except ConfigError as exc:
        problems += exc.problems or [Problem(str(path), "", str(exc), "see docs/data-model.md")]
        return None


def _sources(
    doc: YamlDocument | None, file: str, problems: list[Problem]
) -> dict[str, dict[str, Any]] | None:
    if doc is None:
        return None
    items = doc.data.get("sources") if isinstance(doc.data, dict) else None
    if not isinstance(items, list) or not items:
        what = "is empty" if doc.data is None else "has no sources listed"
        fix = (
            "list every source values cite under 'sources:', each with id, title, publisher "
            "and published (see docs/data-model.md)"
        )
        problems.append(Problem(file, "", what, fix, key="sources", line=doc.line("sources")))
        return {}
    found = {}
    for n, item in enumerate(items):
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            fix = "give every source an 'id:' that values can cite in their 'source' column"
            message = f"source #{n + 1} has no 'id'"
            problems.append(
                Problem(file, "", message, fix, key="sources", line=doc.line("sources", n))
            )
            continue
        found[str(item["id"])] = item
    return found


def _council(doc: YamlDocument | None, path: Path, problems: list[Problem]) -> CouncilConfig | None:
    if doc is None:
        return None
    try:
        return parse_council(doc.data, path, doc)
    except ConfigError as exc:
        problems += exc.problems or [Problem(str(path), "", str(exc), "see docs/data-model.md")]
        return None


def _catalogue(doc: YamlDocument | None, path: Path, problems: list[Problem]) -> Catalogue | None:
    if doc is None:
        return None
    catalogue, found = parse_catalogue(doc.data, str(path), doc)
    problems += found
    return catalogue


def _breakdowns(paths: ProjectPaths, problems: list[Problem]) -> pd.DataFrame:
    try:
        return read_breakdowns(paths.breakdowns_file)
    except ValidationError as exc:
        problems += exc.problems
    except DataError as exc:
        problems += exc.problems or [Problem(str(paths.breakdowns_file), "", str(exc), "fix it")]
    return pd.DataFrame()


def _ranks(
    paths: ProjectPaths, catalogue: Catalogue | None, problems: list[Problem]
) -> pd.DataFrame:
    if not paths.ranks_file.is_file():
        return empty_ranks()
    try:
        raw = read_csv_text(paths.ranks_file)
    except DataError as exc:
        problems += exc.problems or [Problem(str(paths.ranks_file), "", str(exc), "fix it")]
        return empty_ranks()
    ranks, rank_problems = check_ranks(raw, str(paths.ranks_file), catalogue)
    problems += rank_problems
    return ranks


def _values_files(paths: ProjectPaths, problems: list[Problem]) -> list[Path]:
    files = sorted(paths.values_dir.glob("*.csv")) if paths.values_dir.is_dir() else []
    if not files:
        problems.append(
            Problem(
                str(paths.values_dir),
                "",
                "no values CSV files found",
                "put at least one values CSV in data/values/ (see docs/data-model.md)",
            )
        )
    return files


# --- checks across files: areas, and counts against their rates ---------------------------


def area_problems(values: pd.DataFrame, council: CouncilConfig) -> list[Problem]:
    """Warn about area codes outside the council, its comparator groups, region and England.

    Such rows are read but never shown, so the analyst must decide: a typo of a
    code that is known (the message suggests the nearest), a comparator to add
    to ``council.yml``, or rows to delete. The first row with a code is the
    warning; the others are folded under it.
    """
    known = {council.council.area_code, council.england.area_code, SN_CODE}
    known |= set(council.neighbour_codes)
    known |= {a.area_code for m in council.neighbour_models for a in m.areas}
    known |= {c for g in council.comparators.values() for c in g.all_codes}
    known |= {f"{SN_CODE}:{g}" for g in council.comparators}
    if council.region is not None:
        known.add(council.region.area_code)
    problems = []
    unknown = values[~values["area_code"].isin(known)]
    for (file, code), rows in unknown.groupby(["file", "area_code"], sort=False):
        tag = f"area:{file}:{code}"
        problems.append(_area_warning(file, int(rows["line"].iloc[0]), code, council, tag))
        problems += [
            Problem(
                file,
                f"line {line}, column 'area_code'",
                f"area {code!r} again",
                "see the first row with it",
                severity=WARNING,
                cause=tag,
            )
            for line in rows["line"].iloc[1:]
        ]
    return problems


def _one_edit_apart(a: str, b: str) -> bool:
    """One character changed, or two neighbours swapped (E06000090 for E06000009)."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
    return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])


def _area_warning(file: str, line: int, code: str, council: CouncilConfig, tag: str) -> Problem:
    areas = [council.council, council.region, council.england, *council.neighbours]
    near = [a for a in areas if a is not None and _one_edit_apart(str(code), a.area_code)]
    hint = " or ".join(f"{a.area_code} ({a.name})" for a in near[:2])
    hint = f" (did you mean {hint}?)" if hint else ""
    region = f", {council.region.name} ({council.region.area_code})" if council.region else ""
    return Problem(
        file,
        f"line {line}, column 'area_code'",
        f"area {code!r}{hint} is not {council.council.name} ({council.council.area_code}), "
        f"one of its {len(council.neighbours)} statistical neighbours{region} or England "
        f"({council.england.area_code}): its figures are read but shown nowhere",
        "correct the code if it is a typo; if the area is a comparator, add it to a group "
        "under comparators: in data/council.yml; otherwise delete its rows",
        severity=WARNING,
        tag=tag,
    )


def known_denominator(spec: Any, period: Period) -> tuple[float, str] | None:
    """Return the population a rate's denominator had in ``period``, and where it comes from.

    ``spec`` is a ``denominators:`` entry of the catalogue: its ``value``, or
    from its ``revisions`` the ``to`` of the latest revision by the period's
    end (the ``from`` of the first one before it). None when neither is given.
    """
    if not isinstance(spec, dict):
        return None
    revisions = []
    for rev in spec.get("revisions") or []:
        try:
            revisions.append(
                (parse_period(str(rev["period"])), float(rev["from"]), float(rev["to"]))
            )
        except (KeyError, TypeError, ValueError, PeriodError):
            continue
    revisions.sort(key=lambda r: r[0].sort_key())
    before = [r for r in revisions if r[0].start_date <= period.end_date]
    if before:
        return before[-1][2], f"from {before[-1][0].label}"
    if revisions:
        return revisions[0][1], f"before {revisions[0][0].label}"
    value = spec.get("value")
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return (float(value), "") if ok else None


def rate_problems(values: pd.DataFrame, catalogue: Catalogue, council_code: str) -> list[Problem]:
    """Warn where a council count and its rate per 10,000 disagree beyond rounding.

    Only where the indicator names a denominator whose population the catalogue
    gives (:func:`known_denominator`). The rate recomputed from the count may
    differ from the printed one by the rounding of a whole number (0.5) plus
    :data:`DENOMINATOR_DRIFT` of itself, as population estimates are revised.
    """
    rows = values[
        (values["area_code"] == council_code) & values["value"].notna() & values["count"].notna()
    ]
    problems = []
    for row in rows.itertuples(index=False):
        ind = catalogue.get(row.indicator_id)
        if ind is None or ind.unit != "rate_per_10k" or not ind.denominator:
            continue
        try:
            period = parse_period(row.period)
        except PeriodError:
            continue  # reported with the row already
        known = known_denominator(catalogue.denominators.get(ind.denominator), period)
        if known is None:
            continue
        population, basis = known
        expected = row.count * 10_000 / population
        if abs(expected - row.value) > 0.5 + DENOMINATOR_DRIFT * expected:
            problems.append(_rate_warning(row, ind.denominator, population, basis, expected))
    return problems


def _rate_warning(row: Any, name: str, population: float, basis: str, expected: float) -> Problem:
    return Problem(
        row.file,
        f"line {row.line}, column 'count'",
        f"count {row.count:,.0f} and rate {row.value:g} disagree: {row.count:,.0f} per "
        f"{population:,.0f} ({name} {basis}) is {expected:,.1f} per 10,000, more than "
        f"{DENOMINATOR_DRIFT:.0%} from {row.value:g}",
        "check both figures against the source; if the population changed, add a revision "
        f"under denominators.{name} in data/indicators.yml",
        severity=WARNING,
    )


def inspect_project(
    paths: ProjectPaths, today: dt.date | None = None
) -> tuple[ProjectData | None, list[Problem]]:
    """Read and check every input file; return the data and every problem and warning.

    The data is None when any problem is an error; warnings alone do not stop
    it (they are also kept in ``ProjectData.warnings``).
    """
    problems: list[Problem] = []
    council = _council(_yaml(paths.council_file, problems), paths.council_file, problems)
    catalogue = _catalogue(_yaml(paths.catalogue_file, problems), paths.catalogue_file, problems)
    sources = _sources(_yaml(paths.sources_file, problems), str(paths.sources_file), problems)
    values, value_problems = read_values(
        _values_files(paths, problems), catalogue, set(sources) if sources else None, today
    )
    problems += value_problems
    if council is not None:
        problems += area_problems(values, council)
    if council is not None and catalogue is not None:
        problems += rate_problems(values, catalogue, council.council.area_code)
    if catalogue is not None:
        problems += commentary_problems(paths.commentary_dir, catalogue)
    breakdowns = _breakdowns(paths, problems)
    ranks = _ranks(paths, catalogue, problems)
    problems += reference_problems(catalogue, council, sources, paths)
    if any(p.is_error for p in problems) or council is None or catalogue is None:
        return None, problems
    data = ProjectData(
        paths, council, catalogue, sources or {}, values, breakdowns, ranks, problems
    )
    return data, problems


def load_project(paths: ProjectPaths) -> ProjectData:
    """Read and check the data folder; raise :class:`ValidationError` listing every problem.

    Warnings do not raise; they are in the returned data's ``warnings``.
    """
    data, problems = inspect_project(paths)
    if data is None:
        raise ValidationError(problems)
    return data


# --- the run's own arguments, checked against the data ------------------------------------


def check_as_of(text: str | None) -> str | None:
    """Return ``--as-of`` as an ISO date, or raise naming the option and the form expected.

    Raises
    ------
    ConfigError
        When the text is not a real calendar date written YYYY-MM-DD
        (``yesterday``, ``2017-02-30``, ``30/11/2017``).
    """
    if text is None:
        return None
    cleaned = text.strip()
    try:
        if not _ISO_DATE.match(cleaned):
            raise ValueError
        return dt.date.fromisoformat(cleaned).isoformat()
    except ValueError:
        raise ConfigError.at(
            "--as-of",
            f"{text!r} is not a date",
            "write a real date as YYYY-MM-DD, e.g. --as-of 2017-11-30",
        ) from None


def quarters_with_figures(data: ProjectData, as_of: str | None = None) -> list[Period]:
    """Return every quarter with a council figure (published by ``as_of``), in order.

    A month or quarter counts in its quarter; a year's figure in the year's Q4,
    as :func:`analysis.pack.latest_quarter` reads it.
    """
    values = select_vintage(data.values, as_of)
    own = values[values["area_code"] == data.council.council.area_code]
    found = set()
    for label in own["period"].unique():
        try:
            period = parse_period(label)
        except PeriodError:
            continue
        found.add(Period(period.fy, "quarter", 4) if period.freq == "year" else period.quarter())
    return sorted(found, key=lambda p: p.sort_key())


def check_quarter(data: ProjectData, quarter: str | None, as_of: str | None = None) -> None:
    """Refuse an empty ``--quarter`` or one with no council figures, listing those with some.

    ``None`` (no option given) is left to the run, which takes the latest quarter, unless
    no council figure was published by ``as_of``.

    Raises
    ------
    OutturnError
        Naming the option, what was given and the quarters that have figures.
    """
    have = quarters_with_figures(data, as_of)
    if quarter is None:
        if as_of and not have:
            first = min(data.values["vintage"], default="none")
            raise OutturnError.at(
                "--as-of",
                f"no council figures were published by {as_of}",
                f"give a later date (the earliest figure was published {first})",
            )
        return
    listed = ", ".join(p.label for p in have) or "none"
    fix = f"use a quarter with figures: {listed}"
    if not quarter.strip():
        raise OutturnError.at("--quarter", "is empty", f"{fix}; or leave it out for the latest")
    period = parse_period(quarter)  # a label that is not a period raises PeriodError
    if period.freq == "quarter" and period not in have:
        published = f" published by {as_of}" if as_of else ""
        raise OutturnError.at(
            "--quarter",
            f"{period.label} has no council figures{published} in data/values",
            fix,
        )


def reference_problems(
    catalogue: Catalogue | None,
    council: CouncilConfig | None,
    sources: dict[str, dict[str, Any]],
    paths: ProjectPaths,
) -> list[Problem]:
    """Check the catalogue's ``comparator`` and ``history_source`` against council.yml and sources.

    An indicator naming a comparator group that council.yml does not define,
    or a history source that is neither a sources.yml id nor ``own`` /
    ``published``, is a problem naming indicators.yml and the key.
    """
    from analysis.catalogue import HISTORY_SOURCES
    from analysis.config import NEIGHBOURS_GROUP

    if catalogue is None:
        return []
    groups = set(council.comparators) if council is not None else {NEIGHBOURS_GROUP}
    file, problems = str(paths.catalogue_file), []
    for ind in catalogue.values():
        if council is not None and ind.comparator not in groups:
            problems.append(Problem(
                file, f"indicator '{ind.id}', comparator",
                f"comparator group {ind.comparator!r} is not defined in {paths.council_file}",
                f"use one of {', '.join(sorted(groups))}, or add the group under "
                "'comparators:' in council.yml",
            ))  # fmt: skip
        allowed = (*HISTORY_SOURCES, *sources)
        if ind.history_source is not None and ind.history_source not in allowed:
            problems.append(Problem(
                file, f"indicator '{ind.id}', history_source",
                f"history source {ind.history_source!r} is not a source in "
                f"{paths.sources_file}",
                "use own, published, or a source id from sources.yml",
            ))  # fmt: skip
    return problems


# --- timeliness: figures older than their frequency allows for the quarter -------------------


def stale_figures(data: ProjectData, quarter: Period | None = None) -> tuple[Period | None, list]:
    """Warn for each indicator whose latest council figure is older than its frequency allows.

    The quarter is ``quarter``, else the one ``outturn run`` would report
    (``report.quarter``, else the latest most indicators have reached). These are
    warnings about the quarter, not problems with the files: validation still passes.
    """
    from analysis.pack import choose_quarter
    from analysis.series import SeriesIndex
    from analysis.timeliness import latest_period, stale_reason

    try:
        quarter = quarter or choose_quarter(data)[0]
    except PeriodError:
        return None, []
    code = data.council.council.area_code
    values = select_vintage(data.values, None)
    index = SeriesIndex(values[values["area_code"] == code])
    found = []
    for ind in data.catalogue.values():
        why = stale_reason(ind, latest_period(index, ind, code, quarter), quarter)
        if why:
            found.append(Problem(
                str(data.paths.catalogue_file), f"indicator '{ind.id}'", why,
                "add the newer figures to data/values, or set next_due: (the date the next "
                "figure is due) if it is not due yet",
                severity=WARNING, key=f"{ind.id}, out of date", kind="stale",
            ))  # fmt: skip
    return quarter, found
