"""Working days in England: weekends and bank holidays, for the commentary deadline.

A committee's papers are published a set number of working days before it
meets (``report.deadline_working_days``, default 7), and the commentary is due
by then. Bank holidays in England and Wales are computed here, not downloaded:

- New Year's Day (1 January; the Monday after, when it falls at a weekend);
- Good Friday and Easter Monday (from the date of Easter, Gregorian calendar);
- the early May bank holiday (the first Monday in May);
- the spring bank holiday (the last Monday in May);
- the summer bank holiday (the last Monday in August);
- Christmas Day and Boxing Day (when either falls at a weekend, the holiday moves
  to the next weekday that is not already one: Christmas on a Saturday gives
  Monday 27 and Tuesday 28 December);
- the days moved or added by proclamation since 1995 (:data:`MOVED`,
  :data:`ADDED`): VE Day 1995 and 2020, the jubilees of 2002, 2012 and 2022, the
  royal wedding of 2011, the Millennium, the State Funeral of 2022 and the
  Coronation of 2023.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

MOVED = {
    (1995, "Early May bank holiday"): dt.date(1995, 5, 8),
    (2002, "Spring bank holiday"): dt.date(2002, 6, 4),
    (2012, "Spring bank holiday"): dt.date(2012, 6, 4),
    (2020, "Early May bank holiday"): dt.date(2020, 5, 8),
    (2022, "Spring bank holiday"): dt.date(2022, 6, 2),
}
"""Regular bank holidays moved by proclamation (year, holiday) -> the day observed."""
ADDED = {
    dt.date(1999, 12, 31): "Millennium Celebrations",
    dt.date(2002, 6, 3): "Golden Jubilee of Elizabeth II",
    dt.date(2011, 4, 29): "Wedding of Prince William and Catherine Middleton",
    dt.date(2012, 6, 5): "Diamond Jubilee of Elizabeth II",
    dt.date(2022, 6, 3): "Platinum Jubilee of Elizabeth II",
    dt.date(2022, 9, 19): "State Funeral of Queen Elizabeth II",
    dt.date(2023, 5, 8): "Coronation of Charles III",
}
"""One-off bank holidays in England and Wales."""


def easter_sunday(year: int) -> dt.date:
    """Return Easter Sunday of ``year`` (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _christmas(year: int) -> dict[dt.date, str]:
    """Christmas Day and Boxing Day: one that falls at a weekend moves to the next free weekday.

    A day that falls on a weekday keeps it, so Christmas on a Sunday leaves Boxing
    Day on Monday 26 and moves Christmas to Tuesday 27.
    """
    days = ((dt.date(year, 12, 25), "Christmas Day"), (dt.date(year, 12, 26), "Boxing Day"))
    out = {day: name for day, name in days if not _weekend(day)}
    for day, name in days:
        if _weekend(day):
            observed = day
            while _weekend(observed) or observed in out:
                observed += dt.timedelta(days=1)
            out[observed] = f"{name} (substitute day)"
    return out


@cache
def bank_holidays(year: int) -> dict[dt.date, str]:
    """Every bank holiday in England and Wales in the calendar year, by date, with its name."""
    new_year = dt.date(year, 1, 1)
    while _weekend(new_year):
        new_year += dt.timedelta(days=1)
    easter = easter_sunday(year)
    regular = {
        "New Year's Day": new_year,
        "Good Friday": easter - dt.timedelta(days=2),
        "Easter Monday": easter + dt.timedelta(days=1),
        "Early May bank holiday": _first_monday(year, 5),
        "Spring bank holiday": _last_monday(year, 5),
        "Summer bank holiday": _last_monday(year, 8),
    }
    out = {MOVED.get((year, name), day): name for name, day in regular.items()}
    out.update(_christmas(year))
    out.update({day: name for day, name in ADDED.items() if day.year == year})
    return dict(sorted(out.items()))


def is_working_day(day: dt.date) -> bool:
    """Tell whether ``day`` is a weekday that is not a bank holiday in England."""
    return not _weekend(day) and day not in bank_holidays(day.year)


def working_days_before(day: dt.date, n: int) -> dt.date:
    """Return the ``n``-th working day before ``day`` (``day`` itself not counted).

    ``n`` 0 gives ``day`` itself. Papers published 7 working days before a
    meeting on Thursday 8 February 2018 are due on Tuesday 30 January 2018.
    """
    found = day
    left = n
    while left > 0:
        found -= dt.timedelta(days=1)
        if is_working_day(found):
            left -= 1
    return found


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count the working days after ``start`` up to and including ``end`` (negative if before)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1 for k in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(k))
    )
