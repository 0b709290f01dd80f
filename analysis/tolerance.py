"""How big a change must be before an arrow moves: an absolute amount or a percentage."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Tolerance:
    """A change no bigger than this is reported as ``same``.

    ``amount`` is in the indicator's own unit (``relative`` False), or a
    percentage of the figure compared with (``relative`` True: ``2%`` of a
    baseline of 600 is 12).
    """

    amount: float = 0.0
    relative: bool = False

    def threshold(self, baseline: float | None) -> float:
        """Return the largest change still counted as ``same`` against ``baseline``."""
        if not self.relative:
            return self.amount
        if baseline is None or math.isnan(baseline):
            return 0.0
        return abs(baseline) * self.amount / 100

    def describe(self) -> str:
        """``2%`` or ``0.5``, as an analyst wrote it."""
        if self.relative:
            return f"{self.amount:g}%"
        return f"{self.amount:g}"


NO_TOLERANCE = Tolerance()


def parse_tolerance(raw: object) -> Tolerance:
    """Read a tolerance from YAML: a number (``0.5``) or a percentage string (``"2%"``).

    Raises
    ------
    ValueError
        With a message saying what was found and what to write instead; callers
        add the file and field.
    """
    if raw is None:
        return NO_TOLERANCE
    if isinstance(raw, bool):
        raise ValueError(f"is {raw!r}; write a number such as 0.5 or a percentage such as '2%'")
    if isinstance(raw, (int, float)):
        amount, relative = float(raw), False
    else:
        match = _PERCENT.match(str(raw))
        if not match:
            try:
                amount, relative = float(str(raw)), False
            except ValueError:
                raise ValueError(
                    f"is {raw!r}; write a number such as 0.5 (in the indicator's unit) "
                    "or a percentage of the earlier figure such as '2%'"
                ) from None
        else:
            amount, relative = float(match.group(1)), True
    if math.isnan(amount) or amount < 0:
        raise ValueError(f"is {raw!r}; a tolerance must be zero or more")
    return Tolerance(amount, relative)
