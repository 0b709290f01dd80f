"""Sentences about forecasts, crossings and year-end projections (method names in words)."""

from __future__ import annotations

import math
from collections.abc import Callable

from analysis.forecasting import methods
from analysis.forecasting.backtest import Forecast, failed_backtest
from analysis.forecasting.crossing import Crossing
from analysis.forecasting.year_end import YearEnd
from analysis.formatting import plain_number as _plain
from analysis.periods import Period

METHOD_WORDS = {
    "naive": "last value",
    "ses": "smoothed level",
    "ses_anchored": "smoothed level pulled toward England",
    "drift": "average change",
    "linear": "straight-line trend",
    "combined": "combination of last value, smoothed level and damped drift",
    "damped": "damped-trend exponential smoothing",
}
"""How each forecast method is named in sentences a reader sees."""


def method_words(method: str | None) -> str:
    """Name a method in words for a sentence (``ses_anchored`` -> "smoothed level ...")."""
    return METHOD_WORDS.get(method or "", method or "no method")


def _one_decimal(value: float) -> str:
    return f"{value:,.1f}"


# --- forecasts -----------------------------------------------------------------------------


def _shortage(n: int, brk: Period | None) -> str:
    """Say why ``n`` points are too few, naming the series break when there is one."""
    noun = "point" if n == 1 else "points"
    since = f" since the series break at {brk.label}" if brk else ""
    return f"only {n} comparable {noun}{since}; at least {methods.MIN_POINTS} are needed"


def forecast_note(fc: Forecast) -> str:
    """Say how a forecast was made, its method in words, or why there is none.

    Parameters
    ----------
    fc : Forecast

    Returns
    -------
    str
        E.g. "smoothed level on 9 points since the series break at Apr 2017, pulled
        toward England (62.0) by 10% of the gap a year; back-test MASE 0.91, 80%
        interval held 88% of 8 outcomes from 4 origins", or "only 2 comparable
        points; at least 5 are needed".
    """
    if not fc.ok:  # the one reason there is: fc.reason == TOO_FEW_POINTS
        return _shortage(fc.n_points, fc.break_period)
    since = f" since the series break at {fc.break_period.label}" if fc.break_period else ""
    pulled = math.isfinite(fc.anchor)
    if pulled:  # the note says what the level is pulled toward, so the method is the level
        since += (
            f", pulled toward {fc.anchor_name} ({fc.anchor:,.1f}) by "
            f"{methods.PULL:.0%} of the gap a year"
        )
    accuracy = (
        f"back-test MASE {fc.mase:.2f}, {fc.level:g}% interval held {fc.coverage:.0%} "
        f"of {fc.n_outcomes} outcomes from {fc.n_origins} origins"
        if fc.n_origins
        else "no back-test possible"
    )
    words = method_words("ses" if pulled and fc.method == methods.ANCHORED_METHOD else fc.method)
    return f"{words} on {fc.n_points} points{since}; {accuracy}"


def unreliable_reason(fc: Forecast) -> str:
    """Say why a forecast should not be drawn (its own back-test missed too often), or ''."""
    if not fc.ok or not failed_backtest(fc.coverage, fc.n_outcomes):
        return ""
    return (
        f"only {fc.coverage:.0%} of {fc.n_outcomes} past outcomes fell inside the "
        f"{fc.level:g}% interval, so a fan would claim a certainty the data does not support"
    )


# --- crossings -----------------------------------------------------------------------------


def benchmark_projection(c: Crossing) -> str:
    """Say how the benchmark was carried forward ("held at its latest value, 536.2 in 2016-17")."""
    if c.case == "no_forecast":
        return ""
    when = f" in {c.benchmark_period.label}" if c.benchmark_period else ""
    held = f"held at its latest value, {c.benchmark_value:,.1f}{when}"
    bf = c.benchmark_forecast
    if c.benchmark_mode == "hold":
        return held
    if bf is None:
        return f"{held} (a single number cannot be forecast)"
    if not bf.ok:
        return f"{held}, because it cannot be forecast: {forecast_note(bf)}"
    return f"forecast from its own series ({forecast_note(bf)})"


def _already_reached(c: Crossing, fmt: Callable[[float], str]) -> str:
    return (
        f"The latest figure, {fmt(c.last_value)} in {c.last_period}, is already at or better "
        f"than {c.benchmark_name} ({fmt(c.benchmark_value)})."
    )


def _moving_away(c: Crossing, fmt: Callable[[float], str]) -> str:
    name = c.benchmark_name
    return (
        f"The forecast ({method_words(c.method)}) is flat or moving away from {name}, so it "
        f"is not expected to reach it by {c.horizon_end}; {name} is {benchmark_projection(c)}."
    )


def _not_within_horizon(c: Crossing, fmt: Callable[[float], str]) -> str:
    name = c.benchmark_name
    few = "None" if c.share < 0.005 else f"Only {c.share:.0%}"
    return (
        f"{few} of the simulated paths of the forecast ({method_words(c.method)}) "
        f"reach {name} by {c.horizon_end}, so it is not expected within the horizon; "
        f"{name} is {benchmark_projection(c)}."
    )


def _expected(c: Crossing, fmt: Callable[[float], str]) -> str:
    name = c.benchmark_name
    return (
        f"If the trend continues ({method_words(c.method)}, {c.n_points} points), the figure "
        f"is expected to reach {name} in {c.period}, {c.level:g}% interval {c.lower} to "
        f"{c.upper} ({c.share:.0%} of simulated paths reach it by {c.horizon_end}); "
        f"{name} is {benchmark_projection(c)}."
    )


def _no_crossing_forecast(c: Crossing, fmt: Callable[[float], str]) -> str:
    why = _shortage(c.n_points, c.break_period)
    return f"No forecast of when {c.benchmark_name} is reached: {why}."


_CROSSING_SENTENCES = {
    "already_reached": _already_reached,
    "moving_away": _moving_away,
    "not_within_horizon": _not_within_horizon,
    "expected": _expected,
    "no_forecast": _no_crossing_forecast,
}


def crossing_sentence(c: Crossing, fmt: Callable[[float], str] | None = None) -> str:
    """Say when the trend is expected to reach the benchmark, in plain English.

    Parameters
    ----------
    c : Crossing
    fmt : callable, optional
        Writes the council's and the benchmark's figures; by default whole
        numbers without decimals (447, not 447.0), others with one.

    Returns
    -------
    str
    """
    return _CROSSING_SENTENCES[c.case](c, fmt or _plain)


# --- year-end projections ------------------------------------------------------------------


def year_end_note(ye: YearEnd) -> str:
    """Say what a year-end projection rests on, its method in words.

    E.g. "in-year profile of 3 earlier years", "run rate from 6 of 12 periods",
    or the level forecast's :func:`forecast_note`.
    """
    if ye.basis == "profile":
        return f"in-year profile of {ye.n_profile_years} earlier years"
    if ye.basis == "run_rate":
        return f"run rate from {ye.n_in_year} of {ye.per_year} periods"
    if ye.basis == "reported":
        return "the year-end value is already reported"
    return forecast_note(ye.forecast)


def year_end_sentence(ye: YearEnd, fmt: Callable[[float], str] | None = None) -> str:
    """Say a year-end projection in words, numbers written by ``fmt`` (e.g. ``64.2%``).

    Parameters
    ----------
    ye : YearEnd
    fmt : callable, optional
        Writes the estimate, interval and comparators; by default with one decimal.

    Returns
    -------
    str
    """
    fmt = fmt or _one_decimal
    note = year_end_note(ye)
    if math.isnan(ye.estimate):
        return f"No year-end projection for {ye.period}: {note}."
    interval = (
        f"{ye.level:g}% interval {fmt(ye.lower)} to {fmt(ye.upper)}"
        if not math.isnan(ye.lower)
        else "no interval: one period is too few to measure variability"
    )
    parts = [f"Projected {ye.period} year-end: {fmt(ye.estimate)} ({interval}; {note})."]
    words = {"higher": "likely higher than", "lower": "likely lower than"}
    if ye.vs_last_year:
        verb = words.get(ye.vs_last_year, "not clearly different from")
        parts.append(f"That is {verb} last year's {fmt(ye.last_year_outturn)}.")
    if ye.vs_target == "within interval":
        parts.append(f"The target of {fmt(ye.target)} lies within the interval.")
    elif ye.vs_target:
        where = "above" if ye.vs_target == "higher" else "below"
        parts.append(f"It is likely to finish {where} the target of {fmt(ye.target)}.")
    return " ".join(parts)
