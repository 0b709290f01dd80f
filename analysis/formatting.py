"""Figures, arrows and tables as a reader sees them (accessible HTML, text equivalents)."""

from __future__ import annotations

import html
import math

import pandas as pd

from analysis.catalogue import Indicator

ARROWS = {"up": "↑", "down": "↓", "same": "→", "": ""}
MARKS = {"better": "✓", "worse": "✗", "same": "=", "n/a": ""}
STATUS_TEXT = {
    "c": "c (suppressed)", "x": "x (not available)", "z": "z (not applicable)",
    "u": "u (low reliability)", "k": "k (fewer than 5)", "low": "low", "-": "- (missing)",
}  # fmt: skip
COMPARISON_LABELS = {
    "previous_period": "Previous quarter",
    "same_period_last_year": "Same period last year",
    "previous_year_end": "Last year-end",
    "target": "Target",
    "england": "England",
    "statistical_neighbours": "Statistical neighbours",
}
UNIT_LABELS = {
    "count": "number",
    "rate_per_10k": "rate per 10,000 children",
    "percent": "%",
    "score": "score",
}


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


def format_change(change: float, ind: Indicator) -> str:
    """Format a signed change (``+2.6``, ``-13.6 pts`` for percentages)."""
    if change is None or math.isnan(change):
        return ""
    decimals = 0 if ind.unit == "count" else ind.decimals
    text = f"{change:+,.{decimals}f}"
    return text + " pts" if ind.unit == "percent" else text


def dot_html(direction: str, judgement: str) -> str:
    """Arrow and tick/cross with a text equivalent for screen readers and print."""
    if not direction:
        return '<span class="dot dot-na">n/a</span>'
    text = f"{direction}, {judgement}" if judgement not in ("n/a", "") else direction
    return (
        f'<span class="dot dot-{html.escape(judgement.replace("/", ""))}" title="{text}">'
        f'<span aria-hidden="true">{ARROWS[direction]} {MARKS.get(judgement, "")}</span>'
        f'<span class="visually-hidden">{text}</span></span>'
    )


def dot_text(direction: str, judgement: str) -> str:
    """Plain-text arrow and mark with words (``↑ ✗ up, worse``)."""
    if not direction:
        return "n/a"
    words = f"{direction}, {judgement}" if judgement != "n/a" else direction
    return f"{ARROWS[direction]} {MARKS.get(judgement, '')} {words}".replace("  ", " ")


def html_table(
    frame: pd.DataFrame,
    caption: str = "",
    raw_columns: tuple[str, ...] = (),
    row_header: str | None = None,
    css_class: str = "outturn-table",
) -> str:
    """Build an accessible HTML table: caption, scoped ``th``, cells escaped unless listed raw."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            text = "" if pd.isna(row[col]) else str(row[col])
            text = text if col in raw_columns else html.escape(text)
            tag = 'th scope="row"' if col == row_header else "td"
            cells.append(f"<{tag}>{text}</{tag.split()[0]}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
