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
