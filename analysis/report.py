"""Report building blocks the notebooks call: each returns HTML for one part of a page."""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from analysis.comparison import COMPARISONS
from analysis.config import project_paths
from analysis.formatting import (
    COMPARISON_LABELS,
    UNIT_LABELS,
    dot_html,
    format_change,
    format_value,
    html_table,
)
from analysis.loading import SN_CODE
from analysis.pack import (
    Pack,
    build_pack,
    chart_frame,
    has_months,
    history_columns,
    national_rank,
    neighbour_range,
    resolve_quarter,
)
from analysis.sentences import forecast_note
from analysis.series import value_at
from analysis.validation import load_project

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def open_pack(
    project: str | Path = ".",
    quarter: str | None = None,
    as_of: str | None = None,
    data_dir: str | None = None,
    council_config: str | None = None,
    published: bool = False,
    pack_file: str | None = None,
) -> Pack:
    """Load and check the project's data and compute the quarter's pack (for notebooks).

    ``published`` withholds small counts (see :mod:`analysis.disclosure`).
    ``pack_file`` is the pack ``outturn run`` has already computed for this run
    (a pickle it wrote to a private temporary folder): when it exists and is for
    the same quarter and build, it is used instead of computing the pack again
    in every notebook.
    """
    cached = _cached_pack(pack_file, quarter, published)
    if cached is not None:
        return cached
    data = load_project(project_paths(project, data_dir or None, council_config or None))
    if published:
        from analysis.disclosure import published_data

        data = published_data(data)
    pack = build_pack(data, resolve_quarter(data, quarter or None), as_of or None)
    pack.extras["published"] = published
    return pack


def _cached_pack(pack_file: str | None, quarter: str | None, published: bool) -> Pack | None:
    if not pack_file or not Path(pack_file).is_file():
        return None
    import pickle

    with open(pack_file, "rb") as handle:
        pack = pickle.load(handle)  # noqa: S301 - written by this run of outturn, not user input
    same_quarter = not quarter or pack.quarter.label == quarter
    if not same_quarter or pack.extras.get("published", False) != published:
        return None
    return pack


def page_title(pack: Pack, page: str) -> str:
    """Return the page's one ``h1``."""
    return (
        f"<h1>{html.escape(pack.council_name)} performance report, {pack.quarter.label}: "
        f"{html.escape(page)}</h1>"
    )


def show(markup: str) -> None:
    """Display HTML in a notebook's output."""
    from IPython.display import HTML, display

    display(HTML(markup))


def _rows(pack: Pack, indicator_id: str) -> pd.DataFrame:
    card = pack.scorecard
    return card[card["indicator_id"] == indicator_id].set_index("comparison")


def _target_text(pack: Pack, indicator_id: str) -> str:
    ind = pack.indicator(indicator_id)
    target = ind.target_for(pack.quarter)
    if target is None:
        return "No target recorded"
    if target.rule == "value":
        return target.text or format_value(
            target.value, ind, target.count if target.count is not None else math.nan
        )
    return target.describe


def overview_summary(pack: Pack) -> str:
    """Write the opening paragraph: how many indicators, how many exceptions, and the rule used."""
    from analysis.comparison import RULE_TEXT

    rule = " or ".join(
        RULE_TEXT.get(r, r.replace("_", " ")) for r in pack.data.council.exception_rule
    )
    names = [pack.indicator(i).short_title for i in pack.exceptions]
    listed = "; ".join(html.escape(n) for n in names) if names else "none"
    missing = len(pack.not_reported)
    text = (
        f"<p>{len(pack.reported)} indicators have a figure for {pack.quarter.label}. "
        f"<strong>{len(names)} need an exception report</strong> ({listed}). "
        f"An indicator is an exception when it is {html.escape(rule)}.</p>"
    )
    tolerance = pack.data.council.tolerance
    if tolerance.amount > 0:
        text += (
            f"<p>Changes of {tolerance.describe()} or less (of the earlier figure, for a "
            "percentage) are shown as the same; targets take no tolerance.</p>"
            if tolerance.relative
            else f"<p>Changes of {tolerance.describe()} or less (in each indicator's unit) are "
            "shown as the same; targets take no tolerance.</p>"
        )
    if missing:
        text += (
            f"<p>{missing} catalogue indicators have no figure this quarter and are not shown.</p>"
        )
    return text


def overview_table(pack: Pack) -> str:
    """Render the scorecard as the papers' appendix table: value, target and arrows with words."""
    rows = []
    for ind_id in pack.reported:
        ind = pack.indicator(ind_id)
        r = _rows(pack, ind_id)
        first = r.iloc[0]
        obs = value_at(pack.index, ind, pack.council_code, _period(first["period"]))
        row = {
            "Indicator": ind.short_title,
            "Better to be": (ind.better or "context").capitalize(),
            "Period": first["period"],
            "Value": format_value(first["value"], ind, obs.count if obs else math.nan),
            "Target": _target_text(pack, ind_id),
        }
        for comp in COMPARISONS:
            row[COMPARISON_LABELS[comp]] = dot_html(
                r.at[comp, "direction"], r.at[comp, "judgement"]
            )
        row["SPC signal"] = signal_html(
            first.get("signal", ""), first.get("signal_rule", ""), ind.better
        )
        row["SPC assurance"] = assurance_html(first.get("assurance", ""))
        row["National quartile (rank)"] = rank_text(pack, ind_id)
        row["Year-end projection"] = year_end_text(pack, ind_id)
        row["Exception"] = "Yes" if first["exception"] else "No"
        rows.append(row)
    frame = pd.DataFrame(rows)
    raw = (*(COMPARISON_LABELS[c] for c in COMPARISONS), "SPC signal", "SPC assurance")
    return html_table(
        frame, caption=f"Scorecard, {pack.quarter.label}", raw_columns=raw, row_header="Indicator"
    )


def _period(label: str):
    from analysis.series import period_of

    return period_of(label)


def history_table(pack: Pack, indicator_id: str) -> str:
    """Render the papers' history table: past year-ends, this year's quarters or months, target."""
    ind = pack.indicator(indicator_id)
    cols = history_columns(ind, pack.quarter, has_months(pack, indicator_id))
    cells = {}
    for p in cols:
        obs = value_at(pack.index, ind, pack.council_code, p)
        label = f"{p.label} (year-end)" if p.freq == "year" else p.label
        cells[label] = format_value(obs.value, ind, obs.count, obs.status) if obs else "-"
    cells["Target " + pack.quarter.year().label] = _target_text(pack, indicator_id)
    frame = pd.DataFrame([cells])
    return html_table(frame, caption=f"{ind.short_title}: history")


def dot_table(pack: Pack, indicator_id: str) -> str:
    """Direction of travel for one indicator: each comparison with its baseline and change."""
    ind = pack.indicator(indicator_id)
    r = _rows(pack, indicator_id)
    rows = []
    for comp in COMPARISONS:
        x = r.loc[comp]
        target = ind.target_for(pack.quarter)
        count_target = (
            comp == "target" and target is not None and target.rule == "value"
            and target.value is None and target.count is not None
        )  # fmt: skip
        # a count-only month, or a target set on the number: counts, not rates
        numbers = x.get("basis") == "number" or count_target
        base, change = x["baseline_value"], x["change"]
        rows.append(
            {
                "Compared with": COMPARISON_LABELS[comp],
                "Baseline period": x["baseline_period"],
                "Baseline": (f"{base:,.0f}" if numbers and not math.isnan(base) else "")
                or format_value(base, ind)
                or "n/a",
                "Change": f"{change:+,.0f}"
                if numbers and not math.isnan(change)
                else format_change(change, ind),
                "Direction of travel": dot_html(x["direction"], x["judgement"]),
                "Note": x["note"] if isinstance(x["note"], str) else "",
            }
        )
    return html_table(
        pd.DataFrame(rows),
        caption="Direction of travel",
        raw_columns=("Direction of travel",),
        row_header="Compared with",
    )


SIGNAL_TEXT = {
    "special_cause_improvement": (
        "Improvement",
        "signal-better",
        "special-cause variation, improvement",
    ),
    "special_cause_concern": ("Concern", "signal-worse", "special-cause variation, concern"),
    "special_cause_neutral": ("Change", "signal-neutral", "special-cause variation"),
    "common_cause": ("Common cause", "signal-common", "common-cause variation (noise)"),
    "too_short": ("Too short", "signal-short", "too few points for SPC"),
}
ASSURANCE_TEXT = {
    "consistently_passing": (
        "Passing",
        "signal-better",
        "P",
        "the process limits are all on the right side of the target: it will consistently meet it",
    ),
    "consistently_failing": (
        "Failing",
        "signal-worse",
        "F",
        "the process limits are all on the wrong side of the target: "
        "it will not meet it without a change in the process",
    ),
    "hit_or_miss": (
        "Hit or miss",
        "signal-neutral",
        "?",
        "the target lies between the process limits: it will be met in some "
        "periods and missed in others",
    ),
    "no_target": (
        "Not assessed",
        "signal-short",
        "",
        "no numeric target on this measure (or no better direction) to judge assurance against",
    ),
}


def _icon(letter: str) -> str:
    """Draw a Making Data Count style round icon; decorative, the badge's text says the same."""
    if not letter:
        return ""
    return (
        '<svg class="mdc-icon" aria-hidden="true" focusable="false" viewBox="0 0 20 20" '
        'width="18" height="18"><circle cx="10" cy="10" r="9.5" fill="currentColor"/>'
        '<text x="10" y="14.5" text-anchor="middle" font-size="13" font-weight="bold" '
        f'font-family="Arial, sans-serif" fill="#fff">{html.escape(letter)}</text></svg>'
    )


def _variation_letter(signal: str, better: str | None) -> str:
    """H or L for a special cause (higher or lower than expected), a dash for noise."""
    if signal == "common_cause":
        return "\u2013"
    if signal in ("special_cause_improvement", "special_cause_concern") and better:
        high = (better == "high") == (signal == "special_cause_improvement")
        return "H" if high else "L"
    return ""


def signal_html(signal: str, rule: str = "", better: str | None = None) -> str:
    """Render the SPC signal as a labelled badge with its icon (text, not colour alone)."""
    if not signal or signal not in SIGNAL_TEXT:
        return ""
    label, css, words = SIGNAL_TEXT[signal]
    title = f"{words}; rule: {rule.replace('_', ' ')}" if rule else words
    icon = _icon(_variation_letter(signal, better))
    return f'<span class="signal {css}" title="{html.escape(title)}">{icon}{label}</span>'


def assurance_html(assurance: str) -> str:
    """SPC assurance against the target as a labelled badge with its P / F / ? icon."""
    if not assurance or assurance not in ASSURANCE_TEXT:
        return '<span class="signal signal-short" title="too few points for SPC">n/a</span>'
    label, css, letter, words = ASSURANCE_TEXT[assurance]
    return f'<span class="signal {css}" title="{html.escape(words)}">{_icon(letter)}{label}</span>'


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(pack: Pack, indicator_id: str) -> str:
    """``D: 152nd of 152 (2016-17)``: LAIT's quartile band and the national rank, 1 = best."""
    found = national_rank(pack, indicator_id)
    if found is None:
        return ""
    if found["rank"] is None:
        # a count grows with the council's size; a context measure has no better end
        why = "a count" if pack.indicator(indicator_id).unit == "count" else "context measure"
        return f"Not ranked ({why})"
    band = f"{found['quartile']}: " if found["quartile"] not in ("", "-") else ""
    return f"{band}{_ordinal(found['rank'])} of {found['of']} ({found['period']})"


def rank_sentence(pack: Pack, indicator_id: str) -> str:
    """Write a sentence for the exception page: the national rank and what the band means."""
    found = national_rank(pack, indicator_id)
    if found is None or found["rank"] is None:
        return ""
    name = html.escape(pack.council_name)
    band = found["quartile"]
    meaning = {
        "A": "the best quarter of councils",
        "B": "the second quarter",
        "C": "the third quarter",
        "D": "the worst quarter of councils",
    }.get(band, "")
    tail = f", quartile band {band} ({meaning})" if meaning else ""
    return (
        f"<p><strong>Nationally:</strong> {name} ranked {_ordinal(found['rank'])} of "
        f"{found['of']} councils in {found['period']} (1 = best){tail}, from DfE's "
        "published figures.</p>"
    )


def year_end_text(pack: Pack, indicator_id: str) -> str:
    """Return the projected year-end outturn with its interval, or empty."""
    ye = pack.insight(indicator_id).year_end
    if ye is None or ye.estimate is None or math.isnan(ye.estimate):
        return ""
    ind = pack.indicator(indicator_id)
    return (
        f"{format_value(ye.estimate, ind)} ({format_value(ye.lower, ind)} to "
        f"{format_value(ye.upper, ind)})"
    )


def year_end_sentence(pack: Pack, indicator_id: str) -> str:
    """Say the projected year-end in the indicator's own format (``10,860``, ``64.2%``)."""
    from analysis import sentences

    ye = pack.insight(indicator_id).year_end
    if ye is None:
        return ""
    ind = pack.indicator(indicator_id)
    return sentences.year_end_sentence(ye, lambda v: format_value(v, ind))


def insight_sentences(pack: Pack, indicator_id: str) -> str:
    """Say what the figures show beyond the arrows: SPC, year-end projection, benchmark crossing."""
    from analysis import sentences
    from analysis.insights import unreliable

    found = pack.insight(indicator_id)
    ind = pack.indicator(indicator_id)
    items = [sentences.spc_sentence(found.variation, ind.unit, ind.decimals)]
    if found.fan is not None:
        why_not = unreliable(found.fan)
        if why_not:
            method = forecast_note(found.fan).split(";")[0]
            items.append(
                f"No forecast shown: past forecasts of this series ({method}) missed "
                f"too often; {why_not}."
            )
        else:
            items.append(
                f"Forecast: {forecast_note(found.fan)}."
                if found.fan.ok
                else f"No forecast: {forecast_note(found.fan)}."
            )
    shaky = found.fan is not None and bool(unreliable(found.fan))
    if found.year_end is not None and not (shaky and found.year_end.method == found.fan.method):
        items.append(year_end_sentence(pack, indicator_id))
    if found.crossing is not None and not shaky:  # the same trend, extrapolated further
        items.append(sentences.crossing_sentence(found.crossing))
    lis = "".join(f"<li>{html.escape(t)}</li>" for t in items if t)
    return f'<h3>What the figures say</h3><ul class="insights">{lis}</ul>'


def spc_section(pack: Pack, indicator_id: str) -> str:
    """Draw the SPC (XmR) chart of the council's series (nothing when it is too short)."""
    from analysis.charts import chart_html
    from analysis.spc_charts import spc_chart

    ind = pack.indicator(indicator_id)
    found = pack.insight(indicator_id)
    if found.spc is None or found.variation.get("signal") == "too_short":
        return ""  # "What the figures say" already gives the reason (too few points)
    unit = UNIT_LABELS.get(ind.unit, ind.unit)
    chart = spc_chart(
        found.spc,
        title=f"{ind.short_title}: statistical process control",
        unit_label="Per cent" if unit == "%" else unit.capitalize(),
        target=pack.target_value(indicator_id),
        source=f"{pack.council_name} figures as reported",
    )
    return chart_html(chart)


def _fan_frame(pack: Pack, indicator_id: str) -> pd.DataFrame | None:
    from analysis.insights import unreliable
    from analysis.series import period_of

    fan = pack.insight(indicator_id).fan
    if fan is None or not fan.ok or unreliable(fan):
        return None
    frame = fan.frame.copy()
    frame["date"] = [pd.Timestamp(period_of(p).end_date) for p in frame["period"]]
    return frame


def indicator_chart(pack: Pack, indicator_id: str) -> str:
    """Draw the council vs neighbours vs England chart, with the target, as inline SVG."""
    from analysis.charts import chart_html, history_chart  # altair only where charts are drawn

    ind = pack.indicator(indicator_id)
    frame = chart_frame(pack, indicator_id)
    if frame.dropna(subset=["value"]).empty:
        return "<p>No series to chart.</p>"
    band = neighbour_range(pack, indicator_id)
    target = ind.target_for(pack.quarter)
    target_value = target.value if target is not None and target.rule == "value" else None
    unit = UNIT_LABELS.get(ind.unit, ind.unit)
    sources = sorted(
        set(pack.values.loc[pack.values["indicator_id"] == indicator_id, "source"].dropna())
    )
    source = ", ".join(str(pack.data.sources.get(s, {}).get("title", s)) for s in sources)
    chart = history_chart(
        frame.drop(columns=["count", "status"]),
        title=f"{ind.short_title}, {pack.council_name} vs comparators",
        unit_label=unit.capitalize() if unit != "%" else "Per cent",
        source=source,
        target=target_value,
        fan=_fan_frame(pack, indicator_id),
        band=band,
    )
    caption = (
        "Shaded band: the range of the statistical neighbours, lowest to highest."
        if not band.empty
        else ""
    )
    return chart_html(chart, caption=caption)


def _commentary_block(pack: Pack, indicator_id: str) -> str:
    from analysis.narrative import commentary_block

    return commentary_block(pack, indicator_id)


def exception_section(pack: Pack, indicator_id: str) -> str:
    """One exception report: title, polarity, history table, arrows, chart, commentary."""
    ind = pack.indicator(indicator_id)
    head = (
        f'<section class="exception" id="{html.escape(ind.id)}">'
        f"<h2>{html.escape(ind.short_title)}</h2>"
        f'<p class="indicator-title">{html.escape(ind.title)}</p>'
        f"<p><strong>Better to be:</strong> {(ind.better or 'context').capitalize()}. "
        f"<strong>Unit:</strong> {html.escape(UNIT_LABELS.get(ind.unit, ind.unit))}."
        f"</p>"
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in ind.notes)
    notes_html = (
        f"<details><summary>Notes about the data</summary><ul>{notes}</ul></details>"
        if notes
        else ""
    )
    reason = _rows(pack, indicator_id).iloc[0].get("exception_reason", "")
    if reason:
        head += (
            f'<p class="exception-reason"><strong>Why it is reported:</strong> '
            f"{html.escape(str(reason).capitalize())}.</p>"
        )
    body = [
        history_table(pack, indicator_id),
        dot_table(pack, indicator_id),
        rank_sentence(pack, indicator_id),
        indicator_chart(pack, indicator_id),
        insight_sentences(pack, indicator_id),
        spc_section(pack, indicator_id),
        _commentary_block(pack, indicator_id),
        notes_html,
    ]
    return head + "".join(body) + "</section>"


def sources_list(pack: Pack) -> str:
    """Every source the data cites, with publisher, date and licence."""
    items = []
    for sid, s in pack.data.sources.items():
        bits = [html.escape(str(s.get("title", sid)))]
        for key in ("publisher", "published", "licence"):
            if s.get(key):
                bits.append(html.escape(str(s[key])))
        items.append(f"<li><code>{html.escape(sid)}</code>: {'; '.join(bits)}</li>")
    return f"<ul>{''.join(items)}</ul><p>{OGL}</p>"


def neighbour_list(pack: Pack) -> str:
    """List the statistical neighbours, their rank and closeness, and the model they come from."""
    c = pack.data.council
    frame = pd.DataFrame(
        [
            {"Rank": a.rank, "Council": a.name, "Code": a.area_code, "Closeness": a.closeness or ""}
            for a in c.neighbours
        ]
    )
    return (
        f"<p>Statistical neighbours of {html.escape(c.council.name)} from the "
        f"{html.escape(c.neighbour_model)}; the average shown is the "
        f"{html.escape(c.neighbour_average)} of those with data.</p>"
        + html_table(frame, caption="Statistical neighbours")
    )


def _year_span(years: list[int]) -> str:
    from analysis.periods import Period

    first, last = (Period(fy, "year").label for fy in (min(years), max(years)))
    return first if first == last else f"{first} to {last}"


def neighbour_years(pack: Pack) -> str:
    """Which neighbour model gives the neighbour figures for which years, and how many had data."""
    import re

    c = pack.data.council
    sn = pack.values[(pack.values["area_code"] == SN_CODE) & pack.values["value"].notna()]
    years = sorted({_period(p).fy for p in sn["period"]})
    if not years:
        return "<p>No statistical-neighbour figures in the data.</p>"
    found = re.search(r"(19|20)\d{2}", c.neighbour_model)
    published = int(found.group(0)) if found else min(years)
    groups = [
        ("before", [y for y in years if y < published]),
        ("after", [y for y in years if y >= published]),
    ]
    rows = []
    for when, ys in groups:
        if not ys:
            continue
        part = sn[[_period(p).fy in ys for p in sn["period"]]]
        computed = part[part.get("method", pd.Series("", index=part.index)) != "printed"]
        n = computed["n"].dropna().astype(int) if "n" in computed else pd.Series(dtype=int)
        with_data = (
            f"{n.min()} to {n.max()} of {len(c.neighbours)}"
            if len(n) and n.min() != n.max()
            else f"{n.max()} of {len(c.neighbours)}"
            if len(n)
            else "as printed"
        )
        note = (
            "applied to years before the model was published, so that every year is "
            "compared with the same councils"
            if when == "before"
            else "the model in force"
        )
        rows.append(
            {
                "Years": _year_span(ys),
                "Neighbour list": c.neighbour_model,
                "Neighbours with data": with_data,
                "Note": note,
            }
        )
    printed = pack.values[
        (pack.values["area_code"] == SN_CODE) & (pack.values.get("method") == "printed")
    ]
    text = ""
    if len(printed):
        text = (
            f"<p>{len(printed)} neighbour figures are as printed in the papers (DfE's model "
            "of the time), used where no neighbour in the list above has a figure.</p>"
        )
    return (
        html_table(pd.DataFrame(rows), caption="Neighbour model by year", row_header="Years") + text
    )


def validation_summary(pack: Pack) -> str:
    """Summarise what was checked: files, rows, indicators and areas read."""
    v = pack.data.values
    files = sorted(set(v["file"]))
    frame = pd.DataFrame(
        [
            {
                "File": Path(f).name,
                "Rows": int((v["file"] == f).sum()),
                "Indicators": int(v.loc[v["file"] == f, "indicator_id"].nunique()),
                "Areas": int(v.loc[v["file"] == f, "area_code"].nunique()),
            }
            for f in files
        ]
    )
    figures = (
        ""
        if pack.as_of is None
        else (f"<p>Figures published on or before {html.escape(pack.as_of)} only.</p>")
    )
    return (
        f"<p>All checks passed: {len(pack.data.catalogue)} indicators in the catalogue, "
        f"{len(v):,} value rows in {len(files)} file(s).</p>"
        + figures
        + html_table(frame, caption="Values files read")
    )


def revisions_table(pack: Pack) -> str:
    """List the council's revised figures: first published and latest, with sources."""
    from analysis.pack import pack_revisions

    rev = pack_revisions(pack)
    if rev.empty:
        return "<p>No revised figures.</p>"
    frame = pd.DataFrame(
        {
            "Indicator": [pack.indicator(i).short_title for i in rev["indicator_id"]],
            "Period": rev["period"],
            "First published": rev["first_value"].map(lambda x: f"{x:,.1f}"),
            "Source": rev["first_source"],
            "Latest": rev["latest_value"].map(lambda x: f"{x:,.1f}"),
            "Latest source": rev["latest_source"],
            "Change": rev["change"].map(lambda x: f"{x:+,.1f}"),
        }
    )
    return html_table(frame, caption="Revised figures")


def suppressed_table(pack: Pack) -> str:
    """Values withheld by their publisher, with the marker as published."""
    from analysis.formatting import STATUS_TEXT
    from analysis.pack import suppressed_values

    sup = suppressed_values(pack)
    if sup.empty:
        return "<p>No withheld values among the figures used.</p>"
    names = {
        a.area_code: a.name
        for a in [
            pack.data.council.council,
            pack.data.council.england,
            *pack.data.council.neighbours,
        ]
    }
    frame = pd.DataFrame(
        {
            "Indicator": sup["indicator_id"].map(lambda i: pack.indicator(i).short_title),
            "Area": sup["area_code"].map(lambda c: names.get(c, c)),
            "Period": sup["period"],
            "Shown as": [
                f"{count:,.0f}, the number only (no rate published)"
                if pd.notna(count)
                else STATUS_TEXT.get(status, status)
                for status, count in zip(sup["status"], sup["count"], strict=True)
            ],
            "Source": sup["source"],
        }
    )
    return html_table(frame, caption="Withheld values")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def backtest_table(pack: Pack) -> str:
    """Each reported indicator's forecast method and its measured past accuracy."""
    from analysis.sentences import method_words

    rows = []
    for ind_id in pack.reported:
        fan = pack.insight(ind_id).fan
        if fan is None:
            continue
        rows.append(
            {
                "Indicator": pack.indicator(ind_id).short_title,
                "Method": _sentence_case(method_words(fan.method)) if fan.method else "none",
                "Points used": fan.n_points,
                "MASE (error ÷ typical one-step change)": ""
                if not fan.ok or math.isnan(fan.mase)
                else f"{fan.mase:.2f}",
                "Past outcomes inside the 80% interval": ""
                if not fan.ok or math.isnan(fan.coverage)
                else f"{fan.coverage:.0%}",
                "Note": forecast_note(fan),
            }
        )
    if not rows:
        return "<p>No forecasts this quarter.</p>"
    return html_table(
        pd.DataFrame(rows), caption="Forecast back-tests (rolling origin)", row_header="Indicator"
    )
