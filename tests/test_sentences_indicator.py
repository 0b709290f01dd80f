"""Tests for analysis.sentences.indicator: draft commentary and what the figures say."""

from __future__ import annotations

import dataclasses

import pytest

from analysis import report
from analysis.display import Paragraph, to_markdown
from analysis.loading import Commentary
from analysis.sentences import indicator as narrative


def _with_mode(pack, mode):
    council = dataclasses.replace(pack.data.council, draft_commentary=mode)
    data = dataclasses.replace(pack.data, council=council)
    return dataclasses.replace(pack, data=data)


def test_change_sentence_cin_matches_scorecard_numbers(q2):
    assert narrative.change_sentence(q2.result("cin")) == (
        "The rate fell from 689.0 to 675.4 per 10,000 (-2.0%) between 2017-18 Q1 and "
        "2017-18 Q2, an improvement."
    )


def test_draft_commentary_cin_reads_year_end_target_and_benchmarks(q2):
    text = narrative.draft_commentary(q2.result("cin"))
    # 2016-17 ends before the April 2017 series break, so the year-end is not judged
    assert (
        "It cannot be compared with the last year-end (2016-17): series break at Apr 2017."
    ) in text
    assert "There is no numeric target for 2017-18 (No Target Set)." in text
    assert (
        "It is above the statistical-neighbour average (536.1 in 2016-17) and above "
        "England (333.3 in 2016-17)."
    ) in text


def test_target_sentence_on_count_uses_the_number_behind_the_rate(q2):
    # The 2017-18 CLA target is set on the number of children (516), not the rate.
    assert narrative.target_sentence(q2.result("cla")) == (
        "The number (531) is 15 above the 2017-18 target of 516, so the target is not met."
    )


def test_flow_compares_with_last_years_average_per_quarter(q2):
    text = narrative.draft_commentary(q2.result("early_help_assessments"))
    assert text.startswith("The number fell from 629 to 514 (-18.3%) between 2017-18 Q1")
    assert "It is 271 below the average per quarter last year (785 in 2016-17)" in text


def test_count_indicator_leaves_out_england_comparison(q2):
    assert narrative.benchmark_sentence(q2.result("contacts")) == ""


def test_spc_sentence_reads_the_limits_of_the_quarterly_series(q2):
    assert narrative.spc_sentence(q2.result("contacts_12m")).startswith(
        "Common-cause variation: the latest value is within the expected range 12,432 to 12,781."
    )


def test_spc_sentence_after_a_series_break_is_left_out_when_too_short(q2):
    # CIN figures from April 2017 are not comparable with earlier ones: two points since.
    assert narrative.spc_sentence(q2.result("cin")) == ""
    assert "Too few points for SPC (2; at least 6 needed)." in narrative.what_the_figures_say(
        q2.result("cin")
    )


def test_crossing_sentence_reads_toward_the_target_when_there_is_one(q2):
    # contacts: the Improvement Board's 850 a month is the 2017-18 target
    text = narrative.crossing_sentence(q2.result("contacts"))
    assert "the 2017-18 target" in text and "850" in text
    assert q2.result("contacts").crossing.benchmark_name == "the 2017-18 target"


def test_crossing_reads_toward_the_neighbours_without_a_target(q2):
    crossing = q2.result("cla").crossing  # the 516 target is on the number, not the rate
    assert crossing.benchmark_name.startswith(
        "the statistical-neighbour average (105.8 in 2016-17)"
    )


def test_spc_sentence_is_the_one_reading_every_page_shows(q2):
    # the draft and "What the figures say" give the same reading of the same series
    result = q2.result("cla")
    text = narrative.spc_sentence(result)
    assert text.startswith(
        "Special-cause concern: the latest value (185.6) is above the upper process limit"
    )
    assert text in narrative.what_the_figures_say(result)
    assert text in narrative.draft_commentary(result)


def test_draft_for_a_count_only_month_speaks_of_numbers(q3):
    text = narrative.draft_commentary(q3.result("cla"))
    # paper_2018-02: "risen slightly to 537 in December and has missed the target of 516"
    assert text.startswith(
        "The number rose from 531 to 537 (+1.1%) between 2017-18 Q2 and Dec 2017 (no rate "
        "was published for Dec 2017), a deterioration. It is 12 above the last year-end "
        "(525 in 2016-17), a deterioration."
    )
    assert "The number (537) is 21 above the 2017-18 target of 516" in text
    assert "numbers compared" not in text
    # SPC reads the rates, whose latest is 2017-18 Q2: the sentence says so
    assert "(SPC reads the latest point with a rate: 2017-18 Q2.)" in text


def _commentary_markdown(pack, indicator_id):
    r = pack.result(indicator_id)
    return to_markdown(
        [
            report.section("Commentary", report.commentary(pack, r)),
            report.section("Service response", report.service_response(r)),
            report.section(narrative.DRAFT_HEADING, report.draft_commentary(pack, r)),
        ]
    )


def test_commentary_comes_before_service_response_then_the_draft(q2):
    text = _commentary_markdown(q2, "cin")
    assert text.index("### Service response") < text.index("### Draft commentary")
    assert "No commentary supplied" not in text


def test_without_commentary_the_page_says_none_was_supplied_then_drafts(q2):
    text = _commentary_markdown(q2, "contacts")
    assert text.index("No commentary supplied") < text.index("The number fell from 1,043 to 999")


@pytest.mark.parametrize(
    ("mode", "has_own", "has_draft"), [("replace", False, True), ("off", True, False)]
)
def test_draft_modes_show_the_configured_parts(q2, mode, has_own, has_draft):
    text = _commentary_markdown(_with_mode(q2, mode), "cin")
    assert ("### Commentary" in text) is has_own
    assert ("### Draft commentary" in text) is has_draft


def test_draft_off_without_commentary_says_none_supplied(q2):
    text = _commentary_markdown(_with_mode(q2, "off"), "contacts")
    assert "No commentary supplied" in text and "Draft commentary" not in text


def test_an_empty_commentary_file_counts_as_none(q2):
    result = dataclasses.replace(q2.result("cin"), commentary=Commentary("cin"))
    assert report.commentary(q2, result) == [Paragraph("No commentary supplied.")]


def test_unknown_draft_mode_is_a_config_error(tmp_path):
    from analysis.config import parse_council
    from analysis.errors import ConfigError

    raw = {
        "council": {"name": "X", "area_code": "E06000009"},
        "report": {"draft_commentary": "above"},
    }
    with pytest.raises(
        ConfigError, match=r"\[report.draft_commentary\] is 'above'. Fix: use one of below"
    ):
        parse_council(raw, tmp_path / "council.yml")


def test_default_draft_mode_is_below(tmp_path):
    from analysis.config import parse_council

    raw = {"council": {"name": "X", "area_code": "E06000009"}}
    assert parse_council(raw, tmp_path / "council.yml").draft_commentary == "below"


def test_rank_sentence_gives_the_band_and_its_meaning(q3):
    text = narrative.rank_sentence(q3.result("cla"), q3.council_name)
    assert text == (
        "Nationally: Blackpool ranked 152nd of 152 councils in 2016-17 (1 = best), quartile "
        "band D (the worst quarter of councils), from DfE's published figures. Among its "
        "statistical neighbours (DfE CSC SN model April 2021) it ranked 11th of 11 in 2016-17 "
        "(1 = best)."
    )


def test_why_reported_names_each_condition_met(q3):
    assert narrative.why_reported(q3.result("cla")) == (
        "Why it is reported: Off target; worse than at the last year-end; chosen for report "
        "by the service (commentary written this quarter)."
    )
