"""Where things are (one place for every path) and the council configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ConfigError
from analysis.tolerance import NO_TOLERANCE, Tolerance, parse_tolerance

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
EXCEPTION_RULES = (
    "off_target",
    "worse_than_year_end",
    "worse_than_previous_period",
    "worse_than_same_period_last_year",
    "worse_than_england",
    "worse_than_neighbours",
    "special_cause_concern",
    "has_commentary",
)
DEFAULT_EXCEPTION_RULE = ("off_target", "worse_than_year_end")


@dataclass(frozen=True)
class ProjectPaths:
    """Every path outturn reads or writes, derived from the project root."""

    root: Path
    data_dir: Path | None = None
    council_path: Path | None = None

    @property
    def data(self) -> Path:
        """The input folder (read-only to the code)."""
        return self.data_dir or self.root / "data"

    @property
    def council_file(self) -> Path:
        """The council configuration."""
        return self.council_path or self.data / "council.yml"

    @property
    def catalogue_file(self) -> Path:
        """The indicator catalogue."""
        return self.data / "indicators.yml"

    @property
    def sources_file(self) -> Path:
        """The list of sources values cite."""
        return self.data / "sources.yml"

    @property
    def values_dir(self) -> Path:
        """Folder of value CSVs, pooled."""
        return self.data / "values"

    @property
    def breakdowns_file(self) -> Path:
        """Optional breakdown table."""
        return self.data / "breakdowns.csv"

    @property
    def ranks_file(self) -> Path:
        """Optional national ranks and quartile bands (written by ``outturn init``)."""
        return self.data / "ranks.csv"

    @property
    def commentary_dir(self) -> Path:
        """Commentary Markdown, one folder per quarter."""
        return self.data / "commentary"

    @property
    def reports(self) -> Path:
        """Output folder: one sub-folder per quarter."""
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        """Report templates: the project's own, else those shipped with outturn."""
        own = self.root / "notebooks"
        return own if own.is_dir() else REPO_ROOT / "notebooks"

    @property
    def quarto_config(self) -> Path:
        """The Quarto project file."""
        own = self.root / "_quarto.yml"
        return own if own.is_file() else REPO_ROOT / "_quarto.yml"

    def report_dir(self, slug: str) -> Path:
        """Return the output folder for one quarter (``reports/2017-18-Q2``)."""
        return self.reports / slug


def project_paths(
    project: Path | str | None = None,
    data_dir: Path | str | None = None,
    council_config: Path | str | None = None,
) -> ProjectPaths:
    """Resolve the project root (the given folder, else the current directory) and its data.

    ``data_dir`` and ``council_config`` may override the defaults ``data/`` and
    ``data/council.yml``; relative paths are taken from the project root.
    """
    root = (Path(project) if project is not None else Path.cwd()).resolve()
    data = (root / data_dir).resolve() if data_dir else root / "data"
    council = (root / council_config).resolve() if council_config else None
    if not data.is_dir():
        raise ConfigError(
            f"{data}: no such data folder; run outturn from a project folder, pass "
            "--project DIR, or create one with 'outturn init --council <name>'"
        )
    return ProjectPaths(root, data if data_dir else None, council)


def read_yaml(path: Path) -> Any:
    """Read a YAML file, turning a syntax error into a message with its line number."""
    if not path.is_file():
        raise ConfigError(f"{path}: file not found; create it (see docs/data-model.md)")
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"{path}: YAML syntax error at {where}: {problem}. Fix: correct the YAML there "
            "(check indentation, a missing colon, or an unquoted value containing ': ')"
        ) from None


@dataclass(frozen=True)
class Area:
    """A named area with its GSS code."""

    name: str
    area_code: str
    rank: int | None = None
    closeness: str | None = None


@dataclass(frozen=True)
class CouncilConfig:
    """The council the pack is for, its comparators and report settings."""

    council: Area
    la_number: int | None
    region: Area | None
    england: Area
    neighbour_model: str
    neighbour_average: str
    neighbours: tuple[Area, ...]
    exception_rule: tuple[str, ...] = DEFAULT_EXCEPTION_RULE
    suppress_below: int = 5
    tolerance: Tolerance = NO_TOLERANCE
    draft_commentary: str = "below"  # below | replace | off: the generated draft's place
    extra: dict[str, Any] = field(default_factory=dict)
    comparators: dict[str, ComparatorGroup] = field(default_factory=dict)
    neighbour_models: tuple[GroupModel, ...] = ()

    def comparator(self, group_id: str) -> ComparatorGroup:
        """Return a comparator group by id (``neighbours`` is the DfE neighbours).

        Raises
        ------
        ConfigError
            When no group has that id.
        """
        groups = self.comparators or {NEIGHBOURS_GROUP: neighbours_group(self)}
        if group_id not in groups:
            raise ConfigError(
                f"comparator group {group_id!r} is not in council.yml. Fix: use one of "
                f"{', '.join(groups)}, or add it under 'comparators:'"
            )
        return groups[group_id]

    @property
    def neighbour_codes(self) -> list[str]:
        """GSS codes of the statistical neighbours, in rank order."""
        return [a.area_code for a in self.neighbours]


def _area(raw: Any, key: str, path: Path) -> Area:
    if not isinstance(raw, dict) or not raw.get("area_code"):
        raise ConfigError(
            f"{path}: '{key}' needs 'name' and 'area_code' (a GSS code such as E06000009); "
            "see docs/data-model.md"
        )
    return Area(
        name=str(raw.get("name", raw["area_code"])),
        area_code=str(raw["area_code"]),
        rank=raw.get("rank"),
        closeness=raw.get("closeness"),
    )


def _exception_rule(report: dict, path: Path) -> tuple[str, ...]:
    rule = report.get("exception_rule", list(DEFAULT_EXCEPTION_RULE))
    rule = [rule] if isinstance(rule, str) else list(rule)
    unknown = [r for r in rule if r not in EXCEPTION_RULES]
    if unknown:
        raise ConfigError(
            f"{path}: report.exception_rule has unknown rule(s) {', '.join(unknown)}; "
            f"use any of {', '.join(EXCEPTION_RULES)}"
        )
    return tuple(rule)


def _tolerance(report: dict, path: Path) -> Tolerance:
    try:
        return parse_tolerance(report.get("tolerance"))
    except ValueError as exc:
        raise ConfigError(f"{path}: report.tolerance {exc}") from None


def _draft_mode(report: dict, path: Path) -> str:
    mode = str(report.get("draft_commentary", "below"))
    if mode not in ("below", "replace", "off"):
        raise ConfigError(f"{path}: report.draft_commentary is {mode!r}; use below, replace or off")
    return mode


def parse_council(raw: Any, path: Path) -> CouncilConfig:
    """Build a :class:`CouncilConfig` from parsed YAML, naming any missing key."""
    if not isinstance(raw, dict) or "council" not in raw:
        raise ConfigError(f"{path}: needs a top-level 'council:' mapping; see docs/data-model.md")
    neighbours = raw.get("neighbours") or {}
    areas = neighbours.get("areas") or []
    average = str(neighbours.get("average", "mean"))
    if average not in ("mean", "median"):
        raise ConfigError(f"{path}: neighbours.average is {average!r}; use mean or median")
    report = raw.get("report") or {}
    return CouncilConfig(
        council=_area(raw["council"], "council", path),
        la_number=raw["council"].get("la_number"),
        region=_area(raw["region"], "region", path) if raw.get("region") else None,
        england=_area(
            raw.get("england") or {"name": "England", "area_code": "E92000001"}, "england", path
        ),
        neighbour_model=str(neighbours.get("model", "not stated")),
        neighbour_average=average,
        neighbours=tuple(_area(a, "neighbours.areas", path) for a in areas),
        exception_rule=_exception_rule(report, path),
        suppress_below=int(report.get("suppress_below", 5)),
        tolerance=_tolerance(report, path),
        draft_commentary=_draft_mode(report, path),
        extra={
            k: v
            for k, v in raw.items()
            if k not in {"council", "region", "england", "neighbours", "report"}
        },
        neighbour_models=parse_neighbour_models(neighbours, path),
        comparators=parse_comparators(raw, path),
    )


def load_council(path: Path) -> CouncilConfig:
    """Read ``council.yml``."""
    return parse_council(read_yaml(path), path)


# --- comparator groups: the DfE neighbours and any other named group ----------------------
NEIGHBOURS_GROUP = "neighbours"
"""Id of the built-in group: the DfE children's services statistical neighbours."""
AVERAGES = ("mean", "median")
_GSS = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True)
class GroupModel:
    """One list of a group's councils and the financial years it is in force for.

    ``first_year`` and ``last_year`` are the calendar years the financial years
    start in (2025 for 2025-26), inclusive; ``None`` leaves that end open.
    """

    name: str
    areas: tuple[Area, ...]
    first_year: int | None = None
    last_year: int | None = None
    source: str = ""

    def covers(self, fy: int) -> bool:
        """Return True when the list is in force for the financial year starting in ``fy``."""
        return (self.first_year is None or fy >= self.first_year) and (
            self.last_year is None or fy <= self.last_year
        )


@dataclass(frozen=True)
class ComparatorGroup:
    """A named group of councils an indicator is compared with, and how it is averaged.

    ``areas`` is the group's list; ``models`` (the DfE neighbours only) gives a
    list per span of years, and :meth:`areas_for` picks the one in force.
    """

    id: str
    name: str
    average: str
    areas: tuple[Area, ...]
    models: tuple[GroupModel, ...] = ()

    def areas_for(self, fy: int | None = None) -> tuple[Area, ...]:
        """Return the councils in the group for the financial year starting in ``fy``."""
        if fy is not None:
            for model in self.models:
                if model.covers(fy):
                    return model.areas
        return self.areas

    def codes_for(self, fy: int | None = None) -> list[str]:
        """GSS codes of the group's councils for one financial year (or its own list)."""
        return [a.area_code for a in self.areas_for(fy)]

    @property
    def all_codes(self) -> list[str]:
        """Every council the group ever includes, in any year's list."""
        codes = [a.area_code for a in self.areas]
        codes += [a.area_code for m in self.models for a in m.areas]
        return list(dict.fromkeys(codes))


def _group_area(raw: Any, key: str, path: Path) -> Area:
    """Read one group member: a GSS code, or ``{area_code, name}``."""
    code = raw.get("area_code") if isinstance(raw, dict) else raw
    if not isinstance(code, str) or not _GSS.match(code.strip()):
        raise ConfigError(
            f"{path}: {key} has {raw!r}, which is not a GSS code. Fix: write each council as "
            "its GSS code (E08000007) or as {area_code: E08000007, name: Stockport}"
        )
    name = raw.get("name") if isinstance(raw, dict) else None
    return Area(name=str(name or code.strip()), area_code=code.strip())


def _model_year(raw: Any, key: str, path: Path) -> int | None:
    if raw is None:
        return None
    from analysis.periods import PeriodError, parse_period

    try:
        return parse_period(str(raw)).fy
    except PeriodError:
        raise ConfigError(
            f"{path}: {key} is {raw!r}. Fix: write a financial year such as 2024-25"
        ) from None


def parse_neighbour_models(neighbours: Any, path: Path) -> tuple[GroupModel, ...]:
    """Read ``neighbours.models``: each DfE neighbour model and the years it is in force.

    ``outturn init`` writes both DfE models (April 2021 up to 2024-25, May 2025
    from 2025-26); a council.yml without ``models`` has none, and the
    ``neighbours.areas`` list serves every year.

    Raises
    ------
    ConfigError
        Naming the file and key of a model with no areas or a bad year.
    """
    raw = (neighbours or {}).get("models") if isinstance(neighbours, dict) else None
    if not raw:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: neighbours.models must be a list of models; see "
                          "docs/data-model.md")  # fmt: skip
    models = []
    for n, item in enumerate(raw, start=1):
        key = f"neighbours.models[{n}]"
        areas = (item or {}).get("areas") if isinstance(item, dict) else None
        if not areas:
            raise ConfigError(f"{path}: {key}.areas is empty. Fix: list the model's "
                              "councils, or delete the model")  # fmt: skip
        years = item.get("years") or {}
        models.append(GroupModel(
            name=str(item.get("model") or f"model {n}"),
            areas=tuple(_group_area(a, f"{key}.areas", path) for a in areas),
            first_year=_model_year(years.get("from"), f"{key}.years.from", path),
            last_year=_model_year(years.get("to"), f"{key}.years.to", path),
            source=str(item.get("source") or ""),
        ))  # fmt: skip
    return tuple(models)


def _one_group(group_id: str, raw: Any, path: Path) -> ComparatorGroup:
    key = f"comparators.{group_id}"
    if group_id == NEIGHBOURS_GROUP:
        raise ConfigError(
            f"{path}: {key}: '{NEIGHBOURS_GROUP}' is the DfE neighbours' own id (set under "
            "'neighbours:'). Fix: give this group another id, e.g. cipfa"
        )
    if not isinstance(raw, dict) or not raw.get("areas"):
        raise ConfigError(
            f"{path}: {key} has no areas. Fix: list the group's councils under "
            f"{key}.areas as GSS codes, e.g. areas: [E08000007, E06000007]"
        )
    if not isinstance(raw["areas"], list):
        raise ConfigError(f"{path}: {key}.areas must be a list of GSS codes")
    average = str(raw.get("average", "mean"))
    if average not in AVERAGES:
        raise ConfigError(f"{path}: {key}.average is {average!r}. Fix: use mean or median")
    areas = tuple(_group_area(a, f"{key}.areas", path) for a in raw["areas"])
    return ComparatorGroup(group_id, str(raw.get("name") or group_id), average, areas)


def parse_comparators(raw: Any, path: Path) -> dict[str, ComparatorGroup]:
    """Read the comparator groups of ``council.yml``: ``neighbours`` first, then ``comparators``.

    Parameters
    ----------
    raw : Any
        The parsed ``council.yml``.
    path : Path
        The file, for messages.

    Returns
    -------
    dict of str to ComparatorGroup
        ``neighbours`` (the DfE children's services neighbours, with a list per
        model year when ``neighbours.models`` is given) and every group under
        ``comparators:``, by id.

    Raises
    ------
    ConfigError
        Naming the file and key of a group with no areas, a bad GSS code or an
        unknown average.
    """
    raw = raw if isinstance(raw, dict) else {}
    neighbours = raw.get("neighbours") if isinstance(raw.get("neighbours"), dict) else {}
    groups = {
        NEIGHBOURS_GROUP: ComparatorGroup(
            NEIGHBOURS_GROUP,
            str(neighbours.get("model") or "Statistical neighbours"),
            str(neighbours.get("average", "mean")),
            tuple(_group_area(a, "neighbours.areas", path) for a in neighbours.get("areas") or []),
            parse_neighbour_models(neighbours, path),
        )
    }
    extra = raw.get("comparators") or {}
    if not isinstance(extra, dict):
        raise ConfigError(
            f"{path}: 'comparators' must map a group id to its name, average and areas; "
            "see docs/data-model.md"
        )
    for group_id, spec in extra.items():
        groups[str(group_id)] = _one_group(str(group_id), spec, path)
    return groups


def neighbours_group(config: CouncilConfig) -> ComparatorGroup:
    """Build the ``neighbours`` group from a config's neighbour fields."""
    return ComparatorGroup(
        NEIGHBOURS_GROUP,
        config.neighbour_model,
        config.neighbour_average,
        config.neighbours,
        config.neighbour_models,
    )
