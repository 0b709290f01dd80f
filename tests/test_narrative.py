"""Tests for analysis.narrative: the generated draft commentary."""

from __future__ import annotations

import dataclasses

import pytest

from analysis import narrative
from analysis.config import project_paths
from analysis.loading import Commentary
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.validation import load_project


@pytest.fixture(scope="module")
def pack():
    data = load_project(project_paths(narrative.__file__.rsplit("/analysis/", 1)[0]))
    return build_pack(data, parse_period("2017-18 Q2"))


def _with_mode(pack, mode):
    council = dataclasses.replace(pack.data.council, draft_commentary=mode)
    data = dataclasses.replace(pack.data, council=council)
    return dataclasses.replace(pack, data=data)


def test_change_sentence_cin_matches_scorecard_numbers(pack):
    assert narrative.change_sentence(pack, "cin") == (
        "The rate fell from 689.0 to 675.4 per 10,000 (-2.0%) between 2017-18 Q1 and "
        "2017-18 Q2, an improvement."
    )


def test_draft_commentary_cin_reads_year_end_target_and_benchmarks(pack):
    text = narrative.draft_commentary(pack, "cin")
    # 2016-17 ends before the April 2017 series break, so the year-end is not judged
    assert (
        "It cannot be compared with the last year-end (2016-17): series break at Apr 2017."
    ) in text
    assert "There is no numeric target for 2017-18 (No Target Set)." in text
    assert (
        "It is above the statistical-neighbour average (536.1 in 2016-17) and above "
        "England (333.3 in 2016-17)."
    ) in text


def test_target_sentence_on_count_uses_the_number_behind_the_rate(pack):
    # The 2017-18 CLA target is set on the number of children (516), not the rate.
    assert narrative.target_sentence(pack, "cla") == (
        "The number (531) is 15 above the 2017-18 target of 516, so the target is not met."
    )


def test_flow_compares_with_last_years_average_per_quarter(pack):
    text = narrative.draft_commentary(pack, "early_help_assessments")
    assert text.startswith("The number fell from 629 to 514 (-18.3%) between 2017-18 Q1")
    assert "It is 271 below the average per quarter last year (785 in 2016-17)" in text


def test_count_indicator_leaves_out_england_comparison(pack):
    assert narrative.benchmark_sentence(pack, "contacts") == ""


def test_spc_sentence_reads_the_limits_of_the_quarterly_series(pack):
    assert narrative.spc_sentence(pack, "contacts_12m").startswith(
        "Common-cause variation: the latest value is within the expected range 12,432 to 12,781."
    )


def test_spc_sentence_after_a_series_break_is_left_out_when_too_short(pack):
    # CIN figures from April 2017 are not comparable with earlier ones: two points since.
    assert narrative.spc_sentence(pack, "cin") == ""


def test_crossing_sentence_names_the_target(pack):
    text = narrative.crossing_sentence(pack, "contacts")
    assert "2017-18 target" in text and "850.0" in text


def test_council_series_puts_year_ends_at_q4_with_gaps(pack):
    series = narrative.council_series(pack, "cla")
    assert series["2016-17 Q4"] == pytest.approx(183.0)
    assert series.index[-1] == "2017-18 Q2"
    assert series.isna().sum() == 8


def test_block_below_keeps_analyst_text_then_draft(pack):
    html = narrative.commentary_block(pack, "cin")
    assert html.index("Service response") < html.index(narrative.DRAFT_HEADING)
    assert "No commentary supplied" not in html


def test_block_without_commentary_shows_note_and_draft(pack):
    html = narrative.commentary_block(pack, "contacts")
    assert html.index("No commentary supplied") < html.index("The number fell from 1,043 to 999")


@pytest.mark.parametrize(
    ("mode", "has_own", "has_draft"), [("replace", False, True), ("off", True, False)]
)
def test_block_modes_show_the_configured_parts(pack, mode, has_own, has_draft):
    html = narrative.commentary_block(_with_mode(pack, mode), "cin")
    assert ("Service response" in html) is has_own
    assert (narrative.DRAFT_HEADING in html) is has_draft


def test_block_off_without_commentary_says_none_supplied(pack):
    html = narrative.commentary_block(_with_mode(pack, "off"), "contacts")
    assert "No commentary supplied" in html and narrative.DRAFT_HEADING not in html


def test_block_empty_commentary_file_counts_as_none(pack):
    p = dataclasses.replace(pack, commentary={"cin": Commentary("cin")})
    assert "No commentary supplied" in narrative.commentary_block(p, "cin")


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


def test_spc_sentence_agrees_with_the_page_insight(pack):
    # The draft and "What the figures say" must not give two readings of one series.
    assert narrative.spc_sentence(pack, "cla") == pack.insight("cla").variation["message"]
    assert narrative.spc_sentence(pack, "cla").startswith(
        "Special-cause concern: the latest value (185.6) is above the upper process limit"
    )


def test_draft_for_a_count_only_month_speaks_of_numbers():
    from pathlib import Path

    from analysis.report import open_pack

    q3 = open_pack(Path(__file__).resolve().parents[1], "2017-18 Q3")
    text = narrative.draft_commentary(q3, "cla")
    # paper_2018-02: "risen slightly to 537 in December and has missed the target of 516"
    assert text.startswith(
        "The number rose from 531 to 537 (+1.1%) between 2017-18 Q2 and Dec 2017 (no rate "
        "was published for Dec 2017), a deterioration. It is 12 above the last year-end "
        "(525 in 2016-17), a deterioration."
    )
    assert "The number (537) is 21 above the 2017-18 target of 516" in text
    assert "numbers compared" not in text
