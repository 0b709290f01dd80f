"""Altair XmR charts: values, mean and process limits per segment, special causes marked."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.formatting import format_unit_value
from analysis.spc import (
    COMMON_CAUSE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL,
)

# Making Data Count colours: grey common cause, blue improvement, orange concern,
# purple neutral; each also has its own shape, so colour is never the only cue.
POINT_STYLE = {
    COMMON_CAUSE: ("Common cause", "#7B7D7D", "circle"),
    SPECIAL_CAUSE_IMPROVEMENT: ("Special cause: improvement", "#41B6E6", "diamond"),
    SPECIAL_CAUSE_CONCERN: ("Special cause: concern", "#ED8B00", "square"),
    SPECIAL_CAUSE_NEUTRAL: ("Special cause: neither better nor worse", "#361475", "triangle-up"),
}
LINE_COLOUR = "#5F6062"
TARGET_COLOUR = "#231F20"


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
    return "percent" if "%" in unit_label or "percent" in unit_label.lower() else None


def describe_spc(
    frame: pd.DataFrame, *, title: str, unit_label: str, target: float | None = None
) -> str:
    """Write the alt text of an SPC chart from its data.

    Names the period range, the latest segment's mean and limits, the number of
    segments, the target, and the special-cause points.
    """
    data = _tidy(frame)
    seen = data[data["value"].notna()]
    if seen.empty:
        return f"SPC chart: {title}; no values to plot."
    unit = _unit(unit_label)
    last = seen.iloc[-1]
    parts = [f"SPC chart: {title}, {seen['period_label'].iloc[0]} to {last['period_label']}"]
    n_segments = seen["segment"].nunique()
    latest = "" if n_segments == 1 else f"{n_segments} segments after rebasing; latest "
    parts.append(
        f"{latest}mean {format_unit_value(last['mean'], unit)}, process limits "
        f"{format_unit_value(last['lpl'], unit)} to {format_unit_value(last['upl'], unit)}"
    )
    if target is not None:
        parts.append(f"target {format_unit_value(target, unit)}")
    parts.append(_describe_special(seen))
    return "; ".join(parts) + "."


def _describe_special(seen: pd.DataFrame) -> str:
    special = seen[seen["point_type"].astype(str).str.startswith("special_cause")]
    if special.empty:
        return "no special-cause points"
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
    return f"{len(special)} special-cause {noun} ({', '.join(kinds)})"


def spc_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    unit_label: str,
    target: float | None = None,
    source: str = "",
) -> alt.LayerChart:
    """Draw an XmR chart from an :func:`analysis.spc.xmr` frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`analysis.spc.xmr` (or the ``outturn spc`` CSV for one series).
    title : str
        Chart title, e.g. the indicator's name.
    unit_label : str
        Y-axis title with its unit, e.g. ``"% of children"``; a ``%`` in it
        makes the alt text print percentages.
    target : float, optional
        Draws a dotted target line.
    source : str
        Source line, printed under the title.

    Returns
    -------
    altair.LayerChart
        Line and points, mean (solid) and process limits (dashed) per segment,
        special-cause points marked by colour and shape, and a ``description``
        (alt text) written from the data.
    """
    data = _tidy(frame)
    order = data["period_label"].tolist()
    x = alt.X("period_label:O", sort=order, title="Period", axis=alt.Axis(labelAngle=-45))
    base = alt.Chart(data[data["value"].notna()]).encode(x=x)
    y_title = alt.Y("value:Q", title=unit_label, scale=alt.Scale(zero=False))
    layers = [
        base.mark_line(color=LINE_COLOUR, strokeWidth=1.5).encode(y=y_title),
        _limit_layers(alt.Chart(data).encode(x=x)),
        _point_layer(base, data),
    ]
    if target is not None:
        layers.append(_target_layer(target, unit_label))
    subtitle = [f"Source: {source}"] if source else []
    return alt.layer(*layers).properties(
        title=alt.TitleParams(text=title, subtitle=subtitle, anchor="start"),
        description=describe_spc(frame, title=title, unit_label=unit_label, target=target),
        width=560,
        height=300,
    )


def _limit_layers(base: alt.Chart) -> alt.LayerChart:
    """Mean (solid) and process limits (dashed), one stretch per segment."""
    mean = base.mark_line(color=TARGET_COLOUR, strokeWidth=1).encode(
        y=alt.Y("mean:Q"), detail="segment:N"
    )
    limits = (
        base.transform_fold(["lpl", "upl"], as_=["limit", "level"])
        .mark_line(color=LINE_COLOUR, strokeDash=[6, 4], strokeWidth=1)
        .encode(y=alt.Y("level:Q"), detail=["segment:N", "limit:N"])
    )
    return alt.layer(mean, limits)


def _point_layer(base: alt.Chart, data: pd.DataFrame) -> alt.Chart:
    types = _legend_types(data)
    domain = [POINT_STYLE[t][0] for t in types]
    legend = alt.Legend(title="Point type", orient="bottom")
    return base.mark_point(filled=True, size=70, opacity=1).encode(
        y="value:Q",
        color=alt.Color(
            "point_label:N",
            scale=alt.Scale(domain=domain, range=[POINT_STYLE[t][1] for t in types]),
            legend=legend,
        ),
        shape=alt.Shape(
            "point_label:N",
            scale=alt.Scale(domain=domain, range=[POINT_STYLE[t][2] for t in types]),
            legend=legend,
        ),
        tooltip=[
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("value:Q", title="Value"),
            alt.Tooltip("point_label:N", title="Point type"),
            alt.Tooltip("rule:N", title="Rule"),
        ],
    )


def _target_layer(target: float, unit_label: str) -> alt.LayerChart:
    label = f"Target {format_unit_value(target, _unit(unit_label))}"
    frame = pd.DataFrame({"target": [target], "label": [label]})
    rule = (
        alt.Chart(frame)
        .mark_rule(color=TARGET_COLOUR, strokeDash=[2, 2], strokeWidth=1.5)
        .encode(y="target:Q")
    )
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, dy=-6, color=TARGET_COLOUR, x=0)
        .encode(y="target:Q", text="label:N")
    )
    return alt.layer(rule, text)
