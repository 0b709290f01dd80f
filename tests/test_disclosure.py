"""Tests for analysis.disclosure: small counts withheld in the published build."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.disclosure import small_count_mask, suppress_small

CATALOGUE = {"contacts": SimpleNamespace(unit="count"),
             "cla": SimpleNamespace(unit="rate_per_10k"),
             "fte": SimpleNamespace(unit="percent")}  # fmt: skip


def _values(rows):
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "area_code", "period", "value", "count", "status"]
    )
    frame["status"] = frame["status"].fillna("")
    return frame


@pytest.mark.parametrize(("indicator", "value", "count", "withheld"), [
    ("contacts", 4.0, math.nan, True),    # a count below 5
    ("contacts", 5.0, math.nan, False),   # at the threshold: shown
    ("contacts", 0.0, math.nan, False),   # zero identifies no one
    ("cla", 1.4, 4.0, True),              # the rate goes with its small count
    ("cla", 1.4, math.nan, False),        # no count printed: nothing to judge
    ("fte", 2.0, 12.0, False),            # a small percentage of a large count
    ("fte", 50.0, 1.0, True),             # a large percentage of one person
])  # fmt: skip
def test_suppress_small_withholds_only_counts_below_threshold(indicator, value, count, withheld):
    out = suppress_small(
        _values([(indicator, "E06000009", "2017-18 Q2", value, count, "")]), CATALOGUE, threshold=5
    )
    assert (out.at[0, "status"] == "k") is withheld
    assert math.isnan(out.at[0, "value"]) is withheld


def test_suppress_small_blanks_value_and_count_of_withheld_row():
    out = suppress_small(_values([("cla", "E06000009", "Sep 2017", 1.4, 3.0, "")]), CATALOGUE)
    assert math.isnan(out.at[0, "count"]) and out.at[0, "status"] == "k"


def test_suppress_small_respects_threshold():
    frame = _values([("contacts", "E06000009", "Sep 2017", 9.0, math.nan, "")])
    assert suppress_small(frame, CATALOGUE, threshold=10).at[0, "status"] == "k"
    assert suppress_small(frame, CATALOGUE, threshold=5).at[0, "value"] == 9.0


def test_suppress_small_leaves_input_and_publisher_markers_alone():
    frame = _values(
        [
            ("contacts", "E06000009", "Sep 2017", 3.0, math.nan, ""),
            ("contacts", "E92000001", "Sep 2017", math.nan, math.nan, "c"),
        ]
    )
    out = suppress_small(frame, CATALOGUE)
    assert frame.at[0, "value"] == 3.0  # the input is not changed
    assert list(out["status"]) == ["k", "c"]


def test_small_count_mask_unknown_indicator_uses_count_column():
    frame = _values([("other", "E06000009", "Sep 2017", 80.0, 2.0, "")])
    assert small_count_mask(frame, CATALOGUE).tolist() == [True]
