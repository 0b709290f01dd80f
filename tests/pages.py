"""Read rendered pages as a person (or a screen reader) would: text, tables, headings, links."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


def text_of(page: str) -> str:
    """Page text without tags, entities decoded and whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00a0", " ")
    text = text.translate(str.maketrans("‘’“”", "''\"\""))  # both engines curl quotes
    return re.sub(r"\s+", " ", text).strip()


def main_text(page: str) -> str:
    """The text of the page's main content (no navigation, contents or footer)."""
    found = re.search(r"<main\b.*?</main>", page, flags=re.S)
    body = found.group(0) if found else page
    body = re.sub(r'<nav id="TOC".*?</nav>', " ", body, flags=re.S)
    return text_of(body)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif self._hidden or dict(attrs).get("aria-hidden") == "true":
            self._hidden += 1

    def handle_endtag(self, tag):
        if self._hidden and tag not in ("td", "th", "tr", "table", "caption"):
            self._hidden -= 1
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def tables(page: str) -> list[dict]:
    """Every table: its caption and rows of cell text (symbols hidden from screen readers out)."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def table(page: str, caption: str) -> list[dict]:
    """The table with this caption, as a list of {column heading: cell} rows."""
    for t in tables(page):
        if t["caption"] == caption:
            head, *rows = t["rows"]
            return [dict(zip(head, r, strict=True)) for r in rows]
    raise AssertionError(f"no table captioned {caption!r}")


def section(page: str, anchor: str) -> str:
    """The HTML from the level-2 heading with id ``anchor`` to the next level-2 heading."""
    start = re.search(rf'<(h2|section)\b[^>]*\bid="{re.escape(anchor)}"[^>]*>', page)
    assert start, f"no level-2 heading #{anchor}"
    rest = page[start.end() :]
    end = re.search(r'<section\b[^>]*class="level2|<h2 id=', rest)
    return rest[: end.start()] if end else rest


def h2_ids(page: str) -> list[str]:
    """Ids of the level-2 headings of the content (Quarto puts them on the section)."""
    body = re.sub(r'<nav id="TOC".*?</nav>', "", page, flags=re.S)
    found = re.findall(r'<section id="([^"]+)" class="level2', body)
    return found or re.findall(r'<h2 id="([^"]+)"', body)


def toc_ids(page: str) -> list[str]:
    """The anchors the table of contents links to."""
    toc = re.search(r'<nav id="TOC".*?</nav>', page, flags=re.S)
    return re.findall(r'href="#([^"]+)"', toc.group(0)) if toc else []


def loaded(page: str) -> list[str]:
    """Everything the page loads: src of scripts, images, frames; href of stylesheets and icons."""
    out = re.findall(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"([^\"]+)\"", page)
    return out + re.findall(r"<link\b[^>]*\bhref=\"([^\"]+)\"", page)


def nav_links(page: str) -> list[str]:
    """The hrefs of the report's navigation (the site's navbar, not in-page anchors)."""
    nav = re.search(r'<nav class="(?:site-nav|navbar[^"]*)".*?</nav>', page, flags=re.S)
    assert nav, "no navigation"
    return [h for h in re.findall(r'href="([^"]+)"', nav.group(0)) if not h.startswith("#")]
