"""Sentences of a commentary request: what is asked, of whom, by when, and how to return it."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date) -> str:
    """``Tuesday 30 January 2018``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def deadline_sentence(deadline: dt.date | None, meeting: dt.date | None, working_days: int) -> str:
    """Say when the commentary is due and why then (or that no meeting date is set)."""
    if deadline is None or meeting is None:
        return (
            "No committee date is set for this quarter (report.meeting_date in council.yml), "
            "so no deadline is given: return it as soon as you can."
        )
    return (
        f"Please return it by {long_date(deadline)}: the papers are published {working_days} "
        f"working days before the committee meets on {long_date(meeting)} (weekends and "
        "bank holidays are not counted)."
    )


def request_opening(council: str, quarter: str, owner: str, n: int) -> str:
    """Open the request: from whom, for which report, on how many indicators."""
    things = "indicator" if n == 1 else f"{n} indicators"
    if owner == "No owner set":
        return (
            f"Commentary is requested for {council}'s performance report for {quarter}, on "
            f"the {things} below, which have no owner in the catalogue yet (owner: in "
            "indicators.yml): please pass each to the officer who reports it."
        )
    return (
        f"Commentary is requested from {owner} for {council}'s performance report for "
        f"{quarter}, on the {things} below."
    )


HOW_TO_FILL = (
    "For each indicator, write what the figures show under 'Commentary' and what the service "
    "is doing about it under 'Service response'. Write only under those two headings and "
    "leave the rest of the file as it is: outturn reads the filled file back "
    "(outturn import commentary) and files each indicator's text. The draft paragraph is "
    "written from the figures; keep it, edit it or replace it in your commentary. An "
    "exception report needs both sections; for the other indicators commentary is optional."
)


def figure_line(figure: str, period: str, reported: bool, latest: str) -> str:
    """``537 (187.7) (Dec 2017)``, or what the latest figure is when the quarter has none."""
    if reported:
        return f"{figure} ({period})"
    return f"no figure for this quarter yet; the latest is {latest}" if latest else "no figure"


def exception_line(reasons: str) -> str:
    """Say whether an exception report is needed and why."""
    if not reasons:
        return "No: commentary is optional"
    return f"Yes: {reasons}. Commentary and a service response are needed"
