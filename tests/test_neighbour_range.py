"""The statistical neighbours' range: computed from the ten councils, shaded on the chart."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import charts
from analysis.pack import neighbour_range
from analysis.report import indicator_chart, neighbour_years, open_pack

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pack():
    return open_pack(REPO, "2017-18 Q2")


def test_cin_neighbour_range_2016_17_is_lowest_and_highest_of_the_ten(pack):
    band = neighbour_range(pack, "cin").set_index("period")
    row = band.loc["2016-17"]
    # children in need per 10,000 at 31 March 2017 (DfE, EES): lowest of Blackpool's ten
    # April 2021 neighbours 381.1, highest 660.6 (checked against the neighbours' rows below)
    assert (row["low"], row["high"], row["n"]) == (381.1, 660.6, 10)
    v = pack.values
    ten = v[(v.indicator_id == "cin") & (v.period == "2016-17")
            & v.area_code.isin(pack.data.council.neighbour_codes)]
    assert (ten.value.min(), ten.value.max(), len(ten)) == (381.1, 660.6, 10)


def test_band_is_a_shaded_layer_under_the_lines():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2016-03-31", "2017-03-31"]),
        "period": ["2015-16", "2016-17"], "series": ["Blackpool", "Blackpool"],
        "value": [650.0, 670.5]})
    band = pd.DataFrame({"date": pd.to_datetime(["2016-03-31", "2017-03-31"]),
                         "period": ["2015-16", "2016-17"], "low": [272.6, 381.1],
                         "high": [666.1, 660.6], "n": [10, 10]})
    spec = charts.history_chart(frame, title="CIN", unit_label="Rate", band=band).to_dict()
    first = spec["layer"][0]
    assert first["mark"]["type"] == "area"
    assert (first["encoding"]["y"]["field"], first["encoding"]["y2"]["field"]) == ("low", "high")
    assert "range, 381.1 to 660.6 in 2016-17 (10 neighbours)" in spec["description"]


def test_exception_chart_says_what_the_band_is(pack):
    html = indicator_chart(pack, "cin")
    assert "Shaded band: the range of the statistical neighbours" in html
    assert "statistical neighbours&#x27; range, 381.1 to 660.6 in 2016-17" in html


def test_neighbour_years_says_which_model_covers_which_years(pack):
    table = neighbour_years(pack)
    assert '<th scope="row">2012-13 to 2020-21</th><td>DfE CSC SN model April 2021</td>' in table
    assert "applied to years before the model was published" in table
    assert '<th scope="row">2021-22 to 2022-23</th>' in table
