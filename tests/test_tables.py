"""Tests for analysis.tables: the report's tables as data (cells, captions, row headers)."""

from __future__ import annotations

import pytest

from analysis import tables
from analysis.formatting import ordinal
from analysis.markup import table_html


def cells(table, row_header_value, column):
    frame = table.frame.set_index(table.row_header)
    return frame.loc[row_header_value, column]


def test_overview_has_the_target_text_and_the_target_arrow_in_two_columns(q3):
    table = tables.overview_table(q3)
    assert "Target 2017-18" in table.frame.columns and "vs target" in table.frame.columns
    assert cells(table, "Children looked after", "Target 2017-18") == "516"
    assert str(cells(table, "Children looked after", "vs target")) == "↑ ✗ up, worse"
    assert table.frame.columns.is_unique


def test_overview_shows_assurance_in_words_with_an_icon(pack_2015_q2):
    table = tables.overview_table(pack_2015_q2)
    failing = cells(table, "Children looked after", "SPC assurance")
    assert (failing.words, failing.icon, failing.tone) == ("Failing", "F", "worse")
    html = table_html(table)
    assert '<th scope="col">SPC assurance</th>' in html
    assert ">F</text></svg>Failing</span>" in html
    assert ">?</text></svg>Hit or miss</span>" in html


def test_cp_second_plan_target_inside_the_limits_is_hit_or_miss(pack_2015_q2):
    # paper 003: limits 12.85 to 24.55 around a mean of 18.70 (test_spc checks them by hand);
    # the 14.0% target lies between them, so it will be met in some months and not others
    r = pack_2015_q2.result("cp_second_plan")
    assert (r.spc.signal, r.spc.assurance) == ("common_cause", "hit_or_miss")
    assert (round(r.spc.lpl, 2), round(r.spc.upl, 2)) == (12.85, 24.55)


def test_cla_rate_target_below_the_lower_limit_is_consistently_failing(pack_2015_q2):
    # target 144.7 per 10,000, lower is better: the whole range between the limits misses it
    r = pack_2015_q2.result("cla")
    assert r.spc.lpl > 144.7 and r.spc.assurance == "consistently_failing"


def test_too_short_for_spc_gives_no_assurance(pack_2015_q2):
    r = pack_2015_q2.result("reviews_completed")
    assert (r.spc.signal, r.spc.assurance) == ("too_short", "")
    assert str(tables.assurance_mark(r)) == "n/a"


@pytest.mark.parametrize(
    ("signal", "better", "letter", "label"),
    [
        ("special_cause_concern", "low", "H", "Concern"),  # higher than expected, lower is better
        ("special_cause_concern", "high", "L", "Concern"),
        ("special_cause_improvement", "low", "L", "Improvement"),
        ("special_cause_improvement", "high", "H", "Improvement"),
    ],
)
def test_variation_icon_letter_says_which_side(q2, signal, better, letter, label):
    import dataclasses

    r = q2.result("cla")
    r = dataclasses.replace(
        r,
        indicator=dataclasses.replace(r.indicator, better=better),
        spc=dataclasses.replace(r.spc, signal=signal, rule="run_above"),
    )
    mark = tables.signal_mark(r)
    assert (mark.icon, mark.words) == (letter, label)
    html = table_html(tables.Table(__import__("pandas").DataFrame({"x": [mark]}), "t"))
    assert f">{letter}</text></svg>{label}</span>" in html
    assert 'aria-hidden="true"' in html  # the icon is decoration; the word carries the meaning


def test_direction_table_shows_numbers_not_rates_for_counts(q3):
    table = tables.dot_table(q3.result("cla"))
    assert table.caption == "Children looked after: direction of travel"
    assert (cells(table, "Previous quarter", "Baseline"),
            cells(table, "Previous quarter", "Change")) == ("531", "+6")  # fmt: skip
    # the 2017-18 target is 516 children
    assert (cells(table, "Target", "Baseline"), cells(table, "Target", "Change")) == ("516", "+21")


def test_previous_period_is_named_by_the_figures_frequency(q3, pack_2015_q2):
    assert cells(tables.dot_table(q3.result("cla")), "Previous quarter", "Baseline period") == (
        "2017-18 Q2"
    )  # a month's figure (Dec 2017) is compared with the quarter before
    results = pack_2015_q2.results.values()
    annual = next(r for r in results if r.reported and r.current.period.freq == "year")
    assert "Previous year" in set(tables.dot_table(annual).frame["Compared with"])


def test_every_table_on_a_page_has_its_own_caption(q3):
    captions = [tables.dot_table(r).caption for r in q3.exception_results]
    assert len(set(captions)) == len(captions) == len(q3.exceptions)


def test_data_page_lists_numbers_published_without_rates_as_such(q3):
    frame = tables.withheld_table(q3).frame
    cla = frame[(frame.Indicator == "Children looked after") & (frame.Area == "Blackpool")]
    assert cla[["Period", "Shown as"]].values.tolist() == [
        ["Dec 2017", "537, the number only (no rate published)"]
    ]
    hartlepool = frame[(frame.Indicator == "Repeat child protection plans")
                       & (frame.Area == "Hartlepool")]  # fmt: skip
    assert "2013-14" in set(hartlepool.Period)
    assert "c (suppressed)" in set(frame["Shown as"])  # a publisher's suppression keeps its marker


def test_history_table_prints_the_papers_columns(q2):
    table = tables.history_table(q2.result("cla"))
    row = table.frame.iloc[0].to_dict()
    # paper 001: 2015/16 469, 2016/17 525 (183.0), Q1 548 (191.6), Q2 531 (185.6), no target
    assert row["2016-17 (year-end)"] == "525 (183.0)"
    assert (row["2017-18 Q1"], row["2017-18 Q2"]) == ("548 (191.6)", "531 (185.6)")
    assert table.caption == "Children looked after: history"


def test_rank_shown_is_the_latest_year_ended_by_the_quarter(q2):
    # at 2017-18 Q2 (September 2017) the latest national year is 2016-17: Blackpool had the
    # highest looked-after rate of the 152 councils, so it ranks last (1 = best, lower is better)
    assert tables.rank_text(q2.result("cla")) == "D: 152nd of 152 (2016-17)"
    assert tables.rank_text(q2.result("contacts")) == ""  # a local measure: DfE publishes none


def test_rank_before_any_published_year_is_blank(pack_2015_q2):
    assert tables.rank_text(pack_2015_q2.result("cla")) == ""  # 2015-16 ends after Q2
    assert tables.rank_text(pack_2015_q2.result("cp_second_plan")) == "D: 142nd of 150 (2014-15)"


def test_unranked_count_says_why(q3):
    assert tables.rank_text(q3.result("cp_plans")) == "Not ranked (a count)"


def test_ordinals_read_right():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 152)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
        "152nd",
    ]  # fmt: skip


def test_neighbour_years_says_which_model_covers_which_years(q2):
    frame, _ = tables.neighbour_years(q2)
    assert frame[["Years", "Neighbour list"]].values.tolist()[:2] == [
        ["2012-13 to 2020-21", "DfE CSC SN model April 2021"],
        ["2021-22 to 2022-23", "DfE CSC SN model April 2021"],
    ]
    assert frame.Note.iloc[0].startswith("applied to years before the model was published")


def test_backtest_table_names_methods_in_words(q2, pack_2015_q2):
    frame = tables.backtest_table(q2).frame.set_index("Indicator")
    # children looked after: the smoothed level's intervals failed on this rising series,
    # so the average change (drift) replaced it
    assert frame.loc["Children looked after", "Method"] == "Average change"
    assert "none" in set(frame.Method)  # too-short series say so, with the reason beside it
    assert not frame.Method.str.contains("ses|drift").any()
    early = tables.backtest_table(pack_2015_q2).frame.set_index("Indicator")
    assert early.loc["Children looked after", "Method"] == "Smoothed level"


def test_not_reported_lists_indicators_without_a_figure(q2):
    frame = tables.not_reported_table(q2).frame
    assert len(frame) == len(q2.not_reported) > 0
    assert set(frame.Indicator) == {q2.indicator(i).short_title for i in q2.not_reported}


def test_marks_read_as_words_in_plain_text(q3):
    plain = tables.overview_table(q3).to_frame()
    assert plain.loc[0, "vs previous period"] in {"↑ ✗ up, worse", "↓ ✓ down, better",
                                                   "→ = same", "n/a", "↑ ✓ up, better",
                                                   "↓ ✗ down, worse"}  # fmt: skip
