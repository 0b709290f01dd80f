"""Committee and portfolio packs: which indicators each pack holds, and where it is written.

A council reports the same quarter to several audiences: a scrutiny committee,
a cabinet portfolio holder, a service's management team. ``report.committees``
in council.yml names each pack and the indicators it holds (by portfolio,
service, priority or id); ``outturn run --portfolio NAME`` makes a pack for one
portfolio of the catalogue without any configuration. A pack is the same
pages for the subset, written to ``reports/<quarter>/<slug>/``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.errors import ConfigError

SELECTORS = ("portfolios", "services", "priorities", "indicators")
"""How a committee chooses its indicators: any listed portfolio, service, priority or id."""
_FIELD = {"portfolios": "portfolio", "services": "service", "priorities": "priority",
          "indicators": "id"}  # fmt: skip


def slugify(text: str) -> str:
    """Return a folder name for a pack: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("&", " and ").replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "pack"


def _norm(text: str) -> str:
    return " ".join(str(text).replace("\u2019", "'").casefold().split())


@dataclass(frozen=True)
class Committee:
    """A pack of the report for one committee or portfolio: its name, folder and indicators."""

    name: str
    slug: str
    portfolios: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    kind: str = "committee"  # committee (report.committees) or portfolio (--portfolio)

    def selects(self, indicator: Any) -> bool:
        """Tell whether the indicator (a catalogue entry) belongs in this pack."""
        for key in SELECTORS:
            wanted = {_norm(v) for v in getattr(self, key)}
            if wanted and _norm(getattr(indicator, _FIELD[key], "")) in wanted:
                return True
        return False

    @property
    def spec(self) -> str:
        """The notebook parameter ``subset`` that names this pack."""
        return f"{self.kind}:{self.name}"


def parse_committees(raw: Any, file: str) -> tuple[Committee, ...]:
    """Read ``report.committees``: a list of ``{name, slug?, portfolios|services|...}``.

    Raises
    ------
    ConfigError
        Naming council.yml and the key of a committee with no name, no selector,
        a selector that is not a list of texts, or a name or folder used twice.
    """
    if raw is None:
        return ()
    fix = ("list each pack as {name: ..., portfolios: [...]} (or services, priorities, "
           "indicators); see docs/data-model.md")  # fmt: skip
    if not isinstance(raw, list):
        raise ConfigError(f"{file}: report.committees must be a list. Fix: {fix}")
    found, seen = [], set()
    for n, item in enumerate(raw):
        key = f"report.committees[{n}]"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise ConfigError(f"{file}: {key} has no name. Fix: {fix}")
        unknown = [k for k in item if k not in ("name", "slug", *SELECTORS)]
        if unknown:
            raise ConfigError(f"{file}: {key} has unknown key(s) {', '.join(map(str, unknown))}. "
                              f"Fix: use name, slug and any of {', '.join(SELECTORS)}")  # fmt: skip
        lists = {k: _texts(item.get(k), f"{key}.{k}", file) for k in SELECTORS}
        if not any(lists.values()):
            raise ConfigError(f"{file}: {key} ({item['name']}) selects no indicators. Fix: {fix}")
        name = str(item["name"]).strip()
        slug = slugify(str(item.get("slug") or name))
        if slug in seen:
            raise ConfigError(f"{file}: {key}: the folder {slug!r} is used by another pack. "
                              "Fix: give each pack its own name or slug")  # fmt: skip
        seen.add(slug)
        found.append(Committee(name, slug, **lists))
    return tuple(found)


def _texts(raw: Any, key: str, file: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, (str, int)) for x in items):
        raise ConfigError(f"{file}: {key} must be a list of names. Fix: write e.g. "
                          f"{key.rsplit('.', 1)[-1]}: [Children's Services]")  # fmt: skip
    return tuple(str(x).strip() for x in items if str(x).strip())


def find_committee(committees: Sequence[Committee], name: str) -> Committee:
    """Return the committee called ``name`` (or whose folder is ``name``).

    Raises
    ------
    ConfigError
        Naming ``--committee`` and listing the committees council.yml defines.
    """
    for c in committees:
        if _norm(c.name) == _norm(name) or c.slug == slugify(name):
            return c
    listed = "; ".join(c.name for c in committees) or "none are set"
    raise ConfigError(
        f"--committee {name!r}: no such pack in report.committees ({listed}). Fix: "
        "use one of those names, or add it to report.committees in council.yml"
    )


def portfolio_pack(indicators: Iterable[Any], name: str) -> Committee:
    """Return the pack of one portfolio: its full name (any case), else a unique part of it.

    Raises
    ------
    ConfigError
        When no portfolio matches, or the part given matches several (both listed).
    """
    portfolios = list(dict.fromkeys(i.portfolio for i in indicators if i.portfolio))
    exact = [p for p in portfolios if _norm(p) == _norm(name) or slugify(p) == slugify(name)]
    partial = [p for p in portfolios if _norm(name) in _norm(p)]
    found = exact or partial
    if len(found) != 1:
        why = "matches several portfolios" if found else "is no portfolio in indicators.yml"
        listed = "; ".join(found or portfolios) or "no indicator has a portfolio"
        raise ConfigError(f"--portfolio {name!r} {why} ({listed}). Fix: give one portfolio's full "
                          "name, as the catalogue writes it")  # fmt: skip
    return Committee(found[0], slugify(found[0]), portfolios=(found[0],), kind="portfolio")


def resolve_subset(spec: str, committees: Sequence[Committee], indicators: Iterable[Any]):
    """Return the pack a ``subset`` parameter names (``committee:NAME`` or ``portfolio:NAME``).

    An empty spec is the whole report (None).
    """
    if not spec:
        return None
    kind, _, name = spec.partition(":")
    if kind == "committee":
        return find_committee(committees, name)
    if kind == "portfolio":
        return portfolio_pack(indicators, name)
    raise ConfigError(f"subset {spec!r}: write committee:NAME or portfolio:NAME")


def selected_ids(committee: Committee, catalogue: Mapping[str, Any]) -> list[str]:
    """Return the ids of the catalogue's indicators in the pack, in catalogue order."""
    return [i for i, ind in catalogue.items() if committee.selects(ind)]
