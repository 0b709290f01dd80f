"""Accessibility checks on a rendered quarter's HTML and on the colours the pages use."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from analysis import charts
from analysis.rendering import stylesheet

PAGE_NAMES = ["index", "exceptions", "methods", "data"]


def css_colour(name: str) -> str:
    """A custom property's value from the pages' stylesheet (``--link`` ...)."""
    found = re.search(rf"--ot-{name}:\s*(#[0-9a-fA-F]{{6}})", stylesheet())
    assert found, f"--ot-{name} not in outturn.css"
    return found.group(1)


@pytest.mark.parametrize("name", ["text", "link", "better", "worse", "muted"])
def test_stylesheet_text_colours_reach_4_5_to_1(name):
    assert charts.contrast_ratio(css_colour(name)) >= 4.5


def test_chart_text_colour_reaches_4_5_to_1():
    assert charts.contrast_ratio(charts.TEXT) >= 4.5


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_chart_palette_reaches_3_to_1_for_graphics(colour):
    assert charts.contrast_ratio(colour) >= 3.0  # WCAG 1.4.11 non-text contrast


class PageAudit(HTMLParser):
    """Collect what the checks need in one pass over a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.html_lang = ""
        self.svgs: list[dict] = []
        self.images: list[dict] = []
        self.tables = 0
        self.th: list[dict] = []
        self.dots: list[str] = []
        self.remote: list[str] = []
        self._dot_depth = 0
        self._dot_text = ""
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg" and "svg" not in self._stack:
            self.svgs.append(a)
        if tag == "img":
            self.images.append(a)
        if tag == "table":
            self.tables += 1
        if tag == "th":
            self.th.append(a)
        if tag in ("img", "script", "iframe", "audio", "video", "source") and str(
            a.get("src", "")
        ).startswith(("http:", "https:", "//")):
            self.remote.append(a["src"])
        self._track_dot(tag, a)
        self._stack.append(tag)

    def _track_dot(self, tag: str, a: dict) -> None:
        if tag == "span" and "dot" in (a.get("class") or "").split():
            self._dot_depth, self._dot_text = 1, ""
        elif tag == "span" and self._dot_depth:
            self._dot_depth += 1
            if "visually-hidden" in (a.get("class") or ""):
                self._dot_text += "|hidden:"

    def handle_endtag(self, tag):
        if tag == "span" and self._dot_depth:
            self._dot_depth -= 1
            if not self._dot_depth:
                self.dots.append(self._dot_text)
        if self._stack and tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._dot_depth:
            self._dot_text += data


@pytest.fixture(scope="module")
def pages(rendered_q3):
    _, folder = rendered_q3
    out = {}
    for name in PAGE_NAMES:
        text = (folder / f"{name}.html").read_text(encoding="utf-8")
        audit = PageAudit()
        audit.feed(text)
        out[name] = (text, audit)
    return out


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_exactly_one_h1_and_it_opens_the_content(pages, name):
    text, audit = pages[name]
    assert audit.headings.count(1) == 1
    main = text[text.index("<main") :]
    assert re.search(r"<h([1-6])\b", main).group(1) == "1"  # nothing in the content precedes it


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_headings_never_skip_a_level(pages, name):
    levels = pages[name][1].headings
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == []


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_lang_attribute_set(pages, name):
    assert pages[name][1].html_lang == "en-GB"


def test_every_chart_has_a_text_alternative(pages):
    charts_shown = [i for name in PAGE_NAMES for i in pages[name][1].images
                    if i.get("src", "").startswith("charts/")]  # fmt: skip
    assert len(charts_shown) >= 9  # a chart per exception at least
    assert all(len(i.get("alt", "")) > 40 for i in charts_shown)
    # inline SVG is only ever the overview's SPC icons: decoration, the badge's words say it
    svgs = [s for name in PAGE_NAMES for s in pages[name][1].svgs]
    assert svgs and all(s.get("aria-hidden") == "true" for s in svgs)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_table_header_has_scope(pages, name):
    audit = pages[name][1]
    if audit.tables:
        assert audit.th and all(th.get("scope") in ("col", "row") for th in audit.th)


def test_every_arrow_has_a_text_alternative(pages):
    dots = [d for name in PAGE_NAMES for d in pages[name][1].dots]
    arrows = [d for d in dots if any(c in d for c in "↑↓→")]
    assert len(arrows) >= 10
    assert all(re.search(r"\|hidden:\s*(up|down|same)", d) for d in arrows)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_remote_src_anywhere(pages, name):
    text, audit = pages[name]
    assert audit.remote == []
    assert re.search(r"""src\s*=\s*["']?https?:""", text) is None
