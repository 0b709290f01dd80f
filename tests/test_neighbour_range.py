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
    html = indicator_chart(pack, "cin")
    assert "Shaded band: the range of the statistical neighbours" in html
    assert "statistical neighbours&#x27; range, 381.1 to 660.6 in 2016-17" in html


def test_neighbour_years_says_which_model_covers_which_years(pack):
    table = neighbour_years(pack)
    assert '<th scope="row">2012-13 to 2020-21</th><td>DfE CSC SN model April 2021</td>' in table
    assert "applied to years before the model was published" in table
    assert '<th scope="row">2021-22 to 2022-23</th>' in table


def test_rank_shown_is_the_latest_year_ended_by_the_quarter(pack):
    from analysis.report import rank_sentence, rank_text

    # at 2017-18 Q2 (September 2017) the latest national year is 2016-17: Blackpool had the
    # highest looked-after rate of the 152 councils, so it ranks last (1 = best, lower is better)
    assert rank_text(pack, "cla") == "D: 152nd of 152 (2016-17)"
    sentence = rank_sentence(pack, "cla")
    assert "ranked 152nd of 152 councils in 2016-17 (1 = best), quartile band D" in sentence
    assert rank_text(pack, "contacts") == ""  # a local measure: DfE publishes no ranking


def test_rank_before_any_published_year_is_blank_and_ordinals_read_right():
    from analysis.report import _ordinal, rank_text

    early = open_pack(REPO, "2015-16 Q2")
    assert rank_text(early, "cla") == ""  # the first ranked year, 2015-16, ends after Q2
    assert rank_text(early, "cp_second_plan") == "D: 142nd of 150 (2014-15)"
    assert [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 152)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
        "152nd",
    ]
