"""Financial-year periods: parse the labels councils write, order them, step through them.

A financial year runs 1 April to 31 March; ``2017-18`` is April 2017 to March
2018. Quarters are Q1 = Apr-Jun, Q2 = Jul-Sep, Q3 = Oct-Dec, Q4 = Jan-Mar.
A bare year such as ``2017`` follows the DfE convention: the year ending
31 March 2017, i.e. ``2016-17`` (or the snapshot at 31 March 2017).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from analysis.errors import PeriodError

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FULL_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTH_LOOKUP = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_LOOKUP.update({m.lower(): i + 1 for i, m in enumerate(FULL_MONTHS)})
_MONTH_LOOKUP.update({"sept": 9, "june": 6, "july": 7})

FREQS = ("month", "quarter", "year")
_SPAN = {"month": 1, "quarter": 3, "year": 12}
_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}

_FY = r"(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("fy_q", re.compile(rf"^(?:FY\s*)?{_FY}\s*,?\s*Q(?P<q>[1-4])$", re.I)),
    ("q_fy", re.compile(rf"^Q(?P<q>[1-4])\s*,?\s*(?:FY\s*)?{_FY}$", re.I)),
    ("iso_date", re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")),
    ("fy", re.compile(rf"^(?:FY\s*)?{_FY}$", re.I)),
    ("iso_month", re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$")),
    ("month_name", re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s*[-' ]?\s*(?P<y>\d{4}|\d{2})$")),
    ("year", re.compile(r"^(?P<y>\d{4})$")),
]


@dataclass(frozen=True)
class Period:
    """A month, quarter or financial year.

    Attributes
    ----------
    fy : int
        The calendar year in which the financial year starts (2017 for 2017-18).
    freq : str
        ``"month"``, ``"quarter"`` or ``"year"``.
    index : int
        Position within the financial year: month 1 (April) to 12 (March),
        quarter 1 to 4, and 1 for a year.
    """

    fy: int
    freq: str
    index: int = 1

    def __post_init__(self) -> None:
        if self.freq not in FREQS:
            raise PeriodError(f"unknown frequency {self.freq!r}; use one of {', '.join(FREQS)}")
        if not 1 <= self.index <= _PER_YEAR[self.freq]:
            raise PeriodError(f"{self.freq} index {self.index} is out of range")

    # ordering: by end month, then longest span first, so a year sorts after its March
    @property
    def end_ordinal(self) -> int:
        """Months since year 0 of the last month in the period (for ordering)."""
        return self.fy * 12 + 3 + self.index * _SPAN[self.freq] - 1

    def sort_key(self) -> tuple[int, int]:
        """Key that orders periods by their end, shorter periods first on a tie."""
        return (self.end_ordinal, _SPAN[self.freq])

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Period) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: Period) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: Period) -> bool:
        return self.sort_key() >= other.sort_key()

    @property
    def end_year(self) -> int:
        """Calendar year of the period's last month."""
        return self.end_ordinal // 12

    @property
    def end_month(self) -> int:
        """Calendar month (1-12) of the period's last month."""
        return self.end_ordinal % 12 + 1

    @property
    def start_date(self) -> date:
        """First day of the period."""
        first = self.end_ordinal - _SPAN[self.freq] + 1
        return date(first // 12, first % 12 + 1, 1)

    @property
    def end_date(self) -> date:
        """Last day of the period."""
        nxt = self.end_ordinal + 1
        return date.fromordinal(date(nxt // 12, nxt % 12 + 1, 1).toordinal() - 1)

    @property
    def fy_label(self) -> str:
        """The financial year as ``2017-18``."""
        return f"{self.fy}-{(self.fy + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """Canonical label: ``2017-18``, ``2017-18 Q2`` or ``Sep 2017``."""
        if self.freq == "year":
            return self.fy_label
        if self.freq == "quarter":
            return f"{self.fy_label} Q{self.index}"
        return f"{MONTHS[self.end_month - 1]} {self.end_year}"

    @property
    def slug(self) -> str:
        """The label as a folder name: spaces become hyphens (``2017-18-Q2``)."""
        return self.label.replace(" ", "-")

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label!r})"

    def shift(self, n: int) -> Period:
        """Return the period ``n`` steps later (earlier when negative), at the same frequency."""
        pos = self.fy * _PER_YEAR[self.freq] + self.index - 1 + n
        fy, idx = divmod(pos, _PER_YEAR[self.freq])
        return Period(fy, self.freq, idx + 1)

    def quarter(self) -> Period:
        """Return the quarter containing this month (or the quarter itself)."""
        if self.freq == "year":
            raise PeriodError(f"{self.label} is a year, not within one quarter")
        if self.freq == "quarter":
            return self
        return Period(self.fy, "quarter", (self.index - 1) // 3 + 1)

    def year(self) -> Period:
        """Return the financial year containing this period."""
        return Period(self.fy, "year", 1)

    def months(self) -> list[Period]:
        """List the months that make up this period, in order."""
        first = (self.index - 1) * _SPAN[self.freq] + 1
        return [Period(self.fy, "month", first + i) for i in range(_SPAN[self.freq])]

    def contains(self, other: Period) -> bool:
        """Return True when ``other`` lies wholly within this period."""
        return self.start_date <= other.start_date and other.end_date <= self.end_date

    @property
    def per_year(self) -> int:
        """Number of periods of this frequency in a financial year."""
        return _PER_YEAR[self.freq]


def _fy_start(y1: str, y2: str, label: str) -> int:
    start = int(y1)
    end = int(y2)
    expected = (start + 1) % 100 if len(y2) == 2 else start + 1
    if end != expected:
        raise PeriodError(
            f"period {label!r}: {y1} must be followed by the next year "
            f"({start}-{(start + 1) % 100:02d}); write the financial year as e.g. 2017-18"
        )
    return start


def _month_period(year: int, month: int) -> Period:
    fy = year if month >= 4 else year - 1
    return Period(fy, "month", (month - 4) % 12 + 1)


def _month_number(name: str, label: str) -> int:
    num = _MONTH_LOOKUP.get(name.lower().rstrip("."))
    if num is None:
        raise PeriodError(f"period {label!r}: {name!r} is not a month name; write e.g. 'Sep 2015'")
    return num


def _from_match(kind: str, m: re.Match[str], label: str) -> Period:
    g = m.groupdict()
    if kind in ("fy_q", "q_fy"):
        return Period(_fy_start(g["y1"], g["y2"], label), "quarter", int(g["q"]))
    if kind == "fy":
        return Period(_fy_start(g["y1"], g["y2"], label), "year")
    if kind in ("iso_month", "iso_date"):
        month = int(g["m"])
        if not 1 <= month <= 12:
            if kind == "iso_month":  # 2017-19 is read as a month; it may be a mistyped year
                year = int(g["y"]) if g.get("y") else None
                hint = (
                    f" nor a financial year ({year} must be followed by "
                    f"{(year + 1) % 100:02d}: write {year}-{(year + 1) % 100:02d})"
                    if year
                    else ""
                )
                raise PeriodError(
                    f"period {label!r} is neither a month (month {month} is not "
                    f"between 01 and 12){hint}"
                )
            raise PeriodError(f"period {label!r}: month {month} is not between 01 and 12")
        return _month_period(int(g["y"]), month)
    if kind == "month_name":
        year = int(g["y"]) if len(g["y"]) == 4 else 2000 + int(g["y"])
        return _month_period(year, _month_number(g["mon"], label))
    return Period(int(g["y"]) - 1, "year")  # bare year: the year ending 31 March


def parse_period(label: str | Period | int) -> Period:
    """Parse a period label as councils and DfE write it.

    Parameters
    ----------
    label : str, int or Period
        ``"2017/18"``, ``"2017-18"``, ``"2014/2015"`` (financial years);
        ``"2017-18 Q2"``, ``"Q2 2017/18"``, ``"2022/23 Q1"`` (quarters);
        ``"Sept 2015"``, ``"Mar 2016"``, ``"April 2021"``, ``"2021-04"``,
        ``"2021-04-01"`` (months); ``"2017"`` or ``2017`` (the year ending
        31 March 2017, as in DfE tables).

    Returns
    -------
    Period

    Raises
    ------
    PeriodError
        When the label matches none of these forms.
    """
    if isinstance(label, Period):
        return label
    text = str(label).strip()
    if isinstance(label, float) and label.is_integer():
        text = str(int(label))
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if m and not (kind == "fy" and _looks_like_iso_month(text)):
            return _from_match(kind, m, text)
    raise PeriodError(
        f"period {text!r} is not a period label; use a financial year (2017-18), "
        "a quarter (2017-18 Q2), a month (Sep 2017 or 2017-09) or a year ending March (2017)"
    )


def is_period(label: object) -> bool:
    """Return True when ``label`` parses as a period."""
    try:
        parse_period(label)  # type: ignore[arg-type]
    except PeriodError:
        return False
    return True


def period_style(label: str) -> str:
    """Name the written form of a period label, so output can be written the same way.

    Returns one of ``year``, ``fy_slash``, ``fy_slash_long``, ``fy_dash``,
    ``fy_q_slash``, ``fy_q_dash``, ``q_fy_slash``, ``q_fy_dash``, ``month_full``,
    ``month_abbr``, ``iso_month``, ``iso_date``.
    """
    text = str(label).strip()
    parse_period(text)
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "iso_date"
    if re.fullmatch(r"\d{4}-\d{2}", text) and not _is_fy_dash(text):
        return "iso_month"
    sep = "slash" if "/" in text else "dash"
    if re.match(r"^Q", text, re.I):
        return f"q_fy_{sep}"
    if re.search(r"Q[1-4]$", text, re.I):
        return f"fy_q_{sep}"
    if re.fullmatch(r"\d{4}/\d{4}", text):
        return "fy_slash_long"
    if re.fullmatch(r"\d{4}\s*[-/]\s*\d{2}", text):
        return f"fy_{sep}"
    word = re.match(r"[A-Za-z]+", text)
    return "month_full" if word and len(word.group(0)) > 3 else "month_abbr"


def _looks_like_iso_month(text: str) -> bool:
    """``2021-04`` is a month; ``2017-18`` a financial year (consecutive years win)."""
    return bool(re.fullmatch(r"\d{4}-\d{2}", text)) and not _is_fy_dash(text)


def _is_fy_dash(text: str) -> bool:
    y1, y2 = text.split("-")
    return int(y2) == (int(y1) + 1) % 100


def format_period(period: Period, style: str = "canonical") -> str:
    """Write ``period`` in a named style (see :func:`period_style`).

    A month written in a financial-year style, or a quarter in a month style,
    falls back to the canonical label.
    """
    fy2 = f"{(period.fy + 1) % 100:02d}"
    if period.freq == "year":
        forms = {
            "year": str(period.fy + 1),
            "fy_slash": f"{period.fy}/{fy2}",
            "fy_slash_long": f"{period.fy}/{period.fy + 1}",
            "fy_dash": f"{period.fy}-{fy2}",
        }
    elif period.freq == "quarter":
        forms = {
            "fy_q_slash": f"{period.fy}/{fy2} Q{period.index}",
            "fy_q_dash": f"{period.fy}-{fy2} Q{period.index}",
            "q_fy_slash": f"Q{period.index} {period.fy}/{fy2}",
            "q_fy_dash": f"Q{period.index} {period.fy}-{fy2}",
        }
    else:
        y, m = period.end_year, period.end_month
        forms = {
            "month_full": f"{FULL_MONTHS[m - 1]} {y}",
            "month_abbr": f"{MONTHS[m - 1]} {y}",
            "iso_month": f"{y}-{m:02d}",
            "iso_date": f"{y}-{m:02d}-01",
        }
    return forms.get(style, period.label)


def previous_period(period: Period) -> Period:
    """Return the period immediately before, at the same frequency (Q1 follows the previous Q4)."""
    return period.shift(-1)


def same_period_last_year(period: Period) -> Period:
    """Return the same month, quarter or year, one financial year earlier."""
    return Period(period.fy - 1, period.freq, period.index)


def last_year_end(period: Period) -> Period:
    """Return the most recent financial year wholly ended before ``period`` ends.

    For a quarter or month that is the previous financial year; for a year it
    is the year before.
    """
    return Period(period.fy - 1, "year")


def period_range(start: Period, end: Period) -> list[Period]:
    """Every period from ``start`` to ``end`` inclusive, at ``start``'s frequency."""
    if start.freq != end.freq:
        raise PeriodError(f"cannot range from a {start.freq} ({start}) to a {end.freq} ({end})")
    out = []
    p = start
    while p <= end:
        out.append(p)
        p = p.shift(1)
    return out


def steps_between(start: Period, end: Period) -> int:
    """Count the steps from ``start`` to ``end`` at their shared frequency."""
    if start.freq != end.freq:
        raise PeriodError(f"cannot count from a {start.freq} ({start}) to a {end.freq} ({end})")
    per = start.per_year
    return (end.fy * per + end.index) - (start.fy * per + start.index)
