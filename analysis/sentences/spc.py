"""Sentences about SPC readings: common or special cause, the rule, trial limits."""

from __future__ import annotations

from analysis import spc
from analysis.formatting import format_unit_value

_RULE_TEXT = {
    spc.OUTSIDE_LIMITS: "is outside the process limits {lpl} to {upl}",
    spc.TREND_INCREASING: (
        "is part of a run of {trend} or more points each higher than the one before"
    ),
    spc.TREND_DECREASING: (
        "is part of a run of {trend} or more points each lower than the one before"
    ),
    spc.TWO_OF_THREE_HIGH: "is one of two in three points close to the upper process limit {upl}",
    spc.TWO_OF_THREE_LOW: "is one of two in three points close to the lower process limit {lpl}",
    spc.RUN_ABOVE: "is part of a run of {run} or more points above the mean {mean}",
    spc.RUN_BELOW: "is part of a run of {run} or more points below the mean {mean}",
}
_SIGNAL_TEXT = {
    spc.SPECIAL_CAUSE_IMPROVEMENT: "Special-cause improvement",
    spc.SPECIAL_CAUSE_CONCERN: "Special-cause concern",
    spc.SPECIAL_CAUSE_NEUTRAL: "Special-cause variation",
}


def spc_sentence(summary: dict, unit: str | None = None, decimals: int = 1) -> str:
    """Say what the SPC reading of the latest point is, in plain English.

    Parameters
    ----------
    summary : dict
        A :func:`analysis.spc.variation` summary (without ``n_points``: no series was charted).
    unit : str, optional
        ``percent`` (or ``%``), ``count``, ``rate_per_10k`` or ``score``.
    decimals : int
        Decimal places of the values.

    Returns
    -------
    str
        Common-cause or special-cause variation (naming the rule), with a warning
        when the limits are trial limits; or why the series is too short.
    """
    if "n_points" not in summary:
        return "No series for SPC."
    n = summary["n_points"]
    if summary["signal"] == spc.TOO_SHORT:
        return f"Too few points for SPC ({n}; at least {spc.MIN_POINTS} needed)."
    fmt = {
        k: format_unit_value(summary[k], unit, decimals) for k in ("mean", "lpl", "upl", "value")
    }
    fmt.update(run=summary.get("run_length", 7), trend=summary.get("trend_length", 7))
    text = _variation_text(summary, fmt)
    if summary["trial_limits"]:
        settle = spc.STABLE_POINTS
        text += f" The limits are trial limits ({n} points; they settle at {settle} or more)."
    return text


def _variation_text(summary: dict, fmt: dict) -> str:
    if summary["signal"] == spc.COMMON_CAUSE:
        return (
            "Common-cause variation: the latest value is within the expected range "
            f"{fmt['lpl']} to {fmt['upl']}."
        )
    first_rule = str(summary["rule"]).split(";")[0]
    if first_rule == spc.OUTSIDE_LIMITS:
        above = summary["value"] > summary["upl"]
        side = "above the upper" if above else "below the lower"
        where = f"is {side} process limit {fmt['upl' if above else 'lpl']}"
    else:
        where = _RULE_TEXT[first_rule].format(**fmt)
    return f"{_SIGNAL_TEXT[summary['signal']]}: the latest value ({fmt['value']}) {where}."
