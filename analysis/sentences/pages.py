"""Sentences the pages open with: what the overview counts, what was checked, what is withheld."""

from __future__ import annotations

from analysis.comparison import RULE_TEXT
from analysis.disclosure import WITHHELD
from analysis.pack import Pack


def overview_summary(pack: Pack) -> list[str]:
    """How many indicators, how many exceptions and which, and the rule and tolerance used."""
    rule = " or ".join(RULE_TEXT.get(r, r) for r in pack.data.council.exception_rule)
    names = [pack.indicator(i).short_title for i in pack.exceptions]
    listed = "; ".join(names) if names else "none"
    out = [
        f"{len(pack.reported)} indicators have a figure for {pack.quarter.label}. "
        f"{len(names)} need an exception report ({listed}). "
        f"An indicator is an exception when it is {rule}."
    ]
    tolerance = pack.data.council.tolerance
    if tolerance.amount > 0:
        of = "of the earlier figure, for a percentage" if tolerance.relative else "in each unit"
        out.append(
            f"Changes of {tolerance.describe()} or less ({of}) are shown as the same; "
            "targets take no tolerance."
        )
    return out


def rag_counts_text(results: list, noun: str = "indicators") -> str:
    """``9 indicators; 7 rated: 3 green, 2 amber, 2 red; 2 with no target`` (RAG on)."""
    from analysis.rag import rag_counts

    counts = rag_counts([r.rag for r in results])
    rated = len(results) - counts["not_rated"]
    text = f"{len(results)} {noun if len(results) != 1 else noun.rstrip('s')}; {rated} rated"
    if rated:
        text += f": {counts['green']} green, {counts['amber']} amber, {counts['red']} red"
    return text + (f"; {counts['not_rated']} with no target" if counts["not_rated"] else "")


def rag_headline(pack: Pack) -> str:
    """Count the overview's indicators by RAG status, with denominators ('' when RAG is off)."""
    results = [pack.results[i] for i in pack.reported]
    if not any(r.rag_on for r in results):
        return ""
    missing = len(pack.not_reported)
    tail = f"; {missing} more with no figure this quarter" if missing else ""
    return f"{pack.quarter.label}: {rag_counts_text(results)}{tail}."


def group_subtotal(results: list) -> str:
    """Say a group's subtotal: RAG counts (RAG on), else how many are exceptions."""
    if results and results[0].rag_on:
        return f"Subtotal: {rag_counts_text(results)}."
    exceptions = sum(1 for r in results if r.exception)
    return f"Subtotal: {len(results)} indicators; {exceptions} need an exception report."


def out_of_date(pack: Pack) -> list[str]:
    """One line per indicator whose latest figure is older than its frequency allows."""
    return [
        f"{pack.results[i].indicator.short_title}: {pack.results[i].stale}."
        for i in pack.results
        if pack.results[i].stale
    ]


def rag_method(pack: Pack) -> list[str]:
    """How indicators are rated against target (the council's rule), or that RAG is off."""
    rule = pack.data.council.rag
    if rule is None:
        return [
            "RAG status is off for this report (report.rag in council.yml turns it on): each "
            "indicator is judged against its target by the direction-of-travel tick or cross."
        ]
    amber = rule.describe() or "no amber band is set, so any miss is red"
    own = [r.indicator.short_title for r in pack.results.values() if r.indicator.rag]
    out = [
        "Each indicator with a target is rated against this quarter's target (the profiled "
        "target for the period where the target is profiled): green when it meets the target "
        f"or beats it; amber when it is {amber}; red when it misses it otherwise. A rule "
        "target (decrease or increase on last year) is green when met and red when not. An "
        "indicator with no target, or one to be confirmed, is not rated. A floor, where the "
        "catalogue sets one, makes a miss no worse than the floor amber."
    ]
    if own:
        out.append(f"Indicators with their own rule (rag: in the catalogue): {'; '.join(own)}.")
    return out


def no_exceptions(pack: Pack) -> str:
    """'' or the sentence for a quarter in which no indicator needs an exception report."""
    if pack.exceptions:
        return ""
    return f"No indicator needs an exception report for {pack.quarter.label}."


def neighbour_source(pack: Pack) -> str:
    """Which statistical neighbours, from which model, and how their average is taken."""
    c = pack.data.council
    return (
        f"Statistical neighbours of {c.council.name} from the {c.neighbour_model}; the "
        f"average shown is the {c.neighbour_average} of those with data."
    )


def validation_summary(pack: Pack) -> list[str]:
    """Say what was checked: indicators, rows and files; the publication date limit, if any."""
    v = pack.data.values
    out = [
        f"All checks passed: {len(pack.data.catalogue)} indicators in the catalogue, "
        f"{len(v):,} value rows in {v['file'].nunique()} file(s)."
    ]
    if pack.as_of:
        out.append(f"Figures published on or before {pack.as_of} only.")
    return out


def disclosure_note(published: bool, threshold: int) -> str:
    """Say what this build withholds: nothing (internal) or small counts (published)."""
    if not published:
        return (
            f"Internal build: every figure is shown, including counts below {threshold}. "
            "Use outturn run --published for the version to publish."
        )
    return (
        f"Published build: counts from 1 to {threshold - 1}, and the rate or percentage "
        "calculated from them, are withheld to protect the people they describe; they are "
        f"shown as {WITHHELD} and treated as gaps, never zeros."
    )


def methods_summary(pack: Pack) -> list[str]:
    """How the figures are compared, read for signal and forecast, in a few paragraphs."""
    c = pack.data.council
    return [
        "Each indicator's current figure is compared with the previous quarter, the same period "
        "last year, the last year-end (like with like: a year-to-date figure with the same point "
        "last year, a flow with last year's average per period), the year's target, England and "
        f"the {c.neighbour_average} of its statistical neighbours ({c.neighbour_model}). An arrow "
        "gives the direction of the change; a tick or cross says whether it is better or worse, "
        "given whether the indicator is better high or low. A comparison across a series break, "
        "or of a count with another area's count, is shown as n/a.",
        "The SPC signal follows NHS England's Making Data Count method (XmR charts): a point "
        "outside the process limits (the mean plus or minus 2.66 average moving ranges), seven "
        "points in a row on one side of the mean or rising or falling, or two of three near a "
        "limit is special cause; anything else is common cause, the ordinary ups and downs. "
        "Assurance says whether the process, as it runs, will meet a numeric target. Fewer than "
        "6 points give no SPC judgement.",
        "Forecasts and year-end projections are given with 80% intervals; each method's accuracy "
        "is measured on the series' own past (a rolling-origin back-test), and a forecast whose "
        "past intervals missed too often is not shown. The methods page of the web report gives "
        "the details and every back-test.",
    ]
