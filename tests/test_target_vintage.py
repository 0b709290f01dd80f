"""Targets carry the date they were first published, so --as-of rebuilds a report as printed."""

from pathlib import Path

import pytest

from analysis.catalogue import parse_indicator
from analysis.report import open_pack

REPO = Path(__file__).resolve().parents[1]
SPEC = {"id": "cla", "title": "CLA", "better": "low", "unit": "rate_per_10k",
        "frequency": "monthly", "measure": "snapshot"}  # fmt: skip


def cla_target(pack):
    card = pack.scorecard
    return card[(card.indicator_id == "cla") & (card.comparison == "target")].iloc[0]


def test_001_as_published_had_no_cla_target():
    # paper_2017-18_Q2 (published 2017-11-30) printed "No Target Set" for children looked
    # after; the 516 target first appears in paper_2018-02 (2018-02-08)
    row = cla_target(open_pack(REPO, "2017-18 Q2", as_of="2017-11-30"))
    assert (row["judgement"], row["note"]) == ("n/a", "No target set (as of 2017-11-30)")


def test_latest_build_uses_the_later_target():
    row = cla_target(open_pack(REPO, "2017-18 Q2"))
    assert (row["baseline_value"], row["judgement"]) == (516.0, "worse")
    on_the_day = cla_target(open_pack(REPO, "2017-18 Q2", as_of="2018-02-08"))
    assert on_the_day["baseline_value"] == 516.0  # published that day: already set


def test_target_vintage_is_read_as_a_date():
    ind, problems = parse_indicator(
        {**SPEC, "targets": {"2017-18": {"count": 516, "vintage": "2018-02-08"}}}, 1, "i.yml"
    )
    assert problems == []
    assert ind.targets["2017-18"].vintage == "2018-02-08"


@pytest.mark.parametrize("bad", ["Feb 2018", "2018-02-30"])
def test_bad_target_vintage_is_a_catalogue_problem(bad):
    ind, problems = parse_indicator(
        {**SPEC, "targets": {"2017-18": {"count": 516, "vintage": bad}}}, 1, "i.yml"
    )
    assert ind is None
    assert problems[0].location == "indicator 'cla', target 2017-18"
    assert "write it as YYYY-MM-DD" in problems[0].message
