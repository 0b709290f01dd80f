"""The report's tables as data: each builder returns a :class:`Table`, never markup."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.breakdowns import Breakdown
from analysis.comparison import COMPARISONS
from analysis.formatting import (
    COMPARISON_LABELS,
    PREVIOUS,
    STATUS_TEXT,
    dot_symbols,
    dot_words,
    format_change,
    format_number,
    format_observation,
    format_value,
    ordinal,
    sentence_case,
)
from analysis.pack import Pack, pack_revisions, suppressed_values
from analysis.results import IndicatorResult


@dataclass(frozen=True)
class Mark:
    """A symbol with the words it stands for: an arrow and tick, an SPC badge.

    ``str(mark)`` is the plain-text form (``↑ ✗ up, worse``), so a table of
    marks reads the same in a CSV or a terminal. ``tone`` is ``better``,
    ``worse``, ``same``, ``neutral`` or ``muted``; ``kind`` is ``dot`` (an
    arrow and tick or cross), ``badge`` (a word in a box, with an optional
    round ``icon`` letter as NHS Making Data Count draws them) or ``rag`` (a
    RAG status: a shape with its word printed beside it; ``tone`` is then
    ``green``, ``amber``, ``red`` or ``none``). ``title`` says more (a hover
    hint; the key on the page says it too).
    """

    words: str
    symbol: str = ""
    tone: str = "muted"
    kind: str = "dot"
    icon: str = ""
    title: str = ""

    def __str__(self) -> str:
        lead = self.symbol or self.icon
        return f"{lead} {self.words}".strip()


@dataclass(frozen=True)
class Table:
    """A table for a page: cells (text or :class:`Mark`), a caption, and which column heads rows.

    ``numeric`` names columns to align right. Use :meth:`to_frame` for the
    plain-text cells (for a CSV or a spreadsheet).
    """

    frame: pd.DataFrame
    caption: str
    row_header: str | None = None
    numeric: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the cells as plain text."""
        return self.frame.map(lambda v: "" if v is None else str(v))

    @property
    def empty(self) -> bool:
        """True when the table has no rows."""
        return self.frame.empty


def dot_mark(direction: str, judgement: str) -> Mark:
    """Return an arrow and tick or cross with its words (``↑ ✗`` / ``up, worse``)."""
    tone = judgement.replace("/", "") if direction else "muted"
    return Mark(dot_words(direction, judgement), dot_symbols(direction, judgement), tone or "muted")


SIGNAL_WORDS = {
    "special_cause_improvement": ("Improvement", "better", "special-cause variation, improvement"),
    "special_cause_concern": ("Concern", "worse", "special-cause variation, concern"),
    "special_cause_neutral": ("Change", "neutral", "special-cause variation"),
    "common_cause": ("Common cause", "muted", "common-cause variation (noise)"),
    "too_short": ("Too short", "muted", "too few points for SPC"),
}
ASSURANCE_WORDS = {
    "consistently_passing": ("Passing", "better", "P",
                             "the process limits are all on the right side of the target: "
                             "it will consistently meet it"),
    "consistently_failing": ("Failing", "worse", "F",
                             "the process limits are all on the wrong side of the target: "
                             "it will not meet it without a change in the process"),
    "hit_or_miss": ("Hit or miss", "neutral", "?",
                    "the target lies between the process limits: it will be met in some "
                    "periods and missed in others"),
    "no_target": ("Not assessed", "muted", "",
                  "no numeric target on this measure (or no better direction) to judge "
                  "assurance against"),
}  # fmt: skip


def _variation_letter(signal: str, better: str | None) -> str:
    """H or L for a special cause (higher or lower than expected), a dash for noise."""
    if signal == "common_cause":
        return "\u2013"
    if signal in ("special_cause_improvement", "special_cause_concern") and better:
        high = (better == "high") == (signal == "special_cause_improvement")
        return "H" if high else "L"
    return ""


def signal_mark(result: IndicatorResult) -> Mark | str:
    """Return the SPC signal as a badge with its H / L / dash icon (text, not colour alone)."""
    signal = result.spc.signal
    if signal not in SIGNAL_WORDS:
        return ""
    words, tone, title = SIGNAL_WORDS[signal]
    if result.spc.rule:
        title += f"; rule: {result.spc.rule.replace('_', ' ')}"
    icon = _variation_letter(signal, result.indicator.better)
    return Mark(words, tone=tone, kind="badge", icon=icon, title=title)


def assurance_mark(result: IndicatorResult) -> Mark:
    """SPC assurance against the target as a badge with its P / F / ? icon."""
    found = ASSURANCE_WORDS.get(result.spc.assurance)
    if found is None:
        return Mark("n/a", tone="muted", kind="badge", title="too few points for SPC")
    words, tone, icon, title = found
    return Mark(words, tone=tone, kind="badge", icon=icon, title=title)


def target_text(result: IndicatorResult) -> str:
    """Return the year's target as printed: ``516``, ``70%``, ``Decrease on last year``."""
    target, ind = result.target, result.indicator
    if target is None:
        return "No target recorded"
    if target.rule == "value":
        count = target.count if target.count is not None else math.nan
        year = target.text or format_value(target.value, ind, count)
        return profiled_text(result, year)
    return target.describe


def profiled_text(result: IndicatorResult, year: str) -> str:
    """``520 for 2017-18 Q3 (516 by the year-end)`` for a profiled target, else the year's."""
    found = result.target.profiled(result.current.period) if result.reported else None
    if found is None:
        return year
    when, value = found
    shown = f"{value:,.0f}" if result.target.on_count else format_value(value, result.indicator)
    return f"{shown} for {when.label} ({year} by the year-end)"


def rank_text(result: IndicatorResult) -> str:
    """``D: 152nd of 152 (2016-17)``: LAIT's quartile band and the national rank, 1 = best."""
    found = result.rank
    if found is None:
        return ""
    if found["rank"] is None:
        why = "a count" if result.indicator.unit == "count" else "context measure"
        return f"Not ranked ({why})"
    band = f"{found['quartile']}: " if found["quartile"] not in ("", "-") else ""
    return f"{band}{ordinal(found['rank'])} of {found['of']} ({found['period']})"


def year_end_text(result: IndicatorResult) -> str:
    """Return the projected year-end with its interval (``10,860 (9,900 to 11,800)``), or ''."""
    ye = result.year_end
    if ye is None or ye.estimate is None or math.isnan(ye.estimate):
        return ""
    ind = result.indicator
    if math.isnan(ye.lower):
        return format_value(ye.estimate, ind)
    return (
        f"{format_value(ye.estimate, ind)} ({format_value(ye.lower, ind)} to "
        f"{format_value(ye.upper, ind)})"
    )


def current_text(result: IndicatorResult) -> str:
    """Return the current figure as printed (``531 (185.6)``), or '' when there is none."""
    return format_observation(result.current, result.indicator) if result.reported else ""


def overview_table(pack: Pack) -> Table:
    """Return the scorecard as the papers' appendix table: value, target, arrows, SPC, words."""
    year = pack.quarter.year().label
    rows = []
    for r in (pack.results[i] for i in pack.reported):
        row = {
            "Indicator": r.indicator.short_title,
            "Better to be": (r.indicator.better or "context").capitalize(),
            "Period": r.current.period.label,
            "Value": current_text(r),
            f"Target {year}": target_text(r),
        }
        for comp in r.comparisons:
            row[f"vs {COMPARISON_LABELS[comp['comparison']].lower()}"] = dot_mark(
                comp["direction"], comp["judgement"]
            )
        row["SPC signal"] = signal_mark(r)
        row["SPC assurance"] = assurance_mark(r)
        row["National quartile (rank)"] = rank_text(r)
        row["Year-end projection"] = year_end_text(r)
        row["Exception"] = "Yes" if r.exception else "No"
        rows.append(row)
    frame = overview_extras(pack, pd.DataFrame(rows), f"Target {year}")
    return Table(
        frame,
        f"Scorecard, {pack.quarter.label}",
        row_header="Indicator",
        numeric=("Value",),
    )


# --- RAG, out-of-date figures and groups on the overview -----------------------------------

RAG_MARKS = {
    "green": ("Green", "●", "on target"),  # a circle
    "amber": ("Amber", "▲", "missed, within the amber band"),  # a triangle
    "red": ("Red", "■", "missed, beyond the amber band"),  # a square
    "": ("Not rated", "–", "no target to rate against"),  # a dash
}
"""Each status's word, shape and meaning: the shape differs as well as the colour, and the word
is always printed beside it."""
OUT_OF_DATE = "out of date"


def rag_mark(result: IndicatorResult) -> Mark:
    """Return the RAG status as a shape with its word beside it (never colour alone)."""
    words, shape, meaning = RAG_MARKS.get(result.rag or "", RAG_MARKS[""])
    title = f"{words}: {result.rag_reason or meaning}"
    return Mark(words, shape, tone=result.rag or "none", kind="rag", title=title)


def overview_extras(pack: Pack, frame: pd.DataFrame, after: str) -> pd.DataFrame:
    """Add a RAG column after the target (RAG on), and mark a period out of date.

    A period is marked where the figure is older than its frequency allows.
    """
    results = [pack.results[i] for i in pack.reported]
    if frame.empty:
        return frame
    if any(r.rag_on for r in results):
        where = list(frame.columns).index(after) + 1 if after in frame.columns else len(frame)
        frame.insert(where, "RAG", [rag_mark(r) for r in results])
    if any(r.stale for r in results):
        frame["Period"] = [
            f"{period} ({OUT_OF_DATE})" if r.stale else period
            for period, r in zip(frame["Period"], results, strict=True)
        ]
    return frame


def rag_key(rule_text: str = "") -> Table:
    """Return the printed key: each status's shape, word and meaning (the amber rule in words)."""
    amber = "Missed the target" + (f": {rule_text}" if rule_text else " (within the band)")
    rows = [
        {"Status": Mark("Green", RAG_MARKS["green"][1], "green", "rag"),
         "Meaning": "On target: the target met or beaten"},
        {"Status": Mark("Amber", RAG_MARKS["amber"][1], "amber", "rag"), "Meaning": amber},
        {"Status": Mark("Red", RAG_MARKS["red"][1], "red", "rag"),
         "Meaning": "Missed the target by more than the amber band allows"},
        {"Status": Mark("Not rated", RAG_MARKS[""][1], "none", "rag"),
         "Meaning": "No numeric target or rule this year (or to be confirmed)"},
    ]  # fmt: skip
    return Table(pd.DataFrame(rows), "Key: RAG status against target", row_header="Status")


def group_of(result: IndicatorResult, field: str) -> str:
    """Return the overview group an indicator is in (its ``priority``, ``service``...)."""
    return str(getattr(result.indicator, field, "") or "") if field else ""


def overview_groups(pack: Pack, table: Table) -> list[tuple[str, Table]]:
    """Split the overview's rows by ``report.group_by`` (one group: the table as it is).

    Groups keep the catalogue's order of first appearance; indicators without the
    field come last, as "Other indicators".
    """
    field = pack.data.council.group_by
    results = [pack.results[i] for i in pack.reported]
    names = [group_of(r, field) for r in results]
    order = list(dict.fromkeys(n for n in names if n)) + ([""] if "" in names else [])
    if len(order) <= 1 or table.empty:
        return [(order[0] if order else "", table)]
    out = []
    for name in order:
        keep = [n == name for n in names]
        part = table.frame[keep].reset_index(drop=True)
        title = name or "Other indicators"
        caption = f"{table.caption}: {title}"
        out.append((title, Table(part, caption, table.row_header, table.numeric)))
    return out


def not_reported_table(pack: Pack) -> Table:
    """Catalogue indicators with no figure this quarter, and when one is expected."""
    rows = []
    for r in (pack.results[i] for i in pack.not_reported):
        ind = r.indicator
        latest = [(p, o) for p, o in r.history if o is not None and not o.missing]
        rows.append(
            {
                "Indicator": ind.short_title,
                "Frequency": ind.frequency,
                "Latest figure": f"{format_observation(latest[-1][1], ind)} ({latest[-1][0].label})"
                if latest
                else "none in the last two years",
                "Why not shown": "annual: next figure at year-end"
                if ind.frequency == "annual"
                else "no figure for this quarter yet",
            }
        )
    return Table(pd.DataFrame(rows), f"No figure for {pack.quarter.label}", "Indicator")


def history_table(result: IndicatorResult) -> Table:
    """Return the papers' history table: earlier year-ends, this year so far, the target."""
    cells = {}
    for p, obs in result.history:
        label = f"{p.label} (year-end)" if p.freq == "year" else p.label
        cells[label] = format_observation(obs, result.indicator)
    cells[f"Target {result.quarter.year().label}"] = target_text(result)
    return Table(
        pd.DataFrame([cells]),
        f"{result.indicator.short_title}: history",
        numeric=tuple(cells),
    )


def _baseline_cells(result: IndicatorResult, row: dict) -> tuple[str, str]:
    ind, target = result.indicator, result.target
    count_target = (
        row["comparison"] == "target" and target is not None and target.rule == "value"
        and target.value is None and target.count is not None
    )  # fmt: skip
    numbers = row.get("basis") == "number" or count_target  # counts, not rates
    base, change = row["baseline_value"], row["change"]
    if numbers:
        shown = "" if math.isnan(base) else f"{base:,.0f}"
        return shown or "n/a", "" if math.isnan(change) else f"{change:+,.0f}"
    return format_value(base, ind) or "n/a", format_change(change, ind)


def _compared_with(result: IndicatorResult, comparison: str) -> str:
    if comparison == "previous_period" and result.current is not None:
        return PREVIOUS[result.current.period.freq]
    return COMPARISON_LABELS[comparison]


def dot_table(result: IndicatorResult) -> Table:
    """Direction of travel for one indicator: each comparison with its baseline and change."""
    rows = []
    for row in result.comparisons:
        base, change = _baseline_cells(result, row)
        rows.append(
            {
                "Compared with": _compared_with(result, row["comparison"]),
                "Baseline period": row["baseline_period"],
                "Baseline": base,
                "Change": change,
                "Direction of travel": dot_mark(row["direction"], row["judgement"]),
                "Note": row["note"] if isinstance(row["note"], str) else "",
            }
        )
    return Table(
        pd.DataFrame(rows),
        f"{result.indicator.short_title}: direction of travel",
        row_header="Compared with",
        numeric=("Baseline", "Change"),
    )


def backtest_table(pack: Pack) -> Table:
    """Each reported indicator's forecast method and its measured past accuracy."""
    from analysis.sentences import forecast_note, method_words

    rows = []
    for r in (pack.results[i] for i in pack.reported):
        fan = r.forecast
        if fan is None:
            continue
        shown = fan.ok and not math.isnan(fan.mase)
        rows.append(
            {
                "Indicator": r.indicator.short_title,
                "Method": sentence_case(method_words(fan.method)) if fan.method else "none",
                "Points used": str(fan.n_points),
                "MASE (error ÷ typical one-step change)": f"{fan.mase:.2f}" if shown else "",
                "Past outcomes inside the 80% interval": f"{fan.coverage:.0%}"
                if fan.ok and not math.isnan(fan.coverage)
                else "",
                "Note": forecast_note(fan),
            }
        )
    return Table(pd.DataFrame(rows), "Forecast back-tests (rolling origin)", row_header="Indicator")


def neighbour_table(pack: Pack) -> Table:
    """Return the statistical neighbours, their rank and closeness."""
    c = pack.data.council
    frame = pd.DataFrame(
        [
            {
                "Rank": str(a.rank or ""),
                "Council": a.name,
                "Code": a.area_code,
                "Closeness": a.closeness or "",
            }  # fmt: skip
            for a in c.neighbours
        ]
    )
    return Table(frame, "Statistical neighbours", row_header="Council")


def validation_table(pack: Pack) -> Table:
    """Return the values files read: rows, indicators and areas in each."""
    v = pack.data.values
    files = sorted(set(v["file"]))
    frame = pd.DataFrame(
        [
            {
                "File": Path(f).name,
                "Rows": f"{int((v['file'] == f).sum()):,}",
                "Indicators": str(v.loc[v["file"] == f, "indicator_id"].nunique()),
                "Areas": str(v.loc[v["file"] == f, "area_code"].nunique()),
            }
            for f in files
        ]
    )
    return Table(frame, "Values files read", row_header="File", numeric=("Rows",))


def revisions_table(pack: Pack) -> Table:
    """Return the council's revised figures: first published and latest, with sources."""
    rev = pack_revisions(pack)
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
    return Table(frame, "Revised figures", numeric=("First published", "Latest", "Change"))


def withheld_table(pack: Pack) -> Table:
    """Values withheld by their publisher, with the marker as published."""
    sup = suppressed_values(pack)
    c = pack.data.council
    names = {a.area_code: a.name for a in [c.council, c.england, *c.neighbours]}
    frame = pd.DataFrame(
        {
            "Indicator": sup["indicator_id"].map(lambda i: pack.indicator(i).short_title),
            "Area": sup["area_code"].map(lambda code: names.get(code, code)),
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
    return Table(frame, "Withheld values")


def comparison_columns() -> list[str]:
    """Return the overview's direction-of-travel column headings, in order."""
    return [f"vs {COMPARISON_LABELS[c].lower()}" for c in COMPARISONS]


def _year_span(years: list[int]) -> str:
    from analysis.periods import Period

    first, last = (Period(fy, "year").label for fy in (min(years), max(years)))
    return first if first == last else f"{first} to {last}"


def _with_data(part: pd.DataFrame, size: int) -> str:
    computed = part[part.get("method", pd.Series("", index=part.index)) != "printed"]
    n = computed["n"].dropna().astype(int) if "n" in computed else pd.Series(dtype=int)
    if not len(n):
        return "as printed"
    if n.min() != n.max():
        return f"{n.min()} to {n.max()} of {size}"
    return f"{n.max()} of {size}"


def neighbour_years(pack: Pack) -> tuple[pd.DataFrame, str]:
    """Which neighbour model gives the neighbour figures for which years, and how many had data.

    Returns the table's rows and a note on figures printed in the papers (or '').
    """
    import re

    from analysis.loading import SN_CODE
    from analysis.series import period_of

    c = pack.data.council
    sn = pack.values[(pack.values["area_code"] == SN_CODE) & pack.values["value"].notna()]
    years = sorted({period_of(p).fy for p in sn["period"]})
    if not years:
        return pd.DataFrame(), ""
    found = re.search(r"(19|20)\d{2}", c.neighbour_model)
    published = int(found.group(0)) if found else min(years)
    rows = []
    for when, ys in (
        ("before", [y for y in years if y < published]),
        ("after", [y for y in years if y >= published]),
    ):
        if not ys:
            continue
        part = sn[[period_of(p).fy in ys for p in sn["period"]]]
        rows.append(
            {
                "Years": _year_span(ys),
                "Neighbour list": c.neighbour_model,
                "Neighbours with data": _with_data(part, len(c.neighbours)),
                "Note": "applied to years before the model was published, so that every year "
                "is compared with the same councils"
                if when == "before"
                else "the model in force",
            }
        )
    printed = pack.values[
        (pack.values["area_code"] == SN_CODE) & (pack.values.get("method") == "printed")
    ]
    note = (
        f"{len(printed)} neighbour figures are as printed in the papers (DfE's model of the "
        "time), used where no neighbour in the list above has a figure."
        if len(printed)
        else ""
    )
    return pd.DataFrame(rows), note


def comparator_groups_table(pack: Pack) -> Table:
    """Each comparator group the report compares with: its councils, average and indicators."""
    rows = []
    for group in pack.data.council.comparators.values():
        used = [r.indicator.short_title for r in pack.results.values()
                if r.reported and r.group is not None and r.group.id == group.id]  # fmt: skip
        if not used:
            continue
        years = (
            ", ".join(f"{m.name} ({_model_years(m)})" for m in group.models)
            or f"{len(group.areas)} councils"
        )
        rows.append(
            {
                "Group": "Statistical neighbours" if group.id == "neighbours" else group.name,
                "Councils": years,
                "Average": group.average,
                "Indicators this quarter": "; ".join(used),
            }
        )
    return Table(pd.DataFrame(rows), "Comparator groups", row_header="Group")


def _model_years(model) -> str:  # noqa: ANN001 - a config.GroupModel
    from analysis.periods import Period

    first = Period(model.first_year, "year").label if model.first_year else "any year"
    last = Period(model.last_year, "year").label if model.last_year else "on"
    return (
        f"{len(model.areas)} councils, {first} to {last}"
        if model.first_year or model.last_year
        else f"{len(model.areas)} councils"
    )


# --- what each indicator is: owner, definition, source, data quality ----------------------

METADATA_ROWS = (
    ("owner", "Owner"),
    ("accountable", "Accountable officer"),
    ("portfolio", "Portfolio"),
    ("priority", "Priority"),
    ("service", "Service"),
    ("definition", "Definition"),
    ("source", "Source"),
    ("next_due", "Next figure due"),
    ("data_quality", "Data quality"),
)
"""The catalogue's fields about an indicator, in the order an exception page shows them."""


def data_quality_text(value: str) -> str:
    """``Provisional`` / ``Validated`` for the two standard values, else the note as written."""
    return value.capitalize() if value.lower() in ("provisional", "validated") else value


def metadata_table(result: IndicatorResult) -> Table:
    """Return the short 'about this indicator' block: who owns it, what it counts, where from."""
    ind = result.indicator
    rows = []
    for field, label in METADATA_ROWS:
        value = str(getattr(ind, field, "") or "")
        if field == "data_quality":
            value = data_quality_text(value)
        if value:
            rows.append({"About": label, "Detail": value})
    if result.stale:
        rows.append({"About": "Up to date?", "Detail": f"No: {result.stale}"})
    return Table(pd.DataFrame(rows), f"{ind.short_title}: about this indicator", "About")


def definitions_table(pack: Pack) -> Table:
    """Return the definitions appendix: every indicator's definition, source, owner and quality."""
    rows = []
    for r in pack.results.values():
        ind = r.indicator
        rows.append(
            {
                "Indicator": ind.short_title,
                "Definition": ind.definition or ind.title,
                "Better to be": (ind.better or "context").capitalize(),
                "Frequency": ind.frequency,
                "Source": ind.source,
                "Owner": ind.owner,
                "Accountable officer": ind.accountable,
                "Data quality": data_quality_text(ind.data_quality),
                "Next figure due": ind.next_due,
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty:  # a column nobody filled in says nothing
        frame = frame[[c for c in frame.columns if frame[c].astype(str).str.strip().ne("").any()]]
    return Table(frame, "Indicator definitions", row_header="Indicator")


def _breakdown_when(b: Breakdown) -> str:
    """``at 30 September 2017`` for one snapshot, else the periods (``2013-14 and 2014-15``)."""
    if len(b.periods) == 1 and b.indicator.measure == "snapshot" and b.periods[0].freq != "year":
        end = b.periods[0].end_date
        return f"at {end.day} {end:%B %Y}"
    labels = [p.label for p in b.periods]
    return ", " + (" and ".join(labels) if len(labels) <= 2 else f"{labels[0]} to {labels[-1]}")


def _breakdown_cell(b: Breakdown, category: str, period: str, value: float) -> str:
    if (category, period) in b.withheld:
        return STATUS_TEXT["k"]
    if math.isnan(value):
        return "-"
    decimals = 0 if float(value).is_integer() else b.indicator.decimals
    return format_number(value, decimals, "percent" if b.unit == "percent" else "")


def breakdown_table(b: Breakdown) -> Table:
    """Return one breakdown as the papers print it: categories down, periods across, a total.

    The total row is there for a breakdown of a count, whose categories add up
    to the headline figure; its caption names the indicator, the breakdown and when.
    """
    first = b.name.replace("_", " ").capitalize()
    rows = []
    for category, values in b.values.iterrows():
        row = {first: str(category)}
        for period, value in values.items():
            row[period] = _breakdown_cell(b, str(category), period, value)
        rows.append(row)
    if b.additive:
        totals = {p.label: b.total(p) for p in b.periods}
        rows.append(
            {first: "Total"} | {p: "" if t is None else f"{t:,.0f}" for p, t in totals.items()}
        )
    when = _breakdown_when(b)
    caption = f"{b.indicator.short_title} by {b.name.replace('_', ' ')}" + (
        when if when.startswith(",") else f" {when}"
    )
    return Table(
        pd.DataFrame(rows),
        caption,
        row_header=first,
        numeric=tuple(p.label for p in b.periods),
    )


KEY_ROWS = (
    ("↑ ↓ →", "Direction of travel: the figure is up, down or the same as the one it is "
              "compared with (the same: no change beyond the tolerance)."),
    ("✓ ✗", "Better (✓) or worse (✗) than the figure compared with, given whether the "
            "indicator is better high or low."),
    ("n/a", "Not compared: nothing to compare with, a series break between the two figures, or "
            "a count set against another area's count."),
)  # fmt: skip
"""The key's rows for the arrows and ticks (the SPC badges follow, from their own words)."""


def key_table() -> Table:
    """Return the key to every symbol and badge the scorecard shows, in words.

    Printed with the scorecard (on the page and in the documents), so no meaning
    is only in a hover hint.
    """
    rows = [{"Symbol": s, "Meaning": m} for s, m in KEY_ROWS]
    for signal, (words, tone, title) in SIGNAL_WORDS.items():
        mark = Mark(words, tone=tone, kind="badge", icon=_variation_letter(signal, None))
        rows.append({"Symbol": mark, "Meaning": f"SPC signal: {title}{_letters(signal)}"})
    for words, tone, icon, title in ASSURANCE_WORDS.values():
        mark = Mark(words, tone=tone, kind="badge", icon=icon)
        rows.append({"Symbol": mark, "Meaning": f"SPC assurance: {title}."})
    rows.append(
        {
            "Symbol": "A to D",
            "Meaning": "National quartile band among all English councils (A the best quarter, "
            "D the worst), with the rank (1st = best) and the year ranked.",
        }
    )
    return Table(pd.DataFrame(rows), "Key to the symbols", row_header="Symbol")


def _letters(signal: str) -> str:
    """Return the icon letters of a signal badge on the pages, in words."""
    if signal in ("special_cause_improvement", "special_cause_concern"):
        return " (on the pages, H or L: higher or lower than expected)."
    if signal == "common_cause":
        return " (on the pages, a dash)."
    return "."
