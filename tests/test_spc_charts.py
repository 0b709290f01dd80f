"""Tests for analysis.spc_charts (chart specs via ``to_dict``)."""

from __future__ import annotations

import pytest

from analysis.spc import xmr
from analysis.spc_charts import describe_spc, spc_chart

MONTHS = ["Apr 2015", "May 2015", "Jun 2015", "Jul 2015", "Aug 2015", "Sep 2015"]
CP = [16.7, 17.2, 22.4, 20.4, 18.4, 17.1]  # paper 003, 2nd or subsequent CP plan (%)
TITLE = "% of children subject to a second child protection plan"


def _layers(spec: dict) -> list[dict]:
    """Flatten nested layers into a list of unit specs."""
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def _mark(layer: dict) -> dict:
    mark = layer["mark"]
    return mark if isinstance(mark, dict) else {"type": mark}


def _shift_frame(improvement="decrease"):
    y = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10.5, 10.6, 10.4, 10.5, 10.7, 10.4, 10.6]
    return xmr(y, list(range(2001, 2020)), improvement=improvement)


@pytest.fixture
def spec():
    frame = xmr(CP, MONTHS, improvement="decrease")
    chart = spc_chart(frame, title=TITLE, unit_label="% of children", target=14, source="App B")
    return chart.to_dict()


def test_description_names_range_mean_and_limits(spec):
    assert spec["description"] == (
        f"SPC chart: {TITLE}, Apr 2015 to Sep 2015; mean 18.7%, process limits 12.8% to "
        "24.6%; target 14.0%; no special-cause points."
    )


def test_title_source_and_axis_titles(spec):
    assert spec["title"]["text"] == TITLE
    assert spec["title"]["subtitle"] == ["Source: App B"]
    layers = _layers(spec)
    assert layers[0]["encoding"]["y"]["title"] == "% of children"
    assert layers[0]["encoding"]["x"]["title"] == "Period"
    assert layers[0]["encoding"]["x"]["sort"] == MONTHS


def test_marks_line_mean_dashed_limits_points_and_target(spec):
    marks = [(_mark(layer)["type"], _mark(layer).get("strokeDash")) for layer in _layers(spec)]
    assert marks == [
        ("line", None),  # values
        ("line", None),  # mean
        ("line", [6, 4]),  # process limits, dashed
        ("point", None),
        ("rule", [2, 2]),  # target
        ("text", None),
    ]
    labels = [row.get("label") for rows in spec["datasets"].values() for row in rows]
    assert "Target 14.0%" in labels


def test_special_cause_points_get_distinct_shapes_and_colours():
    frame = _shift_frame("decrease")
    enc = _layers(spc_chart(frame, title="t", unit_label="n").to_dict())[3]["encoding"]
    assert enc["color"]["field"] == enc["shape"]["field"] == "point_label"
    domain = enc["shape"]["scale"]["domain"]
    assert domain == ["Common cause", "Special cause: improvement", "Special cause: concern"]
    assert len(set(enc["shape"]["scale"]["range"])) == 3
    assert enc["color"]["scale"]["range"] == ["#7B7D7D", "#41B6E6", "#ED8B00"]
    assert enc["color"]["legend"]["title"] == "Point type"


def test_neutral_series_legend_names_neutral_points():
    enc = _layers(spc_chart(_shift_frame(None), title="t", unit_label="n").to_dict())[3]["encoding"]
    assert enc["shape"]["scale"]["domain"] == [
        "Common cause", "Special cause: neither better nor worse",
    ]  # fmt: skip


def test_rebased_segments_drawn_separately():
    frame = xmr([1, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9], list(range(2001, 2013)), rebase=[2007])
    spec = spc_chart(frame, title="t", unit_label="n").to_dict()
    mean_layer, limit_layer = _layers(spec)[1], _layers(spec)[2]
    assert mean_layer["encoding"]["detail"]["field"] == "segment"
    assert [d["field"] for d in limit_layer["encoding"]["detail"]] == ["segment", "limit"]
    assert "2 segments after rebasing; latest mean 8.5" in spec["description"]


def test_description_counts_special_causes():
    text = describe_spc(_shift_frame("decrease"), title="t", unit_label="n")
    assert text.endswith("7 special-cause points (7 concern).")


def test_cli_output_without_segment_column_infers_segments():
    frame = xmr([1, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9], list(range(2001, 2013)), rebase=[2007])
    text = describe_spc(frame.drop(columns="segment"), title="t", unit_label="n")
    assert "2 segments after rebasing" in text


def test_no_values_gives_plain_description():
    frame = xmr([float("nan")] * 2, ["Apr 2015", "May 2015"])
    assert describe_spc(frame, title="t", unit_label="n") == "SPC chart: t; no values to plot."
