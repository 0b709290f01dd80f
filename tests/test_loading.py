"""Tests for analysis.loading: vintages and revisions of the bundled figures."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.catalogue import load_catalogue
from analysis.loading import check_values, read_values, revisions, select_vintage

DATA = Path(__file__).resolve().parents[1] / "data"
EARLIER, LATER = "2016-09-15", "2017-03-09"  # paper_2016-17_Q1 (002), paper_2016-17_Q3 (000)


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    values, problems = read_values(
        [DATA / "values" / "papers.csv"], load_catalogue(DATA / "indicators.yml")
    )
    assert problems == []
    return values


def referrals_2015_16(frame: pd.DataFrame) -> pd.Series:
    rows = frame[
        (frame.indicator_id == "referrals")
        & (frame.area_code == "E06000009")
        & (frame.period == "2015-16")
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_bundled_referrals_2015_16_were_revised_in_the_later_paper(papers):
    rows = papers[(papers.indicator_id == "referrals") & (papers.period == "2015-16")]
    by_vintage = dict(zip(rows["vintage"], rows["value"], strict=True))
    assert by_vintage == {EARLIER: 885.5, LATER: 884.8}


def test_select_vintage_latest_by_default(papers):
    row = referrals_2015_16(select_vintage(papers))
    assert (row["value"], row["count"], row["vintage"]) == (884.8, 2549, LATER)


@pytest.mark.parametrize(
    ("as_of", "value"),
    [(EARLIER, 885.5), ("2017-03-08", 885.5), (LATER, 884.8), ("2030-01-01", 884.8)],
)
def test_select_vintage_as_of_picks_the_figure_published_by_then(papers, as_of, value):
    assert referrals_2015_16(select_vintage(papers, as_of))["value"] == value


def test_select_vintage_before_any_publication_has_no_figure(papers):
    early = select_vintage(papers, "2016-01-01")
    assert early[early.indicator_id == "referrals"].empty
    assert not early[early.indicator_id == "cla"].empty  # the 2015 paper's figures remain


def test_select_vintage_keeps_one_row_per_indicator_area_period(papers):
    latest = select_vintage(papers)
    assert not latest.duplicated(["indicator_id", "area_code", "period"]).any()
    assert len(latest) == len(papers.drop_duplicates(["indicator_id", "area_code", "period"]))


def test_revisions_lists_changed_figures_only(papers):
    rev = revisions(papers)
    keyed = rev.set_index(["indicator_id", "period"])
    assert keyed.loc[("referrals", "2015-16"), "first_value"] == 885.5
    assert keyed.loc[("referrals", "2015-16"), "latest_value"] == 884.8
    assert keyed.loc[("referrals", "2015-16"), "change"] == pytest.approx(-0.7)
    assert keyed.loc[("referrals", "2016-17 Q1"), "change"] == pytest.approx(4.3)
    assert keyed.loc[("referrals", "2016-17 Q1"), "latest_source"] == "paper_2016-17_Q3"
    # cla 2015-16 469 (162.8) is printed by two papers, unchanged: not a revision
    assert ("cla", "2015-16") not in keyed.index


def test_revisions_of_unrevised_values_is_empty_with_columns():
    raw = pd.DataFrame(
        {
            "indicator_id": ["cla"],
            "area_code": ["E06000009"],
            "period": ["2017-18 Q2"],
            "value": ["185.6"],
            "source": ["s"],
            "vintage": ["2017-11-30"],
        }
    )
    frame, problems = check_values(raw, "x.csv")
    assert problems == []
    rev = revisions(frame)
    assert rev.empty
    assert "latest_value" in rev.columns


def test_check_values_writes_canonical_period_labels():
    raw = pd.DataFrame(
        {
            "indicator_id": ["cla"] * 3,
            "area_code": ["E06000009"] * 3,
            "period": ["Q2 2017/18", "Sept 2015", "2017"],
            "value": ["1", "2", "3"],
            "source": ["s"] * 3,
            "vintage": ["2017-11-30"] * 3,
        }
    )
    frame, problems = check_values(raw, "x.csv")
    assert problems == []
    assert frame["period"].tolist() == ["2017-18 Q2", "Sep 2015", "2016-17"]
    assert frame["line"].tolist() == [2, 3, 4]
