"""Re-run the forecasts the Blackpool papers made by hand, with outturn's methods.

Values come from the bundled data (``data/values/papers.csv``, transcribed from
the seed papers, and ``data/indicators.yml`` for breaks and targets); the
statistical-neighbour benchmark comes from the DfE files in ``/work/shared/data``
(Crown copyright, Open Government Licence v3.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from shared_data import SHARED

from analysis.forecasting import forecast, forecast_crossing, project_year_end
from analysis.periods import Period, parse_period, steps_between

ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "data" / "values" / "papers.csv"
CATALOGUE = ROOT / "data" / "indicators.yml"
EES = SHARED / "dfe_ees_csc_counts_rates_2013_2023_long.csv"
SN = SHARED / "dfe_csc_statistical_neighbours_2021_2025_long.csv"
BLACKPOOL = "E06000009"

pytestmark = pytest.mark.skipif(not VALUES.exists(), reason="bundled paper values not present")


def paper_values(indicator_id: str, column: str = "value") -> pd.Series:
    """Blackpool's values for one indicator, latest vintage, indexed by Period."""
    table = pd.read_csv(VALUES, dtype={"period": str})
    rows = table[(table.indicator_id == indicator_id) & (table.area_code == BLACKPOOL)]
    rows = rows.sort_values("vintage").drop_duplicates("period", keep="last")
    return pd.Series(rows[column].to_numpy(), index=[parse_period(p) for p in rows.period])


def catalogue_entry(indicator_id: str) -> dict:
    entries = yaml.safe_load(CATALOGUE.read_text())["indicators"]
    return next(e for e in entries if e["id"] == indicator_id)


def at_frequency(series: pd.Series, freq: str) -> pd.Series:
    return series[[p.freq == freq for p in series.index]].astype(float)


# --- 001 (2017-18 Q2): children in need rate vs the statistical-neighbour average -------------


@pytest.fixture(scope="module")
def sn_cin_2017() -> float:
    """Mean CIN rate at 31 March 2017 of Blackpool's ten neighbours (DfE April 2021 model).

    From the EES file (``Children in need rate per 10,000 children (derived)``);
    LAIT's ``CIN`` gives the same ten values.
    """
    if not (EES.exists() and SN.exists()):
        pytest.skip("DfE benchmark files not present")
    sn = pd.read_csv(SN)
    codes = sn[(sn.model == "DfE CSC SN model April 2021") & (sn.area_code == BLACKPOOL)]
    ees = pd.read_csv(EES)
    rows = ees[
        (ees.indicator == "Children in need rate per 10,000 children (derived)")
        & (ees.period == 2017)
        & ees.area_code.isin(codes.sn_area_code)
    ]
    assert len(rows) == 10
    return float(rows.value.mean())


def test_001_neighbour_average_at_march_2017_is_536(sn_cin_2017):
    assert sn_cin_2017 == pytest.approx(536.15)


def test_001_paper_figures_are_the_bundled_values():
    cin = at_frequency(paper_values("cin"), "quarter")
    assert cin.to_dict() == {Period(2017, "quarter", 1): 689.0, Period(2017, "quarter", 2): 675.4}


def test_001_outturn_declines_to_forecast_the_crossing(sn_cin_2017):
    # The paper: "If the trend were to continue at this rate, the Blackpool figure
    # would be down to the average of our statistical neighbours by Q3 of 2018/19".
    # Since the April 2017 break there are two comparable quarterly rates, far
    # fewer than the five outturn needs, so its honest answer is no forecast.
    breaks = [b["period"] for b in catalogue_entry("cin")["breaks"]]
    assert breaks == ["Apr 2017"]
    cin = at_frequency(paper_values("cin"), "quarter")
    c = forecast_crossing(
        cin,
        sn_cin_2017,
        better="low",
        horizon=12,
        breaks=breaks,
        benchmark_name="the statistical-neighbour average",
    )
    assert c.case == "no_forecast"
    assert c.period is None
    assert (c.n_points, c.break_period) == (2, parse_period("Apr 2017"))  # words: test_sentences


def test_001_monthly_counts_give_no_comparable_rate():
    # Paper 004 prints allocated CIN counts (2069 in April, 1881 in December 2017) but no
    # rates: they are gaps in the rate series, so they cannot lengthen it.
    monthly = paper_values("cin")
    counts = paper_values("cin", "count")
    months = [p for p in monthly.index if p.freq == "month"]
    assert [counts[p] for p in months] == [2069, 1881]
    fc = forecast(monthly[months].astype(float), horizon=4, breaks=["Apr 2017"])
    assert not fc.ok and fc.n_points == 0


def test_001_straight_line_from_two_quarters_differs_from_paper(sn_cin_2017):
    # Even the hand method (a straight line through Q1 689.0 and Q2 675.4, 13.6 a quarter)
    # reaches the 2017 neighbour average of 536.2 only after 10.2 more quarters, in
    # 2020-21 Q1, not 2018-19 Q3. The paper's own neighbour figure and its monthly rates
    # are not printed, so its date cannot be reproduced from the paper.
    per_quarter = 689.0 - 675.4
    quarters = (675.4 - sn_cin_2017) / per_quarter
    reach = Period(2017, "quarter", 2).shift(int(-(-quarters // 1)))
    assert quarters == pytest.approx(10.24, abs=0.01)
    assert reach.label == "2020-21 Q1"
    assert steps_between(Period(2017, "quarter", 2), Period(2018, "quarter", 3)) == 5


# --- 003 (2015-16 Q2): reviews completed, cumulative year to date ------------------------------


def test_003_reviews_year_end_run_rate_is_about_64_percent():
    # "Assuming we continue at the same rate throughout the remainder of the year, we
    # expect the year-end outturn to be higher than that reported at the end of 2014/15."
    entry = catalogue_entry("reviews_completed")
    values = paper_values("reviews_completed")
    ytd = at_frequency(values, "quarter")
    last_year = float(values[Period(2014, "year")])
    target = float(entry["targets"]["2015-16"]["value"])
    ye = project_year_end(ytd, measure=entry["measure"], last_year_outturn=last_year, target=target)
    assert (last_year, target) == (54.8, 70.0)
    assert ye.method == "run_rate"
    assert ye.estimate == pytest.approx(64.2)  # 32.1 after half the year
    # per-quarter completions 15.1 and 17.0: t(1 df) interval over the two quarters left
    assert ye.lower == pytest.approx(55.9, abs=0.05)
    assert ye.upper == pytest.approx(72.5, abs=0.05)
    assert ye.vs_last_year == "higher"  # agrees with the paper, but only just (55.9 > 54.8)
    assert ye.vs_target == "within interval"  # the sentence: test_sentences


# --- 004 (December 2017): Section 47 enquiries ------------------------------------------------


def test_004_section_47_what_can_be_reproduced():
    # "In April the figure was 1969, in December it is 1670 (299 less)."
    counts = paper_values("s47_rate", "count")
    april, december = counts[Period(2017, "month", 1)], counts[Period(2017, "month", 9)]
    assert (april, december, april - december) == (1969, 1670, 299)
    assert (april - december) / april == pytest.approx(0.152, abs=0.001)
    # A straight line through the two 12-month counts (37.4 fewer a month) reaches
    # 1557.9 by March 2018: 411 fewer than April, 20.9%.
    per_month = (april - december) / 8
    march = december - 3 * per_month
    assert march == pytest.approx(1557.9, abs=0.1)
    assert (april - march) / april == pytest.approx(0.209, abs=0.001)


def test_004_section_47_outturn_declines_with_two_points():
    rolling = paper_values("s47_rate", "count").astype(float)
    ye = project_year_end(rolling, measure="rolling_12m", frequency="monthly")
    assert ye.method == "none"
    assert (ye.forecast.n_points, ye.forecast.reason) == (2, "too_few_points")  # test_sentences


def test_004_paper_projection_447_and_42_percent_cannot_be_reproduced():
    # "If the downward trend continue it will mean 447 less Section 47s in 2017/2018 a
    # reduction of 42%." 447 and 42% disagree with each other (447 / 1969 is 23%, and
    # 42% of 1969 would be 827), and 447 is also the December 2017 monthly contacts
    # figure printed in the same garbled table. The nearest arithmetic, 299 x 12 / 8
    # = 448.5, is a reduction over 12 months from April, not by the year-end.
    contacts = paper_values("contacts")
    assert contacts[Period(2017, "month", 9)] == 447
    assert 447 / 1969 == pytest.approx(0.227, abs=0.001)
    assert round(0.42 * 1969) == 827
    assert 299 * 12 / 8 == 448.5
