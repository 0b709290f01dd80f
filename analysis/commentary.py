"""Commentary Markdown rendered safely: raw HTML in a commentary file never reaches the page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from analysis.loading import Commentary

NO_COMMENTARY = "No commentary supplied."
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED = {
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "br",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML escaped and the result sanitised.

    Headings are pushed down two levels so commentary never breaks the page's
    heading order.
    """
    html = _MD.render(text or "")
    for level in (4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 2, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 2, 4)}>")
    return nh3.clean(
        html,
        tags=_ALLOWED,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    )


def commentary_html(item: Commentary | None) -> str:
    """Render the commentary and service response as HTML sections, or a 'none supplied' note."""
    if item is None or item.is_empty:
        return f'<p class="no-commentary"><em>{NO_COMMENTARY}</em></p>'
    parts = []
    if item.commentary.strip():
        parts.append(
            '<section class="commentary"><h3>Commentary</h3>'
            f"{render_markdown(item.commentary)}</section>"
        )
    if item.service_response.strip():
        parts.append(
            '<section class="service-response"><h3>Service response</h3>'
            f"{render_markdown(item.service_response)}</section>"
        )
    return "".join(parts)
