"""One quarter's pack: everything the report notebooks show, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace

import pandas as pd

from analysis.catalogue import Indicator
from analysis.comparison import scorecard
from analysis.errors import PeriodError
from analysis.loading import SN_CODE, Commentary, read_commentary, revisions, select_vintage
from analysis.periods import Period, parse_period
from analysis.series import SeriesIndex, benchmark_index, current_observation, history, period_of
from analysis.validation import ProjectData


@dataclass
class Pack:
    """A quarter's computed pack."""

    data: ProjectData
    quarter: Period
    values: pd.DataFrame
    index: SeriesIndex
    scorecard: pd.DataFrame
    commentary: dict[str, Commentary]
    as_of: str | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def council_code(self) -> str:
        """The council's GSS code."""
        return self.data.council.council.area_code

    @property
    def council_name(self) -> str:
        """The council's name."""
        return self.data.council.council.name

    @property
    def exceptions(self) -> list[str]:
        """Ids of the indicators that need an exception report, in catalogue order."""
        flagged = self.scorecard.loc[self.scorecard["exception"], "indicator_id"]
        return list(dict.fromkeys(flagged))

    @property
    def reported(self) -> list[str]:
        """Ids of the indicators with a figure this quarter."""
        return list(dict.fromkeys(self.scorecard["indicator_id"]))

    @property
    def not_reported(self) -> list[str]:
        """Ids of catalogue indicators with no figure this quarter."""
        return [i for i in self.data.catalogue if i not in set(self.reported)]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the catalogue entry for an id."""
        return self.data.catalogue[indicator_id]

    def target_value(self, indicator_id: str) -> float | None:
        """Return this year's numeric target on the indicator's own scale, if any."""
        target = self.indicator(indicator_id).target_for(self.quarter)
        return target.value if target is not None and target.rule == "value" else None

    def insight(self, indicator_id: str):
        """SPC, forecast fan, crossing and year-end projection (computed once, on demand)."""
        from analysis.insights import insight_for

        cache = self.extras.setdefault("insights", {})
        if indicator_id not in cache:
            current = current_figure(self, indicator_id)
            period = current.period
            if current.missing and period.freq == "month":
                period = period.quarter()  # e.g. a count-only month: use the quarterly series
            cache[indicator_id] = insight_for(
                self.index,
                self.indicator(indicator_id),
                self.council_code,
                period,
                self.target_value(indicator_id),
            )
        return cache[indicator_id]


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


def build_pack(data: ProjectData, quarter: Period, as_of: str | None = None) -> Pack:
    """Compute the quarter's pack from checked project data."""
    if as_of:
        data = dataclass_replace(data, catalogue=data.catalogue.as_of(as_of))
    council = data.council
    values = select_vintage(data.values, as_of)
    values = benchmark_index(values, council.neighbour_codes, council.neighbour_average)
    index = SeriesIndex(values)
    card = scorecard(
        index,
        data.catalogue,
        council.council.area_code,
        council.england.area_code,
        quarter,
        council.exception_rule,
        council.tolerance,
    )
    commentary, _ = read_commentary(data.paths.commentary_dir / quarter.slug, data.catalogue)
    pack = Pack(data, quarter, values, index, card, commentary, as_of)
    pack.scorecard = add_signals(pack)
    return pack


def add_signals(pack: Pack) -> pd.DataFrame:
    """Scorecard with the SPC ``signal``, ``signal_rule`` and ``assurance``, exceptions updated.

    ``signal`` is ``special_cause_improvement``, ``special_cause_concern``,
    ``common_cause`` or ``too_short`` (with the reason in ``signal_note``).
    ``assurance`` is ``consistently_passing``, ``consistently_failing``,
    ``hit_or_miss``, ``no_target`` or empty (too short for SPC).
    """
    from analysis.comparison import RULE_TEXT, exception_reasons
    from analysis.insights import analysis_series, spc_for
    from analysis.sentences import spc_sentence

    card = pack.scorecard.copy()
    rule = pack.data.council.exception_rule
    for ind_id in dict.fromkeys(card["indicator_id"]):
        ind = pack.indicator(ind_id)
        current = current_figure(pack, ind_id)
        series = analysis_series(pack.index, ind, pack.council_code, current.period)
        _, var = (
            spc_for(ind, series, pack.target_value(ind_id))
            if len(series)
            else (None, {"signal": "too_short", "rule": ""})
        )
        mask = card["indicator_id"] == ind_id
        card.loc[mask, "signal"] = var["signal"]
        card.loc[mask, "signal_rule"] = var.get("rule") or ""
        card.loc[mask, "signal_note"] = spc_sentence(var, ind.unit, ind.decimals)
        card.loc[mask, "assurance"] = var.get("assurance") or ""
        rows = card[mask].to_dict("records")
        met = exception_reasons(rows, rule, var["signal"], ind_id in pack.commentary)
        card.loc[mask, "exception"] = bool(met)
        card.loc[mask, "exception_reason"] = "; ".join(RULE_TEXT[m] for m in met)
    card["exception"] = card["exception"].astype(bool)
    return card


def chart_frame(pack: Pack, indicator_id: str) -> pd.DataFrame:
    """Council, statistical-neighbour average and England series for one indicator, tidy."""
    ind = pack.indicator(indicator_id)
    council = pack.data.council
    end = pack.quarter
    parts = []
    named = [
        (council.council.area_code, council.council.name),
        (SN_CODE, f"Statistical neighbours ({council.neighbour_average})"),
        (council.england.area_code, "England"),
    ]
    for code, name in named:
        series = history(pack.index, ind, code, until=end)
        if not series.empty:
            parts.append(series.assign(series=name))
    if not parts:
        return pd.DataFrame(columns=["date", "period", "series", "value"])
    return pd.concat(parts, ignore_index=True)[
        ["date", "period", "series", "value", "count", "status"]
    ]


def national_rank(pack: Pack, indicator_id: str, area_code: str | None = None) -> dict | None:
    """Find the latest national rank and quartile band up to the quarter (``data/ranks.csv``).

    Returns a dict with ``period``, ``rank`` (1 = best, by polarity; None for a
    context measure), ``of`` (councils with a figure), ``quartile`` (LAIT's band
    A-D, A the best quarter) and ``source``; None when there is no rank.
    """
    ranks = pack.data.ranks
    code = area_code or pack.council_code
    rows = ranks[(ranks["indicator_id"] == indicator_id) & (ranks["area_code"] == code)]
    if rows.empty:
        return None
    end = pack.quarter.end_ordinal
    rows = rows[[parse_period(str(p)).end_ordinal <= end for p in rows["period"]]]
    rows = rows[rows["quartile"].fillna("").ne("") | rows["rank"].notna()]
    if rows.empty:
        return None
    last = rows.iloc[
        [parse_period(str(p)).fy for p in rows["period"]].index(
            max(parse_period(str(p)).fy for p in rows["period"])
        )
    ]
    rank = last["rank"]
    return {
        "period": str(last["period"]),
        "rank": None if pd.isna(rank) else int(rank),
        "of": int(last["of"]),
        "quartile": str(last["quartile"] or ""),
        "source": str(last.get("source", "")),
    }


def neighbour_range(pack: Pack, indicator_id: str) -> pd.DataFrame:
    """Lowest and highest statistical neighbour per period, and how many had a figure.

    Columns: date, period, low, high, n. Periods where fewer than two
    neighbours have a figure are left out (a range of one is not a range).
    """
    ind = pack.indicator(indicator_id)
    parts = [
        history(pack.index, ind, code, until=pack.quarter).assign(area_code=code)
        for code in pack.data.council.neighbour_codes
    ]
    parts = [p for p in parts if not p.empty]
    cols = ["date", "period", "low", "high", "n"]
    if not parts:
        return pd.DataFrame(columns=cols)
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    out = frame.groupby(["date", "period"], as_index=False)["value"].agg(
        low="min", high="max", n="count"
    )
    return out[out["n"] >= 2].sort_values("date").reset_index(drop=True)[cols]


def history_columns(ind: Indicator, quarter: Period, monthly_data: bool = True) -> list[Period]:
    """List the periods a paper's history table shows: two previous year-ends, then this year.

    A monthly indicator shows this year's months when it has monthly figures
    this year (``monthly_data``), else its quarters.
    """
    years = [Period(quarter.fy - 2, "year"), Period(quarter.fy - 1, "year")]
    if ind.frequency == "annual":
        return [Period(quarter.fy - 3, "year"), *years, Period(quarter.fy, "year")]
    if ind.frequency == "monthly" and monthly_data:
        return years + [m for m in Period(quarter.fy, "year").months() if m <= quarter]
    return years + [Period(quarter.fy, "quarter", q) for q in range(1, quarter.index + 1)]


def has_months(pack: Pack, indicator_id: str) -> bool:
    """Return True when the council has monthly figures for the indicator in the quarter's year."""
    obs = pack.index.observations(indicator_id, pack.council_code)
    return any(
        p.freq == "month" and p.fy == pack.quarter.fy and p <= pack.quarter and not o.missing
        for p, o in obs.items()
    )


def current_figure(pack: Pack, indicator_id: str):
    """Return the council's observation reported this quarter (or None)."""
    return current_observation(
        pack.index, pack.indicator(indicator_id), pack.council_code, pack.quarter
    )


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
