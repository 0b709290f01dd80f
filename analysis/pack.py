"""One quarter's pack: the project's data and every indicator's result, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace

import pandas as pd

from analysis.catalogue import Indicator
from analysis.errors import PeriodError
from analysis.loading import Commentary, read_commentary, revisions, select_vintage
from analysis.periods import Period, parse_period
from analysis.results import Context, IndicatorResult, build_results, scorecard_frame
from analysis.series import SeriesIndex, benchmark_index, period_of
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


def resolve_quarter(data: ProjectData, quarter: str | None) -> Period:
    """Return the quarter asked for (checked), or the latest in the data."""
    if not quarter:
        return latest_quarter(data)
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
    values = select_vintage(data.values, as_of)
    values = benchmark_index(values, council.neighbour_codes, council.neighbour_average)
    index = SeriesIndex(values)
    commentary, _ = read_commentary(data.paths.commentary_dir / quarter.slug, data.catalogue)
    ctx = Context(index, council, quarter, data.ranks, commentary, quarter_breakdowns(data, as_of))
    results = build_results(ctx, list(data.catalogue.values()))
    return Pack(data, quarter, values, index, results, commentary, as_of, published)


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
