"""Tests for analysis.spc.

Tests marked "ported" take their inputs and expected outputs from the unit tests
and snapshots of the R package NHSRplotthedots (NHS-R Community, MIT licence),
https://github.com/nhs-r-community/NHSRplotthedots, tests/testthat/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import OutturnError, SPCError
from analysis.spc import (
    COMMON_CAUSE,
    CONSISTENTLY_FAILING,
    CONSISTENTLY_PASSING,
    HIT_OR_MISS,
    MISSING,
    NO_TARGET,
    OUTSIDE_LIMITS,
    RUN_ABOVE,
    RUN_BELOW,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL,
    TOO_SHORT,
    TREND_DECREASING,
    TREND_INCREASING,
    TWO_OF_THREE_HIGH,
    assurance,
    part_of_run,
    part_of_two_in_three,
    process_limits,
    run_ends,
    trend_ends,
    two_in_three,
    variation,
    xmr,
)

# rnorm(20) after set.seed(123) in R, the series used throughout NHSRplotthedots' tests
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip

# paper 003 (2015/16 Q2): % of children subject to a CP plan for a 2nd or subsequent time
CP_SECOND_PLAN = [16.7, 17.2, 22.4, 20.4, 18.4, 17.1]
CP_MONTHS = ["Apr 2015", "May 2015", "Jun 2015", "Jul 2015", "Aug 2015", "Sep 2015"]


# --- ported: test-ptd_calculate_point_type.R -------------------------------------------
@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
    ],
)
def test_run_ends_flags_seventh_point_on_one_side(side, expected):
    # test-ptd_calculate_point_type.R: "ptd_seven_point_one_side_mean works as expected"
    assert run_ends(side).tolist() == expected


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ([], []),
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
        ([0] * 7 + [-1, 0], [0] + [1] * 7 + [0]),
    ],
)
def test_part_of_run_flags_every_point_of_the_run(ends, expected):
    # test-ptd_calculate_point_type.R: "ptd_part_of_seven_trend works as expected"
    assert part_of_run(ends).tolist() == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ([], []),
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        ([1, 2, 3, 4, 5, 6, 7], [0] * 6 + [1]),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] * 7 + [1, 0]),
        ([7, 6, 5, 4, 3, 2, 1], [0] * 6 + [-1]),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] * 7 + [-1, 0]),
    ],
)
def test_trend_ends_flags_seventh_point_of_a_trend(y, expected):
    # test-ptd_calculate_point_type.R: "ptd_seven_point_trend works as expected"
    assert trend_ends(y).tolist() == expected


@pytest.mark.parametrize(
    ("close", "side", "expected"),
    [
        ([], [], []),
        ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
        ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
    ],
)
def test_two_in_three_flags_windows_with_two_close_points(close, side, expected):
    # test-ptd_calculate_point_type.R: "ptd_two_in_three works as expected"
    assert two_in_three(close, side).tolist() == expected


@pytest.mark.parametrize(
    ("close", "side"),
    [
        ([1, 0, 1], [1, -1, 1]),
        ([0, 1, 1], [1, -1, 1]),
        ([1, 1, 0], [1, -1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1]),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1]),
    ],
)
def test_two_in_three_opposite_sides_of_mean_not_flagged(close, side):
    # test-ptd_calculate_point_type.R:
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    assert two_in_three(close, side).tolist() == [0] * len(close)


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([], []),
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_part_of_two_in_three_keeps_only_close_points(close, expected):
    # test-ptd_calculate_point_type.R: "ptd_part_of_two_in_three works as expected"
    flags = two_in_three(close, [1] * len(close))
    assert part_of_two_in_three(flags, close).tolist() == expected


# --- ported: test-ptd_spc_standard.R and its snapshot -----------------------------------
def test_limits_match_upstream_snapshot():
    # test-ptd_spc_standard.R "it returns expected values", snapshot r1
    mean, lpl, upl = process_limits(RNORM_123)
    assert mean == pytest.approx(0.1416238, abs=1e-7)
    assert lpl == pytest.approx(-3.01138, abs=1e-5)
    assert upl == pytest.approx(3.294627, abs=1e-6)


@pytest.mark.parametrize(
    ("screen", "lpl", "upl"),
    [(True, -2.383666, 3.722497), (False, -4.596625, 5.935457)],
)
def test_screen_outliers_narrows_limits_as_upstream(screen, lpl, upl):
    # test-ptd_spc_standard.R "it returns expected values", snapshots r2 and r3 (y[15] = 10)
    y = list(RNORM_123)
    y[14] = 10
    frame = xmr(y, screen_outliers=screen)
    assert frame["mean"].iloc[0] == pytest.approx(0.6694159, abs=1e-7)
    assert frame["lpl"].iloc[0] == pytest.approx(lpl, abs=1e-6)
    assert frame["upl"].iloc[0] == pytest.approx(upl, abs=1e-6)
    assert frame["rule"].iloc[14] == OUTSIDE_LIMITS


def test_rebase_gives_each_segment_its_own_limits():
    # snapshot of test-ptd_spc.R "it outputs expected content": two groups of 10
    # (0.0746, -2.60, 2.75) and (0.209, -3.28, 3.70); here as a rebase at point 11
    frame = xmr(RNORM_123, rebase=[11])
    first = frame.groupby("segment")[["mean", "lpl", "upl"]].first().round(2)
    assert first.to_dict("list") == {"mean": [0.07, 0.21], "lpl": [-2.6, -3.28], "upl": [2.75, 3.7]}
    assert frame["segment"].tolist() == [1] * 10 + [2] * 10


def test_fix_after_holds_limits_from_first_points():
    # test-ptd_spc_standard.R "setting fix_after_n_points changes the calculations"
    fixed = xmr(RNORM_123, fix_after=12)
    free = xmr(RNORM_123)
    assert fixed["lpl"].iloc[0] != free["lpl"].iloc[0]
    assert fixed["upl"].iloc[0] != free["upl"].iloc[0]
    # mean of the first 12 values, by hand: 2.33015 / 12
    assert fixed["mean"].iloc[-1] == pytest.approx(0.1941793, abs=1e-7)


def test_two_close_points_on_opposite_sides_are_common_cause():
    # test-ptd_spc_standard.R "it only reports special cause for 2of3 points close to
    # limits when they are on the same side of the mean"
    data = [1, -1] * 8
    data[14], data[15] = 5.5, -5.5
    frame = xmr(data)
    assert frame["point_type"].tail(2).tolist() == [COMMON_CAUSE, COMMON_CAUSE]


@pytest.mark.parametrize(
    ("y", "rule"),
    [(list(range(8)), TREND_INCREASING), ([-v for v in range(8)], TREND_DECREASING)],
)
def test_seven_point_trend_flags_all_points_either_direction(y, rule):
    # NHSRplotthedots issue #167 ("Does not flag a decreasing trend of seven"): 0:7 and 0:-7
    frame = xmr(y)
    assert frame["special_cause"].all()
    assert all(rule in r.split(";") for r in frame["rule"])


# --- ported: test-ptd_calculate_assurance_type.R ----------------------------------------
LIMITS = [{"lpl": 1, "upl": 3}, {"lpl": 5, "upl": 7}, {"lpl": 1, "upl": 5}]


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", [CONSISTENTLY_FAILING, CONSISTENTLY_PASSING, HIT_OR_MISS]),
        ("decrease", [CONSISTENTLY_PASSING, CONSISTENTLY_FAILING, HIT_OR_MISS]),
        (None, [NO_TARGET] * 3),
    ],
)
def test_assurance_compares_target_with_limits(improvement, expected):
    # test-ptd_calculate_assurance_type.R "it returns correct values for assurance when
    # improvement_direction is increase / decrease / neutral" (target 4)
    assert [assurance(seg, 4, improvement) for seg in LIMITS] == expected


def test_assurance_without_target_is_no_target():
    # test-ptd_calculate_assurance_type.R "it returns a column of NA's if there is no target"
    assert assurance(LIMITS[0], None, "increase") == NO_TARGET


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ([0, 1, 2], HIT_OR_MISS),
        ([1, 2, 0], CONSISTENTLY_PASSING),
        ([2, 0, 1], CONSISTENTLY_FAILING),
    ],
)
def test_assurance_uses_latest_row(order, expected):
    # test-ptd_calculate_assurance_type.R "it returns correct values for assurance when
    # rebase" (decrease, target 4; the last row is the latest segment)
    frame = pd.DataFrame([LIMITS[i] for i in order])
    assert assurance(frame, 4, "decrease") == expected


# --- outturn's own cases ----------------------------------------------------------------
def test_cp_second_plan_limits_match_hand_calculation():
    # mean = (16.7 + 17.2 + 22.4 + 20.4 + 18.4 + 17.1) / 6 = 112.2 / 6 = 18.70
    # moving ranges 0.5, 5.2, 2.0, 2.0, 1.3: mean 11.0 / 5 = 2.20 (none >= 3.267 x 2.20)
    # lpl = 18.70 - 2.66 x 2.20 = 12.848; upl = 18.70 + 5.852 = 24.552
    frame = xmr(CP_SECOND_PLAN, CP_MONTHS, improvement="decrease", target=14)
    assert round(frame["mean"].iloc[0], 2) == 18.70
    assert round(frame["lpl"].iloc[0], 2) == 12.85
    assert round(frame["upl"].iloc[0], 2) == 24.55
    assert round(frame["upper_two_sigma"].iloc[0], 2) == 22.60  # 18.70 + 2/3 x 5.852
    assert not frame["special_cause"].any()
    assert frame["assurance"].iloc[-1] == HIT_OR_MISS  # target 14% lies within the limits
    assert frame["period"].tolist() == CP_MONTHS


def test_variation_common_cause_gives_limits_and_numbers_only():
    frame = xmr(CP_SECOND_PLAN, CP_MONTHS, improvement="decrease")
    summary = variation(frame)
    assert summary["signal"] == COMMON_CAUSE
    assert summary["n_points"] == 6
    assert summary["trial_limits"] is True
    assert (round(summary["lpl"], 2), round(summary["upl"], 2)) == (12.85, 24.55)
    assert (summary["period"], summary["value"]) == ("Sep 2015", 17.1)
    assert (summary["run_length"], summary["trend_length"]) == (7, 7)
    assert "message" not in summary  # analysis.sentences.spc_sentence says it in words


@pytest.mark.parametrize("n", [0, 1, 4, 5])
def test_variation_short_series_is_too_short(n):
    frame = xmr(CP_SECOND_PLAN[:n], CP_MONTHS[:n])
    summary = variation(frame)
    assert summary["signal"] == TOO_SHORT
    assert (summary["n_points"], summary["assurance"]) == (n, "")


def test_variation_thirteen_points_are_not_trial_limits():
    frame = xmr(RNORM_123[:13])
    assert variation(frame)["trial_limits"] is False
    assert variation(xmr(RNORM_123[:12]))["trial_limits"] is True


def _shift_series() -> list[float]:
    """Twelve points about 10, then a step up to seven points about 10.5 (inside the limits)."""
    return [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9] + [10.5, 10.6, 10.4, 10.5, 10.7, 10.4, 10.6]


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", SPECIAL_CAUSE_IMPROVEMENT),
        ("decrease", SPECIAL_CAUSE_CONCERN),
        (None, SPECIAL_CAUSE_NEUTRAL),
    ],
)
def test_polarity_decides_improvement_or_concern(improvement, expected):
    frame = xmr(_shift_series(), improvement=improvement)
    assert frame["point_type"].tail(7).tolist() == [expected] * 7
    assert frame["rule"].tail(7).tolist() == [RUN_ABOVE] * 7
    assert frame["point_type"].iloc[11] == COMMON_CAUSE  # 9 < mean: not part of the run
    assert variation(frame)["signal"] == expected


def test_variation_special_cause_names_rule():
    summary = variation(xmr(_shift_series(), improvement="decrease"))
    assert summary["rule"] == RUN_ABOVE
    assert summary["signal"] == SPECIAL_CAUSE_CONCERN


def test_outside_limits_decides_over_run():
    # limits held from the first 12 points: mean 10, moving ranges 15 / 11, upl 13.63
    y = _shift_series() + [30]
    frame = xmr(y, improvement="decrease", fix_after=12)
    assert round(frame["upl"].iloc[-1], 2) == 13.63
    assert frame["rule"].iloc[-1] == f"{OUTSIDE_LIMITS};{RUN_ABOVE}"
    assert frame["point_type"].iloc[-1] == SPECIAL_CAUSE_CONCERN
    assert variation(frame)["rule"] == f"{OUTSIDE_LIMITS};{RUN_ABOVE}"


def test_trend_point_below_mean_takes_trend_direction():
    # an increasing trend that starts below the mean: its first points are improvement
    # (the trend rule decides before the run rule), not concern
    # limits from the first 8 points (mean 5.25), so the earlier points make no run
    y = [5, 5.5, 5, 5.5, 5, 5.5, 5, 5.5, 4, 4.2, 4.4, 4.6, 4.8, 5.0, 5.2]
    frame = xmr(y, improvement="increase", fix_after=8)
    assert frame["rule"].iloc[8].split(";")[0] == TREND_INCREASING
    assert frame["value"].iloc[8] < frame["mean"].iloc[8]
    assert frame["point_type"].iloc[8:].tolist() == [SPECIAL_CAUSE_IMPROVEMENT] * 7
    assert frame["point_type"].iloc[7] == COMMON_CAUSE


def test_two_of_three_high_flags_only_the_close_points():
    # limits from the first 12 points: mean 10, two-sigma line 10 + (2/3) x 3.627 = 12.42
    y = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 12.6, 10.5, 12.7, 10]
    frame = xmr(y, improvement="increase", fix_after=12)
    assert round(frame["upper_two_sigma"].iloc[0], 2) == 12.42
    assert frame["rule"].iloc[13] == TWO_OF_THREE_HIGH
    assert frame["rule"].iloc[15] == TWO_OF_THREE_HIGH
    assert frame["rule"].iloc[14] == ""
    assert frame["special_cause"].sum() == 2


def test_rebase_by_period_label_splits_limits():
    periods = [
        f"{y}-{y + 1 - 2000:02d} Q{q}" for y in (2019, 2020, 2021, 2022) for q in (1, 2, 3, 4)
    ]
    values = [10, 11, 9, 10, 11, 9, 10, 11, 20, 21, 19, 20, 21, 19, 20, 21]
    plain = xmr(values, periods, improvement="increase")
    rebased = xmr(values, periods, improvement="increase", rebase=["2021-22 Q1"], target=15)
    assert plain["special_cause"].sum() == 16  # one mean across a step: every point a run
    assert rebased["special_cause"].sum() == 0
    assert rebased["mean"].unique().tolist() == [10.125, 20.125]
    # segment 2: moving ranges 1, 2, 1, 1, 2, 1, 1 -> 9 / 7; lpl = 20.125 - 2.66 x 9/7 = 16.705
    assert rebased["lpl"].iloc[-1] == pytest.approx(16.705)
    assert rebased["assurance"].iloc[-1] == CONSISTENTLY_PASSING
    assert rebased["assurance"].iloc[0] == CONSISTENTLY_FAILING  # 15 above 6.70 to 13.55


def test_rebase_matches_other_period_spellings():
    frame = xmr(RNORM_123[:6], CP_MONTHS, rebase=["2015-07"])
    assert frame["segment"].tolist() == [1, 1, 1, 2, 2, 2]


def test_missing_values_skipped_in_limits_and_rules():
    # limits: mean of the 8 observed values = 72 / 8 = 9; moving ranges only between
    # adjacent observed values, none across the gap: 1, 2, 1 and 1, 1, 7 -> 13 / 6
    # (7 < 3.267 x 13/6 = 7.08, so not screened); lpl = 9 - 2.66 x 13/6 = 3.2367
    y = [10, 11, 9, 10, np.nan, 11, 10, 9, 2]
    frame = xmr(y)
    assert frame["mean"].iloc[0] == pytest.approx(9.0)
    assert frame["lpl"].iloc[0] == pytest.approx(9 - 2.66 * 13 / 6)
    assert frame["rule"].iloc[-1] == OUTSIDE_LIMITS
    assert frame["point_type"].iloc[4] == MISSING
    assert not frame["special_cause"].iloc[4]
    assert frame["period"].tolist() == list(range(1, 10))


def test_run_continues_across_a_gap():
    # seven observed points above the mean with a missing month among them still make a run
    y = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 3, 3.2, np.nan, 3.1, 3.3, 3.1, 3.2, 3.1]
    frame = xmr(y, improvement="decrease")
    assert frame["rule"].iloc[12:].tolist() == [RUN_ABOVE] * 2 + [""] + [RUN_ABOVE] * 5
    assert frame["point_type"].iloc[-1] == SPECIAL_CAUSE_CONCERN
    assert variation(frame)["n_points"] == 19


def test_run_below_mean_is_improvement_when_lower_is_better():
    y = [3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 1.9, 1.8, 1.9, 1.8, 1.9, 1.8, 1.9]
    frame = xmr(y, improvement="decrease")
    assert frame["rule"].iloc[-1] == RUN_BELOW
    assert frame["point_type"].iloc[-1] == SPECIAL_CAUSE_IMPROVEMENT


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rebase": ["Dec 2015"]}, r"rebase period 'Dec 2015' is not in the series"),
        ({"improvement": "up"}, r"improvement 'up' is not recognised; use 'increase'"),
        ({"fix_after": 1}, r"fix_after=1: limits need at least 2 points"),
    ],
)
def test_bad_options_raise_spc_error(kwargs, match):
    with pytest.raises(SPCError, match=match):
        xmr(CP_SECOND_PLAN, CP_MONTHS, **kwargs)


def test_periods_out_of_order_raise_spc_error():
    with pytest.raises(OutturnError, match=r"'Apr 2015' \(position 2\) does not come after"):
        xmr([1, 2, 3], ["May 2015", "Apr 2015", "Jun 2015"])


def test_text_value_raises_spc_error():
    with pytest.raises(SPCError, match=r"value '12a' at position 2 is not a number"):
        xmr([1, "12a", None, 3])


def test_values_and_periods_of_different_length_raise():
    with pytest.raises(SPCError, match="3 values but 2 periods"):
        xmr([1, 2, 3], ["May 2015", "Jun 2015"])


def test_single_point_has_no_limits_and_is_common_cause():
    frame = xmr([5.0])
    assert frame["mean"].iloc[0] == 5.0
    assert np.isnan(frame["upl"].iloc[0])
    assert frame["point_type"].iloc[0] == COMMON_CAUSE


def test_flat_series_has_zero_width_limits_and_no_signal():
    # every moving range is 0: nothing to screen, limits collapse onto the mean
    frame = xmr([4.0] * 8)
    assert frame["lpl"].tolist() == [4.0] * 8
    assert frame["upl"].tolist() == [4.0] * 8
    assert not frame["special_cause"].any()
