"""Tests for analysis.spc_charts (chart specs via ``to_dict``)."""

from __future__ import annotations

import pytest

from analysis import charts, spc_charts
from analysis.spc import (
    COMMON_CAUSE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL,
    xmr,
)
from analysis.spc_charts import POINT_STYLE, describe_spc, spc_chart

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


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _shift_frame(improvement="decrease"):
    y = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10.5, 10.6, 10.4, 10.5, 10.7, 10.4, 10.6]
    return xmr(y, list(range(2001, 2020)), improvement=improvement)


@pytest.fixture
def spec():
    frame = xmr(CP, MONTHS, improvement="decrease")
    chart = spc_chart(
        frame, title=TITLE, unit_label="Per cent", target=14, source="App B", area="Blackpool"
    )
    return chart.to_dict()


# --- text alternative -----------------------------------------------------------------------


def test_description_gives_mean_limits_target_latest_point_and_signal(spec):
    assert spec["description"] == (
        f"SPC chart: {TITLE}, Apr 2015 to Sep 2015. Mean 18.7%, process limits 12.8% to "
        "24.6%. Target 14.0%. Latest point: 17.1% in Sep 2015. Common-cause variation: the "
        "latest value is within the expected range 12.8% to 24.6%. The limits are trial "
        "limits (6 points; they settle at 13 or more). No special-cause points."
    )


def test_description_names_a_special_cause_at_the_latest_point():
    frame = xmr([10, 11, 9, 10, 11, 9, 10, 25], list(range(2001, 2009)), improvement="decrease")
    text = describe_spc(frame, title="t", unit_label="Number")
    assert "Latest point: 25 in 2008." in text
    assert "Special-cause concern: the latest value (25) is above the upper process limit" in text
    assert text.endswith("8 special-cause points in all (7 improvement, 1 concern).")


def test_description_counts_special_causes():
    text = describe_spc(_shift_frame("decrease"), title="t", unit_label="n")
    assert text.endswith("7 special-cause points in all (7 concern).")


def test_cli_output_without_segment_column_infers_segments():
    frame = xmr([1, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9], list(range(2001, 2013)), rebase=[2007])
    text = describe_spc(frame.drop(columns="segment"), title="t", unit_label="n")
    assert "2 segments after rebasing" in text


def test_no_values_gives_plain_description():
    frame = xmr([float("nan")] * 2, ["Apr 2015", "May 2015"])
    assert describe_spc(frame, title="t", unit_label="n") == "SPC chart: t; no values to plot."


# --- title, subtitle, axes ------------------------------------------------------------------


def test_subtitle_gives_measure_area_periods_axis_break_and_source(spec):
    assert spec["title"]["text"] == TITLE
    assert spec["title"]["subtitle"] == [
        "Per cent, Blackpool, Apr 2015 to Sep 2015",
        "The vertical axis starts at 10, not zero (marked by a break)",
        "Source: Blackpool Council committee papers",  # "App B" is a committee appendix
    ]


def test_axes_have_no_titles_and_level_labels(spec):
    x = _layers(spec)[0]["encoding"]["x"]
    assert x["title"] is None and x["sort"] == MONTHS
    assert x["axis"] == {"values": MONTHS}  # six labels fit; none rotated (theme labelAngle 0)
    assert _layers(spec)[0]["encoding"]["y"]["title"] is None


def test_axis_not_from_zero_is_marked_with_a_break(spec):
    y = _layers(spec)[0]["encoding"]["y"]
    assert y["scale"] == {"domain": [10, 25], "nice": False}
    assert y["axis"] == {"domain": True}  # the axis line the break mark sits on
    marks = [_mark(layer) for layer in _layers(spec)]
    assert any(m.get("shape") == spc_charts.AXIS_BREAK for m in marks)


def test_axis_starts_at_zero_when_values_come_near_it():
    frame = xmr([3, 9, 4, 12, 5, 8], MONTHS)
    spec = spc_chart(frame, title="t", unit_label="Number").to_dict()
    assert _layers(spec)[0]["encoding"]["y"]["scale"] == {"zero": True}
    assert not any(_mark(m).get("shape") == spc_charts.AXIS_BREAK for m in _layers(spec))
    assert len(spec["title"]["subtitle"]) == 1


@pytest.mark.parametrize(("levels", "expected"), [
    ({"value": [150, 190], "mean": [168], "lpl": [152], "upl": [184]}, (150, 190)),
    ({"value": [1, 9], "mean": [5], "lpl": [0], "upl": [10]}, None),
    ({"value": [60, 70], "mean": [65], "lpl": [-5], "upl": [95]}, None),
])  # fmt: skip
def test_y_domain_starts_at_a_round_number_or_zero(levels, expected):
    import pandas as pd

    frame = pd.DataFrame({k: pd.Series(v, dtype=float) for k, v in levels.items()})
    assert spc_charts.y_domain(frame) == expected


def test_period_ticks_thin_labels_and_keep_the_latest():
    labels = [f"20{y:02d}-{y + 1:02d} Q{q}" for y in range(13, 18) for q in (1, 2, 3, 4)]
    ticks = spc_charts.period_ticks(labels, 640)
    assert ticks[-1] == labels[-1] and len(ticks) <= 8
    assert spc_charts.period_ticks(MONTHS, 640) == MONTHS


# --- marks ----------------------------------------------------------------------------------


def test_marks_line_mean_dashed_limits_points_labels_and_target(spec):
    marks = [(_mark(layer)["type"], _mark(layer).get("strokeDash")) for layer in _layers(spec)]
    assert marks == [
        ("line", None),  # values
        ("line", None),  # mean
        ("line", [6, 4]),  # process limits, dashed
        ("point", None),
        ("text", None),  # mean and limits labelled at the right
        ("rule", [6, 4]),  # target
        ("text", None),
        ("point", None),  # the axis break
    ]
    labels = [row.get("label") for rows in spec["datasets"].values() for row in rows]
    assert {"Upper limit 24.6%", "Mean 18.7%", "Lower limit 12.8%", "Target 14.0%"} <= set(labels)


def test_target_label_sits_on_the_side_away_from_the_mean(spec):
    text = [m for m in map(_mark, _layers(spec)) if m.get("color") == spc_charts.TARGET_COLOUR]
    assert text[-1]["baseline"] == "top"  # target 14 is below the mean 18.7


def test_room_is_left_for_the_labels_at_the_right(spec):
    assert spec["padding"]["right"] >= len("Upper limit 24.6%") * 6


def test_special_cause_points_get_distinct_shapes_and_colours():
    frame = _shift_frame("decrease")
    enc = _layers(spc_chart(frame, title="t", unit_label="n").to_dict())[3]["encoding"]
    assert enc["color"]["field"] == enc["shape"]["field"] == "point_label"
    domain = enc["shape"]["scale"]["domain"]
    assert domain == ["Common cause", "Special cause: improvement", "Special cause: concern"]
    assert enc["shape"]["scale"]["range"] == ["circle", "diamond", "square"]
    assert enc["color"]["scale"]["range"] == [
        POINT_STYLE[t][1] for t in (COMMON_CAUSE, SPECIAL_CAUSE_IMPROVEMENT, SPECIAL_CAUSE_CONCERN)
    ]


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


# --- colours: contrast and greyscale --------------------------------------------------------


@pytest.mark.parametrize("point_type", list(POINT_STYLE))
def test_point_colours_reach_3_to_1_on_white(point_type):
    assert charts.contrast_ratio(POINT_STYLE[point_type][1]) >= 3.0  # WCAG 1.4.11


@pytest.mark.parametrize(
    "colour", [spc_charts.LINE_COLOUR, spc_charts.MEAN_COLOUR, spc_charts.TARGET_COLOUR]
)
def test_line_colours_reach_3_to_1_on_white(colour):
    assert charts.contrast_ratio(colour) >= 3.0


@pytest.mark.parametrize(("old", "ratio"), [("#41B6E6", 2.32), ("#ED8B00", 2.53)])
def test_the_former_colours_failed_as_the_issue_measured(old, ratio):
    assert charts.contrast_ratio(old) == pytest.approx(ratio, abs=0.01)
    assert old not in [style[1] for style in POINT_STYLE.values()]


def test_improvement_and_concern_stay_apart_in_greyscale():
    improvement = POINT_STYLE[SPECIAL_CAUSE_IMPROVEMENT][1]
    concern = POINT_STYLE[SPECIAL_CAUSE_CONCERN][1]
    common = POINT_STYLE[COMMON_CAUSE][1]
    assert charts.contrast_ratio(improvement, concern) >= 2.5  # far apart as greys
    # and common cause lies between them, so each pair differs in grey as well as shape
    lum = charts.relative_luminance
    assert lum(improvement) < lum(common) < lum(concern)
    assert charts.contrast_ratio(common, concern) >= 1.5
    assert charts.contrast_ratio(common, improvement) >= 1.5


def test_every_point_type_has_its_own_shape():
    shapes = [style[2] for style in POINT_STYLE.values()]
    assert len(set(shapes)) == len(shapes) == 4
    assert POINT_STYLE[SPECIAL_CAUSE_NEUTRAL][2] == "triangle-up"


# --- the data behind the chart --------------------------------------------------------------


def test_chart_data_gives_values_mean_limits_and_point_types():
    frame = xmr(
        [10, 11, 9, 10, float("nan"), 11, 9, 10, 25],
        list(range(2001, 2010)),
        improvement="increase",
    )
    table = charts.chart_data(spc_chart(frame, title="t", unit_label="Number"))
    assert list(table) == [
        "period", "value", "mean", "lower_limit", "upper_limit", "point_type", "rule"
    ]  # fmt: skip
    assert len(table) == 8  # the missing 2005 is not plotted
    last = table.iloc[-1]
    assert (last["period"], last["value"], last["point_type"]) == (
        "2009", 25.0, "Special cause: improvement"
    )  # fmt: skip
    assert last["rule"] == "outside limits"
    assert last["lower_limit"] < last["mean"] < last["upper_limit"]


def test_chart_size_and_legend_follow_the_width():
    spec = spc_chart(_shift_frame(), title="t", unit_label="n", width=360).to_dict()
    assert spec["width"] == 360
    legend = _layers(spec)[3]["encoding"]["color"]["legend"]
    assert legend == {"direction": "vertical", "columns": 1}
