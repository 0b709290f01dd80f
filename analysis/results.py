"""One computed result per indicator: every figure, judgement and reading any page or file shows.

A run computes an :class:`IndicatorResult` once for each catalogue indicator.
scorecard.csv, forecasts.csv, every page and the draft commentary read these
objects; nothing downstream recomputes SPC, forecasts, crossings or ranks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.breakdowns import Breakdown, build_breakdowns
from analysis.catalogue import Indicator, Target
from analysis.comparators import group_label, series_name
from analysis.comparison import (
    COMPARISONS,
    RULE_TEXT,
    SCORECARD_COLUMNS,
    compare_indicator,
    exception_reasons,
)
from analysis.config import ComparatorGroup, CouncilConfig
from analysis.importing import ENGLAND
from analysis.loading import SN_CODE, Commentary
from analysis.periods import Period, parse_period
from analysis.rag import RagRule, Rating, parse_rag, rate
from analysis.series import Observation, SeriesIndex, current_observation, history, value_at
from analysis.timeliness import latest_period, stale_reason

HORIZON = {"month": 12, "quarter": 8, "year": 3}
"""How far ahead crossings look, per frequency (a year or two of months and quarters)."""
FAN_HORIZON = {"month": 6, "quarter": 4, "year": 2}
"""How far ahead the fan on a chart reaches."""
LEVEL = 80
"""Interval level of every forecast, crossing and projection, in percent."""
MIN_IN_YEAR_POINTS = 2
"""A year-end projection needs at least this many figures from the year so far."""
LEVEL_MEASURES = ("snapshot", "rolling_12m", "ratio_ytd")
"""Measures whose in-year figure is on the same scale as the year's (a level, not a part-total)."""


@dataclass(frozen=True)
class SPCReading:
    """The SPC (XmR) reading of an indicator's series: one per indicator, shown everywhere.

    ``signal`` is ``special_cause_improvement``, ``special_cause_concern``,
    ``special_cause_neutral``, ``common_cause`` or ``too_short``; ``assurance``
    is ``consistently_passing``, ``consistently_failing``, ``hit_or_miss``,
    ``no_target`` or empty (too short). ``period`` is the latest point judged.
    """

    signal: str = "too_short"
    rule: str = ""
    assurance: str = ""
    n_points: int = 0
    trial_limits: bool = True
    period: str | None = None
    value: float | None = None
    mean: float | None = None
    lpl: float | None = None
    upl: float | None = None
    frame: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    summary: dict = field(default_factory=dict, repr=False, compare=False)
    """The reading as :func:`analysis.spc.variation` gives it (what its sentence is built from)."""

    @property
    def judged(self) -> bool:
        """True when the series is long enough for an SPC judgement."""
        return self.signal != "too_short"


@dataclass(frozen=True)
class IndicatorResult:
    """Everything the report says about one indicator in one quarter.

    ``current`` is None when the indicator has no figure this quarter (it is
    then listed, never judged). ``comparisons`` holds one row per comparison in
    :data:`analysis.comparison.COMPARISONS` order (the scorecard's fields).
    ``history`` is the papers' history table: each period shown and its
    observation (None when there is no figure). ``chart`` is the council, the
    statistical-neighbour average and England, tidy; ``band`` the neighbours'
    range. ``forecast``, ``crossing`` and ``year_end`` are
    :mod:`analysis.forecasting` results or None.
    """

    indicator: Indicator
    quarter: Period
    current: Observation | None
    target: Target | None
    comparisons: tuple[dict, ...] = ()
    series: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    spc: SPCReading = field(default_factory=SPCReading)
    forecast: object | None = None
    crossing: object | None = None
    year_end: object | None = None
    rank: dict | None = None
    reasons: tuple[str, ...] = ()
    commentary: Commentary | None = None
    history: tuple[tuple[Period, Observation | None], ...] = ()
    chart: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    band: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    group: ComparatorGroup | None = None
    group_rank: dict | None = None
    notes: tuple[str, ...] = ()
    """About the figures shown: how a period's figure was made, what another source published."""
    rag: str | None = None
    """``green``, ``amber``, ``red``, or ``''`` (not rated: no target); None when RAG is off."""
    rag_reason: str = ""
    """Why it has that status, in words (``missed by 15, within the tolerance of 51.6``)."""
    trajectory: tuple[tuple[Period, float], ...] = ()
    """The year's profiled target on the indicator's own scale (drawn on the chart), if any."""
    stale: str = ""
    """Why the latest figure is older than the indicator's frequency allows, or ''."""
    breakdowns: tuple[Breakdown, ...] = ()
    """The quarter's breakdowns (``data/breakdowns.csv``), see :mod:`analysis.breakdowns`."""

    @property
    def id(self) -> str:
        """The indicator id."""
        return self.indicator.id

    @property
    def reported(self) -> bool:
        """True when the indicator has a figure this quarter."""
        return self.current is not None

    @property
    def exception(self) -> bool:
        """True when the indicator needs an exception report."""
        return bool(self.reasons)

    @property
    def exception_reason(self) -> str:
        """Why it is an exception, in words (``off target; worse than ...``), or ''."""
        return "; ".join(RULE_TEXT[r] for r in self.reasons)

    @property
    def target_value(self) -> float | None:
        """Return this year's numeric target on the indicator's own scale, if any."""
        t = self.target
        return t.value if t is not None and t.rule == "value" else None

    @property
    def rag_on(self) -> bool:
        """True when the council rates indicators red, amber or green (``report.rag``)."""
        return self.rag is not None

    @property
    def forecast_drawn(self) -> bool:
        """True when there is a forecast whose own back-test held (see ``failed_backtest``)."""
        from analysis.forecasting import failed_backtest

        fc = self.forecast
        return fc is not None and fc.ok and not failed_backtest(fc.coverage, fc.n_outcomes)

    def comparison(self, name: str) -> dict:
        """Return one comparison's row (``previous_period``, ``target``, ...)."""
        for row in self.comparisons:
            if row["comparison"] == name:
                return row
        raise KeyError(f"{self.id} has no {name!r} comparison this quarter")


# --- the series behind SPC and forecasts ---------------------------------------------------


def analysis_period(ind: Indicator, current: Observation) -> Period:
    """Return the period the SPC and forecast series end at.

    A count-only month (a number published without its rate) is read at its
    quarter, whose series carries the rates.
    """
    p = current.period
    return p.quarter() if current.missing and p.freq == "month" else p


def _period_at(p: Period, freq: str) -> Period:
    if freq == "year":
        return p.year()
    if freq == "quarter":
        return p.quarter() if p.freq != "year" else Period(p.fy, "quarter", 4)
    return p if p.freq == "month" else p.months()[-1]


def analysis_series(index: SeriesIndex, ind: Indicator, area: str, current: Period) -> pd.Series:
    """Return the area's series at ``current``'s frequency, up to it, for SPC and forecasts.

    Values at other frequencies are brought in where they mean the same thing
    (a March snapshot is the Q4 value). Leading gaps are dropped; inner gaps
    stay as NaN. Index: :class:`Period`.
    """
    obs = index.observations(ind.id, area)
    if not obs:
        return pd.Series(dtype=float)
    first = min(obs, key=lambda p: p.end_ordinal)
    freq = current.freq
    values = {}
    p = _period_at(first, freq)
    while p.end_ordinal <= current.end_ordinal:
        found = value_at(index, ind, area, p)
        if found is None and freq == "quarter" and p.index == 4 and ind.measure != "flow":
            found = obs.get(p.year())
        values[p] = found.value if found is not None else math.nan
        p = p.shift(1)
    s = pd.Series(values, dtype=float)
    valid = s.notna()
    return s[valid.idxmax() :] if valid.any() else s.iloc[0:0]


def improvement(ind: Indicator) -> str | None:
    """Return the SPC improvement direction from the polarity."""
    return {"high": "increase", "low": "decrease"}.get(ind.better or "")


def spc_reading(ind: Indicator, series: pd.Series, target: float | None) -> SPCReading:
    """XmR chart of ``series`` rebased at recorded series breaks, and its latest reading."""
    from analysis.spc import variation, xmr

    if series.empty:
        return SPCReading()
    labels = [p.label for p in series.index]
    rebase = []
    for brk in ind.breaks:
        after = [p for p in series.index if p.start_date >= brk.period.start_date]
        if after and after[0] != series.index[0]:
            rebase.append(after[0].label)
    frame = xmr(
        series.to_numpy(), labels, improvement=improvement(ind), target=target, rebase=rebase
    )
    bounds = ind.value_bounds
    if bounds is not None:  # limits past a unit's bounds (a percentage over 100) mean nothing
        for column in ("lpl", "upl", "lower_two_sigma", "upper_two_sigma"):
            if column in frame:
                frame[column] = frame[column].clip(*bounds)
    found = variation(frame)
    period = found.get("period")
    return SPCReading(
        signal=found["signal"],
        rule=found.get("rule") or "",
        assurance=found.get("assurance") or "",
        n_points=int(found.get("n_points") or 0),
        trial_limits=bool(found.get("trial_limits", True)),
        period=None if period is None else str(getattr(period, "label", period)),
        value=found.get("value"),
        mean=found.get("mean"),
        lpl=found.get("lpl"),
        upl=found.get("upl"),
        frame=frame,
        summary=found,
    )


# --- forecasts, crossings and year-end projections -----------------------------------------


def benchmark_series(
    index: SeriesIndex, ind: Indicator, area: str, until: Period | None = None
) -> pd.Series:
    """Return a comparator's annual series (statistical neighbours, England) up to ``until``."""
    obs = index.observations(ind.id, area)
    years = {
        p: o.value
        for p, o in obs.items()
        if p.freq == "year"
        and not o.missing
        and (until is None or p.end_ordinal <= until.end_ordinal)
    }
    return pd.Series(years, dtype=float).sort_index(key=lambda i: [p.fy for p in i])


def england_anchor(
    index: SeriesIndex, ind: Indicator, current: Period, england: str = ENGLAND
) -> pd.Series | None:
    """Return England's annual series up to ``current``: what a council's rate regresses toward.

    None for a count (a council's count is not comparable with England's total),
    and for a monthly or quarterly figure that is a part of the year's (a month's
    count, a year-to-date running total), which England's annual figure does not
    match.
    """
    if ind.unit == "count":
        return None
    in_period_share = ind.measure == "flow" and ind.unit in ("percent", "score")
    if current.freq != "year" and ind.measure not in LEVEL_MEASURES and not in_period_share:
        return None
    bench = benchmark_series(index, ind, england, until=current)
    return bench if len(bench) else None


def crossing_benchmark(
    index: SeriesIndex,
    ind: Indicator,
    target: float | None,
    until: Period,
    label: str = "the statistical-neighbour average",
) -> tuple[float, str] | None:
    """Say what the trend must reach: the year's numeric target, else its group's average."""
    if target is not None:
        return float(target), f"the {until.year().label} target"
    bench = benchmark_series(index, ind, SN_CODE, until=until)
    if bench.empty:
        return None
    latest = float(bench.iloc[-1])
    return latest, f"{label} ({latest:,.1f} in {bench.index[-1].label})"


def crossing_for(
    index: SeriesIndex,
    ind: Indicator,
    series: pd.Series,
    target: float | None = None,
    anchor: pd.Series | None = None,
    label: str = "the statistical-neighbour average",
):
    """When the council's trend (pulled toward ``anchor``) reaches its target or its group."""
    from analysis.forecasting import forecast_crossing

    observed = series.dropna()
    if ind.better is None or observed.empty:
        return None
    found = crossing_benchmark(index, ind, target, series.index[-1], label)
    if found is None:
        return None
    return forecast_crossing(
        observed,
        found[0],
        better=ind.better,
        horizon=HORIZON[series.index[-1].freq],
        level=LEVEL,
        breaks=[b.period for b in ind.breaks],
        benchmark_mode="hold",
        benchmark_name=found[1],
        anchor=anchor,
        anchor_name="England",
        bounds=ind.value_bounds,
    )


def projection_measure(ind: Indicator) -> str | None:
    """How the year-end is projected for ``ind``, or None when it has no year-end outturn.

    Counts and rates of a flow add up over the year; a year-to-date count carries
    on from where it is; a snapshot, a rolling total and a year-to-date ratio are
    projected as a level. An in-period percentage (this month's share) has no
    year-end outturn of its own.
    """
    if ind.measure == "flow" and ind.unit in ("percent", "score"):
        return None
    return {"ratio_ytd": "snapshot"}.get(ind.measure, ind.measure)


def year_end_for(
    index: SeriesIndex,
    ind: Indicator,
    area: str,
    series: pd.Series,
    target: float | None,
    anchor: pd.Series | None = None,
):
    """Projected outturn for the current financial year (a level pulled toward ``anchor``)."""
    from analysis.forecasting import project_year_end

    measure = projection_measure(ind)
    if series.empty or ind.frequency == "annual" or measure is None:
        return None
    current = series.index[-1]
    if current.freq == "year":
        return None
    s = series.dropna()
    in_year = s[[p.fy == current.fy for p in s.index]]
    if len(in_year) < MIN_IN_YEAR_POINTS:
        return None
    earlier = {}
    for fy in sorted({p.fy for p in s.index if p.fy < current.fy}):
        part = s[[p.fy == fy for p in s.index]]
        if len(part) == current.per_year:
            earlier[fy] = part
    last = value_at(index, ind, area, Period(current.fy - 1, "year"))
    if target is not None and measure == "flow":
        target = target * current.per_year  # a flow's target is set per period
    try:
        return project_year_end(
            in_year,
            measure=measure,
            frequency=ind.frequency,
            earlier_years=earlier or None,
            last_year_outturn=None if last is None or last.missing else last.value,
            target=target,
            level=LEVEL,
            anchor=anchor,
            anchor_name="England",
            bounds=ind.value_bounds,
        )
    except Exception:  # noqa: BLE001 - a projection that cannot be made is simply absent
        return None


def forecast_for(ind: Indicator, series: pd.Series, anchor: pd.Series | None):
    """Return the forecast fan drawn on the indicator's chart (None without a series)."""
    from analysis.forecasting import forecast

    observed = series.dropna()
    if observed.empty:
        return None
    return forecast(
        observed,
        horizon=FAN_HORIZON[series.index[-1].freq],
        level=LEVEL,
        breaks=[b.period for b in ind.breaks],
        anchor=anchor,
        anchor_name="England",
        bounds=ind.value_bounds,
    )


# --- the papers' history table, the chart series, the national rank -------------------------


def history_periods(ind: Indicator, quarter: Period, monthly_data: bool = True) -> list[Period]:
    """List the periods a paper's history table shows: earlier year-ends, then this year.

    A monthly indicator shows this year's months when it has monthly figures
    this year (``monthly_data``), else its quarters.
    """
    years = [Period(quarter.fy - 2, "year"), Period(quarter.fy - 1, "year")]
    if ind.frequency == "annual":
        return [Period(quarter.fy - 3, "year"), *years, Period(quarter.fy, "year")]
    if ind.frequency == "monthly" and monthly_data:
        return years + [m for m in Period(quarter.fy, "year").months() if m <= quarter]
    return years + [Period(quarter.fy, "quarter", q) for q in range(1, quarter.index + 1)]


def history_cells(
    index: SeriesIndex, ind: Indicator, area: str, quarter: Period
) -> tuple[tuple[Period, Observation | None], ...]:
    """Each period of the history table with the council's observation (None: no figure)."""
    obs = index.observations(ind.id, area)
    monthly = any(
        p.freq == "month" and p.fy == quarter.fy and p <= quarter and not o.missing
        for p, o in obs.items()
    )
    return tuple((p, value_at(index, ind, area, p)) for p in history_periods(ind, quarter, monthly))


def chart_series(
    index: SeriesIndex,
    ind: Indicator,
    council: CouncilConfig,
    until: Period,
    group: ComparatorGroup | None = None,
) -> pd.DataFrame:
    """Council, its comparator group's average and England, one indicator, tidy."""
    average = (
        series_name(group) if group else f"Statistical neighbours ({council.neighbour_average})"
    )
    named = [
        (council.council.area_code, council.council.name),
        (SN_CODE, average),
        (council.england.area_code, "England"),
    ]
    parts = [history(index, ind, code, until=until).assign(series=name) for code, name in named]
    parts = [p for p in parts if not p.empty]
    cols = ["date", "period", "series", "value", "count", "status"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def _members(group: ComparatorGroup | None, codes: Sequence[str], fy: int, own: str) -> list[str]:
    found = group.codes_for(fy) if group is not None else list(codes)
    return [c for c in found if c != own]


def neighbour_band(
    index: SeriesIndex,
    ind: Indicator,
    codes: Sequence[str],
    until: Period,
    group: ComparatorGroup | None = None,
    own: str = "",
) -> pd.DataFrame:
    """Lowest and highest council of the comparator group per period, and how many had a figure.

    The group's list in force for each period's year is used (the DfE model of
    that year); ``codes`` is the list when no group is given. Columns: date,
    period, low, high, n. Periods where fewer than two councils have a figure
    are left out (a range of one is not a range).
    """
    every = set(group.all_codes) if group is not None else set(codes)
    parts = [history(index, ind, code, until=until).assign(area=code) for code in every]
    parts = [p for p in parts if not p.empty]
    cols = ["date", "period", "low", "high", "n"]
    if not parts:
        return pd.DataFrame(columns=cols)
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    keep = [
        area in _members(group, codes, parse_period(p).fy, own)
        for area, p in zip(frame["area"], frame["period"], strict=True)
    ]
    frame = frame[keep]
    out = frame.groupby(["date", "period"], as_index=False)["value"].agg(
        low="min", high="max", n="count"
    )
    return out[out["n"] >= 2].sort_values("date").reset_index(drop=True)[cols]


def group_rank(
    index: SeriesIndex, ind: Indicator, group: ComparatorGroup | None, own: str, until: Period
) -> dict | None:
    """Return the council's rank among its group (1 = best) in the latest period both have.

    The period is the latest up to ``until`` in which the council and at least
    half of the group's councils have a figure; ties share a rank. None for a
    context measure, a count (it grows with the area) or without such a period.
    """
    if group is None or ind.better is None or ind.unit == "count":
        return None
    own_obs = index.observations(ind.id, own)
    for p in sorted(own_obs, key=lambda q: q.end_ordinal, reverse=True):
        if p.end_ordinal > until.end_ordinal or own_obs[p].missing:
            continue
        members = _members(group, (), p.fy, own)
        found = [index.observations(ind.id, c).get(p) for c in members]
        figures = [o.value for o in found if o is not None and not o.missing]
        if len(figures) * 2 < len(members) or not figures:
            continue
        mine = own_obs[p].value
        better = sum(1 for v in figures if (v > mine if ind.better == "high" else v < mine))
        return {"rank": better + 1, "of": len(figures) + 1, "period": p.label, "group": group.name}
    return None


def national_rank(
    ranks: pd.DataFrame, indicator_id: str, area: str, quarter: Period
) -> dict | None:
    """Find the latest national rank and quartile band up to ``quarter`` (``data/ranks.csv``).

    Returns a dict with ``period``, ``rank`` (1 = best, by polarity; None for a
    context measure or a count), ``of`` (councils with a figure), ``quartile``
    (LAIT's band A-D, A the best quarter) and ``source``; None when there is no rank.
    """
    rows = ranks[(ranks["indicator_id"] == indicator_id) & (ranks["area_code"] == area)]
    if rows.empty:
        return None
    ends = [parse_period(str(p)) for p in rows["period"]]
    keep = [p.end_ordinal <= quarter.end_ordinal for p in ends]
    rows = rows[keep]
    years = [p.fy for p, k in zip(ends, keep, strict=True) if k]
    ranked = (rows["quartile"].fillna("").ne("") | rows["rank"].notna()).to_numpy()
    candidates = [(fy, i) for i, (fy, ok) in enumerate(zip(years, ranked, strict=True)) if ok]
    if not candidates:
        return None
    last = rows.iloc[max(candidates)[1]]
    rank = last["rank"]
    return {
        "period": str(last["period"]),
        "rank": None if pd.isna(rank) else int(rank),
        "of": int(last["of"]),
        "quartile": str(last["quartile"] or ""),
        "source": str(last.get("source", "")),
    }


def figure_notes(
    ind: Indicator,
    history: Sequence[tuple[Period, Observation | None]],
    other_sources: pd.DataFrame,
    sources: Mapping[str, dict],
) -> tuple[str, ...]:
    """Return notes on the history table's figures: derived ones, and other sources' figures."""
    from analysis.formatting import format_value

    notes = [
        f"{p.label}: no figure was published for the {('year' if p.freq == 'year' else p.freq)}; "
        f"the one shown is the {obs.derived}."
        for p, obs in history
        if obs is not None and obs.derived
    ]
    if other_sources.empty:
        return tuple(notes)
    shown = {p.label for p, _ in history}
    rows = other_sources[
        (other_sources["indicator_id"] == ind.id) & other_sources["period"].isin(shown)
    ]
    for row in rows.itertuples(index=False):
        other = sources.get(row.other_source, {})
        mine = sources.get(row.source, {})
        who = other.get("publisher") or other.get("title") or row.other_source
        notes.append(
            f"{who} published {format_value(row.other_value, ind)} for {row.period}; the figure "
            f"shown, {format_value(row.value, ind)}, is from {mine.get('title') or row.source}."
        )
    return tuple(notes)


# --- building every result -----------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every indicator's result is computed from: one quarter of one project."""

    index: SeriesIndex
    council: CouncilConfig
    quarter: Period
    ranks: pd.DataFrame
    commentary: Mapping[str, Commentary]
    other_sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: Mapping[str, dict] = field(default_factory=dict)
    breakdowns: pd.DataFrame | None = None
    """``data/breakdowns.csv`` as loaded (None or empty: no breakdowns)."""


def breakdowns_for(ctx: Context, ind: Indicator, cells: tuple) -> tuple[Breakdown, ...]:
    """Return the indicator's breakdowns for the quarter, each with its headline figure."""
    periods = [p for p, _ in cells]
    code = ctx.council.council.area_code
    return build_breakdowns(ctx.breakdowns, ind, ctx.quarter, periods, ctx.index, code)


def _unreported(ctx: Context, ind: Indicator) -> IndicatorResult:
    code = ctx.council.council.area_code
    group = ctx.council.comparator(ind.comparator)
    cells = history_cells(ctx.index, ind, code, ctx.quarter)
    return IndicatorResult(
        ind,
        ctx.quarter,
        None,
        ind.target_for(ctx.quarter),
        commentary=ctx.commentary.get(ind.id),
        history=cells,
        notes=figure_notes(ind, cells, ctx.other_sources, ctx.sources),
        breakdowns=breakdowns_for(ctx, ind, cells),
        rank=national_rank(ctx.ranks, ind.id, code, ctx.quarter),
        chart=chart_series(ctx.index, ind, ctx.council, ctx.quarter, group),
        band=neighbour_band(ctx.index, ind, (), ctx.quarter, group, code),
        group=group,
        rag=None if ctx.council.rag is None else "",
        rag_reason="no figure this quarter" if ctx.council.rag is not None else "",
        trajectory=trajectory(ind.target_for(ctx.quarter)),
        stale=stale_reason(ind, latest_period(ctx.index, ind, code, ctx.quarter), ctx.quarter),
    )


def trajectory(target: Target | None) -> tuple[tuple[Period, float], ...]:
    """Return the profiled target on the indicator's own scale (none for a count-only target)."""
    if target is None or target.rule != "value" or target.on_count:
        return ()
    return target.profile


def trajectory_value(target: Target | None, series: pd.Series) -> float | None:
    """Return the profiled target at the series' latest point (SPC assurance is judged on it)."""
    if target is None or target.on_count or series.empty or not target.profile:
        return None
    found = target.profiled(series.index[-1])
    return None if found is None else found[1]


def rating_for(
    ind: Indicator, target: Target | None, rows: Sequence[dict], rule: RagRule | None
) -> Rating:
    """Rate the indicator this quarter (not rated when RAG is off or there is no target)."""
    if rule is None:
        return Rating()
    own = parse_rag(ind.rag, rule) if ind.rag else rule
    kind = target.rule if target is not None else "none"
    floor = target.floor if target is not None else None
    return rate(rows, ind.better, own, kind, floor)


def build_result(ctx: Context, ind: Indicator) -> IndicatorResult:
    """Compute one indicator's result for the quarter (see :class:`IndicatorResult`)."""
    council = ctx.council
    code = council.council.area_code
    current = current_observation(ctx.index, ind, code, ctx.quarter)
    if current is None:
        return _unreported(ctx, ind)
    target = ind.target_for(ctx.quarter)
    group = council.comparator(ind.comparator)
    rows = compare_indicator(
        ctx.index,
        ind,
        code,
        council.england.area_code,
        current,
        ctx.quarter,
        council.tolerance,
        group.name,
    )
    end = analysis_period(ind, current)
    series = analysis_series(ctx.index, ind, code, end)
    numeric_target = target.value if target is not None and target.rule == "value" else None
    on_path = trajectory_value(target, series)
    spc = spc_reading(ind, series, numeric_target if on_path is None else on_path)
    anchor = england_anchor(ctx.index, ind, end, council.england.area_code)
    commentary = ctx.commentary.get(ind.id)
    rating = rating_for(ind, target, rows, council.rag)
    reasons = exception_reasons(
        rows, council.exception_rule, spc.signal, commentary is not None, rating.status
    )
    cells = history_cells(ctx.index, ind, code, ctx.quarter)
    return IndicatorResult(
        indicator=ind,
        quarter=ctx.quarter,
        current=current,
        target=target,
        comparisons=tuple(rows),
        series=series,
        spc=spc,
        forecast=forecast_for(ind, series, anchor),
        crossing=crossing_for(ctx.index, ind, series, numeric_target, anchor, group_label(group))
        if len(series)
        else None,
        year_end=year_end_for(ctx.index, ind, code, series, numeric_target, anchor),
        rank=national_rank(ctx.ranks, ind.id, code, ctx.quarter),
        reasons=tuple(reasons),
        commentary=commentary,
        history=cells,
        notes=figure_notes(ind, cells, ctx.other_sources, ctx.sources),
        breakdowns=breakdowns_for(ctx, ind, cells),
        chart=chart_series(ctx.index, ind, council, ctx.quarter, group),
        band=neighbour_band(ctx.index, ind, (), ctx.quarter, group, code),
        group=group,
        group_rank=group_rank(ctx.index, ind, group, code, ctx.quarter),
        rag=None if council.rag is None else rating.status,
        rag_reason=rating.reason,
        trajectory=trajectory(target),
        stale=stale_reason(ind, current.period, ctx.quarter),
    )


def build_results(ctx: Context, indicators: Sequence[Indicator]) -> dict[str, IndicatorResult]:
    """Compute every indicator's result, in catalogue order."""
    return {ind.id: build_result(ctx, ind) for ind in indicators}


# --- the files every result feeds ----------------------------------------------------------

SIGNAL_COLUMNS = ["signal", "signal_rule", "assurance", "exception_reason", "rag"]
"""Added after the agreed columns, in this order: SPC signal and assurance, why an exception,
and the RAG status (``rag`` only when ``report.rag`` turns RAG on)."""
EXTRA_COLUMNS = ["note", "unit", "basis", "comparable"]
"""Kept in the pack's scorecard frame (not written to scorecard.csv)."""


def scorecard_frame(results: Mapping[str, IndicatorResult]) -> pd.DataFrame:
    """One row per reported indicator x comparison, from the results (scorecard.csv's rows)."""
    rows = []
    for r in results.values():
        if not r.reported:
            continue
        head = {
            "indicator_id": r.id,
            "indicator": r.indicator.short_title,
            "period": r.current.period.label,
            "value": r.current.value,
        }
        tail = {
            "exception": r.exception,
            "signal": r.spc.signal,
            "signal_rule": r.spc.rule,
            "assurance": r.spc.assurance,
            "exception_reason": r.exception_reason,
            "rag": r.rag,
            "unit": r.indicator.unit,
        }
        for row in r.comparisons:
            rows.append({**head, **row, **tail})
    columns = SCORECARD_COLUMNS + SIGNAL_COLUMNS + EXTRA_COLUMNS
    frame = pd.DataFrame(rows, columns=columns)
    frame["exception"] = frame["exception"].astype(bool)
    if not any(r.rag_on for r in results.values()):
        frame = frame.drop(columns="rag")  # RAG off: the scorecard keeps its earlier columns
    return frame


def forecast_items(results: Mapping[str, IndicatorResult]) -> list[tuple[str, object]]:
    """Each reported indicator's forecast, crossing and year-end projection, for forecasts.csv."""
    items = []
    for r in results.values():
        if r.reported:
            found = (r.forecast, r.crossing, r.year_end)
            items += [(r.id, x) for x in found if x is not None]
    return items


__all__ = [
    "COMPARISONS",
    "Context",
    "IndicatorResult",
    "SPCReading",
    "build_result",
    "build_results",
    "scorecard_frame",
]
