"""Sentences about one indicator's result: the draft commentary and what the figures say."""

from __future__ import annotations

import math
from dataclasses import replace

from analysis.breakdowns import Breakdown
from analysis.catalogue import Indicator
from analysis.comparators import group_label
from analysis.comparison import RULE_TEXT
from analysis.formatting import UNIT_LABELS, format_value, ordinal
from analysis.results import IndicatorResult
from analysis.sentences.forecasts import (
    crossing_sentence as _crossing_words,
)
from analysis.sentences.forecasts import (
    forecast_note,
    unreliable_reason,
)
from analysis.sentences.forecasts import (
    year_end_sentence as _year_end_words,
)
from analysis.sentences.spc import spc_sentence as _spc_words

DRAFT_HEADING = "Draft commentary (generated)"
DRAFT_MODES = ("below", "replace", "off")
NOUNS = {"rate_per_10k": "the rate", "percent": "the percentage", "count": "the number",
         "score": "the score"}  # fmt: skip
UNIT_SUFFIX = {"rate_per_10k": " per 10,000", "percent": "%", "count": "", "score": ""}


def _number(value: float, ind: Indicator) -> str:
    decimals = 0 if ind.unit == "count" else ind.decimals
    return f"{value:,.{decimals}f}"


def _with_unit(value: float, ind: Indicator) -> str:
    return _number(value, ind) + UNIT_SUFFIX.get(ind.unit, "")


def _relative(value: float, base: float, ind: Indicator) -> str:
    """``-2.0%`` as a share of the baseline, or ``-1.5 percentage points`` for a percentage."""
    if ind.unit == "percent":
        return f"{value - base:+,.{ind.decimals}f} percentage points"
    if base == 0 or math.isnan(base):
        return f"{value - base:+,.{0 if ind.unit == 'count' else ind.decimals}f}"
    return f"{(value - base) / abs(base) * 100:+.1f}%"


def _judged(judgement: str) -> str:
    return {"better": ", an improvement", "worse": ", a deterioration"}.get(judgement, "")


def _as_count(ind: Indicator) -> Indicator:
    return replace(ind, unit="count", decimals=0)


def _period(result: IndicatorResult) -> str:
    return result.current.period.label


def change_sentence(result: IndicatorResult) -> str:
    """Against the previous period: ``The rate fell from 689.0 to 675.4 per 10,000 (-2.0%)``."""
    ind, r = result.indicator, result.comparison("previous_period")
    if math.isnan(r["baseline_value"]):
        return ""
    tail = ""
    if r.get("basis") == "number":  # e.g. "537 in December": a number published without its rate
        ind, value = _as_count(ind), float(result.current.count)
        tail = f" (no rate was published for {_period(result)})"
    elif math.isnan(result.current.value):
        return ""
    else:
        value = float(result.current.value)
    base = float(r["baseline_value"])
    noun = NOUNS.get(ind.unit, "the figure").capitalize()
    verb = {"up": "rose", "down": "fell"}.get(r["direction"], "")
    if not verb:
        return (
            f"{noun} was unchanged at {_with_unit(value, ind)} between "
            f"{r['baseline_period']} and {_period(result)}."
        )
    return (
        f"{noun} {verb} from {_number(base, ind)} to {_with_unit(value, ind)} "
        f"({_relative(value, base, ind)}) between {r['baseline_period']} and "
        f"{_period(result)}{tail}{_judged(r['judgement'])}."
    )


def year_end_sentence(result: IndicatorResult) -> str:
    """Against last year-end (or last year's average for a flow)."""
    ind, r = result.indicator, result.comparison("previous_year_end")
    if math.isnan(r["baseline_value"]):
        return ""
    if not r.get("comparable", True):
        reason = str(r["note"]).split(";")[0].removeprefix("not comparable: ")
        return f"It cannot be compared with the last year-end ({r['baseline_period']}): {reason}."
    if math.isnan(r["change"]):
        return ""
    if r.get("basis") == "number":
        ind, what = _as_count(ind), "the last year-end"
    else:
        what = f"the {r['note']}" if r["note"] else "the last year-end"
    side = {"up": "above", "down": "below"}.get(r["direction"], "level with")
    gap = "" if side == "level with" else f"{_number(abs(float(r['change'])), ind)} "
    return (
        f"It is {gap}{side} {what} ({_number(float(r['baseline_value']), ind)} in "
        f"{r['baseline_period']}){_judged(r['judgement'])}."
    )


def _gap(change: float, ind: Indicator, on_count: bool) -> str:
    if on_count:
        return f"{change:,.0f}"
    return _number(change, ind) + (" percentage points" if ind.unit == "percent" else "")


def target_sentence(result: IndicatorResult) -> str:
    """Against the year's target: met or not, and by how much."""
    ind, r, target = result.indicator, result.comparison("target"), result.target
    if target is None:
        return ""
    year = result.quarter.year().label
    if math.isnan(r["baseline_value"]):
        return (
            f"There is no numeric target for {year} ({target.describe})."
            if target.rule in ("none", "tbc")
            else ""
        )
    if math.isnan(r["change"]):
        return ""
    base = float(r["baseline_value"])
    on_count = ind.show_count and (
        target.on_count or (target.count is not None and base == float(target.count))
    )
    shown = (lambda v: f"{v:,.0f}") if on_count else (lambda v: _with_unit(v, ind))
    figure = base + float(r["change"])
    side = {"up": "above", "down": "below"}.get(r["direction"], "level with")
    met = {"better": "met", "same": "met", "worse": "not met"}.get(r["judgement"], "")
    gap = "" if side == "level with" else f"{_gap(abs(float(r['change'])), ind, on_count)} "
    what = "The number" if on_count else NOUNS.get(ind.unit, "the figure").capitalize()
    tail = f", so the target is {met}" if met else ""
    which = (
        f"{year} target"
        if r["baseline_period"] in ("", year)
        else (f"profiled target for {r['baseline_period']}")
    )
    return f"{what} ({shown(figure)}) is {gap}{side} the {which} of {shown(base)}{tail}."


def benchmark_sentence(result: IndicatorResult) -> str:
    """How the figure compares with the statistical-neighbour average and England."""
    ind = result.indicator
    if ind.unit == "count":  # a council's number is not comparable with England's
        return ""
    parts = []
    group = group_label(result.group) if result.group else "the statistical-neighbour average"
    for comp, name in (("statistical_neighbours", group), ("england", "England")):
        r = result.comparison(comp)
        if math.isnan(r["baseline_value"]) or math.isnan(r["change"]) or not r["comparable"]:
            continue
        side = {"up": "above", "down": "below"}.get(r["direction"], "level with")
        parts.append(
            f"{side} {name} ({_number(float(r['baseline_value']), ind)} in {r['baseline_period']})"
        )
    return f"It is {' and '.join(parts)}." if parts else ""


def spc_sentence(result: IndicatorResult) -> str:
    """Return the SPC reading of the latest point, when the series is long enough (else '')."""
    spc = result.spc
    if not spc.judged:
        return ""
    text = _spc_words(spc.summary, result.indicator.unit, result.indicator.decimals)
    if spc.period and spc.period != _period(result):
        text += f" (SPC reads the latest point with a {_noun(result)}: {spc.period}.)"
    return text


def _noun(result: IndicatorResult) -> str:
    return {"rate_per_10k": "rate", "percent": "percentage"}.get(result.indicator.unit, "value")


def crossing_sentence(result: IndicatorResult) -> str:
    """When the trend reaches the neighbours' average (else ''; never from a failed back-test)."""
    c = result.crossing
    if c is None or c.case == "no_forecast" or unreliable_reason(result.forecast):
        return ""
    return _crossing_words(c, lambda v: _number(v, result.indicator))


def draft_commentary(result: IndicatorResult) -> str:
    """Write a plain-English paragraph on an indicator from its result.

    The change on the previous period, the position against last year-end, the
    target, the statistical neighbours and England, then the SPC reading and
    the forecast crossing, each from the same computed result every page shows.
    Any piece that cannot be said is left out; '' when there is nothing to say.
    """
    if not result.reported:
        return ""
    builders = (
        change_sentence,
        year_end_sentence,
        target_sentence,
        benchmark_sentence,
        spc_sentence,
        crossing_sentence,
    )
    return " ".join(s for build in builders if (s := build(result)))


def forecast_sentence(result: IndicatorResult) -> str:
    """Say what the chart's fan shows, or why there is none."""
    fc = result.forecast
    if fc is None:
        return ""
    why_not = unreliable_reason(fc)
    if why_not:
        method = forecast_note(fc).split(";")[0]
        return (
            f"No forecast shown: past forecasts of this series ({method}) missed too often; "
            f"{why_not}."
        )
    return f"Forecast: {forecast_note(fc)}." if fc.ok else f"No forecast: {forecast_note(fc)}."


def year_end_words(result: IndicatorResult) -> str:
    """Return the projected year-end in the indicator's own format (``10,860``), or ''."""
    ye, fc = result.year_end, result.forecast
    if ye is None:
        return ""
    if unreliable_reason(fc) and ye.method == fc.method:  # the same trend, extrapolated
        return ""
    return _year_end_words(ye, lambda v: format_value(v, result.indicator))


def what_the_figures_say(result: IndicatorResult) -> list[str]:
    """Beyond the arrows: the SPC reading, the forecast, the year-end and the crossing."""
    spc = result.spc
    reading = spc_sentence(result) if spc.judged else _spc_words(spc.summary)
    items = [reading, forecast_sentence(result), year_end_words(result), crossing_sentence(result)]
    return [s for s in items if s]


def rank_sentence(result: IndicatorResult, council_name: str) -> str:
    """Say the national rank and band (from DfE's figures) and the rank in its group, or ''."""
    national = _national_rank(result, council_name)
    among = result.group_rank
    if among is None:
        return national
    who = "it" if national else council_name
    neighbours = result.group is None or result.group.id == "neighbours"
    name = f"statistical neighbours ({among['group']})" if neighbours else among["group"]
    group = (
        f"Among its {name} {who} ranked {ordinal(among['rank'])} of {among['of']} in "
        f"{among['period']} (1 = best)."
    )
    return f"{national} {group}".strip()


def _national_rank(result: IndicatorResult, council_name: str) -> str:
    found = result.rank
    if found is None or found["rank"] is None:
        return ""
    meaning = {
        "A": "the best quarter of councils",
        "B": "the second quarter",
        "C": "the third quarter",
        "D": "the worst quarter of councils",
    }.get(found["quartile"], "")
    tail = f", quartile band {found['quartile']} ({meaning})" if meaning else ""
    return (
        f"Nationally: {council_name} ranked {ordinal(found['rank'])} of {found['of']} councils "
        f"in {found['period']} (1 = best){tail}, from DfE's published figures."
    )


def why_reported(result: IndicatorResult) -> str:
    """``Why it is reported: off target; worse than at the last year-end.``, or ''."""
    if not result.reasons:
        return ""
    text = "; ".join(RULE_TEXT[r] for r in result.reasons)
    return f"Why it is reported: {text[:1].upper()}{text[1:]}."


def polarity_and_unit(result: IndicatorResult) -> str:
    """Say which way is better and the unit: ``Better to be: Low. Unit: rate per 10,000 ...``."""
    ind = result.indicator
    unit = UNIT_LABELS.get(ind.unit, ind.unit)
    return f"Better to be: {(ind.better or 'context').capitalize()}. Unit: {unit}."


def _noun_plural(name: str) -> str:
    """``age`` -> ``age bands``, ``school`` -> ``schools``: what a breakdown's categories are."""
    return {"age": "age bands"}.get(name, name if name.endswith("s") else f"{name}s")


def breakdown_total_sentence(breakdown: Breakdown) -> list[str]:
    """Say, per period, whether a count breakdown adds up to the headline figure.

    Nothing for a breakdown that is not of a count (percentages by school do not
    add up), and a plain statement when a withheld cell leaves no total.
    """
    if not breakdown.additive:
        return []
    out = []
    what = "The " + _noun_plural(breakdown.name)
    for period in breakdown.periods:
        total, headline = breakdown.total(period), breakdown.headline.get(period.label)
        if total is None:
            out.append(f"{what} for {period.label} have no total: a cell is withheld or empty.")
        elif headline is None:
            out.append(f"{what} add up to {total:,.0f} for {period.label}; there is no "
                       "headline figure for that period to check them against.")  # fmt: skip
        elif total == headline:
            out.append(f"{what} add up to {total:,.0f}, the headline figure for {period.label}.")
        else:
            gap = total - headline
            side = "more" if gap > 0 else "fewer"
            out.append(
                f"{what} add up to {total:,.0f}, {abs(gap):,.0f} {side} than the headline "
                f"figure of {headline:,.0f} for {period.label}: the breakdown and the headline "
                "figure disagree (the breakdown may be of another date, or incomplete)."
            )
    return out
