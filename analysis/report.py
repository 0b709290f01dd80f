"""What the report notebooks call: open the pack, then ask for blocks and show them.

Every function returns data or an object (a :class:`~analysis.tables.Table`,
a :class:`~analysis.display.Figure`, a heading or text); ``show`` puts them on
the page. The notebooks decide the headings, the narrative and the order.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import tables
from analysis.config import project_paths
from analysis.display import (
    Bullets,
    Figure,
    Heading,
    Markdown,
    Orientation,
    PageBreak,
    Paragraph,
    show,
)
from analysis.formatting import UNIT_AXIS
from analysis.pack import Pack, build_pack, resolve_quarter
from analysis.results import IndicatorResult
from analysis.sentences import indicator as narrative
from analysis.sentences import pages as words
from analysis.tables import Table
from analysis.validation import load_project

__all__ = ["Pack", "Table", "heading", "open_pack", "section", "show"]

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def open_pack(
    project: str | Path = ".",
    quarter: str | None = None,
    as_of: str | None = None,
    data_dir: str | None = None,
    council_config: str | None = None,
    published: bool = False,
    pack_file: str | None = None,
    subset: str | None = None,
) -> Pack:
    """Load and check the project's data and compute the quarter's pack (for notebooks).

    ``published`` withholds small counts (see :mod:`analysis.disclosure`).
    ``pack_file`` is the pack ``outturn run`` has already computed for this run
    (a pickle in a private temporary folder): when it is for the same quarter
    and build, it is used instead of computing the pack again in every notebook.
    ``subset`` names a committee's or portfolio's pack (``committee:NAME`` or
    ``portfolio:NAME``, see :mod:`analysis.committees`): its indicators only.
    """
    from analysis.display import install
    from analysis.pack import apply_subset

    install()
    cached = _cached_pack(pack_file, quarter, published, subset)
    if cached is not None:
        return cached
    data = load_project(project_paths(project, data_dir or None, council_config or None))
    if published:
        from analysis.disclosure import published_data

        data = published_data(data)
    period = resolve_quarter(data, quarter or None, as_of or None)
    return apply_subset(build_pack(data, period, as_of or None, published), subset)


def _cached_pack(
    pack_file: str | None, quarter: str | None, published: bool, subset: str | None = None
) -> Pack | None:
    if not pack_file or not Path(pack_file).is_file():
        return None
    import pickle

    with open(pack_file, "rb") as handle:
        pack = pickle.load(handle)  # noqa: S301 - written by this run of outturn, not user input
    same_quarter = not quarter or pack.quarter.label == quarter
    if not same_quarter or pack.published != published:
        return None
    made_for = pack.subset.spec if getattr(pack, "subset", None) is not None else ""
    if subset is not None and subset != made_for:  # a notebook without the parameter takes it
        return None
    return pack


# --- page structure ------------------------------------------------------------------------


def heading(text: str, level: int = 2, anchor: str | None = None) -> Heading:
    """Return a heading the table of contents lists (level 2) or a part of a section (level 3)."""
    return Heading(text, level, anchor)


def section(title: str, content: object, level: int = 3) -> list:
    """Return a heading and its content, or nothing at all when the content is empty."""
    if content is None or content == "" or content == [] or getattr(content, "empty", False):
        return []
    return [Heading(title, level), content]


def indicator_heading(item: IndicatorResult) -> Heading:
    """Return an exception report's heading: the indicator's short title, anchored by its id.

    A printed page starts each exception report on a new sheet (class ``indicator``).
    """
    return Heading(item.indicator.short_title, 2, item.id, ("indicator",))


def page_title(pack: Pack, page: str) -> Heading:
    """Return the page's level-1 heading (``Blackpool performance report, 2017-18 Q3: ...``)."""
    return Heading(f"{pack.title}: {page}", 1)


def result(pack: Pack, indicator_id: str) -> IndicatorResult:
    """One indicator's computed result (everything the report says about it)."""
    return pack.result(indicator_id)


def _result(pack: Pack, item: str | IndicatorResult) -> IndicatorResult:
    return item if isinstance(item, IndicatorResult) else pack.result(item)


# --- overview ------------------------------------------------------------------------------


def overview_summary(pack: Pack) -> list[Paragraph]:
    """How many indicators, how many exceptions and which, and the rule and tolerance used."""
    return [Paragraph(text) for text in words.overview_summary(pack)]


def overview_table(pack: Pack) -> Table | list:
    """Return the scorecard: every indicator with a figure, its target, arrows and SPC readings.

    With more than one group (``report.group_by``, default the indicators' priority) the rows
    are split into one table per group, each under its heading with a subtotal line.
    """
    return grouped(pack, tables.overview_table(pack))


def grouped(pack: Pack, table: Table) -> Table | list:
    """Return the overview table, or one per group (heading, table, subtotal) when several."""
    parts = tables.overview_groups(pack, table)
    if len(parts) == 1:
        return table
    field = pack.data.council.group_by
    blocks: list = []
    for name, part in parts:
        results = [
            pack.results[i]
            for i in pack.reported
            if (tables.group_of(pack.results[i], field) or "Other indicators") == name
        ]
        blocks += [Heading(name, 2), part, Paragraph(words.group_subtotal(results))]
    return blocks


def rag_summary(pack: Pack) -> list[Paragraph]:
    """Return the overview's headline counts with their denominators (none when RAG is off)."""
    text = words.rag_headline(pack)
    return [Paragraph(text)] if text else []


def rag_key(pack: Pack) -> list:
    """Return the RAG key, printed once under the overview (nothing when RAG is off)."""
    rule = pack.data.council.rag
    if rule is None:
        return []
    return [tables.rag_key(rule.describe())]


def out_of_date(pack: Pack) -> list:
    """List the indicators whose latest figure is older than their frequency allows."""
    found = words.out_of_date(pack)
    if not found:
        return []
    intro = Paragraph(
        "Out of date: these indicators' latest figures are older than their frequency allows "
        f"for {pack.quarter.label} (in the scorecard, such a figure's period is marked "
        f"'{tables.OUT_OF_DATE}')."
    )
    return [intro, Bullets(tuple(found))]


SCREEN_DETAIL = ("Better to be", "Period", "National quartile (rank)", "Year-end projection")
"""Scorecard columns a screen shows in a second table, so the first fits 1280 pixels."""


def overview_tables(pack: Pack) -> list:
    """Return the scorecard for a screen: arrows and SPC in one table, then the other columns.

    Every column of :func:`overview_table` is shown: the first table (the
    figure, target, direction of travel, SPC and exception) fits a 1280-pixel
    screen; the second gives each indicator's polarity, period, national rank
    and projected year-end. The documents print the whole scorecard as one
    table on landscape pages.
    """
    full = tables.overview_table(pack)
    frame, head = full.frame, full.row_header
    detail = [c for c in frame.columns if c in SCREEN_DETAIL]
    if frame.empty or not detail:
        return [full]
    main = Table(frame.drop(columns=detail), full.caption, head, full.numeric)
    caption = f"{full.caption}: polarity, period, national rank and year-end projection"
    return [grouped(pack, main), Table(frame[[head, *detail]], caption, head)]


def not_reported(pack: Pack) -> Table:
    """Catalogue indicators with no figure this quarter (listed, never dropped)."""
    return tables.not_reported_table(pack)


def also_commented(pack: Pack) -> list:
    """Commentary written for indicators that are not exceptions this quarter."""
    blocks = []
    for r in pack.commented_results:
        blocks += [Heading(r.indicator.short_title, 3), *commentary(pack, r), *_service(r)]
    return blocks


# --- one indicator -------------------------------------------------------------------------


def indicator_summary(item: IndicatorResult) -> list[Paragraph]:
    """Return the indicator's full title, which way is better, its unit, and why it is reported."""
    out = [Paragraph(item.indicator.title), Paragraph(narrative.polarity_and_unit(item))]
    reason = narrative.why_reported(item)
    return out + ([Paragraph(reason)] if reason else [])


def rag_status(item: IndicatorResult) -> Paragraph | None:
    """Return the indicator's RAG status and why (nothing when RAG is off)."""
    if not item.rag_on:
        return None
    words_, _, meaning = tables.RAG_MARKS.get(item.rag or "", tables.RAG_MARKS[""])
    why = item.rag_reason or meaning
    return Paragraph(f"{words_}: {why}.", strong="RAG status:")


def indicator_metadata(item: IndicatorResult) -> Table | None:
    """Return the short 'about this indicator' block (owner, definition, source...), or None."""
    found = tables.metadata_table(item)
    return None if found.empty else found


def history_table(item: IndicatorResult) -> Table:
    """Return the papers' history table: earlier year-ends, this year so far, the target."""
    return tables.history_table(item)


def dot_table(item: IndicatorResult) -> Table:
    """Direction of travel against each comparison, with baselines and changes."""
    return tables.dot_table(item)


def rank(pack: Pack, item: IndicatorResult) -> Paragraph | None:
    """Return the national rank among all English councils, when DfE publishes one."""
    text = narrative.rank_sentence(item, pack.council_name)
    return Paragraph(text) if text else None


def what_the_figures_say(item: IndicatorResult) -> Bullets:
    """SPC reading, forecast, projected year-end and when the trend reaches the neighbours."""
    return Bullets(tuple(narrative.what_the_figures_say(item)))


def _sources(pack: Pack, indicator_id: str) -> str:
    used = pack.values.loc[pack.values["indicator_id"] == indicator_id, "source"].dropna()
    titles = [str(pack.data.sources.get(s, {}).get("title", s)) for s in sorted(set(used))]
    return "; ".join(titles)


def _fan_frame(item: IndicatorResult) -> pd.DataFrame | None:
    from analysis.series import period_of

    if not item.forecast_drawn:
        return None
    frame = item.forecast.frame.copy()
    frame["date"] = [pd.Timestamp(period_of(p).end_date) for p in frame["period"]]
    return frame


def trajectory_frame(item: IndicatorResult) -> pd.DataFrame | None:
    """Return the profiled target as points to draw (``date``, ``period``, ``value``), or None."""
    if not item.trajectory:
        return None
    return pd.DataFrame(
        [
            {"date": pd.Timestamp(p.end_date), "period": p.label, "value": v}
            for p, v in item.trajectory
        ]  # fmt: skip
    )


def chart(pack: Pack, item: str | IndicatorResult) -> Figure | Paragraph:
    """Return the council against its statistical neighbours and England, with target and forecast.

    A count is drawn alone: another area's number is on another scale.
    """
    from analysis.charts import history_chart

    item = _result(pack, item)
    ind = item.indicator
    frame = item.chart
    if frame.dropna(subset=["value"]).empty:
        return Paragraph("No series to chart.")
    count = ind.unit == "count"
    title = ind.short_title if count else f"{ind.short_title}, {pack.council_name} vs comparators"
    drawn = history_chart(
        frame.drop(columns=["count", "status"]),
        title=title,
        unit_label=UNIT_AXIS.get(ind.unit, ind.unit),
        source=_sources(pack, ind.id),
        target=None if item.trajectory else item.target_value,
        fan=_fan_frame(item),
        band=item.band,
        area=pack.council_name,
        count=count,
        breaks=ind.breaks,
        trajectory=trajectory_frame(item),
    ).properties(name=f"{ind.id}-history")
    caption = (
        "Shaded band: the range of the statistical neighbours, lowest to highest."
        if not item.band.empty and not count
        else ""
    )
    return Figure(drawn, caption)


def spc_chart(pack: Pack, item: str | IndicatorResult) -> Figure | None:
    """Return the XmR chart of the council's series (nothing when it is too short for SPC)."""
    from analysis.spc_charts import spc_chart as draw

    item = _result(pack, item)
    if item.spc.frame is None or not item.spc.judged:
        return None
    ind = item.indicator
    drawn = draw(
        item.spc.frame,
        title=f"{ind.short_title}: statistical process control",
        unit_label=UNIT_AXIS.get(ind.unit, ind.unit),
        target=spc_target(item),
        source=f"{pack.council_name} figures as reported",
        area=pack.council_name,
    ).properties(name=f"{ind.id}-spc")
    return Figure(drawn)


def spc_target(item: IndicatorResult) -> float | None:
    """Return the target SPC assurance was judged against (the trajectory's, else the year's)."""
    from analysis.results import trajectory_value

    found = trajectory_value(item.target, item.series)
    return item.target_value if found is None else found


def commentary(pack: Pack, item: IndicatorResult) -> list:
    """Return the service's commentary as written (made safe), or a note that none was supplied.

    With ``report.draft_commentary: replace`` the generated draft stands in its
    place (see :func:`draft_commentary`), so this returns nothing.
    """
    from analysis.commentary import NO_COMMENTARY, safe_markdown

    if pack.data.council.draft_commentary == "replace":
        return []
    found = item.commentary
    if found is None or found.is_empty:
        return [Paragraph(NO_COMMENTARY)]
    return [Markdown(safe_markdown(found.commentary))] if found.commentary.strip() else []


def _service(item: IndicatorResult) -> list:
    found = service_response(item)
    return section("Service response", found, 4) if found else []


def service_response(item: IndicatorResult) -> Markdown | None:
    """Say what the service is doing about it, as written (made safe), or None."""
    from analysis.commentary import safe_markdown

    found = item.commentary
    if found is None or not found.service_response.strip():
        return None
    return Markdown(safe_markdown(found.service_response))


def draft_commentary(pack: Pack, item: IndicatorResult) -> Paragraph | None:
    """Return the generated draft paragraph, unless ``report.draft_commentary`` is off."""
    mode = pack.data.council.draft_commentary
    if mode == "off":
        return None
    text = narrative.draft_commentary(item)
    return Paragraph(text) if text else None


def data_notes(item: IndicatorResult) -> Bullets | None:
    """Return notes about the data (definitions, revisions, other sources' figures), or None."""
    notes = (*item.indicator.notes, *item.notes)
    return Bullets(notes) if notes else None


def table(frame: pd.DataFrame, caption: str = "", row_header: str | None = None) -> Table:
    """Any data frame as a report table with a caption (first column as row headers if named)."""
    return Table(frame.astype(str), caption, row_header)


# --- methods and data pages ----------------------------------------------------------------


def neighbour_list(pack: Pack) -> list:
    """Which statistical neighbours, from which model, and how their average is taken."""
    return [Paragraph(words.neighbour_source(pack)), tables.neighbour_table(pack)]


def comparator_groups(pack: Pack) -> list:
    """Which group each indicator is compared with, its councils and how they are averaged."""
    return [
        Paragraph(
            "Each indicator is compared with one group of councils: its statistical neighbours "
            "unless the catalogue names another group (comparator: in indicators.yml). Each "
            "comparison says how many of the group's councils had a figure; when fewer than "
            "half did, the comparison is shown but not judged."
        ),
        tables.comparator_groups_table(pack),
    ]


def neighbour_years(pack: Pack) -> list:
    """Which neighbour list gives the neighbour figures for which years, and how many had data."""
    frame, note = tables.neighbour_years(pack)
    if frame.empty:
        return [Paragraph("No statistical-neighbour figures in the data.")]
    out = [Table(frame, "Neighbour model by year", row_header="Years")]
    return out + ([Paragraph(note)] if note else [])


def sources(pack: Pack) -> list:
    """Every source the data cites, with publisher, date and licence, and the licence line."""
    items = []
    for sid, s in pack.data.sources.items():
        bits = [str(s.get("title", sid))] + [
            str(s[k]) for k in ("publisher", "published", "licence") if s.get(k)
        ]
        items.append(f"{sid}: {'; '.join(bits)}")
    return [Bullets(tuple(items)), Paragraph(OGL)]


def definitions(pack: Pack) -> Table | Paragraph:
    """Return the definitions appendix: what each indicator counts, its source and owner."""
    found = tables.definitions_table(pack)
    return Paragraph("No indicators in this report.") if found.empty else found


def rag_method(pack: Pack) -> list[Paragraph]:
    """Say how indicators are rated red, amber or green this quarter, or that RAG is off."""
    return [Paragraph(text) for text in words.rag_method(pack)]


def backtest_table(pack: Pack) -> Table | Paragraph:
    """Each reported indicator's forecast method and its measured past accuracy."""
    found = tables.backtest_table(pack)
    return Paragraph("No forecasts this quarter.") if found.empty else found


def validation_summary(pack: Pack) -> list:
    """Say what was checked: files, rows, indicators and areas read."""
    return [Paragraph(t) for t in words.validation_summary(pack)] + [tables.validation_table(pack)]


def revisions(pack: Pack) -> Table | Paragraph:
    """Return the council's revised figures: first published and latest."""
    found = tables.revisions_table(pack)
    return Paragraph("No revised figures.") if found.empty else found


def withheld(pack: Pack) -> Table | Paragraph:
    """Values withheld by their publisher, with the marker as published."""
    found = tables.withheld_table(pack)
    return Paragraph("No withheld values among the figures used.") if found.empty else found


def disclosure_note(pack: Pack) -> Paragraph:
    """Say what this build withholds (internal: nothing; published: small counts)."""
    return Paragraph(words.disclosure_note(pack.published, pack.data.council.suppress_below))


def no_exceptions(pack: Pack) -> Paragraph | None:
    """Return a sentence when no indicator needs an exception report this quarter, else None."""
    text = words.no_exceptions(pack)
    return Paragraph(text) if text else None


def breakdowns(item: IndicatorResult) -> list:
    """Return the indicator's breakdowns for the quarter as tables, each total checked.

    A breakdown of a count gets a total row and a sentence saying whether the
    total agrees with the headline figure of the history table.
    """
    out: list = []
    for found in item.breakdowns:
        out.append(tables.breakdown_table(found))
        out += [Paragraph(text) for text in narrative.breakdown_total_sentence(found)]
    return out


# --- the Word and PDF documents ------------------------------------------------------------


def for_documents() -> None:
    """Show what follows for the Word and PDF documents, not the web pages.

    Charts become PNG images with their description printed under them, tables
    carry column widths, a wide table's arrows stand alone (the key gives their
    words), and :func:`page_break` and :func:`landscape` take effect.
    """
    from analysis.display import use_medium

    use_medium("document")


def page_break() -> PageBreak:
    """Return a new page in the documents (nothing on a web page)."""
    return PageBreak()


def landscape(on: bool = True) -> Orientation:
    """Return a switch to landscape pages (``on``) or back to portrait, in the documents."""
    return Orientation(on)


def title_block(pack: Pack) -> list[Paragraph]:
    """Return the documents' title block: council, committee, quarter and date produced.

    The date is when the newest of the quarter's figures was published
    (:func:`analysis.documents.report_date`), so a rebuild gives the same document.
    """
    from analysis.documents import long_date, quarter_months, report_date

    c = pack.data.council
    out = [Paragraph(c.council.name, strong="Council:")]
    if c.committee:
        out.append(Paragraph(c.committee, strong="Committee:"))
    out.append(Paragraph(f"{pack.quarter.label} ({quarter_months(pack.quarter)})", "Quarter:"))
    day = report_date(pack)
    if day is not None:
        out.append(
            Paragraph(
                f"{long_date(day)} (the date the newest of this quarter's figures was published)",
                strong="Date produced:",
            )
        )
    if pack.as_of:
        out.append(Paragraph(f"figures published on or before {pack.as_of}", strong="As of:"))
    build = (
        f"for publication (counts from 1 to {c.suppress_below - 1} are withheld, shown as k)"
        if pack.published
        else f"internal (every figure is shown, including counts below {c.suppress_below}; "
        "not for publication)"
    )
    out.append(Paragraph(build, strong="Build:"))
    return out


def key() -> Table:
    """Return the key to every symbol and badge of the scorecard, in words."""
    return tables.key_table()


def methods_summary(pack: Pack) -> list[Paragraph]:
    """Say briefly how the figures are compared, read and forecast (the documents' methods)."""
    return [Paragraph(text) for text in words.methods_summary(pack)]
