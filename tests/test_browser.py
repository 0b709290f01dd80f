"""Rendered pages in headless Chromium with networking off: drawn, readable, no console errors."""

from __future__ import annotations

import pytest
from browser import NEEDS_BROWSER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    NEEDS_BROWSER,
]
PAGES = ("index", "exceptions", "methods", "data")


def test_console_check_detects_an_error(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="en"><body><script>console.error("boom")'
                    "</script></body></html>")  # fmt: skip
    browser.open(page)
    assert any("boom" in p for p in browser.problems())


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_over_http_without_console_errors(browser, served, name):
    _, _, base = served
    browser.open_url(f"{base}/{name}.html")
    assert "performance report" in browser.evaluate("document.title")  # the page, not an error
    assert browser.problems() == []
    images = browser.evaluate(
        "[...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])"
    )
    assert all(width for _, width in images), images  # every chart drawn


def test_contents_show_when_the_page_is_opened_from_disk(browser, rendered_q3):
    _, folder = rendered_q3
    browser.open(folder / "exceptions.html")
    shown = browser.evaluate(
        "[...document.querySelectorAll('#TOC a')].filter(a => a.offsetHeight > 0)"
        ".map(a => a.textContent.trim())"
    )
    assert shown[:2] == ["Children looked after", "Children in need"] and len(shown) == 9


@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_wider_than_the_window_at_1280(browser, rendered_q3, name):
    _, folder = rendered_q3
    browser.open(folder / f"{name}.html", width=1280)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280


def test_row_headers_stay_bold(browser, rendered_q3):
    _, folder = rendered_q3
    browser.open(folder / "exceptions.html")
    weight = browser.evaluate(
        "getComputedStyle(document.querySelector('table.outturn-table tbody th')).fontWeight"
    )
    assert int(weight) >= 700


def test_screenshot_is_a_drawn_page(browser, rendered_q3):
    _, folder = rendered_q3
    browser.open(folder / "exceptions.html")
    shot = browser.screenshot()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 100_000
