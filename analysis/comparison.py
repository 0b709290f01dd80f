"""Direction of travel: compare each indicator's figure with its baselines and judge it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.catalogue import Catalogue, Indicator, Target
from analysis.config import DEFAULT_EXCEPTION_RULE
from analysis.loading import SN_CODE
from analysis.periods import Period, last_year_end, same_period_last_year
from analysis.series import (
    NON_ADDITIVE_UNITS,
    Observation,
    SeriesIndex,
    current_observation,
    latest_on_or_before,
    value_at,
)
from analysis.tolerance import Tolerance

COMPARISONS = (
    "previous_period",
    "same_period_last_year",
    "previous_year_end",
    "target",
    "england",
    "statistical_neighbours",
)
SCORECARD_COLUMNS = [
    "indicator_id", "indicator", "period", "value", "comparison", "baseline_period",
    "baseline_value", "change", "direction", "judgement", "exception",
]  # fmt: skip
RULE_TO_COMPARISON = {
    "off_target": "target",
    "worse_than_year_end": "previous_year_end",
    "worse_than_previous_period": "previous_period",
    "worse_than_same_period_last_year": "same_period_last_year",
    "worse_than_england": "england",
    "worse_than_neighbours": "statistical_neighbours",
}


def direction(
    change: float, tolerance: float | Tolerance = 0.0, baseline: float | None = None
) -> str:
    """``up``, ``down`` or ``same`` for a change; within ``tolerance`` counts as same.

    ``tolerance`` is an amount in the indicator's unit, or a :class:`Tolerance`
    that may be a percentage of ``baseline`` (the figure compared with).
    """
    if change is None or math.isnan(change):
        return ""
    if isinstance(tolerance, Tolerance):
        tolerance = tolerance.threshold(baseline)
    if abs(change) <= tolerance + 1e-12:
        return "same"
    return "up" if change > 0 else "down"


def judgement(dirn: str, better: str | None) -> str:
    """``better``, ``worse``, ``same`` or ``n/a`` for a direction, given the polarity."""
    if dirn == "" or better is None:
        return "n/a"
    if dirn == "same":
        return "same"
    return "better" if (dirn == "up") == (better == "high") else "worse"


@dataclass(frozen=True)
class Baseline:
    """What a figure is compared with: a period, a value and, for rules, the wanted direction."""

    period: str
    value: float
    wanted: str | None = None  # for rule targets: "high" (increase) or "low" (decrease)
    note: str = ""
    on_count: bool = False  # a target set on the number behind a rate
    exact: bool = False  # targets: no tolerance, a figure is either on target or not
    comparable: bool = True  # False: shown, but not judged (a series break, a count vs England)
    count: float = float("nan")  # the number behind the value, for a count-only current figure


_NONE = Baseline("", float("nan"))


def _from_obs(obs: Observation | None, scale: float = 1.0) -> Baseline:
    if obs is None or (obs.missing and math.isnan(obs.count)):
        return _NONE
    return Baseline(obs.period.label, obs.value / scale, count=obs.count / scale)


def _value_only(obs: Observation | None) -> Baseline:
    """Another area's figure: its value only (its count is not comparable with the council's)."""
    if obs is None or obs.missing:
        return _NONE
    return Baseline(obs.period.label, obs.value)


def year_end_baseline(index: SeriesIndex, ind: Indicator, area: str, p: Period) -> Baseline:
    """Last year-end for ``p``, like for like.

    A year-to-date measure is compared with the same point last year; a flow
    with last year's average per period; anything else with last year's outturn.
    """
    if p.freq == "year":
        return _from_obs(value_at(index, ind, area, p.shift(-1)))
    if ind.year_end_rule == "same_point":
        b = _from_obs(value_at(index, ind, area, same_period_last_year(p)))
        return replace(b, note="same point last year (year to date)")
    if ind.year_end_rule == "average_per_period" and ind.unit in NON_ADDITIVE_UNITS:
        found = value_at(index, ind, area, last_year_end(p))  # a share: the year's own figure
        how = f" ({found.derived})" if found is not None and found.derived else ""
        return replace(_from_obs(found), note=f"last year's figure{how}")
    if ind.year_end_rule == "average_per_period":
        b = _from_obs(value_at(index, ind, area, last_year_end(p)), scale=p.per_year)
        return replace(b, note=f"average per {p.freq} last year")
    return _from_obs(value_at(index, ind, area, last_year_end(p)))


def target_baseline(index: SeriesIndex, ind: Indicator, area: str, p: Period) -> Baseline:
    """Return the target for ``p``'s financial year: a number, or last year's outturn for a rule."""
    target = ind.target_for(p)
    if target is None or target.rule in ("none", "tbc"):
        note = target.describe if target else "no target recorded"
        return Baseline(p.year().label, float("nan"), note=note)
    if target.rule == "value":
        return _value_target(target, p)
    last = _from_obs(value_at(index, ind, area, last_year_end(p)))
    wanted = "low" if target.rule == "decrease_on_last_year" else "high"
    return Baseline(last.period, last.value, wanted=wanted, note=target.describe, exact=True)


def _value_target(target: Target, p: Period) -> Baseline:
    """Return a numeric target: the period's value of the year's profile, else the year's."""
    profiled = target.profiled(p)
    if profiled is not None:
        when, value = profiled
        note = f"profiled target for {when.label} (the year's: {target.describe})"
        return Baseline(when.label, value, note=note, on_count=target.on_count, exact=True)
    value = float(target.count) if target.on_count else float(target.value)
    return Baseline(p.year().label, value, note=target.describe, on_count=target.on_count,
                    exact=True)  # fmt: skip


def across_break(ind: Indicator, current: Period, baseline_period: str) -> str:
    """Return the note of a series break between a baseline and the current figure, or ''."""
    if not baseline_period:
        return ""
    from analysis.series import period_of

    before = period_of(baseline_period)
    for brk in ind.breaks:
        start = brk.period.start_date
        if before.start_date < start <= current.start_date:
            return f"not comparable: series break at {brk.period.label}"
    return ""


def _not_comparable(base: Baseline, note: str) -> Baseline:
    return replace(base, note=f"{note}; {base.note}" if base.note else note, comparable=False)


def _judged_like_for_like(ind: Indicator, p: Period, found: dict[str, Baseline]) -> dict:
    """Mark baselines that must not be judged: across a series break, or a count vs other areas."""
    for comp in ("previous_period", "same_period_last_year", "previous_year_end"):
        note = across_break(ind, p, found[comp].period)
        if note:
            found[comp] = _not_comparable(found[comp], note)
    if ind.unit == "count":
        for comp in ("england", "statistical_neighbours"):
            if found[comp].period:
                found[comp] = _not_comparable(
                    found[comp], "not comparable: a count depends on the size of the area"
                )
    return found


def group_baseline(obs: Observation | None, group: str = "") -> Baseline:
    """Return the comparator group's average, naming the group and how many councils had a figure.

    When fewer than half of the group's councils had a figure, the average is
    shown but not judged: it stands for too few of them.
    """
    base = _value_only(obs)
    if not base.period or obs is None or math.isnan(obs.of):
        return replace(base, note=f"{group}, as printed" if group and base.period else group)
    n, of = int(obs.n), int(obs.of)
    note = f"{group + ': ' if group else ''}{n} of {of} councils had a figure"
    if n * 2 < of:
        return _not_comparable(
            replace(base, note=note), f"not comparable: only {n} of {of} councils had a figure"
        )
    return replace(base, note=note)


def baselines(
    index: SeriesIndex,
    ind: Indicator,
    council: str,
    england: str,
    current: Observation,
    reporting: Period,
    group: str = "",
) -> dict[str, Baseline]:
    """Every comparison's baseline for one indicator's current figure.

    Baselines across a recorded series break, other areas' figures for a count,
    and a comparator group's average that fewer than half its councils had a
    figure for, are returned with ``comparable`` False: shown, not judged.
    ``group`` names the indicator's comparator group in the notes.
    """
    p = current.period
    prev = p.shift(-1) if p.freq == "year" else reporting.shift(-1)
    if p.freq == "month":
        prev_obs = value_at(index, ind, council, p.quarter().shift(-1).months()[-1]) or value_at(
            index, ind, council, p.quarter().shift(-1)
        )
    else:
        prev_obs = value_at(index, ind, council, prev)
    return _judged_like_for_like(
        ind,
        p,
        {
            "previous_period": _from_obs(prev_obs),
            "same_period_last_year": _from_obs(
                value_at(index, ind, council, same_period_last_year(p))
            ),
            "previous_year_end": year_end_baseline(index, ind, council, p),
            "target": target_baseline(index, ind, council, p),
            "england": _value_only(latest_on_or_before(index, ind.id, england, p)),
            "statistical_neighbours": group_baseline(
                latest_on_or_before(index, ind.id, SN_CODE, p), group
            ),
        },
    )


def _numbers_only(current: Observation, base: Baseline) -> bool:
    return (
        not base.on_count
        and math.isnan(current.value)
        and not math.isnan(current.count)
        and not math.isnan(base.count)
    )


def compare_one(
    ind: Indicator, current: Observation, base: Baseline, tolerance: float | Tolerance = 0.0
) -> dict:
    """One scorecard row's comparison fields.

    The indicator's own tolerance, when it has one, overrides ``tolerance``.
    Targets are exempt: a figure a hair's breadth off target is off target.
    ``basis`` is ``number`` when the numbers were compared because no rate was
    published for the current period, else ``value``; ``comparable`` is False
    for a baseline shown but not judged.
    """
    figure = current.count if base.on_count else current.value
    decimals = 0 if base.on_count else ind.decimals
    extra = {"basis": "value", "comparable": base.comparable}
    if _numbers_only(current, base):  # no rate published this period: compare the numbers
        figure, base = current.count, replace(base, value=base.count)
        decimals = 0
        extra |= {
            "basis": "number",
            "note": f"numbers compared ({current.period.label} has no published rate)",
        }
    if math.isnan(base.value) or math.isnan(figure) or not base.comparable:
        return {
            "baseline_period": base.period,
            "baseline_value": base.value,
            "change": float("nan"),
            "direction": "",
            "judgement": "n/a",
            **extra,
        }
    change = round(round(figure, decimals) - round(base.value, decimals), decimals + 2)
    if ind.tolerance is not None:
        tolerance = ind.tolerance
    if base.exact:
        tolerance = 0.0
    dirn = direction(change, tolerance, base.value)
    better = base.wanted or ind.better
    judged = judgement(dirn, better)
    if base.wanted and dirn == "same":
        judged = "worse"  # a rule target asks for a change; no change misses it
    return {
        "baseline_period": base.period,
        "baseline_value": base.value,
        "change": change,
        "direction": dirn,
        "judgement": judged,
        **extra,
    }


RULE_TEXT = {
    "off_target": "off target",
    "worse_than_year_end": "worse than at the last year-end",
    "worse_than_previous_period": "worse than the previous period",
    "worse_than_same_period_last_year": "worse than the same period last year",
    "worse_than_england": "worse than England",
    "worse_than_neighbours": "worse than the statistical-neighbour average",
    "special_cause_concern": "showing special-cause concern (SPC)",
    "has_commentary": "chosen for report by the service (commentary written this quarter)",
    "red": "rated red against its target",
    "amber": "rated amber or red against its target",
}
RAG_CONDITIONS = {"red": ("red",), "amber": ("amber", "red")}
"""Exception-rule conditions read from the RAG status: ``red`` is red alone; ``amber`` is amber
or red (anything short of green that is rated)."""


def exception_reasons(
    rows: Sequence[dict],
    rule: Sequence[str],
    signal: str = "",
    commented: bool = False,
    rag: str | None = None,
) -> list[str]:
    """Which conditions of ``rule`` an indicator meets, in the rule's order.

    ``rule`` lists conditions, any of which is enough: ``off_target``,
    ``worse_than_year_end``, ``worse_than_previous_period``,
    ``worse_than_same_period_last_year``, ``worse_than_england``,
    ``worse_than_neighbours``, ``special_cause_concern``, ``has_commentary``
    (the service wrote commentary for the quarter: the analyst's choice),
    ``red`` (rated red) and ``amber`` (rated amber or red; see :data:`RAG_CONDITIONS`).
    """
    by_comp = {r["comparison"]: r["judgement"] for r in rows}
    met = []
    for condition in rule:
        comp = RULE_TO_COMPARISON.get(condition)
        if (
            (condition == "special_cause_concern" and signal == "special_cause_concern")
            or (condition == "has_commentary" and commented)
            or (rag and rag in RAG_CONDITIONS.get(condition, ()))
            or (comp and by_comp.get(comp) == "worse")
        ):
            met.append(condition)
    return met


def is_exception(
    rows: Sequence[dict], rule: Sequence[str], signal: str = "", commented: bool = False
) -> bool:
    """Whether an indicator needs an exception report under ``rule`` (:func:`exception_reasons`)."""
    return bool(exception_reasons(rows, rule, signal, commented))


def compare_indicator(
    index: SeriesIndex,
    ind: Indicator,
    council: str,
    england: str,
    current: Observation,
    quarter: Period,
    tolerance: float | Tolerance = 0.0,
    group: str = "",
) -> list[dict]:
    """Compare one indicator's current figure with every baseline, in :data:`COMPARISONS` order.

    Each row has ``comparison``, ``baseline_period``, ``baseline_value``,
    ``change``, ``direction``, ``judgement``, ``note`` (how a baseline was
    chosen), ``basis`` and ``comparable`` (see :func:`compare_one`).
    """
    found = baselines(index, ind, council, england, current, quarter, group)
    rows = []
    for comp in COMPARISONS:
        fields = compare_one(ind, current, found[comp], tolerance)
        note = "; ".join(n for n in (found[comp].note, fields.pop("note", "")) if n)
        rows.append({"comparison": comp, **fields, "note": note})
    return rows


def scorecard(
    index: SeriesIndex,
    catalogue: Catalogue,
    council: str,
    england: str,
    quarter: Period,
    rule: Sequence[str] = DEFAULT_EXCEPTION_RULE,
    tolerance: float | Tolerance = 0.0,
) -> pd.DataFrame:
    """Build the comparisons alone: one row per indicator x comparison (``SCORECARD_COLUMNS``).

    Indicators with no figure in the quarter are left out. Extra columns:
    ``note``, ``unit``, ``basis`` and ``comparable`` (see :func:`compare_one`).
    The report's own scorecard also carries SPC and is built from each
    indicator's result (:func:`analysis.results.scorecard_frame`).
    """
    rows = []
    for ind in catalogue.values():
        current = current_observation(index, ind, council, quarter)
        if current is None:
            continue
        ind_rows = compare_indicator(index, ind, council, england, current, quarter, tolerance)
        flag = is_exception(ind_rows, rule)
        head = {"indicator_id": ind.id, "indicator": ind.short_title,
                "period": current.period.label, "value": current.value}  # fmt: skip
        rows += [{**head, **r, "unit": ind.unit, "exception": flag} for r in ind_rows]
    frame = pd.DataFrame(rows, columns=[*SCORECARD_COLUMNS, "note", "unit", "basis", "comparable"])
    frame["exception"] = frame["exception"].astype(bool)
    return frame
