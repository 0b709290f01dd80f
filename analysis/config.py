"""Where things are (one place for every path) and the council configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.committees import Committee, parse_committees
from analysis.errors import ConfigError
from analysis.inputs import KeyReader, YamlDocument, load_yaml
from analysis.rag import RagRule, parse_rag
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
    "red",
    "amber",
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
    """Read a YAML file safely (bounded, UTF-8); a fault names the file and line.

    Raises
    ------
    ConfigError
        When the file is missing, too large, not UTF-8 or not valid YAML (see
        :func:`analysis.inputs.load_yaml`).
    """
    return load_yaml(path).data


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
    quarter: str | None = None  # report.quarter: the quarter to report when none is asked for
    formats: tuple[str, ...] = ("html",)  # what `outturn run` makes without --format
    committee: str = ""  # the committee the report goes to (the documents' title block)
    docx_template: str = ""  # a Word reference document, relative to the project folder
    extra: dict[str, Any] = field(default_factory=dict)
    comparators: dict[str, ComparatorGroup] = field(default_factory=dict)
    neighbour_models: tuple[GroupModel, ...] = ()
    rag: RagRule | None = None  # report.rag: None leaves RAG off
    meeting_dates: dict[str, str] = field(default_factory=dict)  # quarter label (or "") -> ISO
    deadline_working_days: int = 7  # commentary is due this many working days before it
    require_clearance: bool = False  # --published stops while an exception is not cleared
    group_by: str = "priority"  # the catalogue field the overview groups rows by ("" for none)
    committees: tuple[Committee, ...] = ()  # report.committees: the packs --all-committees makes

    def meeting_date(self, quarter: str) -> str | None:
        """Return the ISO date of the meeting that reads ``quarter``'s report, if set."""
        return self.meeting_dates.get(quarter) or self.meeting_dates.get("")

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


ENGLISH_COUNCIL = re.compile(r"^E(06|07|08|09|10)\d{6}$")
"""GSS codes of English councils: unitary, shire district, metropolitan, London, county."""
_COUNCIL_FIX = (
    "use the ONS GSS code of an English council: E06, E07, E08, E09 or E10 and six digits "
    "(e.g. E06000009), as DfE's statistical neighbour list gives it"
)


def _area(keys: KeyReader, raw: Any, path: tuple, council: bool = False) -> Area | None:
    if not isinstance(raw, dict) or raw.get("area_code") in (None, ""):
        found = "" if isinstance(raw, dict) else f" (found {type(raw).__name__})"
        keys.problem(
            path,
            f"needs 'name' and 'area_code'{found}",
            "write it as {name: Blackpool, area_code: E06000009}; see docs/data-model.md",
        )
        return None
    code = keys.get(raw, (*path, "area_code"), "text", "")
    if council and code and not ENGLISH_COUNCIL.match(str(code)):
        keys.problem((*path, "area_code"), f"{code!r} is not an English council", _COUNCIL_FIX)
    return Area(
        name=str(keys.get(raw, (*path, "name"), "text", code)),
        area_code=str(code),
        rank=keys.get(raw, (*path, "rank"), "whole"),
        closeness=keys.get(raw, (*path, "closeness"), "text"),
    )


def _exception_rule(keys: KeyReader, report: dict) -> tuple[str, ...]:
    path = ("report", "exception_rule")
    rule = report.get("exception_rule", list(DEFAULT_EXCEPTION_RULE))
    rule = [rule] if isinstance(rule, str) else rule
    if not isinstance(rule, list) or not all(isinstance(r, str) for r in rule):
        keys.problem(
            path, "is not a list of rule names", f"list any of {', '.join(EXCEPTION_RULES)}"
        )
        return DEFAULT_EXCEPTION_RULE
    unknown = [r for r in rule if r not in EXCEPTION_RULES]
    if unknown:
        keys.problem(
            path,
            f"has unknown rule(s) {', '.join(unknown)}",
            f"use any of {', '.join(EXCEPTION_RULES)}",
        )
    return tuple(rule)


def _tolerance(keys: KeyReader, report: dict) -> Tolerance:
    try:
        return parse_tolerance(report.get("tolerance"))
    except ValueError as exc:
        message, _, fix = str(exc).partition("; ")
        keys.problem(("report", "tolerance"), message, fix or "write a number such as 0.5")
        return NO_TOLERANCE


def _suppress_below(keys: KeyReader, report: dict) -> int:
    path = ("report", "suppress_below")
    fix = "write the smallest count that may be published, a whole number such as 5"
    value = keys.get(report, path, "whole", 5, fix)
    if value < 0:
        keys.problem(path, f"is {value}, below zero", fix)
        return 5
    return value


def _neighbours(keys: KeyReader, raw: dict) -> tuple[dict, tuple[Area, ...]]:
    neighbours = keys.get(raw, ("neighbours",), "mapping", {})
    items = keys.get(neighbours, ("neighbours", "areas"), "list", [])
    areas = [_area(keys, a, ("neighbours", "areas", i), True) for i, a in enumerate(items)]
    areas = [a for a in areas if a is not None]
    seen: set[str] = set()
    for i, area in enumerate(areas):
        if area.area_code in seen:
            keys.problem(
                ("neighbours", "areas", i, "area_code"),
                f"{area.area_code} is listed twice",
                "list each neighbour once",
            )
        seen.add(area.area_code)
    return neighbours, tuple(areas)


def _report(keys: KeyReader, raw: dict) -> dict[str, Any]:
    report = keys.get(raw, ("report",), "mapping", {})
    found = _report_basics(keys, report) | _quarter_routine(keys, report)
    rated = [r for r in found["exception_rule"] if r in ("red", "amber")]
    if rated and found["rag"] is None:
        keys.problem(("report", "exception_rule"), f"uses {', '.join(rated)} but RAG is off",
                     "turn RAG on with report.rag (e.g. rag: {tolerance: '10%'}), or take "
                     f"{', '.join(rated)} out of the rule")  # fmt: skip
    return found


def _report_basics(keys: KeyReader, report: dict) -> dict[str, Any]:
    return {
        "exception_rule": _exception_rule(keys, report),
        "suppress_below": _suppress_below(keys, report),
        "tolerance": _tolerance(keys, report),
        "draft_commentary": keys.choice(
            report, ("report", "draft_commentary"), DRAFT_MODES, "below"
        ),
        "quarter": _quarter(keys, report),
        "formats": _formats(keys, report),
        "committee": str(keys.get(report, ("report", "committee"), "text", "")),
        "docx_template": str(keys.get(report, ("report", "docx_template"), "text", "")),
    }


GROUP_FIELDS = ("priority", "service", "portfolio", "owner", "accountable")
"""Catalogue fields the overview can group its rows by (``report.group_by``)."""


def _rag(keys: KeyReader, report: dict) -> RagRule | None:
    """``report.rag``: absent (or false) leaves RAG off; true or a mapping turns it on."""
    raw = report.get("rag")
    if raw is None or raw is False:
        return None
    try:
        return parse_rag(raw)
    except ValueError as exc:
        message, _, fix = str(exc).partition("; ")
        keys.problem(("report", "rag"), message, fix or "see docs/data-model.md")
        return None


def _meeting_dates(keys: KeyReader, report: dict) -> dict[str, str]:
    """``report.meeting_date``: one date, or a date per quarter (``2017-18 Q3: 2018-02-08``)."""
    import datetime as dt

    from analysis.periods import PeriodError, parse_period

    path, raw = ("report", "meeting_date"), report.get("meeting_date")
    fix = "write the date as YYYY-MM-DD, or one per quarter: {2017-18 Q3: 2018-02-08}"
    items = raw.items() if isinstance(raw, dict) else [("", raw)] if raw is not None else []
    out = {}
    for quarter, when in items:
        try:
            label = parse_period(str(quarter)).label if quarter != "" else ""
        except PeriodError:
            keys.problem(path, f"{quarter!r} is not a quarter", fix)
            continue
        try:
            day = when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when))
        except ValueError:
            keys.problem(path, f"{label + ': ' if label else ''}{when!r} is not a date", fix)
            continue
        out[label] = day.isoformat()[:10]
    return out


def _quarter_routine(keys: KeyReader, report: dict) -> dict[str, Any]:
    """RAG, the meeting and the commentary deadline, clearance, grouping and committee packs."""
    days = keys.get(report, ("report", "deadline_working_days"), "whole", 7,
                    "write a whole number of working days, such as 7")  # fmt: skip
    if days < 0:
        keys.problem(("report", "deadline_working_days"), f"is {days}", "write 0 or more")
        days = 7
    group_by = report.get("group_by", "priority")
    group_by = "" if group_by in (None, False, "none") else group_by
    if group_by and group_by not in GROUP_FIELDS:
        keys.problem(("report", "group_by"), f"is {group_by!r}",
                     f"use one of {', '.join(GROUP_FIELDS)}, or none")  # fmt: skip
        group_by = "priority"
    try:
        committees = parse_committees(report.get("committees"), keys.file)
    except ConfigError as exc:
        message = str(exc).removeprefix(f"{keys.file}: ")
        what, _, fix = message.partition(". Fix: ")
        keys.problem(("report", "committees"), what, fix or "see docs/data-model.md")
        committees = ()
    return {
        "rag": _rag(keys, report),
        "meeting_dates": _meeting_dates(keys, report),
        "deadline_working_days": days,
        "require_clearance": keys.get(report, ("report", "require_clearance"), "bool", False),
        "group_by": str(group_by),
        "committees": committees,
    }


def _quarter(keys: KeyReader, report: dict) -> str | None:
    """``report.quarter``: the quarter every run reports unless --quarter says otherwise."""
    from analysis.periods import PeriodError, parse_period

    path = ("report", "quarter")
    value = keys.get(report, path, "text", None, "write a quarter such as '2017-18 Q3'")
    if not value:
        return None
    try:
        period = parse_period(str(value))
    except PeriodError as exc:
        keys.problem(path, str(exc), "write a quarter such as '2017-18 Q3', or leave it out")
        return None
    if period.freq != "quarter":
        keys.problem(path, f"{value!r} is a {period.freq}, not a quarter",
                     "write a quarter such as '2017-18 Q3', or leave it out")  # fmt: skip
        return None
    return period.label


REPORT_FORMATS = ("html", "docx", "pdf")
"""What ``outturn run`` can make: the web pages, and the Word and PDF documents."""


def _formats(keys: KeyReader, report: dict) -> tuple[str, ...]:
    path = ("report", "formats")
    raw = report.get("formats", ["html"])
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        keys.problem(path, "is not a list of formats", "list any of html, docx, pdf")
        return ("html",)
    found = [i.strip().lower() for i in items if i.strip()]
    unknown = [i for i in found if i not in REPORT_FORMATS]
    if unknown:
        keys.problem(path, f"has unknown format(s) {', '.join(unknown)}", "use html, docx or pdf")
        return ("html",)
    return tuple(dict.fromkeys(["html", *found]))


DRAFT_MODES = ("below", "replace", "off")
_TOP_LEVEL = {"council", "region", "england", "neighbours", "report", "comparators"}


def parse_council(raw: Any, path: Path | str, doc: YamlDocument | None = None) -> CouncilConfig:
    """Build a :class:`CouncilConfig` from parsed YAML, checking every key and its type.

    Raises
    ------
    ConfigError
        Whose ``problems`` name each bad or missing key (and its line, when
        ``doc`` is given) with what was found, what is expected and the fix.
    """
    keys = KeyReader(str(path), doc)
    if not isinstance(raw, dict) or "council" not in raw:
        what = "is empty" if raw is None else "has no 'council:' mapping"
        keys.problem(
            (),
            what,
            "it needs council:, region:, england:, neighbours: and report: (see "
            "docs/data-model.md, or run 'outturn init --council <name>')",
        )
        raise ConfigError(str(keys.problems[0]), keys.problems)
    council = _area(keys, raw["council"], ("council",), True)
    region = _area(keys, raw["region"], ("region",)) if raw.get("region") is not None else None
    england_raw = raw.get("england") or {"name": "England", "area_code": "E92000001"}
    england = _area(keys, england_raw, ("england",))
    neighbours, areas = _neighbours(keys, raw)
    report = _report(keys, raw)
    model = keys.get(neighbours, ("neighbours", "model"), "text", "not stated")
    average = keys.choice(neighbours, ("neighbours", "average"), ("mean", "median"), "mean")
    la_number = keys.get(raw["council"], ("council", "la_number"), "whole")
    if keys.problems or council is None or england is None:
        raise ConfigError("\n".join(str(p) for p in keys.problems), keys.problems)
    return CouncilConfig(
        council=council,
        la_number=la_number,
        region=region,
        england=england,
        neighbour_model=str(model),
        neighbour_average=average,
        neighbours=areas,
        extra={k: v for k, v in raw.items() if k not in _TOP_LEVEL},
        neighbour_models=parse_neighbour_models(neighbours, path),
        comparators=parse_comparators(raw, path),
        **report,
    )


def load_council(path: Path) -> CouncilConfig:
    """Read ``council.yml``, checking every key (see :func:`parse_council`)."""
    doc = load_yaml(path)
    return parse_council(doc.data, path, doc)


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
