"""Altair XmR charts: values, mean and process limits per segment, special causes marked."""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts import (
    PALETTE,
    TEXT,
    attach_data,
    chart_title,
    figure_text,
    legend_for,
    short_source,
    value_unit,
)
from analysis.spc import (
    COMMON_CAUSE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL,
    TOO_SHORT,
    variation,
)

# Making Data Count's hues (grey common cause, blue improvement, orange concern, purple
# neutral), darkened until each passes 3:1 against white (WCAG 1.4.11), and spread in
# lightness so improvement (darkest), common cause and concern (lightest) stay apart
# when printed in grey. Each also has its own shape: colour is never the only cue.
POINT_STYLE = {
    COMMON_CAUSE: ("Common cause", "#5F6062", "circle"),
    SPECIAL_CAUSE_IMPROVEMENT: ("Special cause: improvement", PALETTE[0], "diamond"),
    SPECIAL_CAUSE_CONCERN: ("Special cause: concern", "#D55E00", "square"),
    SPECIAL_CAUSE_NEUTRAL: ("Special cause: neither better nor worse", "#361475", "triangle-up"),
}
LINE_COLOUR = "#7B7D7D"  # the values' line and the dashed process limits
MEAN_COLOUR = "#231F20"
TARGET_COLOUR = PALETTE[2]  # as on the history charts
WIDTH, HEIGHT = 640, 360
# A break in the vertical axis: two short slanted strokes across it (a Vega symbol path).
AXIS_BREAK = "M-1,0.1L1,-0.3M-1,0.5L1,0.1"


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the text columns the chart encodes: period label, segment, point label."""
    data = frame.copy()
    data["period_label"] = data["period"].astype(str)
    if "segment" not in data:  # e.g. the CLI's output: a segment starts where the limits move
        limits = data[["mean", "lpl", "upl"]].round(9).fillna(-1e300)
        data["segment"] = limits.ne(limits.shift()).any(axis=1).cumsum()
    data["point_label"] = data["point_type"].map({k: v[0] for k, v in POINT_STYLE.items()})
    return data


def _legend_types(data: pd.DataFrame) -> list[str]:
    if (data["point_type"] == SPECIAL_CAUSE_NEUTRAL).any():
        return [COMMON_CAUSE, SPECIAL_CAUSE_NEUTRAL]
    return [COMMON_CAUSE, SPECIAL_CAUSE_IMPROVEMENT, SPECIAL_CAUSE_CONCERN]


def _unit(unit_label: str) -> str | None:
    return value_unit(unit_label)


def spc_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Tidy the points an SPC chart plots, for a table or CSV.

    Columns ``period, value, mean, lower_limit, upper_limit, point_type, rule``; one
    row per period with a value (a missing period is not plotted).
    """
    data = _tidy(frame)
    data = data[data["value"].notna()]
    return pd.DataFrame(
        {
            "period": data["period_label"],
            "value": data["value"],
            "mean": data["mean"],
            "lower_limit": data["lpl"],
            "upper_limit": data["upl"],
            "point_type": data["point_label"],
            "rule": data["rule"]
            .fillna("")
            .astype(str)
            .str.replace("_", " ")
            .str.replace(";", "; "),
        }
    ).reset_index(drop=True)


def describe_spc(
    frame: pd.DataFrame, *, title: str, unit_label: str, target: float | None = None
) -> str:
    """Write the alt text of an SPC chart from its data.

    Names the period range, the latest segment's mean and process limits (and how
    many segments), the target, the latest point and its signal, and how many
    special-cause points there are.
    """
    data = _tidy(frame)
    seen = data[data["value"].notna()]
    if seen.empty:
        return f"SPC chart: {title}; no values to plot."
    unit = _unit(unit_label)
    last = seen.iloc[-1]
    sentences = [f"SPC chart: {title}, {seen['period_label'].iloc[0]} to {last['period_label']}."]
    n_segments = seen["segment"].nunique()
    limits = (
        f"mean {figure_text(last['mean'], unit)}, process limits "
        f"{figure_text(last['lpl'], unit)} to {figure_text(last['upl'], unit)}"
    )
    if n_segments == 1:
        sentences.append(f"M{limits[1:]}.")
    else:
        sentences.append(f"{n_segments} segments after rebasing; latest {limits}.")
    if target is not None:
        sentences.append(f"Target {figure_text(target, unit)}.")
    sentences.append(_describe_latest(seen, unit))
    sentences.append(_describe_special(seen))
    return " ".join(sentences)


def _describe_latest(seen: pd.DataFrame, unit: str | None) -> str:
    """Describe the latest point and its signal (from :func:`analysis.spc.variation`)."""
    last = seen.iloc[-1]
    text = f"Latest point: {figure_text(last['value'], unit)} in {last['period_label']}."
    from analysis.sentences.spc import spc_sentence

    summary = variation(seen)
    if summary["signal"] != TOO_SHORT:
        text += f" {spc_sentence(summary, unit, 0 if unit == 'count' else 1)}"
    return text


def _describe_special(seen: pd.DataFrame) -> str:
    special = seen[seen["point_type"].astype(str).str.startswith("special_cause")]
    if special.empty:
        return "No special-cause points."
    counts = special["point_type"].value_counts()
    kinds = [
        f"{counts[t]} {name}"
        for t, name in [
            (SPECIAL_CAUSE_IMPROVEMENT, "improvement"),
            (SPECIAL_CAUSE_CONCERN, "concern"),
            (SPECIAL_CAUSE_NEUTRAL, "neutral"),
        ]
        if t in counts
    ]
    noun = "point" if len(special) == 1 else "points"
    return f"{len(special)} special-cause {noun} in all ({', '.join(kinds)})."


def _nice_step(span: float) -> float:
    """Return a round tick step (1, 2, 2.5 or 5 times a power of ten) for about four ticks."""
    raw = span / 4 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def y_domain(data: pd.DataFrame, target: float | None = None) -> tuple[float, float] | None:
    """Return the vertical axis' range when it should not start at zero, else None.

    An XmR chart is read for variation, so when every value, limit and the target lie
    well above zero (the lowest is more than 40% of the highest) the axis starts at a
    round number below them, and the chart marks the break; otherwise it starts at zero.
    """
    levels = pd.concat([data[c] for c in ("value", "mean", "lpl", "upl")]).dropna()
    if target is not None:
        levels = pd.concat([levels, pd.Series([float(target)])])
    if levels.empty:
        return None
    low, high = float(levels.min()), float(levels.max())
    if low <= 0 or low <= 0.4 * high:
        return None
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def period_ticks(labels: Sequence[str], width: int) -> list[str]:
    """Pick the period labels that fit across the axis, always keeping the latest."""
    labels = list(labels)
    if not labels:
        return []
    needed = max(len(label) for label in labels) * 7 + 12  # pixels per label at 12 px
    step = max(1, math.ceil(needed * len(labels) / max(width - 80, 1)))
    return labels[::-1][::step][::-1]


def spc_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    unit_label: str,
    target: float | None = None,
    source: str = "",
    subtitle: str | Sequence[str] | None = None,
    area: str | None = None,
    measure: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> alt.LayerChart:
    """Draw an XmR chart from an :func:`analysis.spc.xmr` frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`analysis.spc.xmr` (or the ``outturn spc`` CSV for one series).
    title : str
        Chart title, e.g. the indicator's name.
    unit_label : str
        The unit, e.g. ``"Per cent"``; it opens the subtitle unless ``measure`` is
        given, and a ``%`` or "per cent" in it makes the numbers percentages.
    target : float, optional
        Draws a dashed target line with its label.
    source : str
        Source titles or publishers, shortened to one line (:func:`short_source`).
    subtitle : str or list of str, optional
        Replaces the generated subtitle (measure, area and periods; the axis break;
        the source).
    area : str, optional
        The council's name, for the subtitle and the source line.
    measure : str, optional
        What is measured, for the subtitle; ``unit_label`` when not given.
    width, height : int
        The whole chart's size in pixels; the SVG scales down to narrower columns.

    Returns
    -------
    altair.LayerChart
        Line and points, mean (solid) and process limits (dashed) per segment, each
        labelled at the right, special-cause points marked by colour and shape, the
        axis break marked when the axis does not start at zero, a ``description``
        (alt text) written from the data, and the data behind it
        (:func:`analysis.charts.chart_data`).
    """
    data = _tidy(frame)
    seen = data[data["value"].notna()]
    unit = _unit(unit_label)
    order = data["period_label"].tolist()
    x = alt.X(
        "period_label:O", sort=order, title=None, axis=alt.Axis(values=period_ticks(order, width))
    )
    domain = y_domain(data, target)
    if domain is None:
        y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True))
    else:  # the axis line is drawn, so the break mark sits on it
        scale = alt.Scale(domain=list(domain), nice=False)
        y = alt.Y("value:Q", title=None, scale=scale, axis=alt.Axis(domain=True))
    base = alt.Chart(seen).encode(x=x)
    layers = [
        base.mark_line(color=LINE_COLOUR, strokeWidth=1.5).encode(y=y),
        _limit_layers(alt.Chart(data).encode(x=x)),
        _point_layer(base, data, width),
        _limit_labels(data, x, unit),
    ]
    if target is not None:
        layers.append(_target_layer(target, data, unit))
    if domain is not None:
        layers.append(_axis_break(domain[0]))
    if subtitle is None:
        subtitle = _subtitle(seen, measure or unit_label, area, domain, unit, source)
    chart = alt.layer(*layers).properties(
        title=chart_title(title, subtitle, width),
        description=describe_spc(frame, title=title, unit_label=unit_label, target=target),
        width=width,
        height=height,
        padding={"left": 5, "top": 5, "bottom": 5, "right": _label_room(data, unit)},
    )
    return attach_data(chart, spc_table(frame))


def _label_room(data: pd.DataFrame, unit: str | None) -> int:
    """Leave room at the right for the mean and limit labels, which sit past the last point."""
    last = data.dropna(subset=["mean"]).tail(1)
    if last.empty:
        return 5
    widest = max(len(figure_text(last[c].iloc[0], unit)) for c in ("mean", "lpl", "upl"))
    return (len("Upper limit ") + widest) * 6 + 12


def _subtitle(
    seen: pd.DataFrame,
    measure: str,
    area: str | None,
    domain: tuple[float, float] | None,
    unit: str | None,
    source: str,
) -> list[str]:
    span = ""
    if not seen.empty:
        first, last = seen["period_label"].iloc[0], seen["period_label"].iloc[-1]
        span = first if first == last else f"{first} to {last}"
    lines = [", ".join(part for part in (measure, area, span) if part)]
    if domain is not None:
        start = figure_text(domain[0], unit if domain[0] % 1 else "count")
        lines.append(f"The vertical axis starts at {start}, not zero (marked by a break)")
    line = short_source(source, area=area)
    return lines + ([line] if line else [])


def _axis_break(low: float) -> alt.Chart:
    """Mark a vertical axis that does not start at zero: a break symbol near its foot."""
    return (
        alt.Chart(pd.DataFrame({"low": [low]}))
        .mark_point(shape=AXIS_BREAK, size=120, filled=False, color=TEXT, strokeWidth=1.5)
        .encode(x=alt.value(0), y="low:Q", yOffset=alt.value(-10))
    )


def _target_layer(target: float, data: pd.DataFrame, unit: str | None) -> alt.LayerChart:
    """Draw the target as a dashed rule, its label on the side away from the mean line."""
    means = data["mean"].dropna()
    below = not means.empty and target < means.iloc[-1]
    label = pd.DataFrame({"target": [target], "label": [f"Target {figure_text(target, unit)}"]})
    base = alt.Chart(label)
    rule = base.mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=1.5)
    text = base.mark_text(
        align="left",
        baseline="top" if below else "bottom",
        dx=4,
        dy=3 if below else -3,
        color=TARGET_COLOUR,
        fontSize=12,
    )
    return alt.layer(
        rule.encode(y="target:Q"), text.encode(x=alt.value(0), y="target:Q", text="label:N")
    )


def _limit_layers(base: alt.Chart) -> alt.LayerChart:
    """Mean (solid) and process limits (dashed), one stretch per segment."""
    mean = base.mark_line(color=MEAN_COLOUR, strokeWidth=1).encode(
        y=alt.Y("mean:Q"), detail="segment:N"
    )
    limits = (
        base.transform_fold(["lpl", "upl"], as_=["limit", "level"])
        .mark_line(color=LINE_COLOUR, strokeDash=[6, 4], strokeWidth=1)
        .encode(y=alt.Y("level:Q"), detail=["segment:N", "limit:N"])
    )
    return alt.layer(mean, limits)


def _limit_labels(data: pd.DataFrame, x: alt.X, unit: str | None) -> alt.Chart:
    """Label the latest segment's mean and limits at the right-hand end, instead of a key."""
    last = data.dropna(subset=["mean"]).tail(1)
    if last.empty:
        return alt.Chart(pd.DataFrame({"level": []})).mark_text()
    row = last.iloc[0]
    labels = pd.DataFrame(
        {
            "period_label": row["period_label"],
            "level": [row["upl"], row["mean"], row["lpl"]],
            "label": [
                f"Upper limit {figure_text(row['upl'], unit)}",
                f"Mean {figure_text(row['mean'], unit)}",
                f"Lower limit {figure_text(row['lpl'], unit)}",
            ],
        }
    )
    return (
        alt.Chart(labels)
        .mark_text(align="left", baseline="middle", dx=8, color=TEXT, fontSize=11)
        .encode(x=x, y="level:Q", text="label:N")
    )


def _point_layer(base: alt.Chart, data: pd.DataFrame, width: int = WIDTH) -> alt.Chart:
    types = _legend_types(data)
    domain = [POINT_STYLE[t][0] for t in types]
    legend = legend_for(domain, width)
    return base.mark_point(filled=True, size=90, opacity=1).encode(
        y="value:Q",
        color=alt.Color(
            "point_label:N",
            scale=alt.Scale(domain=domain, range=[POINT_STYLE[t][1] for t in types]),
            title=None,
            legend=legend,
        ),
        shape=alt.Shape(
            "point_label:N",
            scale=alt.Scale(domain=domain, range=[POINT_STYLE[t][2] for t in types]),
            title=None,
            legend=legend,
        ),
        tooltip=[
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("value:Q", title="Value"),
            alt.Tooltip("point_label:N", title="Point type"),
            alt.Tooltip("rule:N", title="Rule"),
        ],
    )
