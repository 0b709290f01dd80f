"""Tests for analysis.charts: titles, subtitles, axes, counts, alt text, data table and theme."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analysis import charts

BLACKPOOL_SOURCES = (
    "App B - Q2 Exception Reports, 2015/16, Appendix 6(b) - Exception Reports (Q2 2017/18), "
    "Children's Services Update Report (December 2017 performance), Local Authority "
    "Interactive Tool (LAIT): children's social care indicators, years ending 31 March "
    "2016-2023, Explore Education Statistics: children in need and children looked after, "
    "counts and rates 2013-2023"
)  # what report.indicator_chart passes for children looked after


@pytest.fixture
def frame():
    return pd.DataFrame({
        "date": pd.to_datetime(["2016-03-31", "2017-03-31", "2017-06-30", "2016-03-31",
                                "2017-03-31"]),
        "period": ["2015-16", "2016-17", "2017-18 Q1", "2015-16", "2016-17"],
        "series": ["Blackpool"] * 3 + ["England"] * 2,
        "value": [163.0, 183.0, 191.6, 60.0, 62.0],
    })  # fmt: skip


@pytest.fixture
def chart(frame):
    return charts.history_chart(
        frame,
        title="Children looked after, Blackpool vs comparators",
        unit_label="Rate per 10,000 children",
        source="DfE children looked after release",
        target=150.0,
    )


@pytest.fixture
def counts():
    """Child protection plans: Blackpool's count beside England's (about 51,000)."""
    return pd.DataFrame({
        "date": pd.to_datetime(["2016-03-31", "2017-03-31", "2017-12-31", "2016-03-31",
                                "2017-03-31", "2017-03-31"]),
        "period": ["2015-16", "2016-17", "Dec 2017", "2015-16", "2016-17", "2016-17"],
        "series": ["Blackpool"] * 3 + ["England"] * 2 + ["Statistical neighbours (mean)"],
        "value": [364.0, 364.0, 356.0, 50310.0, 51080.0, 255.4],
    })  # fmt: skip


@pytest.fixture
def band():
    return pd.DataFrame({
        "date": pd.to_datetime(["2016-03-31", "2017-03-31"]),
        "period": ["2015-16", "2016-17"],
        "low": [127.0, 135.0],
        "high": [374.0, 412.0],
        "n": [10, 10],
    })  # fmt: skip


def _layers(spec: dict) -> list[dict]:
    """Flatten nested layers into a list of unit specs."""
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def _mark(layer: dict) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def _plotted_series(spec: dict) -> set[str]:
    """Series named in the data of the line layers."""
    names = set()
    for layer in _layers(spec):
        if _mark(layer) == "line" and "series" in str(layer["encoding"]):
            names |= {row["series"] for row in spec["datasets"][layer["data"]["name"]]}
    return names


# --- title, subtitle and source -------------------------------------------------------------


def test_history_chart_subtitle_gives_measure_area_period_then_one_source_line(chart):
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Children looked after, Blackpool vs comparators"
    assert spec["title"]["subtitle"] == [
        "Rate per 10,000 children, Blackpool and comparators, Mar 2016 to Jun 2017",
        "Source: DfE",
    ]


def test_history_chart_takes_area_measure_and_period_from_the_caller(frame):
    spec = charts.history_chart(
        frame,
        title="t",
        unit_label="Rate",
        area="Blackpool Council",
        measure="Rate per 10,000 children aged under 18",
        period_span="2015-16 to 2017-18 Q1",
    ).to_dict()
    assert spec["title"]["subtitle"] == [
        "Rate per 10,000 children aged under 18, Blackpool Council and comparators, "
        "2015-16 to 2017-18 Q1"
    ]


def test_history_chart_subtitle_can_be_replaced(frame):
    spec = charts.history_chart(frame, title="t", unit_label="Rate", subtitle="Mine").to_dict()
    assert spec["title"]["subtitle"] == ["Mine"]


@pytest.mark.parametrize(
    ("source", "area", "expected"),
    [
        (BLACKPOOL_SOURCES, "Blackpool", "Source: Blackpool Council committee papers; DfE"),
        (
            "Blackpool Council, Resilient Communities Scrutiny Committee; Department for "
            "Education; Office for National Statistics",
            None,
            "Source: Blackpool Council committee papers; DfE; ONS",
        ),
        ("ONS mid-year population estimates", None, "Source: ONS"),
        ("App B - Q2 Exception Reports, 2015/16", None, "Source: council committee papers"),
        ("Blackpool figures as reported", "Blackpool", "Source: Blackpool figures as reported"),
        ("", "Blackpool", ""),
    ],
)
def test_short_source_names_publishers_in_one_line(source, area, expected):
    assert charts.short_source(source, area=area) == expected


def test_short_source_cuts_an_unknown_long_source_at_a_word():
    line = charts.short_source("Quarterly Monitoring Return " * 6, max_chars=60)
    assert len(line) <= 60 and line.endswith("\u2026")
    assert line[:-1].split()[-1] in {"Quarterly", "Monitoring", "Return"}  # a whole word


def test_history_chart_source_for_blackpool_is_one_short_line(frame):
    spec = charts.history_chart(
        frame, title="t", unit_label="Rate", source=BLACKPOOL_SOURCES
    ).to_dict()
    assert spec["title"]["subtitle"][-1] == "Source: Blackpool Council committee papers; DfE"
    assert len(spec["title"]["subtitle"]) == 2


def test_long_title_wraps_to_the_chart_width():
    title = charts.chart_title(
        "Children subject to a second or subsequent child protection plan, Blackpool vs "
        "comparators",
        ["Per cent"],
        640,
    ).to_dict()
    assert isinstance(title["text"], list) and len(title["text"]) == 2
    assert all(len(line) * charts.TITLE_PX <= 640 for line in title["text"])


# --- axes and gridlines ---------------------------------------------------------------------


def test_history_chart_value_axis_starts_at_zero_without_rotated_title(chart):
    layers = _layers(chart.to_dict())
    y_value = [
        lyr["encoding"]["y"] for lyr in layers if lyr["encoding"]["y"].get("field") == "value"
    ]
    assert y_value and all(y["scale"] == {"zero": True} for y in y_value if "scale" in y)
    assert all(y.get("title", "missing") is None for y in y_value if "scale" in y)


def test_history_chart_time_axis_has_no_title_and_labels_year_ends(chart):
    x = _layers(chart.to_dict())[0]["encoding"]["x"]
    assert x["title"] is None
    assert x["axis"]["format"] == "%b %Y"
    assert x["axis"]["values"] == [
        {"year": 2016, "month": 3, "date": 31},
        {"year": 2017, "month": 3, "date": 31},
        {"year": 2017, "month": 6, "date": 30},
    ]


def test_theme_draws_few_light_horizontal_gridlines_only():
    config = charts.outturn_theme()["config"]
    assert config["axisX"]["grid"] is False
    assert config["axisY"]["grid"] is True and config["axisY"]["tickCount"] <= 5
    assert charts.relative_luminance(config["axis"]["gridColor"]) > 0.75  # light grey
    assert config["axis"]["titleAngle"] == 0 and config["axisX"]["labelAngle"] == 0


def test_theme_sizes_the_whole_chart_so_the_svg_scales():
    config = charts.outturn_theme()["config"]
    assert config["autosize"] == {"type": "fit", "contains": "padding"}


def test_history_chart_size_is_set_and_can_change(frame):
    spec = charts.history_chart(frame, title="t", unit_label="Rate", width=360).to_dict()
    assert (spec["width"], spec["height"]) == (360, charts.HEIGHT)
    assert spec["config"]["autosize"]["type"] == "fit"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["2017-12-31"], ["2017-12-31"]),
        (["2016-03-31", "2017-03-31"], ["2016-03-31", "2017-03-31"]),
        (  # year-ends, and the latest; Mar 2017 would crowd Sep 2017
            ["2013-03-31", "2014-03-31", "2015-03-31", "2016-03-31", "2017-03-31",
             "2017-06-30", "2017-09-30", "2015-06-30", "2015-09-30"],
            ["2013-03-31", "2014-03-31", "2015-03-31", "2016-03-31", "2017-09-30"],
        ),
        (  # months within a year: no year-ends to use, so every other month back from the last
            pd.date_range("2017-04-30", periods=9, freq="ME").strftime("%Y-%m-%d").tolist(),
            ["2017-04-30", "2017-06-30", "2017-08-31", "2017-10-31", "2017-12-31"],
        ),
    ],
)  # fmt: skip
def test_date_ticks_keep_the_latest_and_space_the_rest(dates, expected):
    ticks = charts.date_ticks(pd.to_datetime(dates))
    assert [t.strftime("%Y-%m-%d") for t in ticks] == expected


# --- counts ---------------------------------------------------------------------------------


def test_count_chart_draws_the_council_alone(counts, band):
    chart = charts.history_chart(
        counts, title="Children on child protection plans, Blackpool vs comparators",
        unit_label="Number", target=350.0, band=band,
    )  # fmt: skip
    spec = chart.to_dict()
    assert _plotted_series(spec) == {"Blackpool"}
    assert "area" not in [_mark(lyr) for lyr in _layers(spec)]  # no neighbours' range
    assert spec["title"]["text"] == "Children on child protection plans, Blackpool"
    assert spec["title"]["subtitle"][:2] == [
        "Number, Blackpool only, Mar 2016 to Dec 2017",
        "A count: England and other councils are not drawn, as their sizes differ",
    ]
    assert "England and Statistical neighbours (mean) not shown" in spec["description"]
    assert "51,080" not in spec["description"]


@pytest.mark.parametrize(("unit_label", "count", "drawn"), [
    ("Rate per 10,000 children", True, {"Blackpool"}),
    ("Number", False, {"Blackpool", "England", "Statistical neighbours (mean)"}),
    ("Number of children", None, {"Blackpool"}),
])  # fmt: skip
def test_count_keyword_overrides_the_unit_label(counts, unit_label, count, drawn):
    spec = charts.history_chart(counts, title="t", unit_label=unit_label, count=count).to_dict()
    assert _plotted_series(spec) == drawn


def test_count_alt_text_and_labels_use_whole_numbers(counts):
    spec = charts.history_chart(counts, title="t", unit_label="Number", target=350).to_dict()
    assert "Blackpool: 356 in Dec 2017, from 364 in 2015-16." in spec["description"]
    labels = [row.get("label") for rows in spec["datasets"].values() for row in rows]
    assert "Target 350" in labels and "356" in labels


# --- text alternative -----------------------------------------------------------------------


def test_alt_text_gives_latest_value_target_and_comparators(chart):
    assert chart.to_dict()["description"] == (
        "Line chart: Children looked after, Blackpool vs comparators: Blackpool and England, "
        "2015-16 to 2017-18 Q1. Blackpool: 191.6 in 2017-18 Q1, from 163.0 in 2015-16. "
        "Target: 150.0. Comparators' latest figures: England 62.0 in 2016-17. "
        "Blackpool's latest figure is higher than England."
    )


def test_alt_text_of_one_figure_gives_the_figure():
    one = pd.DataFrame({
        "date": pd.to_datetime(["2017-12-31"]), "period": ["Dec 2017"],
        "series": ["Blackpool"], "value": [537.0],
    })  # fmt: skip
    spec = charts.history_chart(one, title="Referrals", unit_label="Number").to_dict()
    assert spec["description"] == "Chart of one figure: Referrals. Blackpool: 537 in Dec 2017."
    assert spec["title"]["subtitle"] == ["Number, Blackpool, Dec 2017"]


def test_alt_text_says_where_the_council_stands_and_gives_percentages():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2017-03-31"] * 3),
        "period": ["2016-17"] * 3,
        "series": ["Blackpool", "Statistical neighbours (mean)", "England"],
        "value": [74.7, 79.6, 74.7],
    })  # fmt: skip
    text = charts.describe_series(frame, "t", "Blackpool", unit_label="Per cent", target=80)
    assert "Target: 80.0%." in text
    assert "Statistical neighbours (mean) 79.6% in 2016-17; England 74.7% in 2016-17" in text
    assert text.endswith(
        "Blackpool's latest figure is lower than Statistical neighbours (mean) and the same "
        "as England."
    )


def test_alt_text_describes_band_break_and_forecast(frame, band):
    fan = pd.DataFrame({
        "date": pd.to_datetime(["2017-09-30"]), "period": ["2017-18 Q2"],
        "estimate": [195.0], "lower": [180.0], "upper": [210.0],
    })  # fmt: skip
    spec = charts.history_chart(
        frame, title="t", unit_label="Rate", band=band, fan=fan, breaks=["2017-04-01"]
    ).to_dict()
    text = spec["description"]
    assert "Shaded band: the statistical neighbours' range, 135.0 to 412.0 in 2016-17" in text
    assert "Series break in Apr 2017: figures from then on are not comparable" in text
    assert text.endswith("Forecast: 195.0 in 2017-18 Q2 (range 180.0 to 210.0).")


def test_describe_series_empty_says_no_data():
    empty = pd.DataFrame(columns=["date", "period", "series", "value"])
    assert charts.describe_series(empty, "X", "Blackpool") == "Line chart: X. No data."


def test_given_description_is_used_as_is(frame):
    spec = charts.history_chart(frame, title="t", unit_label="Rate", description="Mine.")
    assert spec.to_dict()["description"] == "Mine."


# --- series break ---------------------------------------------------------------------------


def test_series_break_is_marked_and_lines_are_not_joined_across_it(frame):
    spec = charts.history_chart(frame, title="t", unit_label="Rate", breaks=["2017-04-01"])
    spec = spec.to_dict()
    rules = [lyr for lyr in _layers(spec) if _mark(lyr) == "rule"]
    assert [spec["datasets"][r["data"]["name"]][0]["label"] for r in rules] == ["Series break"]
    line = next(lyr for lyr in _layers(spec) if _mark(lyr) == "line")
    assert line["encoding"]["detail"]["field"] == "segment"
    rows = spec["datasets"][line["data"]["name"]]
    assert [(r["period"], r["segment"]) for r in rows if r["series"] == "Blackpool"] == [
        ("2015-16", 0), ("2016-17", 0), ("2017-18 Q1", 1)
    ]  # fmt: skip
    assert "Series break in Apr 2017" in spec["title"]["subtitle"][1]


# --- colours, legend and theme --------------------------------------------------------------


def test_history_chart_colours_council_first_from_palette(chart):
    scale = _layers(chart.to_dict())[0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Blackpool", "England"]
    assert scale["range"] == [charts.PALETTE[0], charts.PALETTE[3]]


def test_history_chart_draws_target_rule_in_target_colour(chart):
    rules = [lyr for lyr in _layers(chart.to_dict()) if _mark(lyr) == "rule"]
    assert len(rules) == 1 and rules[0]["mark"]["color"] == charts.PALETTE[2]


def test_history_chart_labels_the_councils_latest_figure(chart):
    spec = chart.to_dict()
    texts = [lyr for lyr in _layers(spec) if _mark(lyr) == "text"]
    labels = [row["label"] for lyr in texts for row in spec["datasets"][lyr["data"]["name"]]]
    assert labels == ["191.6", "Target 150.0"]


def test_neighbours_range_has_its_own_key(frame, band):
    spec = charts.history_chart(frame, title="t", unit_label="Rate", band=band).to_dict()
    fill = _layers(spec)[0]["encoding"]["fill"]
    assert fill["scale"]["domain"] == [charts.NEIGHBOUR_RANGE]


@pytest.mark.parametrize(("labels", "width", "expected"), [
    (["Blackpool"], 640, None),
    (["Blackpool", "Statistical neighbours (mean)", "England"], 640, {}),
    (["Blackpool", "Statistical neighbours (mean)", "England"], 300,
     {"direction": "vertical", "columns": 1}),
])  # fmt: skip
def test_legend_is_one_row_when_it_fits(labels, width, expected):
    legend = charts.legend_for(labels, width)
    assert (legend if legend is None else legend.to_dict()) == expected


def test_theme_registered_and_enabled():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME
    config = charts.outturn_theme()["config"]
    assert config["range"]["category"] == charts.PALETTE
    assert config["axis"]["labelColor"] == charts.TEXT


def test_chart_spec_carries_theme_config(chart):
    assert chart.to_dict()["config"]["title"]["color"] == charts.TEXT


@pytest.mark.parametrize(
    ("colour", "expected"), [("#FFFFFF", 1.0), ("#000000", 21.0), ("#767676", 4.54)]
)
def test_contrast_ratio_matches_wcag_examples(colour, expected):
    assert charts.contrast_ratio(colour) == pytest.approx(expected, abs=0.01)


# --- the data behind the chart --------------------------------------------------------------


def test_chart_data_gives_one_row_per_plotted_point(frame, band):
    table = charts.chart_data(charts.history_chart(frame, title="t", unit_label="Rate", band=band))
    assert list(table) == ["series", "period", "period_end", "value"]
    assert len(table) == 5 + 2 * len(band)
    first = table.iloc[0].to_dict()
    assert first == {
        "series": "Blackpool", "period": "2015-16", "period_end": "2016-03-31", "value": 163.0
    }  # fmt: skip
    lowest = table[table["series"] == "Statistical neighbours, lowest"]
    assert lowest["value"].tolist() == [127.0, 135.0]


def test_chart_data_reads_a_spec_as_well(chart):
    pd.testing.assert_frame_equal(charts.chart_data(chart.to_dict()), charts.chart_data(chart))


def test_chart_data_of_a_count_chart_holds_the_council_only(counts):
    table = charts.chart_data(charts.history_chart(counts, title="t", unit_label="Number"))
    assert set(table["series"]) == {"Blackpool"} and len(table) == 3


def test_chart_data_of_another_chart_is_empty():
    other = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    assert charts.chart_data(other).empty


# --- rendering ------------------------------------------------------------------------------


def test_svg_file_names_what_it_shows_and_loads_nothing(chart):
    svg = charts.chart_svg(chart)
    assert svg.startswith('<svg role="img" ')
    assert (
        "<title>Line chart: Children looked after, Blackpool vs comparators: Blackpool and "
        "England" in svg
    )
    assert "<script" not in svg and 'href="http' not in svg


def test_svg_is_the_chart_width_with_a_viewbox_so_it_can_scale(chart):
    root = charts.chart_svg(chart).split(">", 1)[0]
    assert f'width="{charts.WIDTH}"' in root
    assert f'viewBox="0 0 {charts.WIDTH} {charts.HEIGHT}"' in root
