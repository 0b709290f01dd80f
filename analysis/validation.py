"""Check a whole data folder and collect every problem, so the analyst can fix them in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.benchmarking import check_ranks, empty_ranks
from analysis.catalogue import Catalogue, parse_catalogue
from analysis.config import CouncilConfig, ProjectPaths, parse_council, read_yaml
from analysis.errors import ConfigError, DataError, Problem, ValidationError
from analysis.loading import commentary_problems, read_breakdowns, read_csv_text, read_values


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


def _yaml(path, problems: list[Problem]) -> Any:
    try:
        return read_yaml(path)
    except ConfigError as exc:
        text = str(exc)
        msg = text.split(": ", 1)[1] if ": " in text else text
        problems.append(
            Problem(
                str(path),
                "",
                msg.split(". Fix: ")[0],
                msg.split(". Fix: ")[1] if ". Fix: " in msg else "see above",
            )
        )
        return None


def _sources(raw: Any, file: str, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    items = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        problems.append(
            Problem(file, "top level", "no 'sources:' list", "see docs/data-model.md for the shape")
        )
        return {}
    return {str(s["id"]): s for s in items if isinstance(s, dict) and "id" in s}


def _council(raw: Any, paths: ProjectPaths, problems: list[Problem]) -> CouncilConfig | None:
    if raw is None:
        return None
    try:
        return parse_council(raw, paths.council_file)
    except ConfigError as exc:
        problems.append(
            Problem(
                str(paths.council_file), "", str(exc).split(": ", 1)[-1], "see docs/data-model.md"
            )
        )
        return None


def _breakdowns(paths: ProjectPaths, problems: list[Problem]) -> pd.DataFrame:
    try:
        return read_breakdowns(paths.breakdowns_file)
    except ValidationError as exc:
        problems += exc.problems
    except DataError as exc:
        message, _, fix = str(exc).split(": ", 1)[-1].partition("; ")
        problems.append(Problem(str(paths.breakdowns_file), "", message, fix or "correct it"))
    return pd.DataFrame()


def _ranks(
    paths: ProjectPaths, catalogue: Catalogue | None, problems: list[Problem]
) -> pd.DataFrame:
    if not paths.ranks_file.is_file():
        return empty_ranks()
    try:
        raw = read_csv_text(paths.ranks_file)
    except DataError as exc:
        message, _, fix = str(exc).split(": ", 1)[-1].partition("; ")
        problems.append(Problem(str(paths.ranks_file), "", message, fix or "correct it"))
        return empty_ranks()
    ranks, rank_problems = check_ranks(raw, str(paths.ranks_file), catalogue)
    problems += rank_problems
    return ranks


def inspect_project(paths: ProjectPaths) -> tuple[ProjectData | None, list[Problem]]:
    """Read and check every input file; return the data (if readable) and all problems."""
    problems: list[Problem] = []
    council = _council(_yaml(paths.council_file, problems), paths, problems)
    raw_cat = _yaml(paths.catalogue_file, problems)
    catalogue, cat_problems = (
        parse_catalogue(raw_cat, str(paths.catalogue_file)) if raw_cat is not None else (None, [])
    )
    problems += cat_problems
    sources = {}
    if paths.sources_file.is_file():
        sources = _sources(_yaml(paths.sources_file, problems), str(paths.sources_file), problems)
    files = sorted(paths.values_dir.glob("*.csv")) if paths.values_dir.is_dir() else []
    if not files:
        problems.append(
            Problem(
                str(paths.values_dir),
                "",
                "no values CSV files found",
                "put at least one values CSV in data/values/",
            )
        )
    values, value_problems = read_values(files, catalogue, set(sources) if sources else None)
    problems += value_problems
    if catalogue is not None:
        problems += commentary_problems(paths.commentary_dir, catalogue)
    breakdowns = _breakdowns(paths, problems)
    ranks = _ranks(paths, catalogue, problems)
    problems += reference_problems(catalogue, council, sources, paths)
    if problems or council is None or catalogue is None:
        return None, problems
    data = ProjectData(paths, council, catalogue, sources, values, breakdowns, ranks)
    return data, []


def load_project(paths: ProjectPaths) -> ProjectData:
    """Read and check the data folder; raise :class:`ValidationError` listing every problem."""
    data, problems = inspect_project(paths)
    if problems or data is None:
        raise ValidationError(problems)
    return data


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
