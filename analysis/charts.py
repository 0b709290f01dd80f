"""Altair charts in one house theme, rendered to inline SVG so pages work offline."""

from __future__ import annotations

import html
import re

import altair as alt
import pandas as pd

# Government Analysis Function categorical palette (colour-blind safe, in this order).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0B0C0C"
FONT = "Arial, Helvetica, sans-serif"
THEME = "outturn"
SERIES_COLOURS = {
    "council": PALETTE[0],
    "neighbours": PALETTE[3],
    "england": PALETTE[4],
    "region": PALETTE[5],
    "target": PALETTE[2],
    "forecast": PALETTE[0],
}


@alt.theme.register(THEME, enable=True)
def outturn_theme() -> alt.theme.ThemeConfig:
    """Return the house theme: readable sizes, GOV.UK text colour, Analysis Function palette."""
    return {
        "config": {
            "font": FONT,
            "background": "#FFFFFF",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 300},
            "title": {
                "fontSize": 16,
                "color": TEXT,
                "anchor": "start",
                "subtitleColor": TEXT,
                "subtitleFontSize": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "gridColor": "#E5E5E5",
                "domainColor": "#6F777B",
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "orient": "bottom",
                "direction": "vertical",
            },
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        }
    }


def activate_theme() -> None:
    """Make sure the house theme is the active one (e.g. after a notebook changed it)."""
    alt.theme.enable(THEME)


def describe_series(frame: pd.DataFrame, title: str, first_series: str) -> str:
    """Generate alt text: what is plotted, over which periods, and who is highest."""
    if frame.empty:
        return f"Line chart: {title}. No data."
    data = frame.dropna(subset=["value"]).sort_values("date")
    names = list(dict.fromkeys(data["series"]))
    start, end = data["period"].iloc[0], data["period"].iloc[-1]
    text = f"Line chart: {title}, {', '.join(names)}, {start} to {end}"
    latest = data.groupby("series").tail(1).set_index("series")["value"]
    if len(latest) > 1 and first_series in latest:
        rank = (latest > latest[first_series]).sum()
        where = (
            "highest"
            if rank == 0
            else ("lowest" if rank == len(latest) - 1 else "between the others")
        )
        text += f"; {first_series} {where} at the latest point"
    first = data[data["series"] == first_series]
    if len(first) >= 2:
        text += (
            f"; {first_series} went from {first['value'].iloc[0]:,.1f} "
            f"({first['period'].iloc[0]}) to {first['value'].iloc[-1]:,.1f} "
            f"({first['period'].iloc[-1]})"
        )
    return text + "."


def source_lines(source: str, width: int = 100) -> list[str]:
    """Split the source line into subtitle lines that fit the chart, never cutting a word."""
    import textwrap

    return textwrap.wrap(f"Source: {source}", width) if source else []


def history_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    unit_label: str,
    source: str = "",
    target: float | None = None,
    fan: pd.DataFrame | None = None,
    description: str | None = None,
    band: pd.DataFrame | None = None,
) -> alt.Chart:
    """Chart the council against its statistical neighbours and England over time.

    Parameters
    ----------
    frame : DataFrame
        Tidy: ``date`` (period end), ``period`` (label), ``series`` (name), ``value``.
        The first series in order of appearance is the council.
    title, unit_label, source : str
        Chart title, y-axis title (with units) and the source line.
    target : float, optional
        Drawn as a dashed horizontal rule with a label.
    fan : DataFrame, optional
        Forecast: ``date``, ``period``, ``estimate``, ``lower``, ``upper``.
    description : str, optional
        Alt text; generated from the data when not given.
    band : DataFrame, optional
        The statistical neighbours' range, shaded: ``date``, ``period``, ``low``,
        ``high``, ``n`` (how many neighbours had a figure).
    """
    names = list(dict.fromkeys(frame["series"]))
    colours = [PALETTE[[0, 3, 4, 5, 1, 2][i % 6]] for i in range(len(names))]
    colour = alt.Color(
        "series:N", title=None, sort=names, scale=alt.Scale(domain=names, range=colours)
    )
    x = alt.X("date:T", title="Period end", axis=alt.Axis(format="%b %Y", labelAngle=0))
    y = alt.Y("value:Q", title=unit_label, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("series:N"),
        alt.Tooltip("period:N"),
        alt.Tooltip("value:Q", format=",.1f"),
    ]
    base = alt.Chart(frame.dropna(subset=["value"]))
    layers: list[alt.Chart] = [
        base.mark_line().encode(
            x=x, y=y, color=colour, strokeDash=alt.StrokeDash("series:N", sort=names, legend=None)
        ),
        base.mark_point().encode(
            x=x,
            y=y,
            color=colour,
            shape=alt.Shape("series:N", sort=names, title=None, scale=alt.Scale(domain=names)),
            tooltip=tooltip,
        ),
    ]
    if fan is not None and not fan.empty:
        layers.insert(
            0,
            alt.Chart(fan)
            .mark_area(opacity=0.18, color=PALETTE[0])
            .encode(x="date:T", y=alt.Y("lower:Q", title=unit_label), y2="upper:Q"),
        )
        layers.append(
            alt.Chart(fan)
            .mark_line(strokeDash=[2, 2], color=PALETTE[0])
            .encode(x="date:T", y="estimate:Q")
        )
    if band is not None and not band.empty:
        band_tip = [
            alt.Tooltip("period:N"),
            alt.Tooltip("low:Q", format=",.1f", title="Lowest"),
            alt.Tooltip("high:Q", format=",.1f", title="Highest"),
            alt.Tooltip("n:Q", title="Neighbours with data"),
        ]
        layers.insert(
            0,
            alt.Chart(band)
            .mark_area(opacity=0.16, color=PALETTE[3])
            .encode(x="date:T", y=alt.Y("low:Q", title=unit_label), y2="high:Q", tooltip=band_tip),
        )
    if target is not None:
        rule = pd.DataFrame({"value": [target], "label": [f"Target {target:,.1f}"]})
        layers.append(
            alt.Chart(rule).mark_rule(color=PALETTE[2], strokeDash=[6, 4]).encode(y="value:Q")
        )
        layers.append(
            alt.Chart(rule)
            .mark_text(align="left", dx=4, dy=-6, color=PALETTE[2], fontSize=12)
            .encode(y="value:Q", text="label:N")
        )
    alt_text = description or describe_series(frame, title, names[0] if names else "")
    if band is not None and not band.empty and not description:
        last = band.iloc[-1]
        alt_text = (
            alt_text.rstrip(".") + f"; shaded band: the statistical neighbours' range, "
            f"{last['low']:,.1f} to {last['high']:,.1f} in {last['period']} "
            f"({int(last['n'])} neighbours)."
        )
    chart = alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=source_lines(source)),
        description=alt_text,
        width=640,
        height=300,
    )
    return chart


def chart_svg(chart: alt.Chart) -> str:
    """Render a chart to a standalone SVG string (no JavaScript, no network)."""
    import vl_convert as vlc

    major_minor = "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=f"v{major_minor}")
    return re.sub(r"<\?xml[^>]*>", "", svg).strip()


def chart_html(chart: alt.Chart, caption: str = "") -> str:
    """Wrap a chart as an accessible figure: inline SVG with role=img and its alt text."""
    spec = chart.to_dict()
    alt_text = spec.get("description", "")
    svg = chart_svg(chart)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt_text)}" ', 1)
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{svg}{cap}</figure>'
