"""Profiled targets and trajectories: the quarter's comparison, year-to-date measures, SPC
assurance against the trajectory, and the dashed line on the chart.

No paper in the bundled data prints a target profile (004's Improvement Board targets are
single figures: 850 contacts a month, 350 on plans, 516 looked after), so these tests add a
documented example profile to a copy of the project rather than invent one in data/.
"""

from __future__ import annotations

import math

import pytest
from rendered_quarter import copy_project
from test_comparison import make_indicator

from analysis.catalogue import parse_catalogue
from analysis.comparison import Baseline, compare_indicator, target_baseline
from analysis.config import project_paths
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.series import Observation, SeriesIndex

EXAMPLE = "{value: 350, profile: {Q1: 380, Q2: 365, Q3: 355, Q4: 350}}"
"""An example profile for children on child protection plans, 2017-18: down from 385 in
May 2017 to the Improvement Board's 350 by March (the quarterly steps are illustrative)."""


def _targets(spec: dict, year: str = "2017-18") -> dict:
    raw = {"indicators": [{"id": "x", "title": "X", "better": "low", "unit": "count",
                           "frequency": "monthly", "measure": "snapshot",
                           "targets": {year: spec}}]}  # fmt: skip
    catalogue, problems = parse_catalogue(raw, "indicators.yml")
    return catalogue["x"].targets[year] if not problems else problems


def test_a_quarterly_profile_gives_each_period_its_target():
    target = _targets({"value": 350, "profile": {"Q1": 380, "Q2": 365, "Q3": 355, "Q4": 350}})
    at = {label: target.profiled(parse_period(label)) for label in
          ("Nov 2017", "2017-18 Q3", "2017-18", "Apr 2017")}  # fmt: skip
    assert at["Nov 2017"] == (parse_period("2017-18 Q3"), 355.0)  # a month: its quarter's
    assert at["2017-18 Q3"][1] == 355.0
    assert at["2017-18"] == (parse_period("2017-18 Q4"), 350.0)  # the year: Q4's
    assert at["Apr 2017"][1] == 380.0


def test_a_monthly_profile_and_a_year_target_taken_from_it():
    target = _targets({"profile": {"Apr": 12, "May": 11, "Mar": 5}})
    assert target.value == 5.0  # March's value is the year's target when none is given
    assert target.profiled(parse_period("May 2017"))[1] == 11.0
    assert target.profiled(parse_period("2017-18 Q4")) == (parse_period("Mar 2018"), 5.0)
    assert target.profiled(parse_period("Jun 2017")) is None  # not profiled: the year's target


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"Q1": 1, "Apr": 2}, "mixes quarters and months"),
        ({"Q5": 1}, "not a quarter or month"),
        ({"2016-17 Q1": 1}, "is not a quarter or month of 2017-18"),
        ({"Q1": "high"}, "Q1: 'high' is not a number"),
    ],
)
def test_bad_profiles_say_what_to_write(profile, message):
    problems = _targets({"value": 1, "profile": profile})
    assert isinstance(problems, list) and message in problems[0].message


def _index(rows: list[tuple]) -> SeriesIndex:
    import pandas as pd

    return SeriesIndex(pd.DataFrame([
        {"indicator_id": "ind", "area_code": "A", "period": parse_period(p).label, "value": v,
         "count": math.nan, "status": ""} for p, v in rows
    ]))  # fmt: skip


def test_a_year_to_date_measure_is_compared_with_the_profile_not_the_year_end():
    """Reviews completed so far this year: 32.1% at Q2 is behind a 35% profile, not 70%."""
    profile = {"Q1": 17.5, "Q2": 35, "Q3": 52.5, "Q4": 70}
    target = _targets({"value": 70, "profile": profile}, "2015-16")
    ind = make_indicator(better="high", measure="cumulative_ytd", targets={"2015-16": target})
    index = _index([("2015-16 Q1", 15.1), ("2015-16 Q2", 32.1)])
    p = parse_period("2015-16 Q2")
    base = target_baseline(index, ind, "A", p)
    assert (base.period, base.value) == ("2015-16 Q2", 35.0)
    row = next(r for r in compare_indicator(index, ind, "A", "E", Observation(p, 32.1), p)
               if r["comparison"] == "target")  # fmt: skip
    assert (row["change"], row["judgement"]) == (-2.9, "worse")
    assert "profiled target for 2015-16 Q2" in row["note"]


def test_without_a_profile_the_year_target_stands():
    ind = make_indicator(targets={"2017-18": _targets({"value": 60})})
    found = target_baseline(_index([("2016-17", 1.0)]), ind, "A", parse_period("2017-18 Q2"))
    assert found == Baseline("2017-18", 60.0, note="60", exact=True)


@pytest.fixture(scope="module")
def profiled(tmp_path_factory):
    """2017-18 Q3 of a copy of the project with the example profile on cp_plans."""
    from analysis.validation import load_project

    root = copy_project(tmp_path_factory.mktemp("profiled"))
    catalogue = root / "data" / "indicators.yml"
    text = catalogue.read_text(encoding="utf-8")
    old = '2017-18: {value: 350, text: "350"}'
    assert old in text
    catalogue.write_text(text.replace(old, f"2017-18: {EXAMPLE}"), encoding="utf-8")
    return build_pack(load_project(project_paths(root)), parse_period("2017-18 Q3"))


def test_the_quarters_comparison_and_chart_use_the_profile(profiled):
    from analysis import report
    from analysis.charts import chart_data

    r = profiled.result("cp_plans")
    row = r.comparison("target")
    assert (row["baseline_period"], row["baseline_value"], row["change"]) == (
        "2017-18 Q3", 355.0, 1.0,  # 356 in Dec 2017 against 355 for Q3 (350 by March)
    )  # fmt: skip
    assert [(p.label, v) for p, v in r.trajectory][-1] == ("2017-18 Q4", 350.0)
    figure = report.chart(profiled, r)
    spec = figure.chart.to_dict()
    dashed = [layer for layer in spec["layer"]
              if isinstance(layer.get("mark"), dict) and layer["mark"].get("strokeDash")
              and layer["mark"].get("type") == "line"]  # fmt: skip
    assert dashed, "the trajectory is a dashed line"
    assert "Target trajectory: 380 in 2017-18 Q1 to 350 in 2017-18 Q4" in spec["description"]
    data = chart_data(figure.chart)
    assert data[data.series == "Target trajectory"]["value"].tolist() == [380, 365, 355, 350]


def test_target_text_gives_the_quarters_profile_and_the_year(profiled):
    from analysis.tables import target_text

    assert target_text(profiled.result("cp_plans")) == "355 for 2017-18 Q3 (350 by the year-end)"


def test_spc_assurance_is_judged_against_the_trajectory(data):
    """A process running at about 400 (low is better) fails a flat 350 but passes a
    trajectory that asks for 420 by December on its way down to 350 by March."""
    import pandas as pd

    from analysis.benchmarking import empty_ranks
    from analysis.results import Context, build_result

    months = [f"{m} 2017" for m in ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())]
    values = [400, 404, 398, 402, 399, 401, 403, 397, 400, 402, 398, 401]
    index = SeriesIndex(pd.DataFrame([
        {"indicator_id": "ind", "area_code": data.council.council.area_code,
         "period": m, "value": v, "count": math.nan, "status": ""}
        for m, v in zip(months, values, strict=True)
    ]))  # fmt: skip
    flat = _targets({"value": 350})
    path = _targets({"value": 350, "profile": {"Dec": 420, "Mar": 350}})
    quarter = parse_period("2017-18 Q3")
    found = {}
    for name, target in (("flat", flat), ("path", path)):
        ind = make_indicator(unit="count", frequency="monthly", targets={"2017-18": target})
        ctx = Context(index, data.council, quarter, empty_ranks(), {})
        found[name] = build_result(ctx, ind)
    assert found["flat"].spc.assurance == "consistently_failing"
    assert found["path"].spc.assurance == "consistently_passing"
    assert found["path"].comparison("target")["baseline_value"] == 420.0


def test_the_draft_names_the_profiled_target(profiled):
    from analysis.sentences.indicator import target_sentence

    assert target_sentence(profiled.result("cp_plans")) == (
        "The number (356) is 1 above the profiled target for 2017-18 Q3 of 355, so the target "
        "is not met."
    )
