"""Short series the forecasting tests share, indexed by Period."""

from __future__ import annotations

import pandas as pd

from analysis.periods import Period


def quarterly(values, start: str = "2015-16 Q1") -> pd.Series:
    first = Period(int(start[:4]), "quarter", int(start[-1]))
    return pd.Series(values, index=[first.shift(i) for i in range(len(values))], dtype=float)


APR_2017 = Period(2017, "month", 1)


def monthly(values, start: Period = APR_2017) -> pd.Series:
    return pd.Series(values, index=[start.shift(i) for i in range(len(values))], dtype=float)


def annual(values, first_fy: int = 2013) -> pd.Series:
    return pd.Series(values, index=[Period(first_fy + i, "year") for i in range(len(values))])


LINE = quarterly([100.0 + 5 * i for i in range(10)])
FALLING = quarterly([700.0, 689.0, 681.0, 668.0, 662.0, 650.0, 641.0, 630.0])

# ses level of 10, 20, 10, 20, 10 is 12.784; an anchor 10 above it
ZIGZAG, ANCHOR = [10.0, 20.0, 10.0, 20.0, 10.0], 22.784
