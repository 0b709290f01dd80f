"""Tests for analysis.charts: titles, units, source line, alt text, theme and inline SVG."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analysis import charts


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
        title="Children looked after",
        unit_label="Rate per 10,000 children",
        source="DfE children looked after release",
        target=150.0,
    )


def test_history_chart_has_title_and_source_line(chart):
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Children looked after"
    assert spec["title"]["subtitle"] == ["Source: DfE children looked after release"]


def test_history_chart_axis_titles_carry_units(chart):
    enc = chart.to_dict()["layer"][0]["encoding"]
    assert enc["y"]["title"] == "Rate per 10,000 children"
    assert enc["x"]["title"] == "Period end"


def test_history_chart_description_names_series_and_date_range(chart):
    text = chart.to_dict()["description"]
    assert text.startswith(
        "Line chart: Children looked after, Blackpool, England, 2015-16 to 2017-18 Q1"
    )
    assert "Blackpool highest at the latest point" in text
    assert "Blackpool went from 163.0 (2015-16) to 191.6 (2017-18 Q1)" in text


def test_history_chart_colours_council_first_from_palette(chart):
    scale = chart.to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Blackpool", "England"]
    assert scale["range"] == [charts.PALETTE[0], charts.PALETTE[3]]


def test_history_chart_draws_target_rule_in_target_colour(chart):
    layers = chart.to_dict()["layer"]
    rules = [lyr for lyr in layers if lyr["mark"]["type"] == "rule"]
    assert len(rules) == 1 and rules[0]["mark"]["color"] == charts.PALETTE[2]


def test_theme_registered_and_enabled():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME
    config = charts.outturn_theme()["config"]
    assert config["range"]["category"] == charts.PALETTE
    assert config["axis"]["labelColor"] == charts.TEXT


def test_chart_spec_carries_theme_config(chart):
    assert chart.to_dict()["config"]["title"]["color"] == charts.TEXT


def test_describe_series_empty_says_no_data():
    empty = pd.DataFrame(columns=["date", "period", "series", "value"])
    assert charts.describe_series(empty, "X", "Blackpool") == "Line chart: X. No data."


def test_chart_html_is_inline_svg_with_role_and_label(chart):
    markup = charts.chart_html(chart)
    assert markup.startswith(
        '<figure class="chart"><svg role="img" aria-label="Line chart: '
        "Children looked after, Blackpool, England"
    )
    assert "<script" not in markup and 'href="http' not in markup


def test_source_lines_wrap_long_sources_without_cutting_words():
    source = "Explore Education Statistics: children in need " * 5
    lines = charts.source_lines(source.strip(), width=60)
    assert lines[0].startswith("Source: Explore")
    assert all(len(line) <= 60 for line in lines)
    assert " ".join(lines) == f"Source: {source.strip()}"
