"""Tests for analysis.sentences.pages: what the overview and data pages open with."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.sentences import pages


def test_overview_summary_counts_and_names_the_exceptions(q2):
    first = pages.overview_summary(q2)[0]
    assert first == (
        "5 indicators have a figure for 2017-18 Q2. 5 need an exception report (Children "
        "looked after; Early help assessments; Children in need; Contacts (monthly); Contacts "
        "(12 months)). An indicator is an exception when it is off target or worse than at "
        "the last year-end or chosen for report by the service (commentary written this "
        "quarter)."
    )


def test_overview_summary_states_a_tolerance_in_force(q2):
    from analysis.tolerance import parse_tolerance

    council = dataclasses.replace(q2.data.council, tolerance=parse_tolerance("2%"))
    pack = dataclasses.replace(q2, data=dataclasses.replace(q2.data, council=council))
    assert pages.overview_summary(pack)[1] == (
        "Changes of 2% or less (of the earlier figure, for a percentage) are shown as the "
        "same; targets take no tolerance."
    )


def test_no_exceptions_is_said_only_when_there_are_none(q2):
    assert pages.no_exceptions(q2) == ""
    empty = dataclasses.replace(q2, results={i: r for i, r in q2.results.items() if not r.reported})
    assert pages.no_exceptions(empty) == "No indicator needs an exception report for 2017-18 Q2."


@pytest.mark.parametrize(
    ("published", "expected"), [(True, "counts from 1 to 4"), (False, "including counts below 5")]
)
def test_disclosure_note_says_what_the_build_withholds(published, expected):
    assert expected in pages.disclosure_note(published, 5)


def test_validation_summary_says_what_was_read(q3):
    text = pages.validation_summary(q3)
    assert text[0].startswith("All checks passed: 25 indicators in the catalogue, ")
    assert text[0].endswith("value rows in 2 file(s).")
