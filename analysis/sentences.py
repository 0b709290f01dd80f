"""Sentences a reader sees about forecasts, crossings, year-end projections and SPC."""

from __future__ import annotations

import math
from collections.abc import Callable

from analysis import forecasting
from analysis.spc import COMMON_CAUSE, MIN_POINTS, OUTSIDE_LIMITS, STABLE_POINTS, TOO_SHORT
from analysis.spc import _RULE_TEXT, _SIGNAL_TEXT
from analysis.spc import format_value as spc_value

METHOD_WORDS = forecasting.METHOD_WORDS


def method_words(method: str | None) -> str:
    """Name a method in words (``ses_anchored`` -> "smoothed level pulled toward England")."""
    return forecasting.method_words(method)


def _in_words(method: str | None, note: str | None) -> str:
    note = note or ""
    if method and note.startswith(f"{method} "):
        words = method_words("ses" if method == "ses_anchored" else method)
        note = words + note[len(method) :]
    return note


def forecast_note(fc) -> str:  # noqa: ANN001
    """How the forecast was made (method in words), or why there is none."""
    return _in_words(fc.method, fc.note)


def unreliable_reason(fc) -> str:  # noqa: ANN001
    """'' or why the forecast should not be drawn (its own back-test missed too often)."""
    if fc is None or not fc.ok or not forecasting.failed_backtest(fc.coverage, fc.n_outcomes):
        return ""
    return (
        f"only {fc.coverage:.0%} of {fc.n_outcomes} past outcomes fell inside the "
        f"{fc.level:g}% interval, so a fan would claim a certainty the data does not support"
    )


def crossing_sentence(c, fmt: Callable[[float], str] | None = None) -> str:  # noqa: ANN001
    """When the trend reaches the benchmark, in words."""
    return c.sentence


def benchmark_projection(c) -> str:  # noqa: ANN001
    """How the benchmark is projected."""
    return c.benchmark_note


def year_end_note(ye) -> str:  # noqa: ANN001
    """How the year-end was projected, method in words."""
    return _in_words(ye.method, ye.note)


def year_end_sentence(ye, fmt: Callable[[float], str] | None = None) -> str:  # noqa: ANN001
    """A year-end projection in words, numbers written by ``fmt``."""
    return forecasting.year_end_sentence(ye, fmt or "{:,.1f}".format, year_end_note(ye))


def spc_sentence(summary: dict, unit: str | None = None, decimals: int = 1) -> str:
    """The SPC reading of the latest point in words."""
    signal, n = summary.get("signal"), int(summary.get("n_points") or 0)
    if signal == TOO_SHORT:
        return f"Too few points for SPC ({n}; at least {MIN_POINTS} needed)."
    fmt = {k: spc_value(summary.get(k), unit, decimals) for k in ("mean", "lpl", "upl", "value")}
    fmt.update(run=7, trend=7)
    if signal == COMMON_CAUSE:
        msg = (
            "Common-cause variation: the latest value is within the expected range "
            f"{fmt['lpl']} to {fmt['upl']}."
        )
    else:
        first = str(summary.get("rule") or "").split(";")[0]
        if first == OUTSIDE_LIMITS:
            above = summary["value"] > summary["upl"]
            where = (
                f"is above the upper process limit {fmt['upl']}"
                if above
                else f"is below the lower process limit {fmt['lpl']}"
            )
        else:
            where = _RULE_TEXT[first].format(**fmt)
        msg = f"{_SIGNAL_TEXT[signal]}: the latest value ({fmt['value']}) {where}."
    if n < STABLE_POINTS:
        msg += f" The limits are trial limits ({n} points; they settle at {STABLE_POINTS} or more)."
    return msg


__all__ = ["METHOD_WORDS", "math"]
