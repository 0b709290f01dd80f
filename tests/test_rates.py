"""Tests for analysis.rates: DfE's rates per 10,000 recomputed from counts and ONS populations."""

import pandas as pd
from shared_data import NEEDS_SHARED, SHARED

from analysis import importing
from analysis.rates import (
    TOLERANCE_WHOLE,
    check_published_rates,
    compare_rates,
    recompute_rates,
)

BLACKPOOL = "E06000009"


@NEEDS_SHARED
def test_recomputed_cin_rates_match_blackpool():
    ees = importing.read_ees(SHARED / importing.EES_FILE)
    pop = importing.import_population(SHARED / importing.POPULATION_FILE)
    counts = ees[ees.indicator_id == "Children in need at 31 March (episodes)"]
    rates = recompute_rates(counts, pop)
    bp = rates[rates.area_code == BLACKPOOL].set_index("period")
    # 31 March 2016 uses mid-2015: 1889 / 28483 x 10,000 = 663.2
    assert bp.loc["2015-16", "population"] == 28483
    assert round(bp.loc["2015-16", "rate"], 1) == 663.2
    assert round(bp.loc["2022-23", "rate"], 1) == 733.2
    published = ees[ees.indicator_id == "Children in need rate per 10,000 children (derived)"]
    assert compare_rates(rates, published).empty


def test_compare_rates_reports_only_beyond_rounding():
    recomputed = pd.DataFrame(
        {
            "indicator_id": "n",
            "area_code": ["A", "B"],
            "period": "2022-23",
            "count": [100.0, 100.0],
            "population": [1000.0, 1000.0],
            "rate": [1000.0, 1000.0],
        }
    )
    published = pd.DataFrame({"area_code": ["A", "B"], "period": "2022-23",
                              "value": [999.0, 1002.0]})  # fmt: skip
    out = compare_rates(recomputed, published, TOLERANCE_WHOLE)
    assert out["area_code"].tolist() == ["B"]
    assert out["difference"].tolist() == [-2.0]


@NEEDS_SHARED
def test_init_checks_the_councils_rates_and_finds_the_looked_after_ones_apart(tmp_path):
    from analysis.councils import init_project

    notes: list[str] = []
    init_project(tmp_path, "Blackpool", source_dir=SHARED, notes=notes)
    said = next(n for n in notes if n.startswith("checked "))
    # CIN, referrals, CP plan rates recompute to rounding; DfE's looked-after rates do not
    # (469 children at 31 March 2016 over the mid-2015 estimate of 28,483 is 164.7; 163
    # was published): another population estimate lies behind them
    assert said.startswith("checked 47 of the council's DfE rates per 10,000: 3 differ")
    assert "lac 2015-16: 163 published, 164.7 from 469 children of 28483" in said


def test_check_published_rates_counts_what_it_could_check():
    values = pd.DataFrame({
        "indicator_id": ["x", "x", "x"], "area_code": "A",
        "period": ["2021-22", "2022-23", "Sep 2022"], "value": [100.0, 130.0, 5.0],
        "count": [10.0, 12.0, 1.0],
    })  # fmt: skip
    population = pd.DataFrame({"area_code": "A", "period": ["Jun 2021", "Jun 2022"],
                               "value": [1000.0, 1000.0]})  # fmt: skip
    checked, differ = check_published_rates(values, population)
    assert checked == 2  # the month has no financial-year population
    assert differ[["period", "published", "rate"]].values.tolist() == [["2022-23", 130.0, 120.0]]
