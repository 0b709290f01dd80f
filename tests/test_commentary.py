"""Tests for analysis.commentary: safe Markdown, headings pushed down, 'none supplied'."""

import pytest

from analysis.commentary import NO_COMMENTARY, commentary_html, render_markdown
from analysis.loading import parse_commentary


@pytest.mark.parametrize(
    "text",
    [
        "Figures rose.\n\n<script>alert('x')</script>",
        'Inline <script src="https://evil.example/x.js"></script> text',
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
    ],
)
def test_render_markdown_script_never_reaches_the_output(text):
    out = render_markdown(text)
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert 'href="javascript' not in out.lower()


def test_render_markdown_escapes_raw_html_as_text():
    out = render_markdown("A <b>bold</b> claim")
    assert "<b>" not in out
    assert "&lt;b&gt;" in out


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [("# Top", "h3"), ("## Section", "h4"), ("### Sub", "h4"), ("#### Deep", "h4")],
)
def test_render_markdown_pushes_headings_down(markdown, tag):
    out = render_markdown(markdown)
    assert out.startswith(f"<{tag}>")
    assert "<h1>" not in out and "<h2>" not in out


def test_render_markdown_keeps_emphasis_lists_and_safe_links():
    out = render_markdown("*Note* and **bold**\n\n- one\n- two\n\n[DfE](https://www.gov.uk)")
    assert "<em>Note</em>" in out and "<strong>bold</strong>" in out
    assert out.count("<li>") == 2
    assert 'href="https://www.gov.uk"' in out


def test_commentary_html_sections_and_missing_note():
    item = parse_commentary("## Commentary\nRates fell.\n\n## Service response\nWe act.", "cla")
    out = commentary_html(item)
    assert '<section class="commentary"><h3>Commentary</h3><p>Rates fell.</p>' in out
    assert '<section class="service-response"><h3>Service response</h3><p>We act.</p>' in out
    assert NO_COMMENTARY in commentary_html(None)
    assert NO_COMMENTARY in commentary_html(parse_commentary("", "cla"))
    assert NO_COMMENTARY == "No commentary supplied."
