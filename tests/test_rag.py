"""RAG against target: green on target, amber within tolerance / above the floor / improving,
red beyond; hand-made cases at each boundary, both polarities, rules and no target."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from test_comparison import make_indicator

from analysis.catalogue import Target
from analysis.comparison import Baseline, compare_one, exception_reasons
from analysis.config import parse_council
from analysis.errors import ConfigError
from analysis.periods import parse_period
from analysis.rag import AMBER, GREEN, RED, RagRule, parse_rag, rag_counts, rate
from analysis.results import rating_for
from analysis.series import Observation
from analysis.tolerance import Tolerance

REPO = Path(__file__).resolve().parents[1]
Q = parse_period("2017-18 Q3")
TEN_PERCENT = RagRule(tolerance=Tolerance(10, relative=True))


def rows(value: float, target: float, better: str = "high", last_year: float | None = None,
         decimals: int = 1) -> list[dict]:  # fmt: skip
    """The comparison rows outturn makes for a figure against an exact target (and last year)."""
    ind = make_indicator(better=better, decimals=decimals)
    current = Observation(Q, value)
    found = [{"comparison": "target",
              **compare_one(ind, current, Baseline("2017-18", target, exact=True))}]  # fmt: skip
    if last_year is not None:
        found.append({"comparison": "same_period_last_year",
                      **compare_one(ind, current, Baseline("2016-17 Q3", last_year))})  # fmt: skip
    return found


@pytest.mark.parametrize(
    ("value", "target", "better", "status"),
    [
        (70.0, 70.0, "high", GREEN),  # exactly on target
        (75.0, 70.0, "high", GREEN),  # beat it
        (63.0, 70.0, "high", AMBER),  # missed by 7.0 = exactly 10% of 70: on the boundary
        (62.9, 70.0, "high", RED),  # just beyond the band
        (100.0, 100.0, "low", GREEN),  # low is better: on target
        (90.0, 100.0, "low", GREEN),
        (110.0, 100.0, "low", AMBER),  # 10% over a low-is-better target: the boundary
        (110.1, 100.0, "low", RED),
        (89.9, 100.0, "high", RED),  # high is better: 10.1 short
    ],
)
def test_ten_percent_band_at_its_boundaries(value, target, better, status):
    assert rate(rows(value, target, better), better, TEN_PERCENT).status == status


@pytest.mark.parametrize(
    ("value", "status"), [(47.5, AMBER), (47.4, RED), (50.0, GREEN), (52.0, GREEN)]
)
def test_an_amount_in_the_unit_as_the_band(value, status):
    rule = RagRule(tolerance=Tolerance(2.5))
    assert rate(rows(value, 50.0), "high", rule).status == status


def test_no_tolerance_makes_any_miss_red():
    assert rate(rows(69.9, 70.0), "high", RagRule()).status == RED
    assert rate(rows(70.0, 70.0), "high", RagRule()).status == GREEN


def test_a_count_target_on_its_boundary():
    """Children looked after: 516 the target (low is better), 10% is 51.6."""
    found = rows(567.6, 516.0, "low")
    assert rate(found, "low", TEN_PERCENT).status == AMBER
    assert rate(rows(567.7, 516.0, "low"), "low", TEN_PERCENT).status == RED
    assert rate(rows(537, 516.0, "low", decimals=0), "low", TEN_PERCENT).reason == (
        "missed by 21, within the tolerance of 51.6"
    )


@pytest.mark.parametrize(
    ("value", "better", "floor", "status"),
    [
        (61.0, "high", 60.0, AMBER),  # between the floor and the target
        (60.0, "high", 60.0, AMBER),  # on the floor
        (59.9, "high", 60.0, RED),  # below it
        (108.0, "low", 110.0, AMBER),  # low is better: the floor is above the target
        (110.5, "low", 110.0, RED),
    ],
)
def test_a_floor_makes_a_miss_above_it_amber(value, better, floor, status):
    target = 70.0 if better == "high" else 100.0
    rule = RagRule(floor=floor)
    assert rate(rows(value, target, better), better, rule).status == status


def test_this_years_floor_overrides_the_indicators():
    rule = RagRule(floor=50.0)
    assert rate(rows(55.0, 70.0), "high", rule, floor=60.0).status == RED
    assert rate(rows(55.0, 70.0), "high", rule).status == AMBER


@pytest.mark.parametrize(
    ("last_year", "improving", "status"),
    [(50.0, True, AMBER), (58.0, True, RED), (50.0, False, RED)],
)
def test_missed_but_improving_on_last_year_is_amber_only_when_asked(last_year, improving, status):
    rule = RagRule(tolerance=Tolerance(5, relative=True), amber_if_improving=improving)
    found = rows(55.0, 70.0, last_year=last_year)  # 15 short: beyond 5% of 70
    assert rate(found, "high", rule).status == status


def test_rule_targets_are_green_or_red_never_amber():
    met = [{"comparison": "target", "judgement": "better", "change": -1.0, "baseline_value": 19.1}]
    missed = [{**met[0], "judgement": "worse", "change": 0.5}]
    generous = RagRule(tolerance=Tolerance(50, relative=True))
    assert rate(met, "low", generous, "decrease_on_last_year").status == GREEN
    assert rate(missed, "low", generous, "decrease_on_last_year").status == RED


def test_no_target_or_a_context_measure_is_not_rated():
    none = [{"comparison": "target", "judgement": "n/a", "change": math.nan,
             "baseline_value": math.nan}]  # fmt: skip
    assert rate(none, "high", TEN_PERCENT).status == ""
    assert rate(rows(60.0, 70.0), None, TEN_PERCENT).status == ""
    assert rag_counts([GREEN, RED, "", RED]) == {"green": 1, "amber": 0, "red": 2, "not_rated": 1}


def test_an_indicators_own_rag_overrides_the_councils():
    ind = make_indicator(better="high", rag={"tolerance": 1})
    found = rating_for(ind, Target(value=70.0), rows(68.0, 70.0), TEN_PERCENT)
    assert found.status == RED  # missed by 2: within 10% (7), not within its own 1
    assert rating_for(ind, Target(value=70.0), rows(68.0, 70.0), None).status == ""


def test_red_and_amber_in_the_exception_rule():
    assert exception_reasons([], ["red", "amber"], rag=RED) == ["red", "amber"]
    assert exception_reasons([], ["red", "amber"], rag=AMBER) == ["amber"]
    assert exception_reasons([], ["red", "amber"], rag=GREEN) == []
    assert exception_reasons([], ["red"], rag=None) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"tolerance": "ten"}, "tolerance is 'ten'"),
        ({"amber_if_improving": "yes"}, "amber_if_improving is 'yes'"),
        ({"floor": "low"}, "floor is 'low'"),
        ({"tolerence": "10%"}, "unknown key"),
        ("on", "write a mapping"),
    ],
)
def test_bad_rag_rules_say_what_to_write(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_rag(raw)


def _council(**report) -> dict:
    from analysis.inputs import load_yaml

    raw = load_yaml(REPO / "data" / "council.yml").data
    raw["report"] = {**raw["report"], **report}
    return raw


def test_report_rag_turns_rag_on_and_red_needs_it():
    assert parse_council(_council(), "council.yml").rag is None
    rule = parse_council(_council(rag={"tolerance": "10%"}), "council.yml").rag
    assert rule == TEN_PERCENT
    assert parse_council(_council(rag=True), "council.yml").rag == RagRule()
    with pytest.raises(ConfigError, match=r"\[report.exception_rule\] uses red but RAG is off"):
        parse_council(_council(exception_rule=["red"]), "council.yml")


def test_rag_on_appends_a_rag_column_and_keeps_every_figure(data, q3):
    from analysis.pack import build_pack

    council = dataclasses.replace(data.council, rag=TEN_PERCENT)
    rated = build_pack(dataclasses.replace(data, council=council), Q)
    before = q3.scorecard
    after = rated.scorecard
    assert "rag" not in before.columns
    assert list(after.columns[: len(before.columns) - 4]) == list(before.columns[:-4])
    columns = after.columns.tolist()
    assert columns.index("rag") == columns.index("exception_reason") + 1
    same = ["value", "baseline_value", "change", "judgement", "exception"]
    assert after[same].equals(before[same])
    status = after.drop_duplicates("indicator_id").set_index("indicator_id")["rag"]
    # Dec 2017: 537 looked after against 516 (21 over, inside 51.6); 356 on plans against 350;
    # contacts 447 under 850 a month; 29% within 15 days against 30%
    assert status[["cla", "cp_plans", "contacts", "assessments_15_days"]].tolist() == [
        AMBER, AMBER, GREEN, AMBER,
    ]  # fmt: skip
    assert status["cin"] == ""  # "No Target Set"


def test_without_rag_the_overview_is_as_before(q3):
    from analysis import report, tables

    assert "RAG" not in tables.overview_table(q3).frame.columns
    assert report.rag_summary(q3) == [] and report.rag_key(q3) == []
    assert isinstance(report.overview_table(q3), tables.Table)  # one priority: one table


def test_the_rag_mark_is_a_shape_with_its_word(data):
    from analysis import tables
    from analysis.markup import mark_html
    from analysis.pack import build_pack

    council = dataclasses.replace(data.council, rag=TEN_PERCENT)
    pack = build_pack(dataclasses.replace(data, council=council), Q)
    frame = tables.overview_table(pack).frame
    assert list(frame.columns).index("RAG") == list(frame.columns).index("Target 2017-18") + 1
    mark = frame.set_index("Indicator").loc["Children looked after", "RAG"]
    assert str(mark) == "\u25b2 Amber"
    assert mark_html(mark) == (
        '<span class="rag rag-amber" title="Amber: missed by 21, within the tolerance of 51.6">'
        '<span class="rag-shape" aria-hidden="true">\u25b2</span> Amber</span>'
    )
    from analysis.sentences.pages import rag_headline

    assert rag_headline(pack) == (
        "2017-18 Q3: 15 indicators; 5 rated: 2 green, 3 amber, 0 red; 10 with no target; 10 "
        "more with no figure this quarter."
    )
