"""One quarter's pack: the project's data and every indicator's result, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace

import pandas as pd

from analysis.catalogue import Indicator
from analysis.committees import Committee, resolve_subset, selected_ids
from analysis.comparators import comparator_index
from analysis.errors import ConfigError, PeriodError
from analysis.loading import (
    Commentary,
    read_commentary,
    revisions,
    select_figures,
    select_vintage,
    source_kinds,
)
from analysis.periods import Period, parse_period
from analysis.results import Context, IndicatorResult, build_results, scorecard_frame
from analysis.series import SeriesIndex, period_of
from analysis.validation import ProjectData


@dataclass
class Pack:
    """A quarter's computed pack: ``results`` holds one :class:`IndicatorResult` per indicator.

    ``scorecard`` is the results as one table (one row per reported indicator x
    comparison); it is derived from ``results``, never computed separately.
    """

    data: ProjectData
    quarter: Period
    values: pd.DataFrame
    index: SeriesIndex
    results: dict[str, IndicatorResult]
    commentary: dict[str, Commentary]
    as_of: str | None = None
    published: bool = False
    extras: dict[str, object] = field(default_factory=dict)
    scorecard: pd.DataFrame = field(init=False, repr=False)
    subset: Committee | None = None  # a committee's or portfolio's pack: its indicators only

    def __post_init__(self) -> None:
        self.scorecard = scorecard_frame(self.results)

    @property
    def council_code(self) -> str:
        """The council's GSS code."""
        return self.data.council.council.area_code

    @property
    def council_name(self) -> str:
        """The council's name."""
        return self.data.council.council.name

    @property
    def title(self) -> str:
        """``Blackpool performance report, 2017-18 Q3`` (and the pack's name, for a subset)."""
        name = f" ({self.subset.name})" if self.subset is not None else ""
        return f"{self.council_name} performance report, {self.quarter.label}{name}"

    @property
    def reported(self) -> list[str]:
        """Ids of the indicators with a figure this quarter, in catalogue order."""
        return [i for i, r in self.results.items() if r.reported]

    @property
    def exceptions(self) -> list[str]:
        """Ids of the indicators that need an exception report, in catalogue order."""
        return [i for i, r in self.results.items() if r.reported and r.exception]

    @property
    def not_reported(self) -> list[str]:
        """Ids of catalogue indicators with no figure this quarter."""
        return [i for i, r in self.results.items() if not r.reported]

    def result(self, indicator_id: str) -> IndicatorResult:
        """Return one indicator's result (an unknown id names the catalogue and its ids)."""
        if indicator_id not in self.results:
            self.data.catalogue[indicator_id]  # raises UnknownIndicatorError with the fix
        return self.results[indicator_id]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the catalogue entry for an id."""
        return self.data.catalogue[indicator_id]

    @property
    def exception_results(self) -> list[IndicatorResult]:
        """The results of the indicators that need an exception report, in catalogue order."""
        return [self.results[i] for i in self.exceptions]

    @property
    def commented_results(self) -> list[IndicatorResult]:
        """Reported indicators with commentary this quarter that are not exceptions."""
        return [
            r
            for r in self.results.values()
            if r.commentary is not None and not (r.reported and r.exception)
        ]


def council_periods(data: ProjectData) -> list[Period]:
    """Every period with a council figure at its indicator's own frequency."""
    own = data.values[data.values["area_code"] == data.council.council.area_code]
    freq = {i: ind.period_freq for i, ind in data.catalogue.items()}
    pairs = own[["indicator_id", "period"]].drop_duplicates().itertuples(index=False)
    return [p for i, label in pairs if (p := period_of(label)).freq == freq.get(i)]


def latest_quarter(data: ProjectData) -> Period:
    """Find the latest quarter with any council figure (a year's data counts as its Q4)."""
    periods = council_periods(data)
    if not periods:
        raise PeriodError("no council figures in data/values; nothing to report")
    latest = max(periods, key=lambda p: p.end_ordinal)
    return Period(latest.fy, "quarter", 4) if latest.freq == "year" else latest.quarter()


def quarter_coverage(data: ProjectData, as_of: str | None = None) -> dict[Period, int]:
    """How many indicators have a figure to report in each quarter that has any, latest first."""
    from analysis.series import current_observation

    council = data.council.council.area_code
    values = select_vintage(data.values, as_of)
    index = SeriesIndex(values[values["area_code"] == council])
    latest, found = latest_quarter(data), {}
    first = min(council_periods(data), key=lambda p: p.end_ordinal)
    q = latest
    while q.end_ordinal >= first.end_ordinal:
        n = sum(current_observation(index, ind, council, q) is not None
                for ind in data.catalogue.values())  # fmt: skip
        if n:
            found[q] = n
        q = q.shift(-1)
    return found


def choose_quarter(data: ProjectData, as_of: str | None = None) -> tuple[Period, str]:
    """Return the quarter to report when none is asked for, and why it was chosen.

    ``report.quarter`` in council.yml fixes it. Otherwise it is the latest
    quarter in which most of the indicators with any figure have one to report:
    a quarter in which only a few monthly series have moved on is not yet whole.
    """
    fixed = data.council.quarter
    if fixed:
        return parse_period(fixed), f"{fixed}: report.quarter in council.yml"
    coverage = quarter_coverage(data, as_of)
    if not coverage:
        raise PeriodError("no council figures in data/values; nothing to report")
    counted = {ind for ind in data.catalogue}  # the indicators that could be reported
    with_any = sum(1 for ind in counted if _has_figures(data, ind))
    chosen = next((q for q, n in coverage.items() if n * 2 > with_any), next(iter(coverage)))
    why = (
        f"{chosen.label}: the latest quarter in which most indicators have a figure "
        f"({coverage[chosen]} of {with_any})"
    )
    later = [
        f"{q.label} has {n}" for q, n in coverage.items() if q.end_ordinal > chosen.end_ordinal
    ]
    if later:
        why += f"; {', '.join(later[:2])}, too few to report yet (give --quarter to report it)"
    return chosen, why


def _has_figures(data: ProjectData, indicator_id: str) -> bool:
    own = data.values
    mask = (own["area_code"] == data.council.council.area_code) & (
        own["indicator_id"] == indicator_id
    )
    return bool(mask.any())


def resolve_quarter(data: ProjectData, quarter: str | None, as_of: str | None = None) -> Period:
    """Return the quarter asked for (checked), else the one :func:`choose_quarter` picks."""
    if not quarter:
        return choose_quarter(data, as_of)[0]
    period = parse_period(quarter)
    if period.freq != "quarter":
        raise PeriodError(
            f"--quarter {quarter!r} is a {period.freq}, not a quarter; write e.g. '2017-18 Q2'"
        )
    return period


def build_pack(
    data: ProjectData, quarter: Period, as_of: str | None = None, published: bool = False
) -> Pack:
    """Compute the quarter's pack from checked project data (every result, once)."""
    if as_of:
        data = dataclass_replace(data, catalogue=data.catalogue.as_of(as_of))
    council = data.council
    kinds = source_kinds(data.sources, council.council.name)
    history = {i: ind.history_source for i, ind in data.catalogue.items()}
    values, other_sources = select_figures(
        data.values, as_of, council.council.area_code, history, kinds
    )
    comparators = {i: ind.comparator for i, ind in data.catalogue.items()}
    values = comparator_index(values, comparators, council.comparators, council.council.area_code)
    index = SeriesIndex(values)
    commentary, _ = read_commentary(data.paths.commentary_dir / quarter.slug, data.catalogue)
    ctx = Context(
        index,
        council,
        quarter,
        data.ranks,
        commentary,
        other_sources,
        data.sources,
        quarter_breakdowns(data, as_of),
    )
    results = build_results(ctx, list(data.catalogue.values()))
    return Pack(data, quarter, values, index, results, commentary, as_of, published)


def subset_pack(pack: Pack, committee: Committee | None) -> Pack:
    """Return the pack of one committee or portfolio: its indicators only, the same results.

    Nothing is recomputed: each indicator's result is the whole report's, so a
    committee reads the same figures, RAG and commentary as the full pack.
    """
    if committee is None:
        return pack
    keep = selected_ids(committee, pack.data.catalogue)
    if not keep:
        raise ConfigError(
            f"the pack {committee.name!r} selects no indicator in indicators.yml. Fix: check "
            "its portfolios, services, priorities or indicators against the catalogue"
        )
    results = {i: pack.results[i] for i in keep}
    commentary = {i: c for i, c in pack.commentary.items() if i in results}
    return dataclass_replace(pack, results=results, commentary=commentary, subset=committee)


def apply_subset(pack: Pack, spec: str | None) -> Pack:
    """Return the pack a notebook's ``subset`` parameter names (empty: the whole pack)."""
    if not spec:
        return pack
    council = pack.data.council
    return subset_pack(pack, resolve_subset(spec, council.committees, pack.data.catalogue.values()))


def quarter_breakdowns(data: ProjectData, as_of: str | None = None) -> pd.DataFrame:
    """Return the breakdowns published by ``as_of`` (all of them without a date)."""
    frame = data.breakdowns
    if not as_of or frame is None or frame.empty:
        return frame
    return frame[frame["vintage"].astype(str) <= as_of].reset_index(drop=True)


def pack_revisions(pack: Pack) -> pd.DataFrame:
    """Council figures published more than once with different values."""
    rev = revisions(pack.data.values)
    return rev[rev["area_code"] == pack.council_code].reset_index(drop=True)


def suppressed_values(pack: Pack) -> pd.DataFrame:
    """List values withheld by their publisher (status marker, no figure) among those used.

    ``count`` is the number published without its rate, where there is one.
    """
    frame = pack.values
    mask = frame["status"].fillna("").ne("") & frame["value"].isna()
    cols = ["indicator_id", "area_code", "period", "status", "count", "source"]
    return frame.loc[mask, cols].reset_index(drop=True)
