"""Spot checks of the bundled data against cells printed in the five Blackpool papers."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.periods import parse_period

DATA = Path(__file__).resolve().parents[1] / "data"
BLACKPOOL = "E06000009"
ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return pd.read_csv(DATA / "values" / "papers.csv", dtype={"period": str, "vintage": str})


@pytest.fixture(scope="module")
def catalogue() -> dict:
    doc = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    return {ind["id"]: ind for ind in doc["indicators"]}


@pytest.fixture(scope="module")
def denominators() -> dict:
    return yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))["denominators"]


@pytest.fixture(scope="module")
def sources() -> dict:
    doc = yaml.safe_load((DATA / "sources.yml").read_text(encoding="utf-8"))
    return {src["id"]: src for src in doc["sources"]}


@pytest.fixture(scope="module")
def breakdowns() -> pd.DataFrame:
    return pd.read_csv(DATA / "breakdowns.csv", dtype={"period": str})


def _cell(values: pd.DataFrame, indicator: str, period: str, source: str, area: str = BLACKPOOL):
    rows = values[
        (values.indicator_id == indicator)
        & (values.area_code == area)
        & (values.period == period)
        & (values.source == source)
    ]
    assert len(rows) == 1, f"expected one row for {indicator} {area} {period} {source}"
    return rows.iloc[0]


# ------------------------------------------------------------------ printed cells
@pytest.mark.parametrize(
    ("indicator", "period", "source", "value", "count"),
    [
        ("cla", "Sep 2015", "paper_2015-16_Q2", 156.2, 450),
        ("cla", "2013-14", "paper_2015-16_Q2", 152.4, 443),
        ("cla", "Jun 2015", "paper_2015-16_Q2", 151.7, 437),
        ("cla", "2016-17 Q1", "paper_2016-17_Q1", 169.0, 487),
        ("cla", "2017-18 Q2", "paper_2017-18_Q2", 185.6, 531),
        ("cla", "2016-17", "paper_2017-18_Q2", 183.0, 525),
        ("cin", "2017-18 Q2", "paper_2017-18_Q2", 675.4, 1932),
        ("cin", "2015-16", "paper_2017-18_Q2", 665.0, 1916),
        ("referrals", "2016-17 Q3", "paper_2016-17_Q3", 1059.4, 3039),
        ("referrals", "2014-15", "paper_2016-17_Q1", 955.6, 2774),
    ],
)
def test_no_and_rate_cell_matches_paper(values, indicator, period, source, value, count):
    row = _cell(values, indicator, period, source)
    assert row.value == pytest.approx(value)
    assert row["count"] == count


@pytest.mark.parametrize(
    ("indicator", "period", "source", "value"),
    [
        ("cp_second_plan", "2016-17 Q3", "paper_2016-17_Q3", 19.1),
        ("cp_second_plan", "2016-17 Q2", "paper_2016-17_Q3", 16.1),
        ("cp_second_plan", "Jun 2015", "paper_2015-16_Q2", 22.4),
        ("cp_second_plan", "May 2016", "paper_2016-17_Q1", 15.7),
        ("reviews_completed", "2015-16 Q2", "paper_2015-16_Q2", 32.1),
        ("reviews_completed", "2015-16 Q1", "paper_2015-16_Q2", 15.1),
        ("opiate_completions", "2013-14", "paper_2015-16_Q2", 9.38),
        ("non_opiate_completions", "2015-16 Q2", "paper_2015-16_Q2", 46.9),
        ("alcohol_completions", "2015-16 Q1", "paper_2015-16_Q2", 44.6),
        ("schools_good_outstanding", "2015-16", "paper_2015-16_Q2", 62.8),
        ("gcse_5ac_em", "2013-14", "paper_2015-16_Q2", 46.2),
        ("early_help_assessments", "2016-17", "paper_2017-18_Q2", 3139),
        ("early_help_assessments", "2017-18 Q2", "paper_2017-18_Q2", 514),
        ("contacts", "May 2017", "paper_2018-02", 1160),
        ("contacts", "Dec 2017", "paper_2018-02", 447),
        ("contacts_12m", "2016-17", "paper_2018-02", 12495),
        ("contacts_12m", "Dec 2017", "paper_2018-02", 11348),
        ("cp_plans", "Dec 2017", "paper_2018-02", 356),
        ("assessments_15_days", "Dec 2017", "paper_2018-02", 29.0),
        ("assessments_45_days_in_month", "Nov 2017", "paper_2018-02", 89.9),
        ("referral_to_assessment_in_month", "Dec 2017", "paper_2018-02", 87.2),
        ("cafa_rate", "Dec 2017", "paper_2018-02", 205),
    ],
)
def test_single_figure_cell_matches_paper(values, indicator, period, source, value):
    assert _cell(values, indicator, period, source).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("area", "period", "value"),
    [("SN", "2013-14", 12.6), (ENGLAND, "2013-14", 15.8)],
)
def test_printed_benchmark_for_repeat_plans_matches_paper(values, area, period, value):
    row = _cell(values, "cp_second_plan", period, "paper_2015-16_Q2", area=area)
    assert row.value == pytest.approx(value)


def test_count_printed_without_rate_has_no_value(values):
    row = _cell(values, "cla", "Dec 2017", "paper_2018-02")
    assert pd.isna(row.value)
    assert row["count"] == 537
    assert row.status == "x"


def test_s47_figures_are_read_as_counts_not_rates(values):
    april = _cell(values, "s47_rate", "Apr 2017", "paper_2018-02")
    december = _cell(values, "s47_rate", "Dec 2017", "paper_2018-02")
    assert (april["count"], december["count"]) == (1969, 1670)
    assert april["count"] - december["count"] == 299  # "1670 (299 less)"


# ------------------------------------------------------------------ revisions between papers
def test_referrals_2015_16_revision_keeps_both_papers(values):
    rows = values[(values.indicator_id == "referrals") & (values.period == "2015-16")]
    by_source = dict(zip(rows.source, zip(rows.value, rows["count"], strict=True), strict=True))
    assert by_source == {
        "paper_2016-17_Q1": (885.5, 2551),
        "paper_2016-17_Q3": (884.8, 2549),
    }
    assert rows.vintage.nunique() == 2


def test_referrals_q1_rate_revised_with_same_count(values):
    first = _cell(values, "referrals", "2016-17 Q1", "paper_2016-17_Q1")
    later = _cell(values, "referrals", "2016-17 Q1", "paper_2016-17_Q3")
    assert (first.value, later.value) == (976.4, 980.7)
    assert first["count"] == later["count"] == 2813


def test_contacts_table_rolling_sums_are_consistent(values):
    twelve = values[values.indicator_id == "contacts_12m"].set_index("period").value
    monthly = values[values.indicator_id == "contacts"].set_index("period").value
    # April 2017's 12-month figure = 2016-17 total + April 2017 - April 2016, so the
    # implied April 2016 count must be a plausible monthly figure (a misread column is not).
    april_2016 = twelve["2016-17"] + monthly["Apr 2017"] - twelve["Apr 2017"]
    assert april_2016 == 779
    assert len(monthly) == 9 and len(twelve) == 13


# ------------------------------------------------------------------ catalogue
def test_cla_targets_match_papers(catalogue):
    targets = catalogue["cla"]["targets"]
    assert targets["2016-17"] == {"value": 153.8, "count": 443, "text": "443 (153.8)"}
    assert targets["2015-16"]["count"] == 420
    assert targets["2017-18"]["count"] == 516


def test_cp_second_plan_2016_17_target_is_later_paper_with_earlier_in_notes(catalogue):
    ind = catalogue["cp_second_plan"]
    assert ind["targets"]["2016-17"]["rule"] == "decrease_on_last_year"
    assert ind["targets"]["2015-16"]["value"] == 14
    assert any("paper_2016-17_Q1" in note and "TBC" in note for note in ind["notes"])


@pytest.mark.parametrize(
    ("indicator", "field", "expected"),
    [
        ("referrals", "measure", "rolling_12m"),
        ("reviews_completed", "measure", "cumulative_ytd"),
        ("cla", "show_count", True),
        ("cp_second_plan", "better", "low"),
        ("early_help_assessments", "new_from", "2016-17"),
        ("reviews_long_term", "new_from", "2016-17 Q1"),
        ("contacts", "measure", "flow"),
    ],
)
def test_catalogue_field_matches_paper(catalogue, indicator, field, expected):
    assert catalogue[indicator][field] == expected


def test_cin_has_april_2017_break(catalogue):
    assert [b["period"] for b in catalogue["cin"]["breaks"]] == ["Apr 2017"]


def test_dfe_codes_exist_in_lait_metadata(catalogue):
    meta = DATA.parents[1] / "shared" / "data" / "dfe_lait_csc_indicator_metadata.csv"
    if not meta.exists():
        pytest.skip("shared DfE metadata not available")
    codes = set(pd.read_csv(meta).indicator_code)
    used = {
        code
        for ind in catalogue.values()
        for key, code in (ind.get("dfe") or {}).items()
        if key.startswith("lait")
    }
    assert used <= codes
    assert catalogue["referrals"]["dfe"]["lait"] == "CPP_Total_Rateper10,000"


def test_child_population_revision_recorded(denominators):
    revision = denominators["child_population"]["revisions"][0]
    assert (revision["period"], revision["from"], revision["to"]) == ("Dec 2012", 26227, 28853)


# ------------------------------------------------------------------ breakdowns
@pytest.mark.parametrize(
    ("category", "period", "value"),
    [
        ("Highfield", "2014-15", 28),
        ("Highfield", "2013-14", 47),
        ("National Average", "2014-15", 56),
        ("Blackpool Average", "2013-14", 46),
    ],
)
def test_gcse_school_table_matches_paper(breakdowns, category, period, value):
    rows = breakdowns[
        (breakdowns.indicator_id == "gcse_5ac_em")
        & (breakdowns.category == category)
        & (breakdowns.period == period)
    ]
    assert rows.value.tolist() == [value]


def test_collegiate_2015_blank_cell_has_no_row(breakdowns):
    rows = breakdowns[breakdowns.category == "Collegiate / Aspire Academy"]
    assert rows.period.tolist() == ["2013-14"]


def test_lac_age_bands_match_paper(breakdowns):
    ages = breakdowns[breakdowns.breakdown == "age"].set_index("category").value
    assert ages["10 – 15 yrs"] == 199
    assert ages.to_dict() == {
        "Under 1": 39,
        "1-4 yrs": 71,
        "5-9 yrs": 127,
        "10 – 15 yrs": 199,
        "16 and over": 89,
    }


# ------------------------------------------------------------------ structure
def test_every_value_indicator_is_in_catalogue(values, catalogue):
    assert set(values.indicator_id) - set(catalogue) == set()


def test_every_period_parses(values, breakdowns):
    for label in pd.concat([values.period, breakdowns.period]):
        parse_period(label)


def test_every_source_is_in_sources(values, breakdowns, sources):
    assert set(values.source) | set(breakdowns.source) <= set(sources)


def test_vintage_matches_source_publication_date(values, sources):
    for source, vintage in values[["source", "vintage"]].drop_duplicates().itertuples(index=False):
        assert vintage == str(sources[source]["published"])


def test_no_duplicate_indicator_area_period_vintage(values):
    keys = ["indicator_id", "area_code", "period", "vintage"]
    assert not values.duplicated(keys).any()


def test_values_have_contract_columns(values):
    assert list(values.columns) == [
        "indicator_id", "area_code", "period", "value", "count",
        "status", "source", "vintage", "note",
    ]  # fmt: skip


def test_missing_value_always_has_status(values):
    assert values[values.value.isna()].status.notna().all()


def test_commentary_folders_are_quarter_slugs_of_known_indicators(catalogue):
    files = sorted((DATA / "commentary").rglob("*.md"))
    assert len(files) == 27
    for path in files:
        assert parse_period(path.parent.name.replace("-Q", " Q")).slug == path.parent.name
        assert path.stem in catalogue
        text = path.read_text(encoding="utf-8")
        assert text.startswith("## Commentary") or text.startswith("## Service response")
        assert "<" not in text


def test_commentary_is_verbatim_sample():
    text = (DATA / "commentary" / "2016-17-Q1" / "cla.md").read_text(encoding="utf-8")
    assert "The current number of looked after children is 486 (as at 23rd August)." in text
