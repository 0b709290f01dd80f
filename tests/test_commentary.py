"""Tests for analysis.commentary: what the service wrote reaches every page as safe Markdown."""

from __future__ import annotations

import pytest

from analysis.commentary import safe_markdown
from analysis.markup import markdown_to_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "```{=html}\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`{=html}",
    "{{< include /etc/passwd >}}",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![tracker](https://example.com/pixel.png)",
    "::: {.callout-note}\nnot a callout\n:::",
    "[text]{.bigred style='x'}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_in_commentary_becomes_markup(text):
    html, _ = markdown_to_html(safe_markdown(text))
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "{=html}" not in safe_markdown(text)  # no Pandoc raw block survives
    assert "{{<" not in safe_markdown(text)  # no Quarto shortcode either
    assert "<span" not in html and "<div" not in html


def test_raw_html_is_shown_as_the_text_that_was_written():
    html, _ = markdown_to_html(safe_markdown("Use <b>bold</b> sparingly"))
    assert html.strip() == "<p>Use &lt;b&gt;bold&lt;/b&gt; sparingly</p>"


@pytest.mark.parametrize(
    ("markdown", "level"), [("# Top", 3), ("## Second", 4), ("### Third", 5), ("#### Deep", 6)]
)
def test_headings_are_pushed_below_the_pages_own(markdown, level):
    assert safe_markdown(markdown) == f"{'#' * level} {markdown.split()[1]}"


def test_emphasis_lists_quotes_tables_and_safe_links_survive():
    text = (
        "Performance **improved** in *Q2*; see [GOV.UK](https://www.gov.uk).\n\n"
        "- first\n- second\n\n3. third\n4. fourth\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    html, _ = markdown_to_html(safe_markdown(text))
    assert "<strong>improved</strong>" in html and "<em>Q2</em>" in html
    assert '<a href="https://www.gov.uk">GOV.UK</a>' in html
    assert html.count("<li>") == 4 and '<ol start="3">' in html
    assert "<blockquote>" in html and "<td>2</td>" in html


def test_image_keeps_its_words_but_loads_nothing():
    assert safe_markdown("See ![the chart of referrals](http://x/y.png) above") == (
        "See the chart of referrals above"
    )


def test_numbers_and_punctuation_read_as_written():
    text = "Referrals fell to 2,291 (795.4) - 14% below 2016/17's 3,039 & the 2017-18 target."
    html, _ = markdown_to_html(safe_markdown(text))
    assert "2,291 (795.4) - 14% below 2016/17’s 3,039 &amp; the 2017-18 target." in html
