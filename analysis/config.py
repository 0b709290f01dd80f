"""Where things are (one place for every path) and the council configuration."""

from __future__ import annotations

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
    )


def load_council(path: Path) -> CouncilConfig:
    """Read ``council.yml``."""
    return parse_council(read_yaml(path), path)
