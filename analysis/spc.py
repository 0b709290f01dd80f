"""Statistical process control: XmR charts judged by NHS England's Making Data Count rules.

The method follows the R package NHSRplotthedots (NHS-R Community), which
implements Making Data Count ("plot the dots"):

* Limits are computed per segment (a rebase starts a new segment):
  mean +/- 2.66 x the mean moving range, with two-sigma lines at +/- (2/3) of
  that. Moving ranges of 3.267 x the mean moving range or more are screened
  out before the limits are set (``screen_outliers``, on by default upstream).
* ``fix_after`` computes the mean and limits from the first ``n`` values of each
  segment and holds them for the rest of it.
* A point is special cause when it is outside the process limits, part of a
  run of 7 points on one side of the mean, part of a trend of 7 points each
  strictly higher (or lower) than the one before, or one of two points out of
  three consecutive points, all three on the same side of the mean, that lie
  between the two-sigma line and the process limit. Every point of a run or
  trend is flagged, not only the seventh.
* Improvement or concern follows the direction of the rule that decides the
  point, taken in this order: outside the limits (the side of the mean),
  trend (its direction), two in three (the side), run (the side).

Missing values (NaN) are skipped. The mean ignores them and a moving range is
only taken between two adjacent observed values, so no moving range spans a
gap (NHSRplotthedots computes ``mean(na.rm = TRUE)`` of ``abs(diff(y))``, which
gives the same limits). Upstream applies its run and trend rules to the gap
itself and can raise false signals (NHSRplotthedots issue #156); here the rules
run over the observed values in order, as if the gap were not there, and the
missing row itself gets ``point_type`` ``"missing"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import PeriodError, SPCError
from analysis.periods import Period, parse_period

# --- point types ---------------------------------------------------------------------
COMMON_CAUSE = "common_cause"
SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL = "special_cause_neutral"
MISSING = "missing"
POINT_TYPES = (
    COMMON_CAUSE,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_NEUTRAL,
    MISSING,
)
TOO_SHORT = "too_short"

# --- rules, in the order they decide a point's type -----------------------------------
OUTSIDE_LIMITS = "outside_limits"
TREND_INCREASING = "trend_increasing"
TREND_DECREASING = "trend_decreasing"
TWO_OF_THREE_HIGH = "two_of_three_high"
TWO_OF_THREE_LOW = "two_of_three_low"
RUN_ABOVE = "run_above"
RUN_BELOW = "run_below"
RULES = (
    OUTSIDE_LIMITS,
    TREND_INCREASING,
    TREND_DECREASING,
    TWO_OF_THREE_HIGH,
    TWO_OF_THREE_LOW,
    RUN_ABOVE,
    RUN_BELOW,
)

# --- assurance ------------------------------------------------------------------------
CONSISTENTLY_PASSING = "consistently_passing"
CONSISTENTLY_FAILING = "consistently_failing"
HIT_OR_MISS = "hit_or_miss"
NO_TARGET = "no_target"

# --- constants of the method ----------------------------------------------------------
LIMIT_FACTOR = 2.66  # 3 sigma = 2.66 x mean moving range (3 / 1.128)
SCREEN_FACTOR = 3.267  # upper range limit: moving ranges at or above 3.267 x mean are screened
MIN_POINTS = 6  # fewer observed points than this in the latest segment: too short for SPC
STABLE_POINTS = 13  # fewer than this: limits are trial limits (Making Data Count tools)
IMPROVEMENTS = {"increase": 1, "decrease": -1, None: 0, "neutral": 0}

COLUMNS = [
    "period", "value", "mean", "lpl", "upl", "special_cause", "point_type", "rule",
    "segment", "assurance", "lower_two_sigma", "upper_two_sigma",
]  # fmt: skip


_FLOAT_COLUMNS = ("mean", "lpl", "upl", "lower_two_sigma", "upper_two_sigma")


# --- the rules, each on a gap-free vector (ported behaviour of NHSRplotthedots) -------
def run_ends(side: Sequence[float], length: int = 7) -> np.ndarray:
    """Flag points that end ``length`` consecutive points on the same side of the mean.

    Parameters
    ----------
    side : sequence of {-1, 0, 1}
        Sign of each value minus the mean; 0 (on the mean) breaks a run.
    length : int
        Points needed for a run.

    Returns
    -------
    numpy.ndarray
        1 where the point is the ``length``-th (or later) of a run, else 0.
    """
    s = np.asarray(side, dtype=float)
    out = np.zeros(len(s))
    for i in range(length - 1, len(s)):
        window = s[i - length + 1 : i + 1]
        out[i] = float(window[0] != 0 and np.all(window == window[0]))
    return out


def trend_ends(y: Sequence[float], length: int = 7) -> np.ndarray:
    """Flag points that end ``length`` points each strictly above (or below) the one before.

    Returns 1 for the end of an increasing trend, -1 for a decreasing one, else 0.
    An equal pair of values breaks a trend.
    """
    v = np.asarray(y, dtype=float)
    out = np.zeros(len(v))
    for i in range(length - 1, len(v)):
        steps = np.sign(np.diff(v[i - length + 1 : i + 1]))
        if np.all(steps == 1):
            out[i] = 1
        elif np.all(steps == -1):
            out[i] = -1
    return out


def part_of_run(ends: Sequence[float], length: int = 7) -> np.ndarray:
    """Spread run or trend end flags back over every point of the run.

    A point is part of a run when it, or one of the ``length - 1`` points after
    it, ends a run.
    """
    e = np.abs(np.asarray(ends, dtype=float)) == 1
    return np.array([float(e[i : i + length].any()) for i in range(len(e))])


def two_in_three(close: Sequence[float], side: Sequence[float]) -> np.ndarray:
    """Flag points in a window of three holding two or more points beyond two sigma.

    All three points of the window must lie on the same side of the mean
    (NHSRplotthedots issue #143).

    Parameters
    ----------
    close : sequence of {0, 1}
        1 where a point lies between the two-sigma line and the process limit.
    side : sequence of {-1, 0, 1}
        Sign of each value minus the mean.

    Returns
    -------
    numpy.ndarray
        1 for every point of a qualifying window, else 0.
    """
    c = np.asarray(close, dtype=float)
    s = np.asarray(side, dtype=float)
    out = np.zeros(len(c))
    for start in range(len(c) - 2):
        window = slice(start, start + 3)
        if c[window].sum() >= 2 and abs(s[window].sum()) == 3:
            out[window] = 1
    return out


def part_of_two_in_three(flags: Sequence[float], close: Sequence[float]) -> np.ndarray:
    """Keep only the points of a two-in-three window that are themselves beyond two sigma."""
    f = np.asarray(flags, dtype=float)
    c = np.asarray(close, dtype=float)
    return ((f == 1) & (np.abs(c) == 1)).astype(float)


def trend_direction(y: Sequence[float], in_trend: Sequence[float]) -> np.ndarray:
    """Direction (1 up, -1 down) of the trend each point belongs to.

    When a point and the next are both part of a trend, the step to the next
    point decides; otherwise the step from the previous point does.
    """
    v = np.asarray(y, dtype=float)
    t = np.asarray(in_trend, dtype=float) != 0
    steps = np.sign(np.diff(v))
    if len(v) < 2:
        return np.zeros(len(v))
    right = np.append(steps, steps[-1])
    left = np.insert(steps, 0, 0.0)
    next_in = np.append(t[1:], False)
    return np.where(next_in & t, right, left)


# --- limits -----------------------------------------------------------------------------
def process_limits(
    values: Sequence[float], *, fix_after: int | None = None, screen_outliers: bool = True
) -> tuple[float, float, float]:
    """Mean and process limits of one segment.

    Parameters
    ----------
    values : sequence of float
        The segment's values in order; NaN marks a gap.
    fix_after : int, optional
        Use only the first ``fix_after`` observed values.
    screen_outliers : bool
        Drop moving ranges at or above 3.267 x their mean, then recompute it.

    Returns
    -------
    tuple of float
        ``(mean, lpl, upl)``; the limits are NaN with fewer than two adjacent values.
    """
    y = np.asarray(values, dtype=float)
    if fix_after is not None:
        observed = np.flatnonzero(~np.isnan(y))
        if len(observed) > fix_after:
            y = y[: observed[fix_after - 1] + 1]
    if np.isnan(y).all():
        return (np.nan, np.nan, np.nan)
    mean = float(np.nanmean(y))
    mr = np.abs(np.diff(y))
    mr = mr[~np.isnan(mr)]
    if len(mr) == 0:
        return (mean, np.nan, np.nan)
    amr = mr.mean()
    if screen_outliers and amr > 0:  # a flat series has nothing to screen
        amr = mr[mr < SCREEN_FACTOR * amr].mean()
    return (mean, mean - LIMIT_FACTOR * amr, mean + LIMIT_FACTOR * amr)


# --- classification of one segment ------------------------------------------------------
def _segment_rules(y: np.ndarray, mean: float, lpl: float, upl: float, lengths: tuple[int, int]):
    """Rule flags for the observed values of one segment, as a dict of boolean arrays."""
    run_length, trend_length = lengths
    side = np.sign(y - mean)
    near = (2 / 3) * (upl - mean)
    outside = (y > upl) | (y < lpl)
    close = ~outside & ((y < mean - near) | (y > mean + near))
    trend = trend_ends(y, trend_length)
    part_trend = part_of_run(trend, trend_length)
    direction = trend_direction(y, part_trend)
    two = part_of_two_in_three(two_in_three(close, side), close) == 1
    run_up = part_of_run(run_ends(np.where(side > 0, 1, 0), run_length), run_length) == 1
    run_down = part_of_run(run_ends(np.where(side < 0, -1, 0), run_length), run_length) == 1
    return {
        OUTSIDE_LIMITS: outside,
        TREND_INCREASING: (part_trend == 1) & (direction > 0),
        TREND_DECREASING: (part_trend == 1) & (direction < 0),
        TWO_OF_THREE_HIGH: two & (side > 0),
        TWO_OF_THREE_LOW: two & (side < 0),
        RUN_ABOVE: run_up,
        RUN_BELOW: run_down,
        "_side": side,
    }


_RULE_SIGN = {
    TREND_INCREASING: 1,
    TREND_DECREASING: -1,
    TWO_OF_THREE_HIGH: 1,
    TWO_OF_THREE_LOW: -1,
    RUN_ABOVE: 1,
    RUN_BELOW: -1,
}


def _point_type(fired: list[str], side: float, improvement: int) -> str:
    """Point type from the first rule that fired (in :data:`RULES` order)."""
    if not fired:
        return COMMON_CAUSE
    if improvement == 0:
        return SPECIAL_CAUSE_NEUTRAL
    sign = side if fired[0] == OUTSIDE_LIMITS else _RULE_SIGN[fired[0]]
    return SPECIAL_CAUSE_IMPROVEMENT if sign * improvement > 0 else SPECIAL_CAUSE_CONCERN


def _classify(y: np.ndarray, limits: tuple[float, float, float], improvement: int, lengths):
    """Rule text and point type for each observed value of one segment."""
    mean, lpl, upl = limits
    if np.isnan(upl):
        return [""] * len(y), [COMMON_CAUSE] * len(y)
    flags = _segment_rules(y, mean, lpl, upl, lengths)
    rules, types = [], []
    for i in range(len(y)):
        fired = [rule for rule in RULES if flags[rule][i]]
        rules.append(";".join(fired))
        types.append(_point_type(fired, flags["_side"][i], improvement))
    return rules, types


# --- the series: periods, order, segments ---------------------------------------------
def _period_key(label: Any) -> Any:
    """Make a comparable key for a period label: a Period where it parses, else the label."""
    if isinstance(label, pd.Timestamp | date):
        label = label.strftime("%Y-%m-%d")
    if isinstance(label, str | Period):
        try:
            return parse_period(label)
        except PeriodError:
            return label
    return label


def _check_order(keys: list[Any], labels: list[Any]) -> None:
    for i in range(1, len(keys)):
        try:
            in_order = keys[i - 1] < keys[i]
        except TypeError:
            in_order = True
        if not in_order:
            raise SPCError(
                f"SPC series: period {labels[i]!r} (position {i + 1}) does not come after "
                f"{labels[i - 1]!r}; sort the series by period and remove repeated periods"
            )


def _segments(keys: list[Any], labels: list[Any], rebase: Iterable[Any]) -> np.ndarray:
    """Segment number (1, 2, ...) of each point; each rebase period starts a new one."""
    starts = np.zeros(len(keys), dtype=int)
    for r in rebase:
        key = _period_key(r)
        if key not in keys:
            shown = ", ".join(str(p) for p in labels[:3]) + (" ..." if len(labels) > 3 else "")
            raise SPCError(
                f"rebase period {r!r} is not in the series ({shown}); "
                "give a period that has a row in the data"
            )
        starts[keys.index(key)] = 1
    if len(starts):
        starts[0] = 1
    return np.cumsum(starts)


def _as_floats(values: Sequence[float] | pd.Series | np.ndarray) -> np.ndarray:
    """Turn the values into floats, None and NaN staying gaps; text is an error."""
    array = np.asarray(values)
    if array.dtype.kind in "fiub":
        return array.astype(float)
    series = pd.Series(list(values), dtype="object")
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna() & ~series.map(lambda v: isinstance(v, float))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SPCError(
            f"SPC series: value {series.iloc[i]!r} at position {i + 1} is not a number; "
            "give numbers, with NaN or None for a gap"
        )
    return numbers.to_numpy(float)


def _improvement_sign(improvement: str | None) -> int:
    if improvement not in IMPROVEMENTS:
        raise SPCError(
            f"improvement {improvement!r} is not recognised; "
            "use 'increase', 'decrease' or None (neutral: no judgement)"
        )
    return IMPROVEMENTS[improvement]


def _check_options(fix_after: int | None, run_length: int, trend_length: int) -> None:
    if fix_after is not None and fix_after < 2:
        raise SPCError(f"fix_after={fix_after}: limits need at least 2 points; use 2 or more")
    if run_length < 2 or trend_length < 3:
        raise SPCError(
            f"run_length={run_length}, trend_length={trend_length}: use a run of at least "
            "2 points and a trend of at least 3 (Making Data Count uses 7 for both)"
        )


def xmr(
    values: Sequence[float] | pd.Series | np.ndarray,
    periods: Sequence[Any] | None = None,
    *,
    improvement: str | None = "increase",
    target: float | None = None,
    rebase: Iterable[Any] = (),
    fix_after: int | None = None,
    run_length: int = 7,
    trend_length: int = 7,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """XmR (individuals) chart of a series, judged by the Making Data Count rules.

    Parameters
    ----------
    values : sequence of float
        The series in time order; NaN is a gap (see the module docstring).
    periods : sequence, optional
        A label per value (period labels, dates or any ordered values); when
        they parse as periods they must be in time order without repeats.
        Default: 1, 2, 3...
    improvement : {"increase", "decrease", None}
        Direction that is better; None (or "neutral") gives neutral special causes.
    target : float, optional
        Target for the assurance column.
    rebase : iterable
        Periods at which a new segment (with its own mean and limits) starts.
    fix_after : int, optional
        Compute each segment's limits from its first ``fix_after`` values and hold them.
    run_length, trend_length : int
        Points needed for a run on one side of the mean, and for a trend (7, 7).
    screen_outliers : bool
        Screen large moving ranges out of the limits (NHSRplotthedots default).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``period, value, mean, lpl, upl, special_cause,
        point_type, rule, segment, assurance, lower_two_sigma, upper_two_sigma``.

    Raises
    ------
    SPCError
        When ``improvement`` is unknown, a rebase period is not in the series,
        the periods are out of order or repeated, or ``values`` and ``periods``
        differ in length.
    """
    sign = _improvement_sign(improvement)
    _check_options(fix_after, run_length, trend_length)
    y = _as_floats(values)
    labels = list(range(1, len(y) + 1)) if periods is None else list(periods)
    if len(labels) != len(y):
        raise SPCError(f"SPC series: {len(y)} values but {len(labels)} periods; give one each")
    keys = [_period_key(p) for p in labels]
    _check_order(keys, labels)
    segment = _segments(keys, labels, rebase)
    lengths = (run_length, trend_length)
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    for number in np.unique(segment):
        part = _segment_columns(
            y[segment == number], sign, target, fix_after, lengths, screen_outliers
        )
        for name, values in part.items():
            columns[name].extend(values)
    typed = {name: np.array(columns[name], dtype=float) for name in _FLOAT_COLUMNS}
    typed["special_cause"] = np.array(columns["special_cause"], dtype=bool)
    columns.update(typed, period=labels, value=y, segment=segment)
    return pd.DataFrame(columns, columns=COLUMNS)


def _segment_columns(y, sign, target, fix_after, lengths, screen_outliers) -> dict[str, list]:
    """Limits, rules and assurance for one segment's values, as lists of column values."""
    mean, lpl, upl = process_limits(y, fix_after=fix_after, screen_outliers=screen_outliers)
    observed = ~np.isnan(y)
    rules, types = _classify(y[observed], (mean, lpl, upl), sign, lengths)
    rule = np.full(len(y), "", dtype=object)
    point_type = np.full(len(y), MISSING, dtype=object)
    rule[observed], point_type[observed] = rules, types
    n = len(y)
    return {
        "mean": [mean] * n,
        "lpl": [lpl] * n,
        "upl": [upl] * n,
        "special_cause": [str(t).startswith("special_cause") for t in point_type],
        "point_type": list(point_type),
        "rule": list(rule),
        "assurance": [assurance({"lpl": lpl, "upl": upl}, target, _direction_name(sign))] * n,
        "lower_two_sigma": [mean - (2 / 3) * (mean - lpl)] * n,
        "upper_two_sigma": [mean + (2 / 3) * (upl - mean)] * n,
    }


def _direction_name(sign: int) -> str | None:
    return {1: "increase", -1: "decrease"}.get(sign)


def assurance(
    frame_or_segment: pd.DataFrame | Mapping[str, float],
    target: float | None,
    improvement: str | None,
) -> str:
    """Whether the process will meet a target, judged from its process limits.

    Parameters
    ----------
    frame_or_segment : DataFrame or mapping
        An :func:`xmr` frame (its last row, i.e. the latest segment, is used) or
        a mapping with ``lpl`` and ``upl``.
    target : float or None
        The target value.
    improvement : {"increase", "decrease", None}
        Direction that is better.

    Returns
    -------
    str
        ``consistently_passing`` when the whole range between the limits meets
        the target, ``consistently_failing`` when none of it does,
        ``hit_or_miss`` when the target lies within the limits (or on one), and
        ``no_target`` when there is no target or no direction of improvement.
    """
    sign = _improvement_sign(improvement)
    if target is None or pd.isna(target) or sign == 0:
        return NO_TARGET
    if isinstance(frame_or_segment, pd.DataFrame):
        if frame_or_segment.empty:
            return NO_TARGET
        frame_or_segment = frame_or_segment.iloc[-1]
    lpl, upl = float(frame_or_segment["lpl"]), float(frame_or_segment["upl"])
    if target > upl:
        return CONSISTENTLY_FAILING if sign > 0 else CONSISTENTLY_PASSING
    if target < lpl:
        return CONSISTENTLY_PASSING if sign > 0 else CONSISTENTLY_FAILING
    return HIT_OR_MISS


def variation(
    frame: pd.DataFrame,
    *,
    run_length: int = 7,
    trend_length: int = 7,
) -> dict[str, Any]:
    """Summarise the latest point of an :func:`xmr` frame for a scorecard.

    :func:`analysis.sentences.spc_sentence` says it in words.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`xmr`.
    run_length, trend_length : int
        The lengths the frame was computed with (recorded in the summary).

    Returns
    -------
    dict
        ``signal`` (``special_cause_improvement``, ``special_cause_concern``,
        ``special_cause_neutral``, ``common_cause`` or ``too_short``), ``rule``,
        ``n_points`` (observed points in the latest segment), ``trial_limits``
        (True below 13 points: the limits will move as points are added),
        ``period``, ``value``, ``mean``, ``lpl``, ``upl``, ``assurance`` (against
        the target given to :func:`xmr`; empty when too short), ``run_length`` and
        ``trend_length``. Fewer than 6 observed points in the latest segment gives
        ``too_short``: the limits rest on too few moving ranges to judge.
    """
    lengths = {"run_length": run_length, "trend_length": trend_length}
    seen = frame[frame["value"].notna()] if len(frame) else frame
    if seen.empty:
        return _summary(TOO_SHORT, "", 0, None) | lengths
    last = seen.iloc[-1]
    n = int((seen["segment"] == last["segment"]).sum())
    if n < MIN_POINTS:
        return _summary(TOO_SHORT, "", n, last) | lengths
    return _summary(last["point_type"], last["rule"], n, last) | lengths


def _summary(signal: str, rule: str, n: int, last: pd.Series | None) -> dict:
    def pick(key: str) -> Any:
        value = None if last is None else last[key]
        return value.item() if isinstance(value, np.generic) else value

    return {
        "signal": signal,
        "rule": rule,
        "n_points": n,
        "trial_limits": n < STABLE_POINTS,
        "period": pick("period"),
        "value": pick("value"),
        "mean": pick("mean"),
        "lpl": pick("lpl"),
        "upl": pick("upl"),
        "assurance": "" if signal == TOO_SHORT or last is None else pick("assurance"),
    }
