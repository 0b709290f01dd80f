"""The indicator catalogue: what each indicator measures, which way is better, its targets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.errors import Problem, UnknownIndicatorError, ValidationError
from analysis.inputs import KeyReader, YamlDocument, is_kind, load_yaml
from analysis.periods import Period, PeriodError, parse_period
from analysis.tolerance import Tolerance, parse_tolerance

BETTER = ("high", "low", None)
UNITS = ("count", "rate_per_10k", "percent", "score")
FREQUENCIES = ("monthly", "quarterly", "annual")
MEASURES = ("snapshot", "flow", "cumulative_ytd", "rolling_12m", "ratio_ytd")
YEAR_END_BASES = ("outturn", "same_point", "average_per_period")
TARGET_RULES = ("none", "tbc", "decrease_on_last_year", "increase_on_previous_year")
EMPTY_CATALOGUE = "catalogue:empty"
"""Tag of the problem 'no indicators': every row citing an indicator is its knock-on."""
_FREQ_TO_PERIOD = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


@dataclass(frozen=True)
class Target:
    """A target for one financial year: a number, or a rule, or none / TBC."""

    rule: str = "value"  # value | none | tbc | decrease_on_last_year | increase_on_previous_year
    value: float | None = None
    count: float | None = None
    text: str = ""
    vintage: str | None = None  # ISO date the target was first published, if recorded
    profile: tuple[tuple[Period, float], ...] = ()
    """The target through the year (quarters or months), in the target's own terms:
    the rate when ``value`` is set, else the number (``count``)."""
    floor: float | None = None  # this year's RAG floor (amber between it and the target)

    @property
    def on_count(self) -> bool:
        """True when the target (and its profile) is a number behind a rate, not the rate."""
        return self.rule == "value" and self.value is None and self.count is not None

    def profiled(self, period: Period) -> tuple[Period, float] | None:
        """Return the profile's period and value for ``period``, or None (no profile there).

        A month takes its own value, else its quarter's; a quarter its own, else
        its last month's; a year its Q4 (or March) value.
        """
        if not self.profile:
            return None
        found = dict(self.profile)
        candidates = [period]
        if period.freq == "month":
            candidates.append(period.quarter())
        elif period.freq == "quarter":
            candidates.append(period.months()[-1])
        else:
            candidates += [Period(period.fy, "quarter", 4), Period(period.fy, "month", 12)]
        return next(((p, found[p]) for p in candidates if p in found), None)

    @property
    def describe(self) -> str:
        """How the target reads in a report."""
        if self.text:
            return self.text
        return {
            "none": "No target set",
            "tbc": "To be confirmed",
            "decrease_on_last_year": "Decrease on last year",
            "increase_on_previous_year": "Increase on previous year",
        }.get(self.rule, "" if self.value is None else f"{self.value:g}")


@dataclass(frozen=True)
class Break:
    """A series break: values before ``period`` are not comparable with those after."""

    period: Period
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry."""

    id: str
    title: str
    short_title: str
    better: str | None
    unit: str
    frequency: str
    measure: str
    decimals: int = 1
    show_count: bool = False
    denominator: str | None = None
    service: str = ""
    portfolio: str = ""
    targets: Mapping[str, Target] = field(default_factory=dict)
    breaks: tuple[Break, ...] = ()
    new_from: Period | None = None
    dfe: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    year_end_basis: str | None = None  # outturn | same_point | average_per_period
    tolerance: Tolerance | None = None  # overrides the council's report.tolerance
    comparator: str = "neighbours"  # the comparator group (council.yml) to compare with
    history_source: str | None = None  # a sources.yml id, "own" or "published"
    bounds: tuple[float, float] | None = None  # the unit's limits, when not percent
    to_check: Mapping[str, str] = field(default_factory=dict)  # stub fields still to fill
    owner: str = ""  # who writes the commentary each quarter (a name or a role)
    accountable: str = ""  # the accountable officer
    definition: str = ""  # what is counted, in words
    source: str = ""  # where the figures come from (a system, a return, a release)
    next_due: str = ""  # when the next figure is due: an ISO date, or a release rule in words
    data_quality: str = ""  # provisional, validated, or a note
    priority: str = ""  # the corporate priority or theme the indicator reports on
    rag: Mapping[str, Any] | None = None  # overrides of report.rag (tolerance, floor...)

    @property
    def value_bounds(self) -> tuple[float, float] | None:
        """The limits a value can take: ``bounds``, else 0-100 for a percentage, else none."""
        if self.bounds is not None:
            return self.bounds
        return (0.0, 100.0) if self.unit == "percent" else None

    @property
    def year_end_rule(self) -> str:
        """How 'vs last year-end' is judged: the explicit basis, else the measure's default.

        A year-to-date count is compared at the same point last year, a flow with
        last year's average per period, anything else with last year's outturn.
        """
        if self.year_end_basis:
            return self.year_end_basis
        return {
            "cumulative_ytd": "same_point",
            "ratio_ytd": "same_point",
            "flow": "average_per_period",
        }.get(self.measure, "outturn")

    @property
    def period_freq(self) -> str:
        """The :class:`Period` frequency of the indicator's own series."""
        return _FREQ_TO_PERIOD[self.frequency]

    def target_for(self, period: Period) -> Target | None:
        """Return the target for the financial year containing ``period``, if any."""
        return self.targets.get(period.year().label)


class Catalogue(Mapping[str, Indicator]):
    """Indicators by id, in catalogue order, plus the denominators."""

    def __init__(
        self,
        indicators: list[Indicator],
        denominators: dict[str, Any] | None = None,
        source: str = "indicators.yml",
        rejected: frozenset[str] = frozenset(),
    ):
        self._items = {i.id: i for i in indicators}
        self.denominators = denominators or {}
        self.source = source
        self.rejected = rejected  # ids of entries with a problem: rows citing them are knock-ons

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self._items[key]
        except KeyError:
            raise UnknownIndicatorError(
                f"indicator {key!r} is not in {self.source}; add it to the catalogue or "
                f"use one of: {', '.join(self._items)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def as_of(self, date: str | None) -> Catalogue:
        """Return the catalogue as it stood on ``date``: targets published later are not set.

        A target with a ``vintage`` after ``date`` reads "No target set (as of <date>)",
        as a report published then printed it. Without a date the catalogue is unchanged.
        """
        if not date:
            return self
        unset = Target(rule="none", text=f"No target set (as of {date})")
        indicators = [
            replace(
                ind,
                targets={
                    year: unset if t.vintage and t.vintage > date else t
                    for year, t in ind.targets.items()
                },
            )
            for ind in self._items.values()
        ]
        return Catalogue(indicators, self.denominators, self.source, self.rejected)


def _number(raw: dict, key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if not is_kind(value, "number"):
        raise ValueError(f"'{key}' is {value!r}, expected a number")
    return float(value)


def _target(raw: Any, year: Period | None = None) -> Target:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, dict, type(None))):
        raise ValueError(f"is {type(raw).__name__} {raw!r}, expected a number, a rule or a mapping")
    if isinstance(raw, (int, float)):
        return Target(value=_number({"value": raw}, "value"))
    if isinstance(raw, str):
        return Target(rule=raw) if raw in TARGET_RULES else Target(rule="tbc", text=raw)
    raw = dict(raw or {})
    vintage = _vintage(raw.get("vintage"))
    if "rule" in raw:
        if not isinstance(raw["rule"], str) or raw["rule"] not in TARGET_RULES:
            raise ValueError(f"rule {raw['rule']!r} is not one of {', '.join(TARGET_RULES)}")
        return Target(rule=raw["rule"], text=str(raw.get("text", "")), vintage=vintage)
    profile = _profile(raw.get("profile"), year) if raw.get("profile") is not None else ()
    value = _number(raw, "value")
    if value is None and raw.get("count") is None and profile:
        value = profile[-1][1]  # the profile's last period is the year's target
    if value is None and raw.get("count") is None:
        raise ValueError(
            "a target needs 'value' (a number), 'count' (for a number behind a rate) or 'rule'"
        )
    return Target(
        value=value,
        count=_number(raw, "count"),
        text=str(raw.get("text", "")),
        vintage=vintage,
        profile=profile,
        floor=_number(raw, "floor"),
    )


_QUARTER_KEY = ("Q1", "Q2", "Q3", "Q4")


def _profile_period(key: Any, year: Period) -> Period:
    """Read a profile key: ``Q1``..``Q4``, a month (``Apr``..``Mar``) or a full period label."""
    text = str(key).strip()
    if text.upper() in _QUARTER_KEY:
        return Period(year.fy, "quarter", int(text[1]))
    from analysis.periods import MONTHS

    short = text[:3].title()
    if short in MONTHS and text.isalpha():
        return Period(year.fy, "month", (MONTHS.index(short) - 3) % 12 + 1)
    found = parse_period(text)
    if found.freq == "year" or found.year() != year:
        raise ValueError(
            f"profile period {text!r} is not a quarter or month of {year.label}; write Q1..Q4 "
            "or Apr..Mar"
        )
    return found


def _profile(raw: Any, year: Period | None) -> tuple[tuple[Period, float], ...]:
    """Read a target's profile: the target for each quarter (or month) of its year, in order."""
    if year is None or not isinstance(raw, dict) or not raw:
        raise ValueError("'profile' must map quarters or months to numbers, e.g. "
                         "{Q1: 540, Q2: 530, Q3: 520, Q4: 516}")  # fmt: skip
    out = {}
    for key, value in raw.items():
        try:
            period = _profile_period(key, year)
        except PeriodError:
            raise ValueError(f"profile key {key!r} is not a quarter or month; write Q1..Q4 "
                             "or Apr..Mar") from None  # fmt: skip
        if isinstance(value, bool) or not is_kind(value, "number"):
            raise ValueError(f"profile {key}: {value!r} is not a number")
        out[period] = float(value)
    if len({p.freq for p in out}) > 1:
        raise ValueError("'profile' mixes quarters and months; give one or the other")
    return tuple(sorted(out.items(), key=lambda item: item[0].sort_key()))


def _vintage(raw: Any) -> str | None:
    """Read a target's ``vintage`` (YAML may give a date or a string) as an ISO date."""
    if raw is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        raise ValueError(f"vintage {raw!r} is not a date; write it as YYYY-MM-DD") from None


def _check_enums(raw: dict, where: str, file: str) -> list[Problem]:
    problems = []
    for key, allowed in (
        ("better", BETTER),
        ("unit", UNITS),
        ("frequency", FREQUENCIES),
        ("measure", MEASURES),
    ):
        value = raw.get(key)
        if not isinstance(value, (str, type(None))) or value not in allowed:
            shown = ", ".join(str(a).replace("None", "null") for a in allowed)
            problems.append(
                Problem(file, f"{where}, {key}", f"'{key}' is {value!r}", f"use one of {shown}")
            )
    return problems


def _parse_targets(raw: dict, where: str, file: str) -> tuple[dict[str, Target], list[Problem]]:
    targets, problems = {}, []
    specs = raw.get("targets") or {}
    if not isinstance(specs, dict):
        fix = "write targets as one line per year: '2017-18: {value: 70}'"
        return {}, [Problem(file, f"{where}, targets", "'targets' is not a mapping", fix)]
    for year, spec in specs.items():
        try:
            period = parse_period(str(year)).year()
            targets[period.label] = _target(spec, period)
        except (ValueError, PeriodError) as exc:
            problems.append(
                Problem(
                    file,
                    f"{where}, target {year}",
                    str(exc),
                    "write e.g. '2017-18: {value: 70}', '{rule: tbc}' or "
                    "'{value: 516, profile: {Q1: 540, Q2: 530, Q3: 520, Q4: 516}}'",
                )
            )
    return targets, problems


def _parse_breaks(raw: dict, where: str, file: str) -> tuple[tuple[Break, ...], list[Problem]]:
    breaks, problems = [], []
    items = raw.get("breaks") or []
    for item in items if isinstance(items, list) else [items]:
        try:
            breaks.append(Break(parse_period(str(item["period"])), str(item.get("note", ""))))
        except (KeyError, TypeError, AttributeError, PeriodError) as exc:
            problems.append(
                Problem(
                    file,
                    f"{where}, breaks",
                    f"bad break {item!r} ({exc})",
                    "write each break as '{period: Apr 2017, note: ...}'",
                )
            )
    return tuple(breaks), problems


def _typed_fields(keys: KeyReader, raw: dict, at: tuple) -> dict[str, Any]:
    """Read the indicator's plain fields, each of the type expected (else a problem)."""
    decimals = keys.get(raw, (*at, "decimals"), "whole", 1, "write decimals as 0, 1 or 2")
    if not 0 <= decimals <= 6:
        keys.problem((*at, "decimals"), f"is {decimals}", "use 0 to 6 decimal places")
        decimals = 1
    notes = raw.get("notes") or []
    notes = [notes] if isinstance(notes, str) else notes
    if not isinstance(notes, list):
        keys.problem((*at, "notes"), f"is {type(notes).__name__}", "write notes as a list of texts")
        notes = []
    title = keys.get(raw, (*at, "title"), "text", "")
    return {
        "title": str(title),
        "short_title": str(keys.get(raw, (*at, "short_title"), "text", title)),
        "decimals": decimals,
        "show_count": keys.get(raw, (*at, "show_count"), "bool", False),
        "denominator": keys.get(raw, (*at, "denominator"), "text"),
        "service": str(keys.get(raw, (*at, "service"), "text", "")),
        "portfolio": str(keys.get(raw, (*at, "portfolio"), "text", "")),
        "dfe": dict(keys.get(raw, (*at, "dfe"), "mapping", {})),
        "notes": tuple(str(n) for n in notes),
    }


METADATA_KEYS = ("owner", "accountable", "definition", "source", "data_quality", "priority")
"""Plain-text catalogue fields about an indicator (shown on its page and in the definitions)."""
DATA_QUALITY = ("provisional", "validated")
"""The two standard ``data_quality`` values; any other text is a note about the data."""


def metadata_fields(keys: KeyReader, raw: dict, at: tuple) -> dict[str, Any]:
    """Read the indicator's metadata and its ``rag`` overrides, each checked (else a problem).

    The metadata: owner, accountable, definition, source, next_due, data_quality, priority.
    """
    import datetime as dt

    from analysis.rag import parse_rag

    out: dict[str, Any] = {
        key: " ".join(str(keys.get(raw, (*at, key), "text", "")).split()) for key in METADATA_KEYS
    }
    due = raw.get("next_due")
    if isinstance(due, dt.date):
        due = due.isoformat()
    elif due is not None and (isinstance(due, bool) or not isinstance(due, (str, int, float))):
        keys.problem((*at, "next_due"), f"is {due!r}",
                     "write a date as YYYY-MM-DD, or the release rule in words")  # fmt: skip
        due = ""
    out["next_due"] = "" if due is None else str(due).strip()
    if raw.get("rag") is not None:
        try:
            parse_rag(raw["rag"])
            out["rag"] = dict(raw["rag"]) if isinstance(raw["rag"], dict) else {}
        except ValueError as exc:
            keys.problem((*at, "rag"), str(exc).split("; ")[0],
                         str(exc).partition("; ")[2] or "see docs/data-model.md")  # fmt: skip
    return out


def _other_problems(raw: dict, where: str, file: str) -> tuple[dict[str, Any], list[Problem]]:
    problems = _check_enums(raw, where, file)
    if raw.get("year_end_basis") not in (None, *YEAR_END_BASES):
        problems.append(
            Problem(
                file,
                f"{where}, year_end_basis",
                f"'year_end_basis' is {raw['year_end_basis']!r}",
                f"use one of {', '.join(YEAR_END_BASES)} or leave it out",
            )
        )
    targets, tp = _parse_targets(raw, where, file)
    breaks, bp = _parse_breaks(raw, where, file)
    new_from = None
    if raw.get("new_from"):
        try:
            new_from = parse_period(str(raw["new_from"]))
        except PeriodError as exc:
            problems.append(Problem(file, f"{where}, new_from", str(exc), "use a period label"))
    extras, xp = parse_extras(raw, where, file)
    tolerance = None
    if raw.get("tolerance") is not None:
        try:
            tolerance = parse_tolerance(raw["tolerance"])
        except ValueError as exc:
            found, _, how = str(exc).partition("; ")
            fix = (
                f"{how + ', ' if how else ''}or leave it out to use the council's report.tolerance"
            )
            problems.append(Problem(file, f"{where}, tolerance", f"'tolerance' {found}", fix))
    fields = {"targets": targets, "breaks": breaks, "new_from": new_from, "tolerance": tolerance}
    return fields | extras, problems + tp + bp + xp


def parse_indicator(
    raw: Any, position: int, file: str, doc: YamlDocument | None = None
) -> tuple[Indicator | None, list[Problem]]:
    """Build one :class:`Indicator`, collecting every problem instead of stopping at the first.

    ``position`` counts from 1; with the file's ``doc`` every problem carries its line.
    """
    at = ("indicators", position - 1)
    line = doc.line(*at) if doc is not None else None
    if not isinstance(raw, dict) or not is_kind(raw.get("id"), "text"):
        fix = "give every indicator an 'id:' (snake_case)"
        problem = Problem(file, f"indicator #{position}", "entry has no 'id'", fix, line=line)
        return None, [problem]
    ind_id = str(raw["id"])
    where = f"indicator '{ind_id}'"
    keys = KeyReader(file, doc, label=lambda path: ", ".join([where, *map(str, path[2:])]))
    fields = _typed_fields(keys, raw, at) | metadata_fields(keys, raw, at)
    if not fields["title"]:
        keys.problem((*at, "title"), "'title' is missing", "add the title as printed")
    more, problems = _other_problems(raw, where, file)
    problems = [
        replace(
            p,
            line=p.line or _line_for(doc, at, p.location, where) or line,
            tag=f"indicator:{ind_id}",
        )
        for p in keys.problems + problems
    ]
    if problems:
        return None, problems
    return Indicator(
        id=ind_id,
        better=raw.get("better"),
        unit=raw["unit"],
        frequency=raw["frequency"],
        measure=raw["measure"],
        year_end_basis=raw.get("year_end_basis"),
        **fields,
        **more,
    ), []


def _line_for(doc: YamlDocument | None, at: tuple, location: str, where: str) -> int | None:
    """Find the line of the key a problem's location names (``indicator 'x', target 2017-18``)."""
    if doc is None:
        return None
    rest = location.removeprefix(where).strip(" ,")
    if rest.startswith("target "):
        year = rest.removeprefix("target ")
        return doc.line(*at, "targets", year) or doc.line(*at, "targets")
    return doc.line(*at, rest.split(",")[0]) if rest else None


def parse_catalogue(
    raw: Any, file: str, doc: YamlDocument | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Build the catalogue from parsed YAML, with every problem found (and its line, given doc).

    Entries with a problem are left out; their ids are in ``Catalogue.rejected``
    so that values citing them can be reported as knock-on effects.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        what = "is empty" if raw is None else "has no 'indicators:' list"
        fix = (
            "it needs an 'indicators:' list, one entry per indicator with id, title, better, "
            "unit, frequency and measure (see docs/data-model.md)"
        )
        problem = Problem(file, "", what, fix, key="indicators", tag=EMPTY_CATALOGUE)
        return Catalogue([], source=file), [problem]
    indicators, problems, seen, rejected = [], [], set(), set()
    for n, entry in enumerate(raw["indicators"], start=1):
        ind, probs = parse_indicator(entry, n, file, doc)
        problems += probs
        if ind is None:
            if isinstance(entry, dict) and entry.get("id") is not None:
                rejected.add(str(entry["id"]))
            continue
        if ind.id in seen:
            problems.append(
                Problem(
                    file,
                    f"indicator '{ind.id}'",
                    "id used twice",
                    "give each indicator a unique id",
                    line=doc.line("indicators", n - 1) if doc is not None else None,
                )
            )
        seen.add(ind.id)
        indicators.append(ind)
        problems += stub_problems(ind, file)
    if not raw["indicators"]:
        fix = "add at least one indicator (see docs/data-model.md)"
        message = "the 'indicators:' list is empty"
        problems.append(Problem(file, "", message, fix, key="indicators", tag=EMPTY_CATALOGUE))
    denominators = raw.get("denominators") or {}
    if not isinstance(denominators, dict):
        fix = "write denominators as a mapping of name: {title: ...} (see docs/data-model.md)"
        problems.append(Problem(file, "", "is not a mapping", fix, key="denominators"))
        denominators = {}
    return Catalogue(indicators, denominators, file, frozenset(rejected)), problems


def load_catalogue(path: Path) -> Catalogue:
    """Read ``indicators.yml``; raise :class:`ValidationError` listing every problem."""
    doc = load_yaml(path)
    catalogue, problems = parse_catalogue(doc.data, str(path), doc)
    if problems:
        raise ValidationError(problems)
    return catalogue


# --- comparator, history source, bounds and import stubs -----------------------------------
HISTORY_SOURCES = ("own", "published")
"""``history_source`` values that are not a sources.yml id."""


def _bounds(raw: Any) -> tuple[float, float]:
    if not isinstance(raw, (list, tuple)) or len(raw) != 2:
        raise ValueError(f"'bounds' is {raw!r}, not [low, high]")
    low, high = (float(v) for v in raw)
    if not low < high:
        raise ValueError(f"'bounds' {raw!r}: low must be below high")
    return low, high


def parse_extras(raw: dict, where: str, file: str) -> tuple[dict[str, Any], list[Problem]]:
    """Read ``comparator``, ``history_source``, ``bounds`` and ``to_check`` of one entry.

    Only their shape is checked here; whether the comparator group and the
    source exist is checked against council.yml and sources.yml by
    :func:`analysis.validation.reference_problems`.
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key in ("comparator", "history_source"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(
                Problem(
                    file,
                    f"{where}, {key}",
                    f"'{key}' is {value!r}",
                    "write an id (a word such as cipfa), or leave it out",
                )
            )
        elif value is not None:
            out[key] = value.strip()
    if raw.get("bounds") is not None:
        try:
            out["bounds"] = _bounds(raw["bounds"])
        except (TypeError, ValueError) as exc:
            problems.append(
                Problem(
                    file,
                    f"{where}, bounds",
                    str(exc).split(": could")[0],
                    "write the unit's limits as [low, high], e.g. [0, 1]",
                )
            )
    to_check = raw.get("to_check") or {}
    if not isinstance(to_check, dict):
        to_check = {str(k): "" for k in to_check} if isinstance(to_check, list) else {}
    out["to_check"] = {str(k): str(v or "") for k, v in to_check.items()}
    return out, problems  # fmt: skip


def stub_problems(indicator: Indicator, file: str) -> list[Problem]:
    """One problem per field of an import stub still marked ``to_check``, saying how to fill it."""
    return [
        Problem(
            file,
            f"indicator '{indicator.id}', {key}",
            f"'{key}' still to fill (written by outturn import as a stub"
            + (f": {note}" if note else "")
            + ")",
            f"set '{key}' for this indicator, then delete the line '{key}: ...' under its "
            "'to_check:' (and 'to_check:' itself once empty)",
        )
        for key, note in indicator.to_check.items()
    ]
