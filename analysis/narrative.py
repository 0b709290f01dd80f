"""Draft commentary: a plain-English paragraph written from the quarter's scorecard numbers."""

from __future__ import annotations

import html
import math

import pandas as pd

from analysis.catalogue import Indicator
from analysis.commentary import NO_COMMENTARY, commentary_html, render_markdown
from analysis.errors import OutturnError
from analysis.loading import SN_CODE
from analysis.pack import Pack
from analysis.periods import Period, period_range
from analysis.series import history, period_of

DRAFT_HEADING = "Draft commentary (generated)"
DRAFT_MODES = ("below", "replace", "off")
NOUNS = {"rate_per_10k": "the rate", "percent": "the percentage", "count": "the number",
         "score": "the score"}  # fmt: skip
HORIZONS = {"month": 12, "quarter": 4, "year": 2}  # look one year ahead (two for annual)
UNIT_SUFFIX = {"rate_per_10k": " per 10,000", "percent": "%", "count": "", "score": ""}


def _number(value: float, ind: Indicator) -> str:
    decimals = 0 if ind.unit == "count" else ind.decimals
    return f"{value:,.{decimals}f}"


def _with_unit(value: float, ind: Indicator) -> str:
    return _number(value, ind) + UNIT_SUFFIX.get(ind.unit, "")


def _relative(value: float, base: float, ind: Indicator) -> str:
    """``-2.0%`` as a share of the baseline, or ``-1.5 points`` for a percentage."""
    if ind.unit == "percent":
        return f"{value - base:+,.{ind.decimals}f} percentage points"
    if base == 0 or math.isnan(base):
        return f"{value - base:+,.{0 if ind.unit == 'count' else ind.decimals}f}"
    return f"{(value - base) / abs(base) * 100:+.1f}%"


def _judged(judgement: str) -> str:
    return {"better": ", an improvement", "worse": ", a deterioration"}.get(judgement, "")


def _row(pack: Pack, indicator_id: str, comparison: str) -> pd.Series | None:
    card = pack.scorecard
    rows = card[(card["indicator_id"] == indicator_id) & (card["comparison"] == comparison)]
    return None if rows.empty else rows.iloc[0]


def _by_number(r: pd.Series) -> bool:
    """Whether a scorecard row compared numbers because no rate was published."""
    return r.get("basis") == "number"


def _as_count(ind: Indicator) -> Indicator:
    from dataclasses import replace

    return replace(ind, unit="count", decimals=0)


def change_sentence(pack: Pack, indicator_id: str) -> str:
    """Against the previous period: ``The rate fell from 689.0 to 675.4 per 10,000 (-2.0%)``."""
    from analysis.pack import current_figure

    ind, r = pack.indicator(indicator_id), _row(pack, indicator_id, "previous_period")
    if r is None or pd.isna(r["baseline_value"]):
        return ""
    tail = ""
    if _by_number(r):  # e.g. "537 in December": a number published without its rate
        ind, value = _as_count(ind), float(current_figure(pack, indicator_id).count)
        tail = f" (no rate was published for {r['period']})"
    elif pd.isna(r["value"]):
        return ""
    else:
        value = float(r["value"])
    base = float(r["baseline_value"])
    noun = NOUNS.get(ind.unit, "the figure").capitalize()
    verb = {"up": "rose", "down": "fell"}.get(r["direction"], "")
    if not verb:
        return (
            f"{noun} was unchanged at {_with_unit(value, ind)} between "
            f"{r['baseline_period']} and {r['period']}."
        )
    return (
        f"{noun} {verb} from {_number(base, ind)} to {_with_unit(value, ind)} "
        f"({_relative(value, base, ind)}) between {r['baseline_period']} and "
        f"{r['period']}{tail}{_judged(r['judgement'])}."
    )


def year_end_sentence(pack: Pack, indicator_id: str) -> str:
    """Against last year-end (or last year's average for a flow)."""
    ind, r = pack.indicator(indicator_id), _row(pack, indicator_id, "previous_year_end")
    if r is None or pd.isna(r["baseline_value"]):
        return ""
    if not r.get("comparable", True):
        reason = str(r["note"]).split(";")[0].removeprefix("not comparable: ")
        return f"It cannot be compared with the last year-end ({r['baseline_period']}): {reason}."
    if pd.isna(r["change"]):
        return ""
    if _by_number(r):
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


def target_sentence(pack: Pack, indicator_id: str) -> str:
    """Against the year's target: met or not, and by how much."""
    ind, r = pack.indicator(indicator_id), _row(pack, indicator_id, "target")
    target = ind.target_for(pack.quarter)
    if r is None or target is None:
        return ""
    year = pack.quarter.year().label
    if pd.isna(r["baseline_value"]):
        return (
            f"There is no numeric target for {year} ({target.describe})."
            if target.rule in ("none", "tbc")
            else ""
        )
    base = float(r["baseline_value"])
    on_count = target.count is not None and ind.show_count and base == float(target.count)
    shown = (lambda v: f"{v:,.0f}") if on_count else (lambda v: _with_unit(v, ind))
    figure = base + float(r["change"])
    side = {"up": "above", "down": "below"}.get(r["direction"], "level with")
    met = {"better": "met", "same": "met", "worse": "not met"}.get(r["judgement"], "")
    gap = "" if side == "level with" else f"{_gap(abs(float(r['change'])), ind, on_count)} "
    what = "The number" if on_count else NOUNS.get(ind.unit, "the figure").capitalize()
    tail = f", so the target is {met}" if met else ""
    return f"{what} ({shown(figure)}) is {gap}{side} the {year} target of {shown(base)}{tail}."


def benchmark_sentence(pack: Pack, indicator_id: str) -> str:
    """How the figure compares with the statistical-neighbour average and England."""
    ind = pack.indicator(indicator_id)
    if ind.unit == "count":  # a council's number is not comparable with England's
        return ""
    parts = []
    for comp, name in (
        ("statistical_neighbours", "the statistical-neighbour average"),
        ("england", "England"),
    ):
        r = _row(pack, indicator_id, comp)
        if r is None or pd.isna(r["baseline_value"]) or pd.isna(r["change"]):
            continue
        side = {"up": "above", "down": "below"}.get(r["direction"], "level with")
        parts.append(
            f"{side} {name} ({_number(float(r['baseline_value']), ind)} in {r['baseline_period']})"
        )
    if not parts:
        return ""
    return f"It is {' and '.join(parts)}."


def council_series(pack: Pack, indicator_id: str) -> pd.Series:
    """Return the council's values up to the quarter, at the frequency of its current figure.

    A snapshot's year-end value is its Q4 value, so it joins a quarterly series.
    Empty when the series does not end at this quarter's figure (nothing current to judge).
    """
    ind = pack.indicator(indicator_id)
    r = _row(pack, indicator_id, "previous_period")
    freq = period_of(r["period"]).freq if r is not None else ind.period_freq
    frame = history(pack.index, ind, pack.council_code, until=pack.quarter)
    points = {}
    for label, kind, value in zip(frame["period"], frame["freq"], frame["value"], strict=True):
        p = period_of(label)
        if kind == "year" and freq == "quarter" and ind.measure == "snapshot":
            p = Period(p.fy, "quarter", 4)
        elif kind != freq:
            continue
        points[p] = float(value)
    current = period_of(r["period"]) if r is not None else None
    if not points or current not in points or math.isnan(points[current]):
        return pd.Series(dtype=float)
    ordered = period_range(min(points), max(points))
    return pd.Series(
        [points.get(p, math.nan) for p in ordered], index=[p.label for p in ordered], dtype=float
    )


def _pack_insight(pack: Pack, indicator_id: str):  # noqa: ANN202 (analysis.insights.Insight)
    """Use the pack's own SPC and forecast reading, so the page says one thing.

    None when the pack has none, or when it does not end at this quarter's figure.
    """
    try:
        found = pack.insight(indicator_id)
    except (AttributeError, TypeError, ValueError, OutturnError):
        return None
    r = _row(pack, indicator_id, "previous_period")
    ends = getattr(found, "variation", {}).get("period")
    label = getattr(ends, "label", ends)
    return found if r is not None and label is not None and str(label) == r["period"] else None


def spc_sentence(pack: Pack, indicator_id: str) -> str:
    """Describe the SPC reading of the latest point, when the series is long enough."""
    from analysis import sentences
    from analysis.spc import TOO_SHORT, variation, xmr

    found = _pack_insight(pack, indicator_id)
    ind = pack.indicator(indicator_id)
    if found is not None and getattr(found, "variation", None):
        signal = found.variation.get("signal")
        if signal in (TOO_SHORT, None):
            return ""
        return sentences.spc_sentence(found.variation, ind.unit, ind.decimals)
    series = council_series(pack, indicator_id)
    if ind.breaks and len(series):
        since = max(b.period.start_date for b in ind.breaks)
        series = series[[period_of(p).start_date >= since for p in series.index]]
    improvement = {"high": "increase", "low": "decrease"}.get(ind.better or "")
    try:
        frame = xmr(series.to_numpy(), list(series.index), improvement=improvement)
        summary = variation(frame)
    except (OutturnError, ValueError):
        return ""
    return (
        ""
        if summary["signal"] == TOO_SHORT
        else sentences.spc_sentence(summary, ind.unit, ind.decimals)
    )


def _benchmark(pack: Pack, ind: Indicator) -> tuple[float, str] | None:
    """Pick the year's numeric target, else the latest statistical-neighbour average."""
    target = ind.target_for(pack.quarter)
    if target is not None and target.rule == "value" and target.value is not None:
        return float(target.value), f"the {pack.quarter.year().label} target"
    sn = pack.index.observations(ind.id, SN_CODE)
    latest = [
        o
        for p, o in sorted(sn.items(), key=lambda kv: kv[0].end_ordinal)
        if not o.missing and p.end_ordinal <= pack.quarter.end_ordinal
    ]
    if not latest:
        return None
    return float(latest[-1].value), "the statistical-neighbour average"


def crossing_sentence(pack: Pack, indicator_id: str) -> str:
    """Say when the trend is expected to reach the target (or the neighbour average)."""
    from analysis import sentences
    from analysis.forecasting import forecast_crossing
    from analysis.insights import unreliable

    found = _pack_insight(pack, indicator_id)
    if found is not None and unreliable(getattr(found, "fan", None)):
        return ""  # the series' own back-test says its forecasts missed too often
    if found is not None and getattr(found, "crossing", None) is not None:
        return (
            ""
            if found.crossing.case == "no_forecast"
            else sentences.crossing_sentence(found.crossing)
        )
    ind = pack.indicator(indicator_id)
    bench = _benchmark(pack, ind)
    series = council_series(pack, indicator_id)
    if ind.better not in ("high", "low") or bench is None or series.empty:
        return ""
    horizon = HORIZONS.get(period_of(series.index[-1]).freq, 4)
    try:
        crossing = forecast_crossing(
            series,
            bench[0],
            better=ind.better,
            horizon=horizon,
            breaks=[b.period for b in ind.breaks],
            benchmark_name=bench[1],
        )
    except (OutturnError, ValueError):
        return ""
    return "" if crossing.case == "no_forecast" else sentences.crossing_sentence(crossing)


def draft_commentary(pack: Pack, indicator_id: str) -> str:
    """Write a plain-English Markdown paragraph on an indicator from the scorecard numbers.

    Parameters
    ----------
    pack : Pack
        The quarter's pack.
    indicator_id : str
        An indicator with a figure this quarter.

    Returns
    -------
    str
        One paragraph: the change on the previous period, the position against
        last year-end, the target, the statistical neighbours and England, then
        the SPC reading and the forecast crossing where each can be computed.
        Any piece that cannot be computed is left out; an empty string when
        there is nothing to say.
    """
    builders = (
        change_sentence,
        year_end_sentence,
        target_sentence,
        benchmark_sentence,
        spc_sentence,
        crossing_sentence,
    )
    return " ".join(s for build in builders if (s := build(pack, indicator_id)))


def draft_mode(pack: Pack) -> str:
    """``below``, ``replace`` or ``off`` (``report.draft_commentary`` in council.yml)."""
    return getattr(pack.data.council, "draft_commentary", "below")


def commentary_block(pack: Pack, indicator_id: str) -> str:
    """Render the analyst's commentary and, as configured, the generated draft, as HTML."""
    item = pack.commentary.get(indicator_id)
    mode = draft_mode(pack)
    has_own = item is not None and not item.is_empty
    draft = draft_commentary(pack, indicator_id) if mode != "off" else ""
    draft_html = (
        (
            f'<section class="draft-commentary"><h3>{html.escape(DRAFT_HEADING)}</h3>'
            f"{render_markdown(draft)}</section>"
        )
        if draft
        else ""
    )
    if mode == "replace":
        return draft_html or commentary_html(None)
    if not has_own:
        note = f'<p class="no-commentary"><em>{NO_COMMENTARY}</em></p>'
        return note + draft_html
    return commentary_html(item) + draft_html
