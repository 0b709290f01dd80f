"""Numbers, labels and symbols as a reader sees them: one place for every format (plain text)."""

from __future__ import annotations

import math

from analysis.catalogue import Indicator

ARROWS = {"up": "↑", "down": "↓", "same": "→", "": ""}
MARKS = {"better": "✓", "worse": "✗", "same": "=", "n/a": ""}
STATUS_TEXT = {
    "c": "c (suppressed)", "x": "x (not available)", "z": "z (not applicable)",
    "u": "u (low reliability)", "k": "k (fewer than 5)", "low": "low", "-": "- (missing)",
}  # fmt: skip
COMPARISON_LABELS = {
    "previous_period": "Previous period",
    "same_period_last_year": "Same period last year",
    "previous_year_end": "Last year-end",
    "target": "Target",
    "england": "England",
    "statistical_neighbours": "Statistical neighbours",
}
PREVIOUS = {"month": "Previous quarter", "quarter": "Previous quarter", "year": "Previous year"}
"""What "previous period" means for a figure of each frequency (a month's is last quarter's)."""
UNIT_LABELS = {
    "count": "number",
    "rate_per_10k": "rate per 10,000 children",
    "percent": "%",
    "score": "score",
}
UNIT_AXIS = {
    "count": "Number",
    "rate_per_10k": "Rate per 10,000 children",
    "percent": "Per cent",
    "score": "Score",
}
"""How a chart names each unit (the subtitle or axis title)."""


def format_number(value: float, decimals: int = 1, unit: str = "") -> str:
    """Format a number with thousands separators and the indicator's decimals.

    For example ``1,234.5`` or ``21.6%``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    return text + "%" if unit == "percent" else text


def format_value(
    value: float, ind: Indicator, count: float = float("nan"), status: str = ""
) -> str:
    """Format a figure as the papers print it.

    For example ``531 (185.6)`` for No. (Rate), ``21.6%`` or ``3,139``.
    """
    no_value = value is None or math.isnan(value)
    if no_value and count is not None and not math.isnan(count):
        # a number published without its rate (e.g. "537 in December")
        return f"{count:,.0f}" if ind.unit == "count" else f"{count:,.0f} (no rate published)"
    if status and no_value:
        return STATUS_TEXT.get(status, status)
    decimals = 0 if ind.unit == "count" else ind.decimals
    main = format_number(value, decimals, ind.unit)
    if ind.show_count and count is not None and not math.isnan(count) and main:
        return f"{count:,.0f} ({main})"
    return main


def format_observation(obs, ind: Indicator) -> str:  # noqa: ANN001 - a series.Observation
    """Format an observation (value, count, status) as printed, or ``-`` when there is none."""
    if obs is None:
        return "-"
    return format_value(obs.value, ind, obs.count, obs.status) or "-"


def format_change(change: float, ind: Indicator) -> str:
    """Format a signed change (``+2.6``, ``-13.6 pts`` for percentages)."""
    if change is None or math.isnan(change):
        return ""
    decimals = 0 if ind.unit == "count" else ind.decimals
    text = f"{change:+,.{decimals}f}"
    return text + " pts" if ind.unit == "percent" else text


def plain_number(value: float) -> str:
    """Write a number for a sentence: whole numbers without decimals (447, not 447.0)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def dot_words(direction: str, judgement: str) -> str:
    """Return the words of a direction-of-travel mark: ``up, worse``, ``down``, or ``n/a``."""
    if not direction:
        return "n/a"
    return f"{direction}, {judgement}" if judgement not in ("n/a", "") else direction


def dot_symbols(direction: str, judgement: str) -> str:
    """Return the arrow and tick or cross of a direction of travel (``↑ ✗``); '' for none."""
    if not direction:
        return ""
    return f"{ARROWS[direction]} {MARKS.get(judgement, '')}".strip()


def dot_text(direction: str, judgement: str) -> str:
    """Plain-text arrow and mark with words (``↑ ✗ up, worse``)."""
    symbols = dot_symbols(direction, judgement)
    return f"{symbols} {dot_words(direction, judgement)}" if symbols else "n/a"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``152nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sentence_case(text: str) -> str:
    """Capitalise the first letter only."""
    return text[:1].upper() + text[1:]


def period_span(first: str, last: str) -> str:
    """``Mar 2013 to Dec 2017``, or the one period when both are the same."""
    return first if first == last else f"{first} to {last}"


def format_unit_value(value: float, unit: str | None = None, decimals: int = 1) -> str:
    """Write a value for a sentence or a chart label by unit name: ``18.7%``, ``1,234``."""
    if value is None or value != value:  # None or NaN
        return "n/a"
    if unit in ("percent", "%"):
        return f"{value:,.{decimals}f}%"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}"
    return f"{value:,.{decimals}f}"


# --- a scorecard summary ------------------------------------------------------------------
