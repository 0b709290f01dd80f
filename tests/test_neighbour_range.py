"""The statistical neighbours' range: computed from the ten councils, shaded on the chart."""

import pandas as pd
import pytest

from analysis import charts, report


@pytest.fixture(scope="module")
def pack(q2):
    return q2


def test_cin_neighbour_range_2016_17_is_lowest_and_highest_of_the_ten(pack):
    band = pack.result("cin").band.set_index("period")
    row = band.loc["2016-17"]
    # children in need per 10,000 at 31 March 2017 (DfE, EES): lowest of Blackpool's ten
    # April 2021 neighbours 381.1, highest 660.6 (checked against the neighbours' rows below)
    assert (row["low"], row["high"], row["n"]) == (381.1, 660.6, 10)
    v = pack.values
    ten = v[
        (v.indicator_id == "cin")
        & (v.period == "2016-17")
        & v.area_code.isin(pack.data.council.neighbour_codes)
    ]
    assert (ten.value.min(), ten.value.max(), len(ten)) == (381.1, 660.6, 10)


def test_band_is_a_shaded_layer_under_the_lines():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-03-31", "2017-03-31"]),
            "period": ["2015-16", "2016-17"],
            "series": ["Blackpool", "Blackpool"],
            "value": [650.0, 670.5],
        }
    )
    band = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-03-31", "2017-03-31"]),
            "period": ["2015-16", "2016-17"],
            "low": [272.6, 381.1],
            "high": [666.1, 660.6],
            "n": [10, 10],
        }
    )
    spec = charts.history_chart(frame, title="CIN", unit_label="Rate", band=band).to_dict()
    first = spec["layer"][0]
    assert first["mark"]["type"] == "area"
    assert (first["encoding"]["y"]["field"], first["encoding"]["y2"]["field"]) == ("low", "high")
    assert "range, 381.1 to 660.6 in 2016-17 (10 neighbours)" in spec["description"]


def test_exception_chart_says_what_the_band_is(pack):
    figure = report.chart(pack, "cin")
    assert (
        figure.caption == "Shaded band: the range of the statistical neighbours, lowest to highest."
    )
    description = figure.chart.to_dict()["description"]
    assert "statistical neighbours' range, 381.1 to 660.6 in 2016-17" in description
