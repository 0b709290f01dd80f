"""Breakdowns as the papers print them: children looked after by age (001), GCSE by school (003)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import report, tables
from analysis.breakdowns import build_breakdowns, shown_periods, suppress_breakdowns
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.sentences.indicator import breakdown_total_sentence

# paper 001 (Appendix 6(b), 2017-18 Q2): "Under 1: 39 1-4 yrs: 71 5-9 yrs: 127 10 – 15 yrs: 199
# 16 and over: 89"; "The total at 30 September 2017 is 531"
AGE_BANDS = {"Under 1": "39", "1-4 yrs": "71", "5-9 yrs": "127", "10 – 15 yrs": "199",
             "16 and over": "89"}  # fmt: skip
# paper 003 (App B, 2015-16 Q2): % 5+ A*-C inc. English & Maths, 2014 and 2015 columns
SCHOOLS = {
    "Bispham / Aspire Academy": ("44%", "39%"),
    "Collegiate / Aspire Academy": ("32%", "-"),
    "Highfield": ("47%", "28%"),
    "Montgomery Academy": ("54%", "56%"),
    "South Shore Academy": ("35%", "28%"),
    "St George's Academy": ("48%", "44%"),
    "St Mary's Academy": ("43%", "55%"),
    "Unity Academy": ("41%", "33%"),
    "National Average": ("56%", "56%"),
    "Blackpool Average": ("46%", "44%"),
}


def cells(table) -> dict[str, dict[str, str]]:
    frame = table.to_frame()
    return {row[table.row_header]: row for row in frame.to_dict("records")}


def test_age_bands_match_paper_001(q2):
    (found,) = q2.result("cla").breakdowns
    table = tables.breakdown_table(found)
    rows = cells(table)
    assert {k: v["2017-18 Q2"] for k, v in rows.items() if k != "Total"} == AGE_BANDS
    assert rows["Total"]["2017-18 Q2"] == "525"
    assert table.caption == "Children looked after by age at 30 September 2017"


def test_age_bands_total_is_set_against_the_531_of_the_history_table(q2):
    r = q2.result("cla")
    history = tables.history_table(r).to_frame().iloc[0]
    assert history["2017-18 Q2"] == "531 (185.6)"
    (found,) = r.breakdowns
    assert found.headline == {"2017-18 Q2": 531.0}
    assert found.difference(parse_period("2017-18 Q2")) == -6
    (sentence,) = breakdown_total_sentence(found)
    assert "add up to 525, 6 fewer than the headline figure of 531" in sentence
    assert "disagree" in sentence


def test_gcse_schools_match_paper_003(pack_2015_q2):
    (found,) = pack_2015_q2.result("gcse_5ac_em").breakdowns
    table = tables.breakdown_table(found)
    rows = cells(table)
    assert {k: (v["2013-14"], v["2014-15"]) for k, v in rows.items()} == SCHOOLS
    assert "Total" not in rows  # percentages by school do not add up
    assert table.caption.endswith("by school, 2013-14 and 2014-15")
    assert breakdown_total_sentence(found) == []


def test_breakdowns_shown_in_their_quarter_only(q2, q3):
    assert q3.result("cla").breakdowns == ()  # Q3 reports 31 December; the bands are 30 September
    # an annual indicator shows the breakdown years its history table shows (2014-15 to 2017-18)
    assert [p.label for b in q2.result("gcse_5ac_em").breakdowns for p in b.periods] == ["2014-15"]
    assert [t.caption for t in report.breakdowns(q2.result("cla")) if hasattr(t, "caption")] == [
        "Children looked after by age at 30 September 2017"
    ]


@pytest.mark.parametrize(
    ("frequency", "found", "expected"),
    [
        ("quarterly", ["2017-18 Q1", "2017-18 Q2"], ["2017-18 Q2"]),
        ("monthly", ["Aug 2017", "Sep 2017", "Oct 2017"], ["Aug 2017", "Sep 2017"]),
        ("annual", ["2012-13", "2014-15", "2016-17"], ["2014-15"]),
        ("quarterly", [], []),
    ],
)
def test_shown_periods_by_frequency(data, frequency, found, expected):
    from dataclasses import replace

    ind = replace(data.catalogue["cla"], frequency=frequency)
    history = [parse_period(p) for p in ("2013-14", "2014-15", "2015-16")]
    got = shown_periods(ind, parse_period("2017-18 Q2"), history, [parse_period(p) for p in found])
    assert [p.label for p in got] == expected


def test_a_breakdown_that_adds_up_says_so(q2):
    index, ind = q2.index, q2.indicator("cla")
    frame = pd.DataFrame(
        [
            ["cla", "E06000009", "2017-18 Q2", "age", "Under 10", 300, "count", "s", "2017"],
            ["cla", "E06000009", "2017-18 Q2", "age", "10 and over", 231, "count", "s", "2017"],
        ],
        columns=["indicator_id", "area_code", "period", "breakdown", "category", "value", "unit",
                 "source", "vintage"],
    )  # fmt: skip
    history = [p for p, _ in q2.result("cla").history]
    (found,) = build_breakdowns(frame, ind, q2.quarter, history, index, q2.council_code)
    assert found.difference(parse_period("2017-18 Q2")) == 0
    assert breakdown_total_sentence(found) == [
        "The age bands add up to 531, the headline figure for 2017-18 Q2."
    ]


def test_published_build_withholds_small_breakdown_counts(data):
    frame = data.breakdowns.copy()
    frame.loc[frame["category"] == "Under 1", "value"] = 3
    out = suppress_breakdowns(frame, 5)
    row = out[out["category"] == "Under 1"].iloc[0]
    assert math.isnan(row["value"]) and row["status"] == "k"
    assert out[out["category"] == "1-4 yrs"].iloc[0]["value"] == 71  # others kept
    ind = data.catalogue["cla"]
    q = parse_period("2017-18 Q2")
    pack = build_pack(data, q)
    history = [p for p, _ in pack.result("cla").history]
    (found,) = build_breakdowns(out, ind, q, history, pack.index, pack.council_code)
    assert cells(tables.breakdown_table(found))["Under 1"]["2017-18 Q2"] == "k (fewer than 5)"
    assert found.total(q) is None  # a withheld band: no total
    assert "have no total" in breakdown_total_sentence(found)[0]


def test_as_of_before_the_paper_shows_no_breakdown(data):
    pack = build_pack(data, parse_period("2017-18 Q2"), as_of="2017-11-29")
    assert pack.result("cla").breakdowns == ()
