"""Red, amber, green: an indicator's status against its target, with a tolerance band.

The rule is the council's (``report.rag`` in council.yml) with any keys an
indicator overrides (``rag:`` in the catalogue). A status is read from the
quarter's target comparison (:func:`analysis.comparison.compare_indicator`),
so the overview, scorecard.csv, the exception pages and the commentary
requests all say the same thing:

- **green**: the target is met (as good as the target or better, by polarity);
- **amber**: missed by no more than ``tolerance`` (a percentage of the target,
  or an amount in the indicator's unit; a miss exactly on the tolerance is
  amber), or missed but no worse than ``floor``, or (``amber_if_improving``)
  missed by more but better than the same period last year;
- **red**: missed otherwise;
- ``""`` (not rated): no target, a target to be confirmed, no figure to compare,
  or a context measure. A rule target ("decrease on last year") is green when
  met and red when not: it has no size to take a tolerance of.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from analysis.tolerance import NO_TOLERANCE, Tolerance, parse_tolerance

GREEN, AMBER, RED, NOT_RATED = "green", "amber", "red", ""
STATUSES = (GREEN, AMBER, RED)
RAG_KEYS = ("tolerance", "amber_if_improving", "floor")
"""Keys of ``report.rag`` and of an indicator's ``rag:`` override."""
RULE_TARGETS = ("decrease_on_last_year", "increase_on_previous_year")
_EPSILON = 1e-9


@dataclass(frozen=True)
class RagRule:
    """How a missed target is rated: the amber band and what else counts as amber.

    ``tolerance`` is the amber band (a percentage of the target, or an amount);
    ``floor`` (in the same terms as the target) makes a miss no worse than it
    amber; ``amber_if_improving`` makes a miss beyond the band amber when the
    figure is better than the same period last year.
    """

    tolerance: Tolerance = NO_TOLERANCE
    amber_if_improving: bool = False
    floor: float | None = None

    def describe(self) -> str:
        """Say what makes a missed target amber, in words (for the printed key)."""
        parts = []
        if self.tolerance.amount > 0:
            how = "of the target" if self.tolerance.relative else "in the indicator's unit"
            parts.append(f"missed by no more than {self.tolerance.describe()} {how}")
        if self.floor is not None:
            parts.append(f"missed but no worse than the floor of {self.floor:g}")
        if self.amber_if_improving:
            parts.append("missed by more but better than the same period last year")
        return "; or ".join(parts)


@dataclass(frozen=True)
class Rating:
    """One indicator's status this quarter and why (``status`` ``''`` when not rated)."""

    status: str = NOT_RATED
    reason: str = ""

    @property
    def rated(self) -> bool:
        """True when the indicator has a status (green, amber or red)."""
        return self.status in STATUSES


def parse_rag(raw: Any, base: RagRule | None = None) -> RagRule:
    """Read a RAG rule from YAML (``report.rag``, or an indicator's override of ``base``).

    ``true`` means the default rule (no tolerance); a mapping may set
    ``tolerance``, ``amber_if_improving`` and ``floor``.

    Raises
    ------
    ValueError
        Saying which key is wrong and what to write; callers add the file and key.
    """
    rule = base or RagRule()
    if raw is True or raw is None:
        return rule
    if not isinstance(raw, Mapping):
        raise ValueError(
            f"is {raw!r}; write a mapping such as {{tolerance: '10%', amber_if_improving: false}}"
        )
    unknown = [str(k) for k in raw if k not in RAG_KEYS]
    if unknown:
        raise ValueError(f"has unknown key(s) {', '.join(unknown)}; use {', '.join(RAG_KEYS)}")
    return replace(rule, **_rag_changes(raw))


def _rag_changes(raw: Mapping) -> dict[str, Any]:
    """Return the keys a rule sets, each checked (a ValueError says which is wrong)."""
    changes: dict[str, Any] = {}
    if raw.get("tolerance") is not None:
        try:
            changes["tolerance"] = parse_tolerance(raw["tolerance"])
        except ValueError as exc:
            raise ValueError(f"tolerance {exc}") from None
    if "amber_if_improving" in raw:
        if not isinstance(raw["amber_if_improving"], bool):
            raise ValueError(f"amber_if_improving is {raw['amber_if_improving']!r}; write "
                             "true or false")  # fmt: skip
        changes["amber_if_improving"] = raw["amber_if_improving"]
    if raw.get("floor") is not None:
        floor = raw["floor"]
        if isinstance(floor, bool) or not isinstance(floor, (int, float)) or math.isnan(floor):
            raise ValueError(f"floor is {floor!r}; write a number in the target's terms")
        changes["floor"] = float(floor)
    return changes


def _row(rows: Sequence[Mapping], name: str) -> Mapping | None:
    return next((r for r in rows if r.get("comparison") == name), None)


def _missed_by(change: float, better: str) -> float:
    """How far a figure falls short of its target (0 when it meets it)."""
    short = -change if better == "high" else change
    return max(short, 0.0)


def _beats_floor(figure: float, floor: float, better: str) -> bool:
    return figure >= floor - _EPSILON if better == "high" else figure <= floor + _EPSILON


def rate(
    rows: Sequence[Mapping],
    better: str | None,
    rule: RagRule,
    target_rule: str = "value",
    floor: float | None = None,
) -> Rating:
    """Rate one indicator from its comparisons (the ``target`` row decides).

    Parameters
    ----------
    rows : sequence of dict
        The indicator's comparison rows (``comparison``, ``baseline_value``,
        ``change``, ``judgement``...).
    better : str or None
        ``high`` or ``low``; None (a context measure) is never rated.
    rule : RagRule
        The council's rule with the indicator's overrides.
    target_rule : str
        The year's target kind: ``value``, or a rule such as ``decrease_on_last_year``.
    floor : float, optional
        This year's floor (overrides ``rule.floor``).

    Returns
    -------
    Rating
        Green, amber or red with the reason in words, or not rated.
    """
    target = _row(rows, "target")
    if better is None or target is None or target.get("judgement") in (None, "n/a"):
        return Rating(NOT_RATED, "no target to rate against")
    if target_rule in RULE_TARGETS:
        met = target["judgement"] == "better"
        wanted = "a decrease" if target_rule == "decrease_on_last_year" else "an increase"
        return Rating(GREEN if met else RED, f"rule target ({wanted} on last year) "
                      + ("met" if met else "not met"))  # fmt: skip
    change, base = float(target["change"]), float(target["baseline_value"])
    short = _missed_by(change, better)
    if short <= _EPSILON:
        return Rating(GREEN, "on target")
    band = rule.tolerance.threshold(base)
    if rule.tolerance.amount > 0 and short <= band + _EPSILON:
        return Rating(AMBER, f"missed by {short:g}, within the tolerance of {band:g}")
    floor = floor if floor is not None else rule.floor
    if floor is not None and _beats_floor(base + change, floor, better):
        return Rating(AMBER, f"missed, but no worse than the floor of {floor:g}")
    last_year = _row(rows, "same_period_last_year")
    if rule.amber_if_improving and last_year is not None and last_year["judgement"] == "better":
        return Rating(AMBER, f"missed by {short:g}, but better than the same period last year")
    beyond = f", beyond the tolerance of {band:g}" if rule.tolerance.amount > 0 else ""
    return Rating(RED, f"missed by {short:g}{beyond}")


def rag_counts(statuses: Sequence[str]) -> dict[str, int]:
    """Count each status: ``green``, ``amber``, ``red`` and ``not_rated``."""
    counts = {s: sum(1 for x in statuses if x == s) for s in STATUSES}
    counts["not_rated"] = sum(1 for x in statuses if x not in STATUSES)
    return counts
