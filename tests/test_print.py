"""Pages that print and read on any screen: headless Chromium, both engines, axe-core.

The printed checks lay a page out for print (or print it to PDF, as a person
printing it would) and read the result; the screen checks open each page at a
desktop (1280 px), tablet (820 px) and phone (390 px) width. axe-core is the
npm package, which ``.ci/run`` installs into ``.ci/node/``; without it (or
without Chromium) those tests skip, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import NEEDS_BROWSER, Browser
from rendered_quarter import REPO

PAGES = ("index", "exceptions", "methods", "data")
AXE = Path(
    os.environ.get(
        "OUTTURN_AXE", REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUNNING = "Blackpool performance report, 2017-18 Q3"
A4_LANDSCAPE_PX = round((29.7 - 2 * 1.2) / 2.54 * 96)
"""The printable width of an A4 landscape page with the overview's margins, in CSS pixels."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    NEEDS_BROWSER,
]


def open_page(browser: Browser, served, name: str, width: int = 1280, media: str = "") -> None:
    _, _, base = served
    browser.open_url(f"{base}/{name}.html", width=width)
    browser.media(media)
    assert RUNNING in browser.evaluate("document.title")


def printed_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each printed page's text (poppler's pdftotext reads upright headings too)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        " ".join(page.replace("ﬁ", "fi").replace("ﬀ", "ff").split()) for page in text.split("\f")
    ][:-1]


# --- printing ---------------------------------------------------------------------------


def test_overview_prints_on_a4_landscape_with_no_column_clipped(browser, served, tmp_path, q3):
    from analysis import tables

    open_page(browser, served, "index", width=A4_LANDSCAPE_PX, media="print")
    cells = browser.evaluate(
        "[...document.querySelectorAll('table.outturn-table thead th')].map(th => {"
        " const r = th.getBoundingClientRect(); return [th.textContent.trim(), r.left, r.right];})"
    )
    shown = {text for text, _, _ in cells}
    assert set(tables.overview_table(q3).frame.columns) <= shown  # every column, on some table
    assert all(0 <= left and right <= A4_LANDSCAPE_PX + 0.5 for _, left, right in cells), cells
    browser.media("")
    pages = printed_text(browser.pdf(), tmp_path)  # printed as a person would: A4, portrait
    card = [p for p in pages if "Scorecard, 2017-18 Q3" in p]
    for column in tables.overview_table(q3).frame.columns:
        assert any(column in page for page in card), column
    found = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(tmp_path / "printed.pdf")],
                           capture_output=True, text=True).stdout  # fmt: skip
    width, height = map(float, re.search(r"Page\s+1 size:\s+([\d.]+) x ([\d.]+)", found).groups())
    assert width > height  # the overview's pages are landscape whatever the printer says


def test_every_printed_page_names_the_report_and_is_numbered(browser, served, tmp_path):
    open_page(browser, served, "exceptions")
    pages = printed_text(browser.pdf(), tmp_path)
    assert len(pages) >= 9  # a sheet at least per exception report
    for n, page in enumerate(pages, start=1):
        assert RUNNING in page and f"Page {n} of {len(pages)}" in page


def test_each_exception_report_starts_a_new_page_and_no_heading_ends_one(
    browser, served, tmp_path, q3
):
    open_page(browser, served, "exceptions")
    pages = printed_text(browser.pdf(), tmp_path)
    body = [p.replace(RUNNING, "").strip() for p in pages]
    body = [re.sub(r"Page \d+ of \d+$", "", p).strip() for p in body]
    titles = [r.indicator.short_title for r in q3.exception_results]
    starting = [t for t in titles if any(b.startswith(t + " ") for b in body)]
    assert starting == titles[1:] or starting == titles  # the first may follow the page's intro
    parts = ("What the figures say", "Commentary", "Service response", "Notes about the data",
             "Draft commentary (generated)")  # fmt: skip
    for page in body[:-1]:
        assert not page.endswith(parts), page[-80:]


def test_print_leaves_out_the_site_chrome_and_keeps_notes_and_licence(browser, served):
    engine, _, _ = served
    open_page(browser, served, "exceptions", media="print")
    hidden = browser.evaluate(
        "['#quarto-header', '#quarto-margin-sidebar', 'nav#TOC', 'body > header', '.skip-link',"
        " '.site-nav'].flatMap(s => [...document.querySelectorAll(s)])"
        ".map(e => getComputedStyle(e).display)"
    )
    assert hidden and set(hidden) == {"none"}
    shown = browser.evaluate(
        "[...document.querySelectorAll('h3')].filter(h => h.textContent.includes('Notes about'))"
        ".map(h => h.nextElementSibling.offsetHeight)"
    )
    assert shown and all(height > 0 for height in shown)  # notes print, expanded
    assert browser.evaluate("document.querySelectorAll('details:not([open])').length") == 0
    licence = browser.evaluate(
        "[...document.querySelectorAll('footer')].map(f => f.offsetHeight > 0 ? f.innerText : '')"
        ".join(' ')"
    )
    assert "Open Government Licence" in licence


# --- screens ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 820, 390])
@pytest.mark.parametrize("name", PAGES)
def test_page_never_scrolls_sideways(browser, served, name, width):
    open_page(browser, served, name, width=width)
    assert browser.evaluate("document.documentElement.scrollWidth") <= width


def test_overview_scorecard_fits_1280_without_scrolling(browser, served):
    open_page(browser, served, "index", width=1280)
    regions = browser.evaluate(
        "[...document.querySelectorAll('.table-scroll')].map(r => [r.scrollWidth, r.clientWidth])"
    )
    assert regions and all(scroll <= client + 1 for scroll, client in regions), regions


@pytest.mark.parametrize("width", [820, 390])
def test_overview_is_usable_on_narrow_screens(browser, served, width):
    open_page(browser, served, "index", width=width)
    region = browser.evaluate(
        "(() => { const r = document.querySelector('.table-scroll.wide');"
        " return [r.tabIndex, r.getAttribute('role'), r.getAttribute('aria-label'),"
        " getComputedStyle(r).overflowX, r.getBoundingClientRect().right]; })()"
    )
    assert region[:4] == [0, "region", "Scorecard, 2017-18 Q3", "auto"]  # scrolls by keyboard
    assert region[4] <= width
    hint = browser.evaluate("getComputedStyle(document.querySelector('.scroll-hint')).display")
    assert hint == "block"
    sticky = browser.evaluate(
        "getComputedStyle(document.querySelector('table.wide tbody th')).position"
    )
    assert sticky == "sticky"  # the indicator's name stays in view while the row scrolls


def test_charts_scale_to_a_phone(browser, served):
    open_page(browser, served, "exceptions", width=390)
    sizes = browser.evaluate(
        "[...document.images].filter(i => i.src.includes('charts/'))"
        ".map(i => [i.getBoundingClientRect().width, i.parentElement.clientWidth, i.naturalWidth])"
    )
    assert sizes and all(shown <= room + 0.5 and shown < natural for shown, room, natural in sizes)


def test_badge_meanings_are_printed_in_a_key(browser, served):
    open_page(browser, served, "index")
    key = browser.evaluate(
        "[...document.querySelectorAll('table')].find(t => t.caption?.textContent === "
        "'Key to the symbols')?.innerText || ''"
    )
    for words in ("Hit or miss", "Not assessed", "Concern", "Improvement", "Common cause"):
        assert words in key


@pytest.mark.parametrize("name", PAGES)
def test_table_captions_are_distinct(browser, served, name):
    open_page(browser, served, name)
    captions = browser.evaluate(
        "[...document.querySelectorAll('caption')].map(c => c.textContent.trim())"
    )
    assert len(captions) == len(set(captions))


@pytest.mark.parametrize("name", PAGES)
def test_headings_are_read_as_their_own_text(browser, served, name):
    open_page(browser, served, name)  # over HTTP: Quarto's scripts (anchor.js) have run
    inside = browser.evaluate("document.querySelectorAll('main :is(h1,h2,h3,h4) a').length")
    assert inside == 0


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE.is_file():
        pytest.skip(
            f"axe-core is not installed at {AXE}: run 'npm install --prefix .ci/node axe-core' "
            "(.ci/run does), or set OUTTURN_AXE to its axe.min.js"
        )
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(browser, served, axe_script, name, width):
    open_page(browser, served, name, width=width)
    browser.evaluate(axe_script + ";0")
    found = browser.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        f"{AXE_TAGS}}}}}).then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + "
        "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')))"
    )
    assert found == []
