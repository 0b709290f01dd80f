"""Issue 11 in the report: the right comparator group, shares never summed, bounds kept,
the whole quarter, and one source for the council's own history."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from rendered_quarter import REPO, copy_project
from test_comparison import make_index, make_indicator

from analysis import report, tables
from analysis.config import ComparatorGroup, GroupModel, project_paths
from analysis.display import to_markdown
from analysis.pack import build_pack, choose_quarter
from analysis.periods import Period, parse_period
from analysis.series import value_at
from analysis.validation import load_project

TRAFFORD = REPO / "data" / "examples" / "trafford"


# --- the indicator's own comparator group -------------------------------------------------


@pytest.fixture(scope="module")
def trafford():
    return report.open_pack(TRAFFORD, "2022-23 Q4")


def test_a_named_group_gives_its_own_average_not_the_dfe_neighbours(trafford):
    r = trafford.result("cla_health_assessment")
    sn = r.comparison("statistical_neighbours")
    # the Data Lab's ten neighbours average 89.6 (10 of 10 had a figure; hand-checked in
    # test_trafford_example); DfE's April 2021 neighbours would give 88.5 (6 of 10)
    assert (r.group.id, sn["baseline_value"]) == ("trafford_sn", 89.6)
    assert sn["note"] == (
        "Trafford's statistical neighbours (Trafford Data Lab): 10 of 10 councils had a figure"
    )
    assert (sn["direction"], sn["judgement"]) == ("down", "worse")  # 87 against 89.6
    dfe = trafford.data.council.comparator("neighbours")
    v = trafford.values
    rows = v[(v.indicator_id == "cla_health_assessment") & (v.period == "2022-23")
             & v.area_code.isin(dfe.codes_for(2022))]  # fmt: skip
    assert rows.value.mean() != pytest.approx(89.6)  # the two groups really differ


def test_the_chart_key_and_band_name_and_use_the_group(trafford):
    r = trafford.result("cla_health_assessment")
    assert "Trafford's statistical neighbours (Trafford Data Lab) (mean)" in set(r.chart.series)
    last = r.band.iloc[-1]
    assert (last["period"], int(last["n"])) == ("2022-23", 10)


@pytest.fixture(scope="module")
def blackpool_with_cipfa(tmp_path_factory) -> Path:
    """Blackpool with a 15-council group of which only 2 have any figures, for one indicator."""
    project = copy_project(tmp_path_factory.mktemp("cipfa") / "project")
    council = yaml.safe_load((project / "data" / "council.yml").read_text())
    have = [a["area_code"] for a in council["neighbours"]["areas"][:2]]
    present = set(pd.read_csv(project / "data" / "values" / "dfe.csv", dtype=str)["area_code"])
    others = [f"E0600{n:04d}" for n in range(1, 70) if f"E0600{n:04d}" not in present][:13]
    council["comparators"] = {
        "cipfa": {
            "name": "CIPFA nearest neighbours (2024)",
            "average": "mean",
            "areas": have + others,
        }  # fmt: skip
    }
    (project / "data" / "council.yml").write_text(yaml.safe_dump(council, sort_keys=False))
    catalogue = yaml.safe_load((project / "data" / "indicators.yml").read_text())
    for entry in catalogue["indicators"]:
        if entry["id"] == "cla":
            entry["comparator"] = "cipfa"
    (project / "data" / "indicators.yml").write_text(yaml.safe_dump(catalogue, sort_keys=False))
    return project


def test_a_group_with_too_few_figures_is_shown_but_not_judged(blackpool_with_cipfa):
    pack = report.open_pack(blackpool_with_cipfa, "2017-18 Q2")
    sn = pack.result("cla").comparison("statistical_neighbours")
    assert math.isfinite(sn["baseline_value"])  # the two councils' mean is still shown
    assert (sn["direction"], sn["judgement"], sn["comparable"]) == ("", "n/a", False)
    assert sn["note"] == (
        "not comparable: only 2 of 15 councils had a figure; CIPFA nearest neighbours "
        "(2024): 2 of 15 councils had a figure"
    )
    # the other indicators keep the DfE neighbours, and are judged
    assert pack.result("cin").comparison("statistical_neighbours")["judgement"] == "worse"
    groups = tables.comparator_groups_table(pack).frame.set_index("Group")
    assert groups.loc["CIPFA nearest neighbours (2024)", "Indicators this quarter"] == (
        "Children looked after"
    )


def test_the_dfe_neighbours_follow_the_model_in_force_each_year(q2):
    old, new = q2.data.council.neighbours[:2], q2.data.council.neighbours[2:4]
    group = ComparatorGroup("neighbours", "DfE", "mean", old,
                            (GroupModel("April 2021", old, None, 2024),
                             GroupModel("May 2025", new, 2025, None)))  # fmt: skip
    assert group.codes_for(2024) == [a.area_code for a in old]
    assert group.codes_for(2025) == [a.area_code for a in new]


# --- shares are never added up; bounded units stay in bounds ------------------------------


QUARTERS = ["2023-24 Q1", "2023-24 Q2", "2023-24 Q3", "2023-24 Q4"]


def test_a_quarterly_percentage_year_end_is_its_weighted_mean_not_a_sum():
    ind = make_indicator(id="p", unit="percent", frequency="quarterly", measure="flow")
    rows = [("p", "E06000009", q, v) for q, v in zip(QUARTERS, [90.0, 95.0, 100.0, 100.0],
                                                     strict=True)]  # fmt: skip
    index = make_index(rows)
    year = value_at(index, ind, "E06000009", Period(2023, "year"))
    assert year.value == pytest.approx(96.25)  # not 385%
    assert year.derived == "mean of 4 quarters (no counts published)"


def test_a_percentage_with_its_counts_takes_the_count_weighted_mean():
    from analysis.series import Observation, combine_parts

    shares, counts = [50.0, 100.0, 80.0, 90.0], [10.0, 90.0, 40.0, 45.0]
    parts = [
        Observation(parse_period(q), v, c) for q, v, c in zip(QUARTERS, shares, counts, strict=True)
    ]
    year = combine_parts(Period(2023, "year"), parts, "percent")
    # cases: 20, 90, 50, 50 -> 185 of 210 = 88.1%
    assert year.value == pytest.approx(185 / 210 * 100)
    assert year.derived == "count-weighted mean of 4 quarters"
    assert combine_parts(Period(2023, "year"), parts, "count").value == 320.0  # counts add up


def test_last_year_end_of_a_share_is_its_own_figure_not_divided():
    from analysis.comparison import year_end_baseline

    ind = make_indicator(id="p", unit="percent", frequency="quarterly", measure="flow")
    index = make_index([("p", "E06000009", q, 90.0) for q in QUARTERS])
    base = year_end_baseline(index, ind, "E06000009", parse_period("2024-25 Q1"))
    assert base.value == pytest.approx(90.0)  # not 22.5 (a quarter's share of 90)


def _near_100():
    values = [93.0, 94.5, 95.2, 96.8, 97.5, 98.1, 98.9, 99.4, 99.6, 99.8]
    periods = [Period(2013 + i, "year") for i in range(len(values))]
    return pd.Series(values, index=periods)


def test_percent_forecasts_intervals_and_paths_stay_within_0_to_100():
    from analysis.results import crossing_for, forecast_for, spc_reading

    ind = make_indicator(id="p", unit="percent", frequency="annual", measure="snapshot",
                         better="high")  # fmt: skip
    series = _near_100()
    fan = forecast_for(ind, series, None)
    assert fan.ok and fan.frame[["estimate", "lower", "upper"]].to_numpy().max() <= 100
    assert fan.bounds == (0.0, 100.0)
    unbounded = forecast_for(dataclasses.replace(ind, unit="score"), series, None)
    assert unbounded.frame["upper"].max() > 100  # without the bound it would pass 100
    spc = spc_reading(ind, series, None)
    assert spc.upl <= 100 and spc.frame["upl"].max() <= 100
    index = make_index([("p", "E06000009", p.label, v) for p, v in series.items()])
    crossing = crossing_for(index, ind, series, target=99.9)
    assert crossing is not None and crossing.case in ("expected", "not_within_horizon",
                                                      "moving_away", "already_reached")  # fmt: skip


def test_a_percentage_year_end_projection_stays_within_bounds():
    from analysis.forecasting import project_year_end

    months = [Period(2023, "month", m) for m in (4, 5, 6, 7, 8, 9)]
    rising = pd.Series([97.0, 98.0, 98.8, 99.3, 99.7, 99.9], index=months)
    ye = project_year_end(rising, measure="cumulative_ytd", bounds=(0.0, 100.0))
    assert ye.upper == 100.0 and ye.estimate <= 100  # the run rate alone would pass 100
    free = project_year_end(rising, measure="cumulative_ytd")
    assert free.upper > 100


# --- the whole quarter ----------------------------------------------------------------------


def test_without_a_quarter_the_run_takes_the_latest_one_most_indicators_reach(data):
    quarter, why = choose_quarter(data)
    assert quarter.label == "2017-18 Q3"
    assert why == (
        "2017-18 Q3: the latest quarter in which most indicators have a figure (15 of 24)"
    )


def test_one_series_running_ahead_does_not_move_the_quarter(data):
    v = data.values
    ahead = v[(v.indicator_id == "contacts") & (v.area_code == "E06000009")].tail(1)
    ahead = ahead.assign(period="Apr 2018", value=700.0, vintage="2018-05-10")
    moved = dataclasses.replace(data, values=pd.concat([v, ahead], ignore_index=True))
    quarter, why = choose_quarter(moved)
    assert quarter.label == "2017-18 Q3"
    assert "; 2018-19 Q1 has 1, " in why and why.endswith(
        "too few to report yet (give --quarter to report it)"
    )


def test_report_quarter_in_council_yml_fixes_the_quarter(data):
    council = dataclasses.replace(data.council, quarter="2017-18 Q2")
    quarter, why = choose_quarter(dataclasses.replace(data, council=council))
    assert (quarter.label, why) == ("2017-18 Q2", "2017-18 Q2: report.quarter in council.yml")


def test_indicators_without_a_figure_are_listed_not_dropped(q3):
    frame = tables.not_reported_table(q3).frame.set_index("Indicator")
    assert len(frame) == len(q3.not_reported) == 10
    assert frame.loc["GCSE 5 A*-C including English and maths", "Why not shown"] == (
        "annual: next figure at year-end"
    )


def test_commentary_for_an_indicator_that_is_not_an_exception_is_shown(q2):
    from analysis.loading import Commentary

    extra = Commentary("referrals", commentary="Referrals are steady.")
    r = dataclasses.replace(q2.result("referrals"), commentary=extra)
    pack = dataclasses.replace(q2, results={**q2.results, "referrals": r})
    text = to_markdown(report.also_commented(pack))
    assert "### Referrals to children's social care" in text and "Referrals are steady." in text


# --- one source for the council's own history ------------------------------------------------


def test_the_councils_own_figures_come_first_and_the_others_are_noted(q2):
    r = q2.result("cin")
    assert r.comparison("previous_year_end")["baseline_value"] == 738.4  # 001's own 2016-17
    assert ("Department for Education published 670.5 for 2016-17; the figure shown, 738.4, "
            "is from Appendix 6(b) - Exception Reports (Q2 2017/18).") in r.notes  # fmt: skip


def test_history_source_published_takes_dfes_figures(tmp_path):
    project = copy_project(tmp_path / "project")
    catalogue = yaml.safe_load((project / "data" / "indicators.yml").read_text())
    for entry in catalogue["indicators"]:
        if entry["id"] == "cin":
            entry["history_source"] = "published"
    (project / "data" / "indicators.yml").write_text(yaml.safe_dump(catalogue, sort_keys=False))
    data = load_project(project_paths(project))
    r = build_pack(data, parse_period("2017-18 Q2")).result("cin")
    assert r.comparison("previous_year_end")["baseline_value"] == 670.5
    assert any(n.startswith("Blackpool Council") and "738.4 for 2016-17" in n for n in r.notes)
    # where DfE has nothing (the quarters), the council's own figures still fill the history
    assert r.current.value == 675.4


def test_source_kinds_follow_kind_else_the_publisher():
    from analysis.loading import source_kinds

    sources = {"a": {"publisher": "Blackpool Council"}, "b": {"publisher": "DfE"}, "c": {},
               "d": {"publisher": "DfE", "kind": "own"}}  # fmt: skip
    kinds = source_kinds(sources, "Blackpool")
    assert kinds == {"a": "own", "b": "published", "c": "own", "d": "own"}
