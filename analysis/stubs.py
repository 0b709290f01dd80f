"""Short indicator ids and catalogue stubs for indicators an import meets for the first time."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.importing import short_label
from analysis.series import period_of

ID_LIMIT = 40
"""Longest id an import writes."""
_STOP = {
    "a", "an", "the", "of", "who", "which", "that", "had", "have", "has", "their", "in", "at",
    "to", "for", "by", "with", "on", "and", "or", "were", "was", "is", "are", "from", "as",
    "be", "been", "this", "its", "into", "than",
}  # fmt: skip
_WORDS = [
    (r"%|\bpercentage\b|\bper ?cent\b", " pct "),
    (r"\bper 10,?000\b", " per_10k "),
    (r"\bnumber\b|\bno\.", " num "),
    (r"&", " and "),
]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _tokens(text: str) -> list[str]:
    acronym = re.search(r"\(([A-Z]{2,6})\)", text)
    if acronym:  # "Not in education, employment or training (NEET) (16-17)" -> "NEET (16-17)"
        text = acronym.group(1) + " " + text[acronym.end() :]
    text = text.lower()
    for pattern, repl in _WORDS:
        text = re.sub(pattern, repl, text)
    words = re.findall(r"[a-z0-9]+(?:_10k)?", text)
    kept = [w for w in words if w not in _STOP]
    return kept or words


def short_id(text: str, limit: int = ID_LIMIT) -> str:
    """Make a short readable snake_case id from a name, at most ``limit`` characters.

    Common words (of, the, who...) are dropped, "percentage" becomes ``pct``,
    "per 10,000" ``per_10k``, an acronym in brackets leads, and whole words
    are kept while they fit. ``"Children looked after who had their annual
    health assessment"`` -> ``children_looked_after_annual_health``.
    """
    words, out = _tokens(str(text)), ""
    for word in words:
        candidate = f"{out}_{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    out = out or (words[0][:limit] if words else "indicator")
    return out if out[0].isalpha() else ("i_" + out)[:limit]


def measure_suffix(measure: str) -> str:
    """Make a short suffix for one of several measures of an indicator (Count, Per 10,000)."""
    text = str(measure).lower()
    if re.search(r"\bper\b.*\d|\brate\b", text):
        return "rate"
    if re.search(r"%|percent", text):
        return "pct"
    if re.search(r"\bcount\b|\bnumber\b", text):
        return "count"
    return short_id(measure, 16)


def unique_ids(names: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Give each name its short id, adding ``_2``, ``_3``... where two would be the same."""
    used, out = set(taken), {}
    for name in names:
        base = short_id(name)
        candidate, n = base, 2
        while candidate in used:
            candidate = f"{base[: ID_LIMIT - len(str(n)) - 1]}_{n}"
            n += 1
        used.add(candidate)
        out[name] = candidate
    return out


def parse_id_options(options: Iterable[str] | None) -> dict[str, str]:
    """Read ``--id "Name in file=short_id"`` options into a mapping.

    Raises
    ------
    DataError
        When an option has no ``=``, or the id is not snake_case or is longer
        than 40 characters.
    """
    out = {}
    for option in options or ():
        name, sep, ident = str(option).rpartition("=")
        name, ident = name.strip(), ident.strip()
        if not sep or not name:
            raise DataError(f'--id {option!r}: write it as --id "Name in file=short_id"')
        if not _ID.match(ident) or len(ident) > ID_LIMIT:
            raise DataError(f"--id {option!r}: {ident!r} is not a short snake_case id. Fix: "
                            f"lower-case letters, digits and _, at most {ID_LIMIT} characters, "
                            "starting with a letter")  # fmt: skip
        out[name] = ident
    return out


# --- guesses for a stub ------------------------------------------------------------------
def guess_frequency(periods: Iterable[str]) -> str:
    """``monthly``, ``quarterly`` or ``annual``: the finest period the data has."""
    freqs = {period_of(p).freq for p in periods}
    if "month" in freqs:
        return "monthly"
    return "quarterly" if "quarter" in freqs else "annual"


def guess_unit(name: str, values: pd.Series) -> tuple[str, str]:
    """Guess an indicator's unit from its name (and measure) and its figures; say why."""
    text = str(name).lower()
    nums = pd.to_numeric(values, errors="coerce").dropna()
    within = bool(len(nums)) and nums.between(0, 100).all()
    if re.search(r"per 10,?000|per 10k|rate per", text):
        return "rate_per_10k", "the name says per 10,000"
    if re.search(r"%|percent|proportion|\bpct\b|\brate of\b", text):
        if within:
            return "percent", "the name says percent and every figure is 0-100"
        return "score", "the name says percent but some figures are outside 0-100"
    if len(nums) and (nums >= 0).all() and np.allclose(nums, nums.round()):
        return "count", "every figure is a whole number"
    return "score", "the figures are neither whole numbers nor named as a percentage or rate"


def guess_decimals(values: pd.Series) -> int:
    """Decimal places the file prints (at most 2)."""
    text = values.astype(str).str.replace(",", "", regex=False)
    places = text.str.extract(r"\.(\d+)$")[0].str.len().fillna(0)
    return int(min(places.max() if len(places) else 0, 2))


def guess_comparator(areas: Iterable[str], groups: Mapping[str, Iterable[str]]) -> tuple[str, str]:
    """Pick the comparator group with the largest share of its councils in the data."""
    present = set(areas)
    share = {g: len(present & set(codes)) / max(len(set(codes)), 1) for g, codes in groups.items()}
    best = max(share, key=lambda g: (share[g], g != "neighbours"), default="neighbours")
    if not share or share[best] == 0:
        return "neighbours", "no group's councils are in the file"
    return best, f"{share[best]:.0%} of its councils have figures in the file"


def stub_entry(
    ident: str,
    name: str,
    rows: pd.DataFrame,
    groups: Mapping[str, Iterable[str]],
    known: Mapping[str, object] | None = None,
    hint: str = "",
) -> dict:
    """Build a catalogue entry for an indicator new to the project, its guesses marked to check.

    Parameters
    ----------
    ident : str
        The id given to it.
    name : str
        Its name in the file (the title; the measure in brackets where one
        indicator has several).
    rows : pandas.DataFrame
        Its imported rows (``period``, ``value`` as text or numbers, ``area_code``).
    groups : Mapping
        Comparator group id -> member GSS codes.
    known : Mapping, optional
        Fields the file states (``better``, ``targets``, ``unit``...): used as
        they are, not marked to check.
    hint : str, optional
        More words about the figures (a tidy file's ``measure``: Percentage,
        Count), read with the name to guess the unit.
    """
    known = dict(known or {})
    unit, unit_why = guess_unit(f"{name} {hint}", rows["value"])
    frequency = guess_frequency(rows["period"])
    measure = "flow" if unit == "count" and frequency != "annual" else "snapshot"
    comparator, why = guess_comparator(rows["area_code"], groups)
    to_check = {
        "better": "which way is better: high or low (or null for a context measure)",
        "unit": f"guessed {unit} ({unit_why}); count, rate_per_10k, percent or score",
        "frequency": f"guessed {frequency} from the periods in the file",
        "measure": f"guessed {measure}; snapshot (position at the period's end), flow (in the "
        "period), cumulative_ytd, rolling_12m or ratio_ytd",
    }
    if len(groups) > 1:
        to_check["comparator"] = f"guessed {comparator} ({why}); one of {', '.join(groups)}"
    entry = {
        "id": ident, "title": name, "short_title": short_label(name), "name_in_file": name,
        "better": None, "unit": unit, "decimals": guess_decimals(rows["value"]),
        "frequency": frequency, "measure": measure, "comparator": comparator,
    }  # fmt: skip
    for key, value in known.items():
        entry[key] = value
        to_check.pop(key, None)
    entry["to_check"] = to_check
    return entry
