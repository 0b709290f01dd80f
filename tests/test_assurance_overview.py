"""SPC assurance in the scorecard and the overview's variation and assurance badges."""

from pathlib import Path

import pytest

from analysis.report import assurance_html, open_pack, overview_table, signal_html

REPO = Path(__file__).resolve().parents[1]  # the bundled project


@pytest.fixture(scope="module")
def pack_2015_q2():
    return open_pack(REPO, "2015-16 Q2")


def first(pack, indicator_id):
    card = pack.scorecard
    return card[card["indicator_id"] == indicator_id].iloc[0]


def test_cp_second_plan_target_inside_the_limits_is_hit_or_miss(pack_2015_q2):
    # paper 003: limits 12.85 to 24.55 around a mean of 18.70 (test_spc checks them by hand);
    # the 14.0% target lies between them, so it will be met in some months and not others
    row = first(pack_2015_q2, "cp_second_plan")
    assert (row["signal"], row["assurance"]) == ("common_cause", "hit_or_miss")


def test_cla_rate_target_below_the_lower_limit_is_consistently_failing(pack_2015_q2):
    # target 144.7 per 10,000, lower is better: the whole range between the limits misses it
    spc = pack_2015_q2.insight("cla").spc
    assert spc.iloc[-1]["lpl"] > 144.7
    assert first(pack_2015_q2, "cla")["assurance"] == "consistently_failing"


def test_too_short_for_spc_gives_no_assurance(pack_2015_q2):
    row = first(pack_2015_q2, "reviews_completed")
    assert (row["signal"], row["assurance"]) == ("too_short", "")


def test_overview_shows_assurance_in_words_with_an_icon(pack_2015_q2):
    table = overview_table(pack_2015_q2)
    assert '<th scope="col">SPC assurance</th>' in table
    assert ">F</text></svg>Failing</span>" in table
    assert ">?</text></svg>Hit or miss</span>" in table


@pytest.mark.parametrize(
    ("signal", "better", "letter", "label"),
    [
        ("special_cause_concern", "low", "H", "Concern"),  # higher than expected, lower is better
        ("special_cause_concern", "high", "L", "Concern"),
        ("special_cause_improvement", "low", "L", "Improvement"),
        ("special_cause_improvement", "high", "H", "Improvement"),
    ],
)
def test_variation_icon_letter_says_which_side(signal, better, letter, label):
    badge = signal_html(signal, "run_above", better)
    assert f">{letter}</text></svg>{label}</span>" in badge
    assert 'aria-hidden="true"' in badge  # the icon is decoration; the word carries the meaning


def test_assurance_without_spc_says_not_applicable():
    assert ">n/a</span>" in assurance_html("")
    assert "Not assessed" in assurance_html("no_target")
