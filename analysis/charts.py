"""Altair charts in one house theme, rendered to inline SVG so pages work offline."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from analysis.formatting import format_unit_value

# Government Analysis Function categorical palette (colour-blind safe, in this order).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0B0C0C"
GRID = "#E5E5E5"  # light: gridlines help reading values off, they are not content
FONT = "Arial, Helvetica, sans-serif"
THEME = "outturn"
WIDTH, HEIGHT = 640, 360  # the whole chart, title and legend included (autosize "fit")
SERIES_COLOURS = {
    "council": PALETTE[0],
    "neighbours": PALETTE[3],
    "england": PALETTE[4],
    "region": PALETTE[5],
    "target": PALETTE[2],
    "forecast": PALETTE[0],
}
NEIGHBOUR_RANGE = "Statistical neighbours' range"
FORECAST_RANGE = "Forecast and its range"
TEXT_PX, TITLE_PX = 6.6, 9.2  # average width of a character at 12 px, and 16 px bold (Arial)
DATA_KEY = "outturn_data"  # usermeta key holding the table behind a chart


@alt.theme.register(THEME, enable=True)
def outturn_theme() -> alt.theme.ThemeConfig:
    """Return the house theme: readable sizes, GOV.UK text colour, Analysis Function palette.

    Few, light gridlines (horizontal only, about five), no rotated axis titles (the unit
    is in the subtitle), the legend above the plot, and ``autosize`` "fit" so the SVG
    is exactly the chart's width and scales down with its ``viewBox``.
    """
    return {
        "config": {
            "font": FONT,
            "background": "#FFFFFF",
            "autosize": {"type": "fit", "contains": "padding"},
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
            "title": {
                "fontSize": 16,
                "color": TEXT,
                "anchor": "start",
                "subtitleColor": TEXT,
                "subtitleFontSize": 12,
                "subtitlePadding": 6,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "titleAngle": 0,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "gridColor": GRID,
                "domainColor": "#6F777B",
                "tickColor": "#6F777B",
            },
            "axisX": {"grid": False, "labelAngle": 0, "labelOverlap": "greedy"},
            "axisY": {"grid": True, "tickCount": 5, "domain": False, "ticks": False},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "orient": "top",
                "direction": "horizontal",
                "symbolStrokeWidth": 2,
            },
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        }
    }


def activate_theme() -> None:
    """Make sure the house theme is the active one (e.g. after a notebook changed it)."""
    alt.theme.enable(THEME)


# --- colour checks ------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """Return the WCAG 2 relative luminance of a ``#RRGGBB`` colour (0 black to 1 white).

    It is also the grey a colour turns into when printed in black and white.
    """
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str = "#FFFFFF") -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21); 3 is the floor for graphics."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- words: units, sources, subtitles -----------------------------------------------------


def value_unit(unit_label: str, count: bool = False) -> str | None:
    """Return the unit :func:`analysis.formatting.format_unit_value` needs from an axis label."""
    if "%" in unit_label or "per cent" in unit_label.lower() or "percent" in unit_label.lower():
        return "percent"
    return "count" if count or is_count(unit_label) else None


def is_count(unit_label: str) -> bool:
    """Return True for a count's unit label (``"Number"``, ``"Count"``, ``"Number of ..."``)."""
    words = unit_label.strip().lower()
    return words in ("number", "count", "no.") or words.startswith(("number of", "count of"))


# Publications and publishers, shortened to the name a reader knows. Checked in order,
# national publishers first: a DfE release title can mention "report" too.
_PUBLISHERS = [
    (r"explore education statistics|\blait\b|local authority interactive tool|"
     r"department for education|\bdfe\b", "DfE"),
    (r"office for national statistics|\bons\b|mid-year (population )?estimate", "ONS"),
    (r"\bofsted\b", "Ofsted"),
    (r"nhs digital|nhs england", "NHS England"),
    (r"lg inform|local government association", "LG Inform"),
    (r"\bcipfa\b", "CIPFA"),
    (r"\breports?\b|appendix|\bapp\.? [a-z0-9]|committee|scrutiny|cabinet|council", "{council}"),
]  # fmt: skip


def _publisher(fragment: str, council: str) -> str | None:
    for pattern, name in _PUBLISHERS:
        if re.search(pattern, fragment, flags=re.IGNORECASE):
            return name.format(council=council)
    return None


def _council_papers(area: str | None) -> str:
    if not area:
        return "council committee papers"
    council = (
        area if re.search(r"council|borough|county", area, re.IGNORECASE) else f"{area} Council"
    )
    return f"{council} committee papers"


def short_source(source: str, *, area: str | None = None, max_chars: int = 90) -> str:
    """Shorten a list of source titles to one line of publisher names.

    ``"App B - Q2 Exception Reports, 2015/16, Explore Education Statistics: children in
    need ..."`` becomes ``"Source: Blackpool Council committee papers; DfE"``. Titles
    that name no known publisher are kept as they are; the line is cut at a word
    (with an ellipsis) beyond ``max_chars``.

    Parameters
    ----------
    source : str
        Source titles or publishers, separated by commas or semicolons.
    area : str, optional
        The council's name, for its committee papers ("Blackpool" gives "Blackpool
        Council committee papers").
    max_chars : int
        The longest line to return.
    """
    if not source.strip():
        return ""
    named = re.search(r"\b([A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*) Council\b", source)
    council = _council_papers(area or (f"{named.group(1)} Council" if named else None))
    names: list[str] = []
    for fragment in re.split(r"[;,]\s+", source.strip()):
        if not fragment or fragment[0].islower() or fragment[0].isdigit():
            continue  # the tail of the title before it ("..., 2015/16", "..., counts and rates")
        names.append(_publisher(fragment, council) or fragment)
    names = sorted(dict.fromkeys(names), key=lambda name: name != council)  # own papers first
    line = "Source: " + "; ".join(names)
    if len(line) > max_chars:
        line = line[: max_chars - 1].rsplit(" ", 1)[0].rstrip(";,:") + "\u2026"
    return line


def wrap_lines(lines: Sequence[str], width: int, px: float = TEXT_PX) -> list[str]:
    """Wrap lines of text to a chart's width (Vega cuts a long title; it never wraps one)."""
    chars = max(20, int(width / px))
    return [part for line in lines for part in (textwrap.wrap(line, chars) or [""])]


def chart_title(title: str, subtitle: str | Sequence[str], width: int) -> alt.Title:
    """Build a chart's title and subtitle lines, wrapped to its width."""
    lines = wrap_lines([title], width, TITLE_PX)
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return alt.Title(lines[0] if len(lines) == 1 else lines, subtitle=wrap_lines(subtitle, width))


def _month(date: object) -> str:
    return pd.Timestamp(date).strftime("%b %Y")


def figure_text(value: float, unit: str | None) -> str:
    """Write a figure for a label or sentence: whole numbers for a count, else one decimal."""
    return format_unit_value(value, unit, 0 if unit == "count" else 1)


def span_of(dates: Iterable[object]) -> str:
    """Say which dates a chart covers: ``"Mar 2013 to Dec 2017"``, or ``"Dec 2017"`` alone."""
    stamps = sorted({pd.Timestamp(d) for d in dates if not pd.isna(d)})
    if not stamps:
        return ""
    first, last = _month(stamps[0]), _month(stamps[-1])
    return first if first == last else f"{first} to {last}"


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- the data behind a chart --------------------------------------------------------------


def attach_data(chart: alt.TopLevelMixin, table: pd.DataFrame) -> alt.TopLevelMixin:
    """Carry the tidy table behind a chart in its spec (``usermeta``), for :func:`chart_data`."""
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return chart.properties(usermeta={DATA_KEY: {"columns": list(table), "rows": records}})


def chart_data(chart: alt.TopLevelMixin | dict) -> pd.DataFrame:
    """Return the data behind a chart, one row per plotted point, for a table or a CSV.

    A :func:`history_chart` gives ``series, period, period_end, value`` (the
    neighbours' range and a forecast as their own series); an
    :func:`analysis.spc_charts.spc_chart` gives ``period, value, mean, lower_limit,
    upper_limit, point_type, rule``. A chart built elsewhere gives an empty frame.
    The chart can also be given as its spec (``chart.to_dict()``).
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    meta = spec.get("usermeta", {}).get(DATA_KEY)
    if not meta:
        return pd.DataFrame()
    return pd.DataFrame(meta["rows"], columns=meta["columns"])


def history_table(
    data: pd.DataFrame, band: pd.DataFrame | None = None, fan: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tidy the points a history chart plots: ``series, period, period_end, value``."""
    parts = [data[["series", "period", "date", "value"]]]
    if band is not None and not band.empty:
        for column, name in (("low", "lowest"), ("high", "highest")):
            series = f"Statistical neighbours, {name}"
            parts.append(band.assign(series=series, value=band[column]))
    if fan is not None and not fan.empty:
        for column, name in (("estimate", "Forecast"), ("lower", "Forecast, lower"),
                             ("upper", "Forecast, upper")):  # fmt: skip
            parts.append(fan.assign(series=name, value=fan[column]))
    table = pd.concat([p[["series", "period", "date", "value"]] for p in parts], ignore_index=True)
    table["period"] = table["period"].astype(str)
    table["date"] = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d")
    return table.rename(columns={"date": "period_end"})


# --- the history chart --------------------------------------------------------------------


def _break_date(item: object) -> pd.Timestamp:
    """Return a break's first date: a catalogue ``Break``'s period start, or a date."""
    period = getattr(item, "period", None)
    return pd.Timestamp(period.start_date if period is not None else item)


def describe_series(
    frame: pd.DataFrame,
    title: str,
    first_series: str,
    *,
    unit_label: str = "",
    target: float | None = None,
    band: pd.DataFrame | None = None,
    fan: pd.DataFrame | None = None,
    breaks: Sequence[object] = (),
    count: bool = False,
    dropped: Sequence[str] = (),
) -> str:
    """Write a line chart's text alternative from its data.

    Says what is plotted and over which periods, the council's latest figure (and
    where it started), the target, the comparators' latest figures and how the
    council stands against them, the neighbours' range, a series break and the
    forecast. A chart of one figure gives the figure: ``"Blackpool: 537 in Dec 2017"``.
    """
    data = frame.dropna(subset=["value"]).sort_values("date", kind="stable")
    if data.empty:
        return f"Line chart: {title}. No data."
    unit = value_unit(unit_label, count)
    names = list(dict.fromkeys(data["series"]))
    span = f"{data['period'].iloc[0]} to {data['period'].iloc[-1]}"
    if len(data) == 1:
        opening = f"Chart of one figure: {title}."
    elif len(names) == 1:
        opening = f"Line chart: {title}, {span}."
    else:
        opening = f"Line chart: {title}: {_join(names)}, {span}."
    sentences = [opening, _council_sentence(data, first_series, unit)]
    if target is not None:
        sentences.append(f"Target: {figure_text(target, unit)}.")
    sentences.append(_comparator_sentence(data, first_series, unit))
    if dropped:
        sentences.append(
            f"{_join(list(dropped))} not shown: counts are not compared with other areas."
        )
    sentences += [_band_sentence(band, unit), _break_sentence(breaks), _fan_sentence(fan, unit)]
    return " ".join(s for s in sentences if s)


def _council_sentence(data: pd.DataFrame, first_series: str, unit: str | None) -> str:
    own = data[data["series"] == first_series]
    if own.empty:
        return ""
    last = own.iloc[-1]
    text = f"{first_series}: {figure_text(last['value'], unit)} in {last['period']}"
    if len(own) > 1:
        first = own.iloc[0]
        text += f", from {figure_text(first['value'], unit)} in {first['period']}"
    return text + "."


def _comparator_sentence(data: pd.DataFrame, first_series: str, unit: str | None) -> str:
    latest = data.groupby("series", sort=False).tail(1).set_index("series")
    others = [name for name in latest.index if name != first_series]
    if not others:
        return ""
    figures = [
        f"{name} {figure_text(latest.at[name, 'value'], unit)} in {latest.at[name, 'period']}"
        for name in others
    ]
    text = f"Comparators' latest figures: {'; '.join(figures)}."
    return text + _ranking(latest["value"], first_series, others)


def _ranking(latest: pd.Series, first_series: str, others: list[str]) -> str:
    """Say whether the council's latest figure is higher or lower than each comparator's."""
    if first_series not in latest.index:
        return ""
    own = latest[first_series]
    where = []
    for word, names in (
        ("higher", [n for n in others if own > latest[n]]),
        ("lower", [n for n in others if own < latest[n]]),
        ("the same as", [n for n in others if own == latest[n]]),
    ):
        if names:
            where.append(f"{word} than {_join(names)}".replace("as than", "as"))
    return f" {first_series}'s latest figure is {' and '.join(where)}."


def _band_sentence(band: pd.DataFrame | None, unit: str | None) -> str:
    if band is None or band.empty:
        return ""
    last = band.iloc[-1]
    return (
        f"Shaded band: the statistical neighbours' range, {figure_text(last['low'], unit)} to "
        f"{figure_text(last['high'], unit)} in {last['period']} ({int(last['n'])} neighbours)."
    )


def _break_sentence(breaks: Sequence[object]) -> str:
    months = [_month(_break_date(b)) for b in breaks]
    if not months:
        return ""
    return (
        f"Series break in {_join(months)}: figures from then on are not comparable "
        "with earlier ones."
    )


def _fan_sentence(fan: pd.DataFrame | None, unit: str | None) -> str:
    if fan is None or fan.empty:
        return ""
    last = fan.iloc[-1]
    return (
        f"Forecast: {figure_text(last['estimate'], unit)} in {last['period']} (range "
        f"{figure_text(last['lower'], unit)} to {figure_text(last['upper'], unit)})."
    )


def history_subtitle(
    *,
    measure: str,
    area: str,
    span: str,
    compared: bool,
    dropped: bool = False,
    breaks: Sequence[object] = (),
    source: str = "",
) -> list[str]:
    """Write a history chart's subtitle lines: measure, area and period; a note; the source."""
    who = f"{area} and comparators" if compared else (f"{area} only" if dropped else area)
    lines = [", ".join(part for part in (measure, who, span) if part)]
    if dropped:
        lines.append("A count: England and other councils are not drawn, as their sizes differ")
    if breaks:
        months = _join([_month(_break_date(b)) for b in breaks])
        lines.append(
            f"Series break in {months}: later figures are not comparable with earlier ones"
        )
    return lines + ([source] if source else [])


def date_ticks(dates: Iterable[object], most: int = 7) -> list[pd.Timestamp]:
    """Pick the dates to label on a time axis: the latest, and year-ends (March) before it.

    Labels are kept at least 1/most of the axis apart, walking back from the
    latest date. Up to ``most`` dates are all candidates; beyond that only financial
    year-ends, unless that leaves fewer than three labels.
    """
    stamps = sorted({pd.Timestamp(d) for d in dates if not pd.isna(d)})
    if len(stamps) < 2:
        return stamps
    room = (stamps[-1] - stamps[0]) / most
    year_ends = [d for d in stamps if d.month == 3]
    ticks = _spaced(year_ends if len(stamps) > most else stamps, stamps[-1], room)
    return ticks if len(ticks) >= 3 else _spaced(stamps, stamps[-1], room)


def _spaced(candidates: list[pd.Timestamp], last: pd.Timestamp, room: pd.Timedelta) -> list:
    ticks = [last]
    for date in reversed(candidates):
        if ticks[0] - date >= room:
            ticks.insert(0, date)
    return ticks


def _x_axis(dates: Iterable[object], width: int = WIDTH) -> alt.X:
    ticks = date_ticks(dates, most=max(3, min(8, width // 90)))  # a label is about 60 px wide
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in ticks]
    return alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", values=values))


def legend_for(labels: Sequence[str], width: int) -> alt.Legend | None:
    """Return a key in one row when its labels fit the width, else one label a line.

    None for a single label: the title or subtitle already names it.
    """
    if len(labels) <= 1:
        return None
    row = sum(TEXT_PX * len(label) + 30 for label in labels)
    return alt.Legend() if row <= width else alt.Legend(direction="vertical", columns=1)


def _series_layers(
    data: pd.DataFrame, names: list[str], x: alt.X, y: alt.Y, width: int = WIDTH
) -> list[alt.Chart]:
    colours = [PALETTE[[0, 3, 4, 5, 1, 2][i % 6]] for i in range(len(names))]
    legend = legend_for(names, width)
    colour = alt.Color(
        "series:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=colours),
        legend=legend,
    )
    tooltip = [
        alt.Tooltip("series:N"),
        alt.Tooltip("period:N"),
        alt.Tooltip("value:Q", format=",.1f"),
    ]
    base = alt.Chart(data)
    dash = alt.StrokeDash("series:N", sort=names, legend=None)
    line = base.mark_line().encode(x=x, y=y, color=colour, strokeDash=dash, detail="segment:N")
    shape = alt.Shape(
        "series:N", sort=names, title=None, scale=alt.Scale(domain=names), legend=legend
    )
    points = base.mark_point(opacity=1).encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    return [line, points]


def _area_fill(keys: list[str]) -> alt.Fill:
    colours = {NEIGHBOUR_RANGE: PALETTE[3], FORECAST_RANGE: PALETTE[0]}
    return alt.Fill(
        "key:N",
        title=None,
        scale=alt.Scale(domain=keys, range=[colours[k] for k in keys]),
        legend=alt.Legend(orient="bottom"),
    )


def _band_layer(band: pd.DataFrame, fill: alt.Fill) -> alt.Chart:
    tip = [
        alt.Tooltip("period:N"),
        alt.Tooltip("low:Q", format=",.1f", title="Lowest"),
        alt.Tooltip("high:Q", format=",.1f", title="Highest"),
        alt.Tooltip("n:Q", title="Neighbours with data"),
    ]
    return (
        alt.Chart(band.assign(key=NEIGHBOUR_RANGE))
        .mark_area(opacity=0.16)
        .encode(x="date:T", y=alt.Y("low:Q"), y2="high:Q", fill=fill, tooltip=tip)
    )


def _fan_layers(fan: pd.DataFrame, fill: alt.Fill) -> tuple[list, list]:
    base = alt.Chart(fan.assign(key=FORECAST_RANGE))
    area = base.mark_area(opacity=0.18).encode(x="date:T", y="lower:Q", y2="upper:Q", fill=fill)
    line = base.mark_line(strokeDash=[2, 2], color=PALETTE[0]).encode(x="date:T", y="estimate:Q")
    return [area], [line]


def target_layers(target: float, label: str, colour: str = PALETTE[2]) -> list[alt.Chart]:
    """Draw a target: a dashed horizontal rule with its label at the left, above the line."""
    rule = pd.DataFrame({"target": [target], "label": [label]})
    return [
        alt.Chart(rule).mark_rule(color=colour, strokeDash=[6, 4]).encode(y="target:Q"),
        alt.Chart(rule)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=colour, fontSize=12)
        .encode(x=alt.value(0), y="target:Q", text="label:N"),
    ]


def _break_layers(breaks: Sequence[object]) -> list[alt.Chart]:
    rules = pd.DataFrame({"date": [_break_date(b) for b in breaks], "label": "Series break"})
    base = alt.Chart(rules)
    return [
        base.mark_rule(color=PALETTE[4], strokeDash=[3, 3], strokeWidth=1.5).encode(x="date:T"),
        base.mark_text(align="right", baseline="top", dx=-4, dy=2, color=TEXT, fontSize=12).encode(
            x="date:T", y=alt.value(0), text="label:N"
        ),
    ]


def _segments(data: pd.DataFrame, breaks: Sequence[object]) -> pd.Series:
    """Count the breaks on or before each date, so no line is joined across a break."""
    dates = pd.to_datetime(data["date"])
    return sum(((dates >= _break_date(b)).astype(int) for b in breaks), pd.Series(0, data.index))


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
    subtitle: str | Sequence[str] | None = None,
    area: str | None = None,
    measure: str | None = None,
    period_span: str | None = None,
    count: bool | None = None,
    breaks: Sequence[object] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
    trajectory: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Chart the council against its statistical neighbours and England over time.

    Parameters
    ----------
    frame : DataFrame
        Tidy: ``date`` (period end), ``period`` (label), ``series`` (name), ``value``.
        The first series in order of appearance is the council.
    title : str
        What the chart shows, e.g. "Children looked after, Blackpool vs comparators".
    unit_label : str
        The unit ("Rate per 10,000 children", "Per cent", "Number"); it opens the
        subtitle unless ``measure`` is given. The vertical axis starts at zero.
    source : str
        Source titles or publishers; shortened to one line of publisher names
        (:func:`short_source`).
    target : float, optional
        Drawn as a dashed horizontal rule with a label.
    fan : DataFrame, optional
        Forecast: ``date``, ``period``, ``estimate``, ``lower``, ``upper``.
    description : str, optional
        Alt text; generated from the data (:func:`describe_series`) when not given.
    band : DataFrame, optional
        The statistical neighbours' range, shaded: ``date``, ``period``, ``low``,
        ``high``, ``n`` (how many neighbours had a figure).
    subtitle : str or list of str, optional
        Replaces the generated subtitle (measure, area and period; a note; the source).
    area : str, optional
        The council's name for the subtitle; the first series' name when not given.
    measure : str, optional
        What is measured, for the subtitle ("Rate per 10,000 children"); ``unit_label``
        when not given.
    period_span : str, optional
        The period covered, for the subtitle; "Mar 2013 to Dec 2017" from the dates
        when not given.
    count : bool, optional
        The figures are counts: only the council is drawn (a council's count on
        England's axis lies flat on zero), without the neighbours' range, and the
        subtitle says so. Not given: True when ``unit_label`` is "Number" or "Count".
    breaks : sequence, optional
        Series breaks: the first date of each new series (or catalogue ``Break``
        objects). A dotted rule marks each; lines are not joined across them.
    width, height : int
        The whole chart's size in pixels; the SVG scales down to narrower columns.
    trajectory : DataFrame, optional
        A profiled target through the year: ``date`` (period end), ``period``,
        ``value``. Drawn as a dashed line through its points, labelled "Target
        trajectory"; give it instead of ``target``.

    Returns
    -------
    altair.LayerChart
        With a ``description`` (alt text) and the data behind it (:func:`chart_data`).
    """
    council = next(iter(frame["series"]), "")
    count = is_count(unit_label) if count is None else count
    unit = value_unit(unit_label, count)
    data = frame.dropna(subset=["value"])
    dropped: list[str] = []
    if count:  # a council's count on England's axis lies flat on zero: draw the council alone
        dropped = [n for n in dict.fromkeys(data["series"]) if n != council]
        data, band = data[data["series"] == council], None
    data = data.assign(segment=_segments(data, breaks))
    names = list(dict.fromkeys(data["series"]))
    has_band = band is not None and not band.empty
    if len(names) <= 1 and not has_band:  # nothing to compare with: the title must not say so
        title = re.sub(r",? (vs|versus|against|and) comparators$", "", title)
    layers = _history_layers(data, names, band=band, fan=fan, target=target, unit=unit, width=width)
    layers += _break_layers(breaks) if breaks else []
    has_path = trajectory is not None and not trajectory.empty
    layers += trajectory_layers(trajectory) if has_path else []
    if subtitle is None:
        subtitle = history_subtitle(
            measure=measure or unit_label,
            area=area or council,
            span=period_span or span_of(data["date"]),
            compared=len(names) > 1 or has_band,
            dropped=bool(dropped),
            breaks=breaks,
            source=short_source(source, area=area or council),
        )
    alt_text = description or describe_series(
        data, title, council, unit_label=unit_label, target=target, band=band, fan=fan,
        breaks=breaks, count=count, dropped=dropped,
    )  # fmt: skip
    if has_path and description is None:
        alt_text += " " + trajectory_sentence(trajectory, unit)
    chart = alt.layer(*layers).properties(
        title=chart_title(title, subtitle, width),
        description=alt_text,
        width=width,
        height=height,
    )
    table = history_table(data, band, fan)
    if has_path:
        path = trajectory.assign(series=TRAJECTORY, date=pd.to_datetime(trajectory["date"]))
        path = path.assign(period_end=path["date"].dt.strftime("%Y-%m-%d"),
                           period=path["period"].astype(str))  # fmt: skip
        table = pd.concat([table, path[["series", "period", "period_end", "value"]]],
                          ignore_index=True)  # fmt: skip
    return attach_data(chart, table)


TRAJECTORY = "Target trajectory"


def trajectory_layers(trajectory: pd.DataFrame, colour: str = PALETTE[2]) -> list[alt.Chart]:
    """Draw a profiled target: a dashed line through its points, labelled at its last point."""
    path = trajectory.assign(date=pd.to_datetime(trajectory["date"]), label=TRAJECTORY)
    path = path.sort_values("date")
    tip = [alt.Tooltip("period:N", title="Period"),
           alt.Tooltip("value:Q", title="Target", format=",.1f")]  # fmt: skip
    point = alt.OverlayMarkDef(color=colour, shape="diamond", size=40)
    return [
        alt.Chart(path)
        .mark_line(color=colour, strokeDash=[6, 4], point=point)
        .encode(x="date:T", y="value:Q", tooltip=tip),
        alt.Chart(path.tail(1))
        .mark_text(align="right", baseline="bottom", dy=-8, color=colour, fontSize=12)
        .encode(x="date:T", y="value:Q", text="label:N"),
    ]


def trajectory_sentence(trajectory: pd.DataFrame, unit: str | None) -> str:
    """Say the trajectory in words for the text alternative: from where, through when, to what."""
    path = trajectory.sort_values("date")
    first, last = path.iloc[0], path.iloc[-1]
    return (
        f"Target trajectory: {figure_text(first['value'], unit)} in {first['period']} to "
        f"{figure_text(last['value'], unit)} in {last['period']}."
    )


def _history_layers(
    data: pd.DataFrame,
    names: list[str],
    *,
    band: pd.DataFrame | None,
    fan: pd.DataFrame | None,
    target: float | None,
    unit: str | None,
    width: int = WIDTH,
) -> list[alt.Chart]:
    """Stack the layers back to front: shaded ranges, lines and points, forecast, target."""
    has_band, has_fan = band is not None and not band.empty, fan is not None and not fan.empty
    x = _x_axis(list(data["date"]) + (list(fan["date"]) if has_fan else []), width)
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True))
    fill = _area_fill([NEIGHBOUR_RANGE] * has_band + [FORECAST_RANGE] * has_fan)
    fan_area, fan_line = _fan_layers(fan, fill) if has_fan else ([], [])
    layers = ([_band_layer(band, fill)] if has_band else []) + fan_area
    layers += _series_layers(data, names, x, y, width) + fan_line
    layers.append(_latest_label(data, names[0] if names else "", unit, x, y))
    if target is not None:
        layers += target_layers(target, f"Target {figure_text(target, unit)}")
    return layers


def _latest_label(data: pd.DataFrame, council: str, unit: str | None, x: alt.X, y: alt.Y):
    """Print the council's latest figure above its last point."""
    last = data[data["series"] == council].tail(1)
    label = last.assign(label=[figure_text(v, unit) for v in last["value"]])
    return (
        alt.Chart(label)
        .mark_text(baseline="bottom", dy=-8, fontSize=12, fontWeight="bold", color=PALETTE[0])
        .encode(x=x, y=y, text="label:N")
    )


PNG_SCALE = 2
"""Pixels per chart unit in a PNG (640 units: 1280 pixels, about 190 dpi on a printed page)."""


def chart_png(chart: alt.Chart, scale: float = PNG_SCALE) -> bytes:
    """Render a chart to PNG (for the Word and PDF documents; Word cannot show SVG alone)."""
    import vl_convert as vlc

    major_minor = "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vlc.vegalite_to_png(chart.to_dict(), vl_version=f"v{major_minor}", scale=scale)


def chart_svg(chart: alt.Chart, spec: dict | None = None) -> str:
    """Render a chart to a standalone SVG (no JavaScript, no network) that names itself.

    The SVG carries the chart's text alternative as its ``<title>``, so the file
    says what it shows when opened on its own. ``spec`` is ``chart.to_dict()``
    when the caller has it already (building it again is most of the cost).
    """
    import vl_convert as vlc

    spec = chart.to_dict() if spec is None else spec
    major_minor = "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = re.sub(r"<\?xml[^>]*>", "", vlc.vegalite_to_svg(spec, vl_version=f"v{major_minor}"))
    words = html.escape(" ".join(str(spec.get("description", "")).split()))
    if not words:
        return svg.strip()
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return re.sub(r"(<svg\b[^>]*>)", rf"\1<title>{words}</title>", svg.strip(), count=1)
